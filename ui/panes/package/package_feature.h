// SPDX-License-Identifier: MIT
#pragma once

// PackageFeature: sealed packages in the workbench: the package item kind (Inspector facts,
// undoable delete, --open package:NAME:VERSION), each model's Packages node in the explorer,
// the Package tab (PackagePane), and the Package menu's commands: Create Package… (on a
// finished run, also a button on its tab), Run Checks, Sign, Override Gate…, Export… and
// Export for Triton…. Creating and checking run as jobs. One line in Features::install.

namespace mlwb {

class WorkbenchContext;

class PackageFeature {
public:
    static void install(WorkbenchContext &workbench);
};

} // namespace mlwb
