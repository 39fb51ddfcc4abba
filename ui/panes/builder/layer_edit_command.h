// SPDX-License-Identifier: MIT
#pragma once

// LayerEditCommand: one edit of a model builder's layer stack (add, remove, move, change
// settings, replace by a template) on the window's undo stack. It keeps the whole spec before
// and after, so undo and redo restore it exactly even when the draft was changed another way in
// between (a version saved elsewhere); the edit itself is replayed as a row insert, removal or
// move so that views keep their selection.

#include "panes/builder/layer_stack_model.h"

#include <QPointer>
#include <QUndoCommand>

namespace mlwb {

class LayerEditCommand : public QUndoCommand {
public:
    static LayerEditCommand *insert(LayerStackModel *model, const LayerPath &parent, int row,
                                    const LayerSpec &layer);
    static LayerEditCommand *remove(LayerStackModel *model, const LayerPath &path);
    // nullptr when the move is a no-op or impossible (into itself).
    static LayerEditCommand *move(LayerStackModel *model, const LayerPath &from,
                                  const LayerPath &toParent, int toRow);
    static LayerEditCommand *setParams(LayerStackModel *model, const LayerPath &path,
                                       const QJsonObject &params);
    static LayerEditCommand *replace(LayerStackModel *model, const ModelSpec &spec,
                                     const QString &text);

    void redo() override;
    void undo() override;

    // Where the edited layer is after redo() (the builder selects it); empty for replace.
    const LayerPath &resultPath() const { return m_resultPath; }

private:
    enum class Op { Insert, Remove, Move, SetParams, Replace };
    LayerEditCommand(Op op, LayerStackModel *model, const QString &text);
    void perform();
    void revert();

    Op m_op;
    QPointer<LayerStackModel> m_model;
    ModelSpec m_before;
    ModelSpec m_after;
    LayerPath m_path;     // the edited layer (insert: its parent)
    LayerPath m_toParent; // move
    int m_row = 0;        // insert row, move target row
    LayerSpec m_layer;    // insert, remove
    QJsonObject m_oldParams;
    QJsonObject m_newParams;
    LayerPath m_resultPath;
    bool m_done = false; // m_after is known once the first redo() ran
};

} // namespace mlwb
