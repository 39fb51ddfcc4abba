// SPDX-License-Identifier: MIT
#pragma once

// MonitoringBranch: the explorer's "Monitoring" branch: one node per target of the project
// (watched or not, and how many alerts fire), with its firing alerts beneath it. Opening a
// target's node opens its Monitoring tab; an alert's node offers Retrain From Alert….

#include "common/item_ref.h"
#include "models/explorer_branch.h"

namespace mlwb {

class MonitorWatcher;

inline constexpr ItemKind kMonitorKind{"monitor"};
inline constexpr ItemKind kAlertKind{"alert"};

class MonitoringBranch : public ExplorerBranch {
public:
    static constexpr int kKey = 8;
    explicit MonitoringBranch(MonitorWatcher *watcher) : m_watcher(watcher) {}
    int key() const override { return kKey; }
    QString title() const override;
    QIcon icon() const override;
    Result<QList<ExplorerNode>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;

private:
    MonitorWatcher *m_watcher;
};

} // namespace mlwb
