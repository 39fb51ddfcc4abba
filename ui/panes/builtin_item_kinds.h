// SPDX-License-Identifier: MIT
#pragma once

// BuiltinItemKinds: registers datasets, models and runs with an ItemKindRegistry: how each is
// described in the Inspector, renamed, deleted and shown as a document.

namespace mlwb {

class ItemKindRegistry;

class BuiltinItemKinds {
public:
    static void registerAll(ItemKindRegistry &registry);
};

} // namespace mlwb
