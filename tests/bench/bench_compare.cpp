// SPDX-License-Identifier: MIT
// Compare pane benchmark: a project with RUNS runs of POINTS points of one metric each; opens a
// CompareView on all of them and measures the time from construction to the end of the first
// paint of the chart (and until painting settles), and the growth of the process' resident
// memory. Baselines measured in the same run: the same pane on 2 runs, and reading every point
// of every run with MetricReader::series (what a chart without decimation would start from).
// Prints a PASS/FAIL line per goal.
//   bench_compare [--quick] [--runs N] [--points N] [--dir DIR]

#include "bench_goal.h"
#include "mainwindow/theme.h"
#include "panes/compare/compare_view.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/project.h"
#include "store/project_file.h"
#include "store/run_repository.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "bench_compare: %s failed\n", what);
        std::exit(1);
    }
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Resident set size of this process in MB (VmRSS of /proc/self/status).
double rssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

// Dispatches the chart's paint events itself so it can note when each one has finished.
class PaintClock : public QObject {
public:
    explicit PaintClock(const QElapsedTimer &clock) : m_clock(clock) {}
    std::vector<double> paintsEndedMs;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Paint || m_inside)
            return false;
        m_inside = true;
        watched->event(event); // QObject::event is public; dispatches to the viewport
        m_inside = false;
        paintsEndedMs.push_back(double(m_clock.nsecsElapsed()) / 1e6);
        return true;
    }

private:
    const QElapsedTimer &m_clock;
    bool m_inside = false;
};

struct Opening {
    double firstPaintMs = 0;
    double settledMs = 0;     // end of the last paint before 500 ms without one
    double constructedMs = 0; // the constructor: run records, tables
    double shownMs = 0;       // construction and show(): reading the series, building the chart
    double rssGrowthMb = 0;
    qint64 drawnPoints = 0;
    int buckets = 0; // per curve, on average
    int pixels = 0;  // pixel columns of the plot
    int curves = 0;
};

Opening openCompare(Project &project, const QList<qint64> &runs)
{
    QCoreApplication::processEvents();
    const double rssBefore = rssMb();
    QElapsedTimer clock;
    PaintClock paints(clock);
    clock.start();
    auto *view = new CompareView(project, runs);
    const double constructedMs = double(clock.nsecsElapsed()) / 1e6;
    view->chart()->viewport()->installEventFilter(&paints);
    view->resize(1400, 900);
    view->show();
    const double shownMs = double(clock.nsecsElapsed()) / 1e6;
    QElapsedTimer quiet;
    quiet.start();
    size_t seen = 0;
    while (quiet.elapsed() < 500 && clock.elapsed() < 60000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (paints.paintsEndedMs.size() != seen) {
            seen = paints.paintsEndedMs.size();
            quiet.restart();
        }
    }
    Opening o;
    check(!paints.paintsEndedMs.empty(), "the chart was never painted");
    o.firstPaintMs = paints.paintsEndedMs.front();
    o.shownMs = shownMs;
    o.constructedMs = constructedMs;
    o.settledMs = paints.paintsEndedMs.back();
    o.rssGrowthMb = rssMb() - rssBefore;
    for (QLineSeries *s : view->series())
        o.drawnPoints += s->count();
    o.pixels = view->bucketCount();
    for (const CompareChartView::Curve &c : view->chart()->curves())
        o.buckets += int(c.x.size());
    o.buckets /= std::max<int>(1, int(view->chart()->curves().size()));
    o.curves = int(view->chart()->curves().size());
    check(o.curves == runs.size(), "a run is missing from the chart");
    view->chart()->viewport()->removeEventFilter(&paints);
    delete view;
    QCoreApplication::processEvents();
    return o;
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
    const int runCount = int(option("--runs", quick ? 10 : 100));
    const qint64 points = option("--points", quick ? 10000 : 100000);
    QTemporaryDir tmp;
    QString dir = tmp.path();
    if (const qsizetype i = args.indexOf(QStringLiteral("--dir")); i > 0 && i + 1 < args.size())
        dir = args.at(i + 1);

    // --- the project: runCount runs x points of "loss", written through the logger ---
    const QString path = QDir(dir).filePath(QStringLiteral("compare.mlwb"));
    QFile::remove(path);
    QList<qint64> runs;
    QElapsedTimer writeClock;
    writeClock.start();
    {
        auto file = ProjectFile::create(path);
        check(file.ok(), "create");
        ModelRepository models((*file)->db());
        RunRepository repo((*file)->db());
        auto model = models.add({0, QStringLiteral("bench"), ModelKind::Spec, 0, {}, {}});
        check(model.ok(), "model");
        auto version = models.addVersion(*model, QByteArrayLiteral("{}"), {});
        check(version.ok(), "version");
        auto logger = MetricLogger::open(path);
        check(logger.ok(), "logger");
        const auto loss = (*logger)->key(QStringLiteral("loss"));
        for (int r = 0; r < runCount; ++r) {
            RunRecord record;
            record.modelVersionId = version->id;
            record.name = QStringLiteral("trial %1").arg(r + 1);
            const double lr = std::pow(10.0, -4.0 + 3.0 * r / std::max(1, runCount - 1));
            record.hyperparams = {{QStringLiteral("lr"), lr},
                                  {QStringLiteral("batch_size"), 32 << (r % 3)},
                                  {QStringLiteral("optimizer"),
                                   r % 2 ? QStringLiteral("adam") : QStringLiteral("sgd")}};
            auto id = repo.create(record);
            check(id.ok(), "run");
            runs << *id;
            const double final = 0.05 + 0.5 * std::fabs(std::log10(lr) + 2.5) / 1.5;
            for (qint64 s = 0; s < points; ++s) {
                const double t = double(s) / double(points);
                double v = final + (2.3 - final) * std::exp(-5.0 * t) +
                           0.02 * std::sin(double(s) * 0.37 + r);
                if ((s * 7919 + r * 104729) % 20011 == 0)
                    v *= 4.0; // rare spikes the chart must keep
                (*logger)->log(*id, loss, s, v, 1.7e9 + double(s) * 0.01);
            }
            check(repo.setSummary(*id, {{QStringLiteral("val_loss"), final}}).ok(), "summary");
        }
        check((*logger)->flush().ok(), "flush");
    }
    const double writeS = double(writeClock.nsecsElapsed()) / 1e9;
    std::printf("project: %d runs x %lld points of one metric, %.0f MB, written in %.1f s\n",
                runCount, static_cast<long long>(points), double(QFileInfo(path).size()) / 1e6,
                writeS);

    auto project = Project::open(path);
    check(project.ok(), "open project");
    (*project)->setPollInterval(0);

    const int reps = quick ? 1 : 3;
    const QList<qint64> two = runs.mid(0, 2);
    (void)openCompare(**project, two); // warm-up: fonts, styles, Qt Charts' first use

    std::vector<double> twoFirst, twoSettled, allFirst, allSettled, allShown, allConstructed;
    Opening firstAll;
    for (int rep = 0; rep < reps; ++rep) {
        const Opening a = openCompare(**project, runs);
        if (rep == 0)
            firstAll = a;
        allFirst.push_back(a.firstPaintMs);
        allSettled.push_back(a.settledMs);
        allShown.push_back(a.shownMs);
        allConstructed.push_back(a.constructedMs);
        const Opening b = openCompare(**project, two);
        twoFirst.push_back(b.firstPaintMs);
        twoSettled.push_back(b.settledMs);
    }
    const Opening twoOnce = openCompare(**project, two);

    // Baseline: every point of every run read back (no decimation, no drawing).
    QElapsedTimer readClock;
    readClock.start();
    size_t read = 0;
    for (qint64 r : std::as_const(runs))
        read += (*project)->metrics().series(r, QStringLiteral("loss"))->size();
    const double readMs = double(readClock.nsecsElapsed()) / 1e6;
    check(read == size_t(runCount) * size_t(points), "read every point");

    std::printf("compare pane, %d runs: first complete paint %.0f ms, settled %.0f ms (median of %d)\n",
                runCount, median(allFirst), median(allSettled), reps);
    std::printf("  of which the constructor (run records, tables) %.0f ms, "
                "show() (reading the curves, building the series) %.0f ms\n",
                median(allConstructed), median(allShown) - median(allConstructed));
    std::printf("  %d curves of %d buckets each (plot %d pixel columns wide), %lld points drawn "
                "(min and max per bucket)\n",
                firstAll.curves, firstAll.buckets, firstAll.pixels,
                static_cast<long long>(firstAll.drawnPoints));
    std::printf("  resident memory growth: %.1f MB (first opening)\n", firstAll.rssGrowthMb);
    std::printf("baseline: the same pane on 2 runs: first paint %.0f ms, settled %.0f ms, "
                "memory %+.1f MB\n",
                median(twoFirst), median(twoSettled), twoOnce.rssGrowthMb);
    std::printf("baseline: reading all %zu points (MetricReader::series): %.0f ms\n", read, readMs);
    std::printf("ratios: %d runs / 2 runs first paint %.1fx; %d-run first paint / raw read "
                "%.2fx\n",
                runCount, median(allFirst) / std::max(1.0, median(twoFirst)), runCount,
                median(allFirst) / std::max(1.0, readMs));
    BenchGoals goals(quick);
    goals.atMost(QStringLiteral("compare pane on %1 runs x %2 points, first paint")
                     .arg(runCount)
                     .arg(points)
                     .toStdString(),
                 median(allFirst), 500.0, "ms");
    return goals.exitCode();
}
