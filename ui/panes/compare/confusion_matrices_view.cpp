// SPDX-License-Identifier: MIT
#include "panes/compare/confusion_matrices_view.h"

#include "charts/confusion_matrix_view.h"
#include "store/evaluation_repository.h"
#include "store/project.h"

#include <QGridLayout>
#include <QJsonArray>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

constexpr int kColumns = 3;

// The report the run pane shows too: the test split, else the newest of any split.
const EvaluationRecord *pick(const QList<EvaluationRecord> &all)
{
    for (const EvaluationRecord &r : all)
        if (r.split == u"test")
            return &r;
    return all.isEmpty() ? nullptr : &all.last();
}

} // namespace

ConfusionMatricesView::ConfusionMatricesView(Project &project, QWidget *parent)
    : QWidget(parent), m_project(&project), m_grid(new QWidget), m_missingLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("confusionMatrices"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_grid);
    new QGridLayout(m_grid);
    m_missingLabel->setWordWrap(true);
    m_missingLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_missingLabel);
}

void ConfusionMatricesView::setRuns(const QList<RunInfo> &runs)
{
    m_runs = runs;
    reload();
}

void ConfusionMatricesView::reload()
{
    m_matrices.clear();
    m_missing.clear();
    auto *grid = static_cast<QGridLayout *>(m_grid->layout());
    while (QLayoutItem *item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (!m_project)
        return;
    EvaluationRepository evaluations(m_project->db());
    for (const RunInfo &run : std::as_const(m_runs)) {
        auto all = evaluations.forRun(run.id);
        const EvaluationRecord *record = all.ok() ? pick(*all) : nullptr;
        const QJsonArray rows =
            record ? record->report.value(QStringLiteral("confusion_matrix")).toArray()
                   : QJsonArray();
        if (rows.isEmpty()) {
            m_missing << run.name;
            continue;
        }
        Matrix m;
        m.runId = run.id;
        m.split = record->split;
        for (const QJsonValue &c : record->report.value(QStringLiteral("per_class")).toArray())
            m.classes << c.toObject().value(QStringLiteral("name")).toString();
        if (m.classes.isEmpty())
            for (const QJsonValue &c : record->report.value(QStringLiteral("classes")).toArray())
                m.classes << c.toString();
        for (const QJsonValue &rowValue : rows) {
            std::vector<qint64> row;
            for (const QJsonValue &v : rowValue.toArray())
                row.push_back(qint64(std::llround(v.toDouble())));
            m.counts.push_back(std::move(row));
        }
        const int index = int(m_matrices.size());
        auto *cell = new QWidget;
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(4, 4, 4, 4);
        auto *title = new QLabel(
            tr("<span style=\"color:%1\">\u25a0</span> <b>%2</b> \u2013 %3 split")
                .arg(run.color.name(), run.name.toHtmlEscaped(), m.split.toHtmlEscaped()),
            cell);
        auto *view = new ConfusionMatrixView(cell);
        view->setMatrix(m.classes, m.counts);
        view->setMinimumSize(view->minimumSizeHint().expandedTo(QSize(220, 200)));
        cellLayout->addWidget(title);
        cellLayout->addWidget(view, 1);
        grid->addWidget(cell, index / kColumns, index % kColumns);
        m_matrices << std::move(m);
    }
    if (m_matrices.isEmpty()) {
        auto *none = new QLabel(tr("None of these runs has a stored classification evaluation."));
        none->setAlignment(Qt::AlignCenter);
        none->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(none, 0, 0);
    }
    m_missingLabel->setVisible(!m_missing.isEmpty() && !m_matrices.isEmpty());
    m_missingLabel->setText(tr("No confusion matrix (no classification evaluation stored): %1")
                                .arg(m_missing.join(QStringLiteral(", "))));
}

} // namespace mlwb
