// SPDX-License-Identifier: MIT
#pragma once

// RunJobBar: the strip on a run's tab while this process trains it: progress with ETA, the
// trainer's last message ("epoch 3/30, loss 0.412") and Stop, which goes through the window's
// stop hook (the same as Run > Stop, Ctrl+.). Hidden when no job of this process runs the run.

#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace mlwb {

class JobManager;

// How a run's tab reaches the job that trains it; set by whoever installs the run documents.
struct RunJobControl {
    JobManager *jobs = nullptr;
    std::function<int(qint64 runId)> jobOfRun; // 0 when no job of this process trains it
    std::function<void(qint64 runId)> stop;
    std::function<void(qint64 runId)> resume; // continues an interrupted run (Run > Resume)
};

class RunJobBar : public QWidget {
    Q_OBJECT
public:
    explicit RunJobBar(qint64 runId, QWidget *parent = nullptr);

    void setControl(const RunJobControl &control);
    // Reads the job's state again (done on every change the JobManager reports).
    void refresh();

    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *stopButton() const { return m_stop; }
    QLabel *messageLabel() const { return m_message; }
    int jobId() const { return m_job; }

private:
    qint64 m_runId;
    RunJobControl m_control;
    QPointer<JobManager> m_jobs;
    int m_job = 0;
    bool m_stopping = false;
    QProgressBar *m_progress;
    QLabel *m_message;
    QPushButton *m_stop;
};

} // namespace mlwb
