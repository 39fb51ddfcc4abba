// SPDX-License-Identifier: MIT
#pragma once

// InferenceInput: rows to predict, read from a file as `mlwb predict --input` takes them:
//   rows.csv   a header naming the features (other columns, such as the target, are ignored),
//              then one row per line; cells as the data set's CSV had them, empty for missing;
//   rows.json  an array of records ({feature: value}), {"records": [...]}, or an Open Inference
//              Protocol v2 request whose first input is FP32 [rows, features] of raw values.
// Records go through Preprocessing::transformRecord, raw values through transformRaw.

#include "common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QStringList>

#include <vector>

namespace mlwb {

struct InferenceInput {
    QJsonArray records;     // when the file held records (CSV, JSON records)
    std::vector<float> raw; // when it held an OIP request
    qint64 rows = 0;
    QString requestId;      // the OIP request's id, echoed in answers

    // `features` are the model's feature names, in order.
    static Result<InferenceInput> fromFile(const QString &path, const QStringList &features);
    static Result<InferenceInput> fromCsv(const QByteArray &csv, const QString &name, const QStringList &features);
    static Result<InferenceInput> fromJson(const QByteArray &json, const QString &name, const QStringList &features);
};

} // namespace mlwb
