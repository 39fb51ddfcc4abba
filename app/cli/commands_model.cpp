// SPDX-License-Identifier: MIT
// Model development verbs (dataset, model, train, eval, runs) are registered here.

#include "cli_context.h"

namespace mlwb::cli {

QList<Verb> modelVerbs() { return {}; }

} // namespace mlwb::cli
