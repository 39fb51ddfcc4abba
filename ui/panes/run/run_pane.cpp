// SPDX-License-Identifier: MIT
#include "panes/run/run_pane.h"

#include "panes/run/evaluation_view.h"
#include "panes/run/run_overview.h"
#include "store/evaluation_repository.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace mlwb {

RunPane::RunPane(Project &project, qint64 runId, QWidget *parent)
    : QWidget(parent), m_project(&project), m_id(runId), m_jobBar(new RunJobBar(runId, this)),
      m_overview(new RunOverview(project, runId)), m_evaluation(new EvaluationView),
      m_tabs(new QTabWidget(this)), m_evaluationStack(new QStackedWidget),
      m_noEvaluation(new QLabel)
{
    setObjectName(QStringLiteral("runPane"));
    auto *layout = new QVBoxLayout(this);
    // The run's name and status stay visible above both tabs.
    QLabel *header = m_overview->header();
    m_overview->layout()->removeWidget(header);
    header->setParent(this);
    layout->addWidget(header);
    layout->addWidget(m_jobBar);

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

void RunPane::setJobControl(const RunJobControl &control)
{
    m_jobBar->setControl(control);
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
        m_noEvaluation->setText(tr("This run did not finish, so it has no evaluation.\n"
                                   "Train the model again with Run > Train (Ctrl+R)."));
        break;
    }
    m_evaluationStack->setCurrentWidget(m_noEvaluation);
}

} // namespace mlwb
