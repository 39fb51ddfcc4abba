// SPDX-License-Identifier: MIT
#pragma once

// ModelCatalog: models in a project file. A model is made for a data set (its input and output
// sizes come from the data): from a template, from a layer spec, or imported from a TorchScript
// file made elsewhere. Each edit of a spec adds a version.

#include "common/result.h"
#include "store/records.h"

#include <optional>
#include <vector>

namespace mlwb {

class Database;
struct LoadedDataset;

struct ModelIo {
    std::vector<qint64> inputShape; // {F} or {C, H, W}
    qint64 outputs = 0;             // classes, or 1 for regression
    bool classification = true;
};

class ModelCatalog {
public:
    explicit ModelCatalog(Database &db) : m_db(db) {}

    // The input/output a model for this data set must have.
    static Result<ModelIo> ioFor(const LoadedDataset &dataset);
    // The same for a stored data set, read on the calling thread's own read-only connection to
    // the project (for a worker thread: reading a large table takes seconds).
    static Result<ModelIo> ioForStored(const QString &projectPath, qint64 datasetId);

    Result<qint64> createFromTemplate(const QString &name, const QString &datasetName,
                                      const QString &kind);
    Result<qint64> createFromSpec(const QString &name, const QString &datasetName,
                                  const QByteArray &specJson);
    Result<qint64> importTorchScript(const QString &name, const QString &datasetName,
                                     const QString &path);
    // The same from bytes: `where` names them in errors (a file, or a run's artifact).
    Result<qint64> importTorchScriptBytes(const QString &name, const QString &datasetName,
                                          const QByteArray &bytes, const QString &where);
    // A new version of a spec model; the spec is checked against the model's data set.
    Result<ModelVersionRecord> addSpecVersion(qint64 modelId, const QByteArray &specJson);
    // The same with the data set's inputs and outputs already known (ioFor), so the data set is
    // not read again: a GUI that read it on a worker thread saves without blocking.
    Result<ModelVersionRecord> addSpecVersion(qint64 modelId, const QByteArray &specJson,
                                              const ModelIo &io);

    // Shape-checks a spec for a data set; the error names the layer and shapes.
    static Status checkSpec(const QByteArray &specJson, const ModelIo &io);

private:
    Result<ModelVersionRecord> addCheckedVersion(qint64 modelId, const QByteArray &specJson,
                                                 std::optional<ModelIo> io);
    Result<qint64> store(const QString &name, qint64 datasetId, ModelKind kind,
                         const QByteArray &spec, const QByteArray &torchscript);
    Database &m_db;
};

} // namespace mlwb
