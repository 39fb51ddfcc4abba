// SPDX-License-Identifier: MIT
#include "eval/classification_result.h"
#include "eval/metric_direction.h"
#include "eval/regression_result.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlwb;

TEST(MetricDirection, ReportMetrics)
{
    const QStringList lower{QStringLiteral("log_loss"), QStringLiteral("ece"),
                            QStringLiteral("mse"),      QStringLiteral("rmse"),
                            QStringLiteral("mae"),      QStringLiteral("max_error")};
    QStringList all = ClassificationResult::metricNames() + RegressionResult::metricNames();
    for (const QString &name : all)
        EXPECT_EQ(higherIsBetter(name), !lower.contains(name)) << qPrintable(name);
}

TEST(MetricDirection, TrainingNames)
{
    EXPECT_FALSE(higherIsBetter(QStringLiteral("loss")));
    EXPECT_FALSE(higherIsBetter(QStringLiteral("val_loss")));
    EXPECT_FALSE(higherIsBetter(QStringLiteral("train/loss")));
    EXPECT_FALSE(higherIsBetter(QStringLiteral("Val_MSE")));
    EXPECT_FALSE(higherIsBetter(QStringLiteral("test.mean_absolute_error")));
    EXPECT_FALSE(higherIsBetter(QStringLiteral("perplexity")));
    EXPECT_TRUE(higherIsBetter(QStringLiteral("val_accuracy")));
    EXPECT_TRUE(higherIsBetter(QStringLiteral("train/f1_macro")));
    EXPECT_TRUE(higherIsBetter(QStringLiteral("r2")));
    EXPECT_TRUE(higherIsBetter(QStringLiteral("something_new")));
}

TEST(MetricDirection, Improvement)
{
    EXPECT_TRUE(isImprovement(QStringLiteral("val_loss"), 0.1, 0.2));
    EXPECT_FALSE(isImprovement(QStringLiteral("val_loss"), 0.3, 0.2));
    EXPECT_TRUE(isImprovement(QStringLiteral("accuracy"), 0.9, 0.8));
    EXPECT_FALSE(isImprovement(QStringLiteral("accuracy"), 0.8, 0.8));
    EXPECT_FALSE(isImprovement(QStringLiteral("loss"), NAN, 0.2));
    EXPECT_TRUE(isImprovement(QStringLiteral("loss"), 5.0, NAN));
}
