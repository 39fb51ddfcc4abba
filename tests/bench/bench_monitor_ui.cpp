// SPDX-License-Identifier: MIT
// Monitoring dashboard benchmark (issue #13): the Monitoring tab's refresh on a deployment with
// FEATURES numeric input features and HOURS of its monitoring (default 50 and 24 h, one scrape
// every 5 minutes). The history is the demo's recorder (DemoMonitoringHistory: the agent's own
// serving code in-process answering rows of the training split, the monitor's own poller storing
// every scrape), over a real model trained on a synthetic 50-feature data set, one feature
// scaled for the last quarter of the range.
//
// A refresh is MonitoringPane::load() (reading the store and computing throughput, latency
// quantiles, every feature's drift: on a worker thread) and MonitoringPane::show() (filling the
// charts and tables: the GUI thread), then the repaint that follows. Measured: each part's median
// over REPS refreshes of the 24 h range. Baseline in the same run: load() itself, the work the
// GUI thread must never wait for. Goals: the GUI thread's part (show() plus the repaint) at most
// 50 ms, the longest event-loop stall bench_ui allows, and at most half of the refresh.
//   bench_monitor_ui [--quick] [--features N] [--hours N] [--reps N] [--dir DIR]

#include "bench_goal.h"
#include "data/dataset_catalog.h"
#include "demo/demo_monitoring_history.h"
#include "mainwindow/theme.h"
#include "model/model_catalog.h"
#include "package/package_builder.h"
#include "package/package_catalog.h"
#include "panes/monitor/monitoring_pane.h"
#include "store/project.h"
#include "store/project_file.h"
#include "train/training_session.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

template <typename R>
void check(const R &r, const char *what)
{
    if (!r.ok()) {
        std::fprintf(stderr, "bench_monitor_ui: %s: %s\n", what, qPrintable(r.error()));
        std::exit(1);
    }
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double msSince(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }

// FEATURES gaussian columns of different means and scales, a 3-class label from two of them.
QString writeDataset(const QString &dir, int features, int rows)
{
    const QString path = QDir(dir).filePath(QStringLiteral("wide.csv"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        std::fprintf(stderr, "bench_monitor_ui: cannot write %s\n", qPrintable(path));
        std::exit(1);
    }
    QTextStream out(&f);
    for (int c = 0; c < features; ++c)
        out << QStringLiteral("f%1,").arg(c + 1, 2, 10, QLatin1Char('0'));
    out << "label\n";
    std::mt19937_64 rng(5);
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::vector<double> row(static_cast<size_t>(features), 0.0);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < features; ++c) {
            row[size_t(c)] = (1.0 + c % 7) * gauss(rng) + 10.0 * (c % 3);
            out << QString::number(row[size_t(c)], 'f', 3) << ',';
        }
        const double score = row[0] / 1.0 + row[1] / 2.0;
        out << (score < 4.0 ? "low" : score < 6.0 ? "mid" : "high") << '\n';
    }
    return path;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Theme::apply(app, Theme::Scheme::Light);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    auto option = [&args](const char *name, qint64 fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 && i + 1 < args.size() ? args.at(i + 1).toLongLong() : fallback;
    };
    const int features = int(option("--features", 50));
    const qint64 hours = option("--hours", quick ? 3 : 24);
    const int reps = int(option("--reps", quick ? 3 : 9));
    QTemporaryDir tmp;
    QString dir = tmp.path();
    if (const qsizetype i = args.indexOf(QStringLiteral("--dir")); i > 0 && i + 1 < args.size())
        dir = args.at(i + 1);
    // The package is signed with this run's own key, never the user's.
    qputenv("MLWB_CONFIG_DIR", QDir(dir).filePath(QStringLiteral("config")).toUtf8());

    // --- the project: a trained 50-feature model, packaged, and HOURS of its monitoring ---
    const QString path = QDir(dir).filePath(QStringLiteral("monitor.mlwb"));
    QFile::remove(path);
    QElapsedTimer setup;
    setup.start();
    qint64 targetId = 0;
    DemoMonitoringHistory::Outcome history;
    {
        auto file = ProjectFile::create(path);
        check(file, "create the project");
        Database &db = (*file)->db();
        ImportOptions options;
        options.target = QStringLiteral("label");
        check(DatasetCatalog(db).importCsv(writeDataset(dir, features, 1500), QStringLiteral("wide"), options),
              "import the data set");
        check(ModelCatalog(db).createFromTemplate(QStringLiteral("wide-mlp"), QStringLiteral("wide"), QStringLiteral("mlp")),
              "create the model");
        TrainRequest r;
        r.modelName = QStringLiteral("wide-mlp");
        r.config.epochs = 3;
        r.config.batchSize = 64;
        r.config.learningRate = 1e-2;
        r.config.seed = 3;
        r.config.threads = 2;
        r.ownerLease = (*file)->leaseId();
        auto trained = TrainingSession::run(path, r, nullptr);
        check(trained, "train");
        PackageBuilder::Request b;
        b.runId = trained->runId;
        b.name = QStringLiteral("wide-mlp");
        b.version = QStringLiteral("1.0.0");
        auto package = PackageCatalog(db).create(b, true);
        check(package, "package");

        DemoMonitoringHistory::Options h;
        h.packageId = *package;
        h.dataset = QStringLiteral("wide");
        h.shiftedFeature = QStringLiteral("f08");
        h.lengthMs = hours * 3600'000LL;
        h.shiftForMs = h.lengthMs / 4;
        h.endMs = QDateTime::currentMSecsSinceEpoch() - 60'000;
        auto recorded = DemoMonitoringHistory::record(db, h, nullptr);
        check(recorded, "record the monitoring history");
        history = *recorded;
        targetId = history.targetId;
    }
    std::printf("project: %d features, %lld h of monitoring (%d scrapes, %lld requests, %lld rows), %.1f MB, made in %.1f s\n",
                features, static_cast<long long>(hours), history.scrapes, static_cast<long long>(history.requests),
                static_cast<long long>(history.rows), double(QFileInfo(path).size()) / 1e6, double(setup.elapsed()) / 1000.0);

    auto project = Project::open(path);
    check(project, "open the project");
    (*project)->setPollInterval(0);
    MonitoringPane pane(**project, targetId, nullptr, nullptr);
    pane.resize(1600, 1000);
    pane.QWidget::show();
    while (pane.loading()) // its own first load, off the GUI thread
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    QCoreApplication::processEvents();

    const qint64 toMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 fromMs = toMs - hours * 3600'000LL;
    std::vector<double> loadMs, showMs, paintMs, guiMs;
    MonitoringPane::Data data;
    for (int rep = 0; rep <= reps; ++rep) { // the first round warms caches, fonts and Qt Charts
        QElapsedTimer t;
        t.start();
        data = MonitoringPane::load(path, targetId, fromMs, toMs, 120);
        const double load = msSince(t);
        if (!data.error.isEmpty()) {
            std::fprintf(stderr, "bench_monitor_ui: load: %s\n", qPrintable(data.error));
            return 1;
        }
        t.restart();
        pane.show(data);
        const double shown = msSince(t);
        t.restart();
        pane.repaint(); // the paint that follows, synchronously
        QCoreApplication::processEvents();
        const double painted = msSince(t);
        if (rep == 0)
            continue;
        loadMs.push_back(load);
        showMs.push_back(shown);
        paintMs.push_back(painted);
        guiMs.push_back(shown + painted);
    }
    int drifted = 0;
    QString shifted;
    for (const MonitorSummary::Version &v : data.summary.versions)
        for (const FeatureDrift::Figures &f : v.features) {
            drifted += f.level == FeatureDrift::Level::Red;
            if (f.feature == QLatin1String("f08"))
                shifted = QStringLiteral("f08 (scaled by 1.5 for the last %1 h): %2 %3 over %4 rows, %5")
                              .arg(double(hours) / 4.0)
                              .arg(FeatureDrift::name(f.statistic))
                              .arg(f.value, 0, 'g', 3)
                              .arg(f.rows)
                              .arg(FeatureDrift::levelName(f.level));
        }
    const double gui = median(guiMs), load = median(loadMs);
    std::printf("refresh of the %lld h range, %d slots, %d drift rows (%d red), median of %d:\n",
                static_cast<long long>(hours), int(data.slotEnds.size()), pane.driftTable()->rowCount(), drifted, reps);
    std::printf("  %s\n", qPrintable(shifted));
    std::printf("  load() on a worker thread (store read, quantiles, drift): %.1f ms   [baseline]\n", load);
    std::printf("  show() on the GUI thread (charts and tables filled):      %.1f ms\n", median(showMs));
    std::printf("  the repaint that follows:                                 %.1f ms\n", median(paintMs));
    std::printf("ratio: GUI thread / whole refresh %.2f\n", gui / (gui + load));

    BenchGoals goals(quick);
    goals.atMost(QStringLiteral("GUI thread per refresh, %1 features x %2 h").arg(features).arg(hours).toStdString(), gui, 50.0, "ms");
    goals.atMost("GUI thread's share of the refresh", gui / (gui + load), 0.5, "");
    return goals.exitCode();
}
