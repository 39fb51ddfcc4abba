// SPDX-License-Identifier: MIT
#pragma once

// The item kind of one stored version of a model (its id is the version's row id, as
// ModelRepository::version() takes). Not an explorer item: the model's Versions page passes it
// to commands (Train this version, Restore as new version).

#include "common/item_ref.h"

namespace mlwb {

inline constexpr ItemKind kModelVersionKind{"model_version"};

} // namespace mlwb
