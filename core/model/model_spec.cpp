// SPDX-License-Identifier: MIT
#include "model/model_spec.h"

#include "model/layer_catalog.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace mlwb {

namespace {

const QString kType = QStringLiteral("type");
const QString kLayers = QStringLiteral("layers");
const QString kInput = QStringLiteral("input");

Result<LayerSpec> parseLayer(const QJsonValue &value, const std::vector<int> &path)
{
    if (!value.isObject()) {
        return invalidInput(QStringLiteral("layer %1: expected an object such as {\"type\": \"ReLU\"}")
                        .arg(LayerCatalog::pathText(path)));
    }
    QJsonObject obj = value.toObject();
    const QJsonValue type = obj.take(kType);
    if (!type.isString()) {
        return invalidInput(QStringLiteral("layer %1: \"type\" must be a string naming the layer (one of %2)")
                        .arg(LayerCatalog::pathText(path), LayerCatalog::typeNames().join(QStringLiteral(", "))));
    }
    LayerSpec layer;
    layer.type = type.toString();
    if (obj.contains(kLayers)) {
        const QJsonValue body = obj.take(kLayers);
        if (!body.isArray()) {
            return invalidInput(QStringLiteral("%1: \"layers\" must be an array of layers")
                            .arg(LayerCatalog::layerName(path, layer.type)));
        }
        const QJsonArray arr = body.toArray();
        for (qsizetype i = 0; i < arr.size(); ++i) {
            std::vector<int> childPath = path;
            childPath.push_back(int(i));
            auto child = parseLayer(arr.at(i), childPath);
            if (!child)
                return child.failure();
            layer.children.push_back(std::move(*child));
        }
    }
    layer.params = std::move(obj);
    return layer;
}

QJsonObject layerToJson(const LayerSpec &layer)
{
    QJsonObject obj = layer.params;
    obj.insert(kType, layer.type);
    if (!layer.children.empty()) {
        QJsonArray body;
        for (const auto &c : layer.children)
            body.append(layerToJson(c));
        obj.insert(kLayers, body);
    }
    return obj;
}

Status validateLayers(const std::vector<LayerSpec> &layers, const std::vector<int> &parent)
{
    for (size_t i = 0; i < layers.size(); ++i) {
        std::vector<int> path = parent;
        path.push_back(int(i));
        const QString err = LayerCatalog::validate(layers[i]);
        if (!err.isEmpty())
            return invalidInput(QStringLiteral("%1: %2").arg(LayerCatalog::layerName(path, layers[i].type), err));
        if (auto st = validateLayers(layers[i].children, path); !st)
            return st;
    }
    return {};
}

QString inputText(const QJsonValue &v)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

} // namespace

Result<ModelSpec> ModelSpec::fromJson(const QByteArray &json)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError) {
        return invalidInput(QStringLiteral("model spec is not valid JSON: %1 at offset %2")
                        .arg(perr.errorString())
                        .arg(perr.offset));
    }
    if (!doc.isObject())
        return invalidInput(QStringLiteral("model spec must be a JSON object with \"input\" and \"layers\""));
    const QJsonObject root = doc.object();
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (it.key() != kInput && it.key() != kLayers)
            return invalidInput(QStringLiteral("model spec: unknown key \"%1\" (expected \"input\" and \"layers\")").arg(it.key()));
    }
    const QJsonValue input = root.value(kInput);
    ModelSpec spec;
    const QString badInput = QStringLiteral("model spec: \"input\" must be [features] or [channels, height, width] "
                                            "of positive integers, without the batch dimension; got %1");
    if (!input.isArray())
        return invalidInput(badInput.arg(input.isUndefined() ? QStringLiteral("nothing") : inputText(input)));
    for (const QJsonValue &d : input.toArray()) {
        const double v = d.toDouble(-1);
        if (!d.isDouble() || v != qint64(v) || v < 1 || v > 1e12)
            return invalidInput(badInput.arg(inputText(input)));
        spec.inputShape.push_back(qint64(v));
    }
    const QJsonValue layers = root.value(kLayers);
    if (!layers.isArray())
        return invalidInput(QStringLiteral("model spec: \"layers\" must be an array of layers"));
    const QJsonArray arr = layers.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        auto layer = parseLayer(arr.at(i), {int(i)});
        if (!layer)
            return layer.failure();
        spec.layers.push_back(std::move(*layer));
    }
    if (auto st = spec.validate(); !st)
        return st.failure();
    return spec;
}

QByteArray ModelSpec::toJson(QJsonDocument::JsonFormat format) const
{
    QJsonArray input;
    for (qint64 d : inputShape)
        input.append(d);
    QJsonArray layerArr;
    for (const auto &l : layers)
        layerArr.append(layerToJson(l));
    QJsonObject root;
    root.insert(kInput, input);
    root.insert(kLayers, layerArr);
    return QJsonDocument(root).toJson(format);
}

Status ModelSpec::validate() const
{
    bool inputOk = inputShape.size() == 1 || inputShape.size() == 3;
    for (qint64 d : inputShape)
        inputOk = inputOk && d >= 1;
    if (!inputOk) {
        QStringList dims;
        for (qint64 d : inputShape)
            dims << QString::number(d);
        return invalidInput(QStringLiteral("model spec: the input shape must be [features] or [channels, height, width] "
                                   "of positive sizes, without the batch dimension; got [%1]")
                        .arg(dims.join(QStringLiteral(", "))));
    }
    return validateLayers(layers, {});
}

} // namespace mlwb
