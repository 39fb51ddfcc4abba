// SPDX-License-Identifier: MIT
#pragma once

// ModelFeature: models in the workbench: the explorer's Models branch (models with
// their sweeps and runs), the Inspector's facts, rename and undoable delete, the model builder
// tab, --open model:NAME, and File > Import TorchScript Model.
// One line in Features::install.

namespace mlwb {

class WorkbenchContext;

class ModelFeature {
public:
    static void install(WorkbenchContext &workbench);
};

} // namespace mlwb
