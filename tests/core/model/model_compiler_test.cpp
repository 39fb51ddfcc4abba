// SPDX-License-Identifier: MIT
// Spec -> TorchScript: forward shapes, initialisation, determinism, train/eval behaviour,
// save/load, gradients, and that the templates learn digits.

#include "inference/detail/model_runner.h"
#include "model/model_compiler.h"
#include "model/model_templates.h"
#include "model/shape_inference.h"

#include "test_support.h"

#include <QElapsedTimer>
#include <QFile>

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>

#include <gtest/gtest.h>

#include <sstream>

using namespace mlwb;

namespace {

class ModelCompilerTest : public ::testing::Test {
protected:
    void SetUp() override { at::set_num_threads(2); }
};

ModelSpec parse(const char *json)
{
    auto spec = ModelSpec::fromJson(QByteArray(json));
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? std::string() : spec.error().toStdString());
    return spec.ok() ? *spec : ModelSpec{};
}

// The compiled module in training mode, as the trainer runs it (a module is a handle: it
// outlives the LoadedModel it came in).
torch::jit::Module compileOk(const ModelSpec &spec, quint64 seed = 7)
{
    auto m = ModelCompiler::compile(spec, seed);
    if (!m.ok()) {
        ADD_FAILURE() << m.error().toStdString();
        return torch::jit::Module();
    }
    torch::jit::Module module = ModelRunner::module(*m);
    EXPECT_FALSE(module.is_training()) << "a compiled model starts in eval mode";
    module.train();
    return module;
}

torch::Tensor forward(torch::jit::Module &m, const torch::Tensor &x)
{
    return m.forward({x}).toTensor();
}

std::vector<int64_t> batchShape(int64_t n, const std::vector<qint64> &perSample)
{
    std::vector<int64_t> s{n};
    s.insert(s.end(), perSample.begin(), perSample.end());
    return s;
}

// Every layer type, both residual projections, BatchNorm over [C] and [C, H, W].
const char *kEveryLayer = R"({"input":[3,12,12],"layers":[
    {"type":"Conv2d","out":8,"kernel":3,"padding":1},
    {"type":"BatchNorm2d","momentum":0.2},
    {"type":"LeakyReLU","slope":0.1},
    {"type":"Residual","projection":true,"layers":[
        {"type":"Conv2d","out":16,"kernel":3,"stride":2,"padding":1,"bias":false},
        {"type":"BatchNorm2d"},{"type":"GELU"}]},
    {"type":"Residual","layers":[{"type":"Conv2d","out":16,"kernel":3,"padding":1},{"type":"Tanh"}]},
    {"type":"MaxPool2d","kernel":2},
    {"type":"AvgPool2d","kernel":3,"stride":1,"padding":1},
    {"type":"Flatten"},
    {"type":"Linear","out":32},
    {"type":"BatchNorm1d","eps":0.001},
    {"type":"ReLU"},
    {"type":"Dropout","p":0.25},
    {"type":"Residual","projection":true,"layers":[{"type":"Linear","out":12},{"type":"Sigmoid"}]},
    {"type":"Linear","out":5,"bias":false}]})";

struct Digits {
    torch::Tensor x;  // [N, 64], scaled to [0, 1]
    torch::Tensor y;  // [N] long
};

Digits loadDigits()
{
    QFile f(test::datasetPath(QStringLiteral("digits.csv")));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << f.fileName().toStdString();
    std::vector<float> xs;
    std::vector<int64_t> ys;
    f.readLine();  // header
    while (!f.atEnd()) {
        const QList<QByteArray> cells = f.readLine().trimmed().split(',');
        if (cells.size() != 65)
            continue;
        for (int i = 0; i < 64; ++i)
            xs.push_back(cells[i].toFloat() / 16.0f);
        ys.push_back(cells[64].toLongLong());
    }
    const auto n = int64_t(ys.size());
    return {torch::from_blob(xs.data(), {n, 64}).clone(), torch::from_blob(ys.data(), {n}, torch::kLong).clone()};
}

// Trains with Adam and returns the test accuracy on a fixed 80/20 split.
double trainDigits(const ModelSpec &spec, int epochs)
{
    const Digits d = loadDigits();
    const int64_t n = d.x.size(0);
    EXPECT_EQ(n, 1797);
    torch::manual_seed(1);  // the test's own shuffling; the module has its own generator
    const auto perm = torch::randperm(n);
    const int64_t nTrain = n * 8 / 10;
    const std::vector<int64_t> inShape = batchShape(-1, spec.inputShape);
    const auto xTrain = d.x.index_select(0, perm.slice(0, 0, nTrain)).reshape(inShape);
    const auto yTrain = d.y.index_select(0, perm.slice(0, 0, nTrain));
    const auto xTest = d.x.index_select(0, perm.slice(0, nTrain)).reshape(inShape);
    const auto yTest = d.y.index_select(0, perm.slice(0, nTrain));

    auto module = compileOk(spec, 42);
    torch::optim::Adam opt(ModelRunner::trainableParameters(module), torch::optim::AdamOptions(2e-3));
    module.train();
    const int64_t batch = 64;
    for (int e = 0; e < epochs; ++e) {
        const auto order = torch::randperm(nTrain);
        for (int64_t i = 0; i + 1 < nTrain; i += batch) {
            const auto idx = order.slice(0, i, std::min(i + batch, nTrain));
            opt.zero_grad();
            const auto loss = at::cross_entropy_loss(forward(module, xTrain.index_select(0, idx)),
                                                                    yTrain.index_select(0, idx));
            loss.backward();
            opt.step();
        }
    }
    module.eval();
    torch::NoGradGuard noGrad;
    const auto predicted = forward(module, xTest).argmax(1);
    return predicted.eq(yTest).to(torch::kDouble).mean().item<double>();
}

} // namespace

TEST_F(ModelCompilerTest, ForwardShapesMatchShapeInference)
{
    std::vector<ModelSpec> specs{parse(kEveryLayer)};
    specs.push_back(*ModelTemplates::make(QStringLiteral("mlp"), {64}, 10));
    specs.push_back(*ModelTemplates::make(QStringLiteral("cnn"), {1, 8, 8}, 10));
    specs.push_back(*ModelTemplates::make(QStringLiteral("logistic"), {4}, 3));
    specs.push_back(*ModelTemplates::make(QStringLiteral("linear"), {10}, 1));
    for (const ModelSpec &spec : specs) {
        SCOPED_TRACE(spec.toJson().toStdString());
        const ShapeReport report = ShapeInference::infer(spec);
        ASSERT_TRUE(report.ok()) << report.error.toStdString();
        auto m = compileOk(spec);
        EXPECT_EQ(ModelRunner::parameterCount(m), report.totalParameters);
        for (bool training : {true, false}) {
            m.train(training);
            const auto out = forward(m, torch::randn(batchShape(5, spec.inputShape)));
            EXPECT_EQ(out.sizes().vec(), batchShape(5, report.output));
            EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
        }
    }
}

TEST_F(ModelCompilerTest, ParametersBuffersAndInit)
{
    const ModelSpec spec = parse(R"({"input":[64],"layers":[{"type":"Linear","out":128},{"type":"BatchNorm1d"},
        {"type":"Residual","layers":[{"type":"Linear","out":128}]}]})");
    auto m = compileOk(spec);
    std::map<std::string, torch::Tensor> params;
    for (const auto &p : m.named_parameters())
        params[p.name] = p.value;
    std::map<std::string, torch::Tensor> buffers;
    for (const auto &b : m.named_buffers())
        buffers[b.name] = b.value;
    EXPECT_EQ(params.size(), 6u);
    ASSERT_TRUE(params.count("l0_weight") && params.count("l0_bias") && params.count("l2_0_weight"));
    EXPECT_EQ(params["l0_weight"].sizes().vec(), (std::vector<int64_t>{128, 64}));
    const double bound = 1.0 / std::sqrt(64.0);
    EXPECT_LE(params["l0_weight"].abs().max().item<double>(), bound);
    // U(-b, b) has standard deviation b/sqrt(3).
    EXPECT_NEAR(params["l0_weight"].std().item<double>(), bound / std::sqrt(3.0), 0.01);
    EXPECT_LE(params["l0_bias"].abs().max().item<double>(), bound);
    EXPECT_TRUE(params["l1_weight"].eq(1).all().item<bool>());
    EXPECT_TRUE(params["l1_bias"].eq(0).all().item<bool>());
    for (const auto &p : params)
        EXPECT_TRUE(p.second.requires_grad()) << p.first;
    ASSERT_EQ(buffers.size(), 3u);
    EXPECT_TRUE(buffers["l1_running_mean"].eq(0).all().item<bool>());
    EXPECT_TRUE(buffers["l1_running_var"].eq(1).all().item<bool>());
    EXPECT_EQ(buffers["l1_num_batches_tracked"].scalar_type(), torch::kLong);
    EXPECT_EQ(ModelRunner::trainableParameters(m).size(), 6u);
}

TEST_F(ModelCompilerTest, DeterministicForASeed)
{
    const ModelSpec spec = parse(kEveryLayer);
    auto a = compileOk(spec, 123);
    auto b = compileOk(spec, 123);
    auto c = compileOk(spec, 124);
    const auto pa = ModelRunner::trainableParameters(a);
    const auto pb = ModelRunner::trainableParameters(b);
    const auto pc = ModelRunner::trainableParameters(c);
    ASSERT_EQ(pa.size(), pb.size());
    bool anyDifferent = false;
    for (size_t i = 0; i < pa.size(); ++i) {
        EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;
        anyDifferent = anyDifferent || !torch::equal(pa[i], pc[i]);
    }
    EXPECT_TRUE(anyDifferent);
    a.eval();
    b.eval();
    const auto x = torch::randn({4, 3, 12, 12});
    EXPECT_TRUE(torch::equal(forward(a, x), forward(b, x)));
    // Compiling must not touch the global generator.
    torch::manual_seed(5);
    const auto before = torch::rand({3});
    torch::manual_seed(5);
    (void)compileOk(spec, 99);
    EXPECT_TRUE(torch::equal(torch::rand({3}), before));
}

TEST_F(ModelCompilerTest, TrainAndEvalToggleDropoutAndBatchNorm)
{
    auto m = compileOk(parse(R"({"input":[16],"layers":[{"type":"Linear","out":32},{"type":"BatchNorm1d"},
        {"type":"Dropout","p":0.5},{"type":"Linear","out":4}]})"));
    const auto x = torch::randn({8, 16}) * 3 + 1;
    torch::NoGradGuard noGrad;
    const auto named = [&](const char *name) { return m.attr(name).toTensor().clone(); };

    ASSERT_TRUE(m.is_training());
    const auto t1 = forward(m, x);
    const auto t2 = forward(m, x);
    EXPECT_FALSE(torch::allclose(t1, t2)) << "dropout should differ between training passes";
    EXPECT_EQ(named("l1_num_batches_tracked").item<int64_t>(), 2);
    EXPECT_FALSE(named("l1_running_mean").eq(0).all().item<bool>());

    m.eval();
    EXPECT_FALSE(m.is_training());
    const auto mean = named("l1_running_mean");
    const auto e1 = forward(m, x);
    const auto e2 = forward(m, x);
    EXPECT_TRUE(torch::equal(e1, e2));
    EXPECT_TRUE(torch::equal(named("l1_running_mean"), mean));
    EXPECT_EQ(named("l1_num_batches_tracked").item<int64_t>(), 2);
    // Eval with a single row works (serving); training on one row is refused like PyTorch does.
    EXPECT_EQ(forward(m, x.slice(0, 0, 1)).sizes().vec(), (std::vector<int64_t>{1, 4}));
    m.train();
    try {
        forward(m, x.slice(0, 0, 1));
        ADD_FAILURE() << "expected an error for a batch of one in training mode";
    } catch (const std::exception &e) {
        EXPECT_NE(std::string(e.what()).find("layer 1 (BatchNorm1d): training needs more than one sample"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(ModelCompilerTest, SaveLoadRoundTrip)
{
    const ModelSpec spec = parse(kEveryLayer);
    auto m = compileOk(spec);
    {
        // Move the BatchNorm statistics away from their initial values first.
        torch::NoGradGuard noGrad;
        forward(m, torch::randn({6, 3, 12, 12}));
    }
    m.eval();
    const auto bytes = ModelRunner::saveModule(m);
    ASSERT_TRUE(bytes.ok()) << bytes.error().toStdString();
    auto loaded = ModelRunner::loadModule(*bytes);
    ASSERT_TRUE(loaded.ok()) << loaded.error().toStdString();
    EXPECT_FALSE(loaded->is_training());
    const auto x = torch::randn({3, 3, 12, 12});
    EXPECT_TRUE(torch::equal(forward(m, x), forward(*loaded, x)));
    loaded->train();
    EXPECT_TRUE(loaded->is_training());
    EXPECT_EQ(ModelRunner::trainableParameters(*loaded).size(), ModelRunner::trainableParameters(m).size());

    const auto spec2 = ModelSpec::fromJson(ModelRunner::specJson(*loaded));
    ASSERT_TRUE(spec2.ok()) << spec2.error().toStdString();
    EXPECT_EQ(*spec2, spec);

    // The spec is also an extra file of the archive.
    std::istringstream in(bytes->toStdString());
    torch::jit::ExtraFilesMap extra{{ModelRunner::kSpecFile, ""}};
    torch::jit::load(in, torch::kCPU, extra);
    EXPECT_EQ(QByteArray::fromStdString(extra[ModelRunner::kSpecFile]), spec.toJson());

    const auto garbage = ModelRunner::loadModule(QByteArray("definitely not a model"));
    ASSERT_FALSE(garbage.ok());
    EXPECT_NE(garbage.error().indexOf(QStringLiteral("not a loadable TorchScript model")), -1);
    const auto truncated = ModelRunner::loadModule(bytes->left(bytes->size() / 2));
    ASSERT_FALSE(truncated.ok());
    EXPECT_NE(truncated.error().indexOf(QStringLiteral("not a loadable TorchScript model: istream reader failed")), -1) << truncated.error().toStdString();
}

TEST_F(ModelCompilerTest, InvalidSpecsAreRefusedWithTheLayer)
{
    ModelSpec spec = parse(R"({"input":[1,8,8],"layers":[{"type":"Conv2d","out":4,"kernel":3},{"type":"Linear","out":2}]})");
    const auto m = ModelCompiler::compile(spec, 1);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error(), QStringLiteral("layer 1 (Linear): expects input of rank 1 [features], got [4, 6, 6]; add a Flatten before it"));
    spec.layers[0].params.insert(QStringLiteral("stride"), 0);
    EXPECT_NE(ModelCompiler::compile(spec, 1).error().indexOf(QStringLiteral("layer 0 (Conv2d): parameter \"stride\"")), -1);
}

TEST_F(ModelCompilerTest, ForwardSourceIsReadableTorchScript)
{
    const auto src = ModelCompiler::forwardSource(parse(R"({"input":[8],"layers":[{"type":"Linear","out":4},
        {"type":"Dropout","p":0.1},{"type":"Residual","layers":[{"type":"ReLU"}]}]})"));
    ASSERT_TRUE(src.ok()) << src.error().toStdString();
    EXPECT_EQ(*src, QStringLiteral("def forward(self, x: Tensor) -> Tensor:\n"
                                   "    x = torch.linear(x, self.l0_weight, self.l0_bias)\n"
                                   "    x = torch.dropout(x, 0.1, self.training)\n"
                                   "    s2 = x\n"
                                   "    x = torch.relu(x)\n"
                                   "    x = x + s2\n"
                                   "    return x\n"));
}

TEST_F(ModelCompilerTest, GradientsFlowAndAdamReducesTheLoss)
{
    for (const char *kind : {"mlp", "cnn"}) {
        SCOPED_TRACE(kind);
        const ModelSpec spec = *ModelTemplates::make(QString::fromLatin1(kind), {1, 8, 8}, 3);
        auto m = compileOk(spec, 3);
        m.train();
        torch::manual_seed(0);
        const auto x = torch::randn({32, 1, 8, 8});
        const auto y = torch::randint(0, 3, {32});
        const auto params = ModelRunner::trainableParameters(m);
        torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
        double first = 0;
        double last = 0;
        for (int step = 0; step < 20; ++step) {
            opt.zero_grad();
            const auto loss = at::cross_entropy_loss(forward(m, x), y);
            loss.backward();
            if (step == 0) {
                first = loss.item<double>();
                for (const auto &p : params) {
                    ASSERT_TRUE(p.grad().defined());
                    EXPECT_GT(p.grad().abs().sum().item<double>(), 0.0);
                }
            }
            last = loss.item<double>();
            opt.step();
        }
        EXPECT_LT(last, first * 0.7) << "first " << first << " last " << last;
    }
}

TEST_F(ModelCompilerTest, CnnTemplateLearnsDigits)
{
    QElapsedTimer timer;
    timer.start();
    const double acc = trainDigits(*ModelTemplates::make(QStringLiteral("cnn"), {1, 8, 8}, 10), 4);
    EXPECT_GE(acc, 0.96);
    std::cout << "cnn digits test accuracy " << acc << " in " << timer.elapsed() << " ms\n";
}

TEST_F(ModelCompilerTest, MlpTemplateLearnsDigits)
{
    QElapsedTimer timer;
    timer.start();
    const double acc = trainDigits(*ModelTemplates::make(QStringLiteral("mlp"), {64}, 10), 12);
    EXPECT_GE(acc, 0.96);
    std::cout << "mlp digits test accuracy " << acc << " in " << timer.elapsed() << " ms\n";
}
