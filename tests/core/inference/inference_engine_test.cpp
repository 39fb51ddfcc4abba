// SPDX-License-Identifier: MIT
// InferenceEngine against the TorchScript module it wraps: the matrix-vector route gives what
// forward gives, raw rows and JSON records give what the table's own preprocessing gives, and
// bad rows (infinity, unknown category codes, wrong sizes) are refused naming the row and the
// feature, while NaN is a missing value imputed as in training.

#include "data/dataset_catalog.h"
#include "data/preprocessing.h"
#include "inference/detail/model_runner.h"
#include "inference/inference_engine.h"
#include "inference/loaded_model.h"
#include "model/model_compiler.h"
#include "model/model_spec.h"
#include "store/project_file.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QFileInfo>
#include <QJsonArray>

#include <torch/torch.h>

#include <cmath>
#include <thread>

using namespace mlwb;
using namespace mlwb::test;

namespace {

// A table row as serving receives it: raw values, one float per feature.
std::vector<float> rawRow(const Preprocessing &pre, const DataTable &table, qint64 row)
{
    std::vector<float> raw;
    for (const FeatureTransform &f : pre.features())
        raw.push_back(float(table.columnData(f.column)[size_t(row)]));
    return raw;
}

// The same row as a JSON record: numbers, category labels, null for missing.
QJsonObject recordOf(const Preprocessing &pre, const DataTable &table, qint64 row)
{
    QJsonObject record;
    for (const FeatureTransform &f : pre.features()) {
        const double v = table.columnData(f.column)[size_t(row)];
        if (std::isnan(v))
            record.insert(f.name, QJsonValue::Null);
        else if (f.encoding == FeatureEncoding::OneHot)
            record.insert(f.name, f.categories.at(int(v)));
        else
            record.insert(f.name, v);
    }
    return record;
}

} // namespace

class InferenceEngineTest : public TempProjectTest {
protected:
    void load(const QString &path, const QString &target, MissingPolicy missing = MissingPolicy::DropRow,
              bool image = false)
    {
        ImportOptions options;
        options.target = target;
        options.missing = missing;
        if (image)
            options.imageShape = std::array<int, 3>{1, 8, 8};
        DatasetCatalog catalog(m_project->db());
        auto id = catalog.importCsv(path, QFileInfo(path).baseName(), options);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        auto loaded = catalog.load(*id);
        ASSERT_TRUE(loaded.ok()) << qPrintable(loaded.error());
        m_data = std::make_unique<LoadedDataset>(std::move(*loaded));
        auto pre = Preprocessing::fit(m_data->data, m_data->rows(SplitPart::Train));
        ASSERT_TRUE(pre.ok()) << qPrintable(pre.error());
        m_pre = std::make_unique<Preprocessing>(std::move(*pre));
    }

    InferenceEngine engine(const QByteArray &spec)
    {
        auto parsed = ModelSpec::fromJson(spec);
        EXPECT_TRUE(parsed.ok()) << qPrintable(parsed.error());
        auto model = ModelCompiler::compile(*parsed, 7);
        EXPECT_TRUE(model.ok()) << qPrintable(model.error());
        model->setPreprocessing(*m_pre);
        auto e = InferenceEngine::create(std::move(*model), QStringLiteral("the test model"));
        EXPECT_TRUE(e.ok()) << qPrintable(e.error());
        return std::move(*e);
    }

    const DataTable &table() const { return m_data->data.table; }
    std::vector<qint64> testRows() const { return m_data->rows(SplitPart::Test); }

    std::unique_ptr<LoadedDataset> m_data;
    std::unique_ptr<Preprocessing> m_pre;
};

constexpr const char *kMixedMlp =
    R"({"input":[%1],"layers":[{"type":"Linear","out":32},{"type":"ReLU"},{"type":"Dropout","p":0.2},)"
    R"({"type":"Linear","out":16},{"type":"Tanh"},{"type":"Linear","out":12},{"type":"GELU"},)"
    R"({"type":"Linear","out":8},{"type":"Sigmoid"},{"type":"Linear","out":%2}]})";

QByteArray mlpSpec(qint64 inputs, qint64 outputs)
{
    return QString::fromLatin1(kMixedMlp).arg(inputs).arg(outputs).toUtf8();
}

TEST_F(InferenceEngineTest, SingleRowsTakeTheMatrixVectorRouteAndMatchForward)
{
    load(testDataPath(QStringLiteral("interop/diabetes_mixed.csv")), QStringLiteral("risk"),
         MissingPolicy::ImputeMedian);
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine e = engine(mlpSpec(m_pre->featureCount(), 2));
    ASSERT_TRUE(e.matrixVectorRoute());
    EXPECT_EQ(e.featureCount(), 12);
    EXPECT_EQ(e.inputWidth(), m_pre->featureCount());

    const std::vector<qint64> rows = testRows();
    ASSERT_GT(rows.size(), 20u);
    const std::vector<float> x = m_pre->transform(table(), rows);
    InferenceEngine::Prediction batch;
    ASSERT_TRUE(e.predictInputsByForward(x, qint64(rows.size()), batch).ok());
    InferenceEngine::Prediction one;
    double worst = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        const std::span<const float> row(x.data() + i * size_t(e.inputWidth()), size_t(e.inputWidth()));
        ASSERT_TRUE(e.predictInputs(row, 1, one).ok());
        ASSERT_EQ(one.rows, 1);
        ASSERT_EQ(one.width, 2);
        for (qint64 c = 0; c < 2; ++c) {
            const float expected = batch.outputs[i * 2 + size_t(c)];
            worst = std::max(worst, double(std::abs(one.outputs[size_t(c)] - expected)));
            EXPECT_NEAR(one.probabilities[size_t(c)], batch.probabilities[i * 2 + size_t(c)], 1e-6);
        }
        EXPECT_EQ(one.classes[0], batch.classes[i]) << "row " << rows[i];
    }
    EXPECT_LT(worst, 1e-6);

    // Batches up to 256 rows take the plan's addmm, larger ones forward: both agree with it.
    InferenceEngine::Prediction planned;
    ASSERT_TRUE(e.predictInputs(x, qint64(rows.size()), planned).ok());
    ASSERT_EQ(planned.outputs.size(), batch.outputs.size());
    for (size_t i = 0; i < batch.outputs.size(); ++i)
        EXPECT_NEAR(planned.outputs[i], batch.outputs[i], 1e-6) << i;
    EXPECT_EQ(planned.classes, batch.classes);
}

TEST_F(InferenceEngineTest, RawRowsAndRecordsGiveWhatTheTablePreprocessingGives)
{
    load(testDataPath(QStringLiteral("interop/diabetes_mixed.csv")), QStringLiteral("risk"),
         MissingPolicy::ImputeMedian);
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine e = engine(mlpSpec(m_pre->featureCount(), 2));
    std::vector<qint64> rows(size_t(table().rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    const std::vector<float> expected = m_pre->transform(table(), rows);
    const size_t width = size_t(m_pre->featureCount());
    std::vector<float> viaRecord(width), viaRaw(width);
    int missingRows = 0;
    for (qint64 r : rows) {
        const QJsonObject record = recordOf(*m_pre, table(), r);
        ASSERT_TRUE(m_pre->transformRecord(record, viaRecord.data()).ok()) << r;
        const std::vector<float> raw = rawRow(*m_pre, table(), r);
        missingRows += std::any_of(raw.begin(), raw.end(), [](float v) { return std::isnan(v); });
        ASSERT_TRUE(m_pre->transformRaw(raw.data(), 1, viaRaw.data()).ok()) << r;
        for (size_t k = 0; k < width; ++k) {
            // A record holds the table's doubles: the same bits. Raw rows are floats.
            EXPECT_EQ(viaRecord[k], expected[size_t(r) * width + k]) << "row " << r << " input " << k;
            EXPECT_NEAR(viaRaw[k], expected[size_t(r) * width + k], 1e-5) << "row " << r << " input " << k;
        }
    }
    EXPECT_GT(missingRows, 10); // the imputation ran

    // The engine's own record and raw routes give the forward route's predictions.
    QJsonArray records;
    std::vector<float> raw;
    for (qint64 r : testRows()) {
        records.append(recordOf(*m_pre, table(), r));
        const std::vector<float> one = rawRow(*m_pre, table(), r);
        raw.insert(raw.end(), one.begin(), one.end());
    }
    auto byRecords = e.predictRecords(records);
    ASSERT_TRUE(byRecords.ok()) << qPrintable(byRecords.error());
    auto byRaw = e.predictRaw(raw, records.size());
    ASSERT_TRUE(byRaw.ok()) << qPrintable(byRaw.error());
    const std::vector<float> x = m_pre->transform(table(), testRows());
    InferenceEngine::Prediction byForward;
    ASSERT_TRUE(e.predictInputsByForward(x, records.size(), byForward).ok());
    ASSERT_EQ(byRecords->outputs.size(), byForward.outputs.size());
    for (size_t i = 0; i < byForward.outputs.size(); ++i) {
        EXPECT_NEAR(byRecords->outputs[i], byForward.outputs[i], 1e-6) << i; // the plan, not forward
        EXPECT_NEAR(byRaw->outputs[i], byForward.outputs[i], 1e-5) << i;
    }
}

TEST_F(InferenceEngineTest, ProbabilitiesAreTorchSoftmaxAndClassesTheArgMax)
{
    load(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("species"));
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine e = engine(mlpSpec(4, 3));
    EXPECT_EQ(e.outputLabels(), m_pre->classNames());
    const std::vector<float> x = m_pre->transform(table(), testRows());
    const qint64 n = qint64(testRows().size());
    for (qint64 rows : {qint64(1), n}) {
        InferenceEngine::Prediction p;
        ASSERT_TRUE(e.predictInputs(std::span<const float>(x.data(), size_t(rows * 4)), rows, p).ok());
        const torch::Tensor logits = torch::from_blob(p.outputs.data(), {rows, 3}, torch::kFloat);
        const torch::Tensor softmax = torch::softmax(logits, 1).contiguous();
        for (qint64 r = 0; r < rows; ++r) {
            EXPECT_EQ(p.classes[size_t(r)], logits[r].argmax().item<int64_t>()) << r;
            for (qint64 c = 0; c < 3; ++c)
                EXPECT_FLOAT_EQ(p.probabilities[size_t(r * 3 + c)], softmax[r][c].item<float>()) << r;
        }
        const QJsonObject row = e.rowJson(p, 0);
        EXPECT_EQ(row.value(QStringLiteral("label")).toString(), m_pre->classNames().at(int(p.classes[0])));
        EXPECT_EQ(row.value(QStringLiteral("probabilities")).toObject().size(), 3);
    }
}

TEST_F(InferenceEngineTest, ImageModelsAndRegressionTakeForward)
{
    load(datasetPath(QStringLiteral("digits.csv")), QStringLiteral("digit"), MissingPolicy::DropRow, true);
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine cnn = engine(QByteArrayLiteral(
        R"({"input":[1,8,8],"layers":[{"type":"Conv2d","out":4,"kernel":3,"padding":1},{"type":"ReLU"},)"
        R"({"type":"Flatten"},{"type":"Linear","out":10}]})"));
    EXPECT_FALSE(cnn.matrixVectorRoute());
    const InferenceEngine mlp = engine(QByteArrayLiteral(
        R"({"input":[1,8,8],"layers":[{"type":"Flatten"},{"type":"Linear","out":32},{"type":"ReLU"},)"
        R"({"type":"Linear","out":10}]})"));
    EXPECT_TRUE(mlp.matrixVectorRoute()); // the flattened image is the row
    const std::vector<qint64> rows = testRows();
    const std::vector<float> x = m_pre->transform(table(), rows);
    for (const InferenceEngine *e : {&cnn, &mlp}) {
        InferenceEngine::Prediction all, one;
        ASSERT_TRUE(e->predictInputsByForward(x, qint64(rows.size()), all).ok());
        for (size_t i = 0; i < 10; ++i) {
            ASSERT_TRUE(e->predictInputs(std::span<const float>(x.data() + i * 64, 64), 1, one).ok());
            for (size_t c = 0; c < 10; ++c)
                EXPECT_NEAR(one.outputs[c], all.outputs[i * 10 + c], 1e-5);
        }
    }

    load(datasetPath(QStringLiteral("diabetes.csv")), QStringLiteral("progression"));
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine reg = engine(mlpSpec(m_pre->featureCount(), 1));
    EXPECT_FALSE(reg.isClassification());
    EXPECT_EQ(reg.outputLabels(), QStringList{QStringLiteral("progression")});
    const std::vector<qint64> test = testRows();
    auto model = LoadedModel::fromArchive(*reg.model().toArchive());
    ASSERT_TRUE(model.ok());
    auto standardised = model->predict(table(), test);
    ASSERT_TRUE(standardised.ok());
    const std::vector<float> xr = m_pre->transform(table(), test);
    InferenceEngine::Prediction p;
    ASSERT_TRUE(reg.predictInputs(xr, qint64(test.size()), p).ok());
    ASSERT_EQ(p.width, 1);
    EXPECT_TRUE(p.probabilities.empty());
    for (size_t i = 0; i < test.size(); ++i)
        EXPECT_FLOAT_EQ(p.outputs[i], float(m_pre->unscaleTarget(standardised->values[i])));
    EXPECT_TRUE(reg.rowJson(p, 0).contains(QStringLiteral("prediction")));
}

TEST_F(InferenceEngineTest, BadRowsAreRefusedNamingRowAndFeature)
{
    load(testDataPath(QStringLiteral("interop/diabetes_mixed.csv")), QStringLiteral("risk"),
         MissingPolicy::ImputeMedian);
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine e = engine(mlpSpec(m_pre->featureCount(), 2));
    const std::vector<float> good = rawRow(*m_pre, table(), testRows().front());
    std::vector<float> two = good;
    two.insert(two.end(), good.begin(), good.end());
    const QStringList names = e.featureNames();
    const int sex = int(names.indexOf(QStringLiteral("sex")));
    const int bmi = int(names.indexOf(QStringLiteral("bmi")));
    const int highBp = int(names.indexOf(QStringLiteral("high_bp")));
    ASSERT_GE(sex, 0);
    ASSERT_GE(bmi, 0);
    ASSERT_GE(highBp, 0);

    auto refused = [&](std::vector<float> rows, const char *expected) {
        auto p = e.predictRaw(rows, qint64(rows.size()) / e.featureCount());
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.kind(), ErrorKind::InvalidInput);
        EXPECT_TRUE(p.error().contains(QLatin1String(expected))) << qPrintable(p.error());
    };
    std::vector<float> bad = two;
    bad[size_t(e.featureCount() + bmi)] = std::numeric_limits<float>::infinity();
    refused(bad, "row 1, feature 'bmi'");
    bad = two;
    bad[size_t(sex)] = 2; // two categories: codes 0 and 1
    refused(bad, "row 0, feature 'sex': 2 is not a category code");
    bad = two;
    bad[size_t(sex)] = 0.5;
    refused(bad, "feature 'sex'");
    bad = two;
    bad[size_t(highBp)] = 3;
    refused(bad, "expected 0 or 1");
    auto wrongSize = e.predictRaw(std::span<const float>(good.data(), good.size() - 1), 1);
    ASSERT_FALSE(wrongSize.ok());
    EXPECT_TRUE(wrongSize.error().contains(QLatin1String("expected 12"))) << qPrintable(wrongSize.error());
    EXPECT_FALSE(e.predictRaw({}, 0).ok());
    auto notRecord = e.predictRecords(QJsonArray{QJsonValue(3)});
    ASSERT_FALSE(notRecord.ok());
    EXPECT_TRUE(notRecord.error().contains(QLatin1String("record 0"))) << qPrintable(notRecord.error());
    QJsonObject record = recordOf(*m_pre, table(), 0);
    record.remove(QStringLiteral("bmi"));
    auto missingKey = e.predictRecords(QJsonArray{recordOf(*m_pre, table(), 0), record});
    ASSERT_FALSE(missingKey.ok());
    EXPECT_TRUE(missingKey.error().contains(QLatin1String("record 1"))) << qPrintable(missingKey.error());

    // NaN is a missing value: imputed with the training fill, as a missing cell of the table is.
    std::vector<float> missing = good;
    missing[size_t(bmi)] = std::numeric_limits<float>::quiet_NaN();
    auto withNaN = e.predictRaw(missing, 1);
    ASSERT_TRUE(withNaN.ok()) << qPrintable(withNaN.error());
    const FeatureTransform &f = m_pre->features()[size_t(bmi)];
    ASSERT_TRUE(f.fill.has_value());
    missing[size_t(bmi)] = float(*f.fill);
    auto filled = e.predictRaw(missing, 1);
    ASSERT_TRUE(filled.ok());
    EXPECT_NEAR(withNaN->outputs[0], filled->outputs[0], 1e-6);
    // Extreme finite values are values: the answer is whatever the model makes of them.
    std::vector<float> extreme = good;
    extreme[size_t(bmi)] = 3e38f;
    EXPECT_TRUE(e.predictRaw(extreme, 1).ok());
}

TEST_F(InferenceEngineTest, ConcurrentSingleRowsGiveTheSequentialBits)
{
    load(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("species"));
    ASSERT_FALSE(HasFatalFailure());
    const InferenceEngine e = engine(mlpSpec(4, 3));
    const std::vector<qint64> rows = testRows();
    const std::vector<float> x = m_pre->transform(table(), rows);
    std::vector<float> expected;
    InferenceEngine::Prediction p;
    for (size_t i = 0; i < rows.size(); ++i) {
        ASSERT_TRUE(e.predictInputs(std::span<const float>(x.data() + i * 4, 4), 1, p).ok());
        expected.insert(expected.end(), p.outputs.begin(), p.outputs.end());
    }
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            InferenceEngine::Prediction mine;
            for (int round = 0; round < 50; ++round) {
                for (size_t i = 0; i < rows.size(); ++i) {
                    if (!e.predictInputs(std::span<const float>(x.data() + i * 4, 4), 1, mine).ok() ||
                        !std::equal(mine.outputs.begin(), mine.outputs.end(), expected.begin() + long(i * 3)))
                        ++mismatches;
                }
            }
        });
    }
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(mismatches.load(), 0);
}
