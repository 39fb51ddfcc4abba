// SPDX-License-Identifier: MIT
// PackageChecker: every check of the suite on a real package of a trained run, with gates that
// pass and gates that fail, a regression against a better previous version, the robustness
// cases, the python3-torch round trip and an unsigned package.

#include "checks_fixture.h"

#include "checks/package_checker.h"

#include <QJsonArray>

#include <thread>

using namespace mlwb;
using namespace mlwb::test;

class PackageCheckerTest : public ChecksFixture {
protected:
    void SetUp() override
    {
        ChecksFixture::SetUp();
        if (HasFatalFailure())
            return;
        run = trainRun(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), QStringLiteral("species"),
                       QStringLiteral("mlp"), 30);
        ASSERT_GT(run, 0);
        auto d = DatasetCatalog(m_project->db()).load(QStringLiteral("iris"));
        ASSERT_TRUE(d);
        dataset.emplace(std::move(*d));
    }

    Result<CheckReport> check(const SealedPackage &package, CheckConfig config, std::optional<CheckReport> previous = {})
    {
        PackageChecker::Inputs in;
        in.package = &package;
        in.table = &dataset->data.table;
        in.testRows = dataset->rows(SplitPart::Test);
        config.latencySeconds = 0.05;
        in.config = config;
        if (previous) {
            in.previousVersion = QStringLiteral("0.9.0");
            in.previous = previous;
        }
        return PackageChecker::run(in);
    }

    SealedPackage package(bool sign = true)
    {
        auto built = build(run, QStringLiteral("iris-mlp"), QStringLiteral("1.0.0"), sign);
        EXPECT_TRUE(built) << qPrintable(built.error());
        auto opened = SealedPackage::open(built->archive, QStringLiteral("iris.mlwbpkg"), {key->publicKey()}, sign);
        EXPECT_TRUE(opened) << qPrintable(opened.error());
        return std::move(*opened);
    }

    static const CheckReport::Item *find(const CheckReport &r, const QString &id)
    {
        for (const auto &i : r.items) {
            if (i.id == id)
                return &i;
        }
        return nullptr;
    }

    qint64 run = 0;
    std::optional<LoadedDataset> dataset;
};

TEST_F(PackageCheckerTest, AGoodPackagePassesEveryCheckWithItsNumbers)
{
    MLWB_REQUIRE_PYTHON("torch", "numpy");
    const SealedPackage p = package();
    CheckConfig config = CheckConfig::defaults(true);
    config.gates = {{QStringLiteral("accuracy"), 0.5, std::nullopt}, {QStringLiteral("log_loss"), std::nullopt, 5.0}};
    auto report = check(p, config);
    ASSERT_TRUE(report) << qPrintable(report.error());
    for (const auto &i : report->items)
        EXPECT_TRUE(i.passed) << qPrintable(i.id) << ": " << qPrintable(i.detail) << " value " << i.value;
    EXPECT_TRUE(report->passed());
    EXPECT_EQ(report->route, QStringLiteral("matrix-vector"));

    // Quality through the engine equals the manifest's evaluation of the same test rows.
    const double accuracy = report->metrics.value(QStringLiteral("accuracy")).toDouble();
    EXPECT_NEAR(accuracy, p.manifest().lineage.metrics.value(QStringLiteral("accuracy")).toDouble(), 1e-12);
    ASSERT_NE(find(*report, QStringLiteral("gate.accuracy")), nullptr);
    EXPECT_EQ(find(*report, QStringLiteral("gate.accuracy"))->value, accuracy);
    EXPECT_EQ(find(*report, QStringLiteral("gate.log_loss.max"))->op, QStringLiteral("<="));

    // Latency at batch 1, 8, 32, with ordered percentiles; throughput per thread count.
    const QJsonArray batches = report->latency.value(QStringLiteral("batches")).toArray();
    ASSERT_EQ(batches.size(), 3);
    for (const QJsonValue &b : batches) {
        EXPECT_GT(b[QStringLiteral("p50_ms")].toDouble(), 0);
        EXPECT_LE(b[QStringLiteral("p50_ms")].toDouble(), b[QStringLiteral("p95_ms")].toDouble());
        EXPECT_LE(b[QStringLiteral("p95_ms")].toDouble(), b[QStringLiteral("p99_ms")].toDouble());
        EXPECT_GT(b[QStringLiteral("rows_per_s")].toDouble(), 0);
    }
    EXPECT_EQ(report->latency.value(QStringLiteral("threads")).toArray().size(),
              qsizetype(std::max(1u, std::thread::hardware_concurrency())));
    EXPECT_TRUE(report->memory.contains(QStringLiteral("growth_kb_per_1000")));

    // The robustness cases, each as documented.
    ASSERT_EQ(report->robustness.size(), 10);
    for (const QJsonValue &c : report->robustness)
        EXPECT_TRUE(c[QStringLiteral("passed")].toBool()) << qPrintable(c[QStringLiteral("case")].toString()) << ": "
                                                         << qPrintable(c[QStringLiteral("outcome")].toString());

    const auto *python = find(*report, QStringLiteral("interop.python"));
    ASSERT_NE(python, nullptr);
    EXPECT_LE(python->value, 1e-5);
    EXPECT_TRUE(python->detail.contains(QLatin1String("torch 1.13"))) << qPrintable(python->detail);

    // The report round-trips through checks.json.
    auto back = CheckReport::fromJson(report->toJson());
    ASSERT_TRUE(back) << qPrintable(back.error());
    EXPECT_EQ(back->toJson(), report->toJson());
}

TEST_F(PackageCheckerTest, AFailedGateOrARegressionFailsTheReportByName)
{
    const SealedPackage p = package();
    CheckConfig config;
    config.pythonRoundTrip = false;
    config.gates = {{QStringLiteral("accuracy"), 1.01, std::nullopt}, {QStringLiteral("f1_macro"), 0.1, std::nullopt}};
    auto report = check(p, config);
    ASSERT_TRUE(report) << qPrintable(report.error());
    EXPECT_FALSE(report->passed());
    EXPECT_EQ(report->failedGates(), QStringList{QStringLiteral("accuracy on the test split")});
    EXPECT_EQ(report->toJson().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));

    // A previous version that was better by more than the tolerance.
    CheckReport previous;
    previous.metrics = QJsonObject{{QStringLiteral("accuracy"), report->metrics.value(QStringLiteral("accuracy")).toDouble() + 0.05},
                                   {QStringLiteral("f1_macro"), report->metrics.value(QStringLiteral("f1_macro")).toDouble()}};
    config.gates = {{QStringLiteral("accuracy"), 0.1, std::nullopt}, {QStringLiteral("f1_macro"), 0.1, std::nullopt}};
    auto regressed = check(p, config, previous);
    ASSERT_TRUE(regressed) << qPrintable(regressed.error());
    const auto *accuracy = find(*regressed, QStringLiteral("regression.accuracy"));
    ASSERT_NE(accuracy, nullptr);
    EXPECT_FALSE(accuracy->passed);
    EXPECT_NEAR(accuracy->value, 0.05, 1e-9);
    EXPECT_TRUE(accuracy->detail.contains(QLatin1String("0.9.0"))) << qPrintable(accuracy->detail);
    EXPECT_TRUE(find(*regressed, QStringLiteral("regression.f1_macro"))->passed);
    EXPECT_EQ(regressed->failedGates(), QStringList{QStringLiteral("accuracy against 0.9.0")});
}

TEST_F(PackageCheckerTest, AnUnsignedPackageFailsTheSealCheck)
{
    const SealedPackage p = package(false);
    CheckConfig config = CheckConfig::defaults(true);
    config.gates.clear();
    config.pythonRoundTrip = false;
    auto report = check(p, config);
    ASSERT_TRUE(report) << qPrintable(report.error());
    const auto *seal = find(*report, QStringLiteral("seal"));
    ASSERT_NE(seal, nullptr);
    EXPECT_FALSE(seal->passed);
    EXPECT_TRUE(seal->detail.contains(QLatin1String("not signed")));
    EXPECT_FALSE(report->passed());
    const auto *python = find(*report, QStringLiteral("interop.python"));
    EXPECT_TRUE(python->passed);
    EXPECT_FALSE(python->gate);
}
