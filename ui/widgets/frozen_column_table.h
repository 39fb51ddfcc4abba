// SPDX-License-Identifier: MIT
#pragma once

// FrozenColumnTable: a QTableWidget whose first column (a run's name, a key) stays in place
// while the other columns scroll sideways, as Qt's frozen column example does: a second view
// over the same model and selection shows only that column above the table's left edge.

#include <QTableWidget>

class QTableView;

namespace mlwb {

class FrozenColumnTable : public QTableWidget {
    Q_OBJECT
public:
    explicit FrozenColumnTable(QWidget *parent = nullptr);
    ~FrozenColumnTable() override;

    // The view that shows the first column over the scrolled ones.
    QTableView *frozenView() const { return m_frozen; }
    // Shows only the first column in the frozen view again (after columns were added).
    void syncFrozenColumn();

protected:
    void resizeEvent(QResizeEvent *event) override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;

private:
    void updateFrozenGeometry();

    QTableView *m_frozen;
};

} // namespace mlwb
