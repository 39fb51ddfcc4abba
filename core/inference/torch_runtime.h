// SPDX-License-Identifier: MIT
#pragma once

// TorchRuntime: process-wide libtorch setup. libtorch starts with one thread here although the
// machine has more, and silently falls back to the reference BLAS when OpenBLAS is missing;
// every executable calls initialize() once and can show what it found.
//
// initialize() also tunes glibc malloc for training. By default every tensor above the dynamic
// mmap threshold (128 KiB at first) is mmap'ed and unmapped again, so each convolution
// activation costs fresh zeroed pages from the kernel; with two threads the page faults
// serialise on the address-space lock. Keeping blocks up to 64 MiB on the heap trains the
// digits CNN about 3x faster (bench_train). Set MLWB_MALLOC_TUNING=0, or any glibc MALLOC_*
// tunable, to keep the C library's defaults.

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
        bool allocatorTuned = false; // set by initialize(): see above
    };
    // Sets the intra-op thread count (0 = all cores). Safe to call more than once.
    static Info initialize(int threads = 0);
    static Info info();
};

} // namespace mlwb
