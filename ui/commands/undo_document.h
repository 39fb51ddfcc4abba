// SPDX-License-Identifier: MIT
#pragma once

// UndoDocument: a document tab that edits on an undo stack of its own (the model builder, the
// data set tab's split editor). While its tab is active the window's Undo and Redo act on that
// stack (MainWindow's QUndoGroup); elsewhere they act on the project's stack (rename, delete).

class QUndoStack;

namespace mlwb {

class UndoDocument {
public:
    virtual ~UndoDocument() = default;
    virtual QUndoStack *documentUndoStack() const = 0;
};

} // namespace mlwb
