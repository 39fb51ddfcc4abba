// SPDX-License-Identifier: MIT
#include "panes/run/run_pane.h"

#include "panes/run/evaluation_view.h"
#include "panes/run/run_overview.h"
#include "jobs/job_manager.h"
#include "store/evaluation_repository.h"
#include "widgets/icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace mlwb {

RunPane::RunPane(Project &project, qint64 runId, QWidget *parent)
    : QWidget(parent), m_project(&project), m_id(runId), m_jobBar(new RunJobBar(runId, this)),
      m_overview(new RunOverview(project, runId)), m_evaluation(new EvaluationView),
      m_tabs(new QTabWidget(this)), m_evaluationStack(new QStackedWidget),
      m_noEvaluation(new QLabel), m_resumeBar(new QWidget(this)), m_resumeText(new QLabel(m_resumeBar)),
      m_resume(new QPushButton(Icons::themed(QStringLiteral("media-seek-forward")), tr("&Resume"),
                               m_resumeBar))
{
    setObjectName(QStringLiteral("runPane"));
    auto *layout = new QVBoxLayout(this);
    // The run's name and status stay visible above both tabs.
    QLabel *header = m_overview->header();
    m_overview->layout()->removeWidget(header);
    header->setParent(this);
    m_headerRow = new QHBoxLayout;
    m_headerRow->addWidget(header, 1);
    layout->addLayout(m_headerRow);
    layout->addWidget(m_jobBar);
    auto *resumeLayout = new QHBoxLayout(m_resumeBar);
    resumeLayout->setContentsMargins(0, 0, 0, 0);
    resumeLayout->addWidget(m_resumeText, 1);
    m_resume->setObjectName(QStringLiteral("runResume"));
    m_resume->setToolTip(tr("Continue training from the latest checkpoint (Run > Resume)"));
    resumeLayout->addWidget(m_resume);
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (m_control.resume)
            m_control.resume(m_id);
    });
    m_resumeBar->hide();
    layout->addWidget(m_resumeBar);

    m_noEvaluation->setAlignment(Qt::AlignCenter);
    m_noEvaluation->setWordWrap(true);
    m_noEvaluation->setEnabled(false);
    m_evaluationStack->addWidget(m_noEvaluation);
    m_evaluationStack->addWidget(m_evaluation);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_overview, tr("&Training"));
    m_tabs->addTab(m_evaluationStack, tr("&Evaluation"));
    layout->addWidget(m_tabs, 1);

    connect(&project, &Project::runChanged, this, [this](qint64 id) {
        if (id == m_id)
            updateResume();
        if (id != m_id || m_evaluation->hasReport())
            return;
        reloadEvaluation();
        // A run watched to its end: its evaluation is what to look at next.
        if (m_evaluation->hasReport())
            m_tabs->setCurrentWidget(m_evaluationStack);
    });
    reloadEvaluation();
    if (m_evaluation->hasReport())
        m_tabs->setCurrentWidget(m_evaluationStack);
}

QToolButton *RunPane::addHeaderAction(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_headerRow->addWidget(button, 0, Qt::AlignTop);
    return button;
}

void RunPane::setJobControl(const RunJobControl &control)
{
    m_jobBar->setControl(control);
    if (m_control.jobs)
        disconnect(m_control.jobs, nullptr, this, nullptr);
    m_control = control;
    if (control.jobs) {
        connect(control.jobs, &JobManager::jobAdded, this, &RunPane::updateResume);
        connect(control.jobs, &JobManager::jobFinished, this, &RunPane::updateResume);
    }
    updateResume();
}

void RunPane::updateResume()
{
    if (!m_project)
        return;
    auto run = m_project->runs().get(m_id);
    const int job = m_control.jobOfRun ? m_control.jobOfRun(m_id) : 0;
    const auto jobStatus = job && m_control.jobs ? m_control.jobs->job(job).status : JobState::Status::Finished;
    const bool training = job && (jobStatus == JobState::Status::Queued || jobStatus == JobState::Status::Running);
    const bool show = run.ok() && run->status == RunStatus::Interrupted && !training
        && m_control.resume && !m_project->isReadOnly();
    if (show)
        m_resumeText->setText(tr("Training was interrupted after epoch %1 of %2; it can continue "
                                 "from there.")
                                  .arg(run->summary.value(QStringLiteral("epochs_run")).toInt())
                                  .arg(run->hyperparams.value(QStringLiteral("epochs")).toInt()));
    m_resumeBar->setVisible(show);
}

QString RunPane::evaluationPlaceholder() const
{
    return m_noEvaluation->text();
}

void RunPane::reloadEvaluation()
{
    if (!m_project)
        return;
    auto run = m_project->runs().get(m_id);
    const RunStatus status = run.ok() ? run->status : RunStatus::Failed;
    if (status == RunStatus::Finished) {
        EvaluationRepository evaluations(m_project->db());
        auto test = evaluations.get(m_id, run->datasetId, QStringLiteral("test"));
        if (test.ok()) {
            m_evaluation->setReport(test->report, tr("Evaluation on the test split"));
        } else if (auto all = evaluations.forRun(m_id); all.ok() && !all->isEmpty()) {
            // No test split stored: the last report of the run, whatever its split.
            m_evaluation->setReport(all->last().report,
                                    tr("Evaluation on the %1 split").arg(all->last().split));
        } else {
            m_evaluation->setReport({}, QString());
        }
    } else {
        m_evaluation->setReport({}, QString());
    }
    if (m_evaluation->hasReport()) {
        m_evaluationStack->setCurrentWidget(m_evaluation);
        return;
    }
    switch (status) {
    case RunStatus::Queued:
    case RunStatus::Running:
        m_noEvaluation->setText(tr("The evaluation on the test split appears here when "
                                   "training finishes."));
        break;
    case RunStatus::Finished:
        m_noEvaluation->setText(
            tr("No evaluation is stored for this run.\nEvaluate it from the command line: "
               "mlwb eval %1 --run %2")
                .arg(m_project->path())
                .arg(m_id));
        break;
    case RunStatus::Failed:
    case RunStatus::Interrupted:
        m_noEvaluation->setText(status == RunStatus::Interrupted
                                    ? tr("This run did not finish, so it has no evaluation yet.\n"
                                         "Resume it (Run > Resume) to continue training.")
                                    : tr("This run did not finish, so it has no evaluation.\n"
                                         "Train the model again with Run > Train (Ctrl+R)."));
        break;
    }
    m_evaluationStack->setCurrentWidget(m_noEvaluation);
}

} // namespace mlwb
