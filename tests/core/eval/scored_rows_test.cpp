// SPDX-License-Identifier: MIT
// The predictions file (`mlwb eval --predictions`): its columns, quoting, and numbers that read
// back as exactly the values that were scored.

#include "eval/scored_rows.h"

#include <gtest/gtest.h>

#include <QList>

using namespace mlwb;

TEST(ScoredRows, ClassificationColumnsAndExactNumbers)
{
    ScoredRows s;
    s.rows = {4, 17};
    s.classNames = {QStringLiteral("setosa"), QStringLiteral("big, red")};
    s.labels = {0, 0};
    s.predicted = {1, 0};
    s.probabilities = {0.1f, 0.9f, 1.0f / 3.0f, 2.0f / 3.0f};
    s.logits = {-1.5f, 0.7f, 0.0f, 1e-8f};
    const QList<QByteArray> lines = s.toCsv().split('\n');
    ASSERT_EQ(lines.size(), 4) << "header, two rows, and the final newline";
    EXPECT_EQ(lines[0], "row,target,predicted,p_setosa,\"p_big, red\",logit_setosa,\"logit_big, red\"");
    // The shortest text that reads back as the same double: each float's exact value.
    EXPECT_EQ(lines[1], "4,setosa,\"big, red\",0.10000000149011612,0.8999999761581421,-1.5,"
                        "0.699999988079071");
    const QList<QByteArray> second = lines[2].split(',');
    ASSERT_EQ(second.size(), 7);
    EXPECT_EQ(second[0], "17");
    EXPECT_EQ(second[3], "0.3333333432674408");
    EXPECT_EQ(second[3].toDouble(), double(1.0f / 3.0f)) << "exact, not rounded to 9 digits";
    EXPECT_EQ(second[5], "0");
    EXPECT_EQ(second[6].toDouble(), double(1e-8f));
    EXPECT_TRUE(lines[3].isEmpty());
}

TEST(ScoredRows, RegressionColumns)
{
    ScoredRows s;
    s.rows = {0, 2};
    s.targets = {151.0, 75.0};
    s.predictions = {148.25, 0.1 + 0.2};
    EXPECT_FALSE(s.isClassification());
    EXPECT_EQ(s.toCsv(), "row,target,predicted\n0,151,148.25\n2,75,0.30000000000000004\n");
}
