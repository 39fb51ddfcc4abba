// SPDX-License-Identifier: MIT
#pragma once

// ReportsBranch: the explorer's "Reports" branch: the report definitions stored in the project
// (ReportRepository), each with its format, how many runs it covers and when it was last
// rendered. Render Again and Export Report… act on them.

#include "common/item_ref.h"
#include "models/explorer_branch.h"

namespace mlwb {

inline constexpr ItemKind kReportKind{"report"};

class ReportsBranch : public ExplorerBranch {
public:
    static constexpr int kKey = 9;
    int key() const override { return kKey; }
    QString title() const override;
    QIcon icon() const override;
    Result<QList<ExplorerNode>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;
};

} // namespace mlwb
