// SPDX-License-Identifier: MIT
#include "inference/torch_runtime.h"

#include "test_support.h"

#include <QThread>

#include <cstdlib>
#include <malloc.h>
#include <vector>

using namespace mlwb;

TEST(TorchRuntime, UsesOpenBlasNotTheReferenceBlas)
{
    const auto info = TorchRuntime::initialize();
    EXPECT_TRUE(info.openBlas) << "BLAS in use: " << qPrintable(info.blasLibrary) << " "
                               << qPrintable(info.blasName);
    EXPECT_TRUE(info.blasLibrary.contains(QStringLiteral("openblas")))
        << qPrintable(info.blasLibrary);
    EXPECT_FALSE(info.blasLibrary.contains(QStringLiteral("/blas/libblas")))
        << "the reference BLAS is loaded";
}

TEST(TorchRuntime, UsesAllCores)
{
    const auto info = TorchRuntime::initialize();
    EXPECT_EQ(info.threads, QThread::idealThreadCount());
    EXPECT_EQ(TorchRuntime::initialize(1).threads, 1);
    EXPECT_EQ(TorchRuntime::initialize().threads, QThread::idealThreadCount());
}

// Activations of a few MiB must come from the heap, not from fresh mmap'ed pages per batch.
// Under AddressSanitizer malloc is ASan's own: glibc's tunables do not apply, and the runtime
// must say it did not tune anything (./dev.sh sanitize).
TEST(TorchRuntime, KeepsTensorSizedBlocksOnTheHeap)
{
    const auto info = TorchRuntime::initialize();
#if defined(__SANITIZE_ADDRESS__)
    EXPECT_FALSE(info.allocatorTuned) << "mallopt has no effect on ASan's allocator";
    return;
#endif
    ASSERT_TRUE(info.allocatorTuned);
    const size_t mappedBefore = mallinfo2().hblks;
    std::vector<void *> blocks;
    for (int i = 0; i < 4; ++i)
        blocks.push_back(std::malloc(size_t(8) << 20));
    EXPECT_EQ(mallinfo2().hblks, mappedBefore) << "8 MiB blocks were mmap'ed";
    for (void *b : blocks)
        std::free(b);
}
