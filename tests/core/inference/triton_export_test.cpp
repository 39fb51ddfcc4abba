// SPDX-License-Identifier: MIT
// The Triton model repository export: the config against a golden file, and the exported
// model.pt run the way Triton runs it (torch.jit.load in python3-torch, and libtorch here) on the
// RAW test rows, NaN for missing cells, against our own predictions on the table rows, for every
// preprocessing step (standardising, binary, one-hot, fitted fills and the no-fill defaults, the
// image reshape, the regression unscaling). write() refuses what it must.

#include "data/data_table.h"
#include "data/dataset_catalog.h"
#include "data/preprocessing.h"
#include "inference/detail/model_runner.h"
#include "inference/loaded_model.h"
#include "inference/triton_export.h"
#include "model/model_compiler.h"
#include "model/model_spec.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <torch/torch.h>

#include <cmath>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlwb;
using namespace mlwb::test;

namespace {

constexpr double kTolerance = 1e-5;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.flush();
}

// Classification logits agree within kTolerance; regression predictions (in the target's units,
// around 150 for diabetes) within kTolerance relative, since float32 holds them to about 1e-7.
bool agree(double ours, double theirs, TaskKind task)
{
    const double scale =
        task == TaskKind::Regression ? std::max({1.0, std::fabs(ours), std::fabs(theirs)}) : 1.0;
    return std::fabs(ours - theirs) <= kTolerance * scale;
}

} // namespace

class TritonExportTest : public TempProjectTest {
protected:
    LoadedDataset import(const QString &csv, const QString &name, ImportOptions options)
    {
        DatasetCatalog catalog(m_project->db());
        auto id = catalog.importCsv(csv, name, options);
        EXPECT_OK(id);
        auto loaded = catalog.load(name);
        EXPECT_OK(loaded);
        return std::move(*loaded);
    }

    // A compiled (untrained, seeded) model for the data set with `pre` attached.
    std::optional<LoadedModel> model(const Preprocessing &pre, const QString &layers, quint64 seed)
    {
        QStringList shape;
        for (qint64 d : pre.inputShape())
            shape << QString::number(d);
        auto spec = ModelSpec::fromJson(QStringLiteral(R"({"input":[%1],"layers":%2})")
                                            .arg(shape.join(QLatin1Char(',')), layers)
                                            .toUtf8());
        EXPECT_OK(spec);
        if (!spec)
            return std::nullopt;
        auto compiled = ModelCompiler::compile(*spec, seed);
        EXPECT_OK(compiled);
        if (!compiled)
            return std::nullopt;
        compiled->setPreprocessing(pre);
        return std::move(*compiled);
    }

    // The test split as Triton receives it: one float per feature, NaN for a missing cell.
    static std::vector<float> rawRows(const DataTable &table, const Preprocessing &pre,
                                      const std::vector<qint64> &rows)
    {
        std::vector<float> raw;
        for (qint64 r : rows) {
            for (const FeatureTransform &f : pre.features())
                raw.push_back(float(table.columnData(f.column)[size_t(r)]));
        }
        return raw;
    }

    // Writes the repository, then runs its model.pt on the raw test rows in Python and in
    // libtorch and compares both with LoadedModel::predict on the table rows.
    void checkExport(const LoadedDataset &data, const LoadedModel &model, const QString &name)
    {
        SCOPED_TRACE(name.toStdString());
        const Preprocessing &pre = *model.preprocessing();
        const DataTable &table = data.data.table;
        const std::vector<qint64> rows = data.rows(SplitPart::Test);
        ASSERT_GT(rows.size(), 20u);
        const auto n = qint64(rows.size());
        const auto features = qint64(pre.features().size());
        const qint64 width = pre.outputCount();
        const bool classification = pre.task() == TaskKind::Classification;

        auto predicted = model.predict(table, rows);
        ASSERT_OK(predicted);
        ASSERT_EQ(predicted->width, width);
        std::vector<double> expected(predicted->values.begin(), predicted->values.end());
        if (!classification) {
            for (double &v : expected)
                v = pre.unscaleTarget(v);
        }
        const std::vector<float> raw = rawRows(table, pre, rows);

        const QString repo = path(QStringLiteral("repo-") + name);
        TritonExport::Options options;
        options.name = name;
        ASSERT_OK(TritonExport::write(repo, options, model, QStringLiteral("the test model")));
        const QDir dir(QDir(repo).filePath(name));
        EXPECT_EQ(QString::fromUtf8(readAll(dir.filePath(QStringLiteral("config.pbtxt")))),
                  TritonExport::config(options, features, width,
                                       classification ? QStringLiteral("labels.txt") : QString()));
        if (classification)
            EXPECT_EQ(readAll(dir.filePath(QStringLiteral("labels.txt"))),
                      (pre.classNames().join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
        else
            EXPECT_FALSE(dir.exists(QStringLiteral("labels.txt")));
        const QString readme =
            QString::fromUtf8(readAll(dir.filePath(QStringLiteral("README.md"))));
        for (const FeatureTransform &f : pre.features())
            EXPECT_TRUE(readme.contains(QStringLiteral("| %1 |").arg(f.name)))
                << qPrintable(f.name);
        EXPECT_EQ(QDir(repo).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                  QStringList{name})
            << "no staging folder is left behind";
        const QString modelPath = dir.filePath(QStringLiteral("1/model.pt"));
        const QByteArray archive = readAll(modelPath);
        ASSERT_FALSE(archive.isEmpty());

        // The archive takes raw rows, so it must not claim a preprocessing of its own.
        auto asModel = LoadedModel::fromArchive(archive);
        ASSERT_OK(asModel);
        EXPECT_EQ(asModel->preprocessing(), nullptr);

        // libtorch, as Triton's backend calls it.
        auto module = ModelRunner::loadModule(archive);
        ASSERT_OK(module);
        const auto &arguments = module->get_method("forward").function().getSchema().arguments();
        ASSERT_EQ(arguments.size(), 2u);
        EXPECT_EQ(arguments[1].name(), "INPUT__0");
        {
            torch::NoGradGuard ng;
            const torch::Tensor x =
                torch::from_blob(const_cast<float *>(raw.data()), {n, features}, torch::kFloat);
            const torch::Tensor out = module->forward({x}).toTensor().contiguous();
            ASSERT_EQ(out.scalar_type(), torch::kFloat);
            ASSERT_EQ(out.sizes(), (std::vector<int64_t>{n, width}));
            const float *p = out.data_ptr<float>();
            int bad = 0;
            for (qint64 i = 0; i < n * width && bad < 5; ++i) {
                if (!agree(expected[size_t(i)], p[i], pre.task())) {
                    ++bad;
                    ADD_FAILURE() << "libtorch: row " << rows[size_t(i / width)] << " output "
                                  << i % width << ": ours " << expected[size_t(i)] << ", exported "
                                  << p[i];
                }
            }
            // A row of the wrong width is refused with a message a Triton user can act on.
            const torch::Tensor wide = torch::zeros({2, features + 1});
            try {
                module->forward({wide});
                ADD_FAILURE() << "a row with " << features + 1 << " values was accepted";
            } catch (const std::exception &e) {
                EXPECT_NE(std::string(e.what()).find("INPUT__0 takes raw rows"), std::string::npos)
                    << e.what();
            }
        }

        // python3-torch, as a Triton user checks the file. Asked for here, so that the libtorch
        // side above runs where python3-torch is missing.
        MLWB_REQUIRE_PYTHON("torch");
        const QString rawPath = path(name + QStringLiteral("-raw.f32"));
        const QString outPath = path(name + QStringLiteral("-out.f32"));
        ASSERT_TRUE(writeAll(rawPath, QByteArray(reinterpret_cast<const char *>(raw.data()),
                                                 qsizetype(raw.size() * sizeof(float)))));
        const PythonRun py = runPythonFile(
            pythonScriptPath(QStringLiteral("triton_model_outputs.py")),
            {modelPath, rawPath, QString::number(n), QString::number(features), outPath});
        ASSERT_TRUE(py.ok()) << py.err.constData();
        const QJsonObject report = QJsonDocument::fromJson(py.out).object();
        EXPECT_EQ(report.value(QStringLiteral("arguments")).toVariant().toStringList(),
                  (QStringList{QStringLiteral("self"), QStringLiteral("INPUT__0")}));
        EXPECT_LE(report.value(QStringLiteral("batch_vs_single")).toDouble(-1), 1e-5)
            << py.out.constData();
        EXPECT_GE(report.value(QStringLiteral("batch_vs_single")).toDouble(-1), 0.0)
            << py.out.constData();
        const QByteArray out = readAll(outPath);
        ASSERT_EQ(out.size(), qsizetype(n * width * qint64(sizeof(float))));
        const auto *p = reinterpret_cast<const float *>(out.constData());
        int bad = 0;
        for (qint64 i = 0; i < n * width && bad < 5; ++i) {
            if (!agree(expected[size_t(i)], p[i], pre.task())) {
                ++bad;
                ADD_FAILURE() << "python3-torch: row " << rows[size_t(i / width)] << " output "
                              << i % width << ": ours " << expected[size_t(i)] << ", exported "
                              << p[i];
            }
        }
    }

    static QString mlp(int hidden, int outputs)
    {
        return QStringLiteral(
                   R"([{"type":"Linear","out":%1},{"type":"Tanh"},{"type":"Linear","out":%2}])")
            .arg(hidden)
            .arg(outputs);
    }
};

TEST_F(TritonExportTest, ConfigMatchesTheGoldenFile)
{
    TritonExport::Options options;
    options.name = QStringLiteral("digits-mlp");
    const QString golden =
        QString::fromUtf8(readAll(testDataPath(QStringLiteral("triton/config.pbtxt"))));
    ASSERT_FALSE(golden.isEmpty());
    EXPECT_EQ(TritonExport::config(options, 64, 10, QStringLiteral("labels.txt")), golden);
    // Without a labels file (regression) only the label_filename line goes.
    QString unlabelled = golden;
    unlabelled.remove(QStringLiteral("    label_filename: \"labels.txt\"\n"));
    ASSERT_NE(unlabelled, golden);
    EXPECT_EQ(TritonExport::config(options, 64, 10), unlabelled);
}

TEST_F(TritonExportTest, IrisRawRowsGiveOurLogits)
{
    ImportOptions o;
    o.target = QStringLiteral("species");
    const LoadedDataset data =
        import(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), o);
    auto pre = Preprocessing::fit(data.data, data.rows(SplitPart::Train));
    ASSERT_OK(pre);
    auto m = model(*pre, mlp(8, 3), 11);
    ASSERT_TRUE(m);
    checkExport(data, *m, QStringLiteral("iris"));
}

TEST_F(TritonExportTest, DigitsImageRowsAreReshapedForTheCnn)
{
    ImportOptions o;
    o.target = QStringLiteral("digit");
    o.imageShape = std::array<int, 3>{1, 8, 8};
    const LoadedDataset data =
        import(datasetPath(QStringLiteral("digits.csv")), QStringLiteral("digits"), o);
    auto pre = Preprocessing::fit(data.data, data.rows(SplitPart::Train));
    ASSERT_OK(pre);
    ASSERT_TRUE(pre->isImage());
    auto m =
        model(*pre,
              QStringLiteral(R"([{"type":"Conv2d","out":4,"kernel":3,"padding":1},{"type":"ReLU"},)"
                             R"({"type":"MaxPool2d","kernel":2},{"type":"Flatten"},)"
                             R"({"type":"Linear","out":10}])"),
              5);
    ASSERT_TRUE(m);
    checkExport(data, *m, QStringLiteral("digits-cnn"));
}

class TritonExportMixedTest : public TritonExportTest {
protected:
    void SetUp() override
    {
        TritonExportTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions o;
        o.target = QStringLiteral("risk");
        o.missing = MissingPolicy::ImputeMedian;
        m_data.emplace(import(testDataPath(QStringLiteral("interop/diabetes_mixed.csv")),
                              QStringLiteral("mixed"), o));
    }

    // The raw test rows must reach every kind of step with a missing cell, or the comparison
    // says nothing about imputation.
    void expectMissingCellsOfEveryEncoding(const Preprocessing &pre)
    {
        const std::vector<qint64> rows = m_data->rows(SplitPart::Test);
        int missing[3] = {0, 0, 0};
        for (const FeatureTransform &f : pre.features()) {
            for (qint64 r : rows)
                missing[int(f.encoding)] +=
                    std::isnan(m_data->data.table.columnData(f.column)[size_t(r)]);
        }
        EXPECT_GT(missing[int(FeatureEncoding::Standardize)], 0);
        EXPECT_GT(missing[int(FeatureEncoding::Binary)], 0);
        EXPECT_GT(missing[int(FeatureEncoding::OneHot)], 0);
    }

    std::optional<LoadedDataset> m_data;
};

TEST_F(TritonExportMixedTest, CategoriesBooleansAndFittedFills)
{
    auto pre = Preprocessing::fit(m_data->data, m_data->rows(SplitPart::Train));
    ASSERT_OK(pre);
    int fills = 0;
    for (const FeatureTransform &f : pre->features())
        fills += f.fill.has_value();
    EXPECT_EQ(fills, int(pre->features().size()));
    expectMissingCellsOfEveryEncoding(*pre);
    auto m = model(*pre, mlp(16, 2), 3);
    ASSERT_TRUE(m);
    checkExport(*m_data, *m, QStringLiteral("mixed"));
}

TEST_F(TritonExportMixedTest, MissingCellsWithoutFillsTakeTheMeanOrNoCategory)
{
    // Fitted without an impute policy: a missing raw value becomes the training mean (0 after
    // standardising, the share for a boolean) or an all-zero one-hot block, as in transform().
    const ImportedDataset &d = m_data->data;
    auto pre = Preprocessing::fit(d.table, d.targetColumn, d.task, m_data->rows(SplitPart::Train),
                                  std::nullopt, MissingPolicy::DropRow);
    ASSERT_OK(pre);
    for (const FeatureTransform &f : pre->features())
        ASSERT_FALSE(f.fill.has_value()) << qPrintable(f.name);
    expectMissingCellsOfEveryEncoding(*pre);
    auto m = model(*pre, mlp(16, 2), 4);
    ASSERT_TRUE(m);
    checkExport(*m_data, *m, QStringLiteral("mixed-no-fill"));
}

TEST_F(TritonExportTest, DiabetesRegressionComesBackInTheTargetsUnits)
{
    ImportOptions o;
    o.target = QStringLiteral("progression");
    o.task = TaskKind::Regression;
    const LoadedDataset data =
        import(datasetPath(QStringLiteral("diabetes.csv")), QStringLiteral("diabetes"), o);
    auto pre = Preprocessing::fit(data.data, data.rows(SplitPart::Train));
    ASSERT_OK(pre);
    ASSERT_EQ(pre->task(), TaskKind::Regression);
    ASSERT_GT(pre->targetStd(), 10.0) << "the unscaling must be visible";
    auto m = model(*pre, mlp(8, 1), 9);
    ASSERT_TRUE(m);
    checkExport(data, *m, QStringLiteral("diabetes"));
}

class TritonExportWriteTest : public TritonExportTest {
protected:
    void SetUp() override
    {
        TritonExportTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions o;
        o.target = QStringLiteral("species");
        m_data.emplace(import(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), o));
        auto pre = Preprocessing::fit(m_data->data, m_data->rows(SplitPart::Train));
        ASSERT_OK(pre);
        m_model = model(*pre, mlp(8, 3), 11);
        ASSERT_TRUE(m_model);
    }

    Status write(const QString &directory, const QString &name)
    {
        TritonExport::Options options;
        options.name = name;
        return TritonExport::write(directory, options, *m_model, QStringLiteral("run 3's model"));
    }

    static QStringList entries(const QString &directory)
    {
        return QDir(directory).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                                         QDir::Name);
    }

    std::optional<LoadedDataset> m_data;
    std::optional<LoadedModel> m_model;
};

TEST_F(TritonExportWriteTest, RefusesAnExistingModelFolderThatIsNotEmpty)
{
    const QString repo = path(QStringLiteral("repo"));
    ASSERT_TRUE(QDir().mkpath(repo + QStringLiteral("/iris/1")));
    ASSERT_TRUE(writeAll(repo + QStringLiteral("/iris/1/model.pt"), "someone else's model"));
    const Status s = write(repo, QStringLiteral("iris"));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.kind(), ErrorKind::Conflict);
    EXPECT_TRUE(s.error().contains(repo + QStringLiteral("/iris"))) << qPrintable(s.error());
    EXPECT_EQ(readAll(repo + QStringLiteral("/iris/1/model.pt")), "someone else's model");
    EXPECT_EQ(entries(repo), QStringList{QStringLiteral("iris")});

    // A file of that name is refused the same way; an empty folder is taken.
    ASSERT_TRUE(writeAll(repo + QStringLiteral("/taken"), "x"));
    const Status file = write(repo, QStringLiteral("taken"));
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.kind(), ErrorKind::Conflict);
    ASSERT_TRUE(QDir().mkdir(repo + QStringLiteral("/empty")));
    ASSERT_OK(write(repo, QStringLiteral("empty")));
    EXPECT_EQ(entries(repo + QStringLiteral("/empty")),
              (QStringList{QStringLiteral("1"), QStringLiteral("README.md"),
                           QStringLiteral("config.pbtxt"), QStringLiteral("labels.txt")}));
    EXPECT_EQ(entries(repo + QStringLiteral("/empty/1")), QStringList{QStringLiteral("model.pt")});
    // Triton often runs as another user: the folders are not private.
    EXPECT_TRUE(QFileInfo(repo + QStringLiteral("/empty/1"))
                    .permission(QFile::ReadOther | QFile::ExeOther));
    EXPECT_EQ(entries(repo), (QStringList{QStringLiteral("empty"), QStringLiteral("iris"),
                                          QStringLiteral("taken")}));
}

TEST_F(TritonExportWriteTest, RefusesBadNamesAndOptions)
{
    const QString repo = path(QStringLiteral("repo"));
    for (const QString &name :
         {QString(), QStringLiteral("-iris"), QStringLiteral(".iris"), QStringLiteral(".."),
          QStringLiteral("a/b"), QStringLiteral("a b"), QStringLiteral("iris\""),
          QStringLiteral("ïris"), QString(65, QLatin1Char('a'))}) {
        const Status s = write(repo, name);
        ASSERT_FALSE(s.ok()) << qPrintable(name);
        EXPECT_EQ(s.kind(), ErrorKind::InvalidInput) << qPrintable(name);
        EXPECT_TRUE(s.error().contains(QStringLiteral("Triton model name")))
            << qPrintable(s.error());
    }
    EXPECT_FALSE(QFileInfo::exists(repo)) << "nothing is written for a bad name";
    ASSERT_OK(write(repo, QString(64, QLatin1Char('a'))));
    ASSERT_OK(write(repo, QStringLiteral("Iris_2.v1-cpu")));

    TritonExport::Options options;
    options.name = QStringLiteral("iris");
    options.maxBatchSize = 0;
    const Status batch = TritonExport::write(repo, options, *m_model, QStringLiteral("m"));
    ASSERT_FALSE(batch.ok());
    EXPECT_EQ(batch.kind(), ErrorKind::InvalidInput);
    options.maxBatchSize = 8;
    options.instances = 0;
    EXPECT_FALSE(TritonExport::write(repo, options, *m_model, QStringLiteral("m")).ok());

    // A model without the preprocessing it was trained with cannot take raw rows.
    auto bare = ModelRunner::saveModule(ModelRunner::module(*m_model));
    ASSERT_OK(bare);
    auto plain = LoadedModel::fromArchive(*bare);
    ASSERT_OK(plain);
    options.instances = 2;
    const Status noPre =
        TritonExport::write(repo, options, *plain, QStringLiteral("run 9's model"));
    ASSERT_FALSE(noPre.ok());
    EXPECT_EQ(noPre.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(noPre.error().startsWith(QStringLiteral("run 9's model has no preprocessing")))
        << qPrintable(noPre.error());
    EXPECT_FALSE(QFileInfo::exists(repo + QStringLiteral("/iris")));
}

TEST_F(TritonExportWriteTest, AFolderThatCannotBeMadeIsAnErrorNamingIt)
{
    // Holds for root too: nothing can be made below a regular file.
    ASSERT_TRUE(writeAll(path(QStringLiteral("file")), "x"));
    const QString repo = path(QStringLiteral("file/repo"));
    const Status s = write(repo, QStringLiteral("iris"));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.kind(), ErrorKind::Io);
    EXPECT_TRUE(s.error().contains(repo)) << qPrintable(s.error());
}

TEST_F(TritonExportWriteTest, AnUnwritableFolderIsAnErrorNamingIt)
{
    if (geteuid() == 0) {
        // Root writes into a folder of mode 0500 anyway; /proc refuses everyone.
        const Status s = write(QStringLiteral("/proc"), QStringLiteral("iris"));
        ASSERT_FALSE(s.ok());
        EXPECT_EQ(s.kind(), ErrorKind::Io) << qPrintable(s.error());
        EXPECT_TRUE(s.error().contains(QLatin1String("/proc"))) << qPrintable(s.error());
        return;
    }
    const QString repo = path(QStringLiteral("locked"));
    ASSERT_TRUE(QDir().mkdir(repo));
    ASSERT_EQ(::chmod(QFile::encodeName(repo).constData(), 0500), 0);
    const Status s = write(repo, QStringLiteral("iris"));
    ::chmod(QFile::encodeName(repo).constData(), 0700); // so the temporary folder can go
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.kind(), ErrorKind::Io);
    EXPECT_TRUE(s.error().contains(repo)) << qPrintable(s.error());
    EXPECT_TRUE(entries(repo).isEmpty());
}
