// SPDX-License-Identifier: MIT
#pragma once

// CompareFeature: Run > Compare Runs (Ctrl+Shift+C): two or more selected runs in
// one Compare tab.
// One line in Features::install.

namespace mlwb {

class WorkbenchContext;

class CompareFeature {
public:
    static void install(WorkbenchContext &workbench);
};

} // namespace mlwb
