// SPDX-License-Identifier: MIT
#pragma once

// The layer types a spec may use, with their parameters, defaults and allowed ranges. The spec
// parser validates against it, shape inference and the compiler read resolved values through
// it, and the model builder can generate its property editors from it.

#include "model/layer_spec.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <limits>
#include <vector>

namespace mlwb {

enum class ParamKind { Int, Real, Bool };

struct ParamInfo {
    QString name;
    ParamKind kind = ParamKind::Int;
    bool required = false;
    QJsonValue defaultValue;  // Null when required or when defaultFrom applies
    QString defaultFrom;      // absent value defaults to this other parameter (pool stride = kernel)
    double minimum = -std::numeric_limits<double>::infinity();
    bool minimumInclusive = true;
    double maximum = std::numeric_limits<double>::infinity();
    bool maximumInclusive = true;
    QString help;
};

struct LayerTypeInfo {
    QString type;
    QString help;
    std::vector<ParamInfo> params;
    bool hasBody = false;  // Residual: takes nested "layers"
};

class LayerCatalog {
public:
    static const std::vector<LayerTypeInfo> &types();
    static QStringList typeNames();
    static const LayerTypeInfo *find(const QString &type);
    static const ParamInfo *findParam(const QString &type, const QString &name);

    // Checks the type, parameter names, value types and ranges of one layer (not its children).
    // Returns an empty string when fine, otherwise a message without the layer prefix.
    static QString validate(const LayerSpec &layer);

    // Resolved values (given, else default); the layer must have passed validate().
    static qint64 intParam(const LayerSpec &layer, const QString &name);
    static double realParam(const LayerSpec &layer, const QString &name);
    static bool boolParam(const LayerSpec &layer, const QString &name);

    // "layer 2.1 (Conv2d)": the prefix of every message about a layer; indices are 0-based.
    static QString layerName(const std::vector<int> &path, const QString &type);
    static QString pathText(const std::vector<int> &path);
};

} // namespace mlwb
