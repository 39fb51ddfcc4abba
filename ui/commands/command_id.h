// SPDX-License-Identifier: MIT
#pragma once

// The ids of undo commands that merge with their predecessor (QUndoCommand::id()).

namespace mlwb {

enum class CommandId {
    ChangeProperty = 1,
};

} // namespace mlwb
