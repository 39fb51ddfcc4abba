// SPDX-License-Identifier: MIT
#pragma once

// ChangePropertyCommand: the one command for editing a property of a project item (its name,
// a description, ...). Edits of the same property of the same item made within two seconds
// merge, so typing into a field is one undo step.

#include "commands/command_context.h"
#include "common/result.h"
#include "common/item_ref.h"

#include <QDateTime>
#include <QUndoCommand>
#include <QVariant>

#include <functional>

namespace mlwb {

class ChangePropertyCommand : public QUndoCommand {
public:
    using Apply = std::function<Status(Project &, const QVariant &value)>;

    ChangePropertyCommand(CommandContext context, ItemRef ref, QString property, QVariant oldValue,
                          QVariant newValue, Apply apply, const QString &text,
                          QUndoCommand *parent = nullptr);

    // Renames an item through its kind's rename operation; nullptr when it cannot be renamed
    // (the reason goes to the context's error report).
    static ChangePropertyCommand *rename(const CommandContext &context, const ItemRef &ref,
                                         const QString &newName);

    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

    const ItemRef &ref() const { return m_ref; }

private:
    void apply(const QVariant &value);

    CommandContext m_context;
    ItemRef m_ref;
    QString m_property;
    QVariant m_old;
    QVariant m_new;
    Apply m_apply;
    qint64 m_createdMs = 0;
};

} // namespace mlwb
