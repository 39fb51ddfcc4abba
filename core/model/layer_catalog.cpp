// SPDX-License-Identifier: MIT
#include "model/layer_catalog.h"

#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace mlwb {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ParamInfo intParamInfo(const QString &name, bool required, QJsonValue def, double minimum,
                       const QString &help)
{
    ParamInfo p;
    p.name = name;
    p.kind = ParamKind::Int;
    p.required = required;
    p.defaultValue = std::move(def);
    p.minimum = minimum;
    p.help = help;
    return p;
}

ParamInfo realParamInfo(const QString &name, double def, double minimum, bool minInclusive,
                        double maximum, bool maxInclusive, const QString &help)
{
    ParamInfo p;
    p.name = name;
    p.kind = ParamKind::Real;
    p.defaultValue = def;
    p.minimum = minimum;
    p.minimumInclusive = minInclusive;
    p.maximum = maximum;
    p.maximumInclusive = maxInclusive;
    p.help = help;
    return p;
}

ParamInfo boolParamInfo(const QString &name, bool def, const QString &help)
{
    ParamInfo p;
    p.name = name;
    p.kind = ParamKind::Bool;
    p.defaultValue = def;
    p.help = help;
    return p;
}

std::vector<LayerTypeInfo> buildTypes()
{
    const auto out = intParamInfo(QStringLiteral("out"), true, {}, 1, QStringLiteral("output features or channels"));
    const auto kernel = intParamInfo(QStringLiteral("kernel"), true, {}, 1, QStringLiteral("square kernel size"));
    const auto bias = boolParamInfo(QStringLiteral("bias"), true, QStringLiteral("learn an additive bias"));
    auto poolStride = intParamInfo(QStringLiteral("stride"), false, {}, 1, QStringLiteral("step; defaults to kernel"));
    poolStride.defaultFrom = QStringLiteral("kernel");
    const auto poolPadding = intParamInfo(QStringLiteral("padding"), false, 0, 0,
                                          QStringLiteral("implicit padding on each side, at most kernel/2"));
    const auto eps = realParamInfo(QStringLiteral("eps"), 1e-5, 0, false, kInf, false,
                                   QStringLiteral("added to the variance for stability"));
    const auto momentum = realParamInfo(QStringLiteral("momentum"), 0.1, 0, true, 1, true,
                                        QStringLiteral("running statistics update rate"));

    std::vector<LayerTypeInfo> t;
    t.push_back({QStringLiteral("Linear"), QStringLiteral("fully connected layer over [features]"), {out, bias}, false});
    t.push_back({QStringLiteral("Conv2d"),
                 QStringLiteral("2-D convolution over [channels, height, width]"),
                 {out, kernel,
                  intParamInfo(QStringLiteral("stride"), false, 1, 1, QStringLiteral("step")),
                  intParamInfo(QStringLiteral("padding"), false, 0, 0, QStringLiteral("zero padding on each side")),
                  bias},
                 false});
    t.push_back({QStringLiteral("MaxPool2d"), QStringLiteral("maximum over square windows"), {kernel, poolStride, poolPadding}, false});
    t.push_back({QStringLiteral("AvgPool2d"), QStringLiteral("average over square windows"), {kernel, poolStride, poolPadding}, false});
    t.push_back({QStringLiteral("Flatten"), QStringLiteral("flattens everything but the batch dimension"), {}, false});
    t.push_back({QStringLiteral("Dropout"),
                 QStringLiteral("zeroes inputs with probability p while training"),
                 {realParamInfo(QStringLiteral("p"), 0.5, 0, true, 1, false, QStringLiteral("drop probability"))},
                 false});
    t.push_back({QStringLiteral("BatchNorm1d"), QStringLiteral("batch normalisation over [features] or [channels, length]"), {eps, momentum}, false});
    t.push_back({QStringLiteral("BatchNorm2d"), QStringLiteral("batch normalisation over [channels, height, width]"), {eps, momentum}, false});
    t.push_back({QStringLiteral("ReLU"), QStringLiteral("max(0, x)"), {}, false});
    t.push_back({QStringLiteral("LeakyReLU"),
                 QStringLiteral("x for x >= 0, slope * x otherwise"),
                 {realParamInfo(QStringLiteral("slope"), 0.01, -kInf, false, kInf, false, QStringLiteral("negative slope"))},
                 false});
    t.push_back({QStringLiteral("GELU"), QStringLiteral("Gaussian error linear unit"), {}, false});
    t.push_back({QStringLiteral("Tanh"), QStringLiteral("hyperbolic tangent"), {}, false});
    t.push_back({QStringLiteral("Sigmoid"), QStringLiteral("logistic function"), {}, false});
    t.push_back({QStringLiteral("Residual"),
                 QStringLiteral("adds the block's input to the output of its layers"),
                 {boolParamInfo(QStringLiteral("projection"), false,
                                QStringLiteral("learn a Linear or 1x1 convolution on the shortcut, so the body may change the shape"))},
                 true});
    return t;
}

QString formatNumber(double v)
{
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

QString rangeText(const ParamInfo &p)
{
    const bool hasMin = !std::isinf(p.minimum);
    const bool hasMax = !std::isinf(p.maximum);
    const QString kind = p.kind == ParamKind::Int ? QStringLiteral("an integer") : QStringLiteral("a number");
    if (hasMin && hasMax) {
        return QStringLiteral("%1 in %2%3, %4%5")
            .arg(kind, p.minimumInclusive ? QStringLiteral("[") : QStringLiteral("("), formatNumber(p.minimum),
                 formatNumber(p.maximum), p.maximumInclusive ? QStringLiteral("]") : QStringLiteral(")"));
    }
    if (hasMin)
        return QStringLiteral("%1 %2 %3").arg(kind, p.minimumInclusive ? QStringLiteral(">=") : QStringLiteral(">"), formatNumber(p.minimum));
    if (hasMax)
        return QStringLiteral("%1 %2 %3").arg(kind, p.maximumInclusive ? QStringLiteral("<=") : QStringLiteral("<"), formatNumber(p.maximum));
    return p.kind == ParamKind::Int ? kind : QStringLiteral("a finite number");
}

QString valueText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return formatNumber(v.toDouble());
    case QJsonValue::String: return QStringLiteral("\"%1\"").arg(v.toString());
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

QString checkValue(const ParamInfo &p, const QJsonValue &v)
{
    const QString expected = p.kind == ParamKind::Bool ? QStringLiteral("true or false") : rangeText(p);
    const QString bad = QStringLiteral("parameter \"%1\" must be %2, got %3").arg(p.name, expected, valueText(v));
    if (p.kind == ParamKind::Bool)
        return v.isBool() ? QString() : bad;
    if (!v.isDouble())
        return bad;
    const double d = v.toDouble();
    if (!std::isfinite(d))
        return bad;
    if (p.kind == ParamKind::Int && (d != std::floor(d) || std::fabs(d) > 1e15))
        return bad;
    if (d < p.minimum || (!p.minimumInclusive && d == p.minimum))
        return bad;
    if (d > p.maximum || (!p.maximumInclusive && d == p.maximum))
        return bad;
    return {};
}

QJsonValue resolved(const LayerSpec &layer, const QString &name)
{
    const auto it = layer.params.constFind(name);
    if (it != layer.params.constEnd())
        return *it;
    const ParamInfo *p = LayerCatalog::findParam(layer.type, name);
    Q_ASSERT(p);
    if (!p)
        return {};
    if (!p->defaultFrom.isEmpty())
        return resolved(layer, p->defaultFrom);
    return p->defaultValue;
}

} // namespace

const std::vector<LayerTypeInfo> &LayerCatalog::types()
{
    static const std::vector<LayerTypeInfo> all = buildTypes();
    return all;
}

QStringList LayerCatalog::typeNames()
{
    QStringList names;
    for (const auto &t : types())
        names << t.type;
    return names;
}

const LayerTypeInfo *LayerCatalog::find(const QString &type)
{
    for (const auto &t : types()) {
        if (t.type == type)
            return &t;
    }
    return nullptr;
}

const ParamInfo *LayerCatalog::findParam(const QString &type, const QString &name)
{
    const LayerTypeInfo *t = find(type);
    if (!t)
        return nullptr;
    for (const auto &p : t->params) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QString LayerCatalog::validate(const LayerSpec &layer)
{
    const LayerTypeInfo *info = find(layer.type);
    if (!info) {
        for (const auto &t : types()) {
            if (t.type.compare(layer.type, Qt::CaseInsensitive) == 0)
                return QStringLiteral("unknown layer type \"%1\"; did you mean \"%2\"?").arg(layer.type, t.type);
        }
        return QStringLiteral("unknown layer type \"%1\" (known: %2)").arg(layer.type, typeNames().join(QStringLiteral(", ")));
    }
    for (auto it = layer.params.constBegin(); it != layer.params.constEnd(); ++it) {
        const ParamInfo *p = findParam(layer.type, it.key());
        if (!p) {
            QStringList known;
            for (const auto &q : info->params)
                known << q.name;
            if (info->hasBody)
                known << QStringLiteral("layers");
            return known.isEmpty()
                ? QStringLiteral("unknown parameter \"%1\" (%2 takes none)").arg(it.key(), layer.type)
                : QStringLiteral("unknown parameter \"%1\" (%2 takes: %3)").arg(it.key(), layer.type, known.join(QStringLiteral(", ")));
        }
        const QString err = checkValue(*p, it.value());
        if (!err.isEmpty())
            return err;
    }
    for (const auto &p : info->params) {
        if (p.required && !layer.params.contains(p.name))
            return QStringLiteral("parameter \"%1\" is required (%2)").arg(p.name, p.help);
    }
    if (info->hasBody && layer.children.empty())
        return QStringLiteral("a %1 block needs at least one layer in \"layers\"").arg(layer.type);
    if (!info->hasBody && !layer.children.empty())
        return QStringLiteral("only Residual takes nested \"layers\"");
    if (layer.type == QLatin1String("MaxPool2d") || layer.type == QLatin1String("AvgPool2d")) {
        const qint64 k = intParam(layer, QStringLiteral("kernel"));
        const qint64 pad = intParam(layer, QStringLiteral("padding"));
        if (pad > k / 2)
            return QStringLiteral("parameter \"padding\" must be at most half the kernel (%1), got %2").arg(k / 2).arg(pad);
    }
    return {};
}

qint64 LayerCatalog::intParam(const LayerSpec &layer, const QString &name)
{
    return static_cast<qint64>(resolved(layer, name).toDouble());
}

double LayerCatalog::realParam(const LayerSpec &layer, const QString &name)
{
    return resolved(layer, name).toDouble();
}

bool LayerCatalog::boolParam(const LayerSpec &layer, const QString &name)
{
    return resolved(layer, name).toBool();
}

QString LayerCatalog::pathText(const std::vector<int> &path)
{
    QStringList parts;
    for (int i : path)
        parts << QString::number(i);
    return parts.join(QLatin1Char('.'));
}

QString LayerCatalog::layerName(const std::vector<int> &path, const QString &type)
{
    return QStringLiteral("layer %1 (%2)").arg(pathText(path), type.isEmpty() ? QStringLiteral("no type") : type);
}

} // namespace mlwb
