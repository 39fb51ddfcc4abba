// SPDX-License-Identifier: MIT
#pragma once

// DynamicBatcher: gathers concurrent requests for one model version into batches, as Triton's
// dynamic batcher does. A batch closes when it holds maxBatchSize rows or when its first request
// has waited maxQueueDelay, whichever comes first; with a delay of 0 a batch is whatever is
// queued when a worker is free. The queue is bounded (maxQueueLength requests): submit() refuses
// when it is full, so a flood costs a 503, never unbounded memory.
//
// A batch that fails (a row with an infinite value, say) is run again request by request, so
// each request gets its own answer and only the bad one its error.

#include "common/result.h"
#include "inference/inference_engine.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mlwb {

class DynamicBatcher {
public:
    struct Options {
        qint64 maxBatchSize = 32;
        std::chrono::microseconds maxQueueDelay{100};
        qint64 maxQueueLength = 1024;
        int instances = 1; // worker threads, as Triton's instance_group count
    };
    // A request's answer, and the rows of the batch it ran in.
    using Done = std::function<void(Result<InferenceEngine::Prediction> prediction, qint64 batchRows)>;
    // Called once per batch run, with its rows (the batch-size histogram).
    using BatchObserver = std::function<void(qint64 rows)>;

    // The worker threads start with the first submit(), from the thread that makes it.
    DynamicBatcher(std::shared_ptr<const InferenceEngine> engine, Options options, BatchObserver observer = {});
    ~DynamicBatcher(); // finishes what is queued

    // Queues `rows` raw rows; false (and `done` is not called) when the queue is full or the
    // batcher is stopping.
    bool submit(std::vector<float> raw, qint64 rows, Done done);
    // Requests waiting (not yet in a running batch).
    qint64 depth() const;
    const Options &options() const { return m_options; }
    // Finishes the queued requests and joins the workers; submit() refuses from then on.
    void stop();

private:
    struct Pending {
        std::vector<float> raw;
        qint64 rows;
        Done done;
        std::chrono::steady_clock::time_point queued;
    };
    void work();
    void run(std::vector<Pending> &batch);

    std::shared_ptr<const InferenceEngine> m_engine;
    Options m_options;
    BatchObserver m_observer;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;
    qint64 m_queuedRows = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

} // namespace mlwb
