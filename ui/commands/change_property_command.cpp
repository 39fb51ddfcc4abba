// SPDX-License-Identifier: MIT
#include "commands/change_property_command.h"

#include "commands/command_id.h"
#include "models/item_kind_registry.h"
#include "store/project.h"

#include <QCoreApplication>

namespace mlwb {

ChangePropertyCommand::ChangePropertyCommand(CommandContext context, ItemRef ref, QString property,
                                             QVariant oldValue, QVariant newValue, Apply apply,
                                             const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_context(std::move(context))
    , m_ref(ref)
    , m_property(std::move(property))
    , m_old(std::move(oldValue))
    , m_new(std::move(newValue))
    , m_apply(std::move(apply))
    , m_createdMs(QDateTime::currentMSecsSinceEpoch())
{
}

ChangePropertyCommand *ChangePropertyCommand::rename(const CommandContext &context,
                                                     const ItemRef &ref, const QString &newName)
{
    const auto *kind = context.kinds ? context.kinds->kind(ref.kind) : nullptr;
    if (!kind || !kind->rename || !context.project) {
        context.report(QCoreApplication::translate("mlwb", "This item cannot be renamed."));
        return nullptr;
    }
    const QString name = newName.trimmed();
    auto described = kind->describe(*context.project, ref.id);
    if (!described) {
        context.report(described.error());
        return nullptr;
    }
    if (name.isEmpty()) {
        context.report(QCoreApplication::translate("mlwb", "A name cannot be empty."));
        return nullptr;
    }
    if (name == described->name)
        return nullptr;
    // Undo restores exactly what was stored, also an empty name.
    QString previous = described->name;
    if (kind->storedName) {
        auto stored = kind->storedName(*context.project, ref.id);
        if (!stored) {
            context.report(stored.error());
            return nullptr;
        }
        previous = *stored;
    }
    auto rename = kind->rename;
    const qint64 id = ref.id;
    return new ChangePropertyCommand(
        context, ref, QStringLiteral("name"), previous, name,
        [rename, id](Project &project, const QVariant &value) {
            return rename(project, id, value.toString());
        },
        QCoreApplication::translate("mlwb", "Rename %1 \u201c%2\u201d to \u201c%3\u201d")
            .arg(kind->typeName.toLower(), described->name, name));
}

void ChangePropertyCommand::apply(const QVariant &value)
{
    if (!m_context.project)
        return;
    const Status s = m_apply(*m_context.project, value);
    if (!s) {
        // Nothing changed in the file: a command that cannot be applied leaves the stack.
        setObsolete(true);
        m_context.report(s.error());
    }
}

void ChangePropertyCommand::redo()
{
    apply(m_new);
}

void ChangePropertyCommand::undo()
{
    apply(m_old);
}

int ChangePropertyCommand::id() const
{
    return int(CommandId::ChangeProperty);
}

bool ChangePropertyCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const ChangePropertyCommand *>(other);
    if (o->m_ref != m_ref || o->m_property != m_property || o->m_createdMs - m_createdMs > 2000)
        return false;
    m_new = o->m_new;
    setText(o->text());
    if (m_new == m_old)
        setObsolete(true);
    return true;
}

} // namespace mlwb
