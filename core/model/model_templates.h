// SPDX-License-Identifier: MIT
#pragma once

// Ready-made specs to start from: linear and logistic regression, an MLP and a small CNN, sized
// for the input shape and number of outputs (classes, or 1 for regression).

#include "common/result.h"
#include "model/model_spec.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace mlwb {

class ModelTemplates {
public:
    // "linear", "logistic", "mlp", "cnn"
    static QStringList kinds();
    static QString description(const QString &kind);

    // Fails for an unknown kind, outputs < 1, a bad input shape, or "cnn" over a flat input.
    static Result<ModelSpec> make(const QString &kind, std::vector<qint64> inputShape, qint64 outputs);
};

} // namespace mlwb
