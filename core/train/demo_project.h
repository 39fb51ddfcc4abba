// SPDX-License-Identifier: MIT
#pragma once

// DemoProject: builds the demo project from the bundled data sets (iris, digits, diabetes),
// each with a model and one trained run, plus a three-trial learning-rate sweep of the iris
// MLP, so every pane (a sweep's node and tab too) has something real to show.

#include "common/result.h"

namespace mlwb {

class JobFeedback;

class DemoProject {
public:
    // The bundled data sets: resources/datasets in the source tree or the installed share dir.
    static QString defaultDatasetsDir();
    static Status create(const QString &path, const QString &datasetsDir, JobFeedback *feedback);
};

} // namespace mlwb
