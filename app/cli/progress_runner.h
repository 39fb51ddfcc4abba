// SPDX-License-Identifier: MIT
#pragma once

// runWithProgress: runs long work on a worker thread while the main thread prints its progress
// to stderr. Ctrl+C (SIGINT) or SIGTERM cancels the work through its JobFeedback: training stops
// within one batch and the run ends "interrupted" with its latest checkpoint, so it resumes.
// A second signal while stopping has the default effect (the process ends at once).

#include "jobs/job_feedback.h"

#include "cli_context.h"
#include "progress_line.h"

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

// For a verb that runs until stopped (mlwb monitor --watch, mlwb tracking-server): the first
// SIGINT or SIGTERM sets g_stopSignal, which the verb's loop checks; a second one ends the
// process at once.
inline void catchStopSignals()
{
    g_stopSignal = 0;
    struct sigaction action = {};
    action.sa_handler = [](int signal) { g_stopSignal.store(signal); };
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

// What a verb whose work a signal stopped exits with: 128 + the signal, as shells report it
// (130 for Ctrl+C, 143 for SIGTERM).
inline int signalExitCode()
{
    return 128 + stopSignal();
}

// "train  35% epoch 11/30, loss 0.41  ETA 1:05": the ETA from the overall fraction done and
// the time so far, once 2% is done.
inline QString progressText(const QString &label, double fraction, const QString &message, qint64 elapsedMs)
{
    QString line = QStringLiteral("%1 %2% %3").arg(label).arg(int(fraction * 100), 3).arg(message);
    if (fraction > 0.02 && fraction < 1.0) {
        const int eta = int(double(elapsedMs) / 1000.0 * (1 - fraction) / fraction);
        line += QStringLiteral("  ETA %1:%2").arg(eta / 60).arg(eta % 60, 2, 10, QLatin1Char('0'));
    }
    return line.trimmed();
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
    QElapsedTimer clock;
    clock.start();
    ProgressLine progress(stderr, ProgressLine::isTerminal(stderr));
    std::thread worker([&] {
        result.emplace(work(feedback));
        done = true;
    });
    bool told = false;
    while (!done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (const int signal = g_stopSignal.load(); signal && !told) {
            progress.note(QStringLiteral("%1: signal %2, stopping after the current batch (again to kill)")
                              .arg(label)
                              .arg(signal));
            told = true;
        }
        progress.update(progressText(label, feedback.progress(), feedback.message(), clock.elapsed()),
                        feedback.progress(), clock.elapsed());
    }
    worker.join();
    progress.finish();
    ::sigaction(SIGINT, &previousInt, nullptr);
    ::sigaction(SIGTERM, &previousTerm, nullptr);
    g_activeFeedback = nullptr;
    return std::move(*result);
}

} // namespace mlwb::cli
