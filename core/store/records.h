// SPDX-License-Identifier: MIT
#pragma once

// Plain value types for the rows of the project file's aggregates, each with its one JSON form
// (toJson/fromJson): what `mlwb ... --json` prints, the agent's and the tracking endpoint's API
// bodies, and reports' data files use. Times are ISO 8601; blobs are left out (a version names
// its TorchScript's size); fromJson takes what toJson gives, ignores unknown fields, and names
// the field that has the wrong type.

#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mlwb {

enum class RunStatus { Queued, Running, Finished, Failed, Interrupted };

QString runStatusName(RunStatus status);
RunStatus runStatusFromName(const QString &name);

struct DatasetRecord {
    qint64 id = 0;
    QString name;
    QDateTime createdAt;
    QString sourcePath;
    QString contentHash; // SHA-256 of the imported file, hex
    qint64 rowCount = 0;
    qint64 columnCount = 0;
    QByteArray schemaJson;

    QJsonObject toJson() const;
    static Result<DatasetRecord> fromJson(const QJsonObject &o);
};

// How a model is defined: a layer spec compiled here, or a TorchScript module imported whole.
enum class ModelKind { Spec, TorchScript };
QString modelKindName(ModelKind kind); // "spec", "torchscript": as stored and in --json
std::optional<ModelKind> modelKindFromName(const QString &name);

// The names of a run's artifacts (RunRepository::artifact).
namespace ArtifactName {
inline const QString Model = QStringLiteral("model.pt");                  // LoadedModel archive
inline const QString Preprocessing = QStringLiteral("preprocessing.json"); // Preprocessing::toJson
} // namespace ArtifactName

struct ModelRecord {
    qint64 id = 0;
    QString name;
    ModelKind kind = ModelKind::Spec;
    qint64 datasetId = 0;
    QDateTime createdAt;
    QString description;

    QJsonObject toJson() const;
    static Result<ModelRecord> fromJson(const QJsonObject &o);
};

struct ModelVersionRecord {
    qint64 id = 0;
    qint64 modelId = 0;
    int version = 0;
    QDateTime createdAt;
    QByteArray specJson;    // layer spec, for kind "spec"
    QByteArray torchscript; // imported module, for kind "torchscript"

    // The spec as an object; the TorchScript as its size ("torchscript_bytes").
    QJsonObject toJson() const;
    static Result<ModelVersionRecord> fromJson(const QJsonObject &o);
};

struct RunRecord {
    qint64 id = 0;
    qint64 modelVersionId = 0;
    qint64 datasetId = 0;
    QString name;
    RunStatus status = RunStatus::Queued;
    QJsonObject hyperparams;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString message;
    qint64 ownerLease = 0;
    QJsonObject summary; // final metrics and facts about the run
    qint64 sweepId = 0;
    // Joined: the model the run's version belongs to.
    qint64 modelId = 0;
    QString modelName;
    int modelVersion = 0;

    // "metrics" holds the summary's numbers (the whole summary is "summary").
    QJsonObject toJson() const;
    static Result<RunRecord> fromJson(const QJsonObject &o);
};

// A hyperparameter sweep: the runs with its sweep_id are its trials.
struct SweepRecord {
    qint64 id = 0;
    QString name;
    qint64 modelId = 0;
    QString strategy; // "grid" or "random"
    QJsonObject spec; // SweepSpec::toJson()
    QDateTime createdAt;
    // Joined for display.
    QString modelName;
    qint64 runCount = 0;

    QJsonObject toJson() const;
    static Result<SweepRecord> fromJson(const QJsonObject &o);
};

struct MetricPoint {
    qint64 step = 0;
    double wall = 0;
    double value = 0;
};

// One bucket of a decimated series: every spike survives as min or max. min and max are over
// the points that are not NaN (an infinity is kept: it is the spike); NaN points are counted,
// and the first point that is not finite is named, so a chart can mark where a run diverged.
struct MetricBucket {
    qint64 firstStep = 0;
    qint64 lastStep = 0;
    double firstWall = 0;
    double lastWall = 0;
    double min = 0;  // NaN when every point of the bucket is NaN
    double max = 0;
    double last = 0; // may be NaN or infinite
    qint64 count = 0;
    qint64 nanCount = 0;
    qint64 firstNonFiniteStep = -1; // -1: every point is finite
    double firstNonFinite = 0;      // its value: NaN, inf or -inf

    bool allFinite() const { return firstNonFiniteStep < 0; }
};

struct LatestMetric {
    qint64 runId = 0;
    QString key;
    qint64 step = 0;
    double wall = 0;
    double value = 0;
};

} // namespace mlwb
