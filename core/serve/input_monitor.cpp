// SPDX-License-Identifier: MIT
#include "serve/input_monitor.h"

#include <QJsonArray>

#include <cmath>
#include <limits>
#include <map>

namespace mlwb {

namespace {

std::vector<double> edgesOf(const QJsonObject &o)
{
    std::vector<double> edges;
    for (const QJsonValue &v : o.value(QStringLiteral("edges")).toArray())
        edges.push_back(v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN());
    return edges;
}

std::shared_ptr<const std::vector<double>> boundsOf(const QJsonObject &o)
{
    return std::make_shared<const std::vector<double>>(InputMonitor::bounds(InputMonitor::fp32Edges(edgesOf(o))));
}

} // namespace

double InputMonitor::below(double x)
{
    return std::nextafter(x, -std::numeric_limits<double>::infinity());
}

std::vector<double> InputMonitor::fp32Edges(const std::vector<double> &edges)
{
    std::vector<double> rounded;
    rounded.reserve(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) {
        const double e = edges[i];
        if (!(std::fabs(e) <= double(std::numeric_limits<float>::max())))
            return edges; // NaN, infinite, or no float near it (the cast would be undefined)
        rounded.push_back(double(float(e)));
        if (i > 0 && edges[i - 1] < e && !(rounded[i - 1] < rounded[i]))
            return edges; // one float for two edges: the doubles keep both bins
    }
    return rounded;
}

std::vector<double> InputMonitor::bounds(const std::vector<double> &edges)
{
    // The baseline's bins are left-closed ([e_i, e_i+1)) and Prometheus buckets right-closed
    // (v <= le): the bound just under each edge puts a value equal to the edge in the bin that
    // edge opens. The baseline of a feature whose training values are all one value v has the
    // edges [v, v]: the bounds below(v), v.
    //
    // The engine takes FP32, so a served value is a float: a training value v reaches the
    // monitor as float(v), which is below v for many decimals (float(5.1) < 5.1). A bound under
    // the double edge alone would count every served value equal to that edge in the bin below
    // it (measured data sits on its deciles: iris' 5.1 cm), and a feature that never moved would
    // drift. So each bound is taken under the lower of the edge and its float.
    std::vector<double> b;
    if (edges.empty())
        return b;
    b.reserve(edges.size());
    const auto asServed = [](double e) { return double(float(e)); };
    for (size_t i = 0; i + 1 < edges.size(); ++i)
        b.push_back(below(std::isfinite(edges[i]) ? std::min(edges[i], asServed(edges[i])) : edges[i]));
    b.push_back(std::isfinite(edges.back()) ? std::max(edges.back(), asServed(edges.back())) : edges.back());
    if (MetricRegistry::checkBounds(QString(), b))
        return b;
    // Edges closer than a float's precision (two of them one float): the double edges alone.
    b.clear();
    for (size_t i = 0; i + 1 < edges.size(); ++i)
        b.push_back(below(edges[i]));
    b.push_back(edges.back());
    if (!MetricRegistry::checkBounds(QString(), b))
        return {};
    return b;
}

InputMonitor::InputMonitor(const Families &families, const Version &v, const QJsonObject &baseline)
{
    std::map<QString, QJsonObject> described;
    for (const QJsonValue &f : baseline.value(QStringLiteral("features")).toArray())
        described[f.toObject().value(QStringLiteral("name")).toString()] = f.toObject();
    m_features.reserve(v.features.size());
    for (const PackageManifest::Feature &f : v.features) {
        const QJsonObject base = described.count(f.name) ? described[f.name] : QJsonObject();
        Feature out;
        out.numeric = f.kind == QLatin1String("numeric");
        out.missing = families.missing->series({v.model, v.version, f.name});
        if (out.numeric) {
            out.histogram = families.value->series({v.model, v.version, f.name},
                                                   MetricRegistry::Histogram::Config{boundsOf(base)});
        } else {
            const QJsonArray names = base.value(QStringLiteral("categories")).toArray();
            for (const QJsonValue &n : names)
                out.names << n.toString();
            if (out.names.isEmpty())
                out.names = f.categories;
            for (const QString &name : std::as_const(out.names))
                out.byCode.push_back(families.category->series({v.model, v.version, f.name, name}));
        }
        m_features.push_back(std::move(out));
    }
    if (v.classification) {
        for (const QString &label : v.labels)
            m_classes.push_back(families.prediction->series({v.model, v.version, label}));
    } else {
        m_predictionHistogram = families.predictionValue->series(
            {v.model, v.version}, MetricRegistry::Histogram::Config{boundsOf(baseline.value(QStringLiteral("prediction")).toObject())});
    }
    m_rows = families.rows->series({v.model, v.version});
}

void InputMonitor::record(std::span<const float> raw, qint64 rows, const InferenceEngine::Prediction &prediction) const
{
    const size_t width = m_features.size();
    if (rows <= 0 || width == 0 || raw.size() < size_t(rows) * width)
        return;
    for (qint64 r = 0; r < rows; ++r) {
        const float *row = raw.data() + size_t(r) * width;
        for (size_t k = 0; k < width; ++k) {
            const Feature &f = m_features[k];
            const double x = row[k];
            if (std::isnan(x)) {
                f.missing->inc();
            } else if (f.numeric) {
                f.histogram->observe(x);
            } else if (x >= 0 && x < double(f.byCode.size())) {
                f.byCode[size_t(x)]->inc(); // the engine took only whole codes in range
            }
        }
    }
    if (!m_classes.empty()) {
        for (const qint64 c : prediction.classes)
            if (c >= 0 && c < qint64(m_classes.size()))
                m_classes[size_t(c)]->inc();
    } else if (m_predictionHistogram && prediction.width > 0) {
        for (qint64 r = 0; r < prediction.rows; ++r)
            m_predictionHistogram->observe(double(prediction.outputs[size_t(r * prediction.width)]));
    }
    m_rows->inc(double(rows));
}

} // namespace mlwb
