// SPDX-License-Identifier: MIT
#include "train/torch_runtime.h"

#include "test_support.h"

#include <QThread>

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
