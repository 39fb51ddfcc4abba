// SPDX-License-Identifier: MIT
#pragma once

// DatasetsBranch: the explorer's "Datasets" branch, one node per imported data set.

#include "models/explorer_branch.h"

namespace mlwb {

class DatasetsBranch : public ExplorerBranch {
public:
    static constexpr int kKey = 1;
    int key() const override { return kKey; }
    QString title() const override;
    QIcon icon() const override;
    Result<QList<ExplorerNode>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;
};

} // namespace mlwb
