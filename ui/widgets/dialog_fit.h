// SPDX-License-Identifier: MIT
#pragma once

// DialogFit: a dialog whose inline errors come and go keeps its height fitted to its contents:
// it grows when an error appears (no widget overlaps another) and shrinks back when it clears
// (no gap). The width stays what the user made it. Call after showing or hiding such a row.

class QWidget;

namespace mlwb {

class DialogFit {
public:
    static void toContents(QWidget *dialog);
};

} // namespace mlwb
