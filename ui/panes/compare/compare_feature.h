// SPDX-License-Identifier: MIT
#pragma once

// CompareFeature: Run > Compare Runs (Ctrl+Shift+C): two or more selected runs in
// one Compare tab.
// One line in Features::install.

namespace mlwb {

class MainWindow;

class CompareFeature {
public:
    static void install(MainWindow &window);
};

} // namespace mlwb
