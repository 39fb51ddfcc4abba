// SPDX-License-Identifier: MIT
#pragma once

// StartPage: what the document area shows while no project is open: New, Open, the demo
// project, and the recent projects with their path and last change. "Open demo project" builds
// the demo first when it is missing (a DemoProjectJob on the window's JobManager, its progress
// shown here and in the Jobs pane) and opens it when the build is done.

#include <QWidget>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace mlwb {

class JobManager;

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    // Re-reads the recent projects and looks for the demo project.
    void refresh();
    // Where the demo project is, or goes when it is built: $MLWB_DEMO_PROJECT; else
    // ../demo/demo.mlwb beside the executable when it exists there or that folder is writable;
    // else demo.mlwb in the application's data folder (QStandardPaths::AppDataLocation).
    static QString demoProjectPath();

    // The jobs the demo build runs on (the window's), and the folder of the data sets it
    // imports (DemoProject::datasetsDir, decided by the executable).
    void setJobManager(JobManager *jobs);
    void setDemoDatasetsDir(const QString &dir) { m_datasetsDir = dir; }
    QString demoDatasetsDir() const { return m_datasetsDir; }
    // The demo build's job id while it is queued or running, else 0.
    int demoJob() const { return m_demoJob; }

    QListWidget *recentList() const { return m_recent; }

Q_SIGNALS:
    void newRequested();
    void openRequested();
    void openPathRequested(const QString &path);

private:
    void openOrBuildDemo();
    void showDemoProgress();

    JobManager *m_jobs = nullptr; // the window's, which outlives this page
    QString m_datasetsDir;
    int m_demoJob = 0;
    QPushButton *m_demo;
    QLabel *m_demoHint;
    QWidget *m_demoBuild;
    QProgressBar *m_demoProgress;
    QLabel *m_demoStatus;
    QPushButton *m_demoCancel;
    QListWidget *m_recent;
    QLabel *m_recentEmpty;
};

} // namespace mlwb
