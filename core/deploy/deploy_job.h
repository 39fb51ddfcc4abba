// SPDX-License-Identifier: MIT
#pragma once

// DeployJob: pushes a package of the project to a target (Deploy in the workbench, `mlwb
// deploy`). A package whose gate failed goes out only with an override made after its latest
// check: one given with the request (recorded with the package, PackageRepository::addOverride)
// or one recorded before; otherwise it is refused before anything is sent. The upload reports
// its progress and stops on cancel; the outcome, the agent's refusals included, becomes a row of
// the project's deployment history. promote(), rollback() and setCanary() do the same for the
// other management calls.

#include "common/result.h"
#include "deploy/token_store.h"
#include "jobs/job.h"
#include "store/records.h"

#include <QJsonObject>

namespace mlwb {

class Database;

class DeployJob : public Job {
public:
    struct Request {
        QString projectPath;
        qint64 packageId = 0;   // or, when 0:
        QString packageRef;     // NAME:VERSION
        QString target;         // the target's name in the project
        int canaryPercent = 0;  // 0: the new version becomes active
        QString overrideReason; // why a package whose gate failed may go out anyway
    };

    explicit DeployJob(Request request, TokenStore tokens = TokenStore());
    QString title() const override;
    ItemRef subject() const override;
    Status run(JobFeedback &feedback) override;

    // The agent's UPLOAD answer (model, version, state, load_ms, warmup_ms, smoke, previous).
    const QJsonObject &answer() const { return m_answer; }
    // The row recorded for the outcome (id 0 when none was: the package or target was not found,
    // the agent could not be reached).
    const DeploymentRecord &record() const { return m_record; }
    // Whether run() refused because the package's gate failed and nothing overrode it.
    bool refusedByGate() const { return m_refusedByGate; }

    // The same on a connection of the caller's (db), without a job.
    Status deploy(Database &db, JobFeedback *feedback);

    // The management calls, each recorded as a deployment row; they return the agent's MODEL.
    static Result<QJsonObject> promote(Database &db, const QString &target, const QString &model,
                                       const TokenStore &tokens = TokenStore());
    static Result<QJsonObject> rollback(Database &db, const QString &target, const QString &model,
                                        const TokenStore &tokens = TokenStore());
    static Result<QJsonObject> setCanary(Database &db, const QString &target, const QString &model,
                                         const QString &version, int percent, const TokenStore &tokens = TokenStore());

    // "name:version" -> (name, version); InvalidInput naming the form otherwise.
    static Result<std::pair<QString, QString>> parsePackageRef(const QString &ref);

private:
    Request m_request;
    TokenStore m_tokens;
    QJsonObject m_answer;
    DeploymentRecord m_record;
    bool m_refusedByGate = false;
};

} // namespace mlwb
