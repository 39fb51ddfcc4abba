// SPDX-License-Identifier: MIT
#pragma once

// DeleteItemCommand: deletes a project item through its kind's core operation and keeps a
// RowSnapshot of everything the delete takes along (versions, runs, metric points, checkpoints,
// blobs), so undo puts it back with the same ids.

#include "commands/command_context.h"
#include "store/row_snapshot.h"
#include "common/item_ref.h"

#include <QUndoCommand>

#include <optional>

namespace mlwb {

class DeleteItemCommand : public QUndoCommand {
public:
    DeleteItemCommand(CommandContext context, ItemRef ref, const QString &name,
                      QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

    const ItemRef &ref() const { return m_ref; }

private:
    CommandContext m_context;
    ItemRef m_ref;
    std::optional<RowSnapshot> m_snapshot;
};

} // namespace mlwb
