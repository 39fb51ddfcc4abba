// SPDX-License-Identifier: MIT
#pragma once

// LoadedModel: a trained model ready to predict: the TorchScript module (in eval mode) and, for
// models trained here, the preprocessing fitted on the training split that turns table rows or
// raw records into the model's input. What checks, packages, the serving agent, evaluation and
// `mlwb` use; no libtorch type shows here (core/inference/detail/ has the torch side).
//
// A model archive is the TorchScript zip torch.jit.save writes, with the preprocessing as the
// extra file mlwb/preprocessing.json: a run's "model.pt" artifact, and what `mlwb model export`
// writes. torch.jit.load reads it in Python.
//
// Prediction methods are const and may run concurrently from several threads.

#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <span>
#include <vector>

namespace mlwb {

class DataTable;
class Preprocessing;
struct ScoredRows;

class LoadedModel {
public:
    // Outputs of forward for a batch: `rows` x `width` floats, row-major (logits for
    // classification, standardised targets for regression).
    struct Outputs {
        qint64 rows = 0;
        qint64 width = 0;
        std::vector<float> values;
        float at(qint64 row, qint64 column) const { return values[size_t(row * width + column)]; }
    };

    // Reads a model archive; `sourceName` names it in messages ("run 4's model.pt").
    static Result<LoadedModel> fromArchive(const QByteArray &bytes,
                                           const QString &sourceName = QStringLiteral("the model"));

    LoadedModel(LoadedModel &&) noexcept;
    LoadedModel &operator=(LoadedModel &&) noexcept;
    ~LoadedModel();

    // The archive again (with the preprocessing, when the model has one).
    Result<QByteArray> toArchive() const;

    // nullptr for a TorchScript module that came without one.
    const Preprocessing *preprocessing() const;
    // Attaches the preprocessing a model was trained with (it travels in the archive).
    void setPreprocessing(Preprocessing preprocessing);
    // Elements over the module's distinct parameters.
    qint64 parameterCount() const;

    // Forward on inputs that are already preprocessed: `shape` is the whole batch's,
    // [rows, ...per-sample input shape], and `x` holds its elements.
    Result<Outputs> forward(std::span<const float> x, const std::vector<qint64> &shape) const;
    // Rows of a table through the preprocessing, then forward (needs a preprocessing).
    Result<Outputs> predict(const DataTable &table, const std::vector<qint64> &rows) const;
    // The evaluation of rows of a table (an EvaluationResult as JSON: classification or
    // regression by the preprocessing's task). `scored`, if given, receives the per-row numbers
    // the result was computed from.
    Result<QJsonObject> evaluate(const DataTable &table, const std::vector<qint64> &rows,
                                 ScoredRows *scored = nullptr) const;

private:
    struct Impl;
    explicit LoadedModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
    friend class ModelRunner; // detail/model_runner.h: wraps and unwraps the torch module
};

} // namespace mlwb
