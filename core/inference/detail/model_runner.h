// SPDX-License-Identifier: MIT
#pragma once

// ModelRunner: the torch side of LoadedModel, for the .cpp files that must see libtorch (the
// trainer and training session in train/, this area). Builds input and target tensors from
// table rows through a preprocessing, runs eval-mode forward in chunks without gradients, and
// wraps a module (trained or compiled here) as a LoadedModel or unwraps one.
// Never included by a public header: it pulls in libtorch.

#include "common/result.h"
#include "data/preprocessing.h"
#include "inference/loaded_model.h"

#include <torch/script.h>

#include <optional>
#include <vector>

namespace mlwb {

class DataTable;

// LoadedModel's state.
struct LoadedModel::Impl {
    // forward() is not const in libtorch, but an eval-mode module without gradients runs from
    // several threads at once (as TorchServe and Triton's libtorch backend run it).
    mutable torch::jit::Module module;
    std::optional<Preprocessing> preprocessing;
};

class ModelRunner {
public:
    // [rows, ...inputShape] float tensor of preprocessed inputs.
    static torch::Tensor inputs(const Preprocessing &pre, const DataTable &table,
                                const std::vector<qint64> &rows);
    // Class codes (int64) or standardised regression targets (float).
    static torch::Tensor targets(const Preprocessing &pre, const DataTable &table,
                                 const std::vector<qint64> &rows);
    // Forward in chunks without gradients (the caller puts the module in eval mode).
    static torch::Tensor predict(torch::jit::Module &module, const torch::Tensor &x);

    // The module (switched to eval mode) with its preprocessing, as a LoadedModel.
    static LoadedModel wrap(torch::jit::Module module, std::optional<Preprocessing> pre);
    // The module inside (for fine-tuning a loaded model).
    static torch::jit::Module &module(LoadedModel &model);
    // Loads an archive's module alone (a TorchScript file without preprocessing loads too).
    static Result<torch::jit::Module> loadModule(const QByteArray &bytes);
};

} // namespace mlwb
