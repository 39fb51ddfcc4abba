// SPDX-License-Identifier: MIT
#pragma once

// A model as a list of layers over a fixed per-sample input shape, read from and written to the
// JSON form stored in the project file:
//   {"input":[64],"layers":[{"type":"Linear","out":128},{"type":"ReLU"},{"type":"Linear","out":10}]}
// The batch dimension is never part of the spec. Layer indices in messages are 0-based and
// nested layers are written "2.1" (layer 1 of the Residual block at index 2).

#include "common/result.h"
#include "model/layer_spec.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QtGlobal>

#include <vector>

namespace mlwb {

class ModelSpec {
public:
    std::vector<qint64> inputShape;  // {features} or {channels, height, width}
    std::vector<LayerSpec> layers;

    // Parses and validates (layer types, parameter names, types and ranges; not shapes: that is
    // ShapeInference). Errors name the layer index and type.
    static Result<ModelSpec> fromJson(const QByteArray &json);
    QByteArray toJson(QJsonDocument::JsonFormat format = QJsonDocument::Compact) const;

    // Same checks as fromJson, for specs built in code or edited in the GUI.
    Status validate() const;

    friend bool operator==(const ModelSpec &, const ModelSpec &) = default;
};

} // namespace mlwb
