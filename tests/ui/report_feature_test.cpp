// SPDX-License-Identifier: MIT
// Reports in the workbench (issue #14): Export Report… on the selected runs as a job that writes
// the file ReportExport writes, the definition kept under Reports in the explorer with where and
// when it was rendered, Render Report Again, and the dialog's choices.
#include "ui_fixture.h"

#include "commands/command_registry.h"
#include "mainwindow/workbench_context.h"
#include "panes/report/export_report_dialog.h"
#include "panes/report/report_feature.h"
#include "panes/report/reports_branch.h"
#include "report/report_builder.h"
#include "store/report_repository.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QDialogButtonBox>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

class ReportFeatureTest : public UiTest {};

TEST_F(ReportFeatureTest, ExportKeepsTheDefinitionAndWritesTheFileAsAJob)
{
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    auto runs = project->runs().list();
    ASSERT_TRUE(runs.ok() && runs->size() >= 2);
    ReportRecord def;
    def.name = QStringLiteral("weekly");
    def.title = QStringLiteral("Weekly review");
    def.format = QStringLiteral("html");
    def.runIds = {runs->at(0).id, runs->at(1).id};
    def.sections = {QStringLiteral("hyperparameters"), QStringLiteral("metrics")};
    const QString out = path(QStringLiteral("weekly.html"));
    auto job = ReportFeature::exportReport(window, def, out);
    ASSERT_TRUE(job.ok()) << qPrintable(job.error());

    ReportRepository reports(project->db());
    (void)QTest::qWaitFor([&] { auto r = reports.find(QStringLiteral("weekly")); return r && r->renderedAt.isValid(); }, 60000);
    auto stored = reports.find(QStringLiteral("weekly"));
    ASSERT_TRUE(stored.ok()) << qPrintable(stored.error());
    EXPECT_TRUE(stored->renderedAt.isValid()) << "noted as rendered when the job ended";
    EXPECT_EQ(stored->renderedTo, out);
    EXPECT_EQ(stored->sections, def.sections);
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray html = f.readAll();
    EXPECT_TRUE(html.contains("Weekly review"));
    const QString firstName = runs->at(0).name;
    if (!firstName.isEmpty())
        EXPECT_TRUE(html.contains(firstName.toUtf8())) << qPrintable(firstName);

    // Under Reports in the explorer, by name, with its format and runs.
    MLWB_TRY_VERIFY(indexOf(kReportKind, stored->id).isValid());
    EXPECT_EQ(nameOf(kReportKind, stored->id), QStringLiteral("weekly"));
    EXPECT_EQ(tree().data(indexOf(kReportKind, stored->id).parent(), Qt::DisplayRole).toString(), QStringLiteral("Reports"));

    // Exporting under the same name replaces the definition instead of adding a second.
    def.runIds = {runs->at(0).id};
    ASSERT_TRUE(ReportFeature::exportReport(window, def, out).ok());
    (void)QTest::qWaitFor([&] { auto r = reports.find(QStringLiteral("weekly")); return r && r->runIds.size() == 1; }, 60000);
    auto list = reports.list();
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->size(), 1);
    EXPECT_EQ(list->first().runIds, (QList<qint64>{runs->at(0).id}));

    // The command is there for a selection of runs and for a report.
    const Command *command = window.commands().find(QStringLiteral("report.export"));
    ASSERT_TRUE(command);
    const CommandScope scope{window, {{ItemKind::Run, runs->at(0).id}}, {}, true, true, {}};
    EXPECT_TRUE(CommandRegistry::isEnabled(*command, scope));
    const CommandScope onReport{window, {{kReportKind, stored->id}}, {}, true, true, {}};
    EXPECT_TRUE(CommandRegistry::isEnabled(*window.commands().find(QStringLiteral("report.render")), onReport));
}

TEST_F(ReportFeatureTest, TheDialogSaysWhatIsMissingAndTheExtensionFollowsTheFormat)
{
    QList<ExportReportDialog::Section> sections;
    for (const QString &id : ReportBuilder::sectionIds())
        sections.append({id, ReportBuilder::sectionTitle(id)});
    ReportRecord initial;
    initial.runIds = {1, 2};
    ExportReportDialog dialog({{1, QStringLiteral("fast")}, {2, QStringLiteral("slow")}}, sections, initial);
    dialog.pathEdit()->setText(path(QStringLiteral("r.pdf")));
    const auto exportButton = [&] {
        for (QAbstractButton *b : dialog.buttons()->buttons())
            if (dialog.buttons()->buttonRole(b) == QDialogButtonBox::AcceptRole)
                return b;
        return static_cast<QAbstractButton *>(nullptr);
    };
    ASSERT_TRUE(exportButton());
    EXPECT_TRUE(exportButton()->isEnabled());
    EXPECT_TRUE(dialog.definition().sections.isEmpty()) << "every section stays every section";

    dialog.formatBox()->setCurrentIndex(dialog.formatBox()->findData(QStringLiteral("md")));
    EXPECT_TRUE(dialog.outputPath().endsWith(QStringLiteral("r.md"))) << qPrintable(dialog.outputPath());

    for (int i = 0; i < dialog.sectionList()->count(); ++i)
        dialog.sectionList()->item(i)->setCheckState(Qt::Unchecked);
    EXPECT_FALSE(exportButton()->isEnabled()) << "no section";
    dialog.sectionList()->item(3)->setCheckState(Qt::Checked);
    EXPECT_TRUE(exportButton()->isEnabled());
    EXPECT_EQ(dialog.definition().sections, QStringList{ReportBuilder::sectionIds().at(3)});

    dialog.keepBox()->setChecked(true);
    EXPECT_FALSE(exportButton()->isEnabled()) << "a kept report needs a name";
    dialog.nameEdit()->setText(QStringLiteral("weekly"));
    EXPECT_TRUE(exportButton()->isEnabled());
    EXPECT_EQ(dialog.definition().name, QStringLiteral("weekly"));
    dialog.pathEdit()->setText(path(QStringLiteral("no/such/dir/r.md")));
    EXPECT_FALSE(exportButton()->isEnabled()) << "the folder does not exist";
}

} // namespace
} // namespace mlwb::test
