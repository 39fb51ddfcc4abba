// SPDX-License-Identifier: MIT
#include "store/metric_logger.h"

#include "store/worker_connection.h"

#include "common/logging.h"
#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"
#include "store/transaction.h"

#include <QHash>
#include <QStringList>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <tuple>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <ctime>
#include <thread>
#include <unordered_map>
#include <vector>

namespace mlwb {

namespace {
struct Point {
    qint64 run;
    qint64 step;
    double wall;
    double value;
    int key;
};
} // namespace

struct MetricLogger::Impl {
    Options options;
    QString path;
    Database db; // used by the writer thread only

    std::mutex mutex;
    std::condition_variable wake;     // writer: work to do
    std::condition_variable drained;  // flush(): a batch committed
    std::vector<Point> queue;
    QStringList keyNames;
    QHash<QString, int> keyIndex;
    qint64 queuedTotal = 0;   // points handed to log()
    qint64 writtenTotal = 0;  // points committed
    QString error;
    Status closeStatus; // what close() found, for a second call
    bool stop = false;
    bool flushRequested = false;

    std::atomic<qint64> batches{0};
    std::atomic<qint64> writerCpuNs{0}; // CPU time the writer thread has used so far
    std::vector<qint64> keyIds; // writer-side cache: key index -> metric_key.id
    std::thread writer;

    Status resolveKeys(const QStringList &names);
    Status write(const std::vector<Point> &batch);
    Status updateBlocks(const std::vector<Point> &batch);
    void run();
};

MetricLogger::MetricLogger() : d(std::make_unique<Impl>()) {}

Result<std::unique_ptr<MetricLogger>> MetricLogger::open(const QString &projectPath)
{
    return open(projectPath, Options{});
}

Result<std::unique_ptr<MetricLogger>> MetricLogger::open(const QString &projectPath, Options options)
{
    auto db = WorkerConnection::open(projectPath, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    std::unique_ptr<MetricLogger> logger(new MetricLogger());
    logger->d->options = options;
    logger->d->path = projectPath;
    logger->d->db = std::move(*db);
    Impl *impl = logger->d.get();
    impl->writer = std::thread([impl] { impl->run(); });
    return logger;
}

MetricLogger::~MetricLogger()
{
    if (!d->writer.joinable())
        return; // closed by its owner, who got the result
    if (Status s = close(); !s)
        qCCritical(lcStore) << s.error();
}

Status MetricLogger::close()
{
    if (!d->writer.joinable())
        return d->closeStatus;
    Status flushed = flush();
    {
        std::lock_guard lock(d->mutex);
        d->stop = true;
    }
    d->wake.notify_all();
    d->writer.join();
    std::lock_guard lock(d->mutex);
    const qint64 lost = d->queuedTotal - d->writtenTotal;
    if (lost > 0)
        d->closeStatus =
            fail(QStringLiteral("%1: metric points could not be written (%2 lost): %3")
                     .arg(d->path)
                     .arg(lost)
                     .arg(d->error.isEmpty() ? flushed.error() : d->error));
    else if (!flushed)
        d->closeStatus = flushed;
    return d->closeStatus;
}

MetricLogger::Key MetricLogger::key(const QString &name)
{
    std::lock_guard lock(d->mutex);
    auto it = d->keyIndex.constFind(name);
    if (it != d->keyIndex.cend())
        return *it;
    const int k = int(d->keyNames.size());
    d->keyNames << name;
    d->keyIndex.insert(name, k);
    return k;
}

void MetricLogger::log(qint64 runId, Key key, qint64 step, double value, double wall)
{
    bool full;
    {
        std::lock_guard lock(d->mutex);
        d->queue.push_back(Point{runId, step, wall, value, key});
        ++d->queuedTotal;
        full = d->queue.size() >= size_t(d->options.batchSize);
    }
    if (full)
        d->wake.notify_one();
}

void MetricLogger::log(qint64 runId, Key key, qint64 step, double value)
{
    log(runId, key, step, value, nowSeconds());
}

void MetricLogger::log(qint64 runId, const QString &name, qint64 step, double value)
{
    log(runId, key(name), step, value, nowSeconds());
}

Status MetricLogger::flush()
{
    std::unique_lock lock(d->mutex);
    const qint64 target = d->queuedTotal;
    d->flushRequested = true;
    d->wake.notify_one();
    d->drained.wait(lock, [&] { return d->writtenTotal >= target || !d->error.isEmpty(); });
    if (!d->error.isEmpty())
        return fail(d->error);
    return {};
}

Status MetricLogger::health() const
{
    std::lock_guard lock(d->mutex);
    if (!d->error.isEmpty())
        return fail(d->error);
    return {};
}

qint64 MetricLogger::committedPoints() const
{
    std::lock_guard lock(d->mutex);
    return d->writtenTotal;
}

qint64 MetricLogger::committedBatches() const { return d->batches.load(); }

double MetricLogger::writerCpuSeconds() const { return double(d->writerCpuNs.load()) / 1e9; }

Status MetricLogger::Impl::resolveKeys(const QStringList &names)
{
    if (keyIds.size() == size_t(names.size()))
        return {};
    auto ins = db.prepare(QStringLiteral("INSERT OR IGNORE INTO metric_key(name) VALUES (?1)"));
    auto sel = db.prepare(QStringLiteral("SELECT id FROM metric_key WHERE name = ?1"));
    if (!ins)
        return ins.failure();
    if (!sel)
        return sel.failure();
    for (qsizetype i = qsizetype(keyIds.size()); i < names.size(); ++i) {
        ins->bind(1, names[i]);
        if (auto s = ins->run(); !s)
            return s;
        sel->bind(1, names[i]);
        auto row = sel->step();
        if (!row || !*row)
            return fail(QStringLiteral("%1: cannot register metric key \"%2\"").arg(path, names[i]));
        keyIds.push_back(sel->columnInt(0));
        sel->reset();
    }
    return {};
}

Status MetricLogger::Impl::write(const std::vector<Point> &batch)
{
    QStringList names;
    {
        std::lock_guard lock(mutex);
        names = keyNames;
    }
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.failure();
    if (auto s = resolveKeys(names); !s)
        return s;
    // The same step logged twice (a resumed run) replaces the older point; an update, not a
    // REPLACE, so a tracked run's older point moves to metric_repeat (trigger metric_keep_repeat:
    // MLflow's metrics are append-only).
    auto ins = db.prepare(QStringLiteral(
        "INSERT INTO metric(run_id, key_id, step, wall, value) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(run_id, key_id, step) DO UPDATE SET wall = excluded.wall, value = excluded.value"));
    if (!ins)
        return ins.failure();
    struct Last {
        qint64 step;
        double wall;
        double value;
    };
    std::unordered_map<quint64, Last> latest; // (run << 20 | key) -> last point in this batch
    for (const Point &p : batch) {
        const qint64 keyId = keyIds[size_t(p.key)];
        ins->bind(1, p.run).bind(2, keyId).bind(3, p.step).bind(4, p.wall).bind(5, p.value);
        if (auto s = ins->run(); !s)
            return s;
        const quint64 slot = (quint64(p.run) << 20) | quint64(keyId);
        auto it = latest.find(slot);
        if (it == latest.end() || p.step >= it->second.step)
            latest[slot] = Last{p.step, p.wall, p.value};
    }
    auto up = db.prepare(QStringLiteral(
        "INSERT INTO metric_latest(run_id, key_id, step, wall, value) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(run_id, key_id) DO UPDATE SET step = excluded.step, wall = excluded.wall, "
        "value = excluded.value WHERE excluded.step >= metric_latest.step"));
    if (!up)
        return up.failure();
    for (const auto &[slot, last] : latest) {
        up->bind(1, qint64(slot >> 20)).bind(2, qint64(slot & 0xFFFFF));
        up->bind(3, last.step).bind(4, last.wall).bind(5, last.value);
        if (auto s = up->run(); !s)
            return s;
    }
    if (auto s = updateBlocks(batch); !s)
        return s;
    return tx->commit();
}

// Recomputes the summary rows of every block the batch touched from the stored points, so a
// point logged again (a resumed run) leaves no stale minimum or maximum behind.
Status MetricLogger::Impl::updateBlocks(const std::vector<Point> &batch)
{
    struct Slot {
        qint64 run;
        qint64 key;
        qint64 block;
        bool operator<(const Slot &o) const
        {
            return std::tie(run, key, block) < std::tie(o.run, o.key, o.block);
        }
    };
    std::vector<Slot> slots;
    slots.reserve(batch.size() / 32 + 1);
    for (const Point &p : batch)
        slots.push_back(Slot{p.run, keyIds[size_t(p.key)], p.step >> kMetricBlockShift});
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end(),
                            [](const Slot &a, const Slot &b) { return !(a < b) && !(b < a); }),
                slots.end());

    auto read = db.prepare(QStringLiteral(
        "SELECT step, wall, value FROM metric WHERE run_id = ?1 AND key_id = ?2 "
        "AND step BETWEEN ?3 AND ?4 ORDER BY step"));
    auto write = db.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO metric_block(run_id, key_id, block, first_step, last_step, "
        "first_wall, last_wall, min, max, last, count) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    if (!read)
        return read.failure();
    if (!write)
        return write.failure();
    sqlite3_stmt *h = read->handle();
    for (const Slot &slot : slots) {
        const qint64 first = slot.block << kMetricBlockShift;
        read->bind(1, slot.run).bind(2, slot.key).bind(3, first);
        read->bind(4, first + (qint64(1) << kMetricBlockShift) - 1);
        qint64 count = 0, firstStep = 0, lastStep = 0;
        double firstWall = 0, lastWall = 0, last = 0;
        double mn = std::nan(""), mx = std::nan("");
        int rc;
        while ((rc = sqlite3_step(h)) == SQLITE_ROW) {
            const qint64 step = sqlite3_column_int64(h, 0);
            const double wall = sqlite3_column_double(h, 1);
            const bool isNull = sqlite3_column_type(h, 2) == SQLITE_NULL;
            const double v = isNull ? std::nan("") : sqlite3_column_double(h, 2);
            if (count++ == 0) {
                firstStep = step;
                firstWall = wall;
            }
            lastStep = step;
            lastWall = wall;
            last = v;
            if (!isNull) {
                mn = std::isnan(mn) ? v : std::min(mn, v);
                mx = std::isnan(mx) ? v : std::max(mx, v);
            }
        }
        sqlite3_reset(h);
        if (rc != SQLITE_DONE)
            return db.error(QStringLiteral("summarising metric points"));
        write->bind(1, slot.run).bind(2, slot.key).bind(3, slot.block).bind(4, firstStep);
        write->bind(5, lastStep).bind(6, firstWall).bind(7, lastWall).bind(8, mn).bind(9, mx);
        write->bind(10, last).bind(11, count);
        if (auto s = write->run(); !s)
            return s;
    }
    return {};
}

void MetricLogger::Impl::run()
{
    std::vector<Point> batch;
    std::unique_lock lock(mutex);
    for (;;) {
        wake.wait_for(lock, std::chrono::milliseconds(options.flushIntervalMs), [&] {
            return stop || flushRequested || queue.size() >= size_t(options.batchSize);
        });
        if (queue.empty()) {
            flushRequested = false;
            drained.notify_all();
            if (stop)
                return;
            continue;
        }
        batch.clear();
        const size_t take = std::min(queue.size(), size_t(std::max(1, options.batchSize)));
        if (take == queue.size()) {
            batch.swap(queue);
            flushRequested = false; // everything asked for is in this batch
        } else {
            // A burst commits in batchSize pieces, so no transaction holds the write lock long
            // (a colleague's process, the GUI's edits); a pending flush keeps the loop going.
            batch.assign(queue.begin(), queue.begin() + qsizetype(take));
            queue.erase(queue.begin(), queue.begin() + qsizetype(take));
        }
        lock.unlock();
        Status s = write(batch);
        timespec cpu{};
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
            writerCpuNs.store(qint64(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec);
        lock.lock();
        if (!s) {
            // Keep the points: put them back in front and report; the next round retries.
            qCWarning(lcStore) << "metric batch not written:" << s.error();
            error = s.error();
            keyIds.clear(); // ids registered in the failed transaction are gone
            queue.insert(queue.begin(), batch.begin(), batch.end());
            drained.notify_all();
            if (stop)
                return;
            lock.unlock();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            lock.lock();
            continue;
        }
        error.clear();
        writtenTotal += qint64(batch.size());
        batches.fetch_add(1);
        drained.notify_all();
    }
}

} // namespace mlwb
