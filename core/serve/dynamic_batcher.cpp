// SPDX-License-Identifier: MIT
#include "serve/dynamic_batcher.h"

#include "common/logging.h"

#include <algorithm>
#include <cstring>

#include <pthread.h>
#include <sched.h>

namespace mlwb {

DynamicBatcher::DynamicBatcher(std::shared_ptr<const InferenceEngine> engine, Options options, BatchObserver observer)
    : m_engine(std::move(engine)), m_options(options), m_observer(std::move(observer))
{
    m_options.maxBatchSize = std::max<qint64>(1, m_options.maxBatchSize);
    m_options.maxQueueLength = std::max<qint64>(1, m_options.maxQueueLength);
    m_options.instances = std::max(1, m_options.instances);
}

DynamicBatcher::~DynamicBatcher()
{
    stop();
}

bool DynamicBatcher::submit(std::vector<float> raw, qint64 rows, Done done)
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || qint64(m_queue.size()) >= m_options.maxQueueLength)
            return false;
        // The workers start with the first request, on the thread that serves it: a thread
        // takes its maker's scheduling policy, and a version is loaded on the agent's SCHED_IDLE
        // upload thread, which an unprivileged agent cannot leave (nor can what it starts).
        if (m_workers.empty())
            for (int i = 0; i < m_options.instances; ++i)
                m_workers.emplace_back([this] { work(); });
        wake = m_queue.empty() || (m_queuedRows < m_options.maxBatchSize && m_queuedRows + rows >= m_options.maxBatchSize);
        m_queuedRows += rows;
        m_queue.push_back(Pending{std::move(raw), rows, std::move(done), std::chrono::steady_clock::now()});
    }
    // A worker needs waking only for a first request (it waits for one) or a full batch (it
    // waits for the window to close otherwise): not once per request.
    if (wake)
        m_wake.notify_one();
    return true;
}

qint64 DynamicBatcher::depth() const
{
    std::lock_guard lock(m_mutex);
    return qint64(m_queue.size());
}

void DynamicBatcher::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && m_workers.empty())
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread &t : m_workers)
        if (t.joinable())
            t.join();
    m_workers.clear();
}

void DynamicBatcher::work()
{
    // Started by a serving thread (submit()); should that one have had another policy, every
    // request for the version would wait for an idle core.
    int policy = SCHED_OTHER;
    sched_param param{};
    if (::pthread_getschedparam(::pthread_self(), &policy, &param) == 0 && policy != SCHED_OTHER) {
        param.sched_priority = 0;
        if (const int e = ::pthread_setschedparam(::pthread_self(), SCHED_OTHER, &param); e != 0)
            qCWarning(lcServe).noquote() << QStringLiteral("a batch worker keeps the scheduling policy %1 of the thread that started it: %2 "
                                                          "(its requests wait while the cores are busy)")
                                                .arg(policy)
                                                .arg(QString::fromLocal8Bit(std::strerror(e)));
    }
    ::pthread_setname_np(::pthread_self(), "mlwb-batch"); // as top -H and perf show it
    std::vector<Pending> batch;
    for (;;) {
        batch.clear();
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and nothing left
            // Wait for more rows until the first request's delay is used up.
            const auto deadline = m_queue.front().queued + m_options.maxQueueDelay;
            while (!m_stopping && m_queuedRows < m_options.maxBatchSize &&
                   std::chrono::steady_clock::now() < deadline)
                m_wake.wait_until(lock, deadline);
            if (m_queue.empty())
                continue; // another worker took them
            qint64 rows = 0;
            while (!m_queue.empty() && (batch.empty() || rows + m_queue.front().rows <= m_options.maxBatchSize)) {
                rows += m_queue.front().rows;
                m_queuedRows -= m_queue.front().rows;
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        if (m_options.instances > 1)
            m_wake.notify_one(); // what is left may make another worker's batch
        run(batch);
    }
}

void DynamicBatcher::run(std::vector<Pending> &batch)
{
    if (batch.size() == 1) {
        Pending &p = batch.front();
        if (m_observer)
            m_observer(p.rows);
        p.done(m_engine->predictRaw(p.raw, p.rows), p.rows);
        return;
    }
    qint64 rows = 0;
    for (const Pending &p : batch)
        rows += p.rows;
    std::vector<float> raw;
    raw.reserve(size_t(rows * m_engine->featureCount()));
    for (const Pending &p : batch)
        raw.insert(raw.end(), p.raw.begin(), p.raw.end());
    Result<InferenceEngine::Prediction> all = m_engine->predictRaw(raw, rows);
    if (!all) {
        // One request's bad row fails the batch: run each alone, so only that one gets the error.
        for (Pending &p : batch) {
            if (m_observer)
                m_observer(p.rows);
            p.done(m_engine->predictRaw(p.raw, p.rows), p.rows);
        }
        return;
    }
    if (m_observer)
        m_observer(rows);
    const InferenceEngine::Prediction &a = *all;
    qint64 first = 0;
    for (Pending &p : batch) {
        InferenceEngine::Prediction part;
        part.rows = p.rows;
        part.width = a.width;
        const auto w = size_t(a.width);
        part.outputs.assign(a.outputs.begin() + first * w, a.outputs.begin() + (first + p.rows) * w);
        if (!a.probabilities.empty())
            part.probabilities.assign(a.probabilities.begin() + first * w, a.probabilities.begin() + (first + p.rows) * w);
        if (!a.classes.empty())
            part.classes.assign(a.classes.begin() + first, a.classes.begin() + first + p.rows);
        first += p.rows;
        p.done(std::move(part), rows);
    }
}

} // namespace mlwb
