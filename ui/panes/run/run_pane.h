// SPDX-License-Identifier: MIT
#pragma once

// RunPane: a run's document tab. The run's name and status on top, with progress and Stop while
// this process trains it (RunJobBar), or Resume while it is interrupted; below, two tabs: Training (RunOverview: latest metrics,
// hyperparameters, live charts against step, epoch or wall time) and Evaluation (the report on
// the test split once the run has finished; until then it says when it will appear). The tab
// switches to Evaluation when a run it watched finishes.

#include "panes/run/run_job_bar.h"
#include "store/project.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QToolButton;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace mlwb {

class EvaluationView;
class RunOverview;

class RunPane : public QWidget {
    Q_OBJECT
public:
    RunPane(Project &project, qint64 runId, QWidget *parent = nullptr);

    RunOverview *overview() const { return m_overview; }
    EvaluationView *evaluation() const { return m_evaluation; }
    RunJobBar *jobBar() const { return m_jobBar; }
    QTabWidget *tabs() const { return m_tabs; }
    // Shown while the run is interrupted and no job trains it: Resume continues it.
    QPushButton *resumeButton() const { return m_resume; }
    // The Evaluation tab's text while there is no report.
    QString evaluationPlaceholder() const;

    void setJobControl(const RunJobControl &control);
    // A button beside the run's name for an action of a later area (Create Package…).
    QToolButton *addHeaderAction(QAction *action);
    // Reads the evaluation again (when the run has finished).
    void reloadEvaluation();

private:
    void updateResume();

    QPointer<Project> m_project;
    qint64 m_id;
    QHBoxLayout *m_headerRow;
    RunJobBar *m_jobBar;
    RunOverview *m_overview;
    EvaluationView *m_evaluation;
    QTabWidget *m_tabs;
    QStackedWidget *m_evaluationStack;
    QLabel *m_noEvaluation;
    QWidget *m_resumeBar;
    QLabel *m_resumeText;
    QPushButton *m_resume;
    RunJobControl m_control;
};

} // namespace mlwb
