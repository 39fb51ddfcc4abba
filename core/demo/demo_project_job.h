// SPDX-License-Identifier: MIT
#pragma once

// DemoProjectJob: builds the demo project (DemoProject::create: imports, trains, sweeps; about
// 40 s) on a worker thread, so the workbench stays usable and the Jobs pane shows it. A build
// that fails or is canceled leaves no file behind: the next attempt starts afresh.

#include "jobs/job.h"

namespace mlwb {

class DemoProjectJob : public Job {
public:
    DemoProjectJob(QString path, QString datasetsDir);

    QString title() const override;
    Status run(JobFeedback &feedback) override;

    QString path() const { return m_path; }

private:
    QString m_path;
    QString m_datasetsDir;
};

} // namespace mlwb
