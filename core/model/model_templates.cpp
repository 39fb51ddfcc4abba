// SPDX-License-Identifier: MIT
#include "model/model_templates.h"

#include "model/shape_inference.h"

#include <QJsonObject>

namespace mlwb {

namespace {

LayerSpec layer(const char *type, QJsonObject params = {})
{
    return LayerSpec{QString::fromLatin1(type), std::move(params), {}};
}

LayerSpec linear(qint64 out)
{
    return layer("Linear", {{QStringLiteral("out"), out}});
}

LayerSpec conv3x3(qint64 out)
{
    return layer("Conv2d", {{QStringLiteral("out"), out}, {QStringLiteral("kernel"), 3}, {QStringLiteral("padding"), 1}});
}

LayerSpec maxPool2()
{
    return layer("MaxPool2d", {{QStringLiteral("kernel"), 2}});
}

LayerSpec dropout(double p)
{
    return layer("Dropout", {{QStringLiteral("p"), p}});
}

} // namespace

QStringList ModelTemplates::kinds()
{
    return {QStringLiteral("linear"), QStringLiteral("logistic"), QStringLiteral("mlp"), QStringLiteral("cnn")};
}

QString ModelTemplates::description(const QString &kind)
{
    if (kind == QLatin1String("linear"))
        return QStringLiteral("Linear regression: one Linear layer");
    if (kind == QLatin1String("logistic"))
        return QStringLiteral("Logistic (softmax) regression: one Linear layer producing class logits");
    if (kind == QLatin1String("mlp"))
        return QStringLiteral("Multilayer perceptron: Linear(256)-ReLU-Dropout-Linear(128)-ReLU-Linear");
    if (kind == QLatin1String("cnn"))
        return QStringLiteral("Small CNN for images: two Conv-BatchNorm-ReLU blocks, max pooling, an MLP head");
    return {};
}

Result<ModelSpec> ModelTemplates::make(const QString &kind, std::vector<qint64> inputShape, qint64 outputs)
{
    if (!kinds().contains(kind))
        return invalidInput(QStringLiteral("unknown model template \"%1\" (known: %2)").arg(kind, kinds().join(QStringLiteral(", "))));
    if (outputs < 1)
        return invalidInput(QStringLiteral("the %1 template needs at least one output, got %2").arg(kind).arg(outputs));

    ModelSpec spec;
    spec.inputShape = std::move(inputShape);
    const bool image = spec.inputShape.size() == 3;
    auto &l = spec.layers;
    if (kind == QLatin1String("cnn")) {
        if (!image) {
            return invalidInput(QStringLiteral("the cnn template needs an image input [channels, height, width], got %1; "
                                       "for 8x8 digits use [1, 8, 8]")
                            .arg(ShapeInference::shapeText(spec.inputShape)));
        }
        qint64 h = spec.inputShape[1];
        qint64 w = spec.inputShape[2];
        l.push_back(conv3x3(32));
        l.push_back(layer("BatchNorm2d"));
        l.push_back(layer("ReLU"));
        if (std::min(h, w) >= 16) {
            l.push_back(maxPool2());
            h /= 2;
            w /= 2;
        }
        l.push_back(conv3x3(64));
        l.push_back(layer("BatchNorm2d"));
        l.push_back(layer("ReLU"));
        // Pool down to at most 4x4 so the head stays small (8x8 digits: one pool, 64*4*4 features).
        while (std::max(h, w) > 4 && std::min(h, w) >= 2) {
            l.push_back(maxPool2());
            h /= 2;
            w /= 2;
        }
        l.push_back(layer("Flatten"));
        l.push_back(linear(128));
        l.push_back(layer("ReLU"));
        l.push_back(dropout(0.25));
        l.push_back(linear(outputs));
    } else {
        if (image)
            l.push_back(layer("Flatten"));
        if (kind == QLatin1String("mlp")) {
            l.push_back(linear(256));
            l.push_back(layer("ReLU"));
            l.push_back(dropout(0.2));
            l.push_back(linear(128));
            l.push_back(layer("ReLU"));
        }
        l.push_back(linear(outputs));
    }
    if (auto st = ShapeInference::check(spec); !st)
        return st.failure().reworded(QStringLiteral("the %1 template does not fit this input: %2").arg(kind, st.error()));
    return spec;
}

} // namespace mlwb
