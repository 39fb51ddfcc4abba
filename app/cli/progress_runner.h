// SPDX-License-Identifier: MIT
#pragma once

// runWithProgress: runs long work on a worker thread while the main thread prints its progress
// to stderr. Ctrl+C (SIGINT) or SIGTERM cancels the work through its JobFeedback: training stops
// within one batch and the run ends "interrupted" with its latest checkpoint, so it resumes.
// A second signal while stopping has the default effect (the process ends at once).

#include "jobs/job_feedback.h"

#include "cli_context.h"

#include <QElapsedTimer>

#include <optional>

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

#include <signal.h>

namespace mlwb::cli {

// A signal handler may only touch lock-free atomics: it sets these and JobFeedback's cancel flag.
inline std::atomic<JobFeedback *> g_activeFeedback{nullptr};
inline std::atomic<int> g_stopSignal{0};
// JobFeedback::cancel() is one store to a std::atomic<bool>.
static_assert(std::atomic<JobFeedback *>::is_always_lock_free &&
              std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

// The signal that stopped the last runWithProgress, or 0.
inline int stopSignal()
{
    return g_stopSignal.load();
}

// What a verb whose work a signal stopped exits with: 128 + the signal, as shells report it
// (130 for Ctrl+C, 143 for SIGTERM).
inline int signalExitCode()
{
    return 128 + stopSignal();
}

template <typename Fn>
auto runWithProgress(const QString &label, Fn &&work) -> decltype(work(std::declval<JobFeedback &>()))
{
    JobFeedback feedback;
    g_stopSignal = 0;
    g_activeFeedback = &feedback;
    struct sigaction action = {};
    action.sa_handler = [](int signal) {
        g_stopSignal.store(signal);
        if (JobFeedback *f = g_activeFeedback.load())
            f->cancel();
    };
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: the first signal asks the work to stop, a second one ends the process.
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    struct sigaction previousInt = {}, previousTerm = {};
    ::sigaction(SIGINT, &action, &previousInt);
    ::sigaction(SIGTERM, &action, &previousTerm);

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
    bool told = false;
    while (!done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (const int signal = g_stopSignal.load(); signal && !told) {
            err() << "\r" << QString(79, u' ') << "\r"
                  << QStringLiteral("%1: signal %2, stopping after the current batch (again to kill)")
                         .arg(label)
                         .arg(signal)
                  << Qt::endl;
            told = true;
            last.clear();
        }
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
    ::sigaction(SIGINT, &previousInt, nullptr);
    ::sigaction(SIGTERM, &previousTerm, nullptr);
    g_activeFeedback = nullptr;
    return std::move(*result);
}

} // namespace mlwb::cli
