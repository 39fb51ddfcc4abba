// SPDX-License-Identifier: MIT
#pragma once

// EnglishPlurals: the translation that gives tr("%n runs", nullptr, n) its English forms
// ("1 run", "2 runs"). Source texts are written in the plural; resources/translations/mlwb_en.ts
// holds the singular of each (tests/rules checks that every %n text has one).

namespace mlwb {

class EnglishPlurals {
public:
    // Installs the bundled translation into the application; false when it is missing.
    static bool install();
};

} // namespace mlwb
