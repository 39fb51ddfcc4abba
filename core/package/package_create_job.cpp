// SPDX-License-Identifier: MIT
#include "package/package_create_job.h"

#include "jobs/job_feedback.h"
#include "package/package_catalog.h"
#include "store/worker_connection.h"

#include <utility>

namespace mlwb {

PackageCreateJob::PackageCreateJob(QString projectPath, PackageBuilder::Request request, bool sign)
    : m_path(std::move(projectPath)), m_request(std::move(request)), m_sign(sign)
{
}

QString PackageCreateJob::title() const
{
    return QStringLiteral("Package %1:%2").arg(m_request.name, m_request.version);
}

ItemRef PackageCreateJob::subject() const
{
    return {ItemKind::Run, m_request.runId};
}

Status PackageCreateJob::run(JobFeedback &feedback)
{
    auto db = WorkerConnection::open(m_path, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    auto id = PackageCatalog(*db).create(m_request, m_sign, &feedback);
    if (!id)
        return id.failure();
    m_packageId = *id;
    feedback.setSubject({kPackageKind, *id});
    return {};
}

} // namespace mlwb
