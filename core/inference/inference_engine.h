// SPDX-License-Identifier: MIT
#pragma once

// InferenceEngine: the one prediction path that checks, the serving agent and `mlwb predict`
// share. It takes raw feature rows, as JSON records or as one float per feature, applies the
// preprocessing the model was trained with, runs the TorchScript module in inference mode, and
// returns the outputs with labels and probabilities.
//
// A model that is a chain of Linear layers and element-wise activations (what the mlp, logistic
// and linear templates compile to) runs as a plan of its own: single rows take the
// matrix-vector route (OpenBLAS packs the whole weight for a one-row GEMM, so torch.linear at
// batch 1 costs several times what addmv does for the same result), batches up to 256 rows
// addmm; both write into buffers kept per thread, so a request allocates nothing but its answer
// once its batch size has been seen. Other models, and larger batches, take TorchScript's own
// forward. The plan is compared with forward on probe rows when the engine is made; a mismatch
// keeps every request on forward (matrixVectorRoute() says which).
//
// Methods are const and safe to call from several threads at once.

#include "common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <span>
#include <vector>

namespace mlwb {

class DataTable;
class LoadedModel;
class Preprocessing;

class InferenceEngine {
public:
    // One request's answer: `rows` x `width` outputs, row-major. Classification: logits, the
    // softmax probabilities beside them and the arg-max class per row; regression: the
    // prediction in the target's units (width 1), no probabilities. NaN and infinity in the
    // outputs are kept as they are.
    struct Prediction {
        qint64 rows = 0;
        qint64 width = 0;
        std::vector<float> outputs;
        std::vector<float> probabilities;
        std::vector<qint64> classes;
    };

    // A trained model (it must carry its preprocessing).
    static Result<InferenceEngine> create(LoadedModel model, const QString &source);
    // A model archive (a run's model.pt, a package's model.pt).
    static Result<InferenceEngine> fromArchive(const QByteArray &bytes, const QString &source);

    InferenceEngine(InferenceEngine &&) noexcept;
    InferenceEngine &operator=(InferenceEngine &&) noexcept;
    ~InferenceEngine();

    const Preprocessing &preprocessing() const;
    const LoadedModel &model() const;
    // Raw values per row (one per feature), model inputs per row, outputs per row.
    qint64 featureCount() const;
    qint64 inputWidth() const;
    qint64 outputWidth() const;
    QStringList featureNames() const;
    // Class names (classification), or the target's name (regression).
    QStringList outputLabels() const;
    bool isClassification() const;
    // Whether single rows take the matrix-vector route (see above).
    bool matrixVectorRoute() const;

    // Raw rows, featureCount() floats each (Preprocessing::transformRaw's form). `out` is
    // reused: a caller that keeps it across calls of one size makes the route allocation-free.
    Status predictRaw(std::span<const float> raw, qint64 rows, Prediction &out) const;
    Result<Prediction> predictRaw(std::span<const float> raw, qint64 rows) const;
    // Rows that are already preprocessed (inputWidth() floats each).
    Status predictInputs(std::span<const float> x, qint64 rows, Prediction &out) const;
    // JSON records keyed by feature name (Preprocessing::transformRecord's form); an error names
    // the record.
    Result<Prediction> predictRecords(const QJsonArray &records) const;
    // As predictInputs, always through TorchScript's forward (what the checks compare the
    // matrix-vector route against).
    Status predictInputsByForward(std::span<const float> x, qint64 rows, Prediction &out) const;

    // The rows of a table as serving sees them: raw values (one float per feature) through
    // predictRaw, then evaluated (an EvaluationResult as JSON, LoadedModel::evaluate's form), so
    // a package's metrics and the checks' gates come from the path the agent serves.
    Result<QJsonObject> evaluateRaw(const DataTable &table, const std::vector<qint64> &rows) const;
    // Table rows as raw rows, one float per feature.
    std::vector<float> rawRows(const DataTable &table, const std::vector<qint64> &rows) const;

    // One row of a prediction as JSON: {"label", "class", "probabilities": {label: p}, "logits"}
    // or {"prediction"}.
    QJsonObject rowJson(const Prediction &p, qint64 row) const;

private:
    struct Impl;
    explicit InferenceEngine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace mlwb
