// SPDX-License-Identifier: MIT
#pragma once

// SampleContent: fills a project through the store API with data sets described from the real
// CSV files (schema and column statistics; the table blob is a stand-in), models with layer
// specs, and runs in every status with metric series. For UI tests and screenshots; it trains
// nothing, the curves are synthetic.

#include "common/result.h"

#include <QList>
#include <QString>

namespace mlwb {

class ProjectFile;

namespace test {

struct SampleIds {
    QList<qint64> datasets; // iris, digits, diabetes
    QList<qint64> models;   // iris-mlp, digits-cnn, diabetes-linear
    QList<qint64> runs;     // newest last
};

class SampleContent {
public:
    // datasetsDir holds iris.csv, digits.csv, diabetes.csv; metricPoints per key and run.
    static Result<SampleIds> fill(ProjectFile &project, const QString &datasetsDir,
                                  int metricPoints = 400);
    // A data set row from a CSV file: schema JSON with per-column statistics.
    static Result<qint64> addDataset(ProjectFile &project, const QString &csvPath,
                                     const QString &name);
};

} // namespace test
} // namespace mlwb
