// SPDX-License-Identifier: MIT
#pragma once

// TorchRuntime: process-wide libtorch setup. libtorch starts with one thread here although the
// machine has more, and silently falls back to the reference BLAS when OpenBLAS is missing;
// every executable calls initialize() once and can show what it found.

#include <QString>

namespace mlwb {

class TorchRuntime {
public:
    struct Info {
        int threads = 0;
        QString blasLibrary; // resolved path of the BLAS shared object in use
        QString blasName;    // "OpenBLAS ..." or "reference BLAS"
        bool openBlas = false;
        QString torchVersion;
    };
    // Sets the intra-op thread count (0 = all cores). Safe to call more than once.
    static Info initialize(int threads = 0);
    static Info info();
};

} // namespace mlwb
