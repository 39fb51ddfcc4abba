// SPDX-License-Identifier: MIT
#include "mainwindow/shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mlwb {

namespace {

QString withoutMnemonic(QString text)
{
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text;
}

QString keysOf(const QAction *action)
{
    QStringList keys;
    for (const QKeySequence &k : action->shortcuts())
        keys << k.toString(QKeySequence::NativeText);
    return keys.join(QStringLiteral(", "));
}

void collectMenu(const QMenu *menu, const QString &group, QList<ShortcutsDialog::Entry> &out,
                 QSet<const QAction *> &seen)
{
    for (QAction *a : menu->actions()) {
        if (a->menu()) {
            collectMenu(a->menu(), group, out, seen);
            continue;
        }
        if (a->isSeparator() || a->shortcuts().isEmpty() || seen.contains(a))
            continue;
        seen.insert(a);
        out.append({group, withoutMnemonic(a->text()), keysOf(a)});
    }
}

} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::collect(QMainWindow *window)
{
    QList<Entry> out;
    QSet<const QAction *> seen;
    for (QAction *top : window->menuBar()->actions())
        if (QMenu *menu = top->menu())
            collectMenu(menu, withoutMnemonic(menu->title()), out, seen);
    // The rest: actions the panes and open documents add to themselves.
    QList<Entry> panes;
    QSet<QString> listed;
    for (const Entry &e : std::as_const(out))
        listed.insert(e.action + QLatin1Char('\t') + e.keys);
    for (QAction *a : window->findChildren<QAction *>()) {
        if (seen.contains(a) || a->shortcuts().isEmpty() || a->text().isEmpty())
            continue;
        Entry e{tr("Panes"), withoutMnemonic(a->text()), keysOf(a)};
        const QString key = e.action + QLatin1Char('\t') + e.keys;
        if (listed.contains(key))
            continue;
        listed.insert(key);
        panes << e;
    }
    std::sort(panes.begin(), panes.end(),
              [](const Entry &a, const Entry &b) { return a.action < b.action; });
    return out + panes;
}

ShortcutsDialog::ShortcutsDialog(QMainWindow *window, QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_list(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("ShortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    resize(520, 560);
    auto *layout = new QVBoxLayout(this);
    m_filter->setObjectName(QStringLiteral("ShortcutFilter"));
    m_filter->setPlaceholderText(tr("Filter by action or key"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    m_list->setObjectName(QStringLiteral("ShortcutList"));
    m_list->setHeaderLabels({tr("Action"), tr("Shortcut")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(false);
    QTreeWidgetItem *group = nullptr;
    for (const Entry &e : collect(window)) {
        if (!group || group->text(0) != e.group) {
            group = new QTreeWidgetItem(m_list, {e.group});
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
            group->setFirstColumnSpanned(true);
            group->setFlags(Qt::ItemIsEnabled);
        }
        auto *item = new QTreeWidgetItem(group, {e.action, e.keys});
        item->setFlags(Qt::ItemIsEnabled);
    }
    m_list->expandAll();
    layout->addWidget(m_list, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutsDialog::applyFilter);
}

void ShortcutsDialog::applyFilter(const QString &text)
{
    for (int g = 0; g < m_list->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_list->topLevelItem(g);
        int shown = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem *item = group->child(i);
            const bool match = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive) ||
                               item->text(1).contains(text, Qt::CaseInsensitive);
            item->setHidden(!match);
            shown += match;
        }
        group->setHidden(shown == 0);
    }
}

} // namespace mlwb
