// SPDX-License-Identifier: MIT
#pragma once

// MetricLogger: append (run, key, step, wall time, value) from a training loop without blocking
// it. Points are buffered and a writer thread with its own connection commits them in batched
// transactions; the latest value per (run, key) is kept current in the same transaction.

#include "common/result.h"

#include <QString>

#include <memory>

namespace mlwb {

// Steps per row of the metric_block summary table: block = step >> kMetricBlockShift.
constexpr int kMetricBlockShift = 6;

class MetricLogger {
public:
    struct Options {
        int flushIntervalMs = 250; // a batch commits at least this often
        int batchSize = 50000;     // or as soon as this many points wait; at most this many per transaction
    };
    // A key resolved once, so logging a point does no string work.
    using Key = int;

    static Result<std::unique_ptr<MetricLogger>> open(const QString &projectPath);
    static Result<std::unique_ptr<MetricLogger>> open(const QString &projectPath, Options options);
    ~MetricLogger(); // close()s; a failure there can only be logged: call close() yourself
    MetricLogger(const MetricLogger &) = delete;
    MetricLogger &operator=(const MetricLogger &) = delete;

    Key key(const QString &name);
    void log(qint64 runId, Key key, qint64 step, double value, double wall);
    void log(qint64 runId, Key key, qint64 step, double value); // wall = now
    void log(qint64 runId, const QString &name, qint64 step, double value);

    // Blocks until every point logged so far is committed; returns the first write error.
    Status flush();
    // Flushes and stops the writer. When points could not be written (a full disk, a file
    // made read-only) it says how many were lost and why; nothing is dropped silently.
    Status close();
    // The last write error, while the writer keeps failing (it retries); ok once a batch commits.
    Status health() const;
    qint64 committedPoints() const;
    qint64 committedBatches() const;
    // CPU time the writer thread has spent (as of its last batch): what logging costs besides
    // the caller's queue pushes.
    double writerCpuSeconds() const;

private:
    MetricLogger();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace mlwb
