// SPDX-License-Identifier: MIT
// PackageBuilder: a finished run becomes a sealed, signed package whose manifest tells where it
// came from, whose baseline is the training split binned, and whose input example replays.

#include "checks_fixture.h"

#include "common/sha256.h"
#include "data/preprocessing.h"
#include "inference/inference_engine.h"
#include "inference/run_evaluator.h"
#include "store/run_repository.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>

using namespace mlwb;
using namespace mlwb::test;

class PackageBuilderTest : public ChecksFixture {};

TEST_F(PackageBuilderTest, AFinishedRunBecomesASignedPackageWithItsLineage)
{
    const qint64 run = trainRun(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"),
                                QStringLiteral("species"), QStringLiteral("mlp"), 5);
    ASSERT_GT(run, 0);
    auto built = build(run, QStringLiteral("iris-mlp"), QStringLiteral("1.0.0"));
    ASSERT_TRUE(built) << qPrintable(built.error());
    EXPECT_EQ(built->keyId, key->publicKey().id());

    auto opened = SealedPackage::open(built->archive, QStringLiteral("iris.mlwbpkg"), {key->publicKey()}, true);
    ASSERT_TRUE(opened) << qPrintable(opened.error());
    const PackageManifest &m = opened->manifest();
    EXPECT_EQ(m.reference(), QStringLiteral("iris-mlp:1.0.0"));
    EXPECT_EQ(m.lineage.runId, run);
    EXPECT_EQ(m.lineage.modelName, QStringLiteral("iris-mlp"));
    EXPECT_EQ(m.lineage.modelVersion, 1);
    EXPECT_EQ(m.lineage.datasetName, QStringLiteral("iris"));
    EXPECT_EQ(m.lineage.project, QStringLiteral("test.mlwb"));
    // The data set's SHA-256 is the imported file's.
    QFile csv(datasetPath(QStringLiteral("iris.csv")));
    ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
    EXPECT_EQ(m.lineage.datasetSha256, QString::fromLatin1(QCryptographicHash::hash(csv.readAll(), QCryptographicHash::Sha256).toHex()));
    EXPECT_TRUE(m.lineage.metrics.contains(QStringLiteral("accuracy")));
    EXPECT_EQ(m.input.shape, std::vector<qint64>{4});
    EXPECT_EQ(m.output.labels, (QStringList{QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")}));
    EXPECT_FALSE(m.libtorchVersion.isEmpty());

    // model.pt is the run's own model.
    auto model = RunEvaluator(m_project->db()).trainedModel(run);
    ASSERT_TRUE(model);
    EXPECT_EQ(opened->entry(QStringLiteral("model.pt")), *model);

    // The baseline: every feature binned over the training rows.
    auto dataset = DatasetCatalog(m_project->db()).load(QStringLiteral("iris"));
    ASSERT_TRUE(dataset);
    const qint64 trainRows = qint64(dataset->rows(SplitPart::Train).size());
    const QJsonObject baseline = opened->baseline();
    EXPECT_EQ(baseline.value(QStringLiteral("rows")).toInteger(), trainRows);
    const QJsonArray features = baseline.value(QStringLiteral("features")).toArray();
    ASSERT_EQ(features.size(), 4);
    for (const QJsonValue &f : features) {
        qint64 sum = f[QStringLiteral("missing")].toInteger();
        for (const QJsonValue &c : f[QStringLiteral("counts")].toArray())
            sum += c.toInteger();
        EXPECT_EQ(sum, trainRows) << qPrintable(f[QStringLiteral("name")].toString());
        EXPECT_EQ(f[QStringLiteral("edges")].toArray().size(), f[QStringLiteral("counts")].toArray().size() + 1);
    }
    qint64 predicted = 0;
    for (const QJsonValue &c : baseline[QStringLiteral("prediction")][QStringLiteral("counts")].toArray())
        predicted += c.toInteger();
    EXPECT_EQ(predicted, trainRows);

    // The input example is an OIP request of the first test rows, raw.
    const QJsonObject input = opened->inputExample()[QStringLiteral("inputs")].toArray().at(0).toObject();
    EXPECT_EQ(input[QStringLiteral("name")].toString(), QStringLiteral("INPUT__0"));
    EXPECT_EQ(input[QStringLiteral("shape")].toArray(), (QJsonArray{2, 4}));
    const qint64 first = dataset->rows(SplitPart::Test).front();
    EXPECT_DOUBLE_EQ(input[QStringLiteral("data")].toArray().at(0).toDouble(),
                     double(float(dataset->data.table.columnData(0)[size_t(first)])));
    EXPECT_EQ(opened->checks()[QStringLiteral("status")].toString(), QStringLiteral("not_run"));
}

TEST_F(PackageBuilderTest, BadRequestsAreRefused)
{
    const qint64 run = trainRun(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"),
                                QStringLiteral("species"), QStringLiteral("logistic"), 2);
    ASSERT_GT(run, 0);
    auto badName = build(run, QStringLiteral("../x"), QStringLiteral("1.0.0"));
    ASSERT_FALSE(badName);
    EXPECT_TRUE(badName.error().contains(QLatin1String("package name"))) << qPrintable(badName.error());
    auto badVersion = build(run, QStringLiteral("iris"), QStringLiteral("1.0"));
    ASSERT_FALSE(badVersion);
    EXPECT_TRUE(badVersion.error().contains(QLatin1String("MAJOR.MINOR.PATCH"))) << qPrintable(badVersion.error());
    auto noRun = build(run + 100, QStringLiteral("iris"), QStringLiteral("1.0.0"));
    ASSERT_FALSE(noRun);
    EXPECT_EQ(noRun.kind(), ErrorKind::NotFound);
    ASSERT_TRUE(RunRepository(m_project->db()).setStatus(run, RunStatus::Failed, QStringLiteral("diverged")));
    auto failed = build(run, QStringLiteral("iris"), QStringLiteral("1.0.0"));
    ASSERT_FALSE(failed);
    EXPECT_TRUE(failed.error().contains(QLatin1String("only a finished run"))) << qPrintable(failed.error());
    // Unsigned packages are possible (and fail the seal check later).
    ASSERT_TRUE(RunRepository(m_project->db()).setStatus(run, RunStatus::Finished));
    auto unsigned_ = build(run, QStringLiteral("iris"), QStringLiteral("1.0.0"), false);
    ASSERT_TRUE(unsigned_) << qPrintable(unsigned_.error());
    EXPECT_TRUE(unsigned_->keyId.isEmpty());
}
