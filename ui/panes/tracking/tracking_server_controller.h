// SPDX-License-Identifier: MIT
#pragma once

// TrackingServerController: the workbench's tracking endpoint (issue #15), the same
// TrackingServer `mlwb tracking-server` runs, serving the open project while the user keeps it
// on (Tools > Tracking Server). It stops when the project closes; it counts the live runs (a
// script's run RUNNING that wrote lately) every two seconds for the status bar. Its own
// connections write the project; the window's Project sees those writes as any other
// process's, so runs appear and grow in the explorer and their tabs.

#include "common/result.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QTimer;

namespace mlwb {

class Project;
class TrackingServer;

class TrackingServerController : public QObject {
    Q_OBJECT
public:
    explicit TrackingServerController(QObject *parent = nullptr);
    ~TrackingServerController() override;

    // Serves `project` on `listen` (HOST:PORT); a token from `tokenFile` (required off loopback).
    Status start(Project &project, const QString &listen, const QString &tokenFile);
    // Finishes the requests in flight and writes every point; the first failure, if any.
    Status stop();
    bool isServing() const { return bool(m_server); }
    // http://HOST:PORT while serving, else empty.
    QString url() const;
    int liveRuns() const { return m_liveRuns; }
    qint64 requests() const;

Q_SIGNALS:
    void stateChanged();
    void liveRunsChanged(int liveRuns);
    // A stop nobody asked for (the project closed) that could not write every point.
    void failed(const QString &why);

private:
    void poll();

    std::unique_ptr<TrackingServer> m_server;
    QPointer<Project> m_project;
    QMetaObject::Connection m_projectGone;
    QTimer *m_timer;
    int m_liveRuns = 0;
};

} // namespace mlwb
