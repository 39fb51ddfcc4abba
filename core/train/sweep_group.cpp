// SPDX-License-Identifier: MIT
#include "train/sweep_group.h"

#include "jobs/job.h"
#include "jobs/job_manager.h"
#include "store/worker_connection.h"
#include "train/train_job.h"

#include <memory>

namespace mlwb {

namespace {

// The group's first job: checks the request and writes the sweep row.
class PlanSweepJob : public Job {
public:
    PlanSweepJob(QString path, SweepRequest request, std::shared_ptr<SweepPlan> plan)
        : m_path(std::move(path)), m_request(std::move(request)), m_plan(std::move(plan))
    {
    }
    QString title() const override
    {
        return QStringLiteral("Plan sweep of %1 (%2)").arg(m_request.modelName, m_request.spec.strategy);
    }
    Status run(JobFeedback &) override
    {
        auto plan = SweepRunner::prepare(m_path, m_request);
        if (!plan)
            return plan.failure();
        *m_plan = std::move(*plan);
        return {};
    }

private:
    QString m_path;
    SweepRequest m_request;
    std::shared_ptr<SweepPlan> m_plan; // read on the manager's thread after the job ended
};

} // namespace

int SweepGroup::submit(JobManager &jobs, const QString &projectPath, const SweepRequest &request,
                       std::function<void(const Result<SweepResult> &)> onDone,
                       std::function<void(qint64 sweepId)> onSweepCreated)
{
    auto plan = std::make_shared<SweepPlan>();
    auto failure = std::make_shared<QString>(); // why the plan failed, if it did
    const QString name = request.name.isEmpty()
                             ? QStringLiteral("%1 %2 sweep").arg(request.modelName, request.spec.strategy)
                             : request.name;
    const int group = jobs.createGroup(
        QStringLiteral("Sweep %1").arg(name), {},
        [plan, failure, projectPath, onDone = std::move(onDone)](const Status &status) {
            if (!onDone)
                return;
            if (!failure->isEmpty())
                return onDone(fail(*failure));
            if (!plan->result.sweepId)
                return onDone(status.ok() ? Result<SweepResult>(fail(QStringLiteral("the sweep did not start")))
                                          : Result<SweepResult>(status.failure()));
            auto db = WorkerConnection::open(projectPath, WorkerConnection::Access::Read);
            if (!db)
                return onDone(db.failure());
            onDone(SweepRunner::load(*db, plan->result.sweepId));
        });
    JobManager *manager = &jobs;
    auto planJob = std::make_shared<int>(0);
    *planJob = jobs.submit(
        std::make_unique<PlanSweepJob>(projectPath, request, plan),
        [manager, group, planJob, plan, failure, projectPath, onSweepCreated](const Status &status) {
            // Canceled while planning (the group's cancel reached this job): no trials start.
            const bool canceled = manager->job(*planJob).status == JobState::Status::Canceled;
            if (!status || canceled || !plan->result.sweepId) {
                if (!status)
                    *failure = status.error();
                manager->closeGroup(group);
                return;
            }
            manager->setSubject(group, {ItemKind::Sweep, plan->result.sweepId});
            if (onSweepCreated)
                onSweepCreated(plan->result.sweepId);
            for (const TrainRequest &trial : plan->trials)
                manager->submit(std::make_unique<TrainJob>(projectPath, trial), {}, group);
            manager->closeGroup(group);
        },
        group);
    return group;
}

} // namespace mlwb
