// SPDX-License-Identifier: MIT
#pragma once

// DemoProject: builds the demo project from the bundled data sets (iris, digits, diabetes),
// each with a model and one trained run, plus a three-trial learning-rate sweep of the iris
// MLP, a checked package of the iris MLP, and that package deployed to the local target a week
// before with its monitoring since (DemoMonitoringHistory: one feature drifted, its alert
// firing), and an experiment of two runs a notebook logged through the tracking endpoint
// (DemoTrackedScript), so every pane (a sweep's node and tab, the Monitoring tab, Experiments
// too) has something real to show.

#include "common/result.h"

namespace mlwb {

class JobFeedback;

class DemoProject {
public:
    // The checked package the demo builds (NAME:VERSION), what `mlwb demo --deploy` deploys.
    static constexpr const char *kPackage = "iris-mlp:1.0.0";
    // The bundled data sets: `buildTreeDir` (resources/datasets of the source tree, passed by
    // the executable that knows it) when it has them, else the installed share/mlwb/datasets
    // beside the executable.
    static QString datasetsDir(const QString &buildTreeDir);
    static Status create(const QString &path, const QString &datasetsDir, JobFeedback *feedback);
};

} // namespace mlwb
