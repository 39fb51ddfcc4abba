// SPDX-License-Identifier: MIT
#pragma once

// PackageManifest: a package's manifest.json, what a package is and where it came from.
//
//   {"format": 1, "name": "digits-mlp", "version": "1.2.0", "created": ISO-8601, "author": ...,
//    "description": ...,
//    "input":  {"name": "INPUT__0", "datatype": "FP32", "shape": [64],
//               "features": [{"name", "kind": "numeric"|"category"|"boolean", "datatype",
//                             "categories": [...]}],
//               "model_shape": [1, 8, 8], "preprocessing": {Preprocessing::toJson()}},
//    "output": {"name": "OUTPUT__0", "datatype": "FP32", "task": "classification"|"regression",
//               "shape": [10], "labels": [...], "target": "digit"},
//    "lineage": {"project", "run": {"id", "name"}, "model": {"id", "name", "version"},
//                "dataset": {"id", "name", "sha256"}, "metrics": {"split", name: value, ...}},
//    "runtime": {"libtorch": "1.13.1", "mlwb": "0.1.0"}}
//
// `input` is what a request carries: one sample's raw values before preprocessing, one float per
// feature in `features` order (a category as its code, a boolean as 0 or 1, NaN for missing),
// so `shape` is [features]; the batch dimension is not in it. `model_shape` is one sample's
// tensor after preprocessing, what the TorchScript module takes. Parsing
// reads outside input: every field is checked and a refusal names it; unknown fields are
// ignored (a later format-1 writer may add some), an unknown format is refused.

#include "common/item_ref.h"
#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace mlwb {

// A package stored in the project (PackageRepository), as views, commands and jobs name it.
inline constexpr ItemKind kPackageKind{"package"};

struct PackageManifest {
    static constexpr int kFormat = 1;
    static constexpr const char *kEntry = "manifest.json";

    struct Feature {
        QString name;
        QString kind = QStringLiteral("numeric"); // "numeric", "category", "boolean"
        QStringList categories;                   // category and boolean labels, by code
    };
    struct Input {
        QString name = QStringLiteral("INPUT__0");
        QString datatype = QStringLiteral("FP32");
        std::vector<qint64> shape; // [features.size()]
        std::vector<Feature> features;
        std::vector<qint64> modelShape;
        QJsonObject preprocessing;
    };
    struct Output {
        QString name = QStringLiteral("OUTPUT__0");
        QString datatype = QStringLiteral("FP32");
        QString task = QStringLiteral("classification"); // or "regression"
        std::vector<qint64> shape;
        QStringList labels; // class names; for regression the target's name
        QString target;
    };
    struct Lineage {
        QString project;
        qint64 runId = 0;
        QString runName;
        qint64 modelId = 0;
        QString modelName;
        int modelVersion = 0;
        qint64 datasetId = 0;
        QString datasetName;
        QString datasetSha256;
        QJsonObject metrics; // the test split's evaluation summary: {"split": "test", name: value}
    };

    QString name;
    QString version;
    QDateTime created;
    QString author;
    QString description;
    Input input;
    Output output;
    Lineage lineage;
    QString libtorchVersion;
    QString mlwbVersion;

    // "NAME:VERSION", how the CLI names a package.
    QString reference() const { return name + QLatin1Char(':') + version; }

    QJsonObject toJson() const;
    QByteArray toBytes() const; // indented, as stored in the package
    // `source` names the package in messages ("digits.mlwbpkg").
    static Result<PackageManifest> fromJson(const QByteArray &json, const QString &source);

    // A name a package may have: it becomes a directory name (Triton's model repository) and a
    // URL path segment (the agent's /v2/models/NAME). Empty when fine, else why not.
    static QString nameProblem(const QString &name);
};

} // namespace mlwb
