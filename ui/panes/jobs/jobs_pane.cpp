// SPDX-License-Identifier: MIT
#include "panes/jobs/jobs_pane.h"

#include "jobs/job_manager.h"
#include "models/job_list_model.h"
#include "panes/jobs/job_progress_delegate.h"
#include "widgets/icons.h"

#include <QHeaderView>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace mlwb {

JobsPane::JobsPane(JobManager *manager, QWidget *parent)
    : QWidget(parent)
    , m_manager(manager)
    , m_model(new JobListModel(manager, this))
    , m_view(new QTreeView(this))
{
    setObjectName(QStringLiteral("JobsPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    QAction *clear =
        bar->addAction(Icons::themed(QStringLiteral("edit-clear-history")), tr("Clear finished"));
    clear->setToolTip(tr("Remove ended jobs from the list"));
    connect(clear, &QAction::triggered, manager, &JobManager::clearFinished);
    layout->addWidget(bar);
    layout->addWidget(m_view);

    m_view->setObjectName(QStringLiteral("JobsView"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setItemDelegateForColumn(JobListModel::ProgressColumn, new JobProgressDelegate(m_view));
    auto *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(JobListModel::TitleColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(JobListModel::ProgressColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JobListModel::EtaColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(JobListModel::CancelColumn, QHeaderView::ResizeToContents);
    header->resizeSection(JobListModel::TitleColumn, 240);
    // No header is ever cut ("Progres"): every section is at least as wide as its title.
    int widest = 0;
    for (int c = 0; c < m_model->columnCount(); ++c)
        widest = std::max(widest, header->fontMetrics().horizontalAdvance(
                                      m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()));
    header->setMinimumSectionSize(widest + 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin) + 8);

    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { addCancelButtons(first, last); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_model->rowCount() > 0)
            addCancelButtons(0, m_model->rowCount() - 1);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPane::updateButtons);
    if (m_model->rowCount() > 0)
        addCancelButtons(0, m_model->rowCount() - 1);
}

void JobsPane::addCancelButtons(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        const int id = m_model->jobId(row);
        auto *button = new QToolButton(m_view);
        button->setObjectName(QStringLiteral("cancelJob%1").arg(id));
        button->setAutoRaise(true);
        button->setIcon(Icons::themed(QStringLiteral("process-stop")));
        button->setText(tr("Cancel"));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setToolTip(tr("Cancel \u201c%1\u201d").arg(m_model->state(row).title));
        connect(button, &QToolButton::clicked, this, [this, id, button] {
            m_manager->cancel(id);
            button->setEnabled(false);
        });
        m_view->setIndexWidget(m_model->index(row, JobListModel::CancelColumn), button);
    }
    updateButtons();
}

void JobsPane::updateButtons()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        QWidget *w = m_view->indexWidget(m_model->index(row, JobListModel::CancelColumn));
        if (w && !JobListModel::isActive(m_model->state(row)))
            w->setEnabled(false);
    }
}

} // namespace mlwb
