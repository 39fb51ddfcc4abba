// SPDX-License-Identifier: MIT
#include "eval/metric_order.h"

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

QStringList keys(std::initializer_list<const char *> names)
{
    QStringList out;
    for (const char *n : names)
        out << QString::fromLatin1(n);
    return out;
}

} // namespace

TEST(MetricOrder, ClassificationTrainingSeries)
{
    // What the trainer logs for iris, as the store lists it (alphabetically).
    const QStringList logged = keys({"epoch", "epoch_lr", "epoch_time", "loss", "lr",
                                     "samples_per_sec", "train_accuracy", "train_loss",
                                     "val_accuracy", "val_loss"});
    const MetricOrder order = MetricOrder::forKeys(logged);
    EXPECT_EQ(order.task(), MetricOrder::Task::Classification);
    EXPECT_EQ(order.sorted(logged),
              keys({"loss", "train_loss", "val_loss", "train_accuracy", "val_accuracy", "epoch",
                    "epoch_lr", "epoch_time", "lr", "samples_per_sec"}));
    const QList<QStringList> groups = order.grouped(logged);
    ASSERT_EQ(groups.size(), 7);
    EXPECT_EQ(groups[0], keys({"loss", "train_loss", "val_loss"}));
    EXPECT_EQ(groups[1], keys({"train_accuracy", "val_accuracy"}));
    EXPECT_EQ(groups[2], keys({"epoch"}));
    EXPECT_EQ(groups[3], keys({"epoch_lr"}));
}

TEST(MetricOrder, RegressionLeadsWithRmse)
{
    const QStringList logged = keys({"epoch_lr", "loss", "val_loss", "val_mae", "val_mse",
                                     "val_r2", "val_rmse"});
    const MetricOrder order = MetricOrder::forKeys(logged);
    EXPECT_EQ(order.task(), MetricOrder::Task::Regression);
    EXPECT_EQ(order.mainMetric(), QStringLiteral("rmse"));
    EXPECT_EQ(order.sorted(logged),
              keys({"loss", "val_loss", "val_rmse", "val_mae", "val_mse", "val_r2", "epoch_lr"}));
}

TEST(MetricOrder, TableLeadsWithTheMainMetricAndKeepsSplitsTogether)
{
    const QStringList summary = keys({"best_epoch", "epochs_run", "parameters", "test_accuracy",
                                      "test_f1_macro", "train_accuracy", "train_loss",
                                      "val_accuracy", "val_f1_macro", "val_loss"});
    const MetricOrder order(MetricOrder::Task::Classification, MetricOrder::Lead::MainMetric);
    EXPECT_EQ(order.sorted(summary),
              keys({"train_accuracy", "val_accuracy", "test_accuracy", "train_loss", "val_loss",
                    "val_f1_macro", "test_f1_macro", "best_epoch", "epochs_run", "parameters"}));
}

TEST(MetricOrder, SplitSpellings)
{
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("val_accuracy")), QStringLiteral("accuracy"));
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("train/loss")), QStringLiteral("loss"));
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("test.rmse")), QStringLiteral("rmse"));
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("validation_loss")), QStringLiteral("loss"));
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("epoch_lr")), QStringLiteral("epoch_lr"));
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("train_seconds")),
              QStringLiteral("train_seconds"));
    // A metric that merely starts like a split keeps its name.
    EXPECT_EQ(MetricOrder::baseName(QStringLiteral("valence")), QStringLiteral("valence"));
}

TEST(MetricOrder, UnknownTaskStillPutsLossFirstAndBookkeepingLast)
{
    const MetricOrder order = MetricOrder::forKeys(keys({"zeta", "epoch_lr", "alpha", "loss"}));
    EXPECT_EQ(order.task(), MetricOrder::Task::Unknown);
    EXPECT_EQ(order.sorted(keys({"zeta", "epoch_lr", "alpha", "loss"})),
              keys({"loss", "alpha", "zeta", "epoch_lr"}));
}

TEST(MetricOrder, UnitIntervalMetrics)
{
    for (const char *k : {"accuracy", "val_accuracy", "balanced_accuracy", "f1_macro",
                          "test_precision_weighted", "recall_macro", "roc_auc",
                          "average_precision", "ece"})
        EXPECT_TRUE(MetricOrder::isUnitInterval(QString::fromLatin1(k))) << k;
    for (const char *k : {"loss", "val_loss", "log_loss", "rmse", "r2", "epoch_lr", "mae"})
        EXPECT_FALSE(MetricOrder::isUnitInterval(QString::fromLatin1(k))) << k;
}

TEST(MetricOrder, TaskFromName)
{
    EXPECT_EQ(MetricOrder::taskFromName(QStringLiteral("classification")),
              MetricOrder::Task::Classification);
    EXPECT_EQ(MetricOrder::taskFromName(QStringLiteral("regression")),
              MetricOrder::Task::Regression);
    EXPECT_EQ(MetricOrder::taskFromName(QStringLiteral("")), MetricOrder::Task::Unknown);
}

TEST(MetricOrder, Headlines)
{
    const MetricOrder c(MetricOrder::Task::Classification);
    for (const char *k : {"val_accuracy", "test_loss", "test_log_loss", "test_f1_macro", "roc_auc"})
        EXPECT_TRUE(c.isHeadline(QString::fromLatin1(k))) << k;
    for (const char *k : {"test_ece", "precision_weighted", "epochs_run", "val_rmse"})
        EXPECT_FALSE(c.isHeadline(QString::fromLatin1(k))) << k;
    const MetricOrder r(MetricOrder::Task::Regression);
    for (const char *k : {"test_rmse", "val_loss", "mae", "test_r2"})
        EXPECT_TRUE(r.isHeadline(QString::fromLatin1(k))) << k;
    EXPECT_FALSE(r.isHeadline(QStringLiteral("test_max_error")));
}
