// SPDX-License-Identifier: MIT
// mlwb_ui_sample_project FILE [DATASETS_DIR]: writes a project with sample content (data sets
// from the real CSVs, models, runs in every status with synthetic curves) for screenshots.

#include "sample_content.h"
#include "store/project_file.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream err(stderr);
    const char *usage = "usage: mlwb_ui_sample_project FILE [DATASETS_DIR]\n";
    if (args.size() > 1 && (args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h"))) {
        QTextStream(stdout) << usage;
        return 0;
    }
    // An option is not a file name: "--help" once became a project file in the source tree.
    if (args.size() < 2 || args.at(1).startsWith(u'-')) {
        err << usage;
        return 2;
    }
    const QString datasets = args.size() > 2 ? args.at(2) : QStringLiteral(MLWB_SAMPLE_DATASETS);
    auto file = mlwb::ProjectFile::create(args.at(1));
    if (!file) {
        err << file.error() << '\n';
        return 1;
    }
    auto ids = mlwb::test::SampleContent::fill(**file, datasets, 2000);
    if (!ids) {
        err << ids.error() << '\n';
        return 1;
    }
    return 0;
}
