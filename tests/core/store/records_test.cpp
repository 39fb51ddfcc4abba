// SPDX-License-Identifier: MIT
// Records' one JSON form: what toJson gives, fromJson takes back; wrong types are named.
#include "store/records.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

namespace mlwb {
namespace {

const QDateTime kCreated = QDateTime::fromString(QStringLiteral("2026-11-30T08:15:00Z"), Qt::ISODate);

TEST(RecordsJson, RunRoundTripsWithItsMetricsAndTimes)
{
    RunRecord r;
    r.id = 42;
    r.name = QStringLiteral("wide");
    r.modelId = 3;
    r.modelName = QStringLiteral("iris-mlp");
    r.modelVersion = 2;
    r.modelVersionId = 5;
    r.datasetId = 1;
    r.status = RunStatus::Interrupted;
    r.message = QStringLiteral("canceled");
    r.sweepId = 7;
    r.createdAt = kCreated;
    r.startedAt = kCreated.addSecs(5);
    r.hyperparams = {{QStringLiteral("lr"), 0.01}, {QStringLiteral("optimizer"), QStringLiteral("adam")}};
    r.summary = {{QStringLiteral("val_accuracy"), 0.96}, {QStringLiteral("task"), QStringLiteral("classification")},
                 {QStringLiteral("val_loss"), QStringLiteral("NaN")}};

    const QJsonObject o = r.toJson();
    EXPECT_EQ(o.value(QStringLiteral("status")).toString(), QStringLiteral("interrupted"));
    EXPECT_EQ(o.value(QStringLiteral("model")).toString(), QStringLiteral("iris-mlp"));
    EXPECT_EQ(o.value(QStringLiteral("created")).toString(), QStringLiteral("2026-11-30T08:15:00Z"));
    EXPECT_TRUE(o.value(QStringLiteral("finished")).isNull());
    // "metrics": the summary's numbers; the summary whole.
    EXPECT_EQ(o.value(QStringLiteral("metrics")).toObject(), (QJsonObject{{QStringLiteral("val_accuracy"), 0.96}}));
    EXPECT_EQ(o.value(QStringLiteral("summary")).toObject(), r.summary);

    auto back = RunRecord::fromJson(o);
    ASSERT_OK(back);
    EXPECT_EQ(back->toJson(), o);
    EXPECT_EQ(back->startedAt, r.startedAt);
    EXPECT_FALSE(back->finishedAt.isValid());
}

TEST(RecordsJson, EveryRecordRoundTrips)
{
    DatasetRecord d{4, QStringLiteral("iris"), kCreated, QStringLiteral("/data/iris.csv"), QStringLiteral("ab12"),
                    150, 5, QByteArray(R"({"columns":[{"name":"sepal_length"}]})")};
    auto d2 = DatasetRecord::fromJson(d.toJson());
    ASSERT_OK(d2);
    EXPECT_EQ(d2->toJson(), d.toJson());
    EXPECT_EQ(d.toJson().value(QStringLiteral("schema")).toObject().value(QStringLiteral("columns")).toArray().size(), 1);

    ModelRecord m{9, QStringLiteral("digits-cnn"), ModelKind::TorchScript, 4, kCreated, QStringLiteral("imported")};
    auto m2 = ModelRecord::fromJson(m.toJson());
    ASSERT_OK(m2);
    EXPECT_EQ(m2->kind, ModelKind::TorchScript);
    EXPECT_EQ(m2->toJson(), m.toJson());

    ModelVersionRecord v{11, 9, 3, kCreated, QByteArray(R"({"input":[4],"layers":[]})"), {}};
    auto v2 = ModelVersionRecord::fromJson(v.toJson());
    ASSERT_OK(v2);
    EXPECT_EQ(v2->toJson(), v.toJson());
    ModelVersionRecord imported{12, 9, 4, kCreated, {}, QByteArray(1234, 'x')};
    EXPECT_EQ(imported.toJson().value(QStringLiteral("torchscript_bytes")).toInteger(), 1234);
    EXPECT_FALSE(imported.toJson().contains(QStringLiteral("spec")));

    SweepRecord s{2, QStringLiteral("lr sweep"), 9, QStringLiteral("grid"),
                  QJsonObject{{QStringLiteral("strategy"), QStringLiteral("grid")}}, kCreated,
                  QStringLiteral("digits-cnn"), 6};
    auto s2 = SweepRecord::fromJson(s.toJson());
    ASSERT_OK(s2);
    EXPECT_EQ(s2->toJson(), s.toJson());
}

TEST(RecordsJson, PackageRoundTripsWithManifestChecksAndOverrides)
{
    PackageRecord p;
    p.id = 7;
    p.modelId = 3;
    p.runId = 42;
    p.name = QStringLiteral("iris");
    p.version = QStringLiteral("1.10.0");
    p.createdAt = kCreated;
    p.author = QStringLiteral("alice");
    p.manifestJson = QByteArray(R"({"format":1,"name":"iris","version":"1.10.0"})");
    p.archive = QByteArray(4096, 'z');
    p.archiveSha256 = QStringLiteral("ab").repeated(32);
    p.keyId = QStringLiteral("0123456789abcdef");
    p.state = PackageState::GateFailed;
    p.checks = {{QStringLiteral("gate"), QStringLiteral("failed")}, {QStringLiteral("accuracy"), 0.81}};
    p.checkedAt = kCreated.addSecs(60);
    p.modelName = QStringLiteral("iris-mlp");
    p.overrides = {{1, 7, QStringLiteral("noisy drift check"), QStringLiteral("bob"), kCreated.addSecs(120)},
                   {2, 7, QStringLiteral("approved"), QStringLiteral("carol"), kCreated.addSecs(180)}};

    const QJsonObject o = p.toJson();
    EXPECT_FALSE(o.contains(QStringLiteral("archive"))) << "blobs stay out of JSON";
    EXPECT_EQ(o.value(QStringLiteral("archive_bytes")).toInteger(), 4096);
    EXPECT_EQ(o.value(QStringLiteral("manifest")).toObject().value(QStringLiteral("version")).toString(),
              QStringLiteral("1.10.0"));
    EXPECT_EQ(o.value(QStringLiteral("state")).toString(), QStringLiteral("gate_failed"));
    EXPECT_EQ(o.value(QStringLiteral("checks")).toObject(), p.checks);
    EXPECT_EQ(o.value(QStringLiteral("checked")).toString(), QStringLiteral("2026-11-30T08:16:00Z"));
    EXPECT_TRUE(o.value(QStringLiteral("overridden")).toBool());
    ASSERT_EQ(o.value(QStringLiteral("overrides")).toArray().size(), 2);
    EXPECT_EQ(o.value(QStringLiteral("overrides")).toArray().at(0).toObject().value(QStringLiteral("author")).toString(),
              QStringLiteral("bob"));

    auto back = PackageRecord::fromJson(o);
    ASSERT_OK(back);
    EXPECT_EQ(back->toJson(), o);
    EXPECT_TRUE(back->archive.isEmpty());
    EXPECT_EQ(back->archiveBytes, 4096);
    EXPECT_EQ(back->state, PackageState::GateFailed);
    EXPECT_EQ(back->checkedAt, p.checkedAt);
    ASSERT_EQ(back->overrides.size(), 2);
    EXPECT_EQ(back->overrides.at(1).reason, QStringLiteral("approved"));
    EXPECT_EQ(back->overrides.at(1).createdAt, kCreated.addSecs(180));
    EXPECT_EQ(QJsonDocument::fromJson(back->manifestJson).object(), QJsonDocument::fromJson(p.manifestJson).object());

    // Built and unchecked: no report, nothing overridden, "overridden" comes from the overrides.
    PackageRecord built;
    built.name = QStringLiteral("iris");
    built.version = QStringLiteral("1.0.0");
    built.archiveBytes = 99;
    QJsonObject b = built.toJson();
    EXPECT_EQ(b.value(QStringLiteral("state")).toString(), QStringLiteral("built"));
    EXPECT_TRUE(b.value(QStringLiteral("checks")).isNull());
    EXPECT_TRUE(b.value(QStringLiteral("checked")).isNull());
    EXPECT_FALSE(b.value(QStringLiteral("overridden")).toBool());
    EXPECT_EQ(b.value(QStringLiteral("archive_bytes")).toInteger(), 99);
    auto builtBack = PackageRecord::fromJson(b);
    ASSERT_OK(builtBack);
    EXPECT_EQ(builtBack->toJson(), b);
    b.insert(QStringLiteral("overridden"), true);
    EXPECT_FALSE(PackageRecord::fromJson(b)->overridden());

    PackageOverrideRecord single{5, 7, QStringLiteral("why"), QStringLiteral("who"), kCreated};
    auto singleBack = PackageOverrideRecord::fromJson(single.toJson());
    ASSERT_OK(singleBack);
    EXPECT_EQ(singleBack->toJson(), single.toJson());

    for (PackageState s : {PackageState::Built, PackageState::Checked, PackageState::GateFailed})
        EXPECT_EQ(packageStateFromName(packageStateName(s)), s);
    EXPECT_EQ(packageStateName(PackageState::GateFailed), QStringLiteral("gate_failed"));
    EXPECT_EQ(packageStateFromName(QStringLiteral("deployed")), std::nullopt);
}

TEST(RecordsJson, PackageWrongTypesAreNamed)
{
    auto state = PackageRecord::fromJson(QJsonDocument::fromJson(R"({"state": "deployed"})").object());
    ASSERT_FALSE(state.ok());
    EXPECT_EQ(state.kind(), ErrorKind::InvalidInput);
    EXPECT_EQ(state.error(), QStringLiteral("package: \"state\" must be \"built\", \"checked\" or \"gate_failed\""));

    auto list = PackageRecord::fromJson(QJsonDocument::fromJson(R"({"overrides": {"a": 1}})").object());
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error(), QStringLiteral("package: \"overrides\" must be an array"));

    auto item = PackageRecord::fromJson(QJsonDocument::fromJson(R"({"overrides": [3]})").object());
    ASSERT_FALSE(item.ok());
    EXPECT_EQ(item.error(), QStringLiteral("package: \"overrides\" must be an array of objects"));

    auto nested = PackageRecord::fromJson(QJsonDocument::fromJson(R"({"overrides": [{"author": 3}]})").object());
    ASSERT_FALSE(nested.ok());
    EXPECT_EQ(nested.error(),
              QStringLiteral("package: \"overrides\": package override: \"author\" must be a string"));

    auto manifest = PackageRecord::fromJson(QJsonDocument::fromJson(R"({"manifest": "{}"})").object());
    ASSERT_FALSE(manifest.ok());
    EXPECT_EQ(manifest.error(), QStringLiteral("package: \"manifest\" must be an object"));
}

TEST(RecordsJson, ForeignJsonIsReadLeniently)
{
    // int64 as strings (as protobuf's JSON mapping writes them), unknown fields ignored.
    auto r = RunRecord::fromJson(QJsonDocument::fromJson(
        R"({"id":"9007199254740993","run_uuid":"abc","status":"finished","model_version":"2"})").object());
    ASSERT_OK(r);
    EXPECT_EQ(r->id, 9007199254740993LL);
    EXPECT_EQ(r->status, RunStatus::Finished);
    EXPECT_EQ(r->modelVersion, 2);
}

TEST(RecordsJson, WrongTypesAreNamed)
{
    auto name = DatasetRecord::fromJson(QJsonDocument::fromJson(R"({"name": 3})").object());
    ASSERT_FALSE(name.ok());
    EXPECT_EQ(name.kind(), ErrorKind::InvalidInput);
    EXPECT_EQ(name.error(), QStringLiteral("dataset: \"name\" must be a string"));

    auto fraction = RunRecord::fromJson(QJsonDocument::fromJson(R"({"id": 1.5})").object());
    ASSERT_FALSE(fraction.ok());
    EXPECT_EQ(fraction.error(), QStringLiteral("run: \"id\" must be an integer"));

    auto status = RunRecord::fromJson(QJsonDocument::fromJson(R"({"status": "done"})").object());
    ASSERT_FALSE(status.ok());
    EXPECT_TRUE(status.error().startsWith(QStringLiteral("run: \"status\" must be queued, running"))) << qPrintable(status.error());

    auto kind = ModelRecord::fromJson(QJsonDocument::fromJson(R"({"kind": "onnx"})").object());
    ASSERT_FALSE(kind.ok());
    EXPECT_EQ(kind.error(), QStringLiteral("model: \"kind\" must be \"spec\" or \"torchscript\""));

    auto when = SweepRecord::fromJson(QJsonDocument::fromJson(R"({"created": "yesterday"})").object());
    ASSERT_FALSE(when.ok());
    EXPECT_EQ(when.error(), QStringLiteral("sweep: \"created\" must be an ISO 8601 time"));

    auto hyper = RunRecord::fromJson(QJsonDocument::fromJson(R"({"hyperparameters": [1]})").object());
    ASSERT_FALSE(hyper.ok());
    EXPECT_EQ(hyper.error(), QStringLiteral("run: \"hyperparameters\" must be an object"));
}

} // namespace
} // namespace mlwb
