// SPDX-License-Identifier: MIT
// PrometheusText (core/common, tested here beside the writer it reads): valid text, each
// malformed form with its line number, render -> parse round trips, histogramProblems() on
// hand-broken histograms, and garbage that must not crash it.
#include "common/prometheus_text.h"

#include "serve/metric_registry.h"
#include "test_support.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mlwb;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

PrometheusText parseOk(const char *text)
{
    auto r = PrometheusText::parse(QByteArrayView(text), s("test"));
    EXPECT_TRUE(r.ok()) << (r ? std::string() : r.error().toStdString());
    return r ? std::move(r).value() : PrometheusText{};
}

QStringList problemsOf(const char *text)
{
    return parseOk(text).histogramProblems();
}

// Whether one of the problems contains every fragment.
bool reported(const QStringList &problems, std::initializer_list<const char *> fragments)
{
    for (const QString &p : problems) {
        bool all = true;
        for (const char *f : fragments)
            all = all && p.contains(s(f));
        if (all)
            return true;
    }
    return false;
}

} // namespace

TEST(PrometheusText, ReadsValidText)
{
    const PrometheusText t =
        parseOk("# a comment\n"
                "\n"
                "# HELP http_total Requests \\\\ by \"path\".\\nMore.\n"
                "# TYPE http_total counter\n"
                "http_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 3 1700000000000\n"
                "http_total{ path = \"/\" , code=\"404\", } 1e3\n"
                "  http_total\t{}\t+7   \n"
                "#TYPE odd gauge\n"
                "odd{k=\"nan\"} NaN\n"
                "odd{k=\"inf\"} +Inf\n"
                "odd{k=\"minf\"} -Inf\n"
                "odd{k=\"inf2\"} inf\n"
                "odd{k=\"neg\"} -1.5e-3 -5\n"
                "odd{k=\"utf8\"} .5\n"
                "# TYPE empty_total counter\n"
                "plain 42\n"
                "# TYPE lat_seconds histogram\n"
                "lat_seconds_bucket{le=\"1\"} 1\n"
                "lat_seconds_bucket{le=\"+Inf\"} 2\n"
                "lat_seconds_sum 3.5\n"
                "lat_seconds_count 2\n"
                "# TYPE rpc summary\n"
                "rpc{quantile=\"0.5\"} 0.1\n"
                "rpc_sum 5\n"
                "rpc_count 9"); // no final newline
    ASSERT_EQ(t.families().size(), 6);
    const PrometheusText::Family *http = t.family(s("http_total"));
    ASSERT_TRUE(http);
    EXPECT_EQ(http->type, PrometheusText::Type::Counter);
    EXPECT_EQ(http->help, s("Requests \\ by \"path\".\nMore."));
    ASSERT_EQ(http->samples.size(), 3);
    const PrometheusText::Sample &first = http->samples[0];
    EXPECT_EQ(first.labels,
              (PrometheusText::Labels{{s("path"), s("/a\"b\\c\nd")}, {s("code"), s("200")}}));
    EXPECT_EQ(first.value, 3.0);
    EXPECT_EQ(first.timestampMs, 1700000000000);
    EXPECT_EQ(first.line, 5);
    EXPECT_EQ(http->samples[1].labels,
              (PrometheusText::Labels{{s("path"), s("/")}, {s("code"), s("404")}}));
    EXPECT_EQ(http->samples[1].value, 1000.0);
    EXPECT_FALSE(http->samples[1].timestampMs);
    EXPECT_TRUE(http->samples[2].labels.isEmpty());
    EXPECT_EQ(http->samples[2].value, 7.0);

    const PrometheusText::Family *odd = t.family(s("odd"));
    ASSERT_TRUE(odd);
    ASSERT_EQ(odd->samples.size(), 6);
    EXPECT_EQ(odd->type, PrometheusText::Type::Gauge);
    EXPECT_TRUE(std::isnan(odd->samples[0].value));
    EXPECT_EQ(odd->samples[1].value, std::numeric_limits<double>::infinity());
    EXPECT_EQ(odd->samples[2].value, -std::numeric_limits<double>::infinity());
    EXPECT_EQ(odd->samples[3].value, std::numeric_limits<double>::infinity());
    EXPECT_EQ(odd->samples[4].value, -0.0015);
    EXPECT_EQ(odd->samples[4].timestampMs, -5);
    EXPECT_EQ(odd->samples[5].value, 0.5);

    ASSERT_TRUE(t.family(s("empty_total")));
    EXPECT_TRUE(t.family(s("empty_total"))->samples.isEmpty());
    ASSERT_TRUE(t.family(s("plain")));
    EXPECT_EQ(t.family(s("plain"))->type, PrometheusText::Type::Untyped);
    ASSERT_TRUE(t.family(s("lat_seconds")));
    EXPECT_EQ(t.family(s("lat_seconds"))->samples.size(), 4);
    ASSERT_TRUE(t.family(s("rpc")));
    EXPECT_EQ(t.family(s("rpc"))->samples.size(), 3);
    EXPECT_EQ(t.family(s("rpc"))->type, PrometheusText::Type::Summary);
    ASSERT_TRUE(t.sample(s("rpc_count")));
    EXPECT_EQ(t.sample(s("rpc_count"))->line, 25);
    EXPECT_TRUE(t.histogramProblems().isEmpty()) << t.histogramProblems().join(u'\n').toStdString();

    // Empty input and input of only comments are valid and hold nothing.
    EXPECT_TRUE(parseOk("").families().isEmpty());
    EXPECT_TRUE(parseOk("# just a comment\n\n").families().isEmpty());
}

TEST(PrometheusText, NamesTheLineAndTheFaultOfMalformedText)
{
    struct Case {
        const char *text;
        int line;
        const char *fragment;
    };
    const Case cases[] = {
        {"ok 1\n{a=\"b\"} 1\n", 2, "expected a metric name"},
        {"ok 1\n9x 1\n", 2, "expected a metric name"},
        {"x-y 1\n", 1, "unexpected character \"-\" in the metric name x"},
        {"x\n", 1, "x has no value"},
        {"x{a=\"b\"}\n", 1, "x has no value"},
        {"x abc\n", 1, "the value \"abc\" of x is not a number"},
        {"x 1.2.3\n", 1, "is not a number"},
        {"x 0x10\n", 1, "is not a number"},
        {"x nan(1)\n", 1, "is not a number"},
        {"x 1e999\n", 1, "is not a number"},
        {"x ++1\n", 1, "is not a number"},
        {"x 1 12.5\n", 1, "the timestamp \"12.5\" of x is not an integer"},
        {"x 1 +12\n", 1, "is not an integer"},
        {"x 1 2 3\n", 1, "unexpected \"3\" after the timestamp of x"},
        {"x{a=\"b\" 1\n", 1, "expected , or } after the label a of x"},
        {"x{a=\"b\n", 1, "the value of the label a of x is not closed"},
        {"x{a=\"b\\\"} 1\n", 1, "is not closed"},
        {"x{a=\"b\\\n", 1, "is not closed"},
        {"x{a=\"b\\t\"} 1\n", 1, "invalid escape \\t in the label a of x"},
        {"x{a=b} 1\n", 1, "the value of the label a of x does not start with \""},
        {"x{a \"b\"} 1\n", 1, "expected = after the label a of x"},
        {"x{1a=\"b\"} 1\n", 1, "expected a label name in x"},
        {"x{a:b=\"c\"} 1\n", 1, "expected = after the label a of x"},
        {"x{__name__=\"y\"} 1\n", 1, "reserved"},
        {"x{a=\"1\",a=\"2\"} 1\n", 1, "the label a appears twice in x"},
        {"x{a=\"1\"\n", 1, "expected , or }"},
        {"x{a=\"1\",\n", 1, "the labels of x are not closed with }"},
        {"x{a=\"\xff\"} 1\n", 1, "not valid UTF-8"},
        {"# HELP\n", 1, "HELP line without a valid metric name"},
        {"# TYPE 1x gauge\n", 1, "TYPE line without a valid metric name"},
        {"# HELP x ends \\\n", 1, "lone backslash"},
        {"# HELP x bad \\t escape\n", 1, "invalid escape \\t"},
        {"# HELP x \xc3\x28\n", 1, "HELP for x is not valid UTF-8"},
        {"# TYPE x meter\n", 1, "unknown type \"meter\" for x"},
        {"# TYPE x gauge extra\n", 1, "unexpected \"extra\" after the TYPE of x"},
        {"# TYPE x gauge\n# TYPE x counter\n", 2, "a second TYPE line for x"},
        {"# HELP x a\n# HELP x b\n", 2, "a second HELP line for x"},
        {"x 1\n# TYPE x gauge\n", 2, "the TYPE of x comes after its samples"},
        {"x 1\ny 2\nx 3\n", 3, "the lines of x must be one group, first seen on line 1"},
        {"# TYPE x gauge\nx 1\ny 2\n# HELP x again\n", 4, "x again after other families"},
        {"# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nz 1\nh_count 1\n", 4,
         "the lines of h must be one group"},
        {"# TYPE h histogram\nh 1\n", 2, "h is no sample name of the histogram h"},
        {"h_sum 1\n# TYPE h histogram\n", 2, "would own the samples named h_sum"},
        {"ok 1\r\n", 1, "is not a number"},
    };
    for (const Case &c : cases) {
        const auto r = PrometheusText::parse(QByteArrayView(c.text), s("scrape.txt"));
        ASSERT_FALSE(r.ok()) << "accepted: " << c.text;
        EXPECT_EQ(r.kind(), ErrorKind::InvalidInput);
        const QString prefix = QStringLiteral("scrape.txt:%1: ").arg(c.line);
        EXPECT_TRUE(r.error().startsWith(prefix))
            << c.text << " -> " << r.error().toStdString() << " (expected line " << c.line << ")";
        EXPECT_TRUE(r.error().contains(s(c.fragment)))
            << c.text << " -> " << r.error().toStdString() << " (expected: " << c.fragment << ")";
    }
}

TEST(PrometheusText, ReadsBackWhatTheRegistryWrites)
{
    MetricRegistry r;
    auto c = r.addCounter(s("rt_total"), s("With \\ and\nnewline."), {s("path"), s("code")});
    ASSERT_OK(c);
    (*c)->series({s("a\"b\\c\nd\xc3\xa9"), s("200")})->inc(2.5);
    (*c)->series({s(""), s("")})->inc();
    auto g = r.addGauge(s("rt_values"), s("Values."), {s("k")});
    ASSERT_OK(g);
    const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             0.1 + 0.2,
                             5e-324,
                             -1.7976931348623157e308,
                             -0.0};
    for (size_t i = 0; i < std::size(values); ++i)
        (*g)->series({QString::number(i)})->set(values[i]);
    auto h = r.addHistogram(s("rt_seconds"), s("Histogram."), {s("m")}, {0.001, 0.5, 7});
    ASSERT_OK(h);
    for (double v : {0.0005, 0.2, 0.3, 8.0})
        (*h)->series({s("x")})->observe(v);

    const auto parsed = PrometheusText::parse(r.render(), s("render"));
    ASSERT_OK(parsed);
    ASSERT_EQ(parsed->families().size(), 3);
    const PrometheusText::Family *counter = parsed->family(s("rt_total"));
    ASSERT_TRUE(counter);
    EXPECT_EQ(counter->type, PrometheusText::Type::Counter);
    EXPECT_EQ(counter->help, s("With \\ and\nnewline."));
    const PrometheusText::Sample *escaped = parsed->sample(
        s("rt_total"), {{s("path"), s("a\"b\\c\nd\xc3\xa9")}, {s("code"), s("200")}});
    ASSERT_TRUE(escaped);
    EXPECT_EQ(escaped->value, 2.5);
    ASSERT_TRUE(parsed->sample(s("rt_total"), {{s("code"), s("")}, {s("path"), s("")}}));

    const PrometheusText::Family *gauge = parsed->family(s("rt_values"));
    ASSERT_TRUE(gauge);
    ASSERT_EQ(gauge->samples.size(), qsizetype(std::size(values)));
    for (size_t i = 0; i < std::size(values); ++i) {
        const PrometheusText::Sample *sample =
            parsed->sample(s("rt_values"), {{s("k"), QString::number(i)}});
        ASSERT_TRUE(sample) << i;
        if (std::isnan(values[i])) {
            EXPECT_TRUE(std::isnan(sample->value));
        } else {
            EXPECT_EQ(sample->value, values[i]) << i;
            EXPECT_EQ(std::signbit(sample->value), std::signbit(values[i])) << i;
        }
    }

    const PrometheusText::Family *histogram = parsed->family(s("rt_seconds"));
    ASSERT_TRUE(histogram);
    EXPECT_EQ(histogram->type, PrometheusText::Type::Histogram);
    ASSERT_EQ(histogram->samples.size(), 6);
    const double cumulative[] = {1, 3, 3, 4};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(histogram->samples[i].name, s("rt_seconds_bucket"));
        EXPECT_EQ(histogram->samples[i].value, cumulative[i]);
    }
    EXPECT_EQ(histogram->samples[3].label(s("le")), s("+Inf"));
    const PrometheusText::Sample *sum = parsed->sample(s("rt_seconds_sum"), {{s("m"), s("x")}});
    ASSERT_TRUE(sum);
    EXPECT_EQ(sum->value, 0.0005 + 0.2 + 0.3 + 8.0);
    EXPECT_TRUE(parsed->histogramProblems().isEmpty());

    // And the text written again from what was read is the same text.
    MetricRegistry again;
    auto c2 = again.addCounter(counter->name, counter->help, {s("path"), s("code")});
    ASSERT_OK(c2);
    for (const PrometheusText::Sample &sample : counter->samples)
        (*c2)
            ->series({sample.label(s("path")).value_or(QString()),
                      sample.label(s("code")).value_or(QString())})
            ->inc(sample.value);
    QByteArray original = r.render();
    original.truncate(original.indexOf("# HELP rt_values"));
    EXPECT_EQ(again.render().toStdString(),
              original.mid(original.indexOf("# HELP rt_total")).toStdString());
}

TEST(PrometheusText, ReportsEachKindOfBrokenHistogram)
{
    const char *header = "# TYPE h histogram\n";
    const auto with = [header](const char *body) {
        return problemsOf((QByteArray(header) + body).constData());
    };

    const QStringList sound =
        with("h_bucket{a=\"1\",le=\"0.1\"} 1\nh_bucket{a=\"1\",le=\"+Inf\"} 2\n"
             "h_sum{a=\"1\"} 1\nh_count{a=\"1\"} 2\n"
             "h_bucket{le=\"+Inf\",a=\"2\"} 0\nh_sum{a=\"2\"} 0\n"
             "h_count{a=\"2\"} 0\n");
    EXPECT_TRUE(sound.isEmpty()) << sound.join(u'\n').toStdString();

    const QStringList unordered = with("h_bucket{le=\"1\"} 1\nh_bucket{le=\"0.5\"} 1\n"
                                       "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n");
    EXPECT_TRUE(reported(unordered, {"bucket le=0.5 on line 3 follows le=1"}))
        << unordered.join(u'\n').toStdString();
    EXPECT_EQ(unordered.size(), 1) << unordered.join(u'\n').toStdString();

    const QStringList repeatedLe = with("h_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n"
                                        "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n");
    EXPECT_TRUE(reported(repeatedLe, {"follows le=1"})) << repeatedLe.join(u'\n').toStdString();

    const QStringList noInf = with("h_bucket{m=\"x\",le=\"1\"} 1\nh_sum{m=\"x\"} 1\n"
                                   "h_count{m=\"x\"} 1\n");
    EXPECT_TRUE(reported(noInf, {"h{m=\"x\"}: no +Inf bucket"})) << noInf.join(u'\n').toStdString();

    const QStringList infNotCount = with("h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 3\n"
                                         "h_sum 1\nh_count 4\n");
    EXPECT_TRUE(reported(infNotCount, {"the +Inf bucket counts 3 but _count is 4"}))
        << infNotCount.join(u'\n').toStdString();

    const QStringList decreasing = with("h_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 4\n"
                                        "h_bucket{le=\"+Inf\"} 5\nh_sum 1\nh_count 5\n");
    EXPECT_TRUE(reported(decreasing, {"bucket le=2 on line 3 counts 4, less than 5 in le=1"}))
        << decreasing.join(u'\n').toStdString();

    const QStringList noSum = with("h_bucket{le=\"+Inf\"} 1\nh_count 1\n");
    EXPECT_TRUE(reported(noSum, {"h: no _sum"})) << noSum.join(u'\n').toStdString();
    const QStringList noCount = with("h_bucket{le=\"+Inf\"} 1\nh_sum 1\n");
    EXPECT_TRUE(reported(noCount, {"h: no _count"})) << noCount.join(u'\n').toStdString();

    const QStringList noLe = with("h_bucket{a=\"b\"} 1\nh_bucket{a=\"b\",le=\"+Inf\"} 1\n"
                                  "h_bucket{a=\"b\",le=\"one\"} 1\nh_sum{a=\"b\"} 1\n"
                                  "h_count{a=\"b\"} 1\n");
    EXPECT_TRUE(reported(noLe, {"a bucket without le on line 2"}))
        << noLe.join(u'\n').toStdString();
    EXPECT_TRUE(reported(noLe, {"le=\"one\" on line 4 is not a number"}))
        << noLe.join(u'\n').toStdString();

    // Duplicates anywhere in the text, labels in any order.
    const QStringList duplicates = problemsOf("# TYPE g gauge\ng{a=\"1\",b=\"2\"} 1\n"
                                              "g{b=\"2\",a=\"1\"} 1\n"
                                              "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n"
                                              "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n");
    EXPECT_TRUE(reported(duplicates, {"g{a=\"1\",b=\"2\"}: the same series on lines 2 and 3"}))
        << duplicates.join(u'\n').toStdString();
    EXPECT_TRUE(reported(duplicates, {"h_bucket{le=\"+Inf\"}: the same series on lines 5 and 6"}))
        << duplicates.join(u'\n').toStdString();
}

// Every prefix of a valid text, and random damage to it, either parses or fails with a message;
// it never crashes (the libFuzzer harness goes further).
TEST(PrometheusText, SurvivesTruncatedAndDamagedInput)
{
    MetricRegistry r;
    auto c = r.addCounter(s("f_total"), s("Help \\ with\nescapes."), {s("a"), s("b")});
    ASSERT_OK(c);
    (*c)->series({s("x\"y"), s("z\\\n")})->inc(3);
    auto h = r.addHistogram(s("f_seconds"), s("H."), {s("m")}, {0.1, 1});
    ASSERT_OK(h);
    (*h)->series({s("m")})->observe(0.5);
    const QByteArray text = r.render() + "f_extra{q=\"1\"} NaN 123\n";
    for (qsizetype n = 0; n <= text.size(); ++n) {
        const auto parsed = PrometheusText::parse(QByteArrayView(text).first(n), s("prefix"));
        if (parsed)
            (void)parsed->histogramProblems(); // only that it does not crash
        else
            EXPECT_TRUE(parsed.error().startsWith(s("prefix:")));
    }
    std::mt19937 random(12);
    const char alphabet[] = "{}=\",\\\n #\t0e+-.InfNaHELPTYPE_le\xff\xc3";
    for (int round = 0; round < 5000; ++round) {
        QByteArray damaged = text;
        const int edits = 1 + int(random() % 8);
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = qsizetype(random() % quint32(damaged.size()));
            const char c = alphabet[random() % (sizeof alphabet - 1)];
            switch (random() % 3) {
            case 0:
                damaged[at] = c;
                break;
            case 1:
                damaged.insert(at, c);
                break;
            default:
                damaged.remove(at, 1);
                break;
            }
        }
        const auto parsed = PrometheusText::parse(damaged, s("damaged"));
        if (parsed)
            (void)parsed->histogramProblems();
    }
}
