// SPDX-License-Identifier: MIT
#include "commands/delete_item_command.h"

#include "models/item_kind_registry.h"
#include "store/project.h"

#include <QCoreApplication>

namespace mlwb {

DeleteItemCommand::DeleteItemCommand(CommandContext context, ItemRef ref, const QString &name,
                                     QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_context(std::move(context))
    , m_ref(ref)
{
    const auto *kind = m_context.kinds ? m_context.kinds->kind(ref.kind) : nullptr;
    setText(QCoreApplication::translate("mlwb", "Delete %1 \u201c%2\u201d")
                .arg(kind ? kind->typeName.toLower() : QString(), name));
}

void DeleteItemCommand::redo()
{
    Project *project = m_context.project;
    const auto *kind = m_context.kinds ? m_context.kinds->kind(m_ref.kind) : nullptr;
    if (!project || !kind || !kind->remove) {
        setObsolete(true);
        return;
    }
    // Taken on every redo: what others added meanwhile (new metric points) must come back too.
    auto snapshot = RowSnapshot::capture(project->db(), kind->table, m_ref.id);
    if (!snapshot) {
        setObsolete(true);
        m_context.report(snapshot.error());
        return;
    }
    if (const Status s = kind->remove(*project, m_ref.id); !s) {
        setObsolete(true);
        m_context.report(s.error());
        return;
    }
    m_snapshot = std::move(*snapshot);
}

void DeleteItemCommand::undo()
{
    Project *project = m_context.project;
    if (!project || !m_snapshot)
        return;
    if (const Status s = m_snapshot->restore(project->db()); !s) {
        setObsolete(true);
        m_context.report(
            QCoreApplication::translate("mlwb", "Undo failed, the item stays deleted: %1")
                .arg(s.error()));
        return;
    }
    m_snapshot.reset();
}

} // namespace mlwb
