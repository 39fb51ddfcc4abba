// SPDX-License-Identifier: MIT
#pragma once

// RunFeature: runs in the workbench: Run > Train and Stop (TrainCommands), the
// run tab (live charts with progress and Stop while training, then the evaluation), the
// Inspector's facts, rename and undoable delete, and --open run:NUMBER.
// One line in Features::install.

namespace mlwb {

class WorkbenchContext;

class RunFeature {
public:
    static void install(WorkbenchContext &workbench);
};

} // namespace mlwb
