// SPDX-License-Identifier: MIT
#include "charts/nice_axis.h"

#include <gtest/gtest.h>

using namespace mlwb;

TEST(NiceAxis, StepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen)
{
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(1.0, 5), 0.2);
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(1.2, 5), 0.25);
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(2.2, 5), 0.5);
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(300, 5), 100);
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(480, 5), 100);
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(0.0033, 5), 0.001);
    EXPECT_DOUBLE_EQ(NiceAxis::niceStep(7000, 5), 2000);
}

TEST(NiceAxis, RoundedRangesEndOnTicks)
{
    const NiceAxis::Range r = NiceAxis::rounded(0.123, 2.87);
    EXPECT_DOUBLE_EQ(r.step, 1.0);
    EXPECT_DOUBLE_EQ(r.min, 0.0);
    EXPECT_DOUBLE_EQ(r.max, 3.0);
    EXPECT_EQ(r.tickCount(), 4);

    const NiceAxis::Range loss = NiceAxis::rounded(0.0412, 1.0986);
    EXPECT_DOUBLE_EQ(loss.step, 0.25);
    EXPECT_DOUBLE_EQ(loss.min, 0.0);
    EXPECT_DOUBLE_EQ(loss.max, 1.25);
    EXPECT_EQ(loss.tickCount(), 6);

    const NiceAxis::Range negative = NiceAxis::rounded(-13, 41);
    EXPECT_DOUBLE_EQ(negative.step, 20);
    EXPECT_DOUBLE_EQ(negative.min, -20);
    EXPECT_DOUBLE_EQ(negative.max, 60);
}

TEST(NiceAxis, AccuracyNeverAboveOne)
{
    // A validation accuracy that reached 1.0: padding would end the axis at 1.05 or 1.2.
    const NiceAxis::Range r = NiceAxis::forValues(0.3333, 1.0, true);
    EXPECT_DOUBLE_EQ(r.max, 1.0);
    EXPECT_DOUBLE_EQ(r.min, 0.2);
    EXPECT_DOUBLE_EQ(r.step, 0.2);
    EXPECT_EQ(r.tickCount(), 5);

    const NiceAxis::Range high = NiceAxis::forValues(0.95, 0.9967, true);
    EXPECT_DOUBLE_EQ(high.max, 1.0);
    EXPECT_DOUBLE_EQ(high.min, 0.94);
    EXPECT_DOUBLE_EQ(high.step, 0.02);

    // Not a fraction: the same values may pad beyond 1.
    EXPECT_GT(NiceAxis::forValues(0.3333, 1.0, false).max, 1.0);
}

TEST(NiceAxis, NonNegativeValuesKeepTheAxisAtZero)
{
    const NiceAxis::Range r = NiceAxis::forValues(0.02, 1.1, false);
    EXPECT_DOUBLE_EQ(r.min, 0.0);
    EXPECT_DOUBLE_EQ(r.max, 1.25);
    const NiceAxis::Range flat = NiceAxis::forValues(0.5, 0.5, false);
    EXPECT_LT(flat.min, 0.5);
    EXPECT_GT(flat.max, 0.5);
}

TEST(NiceAxis, StepAxisEndsAtTheLastStep)
{
    const NiceAxis::Range r = NiceAxis::forSteps(0, 299);
    EXPECT_DOUBLE_EQ(r.min, 0);
    EXPECT_DOUBLE_EQ(r.max, 299);
    EXPECT_DOUBLE_EQ(r.step, 100);
    const NiceAxis::Range one = NiceAxis::forSteps(5, 5);
    EXPECT_DOUBLE_EQ(one.max, 6);
}
