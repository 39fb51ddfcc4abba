// SPDX-License-Identifier: MIT
// `mlwb package` and `mlwb predict` end to end, as a CI pipeline runs them: a trained run is
// packaged, listed, checked (exit 3 when a gate fails, then overridden with a reason), exported
// and verified; a package file with a flipped byte in model.pt or in the manifest, a foreign
// signature, a truncated file and a zip-slip name are each refused with exit 1 naming what is
// wrong; export-triton writes the repository entry; predict reads CSV, JSON records and an
// Open Inference Protocol request.

#include "cli_runner.h"

#include "package/package_archive.h"
#include "package/package_seal.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace mlwb;
using namespace mlwb::test;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ASSERT_EQ(f.write(bytes), bytes.size());
}

} // namespace

class CliPackageTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        qputenv("MLWB_CONFIG_DIR", QFile::encodeName(path(QStringLiteral("alice"))));
        project = path(QStringLiteral("p.mlwb"));
        ASSERT_EQ(cli({QStringLiteral("init"), project}).exitCode, 0);
        auto imported = cli({QStringLiteral("dataset"), QStringLiteral("import"), project, datasetPath(QStringLiteral("iris.csv")),
                             QStringLiteral("--name"), QStringLiteral("iris"), QStringLiteral("--target"), QStringLiteral("species")});
        ASSERT_EQ(imported.exitCode, 0) << imported.err.constData();
        ASSERT_EQ(cli({QStringLiteral("model"), QStringLiteral("create"), project, QStringLiteral("--name"), QStringLiteral("iris-mlp"),
                       QStringLiteral("--dataset"), QStringLiteral("iris"), QStringLiteral("--template"), QStringLiteral("mlp")})
                      .exitCode,
                  0);
        auto trained = cli({QStringLiteral("train"), project, QStringLiteral("--model"), QStringLiteral("iris-mlp"), QStringLiteral("--epochs"),
                            QStringLiteral("30"), QStringLiteral("--lr"), QStringLiteral("0.01"), QStringLiteral("--json")});
        ASSERT_EQ(trained.exitCode, 0) << trained.err.constData();
        run = QString::number(trained.json()[QStringLiteral("run")].toInteger());
    }
    void TearDown() override { qunsetenv("MLWB_CONFIG_DIR"); }

    CliResult cli(const QStringList &args) { return runCli(args, 300000); }
    CliResult verify(const QString &file) { return cli({QStringLiteral("package"), QStringLiteral("verify"), file, QStringLiteral("--json")}); }

    QString project;
    QString run;
};

TEST_F(CliPackageTest, CreateListCheckOverrideExportVerify)
{
    const QString pkg = path(QStringLiteral("iris.mlwbpkg"));
    auto created = cli({QStringLiteral("package"), QStringLiteral("create"), project, QStringLiteral("--run"), run, QStringLiteral("--name"),
                        QStringLiteral("iris-mlp"), QStringLiteral("--version"), QStringLiteral("1.0.0"), QStringLiteral("-o"), pkg,
                        QStringLiteral("--json")});
    ASSERT_EQ(created.exitCode, 0) << created.err.constData();
    EXPECT_EQ(created.json()[QStringLiteral("package")].toString(), QStringLiteral("iris-mlp:1.0.0"));
    EXPECT_EQ(created.json()[QStringLiteral("key_id")].toString().size(), 16);
    auto duplicate = cli({QStringLiteral("package"), QStringLiteral("create"), project, QStringLiteral("--run"), run, QStringLiteral("--name"),
                          QStringLiteral("iris-mlp"), QStringLiteral("--version"), QStringLiteral("1.0.0")});
    EXPECT_EQ(duplicate.exitCode, 1);
    EXPECT_TRUE(duplicate.err.contains("already exists")) << duplicate.err.constData();
    auto badVersion = cli({QStringLiteral("package"), QStringLiteral("create"), project, QStringLiteral("--run"), run, QStringLiteral("--name"),
                           QStringLiteral("iris-mlp"), QStringLiteral("--version"), QStringLiteral("1.0")});
    EXPECT_EQ(badVersion.exitCode, 2) << badVersion.err.constData();

    auto list = cli({QStringLiteral("package"), QStringLiteral("list"), project, QStringLiteral("--json")});
    ASSERT_EQ(list.exitCode, 0) << list.err.constData();
    const QJsonArray packages = list.json()[QStringLiteral("packages")].toArray();
    ASSERT_EQ(packages.size(), 1);
    EXPECT_EQ(packages[0][QStringLiteral("state")].toString(), QStringLiteral("built"));

    // Gates this model passes, then one it cannot: exit 3, state gate_failed.
    const QString easy = path(QStringLiteral("easy.json"));
    writeAll(easy, R"({"gates": [{"metric": "accuracy", "min": 0.5}], "latency_seconds": 0.05})");
    auto passed = cli({QStringLiteral("package"), QStringLiteral("check"), project, QStringLiteral("--package"),
                       QStringLiteral("iris-mlp:1.0.0"), QStringLiteral("--config"), easy, QStringLiteral("--json")});
    ASSERT_EQ(passed.exitCode, 0) << passed.out.left(2000).constData() << passed.err.constData();
    EXPECT_EQ(passed.json()[QStringLiteral("status")].toString(), QStringLiteral("passed"));
    const QString hard = path(QStringLiteral("hard.json"));
    writeAll(hard, R"({"gates": [{"metric": "accuracy", "min": 1.01}], "latency_seconds": 0.05, "python_round_trip": false})");
    auto failed = cli({QStringLiteral("package"), QStringLiteral("check"), project, QStringLiteral("--package"),
                       QStringLiteral("iris-mlp:1.0.0"), QStringLiteral("--config"), hard});
    EXPECT_EQ(failed.exitCode, 3) << failed.out.constData() << failed.err.constData();
    EXPECT_TRUE(failed.out.contains("gate failed: accuracy on the test split")) << failed.out.constData();
    EXPECT_TRUE(failed.out.contains("FAIL")) << failed.out.constData();
    // The model's stored configuration is what a check without --config uses; --reset goes back
    // to the task's defaults (which this model passes).
    ASSERT_EQ(cli({QStringLiteral("package"), QStringLiteral("check-config"), project, QStringLiteral("--model"), QStringLiteral("iris-mlp"),
                   QStringLiteral("--set"), hard})
                  .exitCode,
              0);
    auto shown = cli({QStringLiteral("package"), QStringLiteral("check-config"), project, QStringLiteral("--model"),
                      QStringLiteral("iris-mlp"), QStringLiteral("--json")});
    EXPECT_TRUE(shown.json()[QStringLiteral("stored")].toBool()) << shown.out.constData();
    auto byStored = cli({QStringLiteral("package"), QStringLiteral("check"), project, QStringLiteral("--package"),
                         QStringLiteral("iris-mlp:1.0.0")});
    EXPECT_EQ(byStored.exitCode, 3) << byStored.out.constData() << byStored.err.constData();
    ASSERT_EQ(cli({QStringLiteral("package"), QStringLiteral("check-config"), project, QStringLiteral("--model"), QStringLiteral("iris-mlp"),
                   QStringLiteral("--reset")})
                  .exitCode,
              0);
    EXPECT_FALSE(cli({QStringLiteral("package"), QStringLiteral("check-config"), project, QStringLiteral("--model"),
                      QStringLiteral("iris-mlp"), QStringLiteral("--json")})
                     .json()[QStringLiteral("stored")]
                     .toBool());
    auto state = cli({QStringLiteral("package"), QStringLiteral("list"), project, QStringLiteral("--json")});
    EXPECT_EQ(state.json()[QStringLiteral("packages")].toArray()[0][QStringLiteral("state")].toString(), QStringLiteral("gate_failed"));

    auto noReason = cli({QStringLiteral("package"), QStringLiteral("override"), project, QStringLiteral("--package"),
                         QStringLiteral("iris-mlp:1.0.0"), QStringLiteral("--reason"), QStringLiteral("  ")});
    EXPECT_EQ(noReason.exitCode, 2) << noReason.err.constData();
    auto overridden = cli({QStringLiteral("package"), QStringLiteral("override"), project, QStringLiteral("--package"),
                           QStringLiteral("iris-mlp:1.0.0"), QStringLiteral("--reason"), QStringLiteral("a perfect score is not required here"),
                           QStringLiteral("--json")});
    ASSERT_EQ(overridden.exitCode, 0) << overridden.err.constData();
    auto after = cli({QStringLiteral("package"), QStringLiteral("list"), project, QStringLiteral("--json")});
    const QJsonObject p = after.json()[QStringLiteral("packages")].toArray()[0].toObject();
    EXPECT_TRUE(p[QStringLiteral("overridden")].toBool());
    EXPECT_EQ(p[QStringLiteral("overrides")].toArray()[0][QStringLiteral("reason")].toString(),
              QStringLiteral("a perfect score is not required here"));

    // The exported file carries the (failed) check report, sealed and signed anew.
    const QString exported = path(QStringLiteral("exported.mlwbpkg"));
    ASSERT_EQ(cli({QStringLiteral("package"), QStringLiteral("export"), project, QStringLiteral("--package"), QStringLiteral("iris-mlp:1.0.0"),
                   QStringLiteral("-o"), exported})
                  .exitCode,
              0);
    auto verified = verify(exported);
    ASSERT_EQ(verified.exitCode, 0) << verified.err.constData();
    EXPECT_TRUE(verified.json()[QStringLiteral("signed")].toBool());
    EXPECT_EQ(verified.json()[QStringLiteral("checks")].toString(), QStringLiteral("failed"));
    EXPECT_EQ(verified.json()[QStringLiteral("manifest")][QStringLiteral("lineage")][QStringLiteral("run")][QStringLiteral("id")]
                  .toInteger(),
              run.toLongLong());
    // Another user without alice's key trusted: refused, with the key named.
    qputenv("MLWB_CONFIG_DIR", QFile::encodeName(path(QStringLiteral("bob"))));
    auto foreign = verify(exported);
    EXPECT_EQ(foreign.exitCode, 1);
    EXPECT_TRUE(foreign.err.contains("trusted")) << foreign.err.constData();
}

TEST_F(CliPackageTest, TamperedPackageFilesAreRefusedNamingWhatIsWrong)
{
    const QString pkg = path(QStringLiteral("iris.mlwbpkg"));
    ASSERT_EQ(cli({QStringLiteral("package"), QStringLiteral("create"), project, QStringLiteral("--run"), run, QStringLiteral("--name"),
                   QStringLiteral("iris"), QStringLiteral("--version"), QStringLiteral("1.0.0"), QStringLiteral("-o"), pkg})
                  .exitCode,
              0);
    ASSERT_EQ(verify(pkg).exitCode, 0);
    const QByteArray bytes = readAll(pkg);
    auto archive = PackageArchive::read(bytes, QStringLiteral("iris.mlwbpkg"));
    ASSERT_TRUE(archive) << archive.error().toStdString();

    // Rewrites the package with one entry changed (the zip itself stays sound).
    const auto rewritten = [&](const QString &name, const std::function<void(QByteArray &)> &change) {
        std::vector<PackageArchive::Entry> entries = archive->entries();
        for (auto &e : entries) {
            if (e.name == name)
                change(e.data);
        }
        return *PackageArchive::write(entries);
    };
    const struct {
        const char *file;
        QByteArray bytes;
        const char *named;
    } cases[] = {
        {"model_byte.mlwbpkg", rewritten(QStringLiteral("model.pt"), [](QByteArray &d) { d[d.size() / 2] = char(d[d.size() / 2] ^ 1); }),
         "model.pt"},
        {"manifest_byte.mlwbpkg",
         rewritten(QStringLiteral("manifest.json"), [](QByteArray &d) { d.replace("\"1.0.0\"", "\"9.0.0\""); }), "manifest.json"},
        {"forged_signature.mlwbpkg",
         rewritten(QStringLiteral("signature.json"), [](QByteArray &d) {
             const qsizetype at = d.indexOf("\"signature\": \"") + 15;
             d[at] = d[at] == 'A' ? 'B' : 'A';
         }),
         "signature"},
        {"truncated.mlwbpkg", bytes.left(bytes.size() - 100), "truncated.mlwbpkg"},
    };
    for (const auto &c : cases) {
        const QString file = path(QString::fromLatin1(c.file));
        writeAll(file, c.bytes);
        auto r = verify(file);
        EXPECT_EQ(r.exitCode, 1) << c.file;
        EXPECT_FALSE(r.json()[QStringLiteral("ok")].toBool()) << c.file;
        EXPECT_TRUE(r.err.contains(c.named)) << c.file << ": " << r.err.constData();
    }
    // A zip-slip name and an absolute one, made with Python's zipfile as an attacker would.
    for (const char *name : {"../../evil.sh", "/etc/evil"}) {
        const QString file = path(QStringLiteral("slip.mlwbpkg"));
        auto py = runPython(QStringLiteral("import sys, zipfile\n"
                                           "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
                                           "    z.writestr('manifest.json', '{}')\n"
                                           "    z.writestr(sys.argv[2], 'x')\n"),
                            {file, QString::fromLatin1(name)});
        ASSERT_TRUE(py.ok()) << py.err.constData();
        auto r = verify(file);
        EXPECT_EQ(r.exitCode, 1);
        EXPECT_TRUE(r.err.contains(name)) << r.err.constData();
    }
}

TEST_F(CliPackageTest, ExportTritonAndPredict)
{
    ASSERT_EQ(cli({QStringLiteral("package"), QStringLiteral("create"), project, QStringLiteral("--run"), run, QStringLiteral("--name"),
                   QStringLiteral("iris"), QStringLiteral("--version"), QStringLiteral("1.0.0")})
                  .exitCode,
              0);
    const QString repo = path(QStringLiteral("triton"));
    auto triton = cli({QStringLiteral("package"), QStringLiteral("export-triton"), project, QStringLiteral("--package"),
                       QStringLiteral("iris:1.0.0"), QStringLiteral("-o"), repo, QStringLiteral("--max-batch-size"), QStringLiteral("16")});
    ASSERT_EQ(triton.exitCode, 0) << triton.err.constData();
    const QByteArray config = readAll(repo + QStringLiteral("/iris/config.pbtxt"));
    EXPECT_TRUE(config.contains("platform: \"pytorch_libtorch\"")) << config.constData();
    EXPECT_TRUE(config.contains("max_batch_size: 16")) << config.constData();
    EXPECT_TRUE(config.contains("dims: [ 4 ]")) << config.constData();
    EXPECT_TRUE(QFile::exists(repo + QStringLiteral("/iris/1/model.pt")));
    EXPECT_EQ(readAll(repo + QStringLiteral("/iris/labels.txt")), QByteArray("setosa\nversicolor\nvirginica\n"));
    auto again = cli({QStringLiteral("package"), QStringLiteral("export-triton"), project, QStringLiteral("--package"),
                      QStringLiteral("iris:1.0.0"), QStringLiteral("-o"), repo});
    EXPECT_EQ(again.exitCode, 1) << "an existing model folder is not overwritten";

    // predict: CSV (the data set's own header, target ignored), JSON records, an OIP request.
    const QString csv = path(QStringLiteral("rows.csv"));
    writeAll(csv, "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species\n5.1,3.5,1.4,0.2,setosa\n6.7,3.0,5.2,2.3,virginica\n");
    auto byCsv = cli({QStringLiteral("predict"), project, QStringLiteral("--run"), run, QStringLiteral("--input"), csv, QStringLiteral("--json")});
    ASSERT_EQ(byCsv.exitCode, 0) << byCsv.err.constData();
    const QJsonArray rows = byCsv.json()[QStringLiteral("predictions")].toArray();
    ASSERT_EQ(rows.size(), 2);
    EXPECT_EQ(rows[0][QStringLiteral("label")].toString(), QStringLiteral("setosa"));
    EXPECT_EQ(rows[1][QStringLiteral("label")].toString(), QStringLiteral("virginica"));
    double sum = 0;
    for (const QJsonValue &v : rows[0][QStringLiteral("probabilities")].toObject())
        sum += v.toDouble();
    EXPECT_NEAR(sum, 1.0, 1e-5);

    const QString records = path(QStringLiteral("rows.json"));
    writeAll(records, R"([{"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}])");
    auto byJson = cli({QStringLiteral("predict"), project, QStringLiteral("--run"), run, QStringLiteral("--input"), records, QStringLiteral("--json")});
    ASSERT_EQ(byJson.exitCode, 0) << byJson.err.constData();
    // One row alone (sgemv) and in a batch of two (sgemm): the same within float rounding.
    const QJsonObject single = byJson.json()[QStringLiteral("predictions")].toArray()[0][QStringLiteral("probabilities")].toObject();
    const QJsonObject batched = rows[0][QStringLiteral("probabilities")].toObject();
    ASSERT_EQ(single.keys(), batched.keys());
    for (const QString &label : single.keys())
        EXPECT_NEAR(single[label].toDouble(), batched[label].toDouble(), 1e-6) << qPrintable(label);

    const QString oip = path(QStringLiteral("request.json"));
    writeAll(oip, R"({"id": "r1", "inputs": [{"name": "INPUT__0", "shape": [1, 4], "datatype": "FP32", "data": [[6.7, 3.0, 5.2, 2.3]]}]})");
    auto byOip = cli({QStringLiteral("predict"), project, QStringLiteral("--run"), run, QStringLiteral("--input"), oip, QStringLiteral("--json")});
    ASSERT_EQ(byOip.exitCode, 0) << byOip.err.constData();
    EXPECT_EQ(byOip.json()[QStringLiteral("predictions")].toArray()[0][QStringLiteral("label")].toString(), QStringLiteral("virginica"));

    // Bad rows: the feature and the row named, exit 1.
    writeAll(csv, "sepal_length_cm,sepal_width_cm,petal_length_cm\n5.1,3.5,1.4\n");
    auto missing = cli({QStringLiteral("predict"), project, QStringLiteral("--run"), run, QStringLiteral("--input"), csv});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(missing.err.contains("petal_width_cm")) << missing.err.constData();
    writeAll(records, R"([{"sepal_length_cm": "wide", "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}])");
    auto wrong = cli({QStringLiteral("predict"), project, QStringLiteral("--run"), run, QStringLiteral("--input"), records});
    EXPECT_EQ(wrong.exitCode, 1);
    EXPECT_TRUE(wrong.err.contains("record 0: feature 'sepal_length_cm'")) << wrong.err.constData();
}
