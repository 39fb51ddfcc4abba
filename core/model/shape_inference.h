// SPDX-License-Identifier: MIT
#pragma once

// Works out every layer's per-sample input and output shape and parameter count from a spec,
// without libtorch, fast enough to run on every keystroke in the model builder. The first
// problem found (bad parameter, shape mismatch) is reported on its layer and as the report's
// error: "layer 3 (Linear): expects input of rank 1 [features], got [16, 4, 4]; add a Flatten
// before it".

#include "common/result.h"
#include "model/model_spec.h"

#include <QString>

#include <optional>
#include <vector>

namespace mlwb {

struct LayerShape {
    std::vector<int> path;       // 0-based index path: {2, 1} is layer 1 of the Residual at 2
    QString type;
    QString label;               // short description, e.g. "Conv2d(32, kernel 3, padding 1)"
    std::vector<qint64> input;   // per sample; empty when unknown (at or after an error)
    std::vector<qint64> output;
    qint64 parameters = 0;       // this layer's own trainable parameters (a Residual: its projection)
    QString error;               // full message with the layer prefix; empty when fine
};

struct ShapeReport {
    std::vector<LayerShape> layers;  // pre-order: a Residual row comes before its body's rows
    std::vector<qint64> input;
    std::vector<qint64> output;      // empty when there is an error
    qint64 totalParameters = 0;      // sum over all rows (meaningful when ok())
    QString error;                   // the first error; empty when the spec is sound
    bool ok() const { return error.isEmpty(); }
};

class ShapeInference {
public:
    static ShapeReport infer(const ModelSpec &spec);
    // The first error of infer(), as a Status.
    static Status check(const ModelSpec &spec);

    // The model must end in {classes} logits (cross-entropy) or {targets} values (regression).
    static Status checkClassifierOutput(const ShapeReport &report, qint64 classes);
    static Status checkRegressionOutput(const ShapeReport &report, qint64 targets = 1);

    // "[16, 4, 4]"
    static QString shapeText(const std::vector<qint64> &shape);
    // A plain-text table of layers, output shapes and parameters (CLI, logs).
    static QString summary(const ShapeReport &report);

    // Stride of the 1x1 convolution that maps a [C, H, W] shortcut onto [C', H', W'], if any.
    static std::optional<qint64> projectionStride(const std::vector<qint64> &in, const std::vector<qint64> &out);
};

} // namespace mlwb
