// SPDX-License-Identifier: MIT
#pragma once

// ServedModel: one version of a model as the agent serves it: the package verified (its seal and
// signature against the agent's trusted keys), the engine loaded, warmed up (TorchScript's first
// calls are orders of magnitude slower than later ones, so no client pays for them) and
// smoke-tested with the package's own input example. Only a ServedModel that got this far is
// ever given traffic.

#include "common/result.h"
#include "inference/inference_engine.h"
#include "package/package_manifest.h"
#include "package/public_key.h"
#include "serve/dynamic_batcher.h"
#include "serve/input_monitor.h"
#include "serve/oip_request.h"
#include "serve/oip_response.h"

#include <QDateTime>
#include <QJsonObject>

#include <functional>
#include <map>
#include <memory>

namespace mlwb {

class ServedModel {
public:
    struct LoadOptions {
        QList<PublicKey> trusted;
        bool requireSignature = true;
        // Batching off (every request runs on its own thread at once) when maxBatchSize <= 1;
        // a model named in batchingByModel takes its own options.
        DynamicBatcher::Options batching;
        std::map<QString, DynamicBatcher::Options> batchingByModel;
        // Each batch run: model, version, rows.
        std::function<void(const QString &, const QString &, qint64)> onBatch;
        int warmupRuns = 20;
    };
    struct SmokeTest {
        qint64 rows = 0;
        bool matches = false; // batch and single-row answers agree, outputs are numbers
    };

    // Verifies, loads, warms up and smoke-tests. The error's kind tells why it was refused:
    // Corrupt or InvalidInput (not a package, damaged), Unauthorized (unsigned or untrusted),
    // Conflict (the smoke test failed).
    static Result<std::shared_ptr<ServedModel>> load(const QByteArray &bytes, const QString &source,
                                                     const LoadOptions &options);
    ~ServedModel();

    const QString &name() const { return m_manifest.name; }
    const QString &version() const { return m_manifest.version; }
    const PackageManifest &manifest() const { return m_manifest; }
    const InferenceEngine &engine() const { return *m_engine; }
    const QString &sha256() const { return m_sha256; }
    const QString &signedBy() const { return m_signedBy; }
    QDateTime loadedAt() const { return m_loadedAt; }
    double loadSeconds() const { return m_loadSeconds; }
    double warmupSeconds() const { return m_warmupSeconds; }
    const SmokeTest &smoke() const { return m_smoke; }
    // nullptr when batching is off.
    DynamicBatcher *batcher() const { return m_batcher.get(); }

    const OipRequest::InputSpec &inputSpec() const { return m_spec; }
    const OipResponse::Model &answer() const { return m_answer; }
    // The package's baseline.json (the bins its input monitor counts on).
    const QJsonObject &baseline() const { return m_baseline; }
    // What InputMonitor needs to know of this version.
    InputMonitor::Version monitoredAs() const;
    // nullptr until setMonitor(); set once, before the registry gives the version traffic.
    const InputMonitor *monitor() const { return m_monitor.get(); }
    void setMonitor(std::shared_ptr<const InputMonitor> monitor) { m_monitor = std::move(monitor); }
    // GET /v2/models/NAME/versions/V: {"name", "versions", "platform", "inputs", "outputs"}.
    QJsonObject metadata() const;

private:
    ServedModel() = default;
    PackageManifest m_manifest;
    std::shared_ptr<const InferenceEngine> m_engine;
    std::unique_ptr<DynamicBatcher> m_batcher;
    QString m_sha256;
    QString m_signedBy;
    QDateTime m_loadedAt;
    double m_loadSeconds = 0;
    double m_warmupSeconds = 0;
    SmokeTest m_smoke;
    OipRequest::InputSpec m_spec;
    OipResponse::Model m_answer;
    QJsonObject m_baseline;
    std::shared_ptr<const InputMonitor> m_monitor;
};

} // namespace mlwb
