// SPDX-License-Identifier: MIT
#include "train/training_config.h"

#include "test_support.h"

using namespace mlwb;

TEST(TrainingConfig, SetParsesAndNamesBadValues)
{
    TrainingConfig c;
    EXPECT_TRUE(c.set(QStringLiteral("lr"), QStringLiteral("0.05")).ok());
    EXPECT_DOUBLE_EQ(c.learningRate, 0.05);
    EXPECT_TRUE(c.set(QStringLiteral("nesterov"), QStringLiteral("true")).ok());
    EXPECT_TRUE(c.nesterov);
    auto bad = c.set(QStringLiteral("lr"), QStringLiteral("fast"));
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().startsWith(QStringLiteral("lr: expected a number")));
    auto unknown = c.set(QStringLiteral("learning_rate"), QStringLiteral("1"));
    ASSERT_FALSE(unknown.ok());
    EXPECT_TRUE(unknown.error().contains(QStringLiteral("unknown hyperparameter")));
    EXPECT_TRUE(unknown.error().contains(QStringLiteral("lr")));
    auto choice = c.set(QStringLiteral("schedule"), QStringLiteral("exponential"));
    ASSERT_FALSE(choice.ok());
    EXPECT_TRUE(choice.error().contains(QStringLiteral("cosine")));
}

TEST(TrainingConfig, ValidateCatchesInconsistentSettings)
{
    TrainingConfig c;
    c.nesterov = true;
    c.optimizer = QStringLiteral("adam");
    EXPECT_FALSE(c.validate().ok());
    c.optimizer = QStringLiteral("sgd");
    EXPECT_TRUE(c.validate().ok());
    c.batchSize = 0;
    EXPECT_FALSE(c.validate().ok());
}

TEST(TrainingConfig, JsonRoundTrip)
{
    TrainingConfig c;
    ASSERT_TRUE(c.set(QStringLiteral("optimizer"), QStringLiteral("adamw")).ok());
    ASSERT_TRUE(c.set(QStringLiteral("schedule"), QStringLiteral("onecycle")).ok());
    ASSERT_TRUE(c.set(QStringLiteral("seed"), QStringLiteral("123456789012")).ok());
    ASSERT_TRUE(c.set(QStringLiteral("patience"), QStringLiteral("4")).ok());
    auto back = TrainingConfig::fromJson(c.toJson());
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(back->toJson(), c.toJson());
    EXPECT_EQ(back->seed, 123456789012ULL);
    EXPECT_FALSE(TrainingConfig::fromJson({{QStringLiteral("epochs"), -3}}).ok());
}
