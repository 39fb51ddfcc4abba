// SPDX-License-Identifier: MIT
// LoadedModel against libtorch itself: forward and evaluation give what the TorchScript module
// gives when called directly, an archive round-trips, and bad input is refused with its kind.

#include "data/dataset_catalog.h"
#include "data/preprocessing.h"
#include "inference/detail/model_runner.h"
#include "inference/loaded_model.h"
#include "model/model_compiler.h"
#include "model/model_spec.h"
#include "store/project_file.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QJsonDocument>

#include <torch/torch.h>

#include <thread>

using namespace mlwb;
using namespace mlwb::test;

class LoadedModelTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions options;
        options.target = QStringLiteral("species");
        DatasetCatalog catalog(m_project->db());
        auto id = catalog.importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), options);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        auto loaded = catalog.load(*id);
        ASSERT_TRUE(loaded.ok()) << qPrintable(loaded.error());
        m_data = std::make_unique<LoadedDataset>(std::move(*loaded));
        auto pre = Preprocessing::fit(m_data->data, m_data->rows(SplitPart::Train));
        ASSERT_TRUE(pre.ok()) << qPrintable(pre.error());
        m_pre = std::make_unique<Preprocessing>(std::move(*pre));
        auto spec = ModelSpec::fromJson(QByteArrayLiteral(
            R"({"input":[4],"layers":[{"type":"Linear","out":8},{"type":"ReLU"},{"type":"Linear","out":3}]})"));
        ASSERT_TRUE(spec.ok()) << qPrintable(spec.error());
        auto module = ModelCompiler::compile(*spec, 11);
        ASSERT_TRUE(module.ok()) << qPrintable(module.error());
        m_module = ModelRunner::module(*module);  // a handle: it outlives the LoadedModel
    }

    const DataTable &table() const { return m_data->data.table; }
    std::vector<qint64> testRows() const { return m_data->rows(SplitPart::Test); }
    std::unique_ptr<LoadedDataset> m_data;
    std::unique_ptr<Preprocessing> m_pre;
    torch::jit::Module m_module;
};

TEST_F(LoadedModelTest, ForwardAndPredictGiveWhatTheModuleGives)
{
    const LoadedModel model = ModelRunner::wrap(m_module.clone(), *m_pre);
    const std::vector<qint64> rows = testRows();
    ASSERT_FALSE(rows.empty());
    torch::NoGradGuard ng;
    const torch::Tensor x = ModelRunner::inputs(*m_pre, table(), rows);
    const torch::Tensor expected = m_module.forward({x}).toTensor().contiguous();

    auto predicted = model.predict(table(), rows);
    ASSERT_TRUE(predicted.ok()) << qPrintable(predicted.error());
    ASSERT_EQ(predicted->rows, qint64(rows.size()));
    ASSERT_EQ(predicted->width, 3);
    auto forwarded = model.forward(std::span<const float>(x.data_ptr<float>(), size_t(x.numel())),
                                   {qint64(rows.size()), 4});
    ASSERT_TRUE(forwarded.ok()) << qPrintable(forwarded.error());
    for (qint64 r = 0; r < predicted->rows; ++r) {
        for (qint64 c = 0; c < 3; ++c) {
            EXPECT_EQ(predicted->at(r, c), expected[r][c].item<float>()) << r << "," << c;
            EXPECT_EQ(forwarded->at(r, c), expected[r][c].item<float>()) << r << "," << c;
        }
    }
    EXPECT_EQ(model.parameterCount(), 4 * 8 + 8 + 8 * 3 + 3);
}

TEST_F(LoadedModelTest, EvaluationCountsTheModulesArgmax)
{
    const LoadedModel model = ModelRunner::wrap(m_module.clone(), *m_pre);
    const std::vector<qint64> rows = testRows();
    auto json = model.evaluate(table(), rows);
    ASSERT_TRUE(json.ok()) << qPrintable(json.error());

    torch::NoGradGuard ng;
    const torch::Tensor x = ModelRunner::inputs(*m_pre, table(), rows);
    const torch::Tensor predicted = m_module.forward({x}).toTensor().argmax(1);
    const std::vector<qint64> y = m_pre->classTargets(table(), rows);
    int right = 0;
    for (size_t i = 0; i < y.size(); ++i)
        right += predicted[qint64(i)].item<int64_t>() == y[i];
    const double accuracy = json->value(QStringLiteral("metrics")).toObject().value(QStringLiteral("accuracy")).toDouble();
    EXPECT_DOUBLE_EQ(accuracy, double(right) / double(y.size()));
}

TEST_F(LoadedModelTest, ArchiveRoundTripsWithItsPreprocessing)
{
    const LoadedModel model = ModelRunner::wrap(m_module.clone(), *m_pre);
    auto bytes = model.toArchive();
    ASSERT_TRUE(bytes.ok()) << qPrintable(bytes.error());
    auto again = LoadedModel::fromArchive(*bytes, QStringLiteral("run 7"));
    ASSERT_TRUE(again.ok()) << qPrintable(again.error());
    ASSERT_NE(again->preprocessing(), nullptr);
    EXPECT_EQ(again->preprocessing()->toJson(), m_pre->toJson());
    const auto a = model.evaluate(table(), testRows());
    const auto b = again->evaluate(table(), testRows());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(QJsonDocument(*a).toJson(), QJsonDocument(*b).toJson());
}

TEST_F(LoadedModelTest, BadInputIsRefusedWithItsKindAndSource)
{
    auto garbage = LoadedModel::fromArchive(QByteArrayLiteral("PK\x03\x04 not a model"), QStringLiteral("run 9"));
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(garbage.error().startsWith(QStringLiteral("run 9: not a loadable TorchScript model")))
        << qPrintable(garbage.error());

    const LoadedModel model = ModelRunner::wrap(m_module.clone(), *m_pre);
    const std::vector<float> five(5, 0.f);
    auto wrongSize = model.forward(five, {2, 4});
    ASSERT_FALSE(wrongSize.ok());
    EXPECT_EQ(wrongSize.kind(), ErrorKind::InvalidInput);
    EXPECT_EQ(wrongSize.error(), QStringLiteral("forward: 5 input values do not fill the shape [2, 4]"));
    const std::vector<float> wide(2 * 5, 0.f);
    auto wrongShape = model.forward(wide, {2, 5});
    ASSERT_FALSE(wrongShape.ok());
    EXPECT_EQ(wrongShape.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(wrongShape.error().contains(QStringLiteral("2x5"))) << qPrintable(wrongShape.error());

    // A TorchScript module saved without preprocessing loads, but cannot read table rows.
    auto bare = ModelRunner::saveModule(m_module);
    ASSERT_TRUE(bare.ok());
    auto plain = LoadedModel::fromArchive(*bare);
    ASSERT_TRUE(plain.ok()) << qPrintable(plain.error());
    EXPECT_EQ(plain->preprocessing(), nullptr);
    auto rows = plain->predict(table(), testRows());
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.kind(), ErrorKind::InvalidInput);
}

TEST_F(LoadedModelTest, ConcurrentPredictionsAgree)
{
    const LoadedModel model = ModelRunner::wrap(m_module.clone(), *m_pre);
    const std::vector<qint64> rows = testRows();
    auto reference = model.predict(table(), rows);
    ASSERT_TRUE(reference.ok());
    std::vector<std::vector<float>> got(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < got.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                auto p = model.predict(table(), rows);
                if (!p.ok())
                    return;
                got[t] = p->values;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    for (const auto &g : got)
        EXPECT_EQ(g, reference->values);
}
