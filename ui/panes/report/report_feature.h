// SPDX-License-Identifier: MIT
#pragma once

// ReportFeature: evaluation reports in the workbench (issue #14): Run > Export Report… on the
// selected runs, a sweep, the run or Compare tab in front; the Reports branch of the explorer
// with the definitions kept in the project; Render Report Again on one of them. Exports run as
// jobs (progress in the Jobs pane) and write the same file `mlwb report` writes. One line in
// Features::install.

#include "common/result.h"
#include "store/report_repository.h"

namespace mlwb {

class WorkbenchContext;

class ReportFeature {
public:
    static void install(WorkbenchContext &workbench);

    // Keeps `definition` in the project when it has a name (a new one, or the stored one of
    // that name replaced), then writes it to `path` as a job; when the job ends, the stored
    // definition notes where and when it was rendered. The job's id.
    static Result<int> exportReport(WorkbenchContext &workbench, ReportRecord definition, const QString &path);
};

} // namespace mlwb
