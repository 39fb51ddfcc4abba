// SPDX-License-Identifier: MIT
#pragma once

// Imports a TorchScript file made elsewhere (torch.jit.script or torch.jit.trace, then
// torch.jit.save in Python) as a model of its own: it is loaded, checked by running forward on a
// zero batch of the declared input shape, and described (output shape, parameters), so it can
// be evaluated, fine-tuned when it has trainable parameters, and packaged like a compiled spec.

#include "common/result.h"
#include "model/model_spec.h"

#include <QByteArray>
#include <QString>

#include <torch/script.h>

#include <optional>
#include <vector>

namespace mlwb {

struct ImportedModel {
    torch::jit::Module module;        // left in eval mode; call train() to fine-tune
    std::vector<qint64> inputShape;   // per sample, as declared by the caller
    std::vector<qint64> outputShape;  // per sample, as observed on the zero batch
    qint64 parameters = 0;            // elements over distinct parameters
    qint64 trainableParameters = 0;   // of those, requiring gradients
    std::optional<ModelSpec> spec;    // set when the module was compiled by this workbench
    bool trainable() const { return trainableParameters > 0; }
};

class TorchScriptImporter {
public:
    static Result<ImportedModel> importFile(const QString &path, const std::vector<qint64> &inputShape);
    // `sourceName` names the origin in messages (a file name, "package model.pt").
    static Result<ImportedModel> importBytes(const QByteArray &bytes, const std::vector<qint64> &inputShape,
                                             const QString &sourceName = QStringLiteral("the model"));
    // Runs forward in eval mode without gradients on zeros of [2, ...inputShape] and returns the
    // per-sample output shape; the error names the shapes when forward rejects the input.
    static Result<std::vector<qint64>> probe(torch::jit::Module &module, const std::vector<qint64> &inputShape);
};

} // namespace mlwb
