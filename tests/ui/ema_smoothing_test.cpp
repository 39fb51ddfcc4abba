// SPDX-License-Identifier: MIT
#include "charts/ema_smoothing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlwb;

TEST(EmaSmoothing, BiasCorrectedAsTensorBoard)
{
    // w = 0.5 over 1, 2, 3, 4, by hand:
    //   s1 = 0.5   -> 0.5 / 0.5    = 1
    //   s2 = 1.25  -> 1.25 / 0.75  = 5/3
    //   s3 = 2.125 -> 2.125 / 0.875 = 17/7
    //   s4 = 3.0625 -> 3.0625 / 0.9375 = 49/15
    const std::vector<double> s = EmaSmoothing::apply({1, 2, 3, 4}, 0.5);
    ASSERT_EQ(s.size(), 4u);
    EXPECT_DOUBLE_EQ(s[0], 1.0);
    EXPECT_DOUBLE_EQ(s[1], 5.0 / 3.0);
    EXPECT_DOUBLE_EQ(s[2], 17.0 / 7.0);
    EXPECT_DOUBLE_EQ(s[3], 49.0 / 15.0);
}

TEST(EmaSmoothing, HeavySmoothingStartsAtTheFirstValue)
{
    // Without the correction s1 would be 0.1 * 10 = 1; debiased it is the value itself.
    // w = 0.9 over 10, 0: s1 = 1 -> 1 / 0.1 = 10; s2 = 0.9 -> 0.9 / 0.19 = 90/19.
    const std::vector<double> s = EmaSmoothing::apply({10, 0}, 0.9);
    EXPECT_DOUBLE_EQ(s[0], 10.0);
    EXPECT_DOUBLE_EQ(s[1], 90.0 / 19.0);
}

TEST(EmaSmoothing, ZeroWeightAndNonFiniteValues)
{
    EXPECT_EQ(EmaSmoothing::apply({3, 1, 2}, 0.0), (std::vector<double>{3, 1, 2}));
    const double inf = std::numeric_limits<double>::infinity();
    // The infinity is shown and skipped: w = 0.5 over 2, inf, 4 -> 2, inf, (0.5 + 2)/0.75 = 10/3.
    const std::vector<double> s = EmaSmoothing::apply({2, inf, 4}, 0.5);
    EXPECT_DOUBLE_EQ(s[0], 2.0);
    EXPECT_TRUE(std::isinf(s[1]));
    EXPECT_DOUBLE_EQ(s[2], 10.0 / 3.0);
}
