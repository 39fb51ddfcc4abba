// SPDX-License-Identifier: MIT
// Test helper: `mlwb_store_child FILE RUN_ID POINTS [FLUSH_EVERY [SLEEP_MS]]` opens the project
// (taking a lease), marks the run running, logs POINTS points of key "loss" (value = step * 0.5),
// prints "committed N" to stdout after every FLUSH_EVERY points so the parent knows how far it
// got, sleeps SLEEP_MS after each point (a stream: 100 is 10 points a second), and marks the run
// finished.

#include "store/metric_logger.h"
#include "store/project_file.h"
#include "store/run_repository.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>
#include <thread>

using namespace mlwb;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: mlwb_store_child FILE RUN_ID POINTS [FLUSH_EVERY [SLEEP_MS]]\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const qint64 run = QByteArray(argv[2]).toLongLong();
    const qint64 points = QByteArray(argv[3]).toLongLong();
    const qint64 flushEvery = argc > 4 ? QByteArray(argv[4]).toLongLong() : 0;
    const int sleepMs = argc > 5 ? QByteArray(argv[5]).toInt() : 0;

    auto project = ProjectFile::open(path, {false, QStringLiteral("store_child"), 1000});
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error()));
        return 1;
    }
    RunRepository runs((*project)->db());
    if (auto s = runs.markRunning(run, (*project)->leaseId()); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error()));
        return 1;
    }
    MetricLogger::Options options;
    options.flushIntervalMs = 50;
    options.batchSize = 5000;
    auto logger = MetricLogger::open(path, options);
    if (!logger) {
        std::fprintf(stderr, "%s\n", qPrintable(logger.error()));
        return 1;
    }
    std::printf("started\n");
    std::fflush(stdout);
    const auto key = (*logger)->key(QStringLiteral("loss"));
    for (qint64 step = 0; step < points; ++step) {
        (*logger)->log(run, key, step, double(step) * 0.5, 1000.0 + double(step));
        if (sleepMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
        if (flushEvery > 0 && (step + 1) % flushEvery == 0) {
            if (auto s = (*logger)->flush(); !s) {
                std::fprintf(stderr, "%s\n", qPrintable(s.error()));
                return 1;
            }
            std::printf("committed %lld\n", static_cast<long long>(step + 1));
            std::fflush(stdout);
        }
    }
    if (auto s = (*logger)->flush(); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error()));
        return 1;
    }
    (void)runs.setStatus(run, RunStatus::Finished);
    std::printf("done\n");
    return 0;
}
