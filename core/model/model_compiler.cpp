// SPDX-License-Identifier: MIT
#include "model/model_compiler.h"

#include "inference/detail/model_runner.h"
#include "inference/torch_error.h"
#include "model/layer_catalog.h"
#include "model/shape_inference.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace mlwb {

namespace {

// A Python float literal that round-trips the double.
QString pyFloat(double v)
{
    QString s = QString::number(v, 'g', QLocale::FloatingPointShortest);
    if (!s.contains(QLatin1Char('.')) && !s.contains(QLatin1Char('e')))
        s += QStringLiteral(".0");
    return s;
}

QString pair(qint64 v)
{
    return QStringLiteral("[%1, %1]").arg(v);
}

struct Registration {
    std::string name;
    torch::Tensor tensor;
    bool parameter;
};

// Walks the spec alongside its shape report (rows in the same pre-order) and produces the
// forward source plus the tensors to register. With `withTensors` false only source is made.
class ForwardBuilder {
public:
    ForwardBuilder(const ShapeReport &report, quint64 seed, bool withTensors)
        : m_report(report), m_withTensors(withTensors)
    {
        if (withTensors)
            m_gen = at::detail::createCPUGenerator(seed);
    }

    void build(const std::vector<LayerSpec> &layers)
    {
        m_lines << QStringLiteral("def forward(self, x: Tensor) -> Tensor:");
        addLayers(layers);
        line(QStringLiteral("return x"));
    }

    QString source() const { return m_lines.join(QLatin1Char('\n')) + QLatin1Char('\n'); }
    std::vector<Registration> &tensors() { return m_tensors; }

private:
    void line(const QString &text, int indent = 1) { m_lines << QString(4 * indent, QLatin1Char(' ')) + text; }

    QString self(const QString &prefix, const char *what) const
    {
        return QStringLiteral("self.%1_%2").arg(prefix, QLatin1String(what));
    }

    // PyTorch's default init for Linear/Conv: kaiming_uniform(a=sqrt(5)) on the weight, which is
    // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias.
    void addWeights(const QString &prefix, std::vector<int64_t> weightShape, int64_t fanIn, bool bias)
    {
        if (!m_withTensors)
            return;
        const double bound = 1.0 / std::sqrt(double(fanIn));
        const int64_t outFeatures = weightShape[0];
        auto w = torch::empty(weightShape, torch::kFloat32).uniform_(-bound, bound, m_gen);
        addTensor(prefix + QStringLiteral("_weight"), w, true);
        if (bias) {
            auto b = torch::empty({outFeatures}, torch::kFloat32).uniform_(-bound, bound, m_gen);
            addTensor(prefix + QStringLiteral("_bias"), b, true);
        }
    }

    void addTensor(const QString &name, torch::Tensor t, bool parameter)
    {
        if (parameter)
            t.set_requires_grad(true);
        m_tensors.push_back({name.toStdString(), std::move(t), parameter});
    }

    void addLayers(const std::vector<LayerSpec> &layers)
    {
        for (const auto &l : layers)
            addLayer(l);
    }

    void addLayer(const LayerSpec &l)
    {
        const LayerShape &row = m_report.layers.at(m_row++);
        QStringList parts;
        for (int i : row.path)
            parts << QString::number(i);
        const QString prefix = QStringLiteral("l") + parts.join(QLatin1Char('_'));
        const QString &t = l.type;
        const auto &in = row.input;
        auto ip = [&](const char *name) { return LayerCatalog::intParam(l, QString::fromLatin1(name)); };
        auto rp = [&](const char *name) { return LayerCatalog::realParam(l, QString::fromLatin1(name)); };

        if (t == QLatin1String("Linear")) {
            const bool bias = LayerCatalog::boolParam(l, QStringLiteral("bias"));
            addWeights(prefix, {ip("out"), in[0]}, in[0], bias);
            line(QStringLiteral("x = torch.linear(x, %1, %2)")
                     .arg(self(prefix, "weight"), bias ? self(prefix, "bias") : QStringLiteral("None")));
        } else if (t == QLatin1String("Conv2d")) {
            const bool bias = LayerCatalog::boolParam(l, QStringLiteral("bias"));
            const qint64 k = ip("kernel");
            addWeights(prefix, {ip("out"), in[0], k, k}, in[0] * k * k, bias);
            line(QStringLiteral("x = torch.conv2d(x, %1, %2, %3, %4, [1, 1], 1)")
                     .arg(self(prefix, "weight"), bias ? self(prefix, "bias") : QStringLiteral("None"),
                          pair(ip("stride")), pair(ip("padding"))));
        } else if (t == QLatin1String("MaxPool2d")) {
            line(QStringLiteral("x = torch.max_pool2d(x, %1, %2, %3, [1, 1], False)")
                     .arg(pair(ip("kernel")), pair(ip("stride")), pair(ip("padding"))));
        } else if (t == QLatin1String("AvgPool2d")) {
            line(QStringLiteral("x = torch.avg_pool2d(x, %1, %2, %3, False, True, None)")
                     .arg(pair(ip("kernel")), pair(ip("stride")), pair(ip("padding"))));
        } else if (t == QLatin1String("Flatten")) {
            line(QStringLiteral("x = torch.flatten(x, 1)"));
        } else if (t == QLatin1String("Dropout")) {
            line(QStringLiteral("x = torch.dropout(x, %1, self.training)").arg(pyFloat(rp("p"))));
        } else if (t == QLatin1String("BatchNorm1d") || t == QLatin1String("BatchNorm2d")) {
            addBatchNorm(l, prefix, row);
        } else if (t == QLatin1String("ReLU")) {
            line(QStringLiteral("x = torch.relu(x)"));
        } else if (t == QLatin1String("LeakyReLU")) {
            line(QStringLiteral("x = torch.leaky_relu(x, %1)").arg(pyFloat(rp("slope"))));
        } else if (t == QLatin1String("GELU")) {
            line(QStringLiteral("x = torch.gelu(x)"));
        } else if (t == QLatin1String("Tanh")) {
            line(QStringLiteral("x = torch.tanh(x)"));
        } else if (t == QLatin1String("Sigmoid")) {
            line(QStringLiteral("x = torch.sigmoid(x)"));
        } else if (t == QLatin1String("Residual")) {
            addResidual(l, prefix, row);
        } else {
            // LayerCatalog and this switch must list the same types.
            throw std::logic_error("layer type without a code generator: " + t.toStdString());
        }
    }

    void addBatchNorm(const LayerSpec &l, const QString &prefix, const LayerShape &row)
    {
        const int64_t c = row.input[0];
        if (m_withTensors) {
            addTensor(prefix + QStringLiteral("_weight"), torch::ones({c}), true);
            addTensor(prefix + QStringLiteral("_bias"), torch::zeros({c}), true);
            addTensor(prefix + QStringLiteral("_running_mean"), torch::zeros({c}), false);
            addTensor(prefix + QStringLiteral("_running_var"), torch::ones({c}), false);
            addTensor(prefix + QStringLiteral("_num_batches_tracked"), torch::zeros({}, torch::kLong), false);
        }
        qint64 perChannel = 1;
        for (size_t i = 1; i < row.input.size(); ++i)
            perChannel *= row.input[i];
        if (perChannel == 1) {
            // Statistics of one value per channel are meaningless and would poison running_var
            // with NaN; PyTorch refuses the same way.
            line(QStringLiteral("assert not (self.training and x.size(0) == 1), \"%1: training needs more than one "
                                "sample per batch\"")
                     .arg(LayerCatalog::layerName(row.path, l.type)));
        }
        line(QStringLiteral("if self.training:"));
        line(QStringLiteral("%1.add_(1)").arg(self(prefix, "num_batches_tracked")), 2);
        line(QStringLiteral("x = torch.batch_norm(x, %1, %2, %3, %4, self.training, %5, %6, False)")
                 .arg(self(prefix, "weight"), self(prefix, "bias"), self(prefix, "running_mean"),
                      self(prefix, "running_var"), pyFloat(LayerCatalog::realParam(l, QStringLiteral("momentum"))),
                      pyFloat(LayerCatalog::realParam(l, QStringLiteral("eps")))));
    }

    void addResidual(const LayerSpec &l, const QString &prefix, const LayerShape &row)
    {
        const QString shortcut = QStringLiteral("s") + prefix.mid(1);
        line(QStringLiteral("%1 = x").arg(shortcut));
        addLayers(l.children);
        if (!LayerCatalog::boolParam(l, QStringLiteral("projection"))) {
            line(QStringLiteral("x = x + %1").arg(shortcut));
            return;
        }
        const QString proj = prefix + QStringLiteral("_proj");
        const auto &in = row.input;
        const auto &out = row.output;
        if (in.size() == 1) {
            addWeights(proj, {out[0], in[0]}, in[0], true);
            line(QStringLiteral("x = x + torch.linear(%1, %2, %3)")
                     .arg(shortcut, self(proj, "weight"), self(proj, "bias")));
        } else {
            const qint64 stride = ShapeInference::projectionStride(in, out).value_or(1);
            addWeights(proj, {out[0], in[0], 1, 1}, in[0], true);
            line(QStringLiteral("x = x + torch.conv2d(%1, %2, %3, %4, [0, 0], [1, 1], 1)")
                     .arg(shortcut, self(proj, "weight"), self(proj, "bias"), pair(stride)));
        }
    }

    const ShapeReport &m_report;
    bool m_withTensors;
    at::Generator m_gen;
    size_t m_row = 0;
    QStringList m_lines;
    std::vector<Registration> m_tensors;
};

Result<ShapeReport> checkedReport(const ModelSpec &spec)
{
    if (auto st = spec.validate(); !st)
        return st.failure();
    ShapeReport report = ShapeInference::infer(spec);
    if (!report.ok())
        return fail(report.error);
    return report;
}

} // namespace

Result<QString> ModelCompiler::forwardSource(const ModelSpec &spec)
{
    auto report = checkedReport(spec);
    if (!report)
        return report.failure();
    try {
        ForwardBuilder builder(*report, 0, false);
        builder.build(spec.layers);
        return builder.source();
    } catch (const std::exception &e) {
        return fail(QStringLiteral("could not generate TorchScript: %1").arg(torchErrorMessage(e)));
    }
}

Result<LoadedModel> ModelCompiler::compile(const ModelSpec &spec, quint64 seed)
{
    auto report = checkedReport(spec);
    if (!report)
        return report.failure();
    try {
        torch::NoGradGuard noGrad;
        ForwardBuilder builder(*report, seed, true);
        builder.build(spec.layers);

        torch::jit::Module module(c10::QualifiedName("MlwbModel"));
        module.register_attribute("training", c10::BoolType::get(), true);
        module.register_attribute(ModelRunner::kSpecAttribute, c10::StringType::get(), spec.toJson().toStdString());
        for (auto &r : builder.tensors()) {
            if (r.parameter)
                module.register_parameter(r.name, r.tensor, false);
            else
                module.register_buffer(r.name, r.tensor);
        }
        module.define(builder.source().toStdString());
        return ModelRunner::wrap(std::move(module), std::nullopt);
    } catch (const std::exception &e) {
        return fail(QStringLiteral("could not compile the model to TorchScript: %1").arg(torchErrorMessage(e)));
    }
}

} // namespace mlwb
