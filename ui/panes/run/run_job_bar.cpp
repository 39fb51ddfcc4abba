// SPDX-License-Identifier: MIT
#include "panes/run/run_job_bar.h"

#include "jobs/job_manager.h"
#include "common/format.h"
#include "widgets/icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <cmath>

namespace mlwb {

RunJobBar::RunJobBar(qint64 runId, QWidget *parent)
    : QWidget(parent), m_runId(runId), m_progress(new QProgressBar(this)),
      m_message(new QLabel(this)),
      m_stop(new QPushButton(Icons::themed(QStringLiteral("process-stop")), tr("Stop"), this))
{
    setObjectName(QStringLiteral("runJobBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setMinimumWidth(220);
    m_progress->setMaximumWidth(420);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stop->setObjectName(QStringLiteral("runStop"));
    m_stop->setToolTip(tr("Stop training this run (Run > Stop, Ctrl+.); it keeps what it has "
                          "learned and can be resumed"));
    layout->addWidget(m_progress);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_stop);
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (!m_control.stop)
            return;
        m_stopping = true;
        m_control.stop(m_runId);
        refresh();
    });
    hide();
}

void RunJobBar::setControl(const RunJobControl &control)
{
    if (m_jobs)
        disconnect(m_jobs, nullptr, this, nullptr);
    m_control = control;
    m_jobs = control.jobs;
    if (m_jobs) {
        connect(m_jobs, &JobManager::jobAdded, this, [this] { refresh(); });
        connect(m_jobs, &JobManager::jobChanged, this, [this](int id) {
            if (id == m_job || m_job == 0)
                refresh();
        });
        connect(m_jobs, &JobManager::jobFinished, this, [this](int id) {
            if (id == m_job)
                refresh();
        });
    }
    refresh();
}

void RunJobBar::refresh()
{
    if (m_control.jobOfRun)
        m_job = m_control.jobOfRun(m_runId);
    const JobState job = m_jobs && m_job ? m_jobs->job(m_job) : JobState{};
    const bool active = m_job && (job.status == JobState::Status::Queued ||
                                  job.status == JobState::Status::Running);
    setVisible(active);
    if (!active) {
        m_stopping = false;
        return;
    }
    const int value = int(std::lround(std::clamp(job.progress, 0.0, 1.0) * 1000));
    m_progress->setValue(value);
    QString text =
        job.status == JobState::Status::Queued ? tr("queued") : tr("%1%").arg(value / 10);
    if (job.etaSeconds >= 0)
        text += tr(" \u00b7 ETA %1").arg(Format::duration(job.etaSeconds));
    m_progress->setFormat(text);
    m_message->setText(m_stopping ? tr("Stopping after the current batch\u2026") : job.message);
    m_stop->setEnabled(!m_stopping && bool(m_control.stop));
    m_stop->setText(m_stopping ? tr("Stopping\u2026") : tr("Stop"));
}

} // namespace mlwb
