// SPDX-License-Identifier: MIT
#pragma once

// TrackingFeature: training scripts' runs in the workbench (issue #15). Tools > Tracking Server
// (TrackingServerDialog) turns the MLflow-compatible endpoint on for the open project; a status
// bar button says where it serves and how many scripts' runs are live; the Experiments branch
// of the explorer holds the experiments and their runs (which open, chart, compare and report
// like native runs); Import Model From Artifact… on such a run makes its TorchScript artifact a
// model. One line in Features::install.

namespace mlwb {

class TrackingServerController;
class WorkbenchContext;

class TrackingFeature {
public:
    static void install(WorkbenchContext &workbench);
    // The window's controller (tests and the shell), once installed.
    static TrackingServerController *controller(WorkbenchContext &workbench);
};

} // namespace mlwb
