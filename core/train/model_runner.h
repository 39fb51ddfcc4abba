// SPDX-License-Identifier: MIT
#pragma once

// ModelRunner: runs a trained module over table rows (inputs through the model's own
// preprocessing) and scores the outputs. Shared by training, evaluation and export.
// Included by train/*.cpp only: it pulls in libtorch.

#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>

#include <torch/script.h>

#include <vector>

namespace mlwb {

class DataTable;
class Preprocessing;
struct ScoredRows;

class ModelRunner {
public:
    // [rows, ...inputShape] float tensor of preprocessed inputs.
    static torch::Tensor inputs(const Preprocessing &pre, const DataTable &table,
                                const std::vector<qint64> &rows);
    // Class codes (int64) or standardised regression targets (float).
    static torch::Tensor targets(const Preprocessing &pre, const DataTable &table,
                                 const std::vector<qint64> &rows);
    // Eval-mode forward in chunks without gradients.
    static torch::Tensor predict(torch::jit::Module &module, const torch::Tensor &x);
    // A full evaluation report (eval/ classification or regression) as JSON. `scored`, if given,
    // receives the per-row numbers the report was computed from.
    static Result<QJsonObject> evaluate(torch::jit::Module &module, const Preprocessing &pre,
                                        const DataTable &table, const std::vector<qint64> &rows,
                                        ScoredRows *scored = nullptr);

    // The module archive with the preprocessing inside (extra file mlwb/preprocessing.json), as
    // stored in the run's "model.pt" artifact and exported.
    static Result<QByteArray> saveWithPreprocessing(const torch::jit::Module &module,
                                                    const Preprocessing &pre);
    // Loads such an archive; the preprocessing is returned if present.
    static Result<torch::jit::Module> load(const QByteArray &bytes, QJsonObject *preprocessing);
};

} // namespace mlwb
