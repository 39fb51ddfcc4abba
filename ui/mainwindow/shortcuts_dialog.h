// SPDX-License-Identifier: MIT
#pragma once

// ShortcutsDialog (Help > Keyboard Shortcuts): every action of the window that has a shortcut,
// grouped by its menu, read from the actions themselves when the dialog opens, so the list
// never goes stale. Actions outside the menus (a pane's own, such as the builder's reorder
// keys) are listed under "Panes". A filter narrows the list by name or key.

#include <QDialog>
#include <QList>

class QLineEdit;
class QMainWindow;
class QTreeWidget;

namespace mlwb {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    struct Entry {
        QString group;  // the menu's title without its mnemonic ("Edit")
        QString action; // "Rename"
        QString keys;   // "F2", native text; several joined with ", "
    };

    explicit ShortcutsDialog(QMainWindow *window, QWidget *parent = nullptr);

    // What the dialog lists, in its order: the menus left to right, then the panes' actions.
    static QList<Entry> collect(QMainWindow *window);
    QTreeWidget *list() const { return m_list; }
    QLineEdit *filter() const { return m_filter; }

private:
    void applyFilter(const QString &text);

    QLineEdit *m_filter;
    QTreeWidget *m_list;
};

} // namespace mlwb
