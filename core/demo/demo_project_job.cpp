// SPDX-License-Identifier: MIT
#include "demo/demo_project_job.h"

#include "demo/demo_project.h"
#include "jobs/job_feedback.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mlwb {

DemoProjectJob::DemoProjectJob(QString path, QString datasetsDir)
    : m_path(std::move(path))
    , m_datasetsDir(std::move(datasetsDir))
{
}

QString DemoProjectJob::title() const
{
    return QCoreApplication::translate("DemoProjectJob", "build the demo project");
}

Status DemoProjectJob::run(JobFeedback &feedback)
{
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir))
        return ioError(QCoreApplication::translate("DemoProjectJob", "cannot create the folder %1")
                        .arg(dir));
    const bool existed = QFileInfo::exists(m_path);
    Status status = DemoProject::create(m_path, m_datasetsDir, &feedback);
    if (!status && !existed) {
        // A half-built demo would open as if it were complete next time.
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            const QString file = m_path + suffix;
            if (QFileInfo::exists(file) && !QFile::remove(file))
                return ioError(QCoreApplication::translate(
                                   "DemoProjectJob", "%1 (and the partial file %2 could not be removed)")
                                   .arg(status.error(), file));
        }
    }
    return status;
}

} // namespace mlwb
