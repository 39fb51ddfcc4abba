// SPDX-License-Identifier: MIT
#pragma once

// MonitorFeature: monitoring in the workbench: the explorer's Monitoring branch (targets and
// the alerts that fire), the Monitoring tab of a target (MonitoringPane, --open monitor:NAME),
// Deploy > Monitor Target and Watch Target, a desktop notification when an alert fires (the
// window's message bar where the desktop has no notification area), and Retrain From Alert…:
// a new run of the alert's model on a data set the user picks, then the Compare tab on the run
// behind the deployed package and the new one. One line in Features::install.

#include "common/result.h"

#include <QString>

namespace mlwb {

class MonitorWatcher;
class WorkbenchContext;

class MonitorFeature {
public:
    static void install(WorkbenchContext &workbench);
    // The watcher of the workbench (made by install).
    static MonitorWatcher *watcher(WorkbenchContext &workbench);

    // What Retrain From Alert… does once a data set is picked: a TrainJob of the alert's model
    // on `datasetName` with the hyperparameters of the run behind the alerting package; when it
    // finishes, the Compare tab on both runs. The job's id.
    static Result<int> retrain(WorkbenchContext &workbench, qint64 alertId, const QString &datasetName);
};

} // namespace mlwb
