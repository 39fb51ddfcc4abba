// SPDX-License-Identifier: MIT
#pragma once

// ImportDatasetJob: parses a CSV file and stores it as a data set (DatasetCatalog::importCsv)
// on a worker thread, through its own connection to the project file.

#include "data/dataset_split.h"
#include "data/import_options.h"
#include "jobs/job.h"

#include <atomic>

namespace mlwb {

class ImportDatasetJob : public Job {
public:
    ImportDatasetJob(QString projectPath, QString csvPath, QString name, ImportOptions options,
                     SplitSpec split);

    QString title() const override;
    Status run(JobFeedback &feedback) override;

    // The new data set's id once run() succeeded, else -1.
    qint64 datasetId() const { return m_datasetId.load(); }

private:
    QString m_projectPath;
    QString m_csvPath;
    QString m_name;
    ImportOptions m_options;
    SplitSpec m_split;
    std::atomic<qint64> m_datasetId{-1};
};

} // namespace mlwb
