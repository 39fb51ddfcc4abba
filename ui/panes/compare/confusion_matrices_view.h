// SPDX-License-Identifier: MIT
#pragma once

// ConfusionMatricesView: the confusion matrix of every compared run that has a stored
// classification evaluation (the test split when there is one), side by side under the run's
// name in its colour; runs without one are named below.

#include <QColor>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <vector>

class QGridLayout;
class QLabel;

namespace mlwb {

class Project;

class ConfusionMatricesView : public QWidget {
    Q_OBJECT
public:
    struct RunInfo {
        qint64 id = 0;
        QString name;
        QColor color;
    };
    struct Matrix {
        qint64 runId = 0;
        QString split;
        QStringList classes;
        std::vector<std::vector<qint64>> counts;
    };

    explicit ConfusionMatricesView(Project &project, QWidget *parent = nullptr);

    void setRuns(const QList<RunInfo> &runs);
    void reload();
    const QList<Matrix> &matrices() const { return m_matrices; }
    // Runs shown without a matrix (no evaluation stored, or a regression).
    const QStringList &missing() const { return m_missing; }

private:
    QPointer<Project> m_project;
    QList<RunInfo> m_runs;
    QList<Matrix> m_matrices;
    QStringList m_missing;
    QWidget *m_grid;
    QLabel *m_missingLabel;
};

} // namespace mlwb
