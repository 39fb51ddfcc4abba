// SPDX-License-Identifier: MIT
#pragma once

// DatasetFeature: data sets in the workbench: the explorer's Datasets branch, the
// Inspector's facts, rename and undoable delete, the data set tab (summary, rows, split editor
// with undo), --open dataset:NAME, and File > Import Dataset (also .csv files dropped on the
// window).
// One line in Features::install.

namespace mlwb {

class WorkbenchContext;

class DatasetFeature {
public:
    static void install(WorkbenchContext &workbench);
};

} // namespace mlwb
