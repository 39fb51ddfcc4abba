// SPDX-License-Identifier: MIT
#pragma once

// RunPane: a run's document tab. The RunOverview (status, metrics, hyperparameters, live
// charts) above, and once the run has finished, its evaluation on the test split below.

#include "store/project.h"

#include <QPointer>
#include <QWidget>

namespace mlwb {

class EvaluationView;
class RunOverview;

class RunPane : public QWidget {
    Q_OBJECT
public:
    RunPane(Project &project, qint64 runId, QWidget *parent = nullptr);

    RunOverview *overview() const { return m_overview; }
    EvaluationView *evaluation() const { return m_evaluation; }
    // Reads the evaluation again (when the run has finished).
    void reloadEvaluation();

private:
    QPointer<Project> m_project;
    qint64 m_id;
    RunOverview *m_overview;
    EvaluationView *m_evaluation;
};

} // namespace mlwb
