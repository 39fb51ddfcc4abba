// SPDX-License-Identifier: MIT
#include "commands/command_registry.h"

#include <QtGlobal>

#include <algorithm>

namespace mlwb {

void CommandRegistry::add(Command command)
{
    Q_ASSERT_X(!command.id.isEmpty() && command.run, "CommandRegistry::add", "a command needs an id and run");
    Q_ASSERT_X(!m_index.contains(command.id), "CommandRegistry::add", "command ids are unique");
    m_index.insert(command.id, m_commands.size());
    m_commands.push_back(std::move(command));
}

const Command *CommandRegistry::find(const QString &id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.cend() ? nullptr : &m_commands[*it];
}

const Command *CommandRegistry::forDrop(const QString &suffix) const
{
    for (const Command &c : m_commands) {
        if (c.dropSuffixes.contains(suffix, Qt::CaseInsensitive))
            return &c;
    }
    return nullptr;
}

bool CommandRegistry::appliesTo(const Command &command, const QList<ItemRef> &selection)
{
    if (command.appliesTo.isEmpty())
        return true;
    if (selection.isEmpty())
        return false;
    return std::all_of(selection.begin(), selection.end(),
                       [&](const ItemRef &r) { return command.appliesTo.contains(r.kind); });
}

bool CommandRegistry::isEnabled(const Command &command, const CommandScope &scope)
{
    if (!scope.projectOpen)
        return false;
    if (command.needsWritable && !scope.writable)
        return false;
    return !command.enabled || command.enabled(scope);
}

} // namespace mlwb
