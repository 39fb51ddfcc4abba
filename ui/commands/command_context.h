// SPDX-License-Identifier: MIT
#pragma once

// CommandContext: what an undo command needs besides its own data: the project it edits, what
// each item kind can do, and where a failure is reported (the window's message bar), since a
// command cannot refuse to be undone.

#include <QString>

#include <functional>

namespace mlwb {

class ItemKindRegistry;
class Project;

struct CommandContext {
    Project *project = nullptr;
    const ItemKindRegistry *kinds = nullptr;
    std::function<void(const QString &message)> reportError;

    void report(const QString &message) const
    {
        if (reportError)
            reportError(message);
    }
};

} // namespace mlwb
