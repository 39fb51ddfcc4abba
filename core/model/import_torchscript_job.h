// SPDX-License-Identifier: MIT
#pragma once

// ImportTorchScriptJob: stores a TorchScript file as a model of a data set
// (ModelCatalog::importTorchScript) on a worker thread, through its own connection; or the
// TorchScript artifact a training script logged to a tracked run (issue #15).

#include "jobs/job.h"

#include <atomic>

namespace mlwb {

class ImportTorchScriptJob : public Job {
public:
    ImportTorchScriptJob(QString projectPath, QString filePath, QString name, QString datasetName);
    // From run `runId`'s artifact `artifact`.
    ImportTorchScriptJob(QString projectPath, qint64 runId, QString artifact, QString name, QString datasetName);

    QString title() const override;
    Status run(JobFeedback &feedback) override;

    qint64 modelId() const { return m_modelId.load(); }

private:
    QString m_projectPath;
    QString m_filePath;
    QString m_name;
    QString m_datasetName;
    qint64 m_runId = 0;
    std::atomic<qint64> m_modelId{-1};
};

} // namespace mlwb
