// SPDX-License-Identifier: MIT
#pragma once

// CommandRegistry: every command a feature adds to the window, declared once: id, text, icon,
// shortcut, where it appears (a menu and a group in it, a toolbar group, the explorer's context
// menu), which selections it applies to, when it is enabled and what it does. MainWindow builds
// its menus, toolbar and context menu from it and keeps the actions' states current; a new
// capability registers its commands from its own feature file and touches nothing central.

#include "common/item_ref.h"

#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QString>

#include <functional>
#include <vector>

class QAction;
class QObject;

namespace mlwb {

class WorkbenchContext;

// What a command sees when asked whether it can run, and when it runs.
struct CommandScope {
    WorkbenchContext &workbench;
    QList<ItemRef> selection; // the explorer's selection
    ItemRef document;         // the item of the active document tab (invalid: none)
    bool projectOpen = false;
    bool writable = false;    // open and not read-only
    QString path;             // a dropped file, for commands that accept drops; else empty
};

struct Command {
    QString id;       // "train.run": also the action's objectName ("command.train.run")
    QString text;     // menu text with its & mnemonic
    QString iconName; // a freedesktop theme name ("media-playback-start")
    QKeySequence shortcut;
    QString toolTip;
    // Where it appears. menu: a top-level menu's title ("&File", "&Run"; created on demand after
    // the built-in ones); group: commands of one group sit together, groups are separated.
    QString menu;
    QString menuGroup;
    QString toolBarGroup; // empty: not on the toolbar
    bool contextMenu = false;
    // Offered as a button where an empty project shows what to do next (the explorer's and
    // the centre's empty states): the first steps of a project, such as importing a data set.
    bool firstStep = false;
    // The item kinds the command applies to (every selected item must be one of them);
    // empty: it does not depend on the selection.
    QList<ItemKind> appliesTo;
    // File suffixes the command takes when such a file is dropped on the window ("csv").
    QStringList dropSuffixes;
    bool needsWritable = false; // disabled on a read-only project
    // From the menu, toolbar or shortcut it acts on the active document's item when that is of
    // a kind it applies to (Stop on the run training in the current tab), else on the
    // selection; from the explorer (focus there, its context menu) on the selection.
    bool followsDocument = false;
    std::function<bool(const CommandScope &)> enabled; // empty: whenever a project is open
    std::function<void(const CommandScope &)> run;     // required
};

class CommandRegistry {
public:
    // Registration order is menu order within a group. Ids are unique.
    void add(Command command);
    const std::vector<Command> &commands() const { return m_commands; }
    const Command *find(const QString &id) const;
    // The command that takes a dropped file with this suffix, or nullptr.
    const Command *forDrop(const QString &suffix) const;

    // Whether the command can run in this scope (its kinds, writability, predicate).
    static bool isEnabled(const Command &command, const CommandScope &scope);
    // Whether it belongs in the explorer's context menu for this selection.
    static bool appliesTo(const Command &command, const QList<ItemRef> &selection);

private:
    std::vector<Command> m_commands;
    QHash<QString, size_t> m_index;
};

} // namespace mlwb
