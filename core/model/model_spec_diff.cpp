// SPDX-License-Identifier: MIT
#include "model/model_spec_diff.h"

#include "model/shape_inference.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace mlwb {

namespace {

struct Row {
    const LayerSpec *layer;
    QString path;
    int depth;
    QString label;
};

void flatten(const std::vector<LayerSpec> &layers, const QString &prefix, int depth,
             std::vector<Row> &out)
{
    for (size_t i = 0; i < layers.size(); ++i) {
        const QString path = prefix.isEmpty() ? QString::number(i)
                                              : prefix + QLatin1Char('.') + QString::number(i);
        out.push_back({&layers[i], path, depth, layers[i].type});
        flatten(layers[i].children, path, depth + 1, out);
    }
}

std::vector<Row> rowsOf(const ModelSpec &spec)
{
    std::vector<Row> rows;
    flatten(spec.layers, QString(), 0, rows);
    // The readable label ("Linear(256)") from shape inference, which lists the layers in the
    // same pre-order.
    const ShapeReport report = ShapeInference::infer(spec);
    if (report.layers.size() == rows.size())
        for (size_t i = 0; i < rows.size(); ++i)
            rows[i].label = report.layers[i].label;
    return rows;
}

QString valueText(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return QStringLiteral("\u2014");
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == double(qint64(d)) && qAbs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 6);
    }
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

QStringList settingChanges(const QJsonObject &from, const QJsonObject &to)
{
    QStringList keys = from.keys();
    for (const QString &k : to.keys())
        if (!keys.contains(k))
            keys << k;
    QStringList out;
    for (const QString &k : std::as_const(keys)) {
        const QJsonValue a = from.value(k);
        const QJsonValue b = to.value(k);
        if (a != b)
            out << QStringLiteral("%1: %2 \u2192 %3").arg(k, valueText(a), valueText(b));
    }
    return out;
}

} // namespace

std::vector<LayerChange> ModelSpecDiff::compare(const ModelSpec &from, const ModelSpec &to)
{
    const std::vector<Row> a = rowsOf(from);
    const std::vector<Row> b = rowsOf(to);
    const size_t n = a.size();
    const size_t m = b.size();
    auto same = [&](size_t i, size_t j) {
        return a[i].layer->type == b[j].layer->type && a[i].depth == b[j].depth;
    };
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = same(i, j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);

    std::vector<LayerChange> out;
    size_t i = 0;
    size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && same(i, j)) {
            LayerChange c;
            c.fromPath = a[i].path;
            c.toPath = b[j].path;
            c.type = b[j].layer->type;
            c.fromLabel = a[i].label;
            c.toLabel = b[j].label;
            c.settings = settingChanges(a[i].layer->params, b[j].layer->params);
            c.kind = c.settings.isEmpty() ? LayerChange::Kind::Same : LayerChange::Kind::Changed;
            out.push_back(c);
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            LayerChange c;
            c.kind = LayerChange::Kind::Added;
            c.toPath = b[j].path;
            c.type = b[j].layer->type;
            c.toLabel = b[j].label;
            out.push_back(c);
            ++j;
        } else {
            LayerChange c;
            c.kind = LayerChange::Kind::Removed;
            c.fromPath = a[i].path;
            c.type = a[i].layer->type;
            c.fromLabel = a[i].label;
            out.push_back(c);
            ++i;
        }
    }
    return out;
}

} // namespace mlwb
