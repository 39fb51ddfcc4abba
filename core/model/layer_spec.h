// SPDX-License-Identifier: MIT
#pragma once

// One layer of a model spec as the user wrote it: a type name ("Linear", "Conv2d", ...), its
// parameters exactly as in the JSON, and for a Residual block the layers of its body. Which
// types and parameters exist, and their defaults, is LayerCatalog's business.

#include <QJsonObject>
#include <QString>

#include <vector>

namespace mlwb {

struct LayerSpec {
    QString type;
    QJsonObject params;               // without "type" and without the Residual "layers" list
    std::vector<LayerSpec> children;  // Residual body; empty for every other type

    friend bool operator==(const LayerSpec &, const LayerSpec &) = default;
};

} // namespace mlwb
