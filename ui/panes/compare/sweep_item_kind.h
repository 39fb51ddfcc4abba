// SPDX-License-Identifier: MIT
#pragma once

// SweepItemKind: a hyperparameter sweep as a project item: the Inspector shows its strategy,
// searched parameters, target metric and best run; its tab is a Compare view of its runs
// (curves, parallel coordinates of the searched hyperparameters, scatter).

namespace mlwb {

class ItemKindRegistry;

class SweepItemKind {
public:
    static void registerKind(ItemKindRegistry &registry);
};

} // namespace mlwb
