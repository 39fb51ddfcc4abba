// SPDX-License-Identifier: MIT
#pragma once

// Compiles a shape-checked ModelSpec into a TorchScript module (parameters and buffers
// registered on one module, forward generated as TorchScript source). The compiled module is the
// one representation trained, packaged, served, and loaded by PyTorch's torch.jit.load. It
// carries its spec (ModelRunner::kSpecAttribute), which its archive keeps as mlwb/spec.json.

#include "common/result.h"
#include "inference/loaded_model.h"
#include "model/model_spec.h"

#include <QString>

namespace mlwb {

class ModelCompiler {
public:
    // Input is [N, ...spec.inputShape] float32; output [N, ...last layer's shape]. Parameters are
    // initialised like PyTorch's defaults from a generator seeded with `seed` (same seed, same
    // module). The model has no preprocessing and is in eval mode; the trainer switches it to
    // training mode.
    static Result<LoadedModel> compile(const ModelSpec &spec, quint64 seed);
    // The generated forward(), for display and debugging.
    static Result<QString> forwardSource(const ModelSpec &spec);
};

} // namespace mlwb
