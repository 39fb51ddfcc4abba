// SPDX-License-Identifier: MIT
// InputMonitor through ServeMetrics: a version's inputs and predictions on its baseline's bins
// (docs/monitoring.md), read back from the text /metrics answers.
#include "serve/serve_metrics.h"

#include "common/prometheus_text.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>

using namespace mlwb;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Edges as package_baseline.cpp writes them: x on [0, 1, 2.5, 10]; y, whose training values
// were all 3, on [3, 3]; a category and a boolean.
QJsonObject baseline(bool classification)
{
    const char *text = R"({"format": 1, "split": "train", "rows": 100,
      "features": [
        {"name": "x", "kind": "numeric", "edges": [0, 1, 2.5, 10], "counts": [30, 30, 40], "missing": 0},
        {"name": "color", "kind": "category", "categories": ["red", "green", "blue"], "counts": [1, 2, 3], "missing": 0},
        {"name": "flag", "kind": "boolean", "categories": ["false", "true"], "counts": [50, 50], "missing": 0},
        {"name": "y", "kind": "numeric", "edges": [3, 3], "counts": [100], "missing": 0}],
      "prediction": %1})";
    const QByteArray prediction = classification
        ? R"({"kind": "category", "categories": ["no", "yes"], "counts": [60, 40]})"
        : R"({"kind": "numeric", "edges": [-1.5, 0.25, 7], "counts": [50, 50]})";
    return QJsonDocument::fromJson(QString::fromUtf8(text).arg(QString::fromUtf8(prediction)).toUtf8()).object();
}

InputMonitor::Version version(bool classification)
{
    InputMonitor::Version v;
    v.model = s("shop");
    v.version = s("1.0.0");
    v.features = {{s("x"), s("numeric"), {}},
                  {s("color"), s("category"), {s("red"), s("green"), s("blue")}},
                  {s("flag"), s("boolean"), {s("false"), s("true")}},
                  {s("y"), s("numeric"), {}}};
    v.classification = classification;
    v.labels = classification ? QStringList{s("no"), s("yes")} : QStringList{s("price")};
    return v;
}

PrometheusText parsed(const ServeMetrics &m)
{
    auto r = PrometheusText::parse(m.render(), s("/metrics"));
    EXPECT_TRUE(r.ok()) << (r ? std::string() : r.error().toStdString());
    return r ? std::move(r).value() : PrometheusText{};
}

PrometheusText::Labels mvf(const char *feature)
{
    return {{s("model"), s("shop")}, {s("version"), s("1.0.0")}, {s("feature"), s(feature)}};
}

// The buckets of one series: (le as read back, cumulative count), in text order.
std::vector<std::pair<double, double>> buckets(const PrometheusText &t, const char *family, const PrometheusText::Labels &labels)
{
    std::vector<std::pair<double, double>> out;
    const PrometheusText::Family *f = t.family(s(family));
    if (!f)
        return out;
    for (const PrometheusText::Sample &sample : f->samples) {
        if (sample.name != s(family) + s("_bucket"))
            continue;
        bool all = true;
        for (const auto &[name, value] : labels)
            all = all && sample.label(name) == value;
        if (all) {
            const QString le = sample.label(s("le")).value_or(QString());
            out.emplace_back(le == s("+Inf") ? std::numeric_limits<double>::infinity() : le.toDouble(), sample.value);
        }
    }
    return out;
}

double value(const PrometheusText &t, const char *name, const PrometheusText::Labels &labels)
{
    const PrometheusText::Sample *sample = t.sample(s(name), labels);
    return sample ? sample->value : kNaN;
}

void record(const InputMonitor &monitor, const std::vector<std::vector<double>> &rows, const std::vector<qint64> &classes,
            const std::vector<float> &values = {})
{
    std::vector<float> raw;
    for (const auto &row : rows)
        for (double v : row)
            raw.push_back(float(v));
    InferenceEngine::Prediction p;
    p.rows = qint64(rows.size());
    p.width = classes.empty() ? 1 : 2;
    p.classes = classes;
    p.outputs = classes.empty() ? values : std::vector<float>(rows.size() * 2, 0.0f);
    monitor.record(raw, qint64(rows.size()), p);
}

} // namespace

TEST(InputMonitor, BoundsAreJustUnderEachEdgeAndTheLastEdgeItself)
{
    const std::vector<double> b = InputMonitor::bounds({0, 1, 2.5, 10});
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(b[0], std::nextafter(0.0, -INFINITY));
    EXPECT_EQ(b[1], std::nextafter(1.0, -INFINITY));
    EXPECT_EQ(b[2], std::nextafter(2.5, -INFINITY));
    EXPECT_EQ(b[3], 10.0);
    EXPECT_LT(b[1], 1.0);
    EXPECT_EQ(InputMonitor::bounds({3, 3}), (std::vector<double>{std::nextafter(3.0, -INFINITY), 3.0}));
    EXPECT_TRUE(InputMonitor::bounds({}).empty());
    EXPECT_TRUE(InputMonitor::bounds({1, kNaN, 2}).empty()); // a damaged baseline
    EXPECT_TRUE(InputMonitor::bounds({2, 1}).empty());
}

TEST(InputMonitor, AServedFloatEqualToAnEdgeCountsInTheBinThatEdgeOpens)
{
    // The engine takes FP32: iris' 5.1 cm arrives as 5.1f, which is below the double 5.1. It
    // belongs to the bin [5.1, 7.7) all the same (counting it below made unmoved data drift).
    const std::vector<double> b = InputMonitor::bounds({4.3, 5.1, 7.7});
    ASSERT_EQ(b.size(), 3u);
    ASSERT_LT(double(5.1f), 5.1);
    EXPECT_GT(double(5.1f), b[1]); // in bin 1
    EXPECT_LE(double(std::nextafter(5.1f, 0.0f)), b[1]); // the float below it: bin 0
    EXPECT_LE(double(7.7f), b[2]);  // the training maximum is in range
    EXPECT_GT(double(4.3f), b[0]);  // and the minimum
    MetricRegistry::Histogram h({std::make_shared<const std::vector<double>>(b)});
    h.observe(double(5.1f));
    EXPECT_EQ(h.snapshot().cumulative, (std::vector<quint64>{0, 0, 1, 1}));
}

TEST(InputMonitor, EverySeriesShowsAtZeroFromTheLoad)
{
    ServeMetrics m(0);
    auto monitor = m.monitor(version(true), baseline(true));
    const PrometheusText t = parsed(m);
    const auto x = buckets(t, "mlwb_agent_input_value", mvf("x"));
    ASSERT_EQ(x.size(), 5u); // below(e0), below(e1), below(e2), e3, +Inf
    for (const auto &[le, count] : x)
        EXPECT_EQ(count, 0.0) << le;
    EXPECT_EQ(buckets(t, "mlwb_agent_input_value", mvf("y")).size(), 3u);
    EXPECT_EQ(value(t, "mlwb_agent_input_value_count", mvf("x")), 0.0);
    for (const char *f : {"x", "color", "flag", "y"})
        EXPECT_EQ(value(t, "mlwb_agent_input_missing_total", mvf(f)), 0.0) << f;
    for (const char *c : {"red", "green", "blue"})
        EXPECT_EQ(value(t, "mlwb_agent_input_category_total", mvf("color") << std::pair{s("category"), s(c)}), 0.0) << c;
    for (const char *c : {"false", "true"})
        EXPECT_EQ(value(t, "mlwb_agent_input_category_total", mvf("flag") << std::pair{s("category"), s(c)}), 0.0) << c;
    const PrometheusText::Labels mv{{s("model"), s("shop")}, {s("version"), s("1.0.0")}};
    EXPECT_EQ(value(t, "mlwb_agent_prediction_total", PrometheusText::Labels(mv) << std::pair{s("class"), s("no")}), 0.0);
    EXPECT_EQ(value(t, "mlwb_agent_prediction_total", PrometheusText::Labels(mv) << std::pair{s("class"), s("yes")}), 0.0);
    EXPECT_EQ(value(t, "mlwb_agent_rows_total", mv), 0.0);
    EXPECT_TRUE(t.histogramProblems().isEmpty()) << qPrintable(t.histogramProblems().join(u'\n'));
}

TEST(InputMonitor, ValuesLandInTheBaselinesBins)
{
    ServeMetrics m(0);
    auto monitor = m.monitor(version(true), baseline(true));
    const double under1 = std::nextafter(1.0f, 0.0f); // the largest float under 1: requests are FP32
    // x: under the range, e0 itself, inside bin 0, just under e1, e1, e2, the last edge, above,
    // missing. color by code, flag 0/1, a missing code; y on and off its single value.
    record(*monitor,
           {{-1, 0, 1, 3},
            {0, 2, 0, 3},
            {0.5, 1, 1, 2.9},
            {under1, 2, kNaN, 3.1},
            {1, kNaN, 0, 3},
            {2.5, 0, 1, kNaN},
            {10, 0, 1, 3},
            {11, 1, 1, 3},
            {kNaN, 2, 0, 3}},
           {0, 1, 1, 1, 0, 0, 1, 1, 1});
    const PrometheusText t = parsed(m);
    const auto x = buckets(t, "mlwb_agent_input_value", mvf("x"));
    const std::vector<double> edges{0, 1, 2.5, 10};
    ASSERT_EQ(x.size(), 5u);
    // Each le reads back as exactly below(edge), the last finite one as the last edge.
    for (size_t i = 0; i < 3; ++i)
        EXPECT_EQ(x[i].first, InputMonitor::below(edges[i])) << i;
    EXPECT_EQ(x[3].first, 10.0);
    EXPECT_TRUE(std::isinf(x[4].first));
    // Cumulative: under the range 1 (-1); bin 0 [0, 1): 0, 0.5, below(1); bin 1 [1, 2.5): 1;
    // bin 2 [2.5, 10]: 2.5 and 10; above: 11. NaN is not observed.
    EXPECT_EQ(x[0].second, 1.0);
    EXPECT_EQ(x[1].second, 4.0);
    EXPECT_EQ(x[2].second, 5.0);
    EXPECT_EQ(x[3].second, 7.0);
    EXPECT_EQ(x[4].second, 8.0);
    EXPECT_EQ(value(t, "mlwb_agent_input_value_count", mvf("x")), 8.0);
    EXPECT_EQ(value(t, "mlwb_agent_input_missing_total", mvf("x")), 1.0);
    // y, all 3 in training: 2.9 under, the 3s in its one bin, 3.1 above.
    const auto y = buckets(t, "mlwb_agent_input_value", mvf("y"));
    ASSERT_EQ(y.size(), 3u);
    EXPECT_EQ(y[0].second, 1.0);
    EXPECT_EQ(y[1].second, 7.0);
    EXPECT_EQ(y[2].second, 8.0);
    EXPECT_EQ(value(t, "mlwb_agent_input_missing_total", mvf("y")), 1.0);

    auto category = [&](const char *feature, const char *name) {
        return value(t, "mlwb_agent_input_category_total", mvf(feature) << std::pair{s("category"), s(name)});
    };
    EXPECT_EQ(category("color", "red"), 3.0);
    EXPECT_EQ(category("color", "green"), 2.0);
    EXPECT_EQ(category("color", "blue"), 3.0);
    EXPECT_EQ(value(t, "mlwb_agent_input_missing_total", mvf("color")), 1.0);
    EXPECT_EQ(category("flag", "false"), 3.0);
    EXPECT_EQ(category("flag", "true"), 5.0);
    EXPECT_EQ(value(t, "mlwb_agent_input_missing_total", mvf("flag")), 1.0);

    const PrometheusText::Labels mv{{s("model"), s("shop")}, {s("version"), s("1.0.0")}};
    EXPECT_EQ(value(t, "mlwb_agent_prediction_total", PrometheusText::Labels(mv) << std::pair{s("class"), s("no")}), 3.0);
    EXPECT_EQ(value(t, "mlwb_agent_prediction_total", PrometheusText::Labels(mv) << std::pair{s("class"), s("yes")}), 6.0);
    EXPECT_EQ(value(t, "mlwb_agent_rows_total", mv), 9.0);
    EXPECT_TRUE(t.histogramProblems().isEmpty()) << qPrintable(t.histogramProblems().join(u'\n'));
}

namespace {

// One numeric feature "v" on `edges` (as package_baseline.cpp writes them, from double training
// values), for the tests of where an FP32 input equal to an edge lands.
InputMonitor::Version oneFeature()
{
    InputMonitor::Version v;
    v.model = s("shop");
    v.version = s("1.0.0");
    v.features = {{s("v"), s("numeric"), {}}};
    v.classification = true;
    v.labels = {s("no"), s("yes")};
    return v;
}

QJsonObject oneFeatureBaseline(const std::vector<double> &edges)
{
    QJsonArray e, counts;
    for (double x : edges)
        e.append(x);
    for (size_t i = 0; i + 1 < edges.size(); ++i)
        counts.append(10);
    return QJsonObject{{s("features"), QJsonArray{QJsonObject{{s("name"), s("v")}, {s("kind"), s("numeric")}, {s("edges"), e},
                                                               {s("counts"), counts}, {s("missing"), 0}}}}};
}

// Each value sent as the FP32 the engine takes, one row each.
void recordValues(const InputMonitor &monitor, const std::vector<float> &values)
{
    InferenceEngine::Prediction p;
    p.rows = qint64(values.size());
    p.width = 2;
    p.classes.assign(values.size(), 0);
    p.outputs.assign(values.size() * 2, 0.0f);
    monitor.record(values, qint64(values.size()), p);
}

float down(float x)
{
    return std::nextafter(x, -std::numeric_limits<float>::infinity());
}

float up(float x)
{
    return std::nextafter(x, std::numeric_limits<float>::infinity());
}

} // namespace

TEST(InputMonitor, AnFp32InputEqualToAnEdgeAsSentLandsInTheBinThatEdgeOpens)
{
    // The edges are doubles from the training CSV; a client sends 0.7 as 0.7f, which is under the
    // double 0.7 (float(-0.3), float(1.3) too), while 0.1f and 2.2f are over 0.1 and 2.2. Against
    // the double edges, 0.7f would count in the bin below 0.7, -0.3f under the training range,
    // and 2.2f above it.
    const std::vector<double> edges{-0.3, 0.1, 0.7, 1.3, 2.2};
    for (double e : edges)
        ASSERT_NE(double(float(e)), e) << e; // the case at hand: no edge is an FP32 value
    ServeMetrics m(0);
    auto monitor = m.monitor(oneFeature(), oneFeatureBaseline(edges));
    std::vector<float> values;
    for (double e : edges) {
        values.push_back(float(e));       // the edge as sent: the bin it opens (the last: its own)
        values.push_back(down(float(e))); // the float just under it: the bin below
    }
    values.push_back(up(float(edges.back()))); // the float just over the last edge: above the range
    recordValues(*monitor, values);
    const PrometheusText t = parsed(m);
    const auto b = buckets(t, "mlwb_agent_input_value", mvf("v"));
    ASSERT_EQ(b.size(), 6u); // under, four bins, +Inf
    // Cumulative: under: down(-0.3f); [-0.3, 0.1): -0.3f, down(0.1f); [0.1, 0.7): 0.1f, down(0.7f);
    // [0.7, 1.3): 0.7f, down(1.3f); [1.3, 2.2]: 1.3f, down(2.2f), 2.2f; above: up(2.2f).
    const std::vector<double> cumulative{1, 3, 5, 7, 10, 11};
    for (size_t i = 0; i < b.size(); ++i)
        EXPECT_EQ(b[i].second, cumulative[i]) << "bucket " << i << " le=" << b[i].first;
    // The bounds are the FP32 edges': below(float(e)) for each edge but the last, float(en).
    for (size_t i = 0; i + 1 < edges.size(); ++i)
        EXPECT_EQ(b[i].first, InputMonitor::below(double(float(edges[i])))) << i;
    EXPECT_EQ(b[4].first, double(float(edges.back())));
    EXPECT_TRUE(t.histogramProblems().isEmpty()) << qPrintable(t.histogramProblems().join(u'\n'));
}

TEST(InputMonitor, ATrainingValueConstantOffFp32StillHoldsItsOneBin)
{
    // All training values 0.7: edges [0.7, 0.7]; 0.7f as sent is that value.
    ServeMetrics m(0);
    auto monitor = m.monitor(oneFeature(), oneFeatureBaseline({0.7, 0.7}));
    recordValues(*monitor, {0.7f, 0.7f, down(0.7f), up(0.7f)});
    const auto b = buckets(parsed(m), "mlwb_agent_input_value", mvf("v"));
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].second, 1.0); // down(0.7f)
    EXPECT_EQ(b[1].second, 3.0); // 0.7f twice
    EXPECT_EQ(b[2].second, 4.0); // up(0.7f)
}

TEST(InputMonitor, EdgesThatFp32WouldMergeStayDoubles)
{
    // 1 and 1 + 1e-9 are one float, and 1e39 is none: rounding would merge two bins or lose the
    // last edge, so these baselines keep their double edges (the one FP32 value in
    // [1, 1 + 1e-9) is 1.0f, which counts there either way).
    ServeMetrics m(0);
    auto monitor = m.monitor(oneFeature(), oneFeatureBaseline({0.7, 1.0, 1.0 + 1e-9, 2.0}));
    recordValues(*monitor, {0.7f, 1.0f, 1.5f, 2.0f});
    const auto b = buckets(parsed(m), "mlwb_agent_input_value", mvf("v"));
    ASSERT_EQ(b.size(), 5u); // the bins are all there, not the +Inf bucket alone
    EXPECT_EQ(b[0].first, InputMonitor::below(0.7));
    EXPECT_EQ(b[1].first, InputMonitor::below(1.0));
    EXPECT_EQ(b[2].first, InputMonitor::below(1.0 + 1e-9));
    EXPECT_EQ(b[3].first, 2.0);
    // With the double edges 0.7f is under 0.7: the fallback's known limit.
    EXPECT_EQ(b[0].second, 1.0); // 0.7f
    EXPECT_EQ(b[1].second, 1.0);
    EXPECT_EQ(b[2].second, 2.0); // 1.0f
    EXPECT_EQ(b[3].second, 4.0); // 1.5f, 2.0f

    EXPECT_EQ(InputMonitor::fp32Edges({0.7, 1.0, 1.0 + 1e-9, 2.0}), (std::vector<double>{0.7, 1.0, 1.0 + 1e-9, 2.0}));
    EXPECT_EQ(InputMonitor::fp32Edges({0.0, 1e39}), (std::vector<double>{0.0, 1e39}));
    EXPECT_EQ(InputMonitor::fp32Edges({0.1, 0.7}), (std::vector<double>{double(0.1f), double(0.7f)}));
    EXPECT_EQ(InputMonitor::fp32Edges({0.7, 0.7}), (std::vector<double>{double(0.7f), double(0.7f)}));
    EXPECT_TRUE(InputMonitor::fp32Edges({}).empty());
}

TEST(InputMonitor, ARegressorsPredictionsOnTheBaselinePredictionEdges)
{
    ServeMetrics m(0);
    auto monitor = m.monitor(version(false), baseline(false));
    // Edges [-1.5, 0.25, 7]: under, e0, inside bin 0, e1, the last edge, above.
    record(*monitor, {{1, 0, 0, 3}, {1, 0, 0, 3}, {1, 0, 0, 3}, {1, 0, 0, 3}, {1, 0, 0, 3}, {1, 0, 0, 3}}, {},
           {-2.0f, -1.5f, 0.0f, 0.25f, 7.0f, 8.0f});
    const PrometheusText t = parsed(m);
    const PrometheusText::Labels mv{{s("model"), s("shop")}, {s("version"), s("1.0.0")}};
    const auto p = buckets(t, "mlwb_agent_prediction_value", mv);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[0].first, InputMonitor::below(-1.5));
    EXPECT_EQ(p[1].first, InputMonitor::below(0.25));
    EXPECT_EQ(p[2].first, 7.0);
    EXPECT_EQ(p[0].second, 1.0); // -2
    EXPECT_EQ(p[1].second, 3.0); // -1.5, 0
    EXPECT_EQ(p[2].second, 5.0); // 0.25, 7
    EXPECT_EQ(p[3].second, 6.0); // 8
    EXPECT_TRUE(t.family(s("mlwb_agent_prediction_total"))->samples.isEmpty()); // a regressor has no classes
    EXPECT_EQ(value(t, "mlwb_agent_rows_total", mv), 6.0);
    EXPECT_TRUE(t.histogramProblems().isEmpty()) << qPrintable(t.histogramProblems().join(u'\n'));
}

TEST(InputMonitor, RemovingTheVersionRemovesItsSeries)
{
    ServeMetrics m(0);
    auto monitor = m.monitor(version(true), baseline(true));
    InputMonitor::Version other = version(true);
    other.version = s("2.0.0");
    auto second = m.monitor(other, baseline(true));
    record(*monitor, {{1, 0, 0, 3}}, {0});
    m.removeVersion(s("shop"), s("1.0.0"));
    const QByteArray text = m.render();
    EXPECT_FALSE(text.contains("version=\"1.0.0\"")) << text.constData();
    EXPECT_TRUE(text.contains("mlwb_agent_input_value_bucket{model=\"shop\",version=\"2.0.0\",feature=\"x\",le=\"10\"} 0"))
        << text.constData();
    record(*monitor, {{1, 0, 0, 3}}, {0}); // a request still in flight on the removed version: no crash, not shown
    EXPECT_FALSE(m.render().contains("version=\"1.0.0\""));
}

TEST(InputMonitor, ADamagedOrMissingBaselineStillCountsEveryRow)
{
    ServeMetrics m(0);
    auto monitor = m.monitor(version(true), QJsonObject());
    record(*monitor, {{1, 0, 0, 3}, {kNaN, 1, 1, 3}}, {0, 1});
    const PrometheusText t = parsed(m);
    const auto x = buckets(t, "mlwb_agent_input_value", mvf("x"));
    ASSERT_EQ(x.size(), 1u); // +Inf alone
    EXPECT_EQ(x[0].second, 1.0);
    // The manifest's categories stand in for the baseline's.
    EXPECT_EQ(value(t, "mlwb_agent_input_category_total", mvf("color") << std::pair{s("category"), s("green")}), 1.0);
    EXPECT_EQ(value(t, "mlwb_agent_rows_total", {{s("model"), s("shop")}, {s("version"), s("1.0.0")}}), 2.0);
    EXPECT_TRUE(t.histogramProblems().isEmpty());
}

TEST(InputMonitor, RecordingARowIsCheap)
{
    // The digits models' shape: 64 numeric features on ten bins each, ten classes.
    ServeMetrics m(0);
    InputMonitor::Version v;
    v.model = s("digits");
    v.version = s("1.0.0");
    QJsonArray described;
    for (int k = 0; k < 64; ++k) {
        v.features.push_back({QStringLiteral("p%1").arg(k), s("numeric"), {}});
        described.append(QJsonObject{{s("name"), QStringLiteral("p%1").arg(k)},
                                     {s("kind"), s("numeric")},
                                     {s("edges"), QJsonArray{0, 1, 2, 3, 4, 5, 6, 8, 10, 13, 16}}});
    }
    for (int c = 0; c < 10; ++c)
        v.labels << QString::number(c);
    auto monitor = m.monitor(v, QJsonObject{{s("features"), described}});
    std::vector<float> row(64);
    for (int k = 0; k < 64; ++k)
        row[size_t(k)] = float(k % 17);
    InferenceEngine::Prediction p;
    p.rows = 1;
    p.width = 10;
    p.outputs.assign(10, 0.0f);
    p.classes = {3};
    constexpr int n = 20000;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
        monitor->record(row, 1, p);
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / n;
    std::cout << "[ info ] InputMonitor::record, one row of 64 features: " << ns << " ns\n";
    const PrometheusText t = parsed(m);
    EXPECT_EQ(value(t, "mlwb_agent_rows_total", {{s("model"), s("digits")}, {s("version"), s("1.0.0")}}), double(n));
    EXPECT_EQ(value(t, "mlwb_agent_input_value_count",
                    {{s("model"), s("digits")}, {s("version"), s("1.0.0")}, {s("feature"), s("p5")}}),
              double(n));
    EXPECT_LT(ns, 100000.0); // a loose bound for sanitizers and a loaded machine; the figure is printed
}
