// SPDX-License-Identifier: MIT
#include "inference/torch_runtime.h"

#include <QThread>

#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/torch.h>

#include <climits>
#include <cstdlib>
#include <dlfcn.h>
#include <link.h>
#include <malloc.h>

namespace mlwb {

namespace {

int findBlas(dl_phdr_info *info, size_t, void *data)
{
    const char *name = info->dlpi_name;
    if (name && (std::strstr(name, "libblas") || std::strstr(name, "libopenblas"))) {
        char resolved[PATH_MAX];
        auto *out = static_cast<QString *>(data);
        *out = QString::fromLocal8Bit(realpath(name, resolved) ? resolved : name);
        return 1;
    }
    return 0;
}

// Runs once per process (a function-local static); true when the settings were applied.
bool tuneAllocator()
{
    static const bool tuned = [] {
        if (qEnvironmentVariableIsSet("MLWB_MALLOC_TUNING") && qEnvironmentVariableIntValue("MLWB_MALLOC_TUNING") == 0)
            return false;
        for (const char *tunable : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES"}) {
            if (qEnvironmentVariableIsSet(tunable))
                return false; // the user chose the allocator settings
        }
        constexpr int MiB = 1 << 20;
        // Setting the threshold also stops glibc from adjusting it; trim and pad keep freed
        // activations in the heap between batches instead of returning them to the kernel.
        return mallopt(M_MMAP_THRESHOLD, 64 * MiB) == 1 && mallopt(M_TRIM_THRESHOLD, 256 * MiB) == 1
            && mallopt(M_TOP_PAD, 64 * MiB) == 1;
    }();
    return tuned;
}

} // namespace

TorchRuntime::Info TorchRuntime::initialize(int threads)
{
    const bool tuned = tuneAllocator();
    // The profiling graph executor re-specialises a module for every new batch shape (the last,
    // shorter batch of each epoch) and its fusion passes gain nothing on CPU for our layer
    // sizes; plain interpretation trains the small CNN markedly faster (see bench_train).
    if (qEnvironmentVariableIntValue("MLWB_JIT_OPTIMIZE") != 1)
        torch::jit::setGraphExecutorOptimize(false);
    const int want = threads > 0 ? threads : std::max(1, QThread::idealThreadCount());
    if (torch::get_num_threads() != want)
        torch::set_num_threads(want);
    Info i = info();
    i.allocatorTuned = tuned;
    return i;
}

TorchRuntime::Info TorchRuntime::info()
{
    Info i;
    i.threads = torch::get_num_threads();
    i.torchVersion = QStringLiteral(TORCH_VERSION);
    // Make sure a GEMM has run so the BLAS library is loaded, then ask the loader.
    (void)torch::mm(torch::ones({2, 2}), torch::ones({2, 2}));
    dl_iterate_phdr(findBlas, &i.blasLibrary);
    using ConfigFn = char *(*)();
    if (auto fn = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
        i.openBlas = true;
        i.blasName = QStringLiteral("OpenBLAS ") + QString::fromLatin1(fn()).trimmed();
    } else {
        i.blasName = QStringLiteral("reference BLAS (slow: install libopenblas0-openmp)");
    }
    return i;
}

} // namespace mlwb
