// SPDX-License-Identifier: MIT
#include "model/import_torchscript_job.h"

#include "store/worker_connection.h"
#include "jobs/job_feedback.h"
#include "store/database.h"
#include "model/model_catalog.h"
#include "store/run_repository.h"

#include <QCoreApplication>

namespace mlwb {

ImportTorchScriptJob::ImportTorchScriptJob(QString projectPath, QString filePath, QString name,
                                           QString datasetName)
    : m_projectPath(std::move(projectPath))
    , m_filePath(std::move(filePath))
    , m_name(std::move(name))
    , m_datasetName(std::move(datasetName))
{
}

ImportTorchScriptJob::ImportTorchScriptJob(QString projectPath, qint64 runId, QString artifact, QString name, QString datasetName)
    : m_projectPath(std::move(projectPath))
    , m_filePath(std::move(artifact))
    , m_name(std::move(name))
    , m_datasetName(std::move(datasetName))
    , m_runId(runId)
{
}

QString ImportTorchScriptJob::title() const
{
    return QCoreApplication::translate("ImportTorchScriptJob", "import model %1").arg(m_name);
}

Status ImportTorchScriptJob::run(JobFeedback &feedback)
{
    feedback.setProgress(0, QCoreApplication::translate("ImportTorchScriptJob", "loading %1")
                                .arg(m_filePath));
    // Own connection: a connection belongs to one thread, never the GUI thread's.
    auto db = WorkerConnection::open(m_projectPath, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    Result<qint64> id = qint64(0);
    if (m_runId > 0) {
        auto bytes = RunRepository(*db).artifact(m_runId, m_filePath);
        if (!bytes)
            return bytes.failure().reworded(QStringLiteral("run %1 artifact %2: %3").arg(m_runId).arg(m_filePath, bytes.error()));
        id = ModelCatalog(*db).importTorchScriptBytes(m_name, m_datasetName, *bytes,
                                                      QStringLiteral("run %1 artifact %2").arg(m_runId).arg(m_filePath));
    } else {
        id = ModelCatalog(*db).importTorchScript(m_name, m_datasetName, m_filePath);
    }
    if (!id)
        return id.failure();
    m_modelId.store(*id);
    feedback.setProgress(1.0, QCoreApplication::translate("ImportTorchScriptJob", "imported"));
    return {};
}

} // namespace mlwb
