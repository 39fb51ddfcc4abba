// SPDX-License-Identifier: MIT
#pragma once

// ModelsBranch: the explorer's "Models" branch; each model's runs sit under it, newest first,
// with a status icon (queued, running, finished, failed, interrupted).

#include "models/explorer_branch.h"

namespace mlwb {

class ModelsBranch : public ExplorerBranch {
public:
    static constexpr int kKey = 2;
    int key() const override { return kKey; }
    QString title() const override;
    QIcon icon() const override;
    Result<QList<ExplorerNode>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;
};

} // namespace mlwb
