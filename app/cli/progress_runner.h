// SPDX-License-Identifier: MIT
#pragma once

// runWithProgress: runs long work on a worker thread while the main thread prints its progress
// to stderr; Ctrl+C cancels the work through its JobFeedback (the run ends "interrupted").

#include "jobs/job_feedback.h"

#include "cli_context.h"

#include <QElapsedTimer>

#include <optional>

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace mlwb::cli {

inline std::atomic<JobFeedback *> g_activeFeedback{nullptr};

template <typename Fn>
auto runWithProgress(const QString &label, Fn &&work) -> decltype(work(std::declval<JobFeedback &>()))
{
    JobFeedback feedback;
    g_activeFeedback = &feedback;
    auto previous = std::signal(SIGINT, [](int) {
        if (JobFeedback *f = g_activeFeedback.load())
            f->cancel();
    });
    using R = decltype(work(feedback));
    std::optional<R> result;
    std::atomic<bool> done = false;
    std::thread worker([&] {
        result.emplace(work(feedback));
        done = true;
    });
    QElapsedTimer clock;
    clock.start();
    QString last;
    while (!done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const double p = feedback.progress();
        const QString msg = feedback.message();
        QString line = QStringLiteral("%1 %2% %3").arg(label).arg(int(p * 100), 3).arg(msg);
        const double elapsed = double(clock.elapsed()) / 1000.0;
        if (p > 0.02 && p < 1.0) {
            const int eta = int(elapsed * (1 - p) / p);
            line += QStringLiteral("  ETA %1:%2").arg(eta / 60).arg(eta % 60, 2, 10, QLatin1Char('0'));
        }
        if (line != last) {
            err() << "\r" << line.leftJustified(79) << Qt::flush;
            last = line;
        }
    }
    worker.join();
    err() << "\r" << QString(79, u' ') << "\r" << Qt::flush;
    std::signal(SIGINT, previous);
    g_activeFeedback = nullptr;
    return std::move(*result);
}

} // namespace mlwb::cli
