// SPDX-License-Identifier: MIT
#pragma once

// Compiles a shape-checked ModelSpec into a TorchScript module (parameters and buffers
// registered on one module, forward generated as TorchScript source), and saves/loads modules.
// The compiled module is the one representation trained, packaged, served, and loaded by
// PyTorch's torch.jit.load. Included by the trainer and packaging only: it pulls in libtorch.

#include "common/result.h"
#include "model/model_spec.h"

#include <QByteArray>
#include <QString>

#include <torch/script.h>

#include <optional>
#include <vector>

namespace mlwb {

class ModelCompiler {
public:
    // The spec JSON travels inside the module as a string attribute and, when saved, also as an
    // extra file of the archive (readable with unzip or torch.jit.load(..., _extra_files=...)).
    static constexpr const char *kSpecAttribute = "mlwb_spec";
    static constexpr const char *kSpecFile = "mlwb/spec.json";

    // Input is [N, ...spec.inputShape] float32; output [N, ...last layer's shape]. Parameters are
    // initialised like PyTorch's defaults from a generator seeded with `seed` (same seed, same
    // module). The module starts in training mode; call eval() for inference.
    static Result<torch::jit::Module> compile(const ModelSpec &spec, quint64 seed);
    // The generated forward(), for display and debugging.
    static Result<QString> forwardSource(const ModelSpec &spec);

    static Result<QByteArray> save(const torch::jit::Module &module);
    static Result<torch::jit::Module> load(const QByteArray &bytes);

    // The spec a module was compiled from; nullopt for modules made elsewhere.
    static std::optional<ModelSpec> specOf(const torch::jit::Module &module);
    // Distinct parameters that require gradients, ready for a torch::optim optimiser.
    static std::vector<torch::Tensor> trainableParameters(const torch::jit::Module &module);
    // Number of elements over distinct parameters (trainable or not).
    static qint64 parameterCount(const torch::jit::Module &module);
};

} // namespace mlwb
