// SPDX-License-Identifier: MIT
#include "deploy/deploy_job.h"

#include "checks/check_report.h"
#include "deploy/agent_client.h"
#include "jobs/job_feedback.h"
#include "package/key_store.h"
#include "package/package_manifest.h"
#include "store/deployment_repository.h"
#include "store/package_repository.h"
#include "store/target_repository.h"
#include "store/worker_connection.h"

namespace mlwb {

namespace {

QString kilobytes(qint64 bytes) { return QString::number(double(bytes) / 1024.0, 'f', 0) + QStringLiteral(" KB"); }

// The reason of the latest override made since the package's latest check, or empty when none
// counts (an override of an earlier failed check says nothing about the current one).
QString currentOverride(const PackageRecord &p)
{
    for (auto it = p.overrides.crbegin(); it != p.overrides.crend(); ++it) {
        if (!p.checkedAt.isValid() || it->createdAt >= p.checkedAt)
            return it->reason;
    }
    return {};
}

QString failedGatesText(const PackageRecord &p)
{
    auto report = CheckReport::fromJson(p.checks);
    if (!report || report->failedGates().isEmpty())
        return QStringLiteral("a gate failed");
    return report->failedGates().join(QStringLiteral("; "));
}

// "active 1.1.0, canary 1.2.0 at 20%" from a MODEL answer.
QString modelState(const QJsonObject &model)
{
    QString text = QStringLiteral("active %1").arg(model.value(QStringLiteral("active")).toString(QStringLiteral("none")));
    const QJsonObject canary = model.value(QStringLiteral("canary")).toObject();
    if (!canary.isEmpty())
        text += QStringLiteral(", canary %1 at %2%")
                    .arg(canary.value(QStringLiteral("version")).toString())
                    .arg(canary.value(QStringLiteral("percent")).toInt());
    return text;
}

struct Connected {
    TargetRecord target;
    AgentClient client;
};

Result<Connected> connectTo(Database &db, const QString &targetName, const TokenStore &tokens)
{
    auto target = TargetRepository(db).find(targetName);
    if (!target)
        return target.failure();
    auto client = AgentClient::forTarget(*target, tokens);
    if (!client)
        return client.failure();
    return Connected{*target, std::move(*client)};
}

// Records a management call the agent carried out; the agent's MODEL tells the versions.
Result<QJsonObject> recorded(Database &db, const TargetRecord &target, DeploymentAction action, const QString &model,
                             const QString &version, int percent, const Result<QJsonObject> &answer)
{
    if (!answer)
        return answer.failure();
    DeploymentRecord r;
    r.targetId = target.id;
    r.model = model;
    r.version = version;
    r.action = action;
    r.canaryPercent = percent;
    r.by = KeyStore::userAtHost();
    r.detail = modelState(*answer);
    if (auto id = DeploymentRepository(db).add(r); !id)
        return id.failure().reworded(QStringLiteral("target %1 did it, but recording it in the project failed: %2")
                                         .arg(target.name, id.error()));
    return answer;
}

} // namespace

DeployJob::DeployJob(Request request, TokenStore tokens) : m_request(std::move(request)), m_tokens(std::move(tokens)) {}

QString DeployJob::title() const
{
    const QString what = m_request.packageRef.isEmpty() ? QStringLiteral("package %1").arg(m_request.packageId)
                                                        : m_request.packageRef;
    return QStringLiteral("Deploy %1 to %2").arg(what, m_request.target);
}

ItemRef DeployJob::subject() const { return {kPackageKind, m_request.packageId}; }

Result<std::pair<QString, QString>> DeployJob::parsePackageRef(const QString &ref)
{
    const qsizetype colon = ref.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0 || colon == ref.size() - 1)
        return invalidInput(
            QStringLiteral("a package is named NAME:VERSION (see mlwb package list FILE), not \"%1\"").arg(ref));
    return std::pair<QString, QString>(ref.left(colon), ref.mid(colon + 1));
}

Status DeployJob::run(JobFeedback &feedback)
{
    auto db = WorkerConnection::open(m_request.projectPath, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    return deploy(*db, &feedback);
}

Status DeployJob::deploy(Database &db, JobFeedback *feedback)
{
    m_answer = {};
    m_record = {};
    m_refusedByGate = false;
    if (m_request.canaryPercent < 0 || m_request.canaryPercent > 100)
        return invalidInput(QStringLiteral("a canary share is 0 to 100 percent, not %1").arg(m_request.canaryPercent));
    PackageRepository packages(db);
    Result<PackageRecord> package = m_request.packageId > 0 ? packages.get(m_request.packageId) : [&]() -> Result<PackageRecord> {
        auto ref = parsePackageRef(m_request.packageRef);
        if (!ref)
            return ref.failure();
        return packages.find(ref->first, ref->second);
    }();
    if (!package)
        return package.failure();
    const QString label = QStringLiteral("%1:%2").arg(package->name, package->version);
    if (feedback)
        feedback->setSubject({kPackageKind, package->id});
    auto target = TargetRepository(db).find(m_request.target);
    if (!target)
        return target.failure();

    const QString by = KeyStore::userAtHost();
    DeploymentRecord row;
    row.targetId = target->id;
    row.packageId = package->id;
    row.model = package->name;
    row.version = package->version;
    row.canaryPercent = m_request.canaryPercent;
    row.by = by;
    const auto record = [&](DeploymentAction action, const QString &detail) -> Status {
        row.action = action;
        row.detail = detail;
        auto id = DeploymentRepository(db).add(row);
        if (!id)
            return id.failure();
        row.id = *id;
        m_record = row;
        return {};
    };

    // The gate: a failed one needs an override made since the latest check.
    const QString reason = m_request.overrideReason.trimmed();
    if (package->state == PackageState::GateFailed) {
        if (!reason.isEmpty()) {
            if (auto id = packages.addOverride(package->id, reason, by); !id)
                return id.failure();
            row.overrideReason = reason;
        } else if (const QString earlier = currentOverride(*package); !earlier.isEmpty()) {
            row.overrideReason = earlier;
        } else {
            m_refusedByGate = true;
            const QString why = QStringLiteral("package %1 failed its checks (%2) and no override reason was given")
                                    .arg(label, failedGatesText(*package));
            if (auto s = record(DeploymentAction::Refused, QStringLiteral("refused before upload: %1").arg(why)); !s)
                return s;
            return conflict(QStringLiteral("not deploying to target %1: %2 (deploy with --override-reason TEXT to ship "
                                           "it anyway)")
                                .arg(target->name, why));
        }
    }

    auto client = AgentClient::forTarget(*target, m_tokens);
    if (!client)
        return client.failure();
    if (feedback)
        client->setCancelCheck([feedback] { return feedback->isCanceled(); });
    const qint64 total = package->archive.size();
    if (feedback)
        feedback->setProgress(0, QStringLiteral("uploading %1 to %2 (%3)").arg(label, target->name, kilobytes(total)));
    auto answer = client->upload(package->archive, m_request.canaryPercent, by, [&](qint64 sent, qint64 all) {
        if (!feedback || all <= 0)
            return;
        if (sent < all)
            feedback->setProgress(0.9 * double(sent) / double(all),
                                  QStringLiteral("uploading %1 of %2").arg(kilobytes(sent), kilobytes(all)));
        else
            feedback->setProgress(0.9, QStringLiteral("sent; %1 is verifying, loading, warming up and smoke-testing it")
                                           .arg(target->name));
    });
    if (!answer) {
        // An answer of the agent's is a refusal to record; no answer is no deployment.
        if (client->lastStatus() >= 400) {
            if (auto s = record(DeploymentAction::Refused, answer.error()); !s)
                return s.failure().reworded(QStringLiteral("%1 (recording the refusal failed too: %2)")
                                                .arg(answer.error(), s.error()));
        }
        return answer.failure();
    }
    m_answer = *answer;
    row.model = answer->value(QStringLiteral("model")).toString(package->name);
    row.version = answer->value(QStringLiteral("version")).toString(package->version);
    const QString state = answer->value(QStringLiteral("state")).toString();
    const bool canary = state == u"canary";
    if (!canary)
        row.canaryPercent = 0;
    const QJsonObject smoke = answer->value(QStringLiteral("smoke")).toObject();
    QString detail = QStringLiteral("%1, loaded in %2 ms, warmed up in %3 ms, smoke test of %4 rows %5")
                         .arg(state.isEmpty() ? QStringLiteral("accepted") : state)
                         .arg(answer->value(QStringLiteral("load_ms")).toDouble(), 0, 'f', 1)
                         .arg(answer->value(QStringLiteral("warmup_ms")).toDouble(), 0, 'f', 1)
                         .arg(smoke.value(QStringLiteral("rows")).toInt())
                         .arg(smoke.value(QStringLiteral("matches")).toBool() ? QStringLiteral("matching")
                                                                              : QStringLiteral("not matching"));
    if (const QString previous = answer->value(QStringLiteral("previous")).toString(); !previous.isEmpty())
        detail += QStringLiteral("; previous %1").arg(previous);
    if (!reason.isEmpty() && package->state != PackageState::GateFailed)
        detail += QStringLiteral("; the override reason was not needed (the package is %1)").arg(packageStateName(package->state));
    if (auto s = record(canary ? DeploymentAction::Canary : DeploymentAction::Deploy, detail); !s)
        return s.failure().reworded(QStringLiteral("%1 is on target %2, but recording it in the project failed: %3")
                                        .arg(label, target->name, s.error()));
    if (feedback)
        feedback->setProgress(1.0, QStringLiteral("%1 on %2: %3").arg(label, target->name, state));
    return {};
}

Result<QJsonObject> DeployJob::promote(Database &db, const QString &target, const QString &model, const TokenStore &tokens)
{
    auto c = connectTo(db, target, tokens);
    if (!c)
        return c.failure();
    auto answer = c->client.promote(model, KeyStore::userAtHost());
    const QString version = answer ? answer->value(QStringLiteral("active")).toString() : QString();
    return recorded(db, c->target, DeploymentAction::Promote, model, version, 0, answer);
}

Result<QJsonObject> DeployJob::rollback(Database &db, const QString &target, const QString &model, const TokenStore &tokens)
{
    auto c = connectTo(db, target, tokens);
    if (!c)
        return c.failure();
    auto answer = c->client.rollback(model, KeyStore::userAtHost());
    const QString version = answer ? answer->value(QStringLiteral("active")).toString() : QString();
    return recorded(db, c->target, DeploymentAction::Rollback, model, version, 0, answer);
}

Result<QJsonObject> DeployJob::setCanary(Database &db, const QString &target, const QString &model, const QString &version,
                                         int percent, const TokenStore &tokens)
{
    if (percent < 0 || percent > 100)
        return invalidInput(QStringLiteral("a canary share is 0 to 100 percent, not %1").arg(percent));
    auto c = connectTo(db, target, tokens);
    if (!c)
        return c.failure();
    auto answer = c->client.setCanary(model, version, percent, KeyStore::userAtHost());
    return recorded(db, c->target, DeploymentAction::Canary, model, version, percent, answer);
}

} // namespace mlwb
