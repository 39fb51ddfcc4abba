// SPDX-License-Identifier: MIT
#pragma once

// ModelSpecDiff: what changed between two layer specs (a model's versions): layers added,
// removed, or kept with changed settings, found by aligning the two layer lists (pre-order,
// Residual bodies included) on their types as a longest common subsequence.

#include "model/model_spec.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace mlwb {

struct LayerChange {
    enum class Kind { Same, Added, Removed, Changed };
    Kind kind = Kind::Same;
    QString fromPath; // "2.1"; empty for an added layer
    QString toPath;   // empty for a removed layer
    QString type;
    QString fromLabel; // "Linear(256)"
    QString toLabel;
    QStringList settings; // the changed settings, "out: 256 \u2192 200"
};

class ModelSpecDiff {
public:
    // The layers of `from` and `to` in `to`'s order, removed ones where they stood.
    static std::vector<LayerChange> compare(const ModelSpec &from, const ModelSpec &to);
};

} // namespace mlwb
