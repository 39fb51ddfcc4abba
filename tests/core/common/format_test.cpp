// SPDX-License-Identifier: MIT
#include "common/format.h"

#include <gtest/gtest.h>

#include <limits>

using namespace mlwb;

TEST(FormatTest, ReadableNumbersAndTimes)
{
    EXPECT_EQ(Format::duration(42), QStringLiteral("0:42"));
    EXPECT_EQ(Format::duration(62), QStringLiteral("1:02"));
    EXPECT_EQ(Format::duration(3723), QStringLiteral("1:02:03"));
    EXPECT_EQ(Format::duration(-1), QStringLiteral("\u2013"));
    EXPECT_EQ(Format::metric(0.97123), QStringLiteral("0.9712"));
    // Integers are never printed in scientific notation (epochs, parameters in the Inspector).
    EXPECT_EQ(Format::metric(20000), QStringLiteral("20000"));
    EXPECT_EQ(Format::metric(151515), QStringLiteral("151515"));
    EXPECT_EQ(Format::metric(-3), QStringLiteral("-3"));
    EXPECT_EQ(Format::metric(0), QStringLiteral("0"));
    EXPECT_EQ(Format::metric(12345.678), QStringLiteral("12345.7"));
    EXPECT_EQ(Format::metric(2.5e7 + 0.5), QStringLiteral("25000000.5"));
    EXPECT_EQ(Format::metric(1.5e-5), QStringLiteral("1.500e-05"));
    EXPECT_EQ(Format::metric(12.3456), QStringLiteral("12.35"));
    // A diverged loss is a magnitude, not 44268960492662 cut off in a table cell.
    EXPECT_EQ(Format::metric(44268960492662.0), QStringLiteral("4.427e+13"));
    EXPECT_EQ(Format::metric(std::numeric_limits<double>::quiet_NaN()), QStringLiteral("NaN"));
    EXPECT_EQ(Format::metric(-std::numeric_limits<double>::infinity()), QStringLiteral("-inf"));
    EXPECT_EQ(Format::count(1234567), QStringLiteral("1.2 M"));
    EXPECT_EQ(Format::count(3400), QStringLiteral("3.4 k"));
    EXPECT_EQ(Format::count(999), QStringLiteral("999"));
}

TEST(FormatTest, RunNameFallsBackToItsNumber)
{
    EXPECT_EQ(Format::runName(QStringLiteral("baseline"), 3), QStringLiteral("baseline"));
    EXPECT_EQ(Format::runName(QString(), 3), QStringLiteral("run 3"));
}
