// SPDX-License-Identifier: MIT
#pragma once

// PackageCreateJob: Create Package in the workbench: builds, seals, signs and stores a package of
// a finished run (PackageCatalog::create) off the GUI thread, on a connection of its own.

#include "jobs/job.h"
#include "package/package_builder.h"

namespace mlwb {

class PackageCreateJob : public Job {
public:
    PackageCreateJob(QString projectPath, PackageBuilder::Request request, bool sign = true);
    QString title() const override;
    ItemRef subject() const override;
    Status run(JobFeedback &feedback) override;
    // The new package's id once run() succeeded; 0 before.
    qint64 packageId() const { return m_packageId; }

private:
    QString m_path;
    PackageBuilder::Request m_request;
    bool m_sign;
    qint64 m_packageId = 0;
};

} // namespace mlwb
