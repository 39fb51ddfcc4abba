// SPDX-License-Identifier: MIT
#include "widgets/frozen_column_table.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace mlwb {

FrozenColumnTable::FrozenColumnTable(QWidget *parent)
    : QTableWidget(parent), m_frozen(new QTableView(this))
{
    m_frozen->setObjectName(QStringLiteral("frozenColumn"));
    m_frozen->setModel(model());
    m_frozen->setSelectionModel(selectionModel());
    m_frozen->setFocusPolicy(Qt::NoFocus);
    m_frozen->verticalHeader()->hide();
    m_frozen->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_frozen->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->setVerticalScrollMode(ScrollPerPixel);
    m_frozen->setFrameShape(QFrame::NoFrame);
    setHorizontalScrollMode(ScrollPerPixel);
    setVerticalScrollMode(ScrollPerPixel);
    viewport()->stackUnder(m_frozen);

    connect(horizontalHeader(), &QHeaderView::sectionResized, this,
            [this](int logical, int, int size) {
                if (logical == 0) {
                    m_frozen->setColumnWidth(0, size);
                    updateFrozenGeometry();
                }
            });
    connect(verticalHeader(), &QHeaderView::sectionResized, this,
            [this](int logical, int, int size) { m_frozen->setRowHeight(logical, size); });
    connect(m_frozen->verticalScrollBar(), &QAbstractSlider::valueChanged, verticalScrollBar(),
            &QAbstractSlider::setValue);
    connect(verticalScrollBar(), &QAbstractSlider::valueChanged, m_frozen->verticalScrollBar(),
            &QAbstractSlider::setValue);
    // Sorting by the frozen column from its own header.
    connect(m_frozen->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int c) {
        if (!isSortingEnabled())
            return;
        QHeaderView *h = horizontalHeader();
        const Qt::SortOrder order = h->sortIndicatorSection() == c &&
                                            h->sortIndicatorOrder() == Qt::AscendingOrder
                                        ? Qt::DescendingOrder
                                        : Qt::AscendingOrder;
        sortByColumn(c, order);
    });
    for (auto signal : {&QAbstractItemModel::columnsInserted, &QAbstractItemModel::columnsRemoved})
        connect(model(), signal, this, &FrozenColumnTable::syncFrozenColumn);
    connect(model(), &QAbstractItemModel::modelReset, this, &FrozenColumnTable::syncFrozenColumn);
    syncFrozenColumn();
}

FrozenColumnTable::~FrozenColumnTable()
{
    // The table's own model is a child: deleting it (after this destructor, in ~QWidget) resets
    // it, and the reset would reach syncFrozenColumn with the frozen view already gone.
    if (QAbstractItemModel *m = model())
        disconnect(m, nullptr, this, nullptr);
}

void FrozenColumnTable::syncFrozenColumn()
{
    const int columns = model()->columnCount();
    for (int c = 0; c < columns; ++c)
        m_frozen->setColumnHidden(c, c != 0);
    m_frozen->setVisible(columns > 0);
    if (columns > 0)
        m_frozen->setColumnWidth(0, columnWidth(0));
    m_frozen->horizontalHeader()->setFixedHeight(horizontalHeader()->height());
    m_frozen->verticalHeader()->setDefaultSectionSize(verticalHeader()->defaultSectionSize());
    for (int r = 0; r < rowCount(); ++r)
        m_frozen->setRowHeight(r, rowHeight(r));
    updateFrozenGeometry();
}

void FrozenColumnTable::resizeEvent(QResizeEvent *event)
{
    QTableWidget::resizeEvent(event);
    updateFrozenGeometry();
}

void FrozenColumnTable::updateFrozenGeometry()
{
    const int header = verticalHeader()->isVisible() ? verticalHeader()->width() : 0;
    m_frozen->setGeometry(header + frameWidth(), frameWidth(), columnWidth(0),
                          viewport()->height() + horizontalHeader()->height());
}

QModelIndex FrozenColumnTable::moveCursor(CursorAction cursorAction,
                                          Qt::KeyboardModifiers modifiers)
{
    // Keeps the cursor from hiding under the frozen column when moving left.
    const QModelIndex current = QTableWidget::moveCursor(cursorAction, modifiers);
    if (cursorAction == MoveLeft && current.column() > 0 &&
        visualRect(current).topLeft().x() < m_frozen->columnWidth(0)) {
        const int newValue = horizontalScrollBar()->value() + visualRect(current).topLeft().x() -
                             m_frozen->columnWidth(0);
        horizontalScrollBar()->setValue(newValue);
    }
    return current;
}

void FrozenColumnTable::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (index.column() > 0)
        QTableWidget::scrollTo(index, hint);
}

} // namespace mlwb
