// SPDX-License-Identifier: MIT
#pragma once

// MonitorWatcher: the targets the workbench watches, each polled on a thread of its own by a
// MonitorJob (core/monitor), so polling never blocks the GUI and never takes one of the Jobs
// pane's worker slots from training: a watch runs for as long as the user wants it, which a
// job queue is not made for. What the pollers post (a poll's outcome, an alert that fired or
// cleared) arrives here on the GUI thread as signals.

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <memory>

class QTimer;

namespace mlwb {

class MonitorWatcher : public QObject {
    Q_OBJECT
public:
    explicit MonitorWatcher(QObject *parent = nullptr);
    ~MonitorWatcher() override; // stops every watch and waits for its thread

    // Starts polling the target of the project at `projectPath` (its monitor setting's interval);
    // a target already watched keeps its watch.
    void start(const QString &projectPath, qint64 targetId, const QString &targetName);
    void stop(qint64 targetId);
    void stopAll();
    bool isWatching(qint64 targetId) const;
    // The last thing its poller said ("polled at 10:21:03 every 15 s"), empty when not watched.
    QString status(qint64 targetId) const;
    // Why a watch ended by itself (a failed write to the project file); empty otherwise.
    QString failure(qint64 targetId) const;

Q_SIGNALS:
    // {"ok", "error", "points", "reset", "t_ms"}
    void polled(qint64 targetId, const QJsonObject &outcome);
    // {"fired", "id", "rule_id", "target_id", "model", "version", "message"}
    void alertChanged(qint64 targetId, const QJsonObject &alert);
    void watchingChanged(qint64 targetId);

private:
    struct Watch;
    void drain();
    QHash<qint64, std::shared_ptr<Watch>> m_watches;
    QTimer *m_drain;
};

} // namespace mlwb
