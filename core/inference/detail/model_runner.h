// SPDX-License-Identifier: MIT
#pragma once

// ModelRunner: the torch side of LoadedModel, for the few .cpp files that must see libtorch (the
// compiler and importer in model/, the trainer and training session in train/, this area).
// Builds input and target tensors from table rows through a preprocessing, runs eval-mode
// forward in chunks without gradients, wraps a module (compiled, imported or trained) as a
// LoadedModel or unwraps one, and loads, saves and describes TorchScript modules.
// Never included by a header: it pulls in libtorch.

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
    // A module compiled from a spec carries the spec JSON as a string attribute and, when saved,
    // as an extra file of the archive (readable with unzip or torch.jit.load(..., _extra_files=...)).
    static constexpr const char *kSpecAttribute = "mlwb_spec";
    static constexpr const char *kSpecFile = "mlwb/spec.json";
    // The preprocessing of a trained model, an extra file of its archive.
    static constexpr const char *kPreprocessingFile = "mlwb/preprocessing.json";

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
    // The module inside, to read or clone (for wrapping it in another module).
    static const torch::jit::Module &module(const LoadedModel &model);
    // Loads an archive's module alone (a TorchScript file without preprocessing loads too);
    // `extra` receives the archive's extra files named in it. Not a zip, or not TorchScript, is
    // invalid input.
    static Result<torch::jit::Module> loadModule(const QByteArray &bytes,
                                                 torch::jit::ExtraFilesMap *extra = nullptr);
    // The archive torch.jit.save writes, with the spec file (for modules compiled here) and
    // `extra` as extra files.
    static Result<QByteArray> saveModule(const torch::jit::Module &module,
                                         torch::jit::ExtraFilesMap extra = {});
    // The spec JSON a module was compiled from; empty for modules made elsewhere.
    static QByteArray specJson(const torch::jit::Module &module);
    // Distinct parameters that require gradients, ready for a torch::optim optimiser.
    static std::vector<torch::Tensor> trainableParameters(const torch::jit::Module &module);
    // Number of elements over distinct parameters (trainable or not).
    static qint64 parameterCount(const torch::jit::Module &module);
};

} // namespace mlwb
