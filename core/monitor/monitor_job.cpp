// SPDX-License-Identifier: MIT
#include "monitor/monitor_job.h"

#include "jobs/job_feedback.h"
#include "monitor/monitor_poller.h"
#include "store/monitor_repository.h"
#include "store/package_repository.h"
#include "store/target_repository.h"
#include "store/worker_connection.h"

#include <QDateTime>
#include <QJsonObject>

#include <chrono>
#include <thread>

namespace mlwb {

MonitorJob::MonitorJob(QString projectPath, qint64 targetId, QString targetName, qint64 intervalMs)
    : m_projectPath(std::move(projectPath)), m_targetId(targetId), m_targetName(std::move(targetName)), m_intervalMs(intervalMs)
{
}

QString MonitorJob::title() const { return QStringLiteral("Monitor %1").arg(m_targetName); }

ItemRef MonitorJob::subject() const { return ItemRef{ItemKind{"monitor"}, m_targetId}; }

Status MonitorJob::run(JobFeedback &feedback)
{
    Result<Database> db = WorkerConnection::open(m_projectPath, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    Result<TargetRecord> target = TargetRepository(*db).get(m_targetId);
    if (!target)
        return target.failure();
    Result<MonitorConfig> config = MonitorRepository(*db).config(m_targetId);
    if (!config)
        return config.failure();
    if (m_intervalMs > 0)
        config->intervalMs = m_intervalMs;
    PackageRepository packages(*db);
    MonitorPoller poller(*db, packages, *target, *config, MonitorPoller::agentFetch(*target));
    const qint64 interval = std::max<qint64>(1000, config->intervalMs);
    int polls = 0, failed = 0;
    while (!feedback.isCanceled()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        Result<MonitorPoller::Outcome> o = poller.poll(now);
        if (!o)
            return o.failure();
        ++polls;
        failed += !o->ok;
        const QString at = QDateTime::fromMSecsSinceEpoch(now).toString(QStringLiteral("hh:mm:ss"));
        feedback.setMessage(o->ok ? QStringLiteral("polled at %1 every %2 s").arg(at).arg(interval / 1000)
                                  : QStringLiteral("%1: no answer (%2)").arg(at, o->error));
        feedback.post(QStringLiteral("polled"), {{QStringLiteral("ok"), o->ok},
                                                 {QStringLiteral("error"), o->error},
                                                 {QStringLiteral("points"), o->points},
                                                 {QStringLiteral("reset"), o->reset},
                                                 {QStringLiteral("t_ms"), double(now)}});
        for (const AlertEvaluator::Change &c : o->alertChanges) {
            feedback.post(QStringLiteral("alert"), {{QStringLiteral("fired"), c.fired},
                                                    {QStringLiteral("id"), double(c.alert.id)},
                                                    {QStringLiteral("rule_id"), double(c.alert.ruleId)},
                                                    {QStringLiteral("target_id"), double(m_targetId)},
                                                    {QStringLiteral("model"), c.alert.model},
                                                    {QStringLiteral("version"), c.alert.version},
                                                    {QStringLiteral("message"), c.alert.message}});
            feedback.log(QStringLiteral("%1 %2: %3").arg(m_targetName, c.fired ? QStringLiteral("alert fired") : QStringLiteral("alert cleared"),
                                                         c.alert.message));
        }
        // Wait for the next poll in short steps, so Cancel takes effect at once.
        const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(interval);
        while (!feedback.isCanceled() && std::chrono::steady_clock::now() < due)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    feedback.log(QStringLiteral("%1: %2 polls, %3 without an answer").arg(m_targetName).arg(polls).arg(failed));
    return {}; // watching ends when the user stops it: that is its normal end
}

} // namespace mlwb
