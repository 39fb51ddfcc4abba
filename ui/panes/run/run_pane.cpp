// SPDX-License-Identifier: MIT
#include "panes/run/run_pane.h"

#include "panes/run/evaluation_view.h"
#include "panes/run/run_overview.h"
#include "store/evaluation_repository.h"

#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace mlwb {

RunPane::RunPane(Project &project, qint64 runId, QWidget *parent)
    : QWidget(parent)
    , m_project(&project)
    , m_id(runId)
    , m_overview(new RunOverview(project, runId))
    , m_evaluation(new EvaluationView)
{
    setObjectName(QStringLiteral("runPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_overview);
    auto *scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_evaluation);
    split->addWidget(scroll);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split);
    connect(&project, &Project::runChanged, this, [this](qint64 id) {
        if (id == m_id && !m_evaluation->hasReport())
            reloadEvaluation();
    });
    reloadEvaluation();
    scroll->setVisible(m_evaluation->hasReport());
    connect(&project, &Project::runChanged, scroll, [this, scroll](qint64 id) {
        if (id == m_id)
            scroll->setVisible(m_evaluation->hasReport());
    });
}

void RunPane::reloadEvaluation()
{
    if (!m_project)
        return;
    auto run = m_project->runs().get(m_id);
    if (!run.ok() || run->status != RunStatus::Finished) {
        m_evaluation->setReport({}, QString());
        return;
    }
    EvaluationRepository evaluations(m_project->db());
    auto test = evaluations.get(m_id, run->datasetId, QStringLiteral("test"));
    if (test.ok()) {
        m_evaluation->setReport(test->report, tr("Evaluation on the test split"));
        return;
    }
    // No test split stored: the last report of the run, whatever its split.
    auto all = evaluations.forRun(m_id);
    if (all.ok() && !all->isEmpty())
        m_evaluation->setReport(all->last().report,
                                tr("Evaluation on the %1 split").arg(all->last().split));
    else
        m_evaluation->setReport({}, QString());
}

} // namespace mlwb
