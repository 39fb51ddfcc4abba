// SPDX-License-Identifier: MIT
#pragma once

// RuntimeSummary: what the executable found about its numeric runtime (BLAS, threads, libtorch),
// handed to the window for the status bar and the About box. The window does not link libtorch.

#include <QString>

namespace mlwb {

struct RuntimeSummary {
    QString blasName;    // "OpenBLAS ..." or "reference BLAS"
    QString blasLibrary; // resolved path of the BLAS library
    bool openBlas = false;
    int threads = 0;
    QString torchVersion;
};

} // namespace mlwb
