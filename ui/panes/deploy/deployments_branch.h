// SPDX-License-Identifier: MIT
#pragma once

// DeploymentsBranch: the explorer's "Deployments" branch, one node per target of the project
// (name, URL, and the health badge the target's pane last saw: live, ready, unreachable).

#include "common/item_ref.h"
#include "models/explorer_branch.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace mlwb {

inline constexpr ItemKind kTargetKind{"target"};

// What the panes learnt of each target's health, shared by the branch and the panes (by target id).
class TargetHealthBook : public QObject {
    Q_OBJECT
public:
    QString badge(qint64 target) const { return m_badges.value(target); }
    // "ready", "live, not ready", "unreachable"; the branch shows it at once.
    void setBadge(qint64 target, const QString &badge)
    {
        if (m_badges.value(target) == badge)
            return;
        m_badges.insert(target, badge);
        Q_EMIT changed();
    }
Q_SIGNALS:
    void changed();

private:
    QHash<qint64, QString> m_badges;
};

class DeploymentsBranch : public ExplorerBranch {
public:
    static constexpr int kKey = 7;
    explicit DeploymentsBranch(std::shared_ptr<TargetHealthBook> health) : m_health(std::move(health)) {}
    int key() const override { return kKey; }
    QString title() const override;
    QIcon icon() const override;
    Result<QList<ExplorerNode>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;

private:
    std::shared_ptr<TargetHealthBook> m_health;
};

} // namespace mlwb
