// SPDX-License-Identifier: MIT
#pragma once

// PackageCheckJob: the check suite on a package stored in the project, as a job (Run Checks in
// the workbench) or called directly (`mlwb package check`). It reads and verifies the stored
// package, finds its data set and the previous version's results, runs PackageChecker, seals
// the report into the package as checks.json (signed anew by the user's key when the package
// was signed) and stores package and state (checked, or gate failed) in one transaction.

#include "checks/check_config.h"
#include "checks/check_report.h"
#include "jobs/job.h"

#include <optional>

namespace mlwb {

class Database;

class PackageCheckJob : public Job {
public:
    // config empty: the model's stored configuration (PackageRepository::checkConfig), else the
    // defaults for its task.
    PackageCheckJob(QString projectPath, qint64 packageId, std::optional<CheckConfig> config = {});
    QString title() const override;
    ItemRef subject() const override;
    Status run(JobFeedback &feedback) override;
    const CheckReport &report() const { return m_report; }

    static Result<CheckReport> check(Database &db, qint64 packageId, const std::optional<CheckConfig> &config,
                                     JobFeedback *feedback);

private:
    QString m_path;
    qint64 m_packageId;
    std::optional<CheckConfig> m_config;
    CheckReport m_report;
};

} // namespace mlwb
