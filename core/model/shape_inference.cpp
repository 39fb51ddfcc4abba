// SPDX-License-Identifier: MIT
#include "model/shape_inference.h"

#include "model/layer_catalog.h"

#include <QLocale>
#include <QStringList>

namespace mlwb {

namespace {

// Sizes beyond this are certainly a typo; it also keeps every product below overflow.
constexpr qint64 kMaxCount = qint64(1) << 50;

struct Step {
    std::vector<qint64> output;
    qint64 parameters = 0;
    QString error;  // without the layer prefix
};

bool mulChecked(qint64 a, qint64 b, qint64 *out)
{
    return !__builtin_mul_overflow(a, b, out) && *out <= kMaxCount;
}

Step failStep(QString message)
{
    Step s;
    s.error = std::move(message);
    return s;
}

QString tooLarge(const QString &what)
{
    return QStringLiteral("%1 is too large").arg(what);
}

QString needsImage(const std::vector<qint64> &in)
{
    QString msg = QStringLiteral("expects input of rank 3 [channels, height, width], got %1")
                      .arg(ShapeInference::shapeText(in));
    if (in.size() == 1)
        msg += QStringLiteral("; set the model input to [channels, height, width], e.g. [1, 8, 8] for 8x8 grey images");
    return msg;
}

// Output size of a window of `k` sliding by `s` over `n` padded by `p` on each side.
Step spatial(const std::vector<qint64> &in, qint64 channels, qint64 k, qint64 s, qint64 p)
{
    const qint64 h = in[1] + 2 * p;
    const qint64 w = in[2] + 2 * p;
    if (h < k || w < k) {
        return failStep(QStringLiteral("a kernel of %1 with padding %2 needs height and width of at least %3, got %4")
                            .arg(k)
                            .arg(p)
                            .arg(k - 2 * p)
                            .arg(ShapeInference::shapeText(in)));
    }
    Step st;
    st.output = {channels, (h - k) / s + 1, (w - k) / s + 1};
    return st;
}

Step inferLinear(const LayerSpec &l, const std::vector<qint64> &in)
{
    if (in.size() != 1) {
        return failStep(QStringLiteral("expects input of rank 1 [features], got %1; add a Flatten before it")
                            .arg(ShapeInference::shapeText(in)));
    }
    const qint64 out = LayerCatalog::intParam(l, QStringLiteral("out"));
    Step st;
    st.output = {out};
    if (!mulChecked(in[0], out, &st.parameters))
        return failStep(tooLarge(QStringLiteral("the weight")));
    if (LayerCatalog::boolParam(l, QStringLiteral("bias")))
        st.parameters += out;
    return st;
}

Step inferConv(const LayerSpec &l, const std::vector<qint64> &in)
{
    if (in.size() != 3)
        return failStep(needsImage(in));
    const qint64 out = LayerCatalog::intParam(l, QStringLiteral("out"));
    const qint64 k = LayerCatalog::intParam(l, QStringLiteral("kernel"));
    Step st = spatial(in, out, k, LayerCatalog::intParam(l, QStringLiteral("stride")),
                      LayerCatalog::intParam(l, QStringLiteral("padding")));
    if (!st.error.isEmpty())
        return st;
    qint64 perFilter = 0;
    if (!mulChecked(in[0], k * k, &perFilter) || !mulChecked(perFilter, out, &st.parameters))
        return failStep(tooLarge(QStringLiteral("the weight")));
    if (LayerCatalog::boolParam(l, QStringLiteral("bias")))
        st.parameters += out;
    return st;
}

Step inferPool(const LayerSpec &l, const std::vector<qint64> &in)
{
    if (in.size() != 3)
        return failStep(needsImage(in));
    return spatial(in, in[0], LayerCatalog::intParam(l, QStringLiteral("kernel")),
                   LayerCatalog::intParam(l, QStringLiteral("stride")),
                   LayerCatalog::intParam(l, QStringLiteral("padding")));
}

Step inferFlatten(const std::vector<qint64> &in)
{
    qint64 n = 1;
    for (qint64 d : in) {
        if (!mulChecked(n, d, &n))
            return failStep(tooLarge(QStringLiteral("the flattened size")));
    }
    Step st;
    st.output = {n};
    return st;
}

Step inferBatchNorm(const LayerSpec &l, const std::vector<qint64> &in)
{
    const bool twoD = l.type == QLatin1String("BatchNorm2d");
    if (twoD && in.size() != 3) {
        return failStep(QStringLiteral("expects input of rank 3 [channels, height, width], got %1; use BatchNorm1d after Linear")
                            .arg(ShapeInference::shapeText(in)));
    }
    if (!twoD && in.size() != 1 && in.size() != 2) {
        return failStep(QStringLiteral("expects input [features] or [channels, length], got %1%2")
                            .arg(ShapeInference::shapeText(in),
                                 in.size() == 3 ? QStringLiteral("; use BatchNorm2d for images") : QString()));
    }
    Step st;
    st.output = in;
    st.parameters = 2 * in[0];
    return st;
}

Step inferOne(const LayerSpec &l, const std::vector<qint64> &in)
{
    const QString &t = l.type;
    if (t == QLatin1String("Linear"))
        return inferLinear(l, in);
    if (t == QLatin1String("Conv2d"))
        return inferConv(l, in);
    if (t == QLatin1String("MaxPool2d") || t == QLatin1String("AvgPool2d"))
        return inferPool(l, in);
    if (t == QLatin1String("Flatten"))
        return inferFlatten(in);
    if (t == QLatin1String("BatchNorm1d") || t == QLatin1String("BatchNorm2d"))
        return inferBatchNorm(l, in);
    Step st;  // element-wise layers
    st.output = in;
    return st;
}

QString labelOf(const LayerSpec &l)
{
    if (!LayerCatalog::validate(l).isEmpty())
        return l.type;
    const QString &t = l.type;
    auto i = [&](const char *name) { return LayerCatalog::intParam(l, QString::fromLatin1(name)); };
    auto r = [&](const char *name) {
        return QString::number(LayerCatalog::realParam(l, QString::fromLatin1(name)), 'g', QLocale::FloatingPointShortest);
    };
    const QString noBias = LayerCatalog::boolParam(l, QStringLiteral("bias")) ? QString() : QStringLiteral(", no bias");
    if (t == QLatin1String("Linear"))
        return QStringLiteral("Linear(%1%2)").arg(i("out")).arg(noBias);
    if (t == QLatin1String("Conv2d")) {
        QString s = QStringLiteral("Conv2d(%1, kernel %2").arg(i("out")).arg(i("kernel"));
        if (i("stride") != 1)
            s += QStringLiteral(", stride %1").arg(i("stride"));
        if (i("padding") != 0)
            s += QStringLiteral(", padding %1").arg(i("padding"));
        return s + noBias + QLatin1Char(')');
    }
    if (t == QLatin1String("MaxPool2d") || t == QLatin1String("AvgPool2d")) {
        QString s = QStringLiteral("%1(kernel %2").arg(t).arg(i("kernel"));
        if (i("stride") != i("kernel"))
            s += QStringLiteral(", stride %1").arg(i("stride"));
        if (i("padding") != 0)
            s += QStringLiteral(", padding %1").arg(i("padding"));
        return s + QLatin1Char(')');
    }
    if (t == QLatin1String("Dropout"))
        return QStringLiteral("Dropout(p=%1)").arg(r("p"));
    if (t == QLatin1String("LeakyReLU"))
        return QStringLiteral("LeakyReLU(slope=%1)").arg(r("slope"));
    if (t == QLatin1String("Residual") && LayerCatalog::boolParam(l, QStringLiteral("projection")))
        return QStringLiteral("Residual(projection)");
    return t;
}

class Inferrer {
public:
    explicit Inferrer(ShapeReport &report) : m_report(report) {}

    // Returns the output shape, or nullopt once an error was recorded.
    std::optional<std::vector<qint64>> run(const std::vector<LayerSpec> &layers, const std::vector<int> &parent,
                                           std::optional<std::vector<qint64>> shape)
    {
        for (size_t i = 0; i < layers.size(); ++i) {
            std::vector<int> path = parent;
            path.push_back(int(i));
            shape = runLayer(layers[i], path, std::move(shape));
        }
        return shape;
    }

private:
    std::optional<std::vector<qint64>> runLayer(const LayerSpec &l, const std::vector<int> &path,
                                                std::optional<std::vector<qint64>> in)
    {
        const size_t row = m_report.layers.size();
        m_report.layers.push_back({path, l.type, labelOf(l), {}, {}, 0, {}});
        auto record = [&](const QString &message) {
            const QString full = QStringLiteral("%1: %2").arg(LayerCatalog::layerName(path, l.type), message);
            m_report.layers[row].error = full;
            if (m_report.error.isEmpty())
                m_report.error = full;
        };
        if (const QString err = LayerCatalog::validate(l); !err.isEmpty()) {
            if (in)
                record(err);
            in.reset();
        }
        if (!in) {
            run(l.children, path, std::nullopt);  // rows only, so the tree stays complete
            return std::nullopt;
        }
        m_report.layers[row].input = *in;
        if (l.type != QLatin1String("Residual")) {
            Step st = inferOne(l, *in);
            if (!st.error.isEmpty()) {
                record(st.error);
                return std::nullopt;
            }
            m_report.layers[row].output = st.output;
            m_report.layers[row].parameters = st.parameters;
            m_report.totalParameters += st.parameters;
            return st.output;
        }

        const auto out = run(l.children, path, in);
        if (!out)
            return std::nullopt;
        qint64 params = 0;
        if (LayerCatalog::boolParam(l, QStringLiteral("projection"))) {
            if (in->size() != out->size() || (in->size() != 1 && in->size() != 3)) {
                record(QStringLiteral("cannot project the shortcut %1 onto the body's output %2: a projection "
                                      "needs [features] or [channels, height, width] on both sides")
                           .arg(ShapeInference::shapeText(*in), ShapeInference::shapeText(*out)));
                return std::nullopt;
            }
            if (in->size() == 3 && !ShapeInference::projectionStride(*in, *out)) {
                record(QStringLiteral("cannot project the shortcut %1 onto the body's output %2 with a strided "
                                      "1x1 convolution")
                           .arg(ShapeInference::shapeText(*in), ShapeInference::shapeText(*out)));
                return std::nullopt;
            }
            if (!mulChecked((*in)[0], (*out)[0], &params)) {
                record(tooLarge(QStringLiteral("the projection")));
                return std::nullopt;
            }
            params += (*out)[0];
        } else if (*in != *out) {
            record(QStringLiteral("the block's layers map %1 to %2, but the shortcut adds the input unchanged, "
                                  "so the shapes must be equal; set \"projection\": true or keep the shape")
                       .arg(ShapeInference::shapeText(*in), ShapeInference::shapeText(*out)));
            return std::nullopt;
        }
        m_report.layers[row].output = *out;
        m_report.layers[row].parameters = params;
        m_report.totalParameters += params;
        return out;
    }

    ShapeReport &m_report;
};

Status checkOutput(const ShapeReport &report, qint64 n, const QString &what)
{
    if (!report.ok())
        return invalidInput(report.error);
    if (report.output == std::vector<qint64>{n})
        return {};
    return invalidInput(QStringLiteral("the model outputs %1 per sample, but %2 needs [%3]; end it with a Linear with \"out\": %3")
                    .arg(ShapeInference::shapeText(report.output), what)
                    .arg(n));
}

} // namespace

ShapeReport ShapeInference::infer(const ModelSpec &spec)
{
    ShapeReport report;
    report.input = spec.inputShape;
    report.layers.reserve(spec.layers.size() + 4);
    std::optional<std::vector<qint64>> in = spec.inputShape;
    bool inputOk = spec.inputShape.size() == 1 || spec.inputShape.size() == 3;
    for (qint64 d : spec.inputShape)
        inputOk = inputOk && d >= 1 && d <= kMaxCount;
    if (!inputOk) {
        report.error = QStringLiteral("the model input must be [features] or [channels, height, width] of positive "
                                      "sizes, without the batch dimension; got %1")
                           .arg(shapeText(spec.inputShape));
        in.reset();
    }
    Inferrer inferrer(report);
    const auto out = inferrer.run(spec.layers, {}, in);
    if (out && report.ok())
        report.output = *out;
    return report;
}

Status ShapeInference::check(const ModelSpec &spec)
{
    const ShapeReport r = infer(spec);
    if (!r.ok())
        return invalidInput(r.error);
    return {};
}

Status ShapeInference::checkClassifierOutput(const ShapeReport &report, qint64 classes)
{
    return checkOutput(report, classes, QStringLiteral("classification into %1 classes").arg(classes));
}

Status ShapeInference::checkRegressionOutput(const ShapeReport &report, qint64 targets)
{
    return checkOutput(report, targets,
                       targets == 1 ? QStringLiteral("regression") : QStringLiteral("regression of %1 targets").arg(targets));
}

QString ShapeInference::shapeText(const std::vector<qint64> &shape)
{
    QString s = QStringLiteral("[");
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += QStringLiteral(", ");
        s += QString::number(shape[i]);
    }
    return s + QLatin1Char(']');
}

QString ShapeInference::summary(const ShapeReport &report)
{
    const QLocale c = QLocale::c();
    QStringList lines;
    auto row = [](const QString &a, const QString &b, const QString &c3) {
        return QStringLiteral("%1 %2 %3").arg(a, -40).arg(b, -18).arg(c3, 12);
    };
    lines << row(QStringLiteral("Layer"), QStringLiteral("Output shape"), QStringLiteral("Parameters"));
    lines << row(QStringLiteral("input"), shapeText(report.input), QString());
    for (const auto &l : report.layers) {
        const QString indent(int(2 * (l.path.size() - 1)), QLatin1Char(' '));
        const QString name = indent + LayerCatalog::pathText(l.path) + QLatin1Char(' ') + l.label;
        const QString out = !l.error.isEmpty() ? QStringLiteral("error") : l.output.empty() ? QStringLiteral("?") : shapeText(l.output);
        lines << row(name, out, c.toString(l.parameters));
    }
    lines << QStringLiteral("Total parameters: %1").arg(c.toString(report.totalParameters));
    if (!report.ok())
        lines << QStringLiteral("Error: %1").arg(report.error);
    return lines.join(QLatin1Char('\n'));
}

std::optional<qint64> ShapeInference::projectionStride(const std::vector<qint64> &in, const std::vector<qint64> &out)
{
    if (in.size() != 3 || out.size() != 3 || out[1] < 1 || out[2] < 1)
        return std::nullopt;
    std::vector<qint64> candidates{1};
    if (out[1] > 1)
        candidates.push_back((in[1] - 1) / (out[1] - 1));
    if (out[2] > 1)
        candidates.push_back((in[2] - 1) / (out[2] - 1));
    candidates.push_back(std::max(in[1], in[2]));
    for (qint64 s : candidates) {
        if (s >= 1 && (in[1] - 1) / s + 1 == out[1] && (in[2] - 1) / s + 1 == out[2])
            return s;
    }
    return std::nullopt;
}

} // namespace mlwb
