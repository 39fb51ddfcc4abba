// SPDX-License-Identifier: MIT
#pragma once

// ExperimentsBranch: the explorer's "Experiments" branch (issue #15): the experiments training
// scripts logged into through the tracking endpoint, each with its runs (newest first, with
// their status), beside the models and their sweeps. A run here is the same run item as
// anywhere: its tab, Compare, reports. MLflow's Default experiment shows once it has runs.

#include "common/item_ref.h"
#include "models/explorer_branch.h"

namespace mlwb {

inline constexpr ItemKind kExperimentKind{"experiment"};

class ExperimentsBranch : public ExplorerBranch {
public:
    static constexpr int kKey = 10;
    int key() const override { return kKey; }
    QString title() const override;
    QIcon icon() const override;
    Result<QList<ExplorerNode>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;
};

} // namespace mlwb
