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
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
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
    // A run a training script logged through the tracking endpoint (issue #15) belongs to an
    // experiment (MLflow's Default is 0) and to no model version until a model is imported
    // from it; the workbench's own runs belong to a model version and no experiment.
    std::optional<qint64> experimentId;
    bool tracked = false;     // logged through the tracking endpoint
    QString user;             // who ran it (MLflow's user_id)
    QDateTime deletedAt;      // MLflow's soft delete; invalid: not deleted
    QDateTime heartbeatAt;    // the last time its script wrote to it
    QJsonArray inputs;        // the data sets it logged (MLflow's log-inputs), as sent
    // Joined: the model the run's version belongs to (none: 0 and empty), its experiment.
    qint64 modelId = 0;
    QString modelName;
    int modelVersion = 0;
    QString experimentName;

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

// Where a package stands. A gate that failed blocks deployment unless someone overrides it
// with a written reason (PackageOverrideRecord).
enum class PackageState { Built, Checked, GateFailed };
QString packageStateName(PackageState state); // "built", "checked", "gate_failed": as stored
std::optional<PackageState> packageStateFromName(const QString &name);

// A recorded override of a failed gate: who let the package through, when, and why.
struct PackageOverrideRecord {
    qint64 id = 0;
    qint64 packageId = 0;
    QString reason;
    QString author;
    QDateTime createdAt;

    QJsonObject toJson() const;
    static Result<PackageOverrideRecord> fromJson(const QJsonObject &o);
};

// A sealed package (.mlwbpkg) of a model, kept whole in the project file.
struct PackageRecord {
    qint64 id = 0;
    qint64 modelId = 0;
    qint64 runId = 0; // 0: built from no run, or its run was deleted since
    QString name;
    QString version; // MAJOR.MINOR.PATCH (SemanticVersion)
    QDateTime createdAt;
    QString author;
    QByteArray manifestJson; // the archive's manifest.json
    QByteArray archive;      // the whole sealed zip; empty where a listing leaves it out
    qint64 archiveBytes = 0; // the archive's size, also where the bytes are left out
    QString archiveSha256;   // lowercase hex
    QString keyId;           // 16 hex digits of the signer's key; empty when unsigned
    PackageState state = PackageState::Built;
    QJsonObject checks; // the check report; empty until checked
    QDateTime checkedAt;
    // Joined for display.
    QString modelName;
    QList<PackageOverrideRecord> overrides; // oldest first

    bool overridden() const { return !overrides.isEmpty(); }

    // The manifest as an object ("manifest"), the archive as its size ("archive_bytes"), the
    // overrides whole and "overridden" (read back from the overrides, not from itself).
    QJsonObject toJson() const;
    static Result<PackageRecord> fromJson(const QJsonObject &o);
};

// An mlwb-agent the project deploys to. Never its token: that stays with the user (TokenStore,
// or the keychain), so the shared project file holds nothing secret.
struct TargetRecord {
    qint64 id = 0;
    QString name;
    QString url;    // http(s)://host:port of the agent
    QString caCert; // PEM of the CA that signed the agent's certificate; empty: the system's
    QDateTime createdAt;
    QString createdBy; // user@host

    QJsonObject toJson() const;
    static Result<TargetRecord> fromJson(const QJsonObject &o);
};

// What was done to a target; "refused": an upload the agent (or the gate) turned down.
enum class DeploymentAction { Deploy, Canary, Promote, Rollback, Refused };
QString deploymentActionName(DeploymentAction action); // "deploy", ...: as stored
std::optional<DeploymentAction> deploymentActionFromName(const QString &name);

// The project's record of one deployment action, beside the agent's own history.
struct DeploymentRecord {
    qint64 id = 0;
    qint64 targetId = 0;
    qint64 packageId = 0; // 0: not a package of this project, or removed since
    QString model;
    QString version;
    DeploymentAction action = DeploymentAction::Deploy;
    int canaryPercent = 0;
    QString by;   // user@host
    QDateTime at; // UTC, stored as ISO 8601
    QString detail;
    QString overrideReason; // the failed gate's override it went out under; empty: none
    // Joined for display.
    QString targetName;

    QJsonObject toJson() const;
    static Result<DeploymentRecord> fromJson(const QJsonObject &o);
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

// How a target is watched (docs/monitoring.md, schema 8). A target with no row is watched
// with these defaults.
struct MonitorConfig {
    qint64 targetId = 0;
    QString source = QStringLiteral("agent"); // "agent": its own /metrics; "prometheus": a server's query API
    QString prometheusUrl;
    QString prometheusJob;
    qint64 intervalMs = 15'000;
    qint64 rawRetentionMs = 24LL * 3600'000;        // every point
    qint64 minuteRetentionMs = 7LL * 24 * 3600'000; // 1-minute points
    qint64 hourRetentionMs = 90LL * 24 * 3600'000;  // 1-hour points; nothing older is kept
};

// Delta: a counter's or histogram bucket's increase over the point's span (downsampling sums);
// Gauge: a level (downsampling averages, weighted by span).
enum class MonitorSeriesKind { Delta, Gauge };

struct MonitorSeriesRecord {
    qint64 id = 0;
    qint64 targetId = 0;
    QString name;
    QString labels; // canonical {a="x",b="y"}, sorted by label name
    MonitorSeriesKind kind = MonitorSeriesKind::Delta;
};

// A stored value over (tMs - spanMs, tMs]; NaN when the value was unknown.
struct MonitorPoint {
    qint64 tMs = 0;
    qint64 spanMs = 0;
    double value = 0;
};

// One series' value in a poll being stored.
struct SeriesPoint {
    qint64 seriesId = 0;
    qint64 spanMs = 0;
    double value = 0;
};

// One poll: answered (ok) or not (error says why); reset: the agent restarted since the last.
struct ScrapeRecord {
    qint64 targetId = 0;
    qint64 tMs = 0;
    bool ok = true;
    bool reset = false;
    QString error;
};

struct AlertRuleRecord {
    qint64 id = 0;
    qint64 targetId = 0;
    QString model;
    QString metric;    // error_rate, latency_p99_ms, throughput_rps, no_traffic_minutes, unreachable_minutes, drift
    QString feature;   // drift: the feature
    QString statistic; // drift: psi, ks, wasserstein, jensen_shannon, chi_squared
    QString op = QStringLiteral(">");
    double threshold = 0;
    qint64 forMs = 0;
    bool enabled = true;
    QString origin = QStringLiteral("user"); // "default": made with the deployment
};

struct AlertRecord {
    qint64 id = 0;
    qint64 ruleId = 0; // 0: its rule was removed since
    qint64 targetId = 0;
    QString model;
    QString version;
    QDateTime firedAt;
    QDateTime clearedAt; // invalid while it fires
    double value = 0;
    QString message;
};

} // namespace mlwb
