// SPDX-License-Identifier: MIT
#pragma once

// Imports a TorchScript file made elsewhere (torch.jit.script or torch.jit.trace, then
// torch.jit.save in Python) as a model of its own: it is loaded, checked by running forward on a
// zero batch of the declared input shape, and described (output shape, parameters), so it can
// be evaluated, fine-tuned when it has trainable parameters, and packaged like a compiled spec.

#include "common/result.h"
#include "inference/loaded_model.h"
#include "model/model_spec.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace mlwb {

struct ImportedModel {
    LoadedModel model;                // in eval mode, without preprocessing
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
    // `sourceName` names the origin in messages (a file name, "package model.pt"). The module's
    // forward runs once on zeros of [2, ...inputShape]; the error names the shapes when it
    // rejects the input.
    static Result<ImportedModel> importBytes(const QByteArray &bytes, const std::vector<qint64> &inputShape,
                                             const QString &sourceName = QStringLiteral("the model"));
};

} // namespace mlwb
