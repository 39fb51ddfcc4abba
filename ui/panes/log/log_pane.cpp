// SPDX-License-Identifier: MIT
#include "panes/log/log_pane.h"

#include "models/log_model.h"
#include "settings/workbench_settings.h"
#include "widgets/icons.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace mlwb {

namespace {

// Text in any column, and a minimum level.
class LogFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setMinimumLevel(int rank)
    {
        m_minRank = rank;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex idx = sourceModel()->index(row, 0, parent);
        if (levelRank(QtMsgType(idx.data(LogModel::LevelRole).toInt())) < m_minRank)
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    static int levelRank(QtMsgType t)
    {
        switch (t) {
        case QtDebugMsg:
            return 0;
        case QtInfoMsg:
            return 1;
        case QtWarningMsg:
            return 2;
        case QtCriticalMsg:
            return 3;
        case QtFatalMsg:
            return 4;
        }
        return 0;
    }
    int m_minRank = 0;
};

} // namespace

LogPane::LogPane(LogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new LogFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_level(new QComboBox(this))
    , m_view(new QTreeView(this))
{
    setObjectName(QStringLiteral("LogPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(4, 4, 4, 0);
    m_filter->setObjectName(QStringLiteral("LogFilter"));
    m_filter->setPlaceholderText(tr("Filter messages"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setText(settings::logFilter.value());
    m_level->addItems(
        {tr("All levels"), tr("Info and above"), tr("Warnings and errors"), tr("Errors only")});
    auto *clear = new QToolButton(this);
    clear->setIcon(Icons::themed(QStringLiteral("edit-clear-all")));
    clear->setToolTip(tr("Clear the log"));
    clear->setAutoRaise(true);
    top->addWidget(m_filter, 1);
    top->addWidget(m_level);
    top->addWidget(clear);
    layout->addLayout(top);
    layout->addWidget(m_view);

    m_proxy->setSourceModel(model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterFixedString(m_filter->text());
    m_view->setObjectName(QStringLiteral("LogView"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setSectionResizeMode(LogModel::TimeColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(LogModel::LevelColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(LogModel::CategoryColumn, QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(true);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        settings::logFilter.setValue(text);
    });
    connect(m_level, &QComboBox::currentIndexChanged, this, [this](int index) {
        // 0 all, 1 info+, 2 warning+, 3 critical+
        static_cast<LogFilterProxy *>(m_proxy)->setMinimumLevel(index);
    });
    connect(clear, &QToolButton::clicked, model, &LogModel::clear);
    // Follow the newest message unless the user scrolled away from the bottom.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar *sb = m_view->verticalScrollBar();
        m_view->setProperty("follow", sb->value() >= sb->maximum() - 2);
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->property("follow").toBool())
            m_view->scrollToBottom();
    });
}

} // namespace mlwb
