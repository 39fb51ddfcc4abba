// SPDX-License-Identifier: MIT
// Interop with PyTorch in Python (Debian's /usr/bin/python3 with python3-torch): modules we
// save load there with the same outputs, and modules scripted or traced there import here.
// Also the importer's refusals, which need no Python.

#include "inference/detail/model_runner.h"
#include "model/model_compiler.h"
#include "model/model_templates.h"
#include "model/torchscript_importer.h"

#include "test_support.h"

#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

void writeTensor(const QString &path, const torch::Tensor &t)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    QTextStream s(&f);
    const auto c = t.contiguous().to(torch::kFloat32);
    const float *p = c.data_ptr<float>();
    for (int64_t i = 0; i < c.numel(); ++i)
        s << QString::number(double(p[i]), 'g', 9) << QLatin1Char(' ');
}

// Parses whitespace-separated numbers printed by Python.
std::vector<double> numbers(const QString &text)
{
    std::vector<double> v;
    for (const QString &tok : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        v.push_back(tok.toDouble());
    return v;
}

void expectClose(const torch::Tensor &ours, const std::vector<double> &theirs, double tol = 1e-5)
{
    const auto c = ours.contiguous().to(torch::kDouble);
    ASSERT_EQ(size_t(c.numel()), theirs.size());
    const double *p = c.data_ptr<double>();
    double worst = 0;
    for (size_t i = 0; i < theirs.size(); ++i)
        worst = std::max(worst, std::fabs(p[i] - theirs[i]) / std::max(1.0, std::fabs(theirs[i])));
    EXPECT_LE(worst, tol);
}

// Python prelude: read a tensor written by writeTensor, print one as numbers.
const char *kPrelude = R"(
import sys, torch
torch.set_num_threads(1)
def read(path, shape):
    return torch.tensor([float(v) for v in open(path).read().split()], dtype=torch.float32).reshape(shape)
def show(t):
    print(' '.join('%.9g' % v for v in t.detach().reshape(-1).tolist()))
)";

class InteropTest : public test::TempDirTest {
protected:
    void SetUp() override
    {
        test::TempDirTest::SetUp();
        at::set_num_threads(2);
    }
};

} // namespace

TEST_F(InteropTest, SavedModuleLoadsInPyTorchWithTheSameOutputs)
{
    MLWB_REQUIRE_PYTHON("torch");
    const auto spec = ModelSpec::fromJson(R"({"input":[2,10,10],"layers":[
        {"type":"Conv2d","out":6,"kernel":3,"padding":1},{"type":"BatchNorm2d"},{"type":"LeakyReLU","slope":0.2},
        {"type":"Residual","projection":true,"layers":[{"type":"Conv2d","out":8,"kernel":3,"stride":2,"padding":1},
            {"type":"GELU"}]},
        {"type":"AvgPool2d","kernel":2},{"type":"MaxPool2d","kernel":2,"stride":1},{"type":"Flatten"},
        {"type":"Linear","out":16},{"type":"BatchNorm1d"},{"type":"Tanh"},{"type":"Dropout","p":0.3},
        {"type":"Residual","layers":[{"type":"Linear","out":16},{"type":"Sigmoid"}]},
        {"type":"Linear","out":3}]})");
    ASSERT_TRUE(spec.ok()) << spec.error().toStdString();
    auto compiled = ModelCompiler::compile(*spec, 11);
    ASSERT_TRUE(compiled.ok()) << compiled.error().toStdString();
    torch::jit::Module m = ModelRunner::module(*compiled);
    m.train();
    // A few training steps so weights and BatchNorm statistics are no longer the initial ones.
    torch::manual_seed(3);
    torch::optim::Adam opt(ModelRunner::trainableParameters(m), torch::optim::AdamOptions(1e-2));
    for (int i = 0; i < 5; ++i) {
        opt.zero_grad();
        const auto loss = at::cross_entropy_loss(m.forward({torch::randn({16, 2, 10, 10})}).toTensor(),
                                                                torch::randint(0, 3, {16}));
        loss.backward();
        opt.step();
    }
    m.eval();
    const auto bytes = ModelRunner::saveModule(m);
    ASSERT_TRUE(bytes.ok()) << bytes.error().toStdString();
    QFile f(path(QStringLiteral("model.pt")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(*bytes);
    f.close();

    const auto x = torch::randn({7, 2, 10, 10});
    writeTensor(path(QStringLiteral("x.txt")), x);
    torch::Tensor ours;
    {
        torch::NoGradGuard noGrad;
        ours = m.forward({x}).toTensor();
    }
    const QString script = QString::fromLatin1(kPrelude) + QStringLiteral(R"(
files = {'mlwb/spec.json': ''}
m = torch.jit.load(sys.argv[1], _extra_files=files)
m.eval()
import json
assert json.loads(files['mlwb/spec.json'])['input'] == [2, 10, 10], files
assert json.loads(m.mlwb_spec)['layers'][0]['type'] == 'Conv2d'
with torch.no_grad():
    show(m(read(sys.argv[2], [7, 2, 10, 10])))
print(sum(p.numel() for p in m.parameters()))
m.train()
loss = m(read(sys.argv[2], [7, 2, 10, 10])).sum()
loss.backward()
print(sum(1 for p in m.parameters() if p.grad is not None))
)");
    const test::PythonRun r = test::runPython(script, {path(QStringLiteral("model.pt")), path(QStringLiteral("x.txt"))});
    ASSERT_TRUE(r.ok()) << r.err.toStdString();
    const QStringList lines = QString::fromUtf8(r.out).trimmed().split(QLatin1Char('\n'));
    ASSERT_EQ(lines.size(), 3) << r.out.constData();
    expectClose(ours, numbers(lines[0]));
    EXPECT_EQ(lines[1].toLongLong(), ModelRunner::parameterCount(m));
    EXPECT_EQ(lines[2].toULongLong(), ModelRunner::trainableParameters(m).size());  // trainable in Python too
}

TEST_F(InteropTest, PythonModulesImportEvaluateFineTuneAndPackage)
{
    MLWB_REQUIRE_PYTHON("torch");
    torch::manual_seed(8);
    const auto flatX = torch::randn({5, 4});
    const auto imageX = torch::randn({5, 1, 8, 8});
    writeTensor(path(QStringLiteral("flat.txt")), flatX);
    writeTensor(path(QStringLiteral("image.txt")), imageX);
    const QString script = QString::fromLatin1(kPrelude) + QStringLiteral(R"(
import torch.nn as nn
d = sys.argv[1]
torch.manual_seed(0)
mlp = torch.jit.script(nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3)))
mlp.eval()
mlp.save(d + '/scripted.pt')
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                    nn.Linear(64, 10)).eval()
traced = torch.jit.trace(cnn, torch.zeros(2, 1, 8, 8))
traced.save(d + '/traced.pt')
frozen = torch.jit.freeze(torch.jit.script(nn.Sequential(nn.Linear(4, 2)).eval()))
frozen.save(d + '/frozen.pt')
torch.save(nn.Linear(4, 2).state_dict(), d + '/state_dict.pt')
with torch.no_grad():
    show(mlp(read(d + '/flat.txt', [5, 4])))
    show(traced(read(d + '/image.txt', [5, 1, 8, 8])))
    show(frozen(read(d + '/flat.txt', [5, 4])))
)");
    const test::PythonRun r = test::runPython(script, {m_dir->path()});
    ASSERT_TRUE(r.ok()) << r.err.toStdString();
    const QStringList lines = QString::fromUtf8(r.out).trimmed().split(QLatin1Char('\n'));
    ASSERT_EQ(lines.size(), 3) << r.out.constData();

    // Scripted MLP: evaluates like in Python, fine-tunes, packages.
    auto mlp = TorchScriptImporter::importFile(path(QStringLiteral("scripted.pt")), {4});
    ASSERT_TRUE(mlp.ok()) << mlp.error().toStdString();
    EXPECT_EQ(mlp->outputShape, (std::vector<qint64>{3}));
    EXPECT_EQ(mlp->parameters, 4 * 16 + 16 + 16 * 3 + 3);
    EXPECT_EQ(mlp->trainableParameters, mlp->parameters);
    EXPECT_TRUE(mlp->trainable());
    EXPECT_FALSE(mlp->spec.has_value());
    EXPECT_FALSE(ModelRunner::module(mlp->model).is_training());
    {
        torch::NoGradGuard noGrad;
        expectClose(ModelRunner::module(mlp->model).forward({flatX}).toTensor(), numbers(lines[0]));
    }
    torch::jit::Module &module = ModelRunner::module(mlp->model);
    module.train();
    torch::optim::Adam opt(ModelRunner::trainableParameters(module), torch::optim::AdamOptions(1e-2));
    const auto y = torch::randint(0, 3, {5});
    double first = 0;
    double last = 0;
    for (int i = 0; i < 30; ++i) {
        opt.zero_grad();
        const auto loss = at::cross_entropy_loss(module.forward({flatX}).toTensor(), y);
        loss.backward();
        opt.step();
        (i == 0 ? first : last) = loss.item<double>();
    }
    EXPECT_LT(last, first * 0.5) << first << " -> " << last;
    module.eval();
    const auto packaged = ModelRunner::saveModule(module);
    ASSERT_TRUE(packaged.ok()) << packaged.error().toStdString();
    auto reloaded = TorchScriptImporter::importBytes(*packaged, {4}, QStringLiteral("package model.pt"));
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().toStdString();
    {
        torch::NoGradGuard noGrad;
        EXPECT_TRUE(torch::allclose(ModelRunner::module(reloaded->model).forward({flatX}).toTensor(), module.forward({flatX}).toTensor()));
    }

    // Traced CNN with BatchNorm.
    auto cnn = TorchScriptImporter::importFile(path(QStringLiteral("traced.pt")), {1, 8, 8});
    ASSERT_TRUE(cnn.ok()) << cnn.error().toStdString();
    EXPECT_EQ(cnn->outputShape, (std::vector<qint64>{10}));
    EXPECT_EQ(cnn->parameters, (1 * 4 * 9 + 4) + 2 * 4 + (64 * 10 + 10));
    {
        torch::NoGradGuard noGrad;
        expectClose(ModelRunner::module(cnn->model).forward({imageX}).toTensor(), numbers(lines[1]));
    }

    // Frozen: constants only, so it evaluates but cannot be fine-tuned.
    auto frozen = TorchScriptImporter::importFile(path(QStringLiteral("frozen.pt")), {4});
    ASSERT_TRUE(frozen.ok()) << frozen.error().toStdString();
    EXPECT_FALSE(frozen->trainable());
    EXPECT_EQ(frozen->outputShape, (std::vector<qint64>{2}));
    {
        torch::NoGradGuard noGrad;
        expectClose(ModelRunner::module(frozen->model).forward({flatX}).toTensor(), numbers(lines[2]));
    }

    // Wrong input shape: the message names the shapes.
    auto wrong = TorchScriptImporter::importFile(path(QStringLiteral("scripted.pt")), {5});
    ASSERT_FALSE(wrong.ok());
    EXPECT_TRUE(wrong.error().contains(QStringLiteral("scripted.pt"))) << wrong.error().toStdString();
    EXPECT_TRUE(wrong.error().contains(QStringLiteral("[2, 5]"))) << wrong.error().toStdString();
    EXPECT_TRUE(wrong.error().contains(QStringLiteral("2x5"))) << wrong.error().toStdString();

    // A pickled state_dict is a zip too, but not TorchScript.
    auto pickled = TorchScriptImporter::importFile(path(QStringLiteral("state_dict.pt")), {4});
    ASSERT_FALSE(pickled.ok());
    EXPECT_TRUE(pickled.error().contains(QStringLiteral("is not a loadable TorchScript module"))) << pickled.error().toStdString();
}

TEST_F(InteropTest, ImporterRefusals)
{
    QFile text(path(QStringLiteral("notes.pt")));
    ASSERT_TRUE(text.open(QIODevice::WriteOnly));
    text.write("just some text\n");
    text.close();
    auto notScript = TorchScriptImporter::importFile(text.fileName(), {4});
    ASSERT_FALSE(notScript.ok());
    EXPECT_TRUE(notScript.error().startsWith(QStringLiteral("notes.pt is not a TorchScript file"))) << notScript.error().toStdString();

    auto missing = TorchScriptImporter::importFile(path(QStringLiteral("nope.pt")), {4});
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().startsWith(QStringLiteral("cannot open"))) << missing.error().toStdString();

    auto saved = [](const char *source) {
        torch::jit::Module m(c10::QualifiedName("Custom"));
        m.register_attribute("training", c10::BoolType::get(), false);
        m.register_parameter("w", torch::ones({4}), false);
        m.define(source);
        return *ModelRunner::saveModule(m);
    };
    const auto noForward = TorchScriptImporter::importBytes(saved("def other(self, x: Tensor) -> Tensor:\n    return x\n"), {4});
    EXPECT_TRUE(noForward.error().contains(QStringLiteral("has no forward method"))) << noForward.error().toStdString();
    const auto tuple = TorchScriptImporter::importBytes(
        saved("def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:\n    return x, x\n"), {4});
    EXPECT_TRUE(tuple.error().contains(QStringLiteral("forward returns Tuple[Tensor, Tensor]"))) << tuple.error().toStdString();
    const auto twoArgs = TorchScriptImporter::importBytes(
        saved("def forward(self, x: Tensor, y: Tensor) -> Tensor:\n    return x + y\n"), {4});
    EXPECT_TRUE(twoArgs.error().contains(QStringLiteral("forward must take one tensor"))) << twoArgs.error().toStdString();
    const auto ints = TorchScriptImporter::importBytes(
        saved("def forward(self, x: Tensor) -> Tensor:\n    return torch.argmax(x * self.w, 1)\n"), {4});
    EXPECT_TRUE(ints.error().contains(QStringLiteral("floating-point outputs"))) << ints.error().toStdString();
    const auto noBatch = TorchScriptImporter::importBytes(
        saved("def forward(self, x: Tensor) -> Tensor:\n    return torch.sum(x * self.w)\n"), {4});
    EXPECT_TRUE(noBatch.error().contains(QStringLiteral("batch dimension first"))) << noBatch.error().toStdString();
    const auto fine = TorchScriptImporter::importBytes(
        saved("def forward(self, x: Tensor) -> Tensor:\n    return x * self.w\n"), {4});
    ASSERT_TRUE(fine.ok()) << fine.error().toStdString();
    EXPECT_EQ(fine->parameters, 4);

    // Our own compiled modules import with their spec.
    const auto spec = ModelTemplates::make(QStringLiteral("mlp"), {4}, 3);
    const auto bytes = ModelCompiler::compile(*spec, 1)->toArchive();
    const auto ours = TorchScriptImporter::importBytes(*bytes, {4});
    ASSERT_TRUE(ours.ok()) << ours.error().toStdString();
    ASSERT_TRUE(ours->spec.has_value());
    EXPECT_EQ(*ours->spec, *spec);
    const auto wrong = TorchScriptImporter::importBytes(*bytes, {1, 2, 2});
    ASSERT_FALSE(wrong.ok());
    EXPECT_TRUE(wrong.error().contains(QStringLiteral("[2, 1, 2, 2]"))) << wrong.error().toStdString();
}
