// SPDX-License-Identifier: MIT
// Store benchmark: metric logging rate against a raw sqlite3 prepared-insert loop in one
// transaction (same table, same run), what log() costs the calling thread (the writer thread
// commits), and chart/comparison reads in a file of 3M points. Prints a PASS/FAIL line per goal.
//   bench_store [--quick] [--dir DIR]

#include "bench_goal.h"
#include "store/database.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "store/statement.h"
#include "store/transaction.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double timeMs(const std::function<void()> &fn)
{
    QElapsedTimer t;
    t.start();
    fn();
    return double(t.nsecsElapsed()) / 1e6;
}

qint64 newRun(ProjectFile &p)
{
    ModelRepository models(p.db());
    auto m = models.byName(QStringLiteral("bench"));
    const qint64 modelId =
        m ? m->id : *models.add({0, QStringLiteral("bench"), ModelKind::Spec, 0, {}, {}});
    auto v = models.addVersion(modelId, QByteArrayLiteral("{}"), {});
    RunRecord r;
    r.modelVersionId = v->id;
    return *RunRepository(p.db()).create(r);
}

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "bench_store: %s failed\n", what);
        std::exit(1);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    BenchGoals goals(quick);
    QTemporaryDir tmp;
    QString dir = tmp.path();
    if (int i = int(app.arguments().indexOf(QStringLiteral("--dir"))); i > 0)
        dir = app.arguments().value(i + 1);

    // --- write rate ---
    const qint64 n = quick ? 50000 : 1000000;
    const int reps = quick ? 1 : 3;
    std::vector<double> rawRates, loggerRates, callerShares, queuedAtReturn;
    for (int rep = 0; rep < reps; ++rep) {
        const QString path = QDir(dir).filePath(QStringLiteral("write%1.mlwb").arg(rep));
        QFile::remove(path);
        auto project = ProjectFile::create(path);
        check(project.ok(), "create");
        const qint64 rawRun = newRun(**project);
        const qint64 logRun = newRun(**project);
        auto &db = (*project)->db();
        check(db.exec(QStringLiteral("INSERT INTO metric_key(id, name) VALUES (1, 'raw')")).ok(), "key");

        // Baseline: the raw C API, one prepared statement, one transaction.
        const double rawMs = timeMs([&] {
            sqlite3 *h = db.handle();
            sqlite3_exec(h, "BEGIN", nullptr, nullptr, nullptr);
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(h, "INSERT INTO metric(run_id, key_id, step, wall, value) VALUES (?,?,?,?,?)",
                               -1, &st, nullptr);
            for (qint64 i = 0; i < n; ++i) {
                sqlite3_bind_int64(st, 1, rawRun);
                sqlite3_bind_int64(st, 2, 1);
                sqlite3_bind_int64(st, 3, i);
                sqlite3_bind_double(st, 4, 1.7e9 + double(i));
                sqlite3_bind_double(st, 5, double(i) * 0.001);
                sqlite3_step(st);
                sqlite3_reset(st);
            }
            sqlite3_finalize(st);
            sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
        });
        // Ours: log from the caller's thread, time until everything is committed.
        auto logger = MetricLogger::open(path);
        check(logger.ok(), "logger");
        const auto key = (*logger)->key(QStringLiteral("loss"));
        // The caller's share is the time until its last log() returned: the training loop waits
        // that long, the rest is the writer thread's.
        double callerMs = 0;
        const double logMs = timeMs([&] {
            QElapsedTimer caller;
            caller.start();
            for (qint64 i = 0; i < n; ++i)
                (*logger)->log(logRun, key, i, double(i) * 0.001, 1.7e9 + double(i));
            callerMs = double(caller.nsecsElapsed()) / 1e6;
            queuedAtReturn.push_back(double(n - (*logger)->committedPoints()) / double(n));
            check((*logger)->flush().ok(), "flush");
        });
        rawRates.push_back(double(n) / rawMs * 1000.0);
        loggerRates.push_back(double(n) / logMs * 1000.0);
        callerShares.push_back(callerMs / rawMs);
    }
    const double raw = median(rawRates), ours = median(loggerRates);
    std::printf("metric logging: %.0f points/s (MetricLogger, batched, off-thread)\n", ours);
    std::printf("raw baseline:   %.0f points/s (sqlite3 prepared insert, one transaction)\n", raw);
    std::printf("the caller's log() calls took %.2fx the raw loop's time; %.0f%% of the points were "
                "still queued when the last call returned\n",
                median(callerShares), median(queuedAtReturn) * 100.0);
    goals.atLeast("metric logging rate / raw insert loop", ours / raw, 0.5, "x");
    goals.atMost("caller's time in log() / raw insert loop", median(callerShares), 0.5, "x");
    std::printf("\n");

    // --- reads in a file of 3M points from 10 runs ---
    const QString path = QDir(dir).filePath(QStringLiteral("read.mlwb"));
    QFile::remove(path);
    auto project = ProjectFile::create(path);
    check(project.ok(), "create read file");
    const qint64 big = quick ? 20000 : 1000000;      // run 1's "loss"
    const qint64 other = quick ? 5000 : 220000;      // runs 2..10 "loss"
    const qint64 small = 2000;                      // every run's "val_acc"
    std::vector<qint64> runs;
    {
        auto logger = MetricLogger::open(path);
        check(logger.ok(), "logger");
        const auto loss = (*logger)->key(QStringLiteral("loss"));
        const auto acc = (*logger)->key(QStringLiteral("val_acc"));
        for (int r = 0; r < 10; ++r) {
            const qint64 run = newRun(**project);
            runs.push_back(run);
            const qint64 count = r == 0 ? big : other;
            for (qint64 i = 0; i < count; ++i)
                (*logger)->log(run, loss, i, 1.0 / double(i + 1), 1.7e9 + double(i));
            for (qint64 i = 0; i < small; ++i)
                (*logger)->log(run, acc, i * 100, 0.5 + double(i) / 4000.0, 1.7e9 + double(i));
        }
        check((*logger)->flush().ok(), "flush");
    }
    auto reopened = ProjectFile::open(path);
    check(reopened.ok(), "reopen");
    MetricReader reader((*reopened)->db());
    std::printf("read file: %lld points in 10 runs, %.0f MB\n",
                static_cast<long long>((*reopened)->counts()->value(u"metric_points")),
                double(QFileInfo(path).size()) / 1e6);

    auto measure = [](int repeats, const std::function<void()> &fn) {
        std::vector<double> t;
        for (int i = 0; i < repeats; ++i)
            t.push_back(timeMs(fn));
        return median(t);
    };
    size_t sink = 0;
    const double oneSmall = measure(50, [&] { sink += reader.series(runs[3], QStringLiteral("val_acc"))->size(); });
    const double compare = measure(20, [&] {
        for (qint64 r : runs)
            sink += reader.series(r, QStringLiteral("val_acc"))->size();
    });
    const double oneBig = measure(quick ? 3 : 5, [&] { sink += reader.series(runs[0], QStringLiteral("loss"))->size(); });
    const double bigDecimated = measure(quick ? 3 : 5, [&] { sink += reader.buckets(runs[0], QStringLiteral("loss"), 2000)->size(); });
    const double bigSummary = measure(quick ? 3 : 5, [&] { sink += reader.chartBuckets(runs[0], QStringLiteral("loss"), 2000)->size(); });
    const double compareLong = measure(quick ? 3 : 5, [&] {
        for (qint64 r : runs)
            sink += reader.chartBuckets(r, QStringLiteral("loss"), 1500)->size();
    });
    const double latest = measure(50, [&] { sink += size_t(reader.latest()->size()); });
    std::printf("  decimated to 2000 buckets:   %8.1f ms (from the points)\n", bigDecimated);
    std::printf("  the same from the summary:   %8.1f ms (chartBuckets: what charts read)\n", bigSummary);
    std::printf("chart of \"loss\" for all 10 runs, 1500 px: %.1f ms\n", compareLong);
    goals.atMost("one 2k-point series", oneSmall, 1.0, "ms");
    goals.atMost("same key of 10 runs (20k points)", compare, 10.0, "ms");
    goals.atMost(QStringLiteral("one %1-point series, every point").arg(big).toStdString(), oneBig, 500.0, "ms");
    goals.atMost("latest values of every run", latest, 10.0, "ms");
    if (sink == 0)
        return 1;
    return goals.exitCode();
}
