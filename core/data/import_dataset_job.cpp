// SPDX-License-Identifier: MIT
#include "data/import_dataset_job.h"

#include "store/worker_connection.h"
#include "jobs/job_feedback.h"
#include "store/database.h"
#include "data/dataset_catalog.h"

#include <QCoreApplication>

namespace mlwb {

ImportDatasetJob::ImportDatasetJob(QString projectPath, QString csvPath, QString name,
                                   ImportOptions options, SplitSpec split)
    : m_projectPath(std::move(projectPath))
    , m_csvPath(std::move(csvPath))
    , m_name(std::move(name))
    , m_options(std::move(options))
    , m_split(split)
{
}

QString ImportDatasetJob::title() const
{
    return QCoreApplication::translate("ImportDatasetJob", "import %1").arg(m_name);
}

Status ImportDatasetJob::run(JobFeedback &feedback)
{
    feedback.setProgress(0, QCoreApplication::translate("ImportDatasetJob", "reading %1")
                                .arg(m_csvPath));
    // Own connection: a connection belongs to one thread, never the GUI thread's.
    auto db = WorkerConnection::open(m_projectPath, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    ImportOptions options = m_options;
    options.progress = [&feedback](double fraction) {
        feedback.setProgress(fraction * 0.9);
        return !feedback.isCanceled();
    };
    auto id = DatasetCatalog(*db).importCsv(m_csvPath, m_name, options, m_split);
    if (!id)
        return id.failure();
    m_datasetId.store(*id);
    feedback.setProgress(1.0, QCoreApplication::translate("ImportDatasetJob", "imported"));
    return {};
}

} // namespace mlwb
