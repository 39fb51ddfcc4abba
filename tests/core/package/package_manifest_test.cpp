// SPDX-License-Identifier: MIT
// PackageManifest and SealedPackage: a manifest round-trips through its JSON; every malformed
// field is refused naming it, a newer format is refused as such; a sealed package is read only
// when the seal holds, every entry is there and the manifest parses.

#include "package/package_manifest.h"
#include "package/sealed_package.h"
#include "package/signing_key.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <functional>

using namespace mlwb;

namespace {

PackageManifest sample()
{
    PackageManifest m;
    m.name = QStringLiteral("iris-mlp");
    m.version = QStringLiteral("1.2.0");
    m.created = QDateTime(QDate(2026, 12, 2), QTime(13, 0, 0, 250), Qt::UTC);
    m.author = QStringLiteral("alice@host");
    m.input.shape = {2};
    m.input.features = {{QStringLiteral("petal_length"), QStringLiteral("numeric"), {}},
                        {QStringLiteral("colour"), QStringLiteral("category"), {QStringLiteral("red"), QStringLiteral("blue")}}};
    m.input.modelShape = {3};
    m.input.preprocessing = QJsonObject{{QStringLiteral("task"), QStringLiteral("classification")}};
    m.output.shape = {3};
    m.output.labels = {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")};
    m.output.target = QStringLiteral("species");
    m.lineage.project = QStringLiteral("demo.mlwb");
    m.lineage.runId = 4;
    m.lineage.runName = QStringLiteral("iris lr 1e-3");
    m.lineage.modelId = 2;
    m.lineage.modelName = QStringLiteral("iris-mlp");
    m.lineage.modelVersion = 3;
    m.lineage.datasetId = 1;
    m.lineage.datasetName = QStringLiteral("iris");
    m.lineage.datasetSha256 = QString(64, QLatin1Char('a'));
    m.lineage.metrics = QJsonObject{{QStringLiteral("accuracy"), 0.95}};
    m.libtorchVersion = QStringLiteral("1.13.1");
    m.mlwbVersion = QStringLiteral("0.1.0");
    return m;
}

QByteArray edited(const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject o = sample().toJson();
    edit(o);
    return QJsonDocument(o).toJson();
}

// Sets a nested field: path "input.features" etc.
void set(QJsonObject &o, const QStringList &path, const QJsonValue &v)
{
    if (path.size() == 1) {
        if (v.isUndefined())
            o.remove(path[0]);
        else
            o.insert(path[0], v);
        return;
    }
    QJsonObject inner = o.value(path[0]).toObject();
    set(inner, path.mid(1), v);
    o.insert(path[0], inner);
}

} // namespace

TEST(PackageManifestTest, RoundTripsThroughItsJson)
{
    const PackageManifest m = sample();
    auto back = PackageManifest::fromJson(m.toBytes(), QStringLiteral("p.mlwbpkg"));
    ASSERT_TRUE(back) << back.error().toStdString();
    EXPECT_EQ(back->toJson(), m.toJson());
    EXPECT_EQ(back->created, m.created);
    EXPECT_EQ(back->input.features[1].categories, m.input.features[1].categories);
    EXPECT_EQ(back->lineage.modelVersion, 3);
    EXPECT_EQ(back->reference(), QStringLiteral("iris-mlp:1.2.0"));
    // A later format-1 writer may add fields.
    auto extended = PackageManifest::fromJson(edited([](QJsonObject &o) { o.insert(QStringLiteral("signed_off_by"), 1); }),
                                              QStringLiteral("p.mlwbpkg"));
    EXPECT_TRUE(extended) << extended.error().toStdString();
}

TEST(PackageManifestTest, EveryMalformedFieldIsRefusedByName)
{
    const struct {
        QStringList path;
        QJsonValue value;
        const char *named;
    } cases[] = {
        {{QStringLiteral("name")}, QStringLiteral("../evil"), "name"},
        {{QStringLiteral("name")}, QJsonValue(QJsonValue::Undefined), "name is missing"},
        {{QStringLiteral("version")}, QStringLiteral("1.2"), "version"},
        {{QStringLiteral("created")}, QStringLiteral("yesterday"), "created"},
        {{QStringLiteral("author")}, 5, "author must be a string"},
        {{QStringLiteral("input")}, QJsonValue(QJsonValue::Undefined), "input is missing"},
        {{QStringLiteral("input"), QStringLiteral("datatype")}, QStringLiteral("INT8"), "input.datatype"},
        {{QStringLiteral("input"), QStringLiteral("shape")}, QJsonArray{3}, "input.shape must be [2]"},
        {{QStringLiteral("input"), QStringLiteral("shape")}, QJsonArray{-2}, "input.shape"},
        {{QStringLiteral("input"), QStringLiteral("model_shape")}, QJsonArray{1.5}, "input.model_shape"},
        {{QStringLiteral("input"), QStringLiteral("model_shape")}, QJsonArray{1 << 20, 1 << 20}, "input.model_shape"},
        {{QStringLiteral("input"), QStringLiteral("features")}, QJsonArray{}, "input.features"},
        {{QStringLiteral("input"), QStringLiteral("features")},
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("a")}, {QStringLiteral("kind"), QStringLiteral("text")}},
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("b")}, {QStringLiteral("kind"), QStringLiteral("numeric")}}},
         "input.features[0].kind"},
        {{QStringLiteral("input"), QStringLiteral("preprocessing")}, QJsonArray{}, "input.preprocessing"},
        {{QStringLiteral("output"), QStringLiteral("task")}, QStringLiteral("ranking"), "output.task"},
        {{QStringLiteral("output"), QStringLiteral("labels")}, QJsonArray{QStringLiteral("a")}, "output.labels"},
        {{QStringLiteral("output"), QStringLiteral("labels")}, QJsonArray{1, 2, 3}, "output.labels"},
        {{QStringLiteral("lineage"), QStringLiteral("run")}, QStringLiteral("4"), "lineage.run"},
        {{QStringLiteral("lineage"), QStringLiteral("dataset"), QStringLiteral("sha256")}, QStringLiteral("xyz"),
         "lineage.dataset.sha256"},
        {{QStringLiteral("lineage"), QStringLiteral("model"), QStringLiteral("version")}, -1, "lineage.model.version"},
        {{QStringLiteral("runtime"), QStringLiteral("libtorch")}, QJsonValue(QJsonValue::Undefined), "runtime.libtorch"},
    };
    for (const auto &c : cases) {
        auto parsed = PackageManifest::fromJson(edited([&](QJsonObject &o) { set(o, c.path, c.value); }),
                                                QStringLiteral("p.mlwbpkg"));
        ASSERT_FALSE(parsed) << c.named;
        EXPECT_EQ(parsed.kind(), ErrorKind::Corrupt) << c.named;
        EXPECT_TRUE(parsed.error().contains(QLatin1String(c.named))) << parsed.error().toStdString();
        EXPECT_TRUE(parsed.error().startsWith(QLatin1String("p.mlwbpkg: manifest.json"))) << parsed.error().toStdString();
    }
    for (const QByteArray &garbage : {QByteArray("{"), QByteArray("[]"), QByteArray(""), QByteArray("\xff\xfe")}) {
        auto parsed = PackageManifest::fromJson(garbage, QStringLiteral("p.mlwbpkg"));
        ASSERT_FALSE(parsed);
        EXPECT_EQ(parsed.kind(), ErrorKind::Corrupt);
    }
}

TEST(PackageManifestTest, ANewerFormatIsRefusedAsSuch)
{
    auto parsed = PackageManifest::fromJson(edited([](QJsonObject &o) { o.insert(QStringLiteral("format"), 2); }),
                                            QStringLiteral("p.mlwbpkg"));
    ASSERT_FALSE(parsed);
    EXPECT_TRUE(parsed.error().contains(QLatin1String("format 2; this mlwb reads format 1"))) << parsed.error().toStdString();
    auto none = PackageManifest::fromJson(edited([](QJsonObject &o) { o.remove(QStringLiteral("format")); }),
                                          QStringLiteral("p.mlwbpkg"));
    ASSERT_FALSE(none);
    EXPECT_TRUE(none.error().contains(QLatin1String("format"))) << none.error().toStdString();
}

TEST(SealedPackageTest, OpensOnlyWhenSealEntriesAndManifestHold)
{
    auto key = SigningKey::generate(QStringLiteral("alice@host"));
    ASSERT_TRUE(key);
    const auto entries = [](const QByteArray &manifest) {
        std::vector<PackageArchive::Entry> e;
        for (const QString &name : SealedPackage::contentEntries())
            e.push_back({name, name == QLatin1String("manifest.json") ? manifest
                               : name == QLatin1String("model.pt")    ? QByteArray("PK\x03\x04 not read here")
                                                                      : QByteArray("{\"format\": 1}")});
        return e;
    };
    const auto sealedBytes = [&](std::vector<PackageArchive::Entry> e) {
        auto s = PackageSeal::seal(std::move(e), &*key);
        EXPECT_TRUE(s);
        auto bytes = PackageArchive::write(*s);
        EXPECT_TRUE(bytes);
        return *bytes;
    };
    const QList<PublicKey> trusted{key->publicKey()};
    auto opened = SealedPackage::open(sealedBytes(entries(sample().toBytes())), QStringLiteral("p.mlwbpkg"), trusted, true);
    ASSERT_TRUE(opened) << opened.error().toStdString();
    EXPECT_EQ(opened->manifest().reference(), QStringLiteral("iris-mlp:1.2.0"));
    EXPECT_TRUE(opened->seal().isSigned);
    EXPECT_EQ(opened->checks().value(QStringLiteral("format")).toInt(), 1);

    // Resealed with new checks: still verifies, and carries them.
    auto again = opened->resealed(&*key, QStringLiteral("checks.json"), "{\"format\": 1, \"status\": \"passed\"}");
    ASSERT_TRUE(again) << again.error().toStdString();
    auto reopened = SealedPackage::open(*again, QStringLiteral("p.mlwbpkg"), trusted, true);
    ASSERT_TRUE(reopened) << reopened.error().toStdString();
    EXPECT_EQ(reopened->checks().value(QStringLiteral("status")).toString(), QStringLiteral("passed"));
    EXPECT_FALSE(opened->resealed(&*key, QStringLiteral("hashes.json"), "{}"));

    // A missing entry, a broken manifest under a good seal, a foreign key.
    auto noBaseline = entries(sample().toBytes());
    noBaseline.erase(noBaseline.begin() + 2);
    auto missing = SealedPackage::open(sealedBytes(noBaseline), QStringLiteral("p.mlwbpkg"), trusted, true);
    ASSERT_FALSE(missing);
    EXPECT_TRUE(missing.error().contains(QLatin1String("no baseline.json"))) << missing.error().toStdString();
    auto badManifest = SealedPackage::open(sealedBytes(entries("{\"format\": 1}")), QStringLiteral("p.mlwbpkg"), trusted, true);
    ASSERT_FALSE(badManifest);
    EXPECT_TRUE(badManifest.error().contains(QLatin1String("manifest.json"))) << badManifest.error().toStdString();
    auto other = SigningKey::generate(QStringLiteral("mallory@host"));
    auto foreign = SealedPackage::open(sealedBytes(entries(sample().toBytes())), QStringLiteral("p.mlwbpkg"),
                                       {other->publicKey()}, true);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.kind(), ErrorKind::Unauthorized) << foreign.error().toStdString();
}
