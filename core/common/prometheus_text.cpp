// SPDX-License-Identifier: MIT
#include "common/prometheus_text.h"

#include <QHash>
#include <QStringDecoder>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace mlwb {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isNameStart(char c, bool colon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

bool isNameChar(char c, bool colon)
{
    return isNameStart(c, colon) || (c >= '0' && c <= '9');
}

// A double as Prometheus (Go's ParseFloat) reads it: an optional sign, decimal digits with an
// exponent, or Inf / Infinity / NaN in any case. Hex floats and digit separators are refused.
std::optional<double> parseDouble(QByteArrayView token)
{
    const char *p = token.data();
    const char *e = p + token.size();
    if (p == e)
        return std::nullopt;
    bool negative = false;
    if (*p == '+' || *p == '-') {
        negative = *p == '-';
        ++p;
        if (p == e || *p == '+' || *p == '-')
            return std::nullopt;
    }
    const QByteArrayView rest(p, e - p);
    if (rest.compare("inf", Qt::CaseInsensitive) == 0 ||
        rest.compare("infinity", Qt::CaseInsensitive) == 0)
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    if (rest.compare("nan", Qt::CaseInsensitive) == 0)
        return std::numeric_limits<double>::quiet_NaN();
    // Only digits, '.', 'e', 'E' and the exponent's sign: from_chars would also take "nan(x)".
    for (const char c : rest) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return std::nullopt;
    }
    double value = 0.0;
    const auto [end, ec] = std::from_chars(p, e, value, std::chars_format::general);
    if (ec != std::errc() || end != e)
        return std::nullopt;
    return negative ? -value : value;
}

std::optional<qint64> parseTimestamp(QByteArrayView token)
{
    const char *p = token.data();
    const char *e = p + token.size();
    if (p == e || *p == '+')
        return std::nullopt;
    qint64 value = 0;
    const auto [end, ec] = std::from_chars(p, e, value);
    if (ec != std::errc() || end != e)
        return std::nullopt;
    return value;
}

std::optional<QString> decodeUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// For messages: the token as text, shortened, invalid bytes replaced.
QString quoted(QByteArrayView bytes)
{
    constexpr qsizetype maxShown = 40;
    QString text = QString::fromUtf8(bytes.first(std::min(bytes.size(), maxShown)));
    if (bytes.size() > maxShown)
        text += QStringLiteral("...");
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString escapeLabelValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == u'"')
            out += QStringLiteral("\\\"");
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else
            out += c;
    }
    return out;
}

// The names a family's samples may carry.
bool belongsTo(const QString &sample, const PrometheusText::Family &family)
{
    const QString &n = family.name;
    const auto suffixed = [&](const char *suffix) {
        const qsizetype len = qsizetype(std::strlen(suffix));
        return sample.size() == n.size() + len && sample.startsWith(n) &&
               QStringView(sample).sliced(n.size()) == QLatin1String(suffix);
    };
    switch (family.type) {
    case PrometheusText::Type::Histogram:
        return suffixed("_bucket") || suffixed("_sum") || suffixed("_count");
    case PrometheusText::Type::Summary:
        return sample == n || suffixed("_sum") || suffixed("_count");
    default:
        return sample == n;
    }
}

QStringList claimedNames(const QString &name, PrometheusText::Type type)
{
    QStringList names{name};
    if (type == PrometheusText::Type::Histogram)
        names << name + QStringLiteral("_bucket");
    if (type == PrometheusText::Type::Histogram || type == PrometheusText::Type::Summary)
        names << name + QStringLiteral("_sum") << name + QStringLiteral("_count");
    return names;
}

// Reads one text into families; every method that can fail returns the message, empty if fine.
class Parser {
public:
    explicit Parser(QList<PrometheusText::Family> &families) : m_families(families) {}

    QString line(QByteArrayView text, int number)
    {
        m_line = number;
        m_p = text.data();
        m_e = m_p + text.size();
        skipBlanks();
        if (m_p == m_e)
            return {};
        if (*m_p == '#')
            return comment();
        return sample();
    }

private:
    void skipBlanks()
    {
        while (m_p != m_e && isBlank(*m_p))
            ++m_p;
    }
    QByteArrayView token()
    {
        const char *start = m_p;
        while (m_p != m_e && !isBlank(*m_p))
            ++m_p;
        return QByteArrayView(start, m_p - start);
    }
    QByteArrayView name(bool colon)
    {
        const char *start = m_p;
        if (m_p != m_e && isNameStart(*m_p, colon)) {
            ++m_p;
            while (m_p != m_e && isNameChar(*m_p, colon))
                ++m_p;
        }
        return QByteArrayView(start, m_p - start);
    }
    QByteArrayView rest() const { return QByteArrayView(m_p, m_e - m_p); }

    QString comment()
    {
        ++m_p; // '#'
        skipBlanks();
        const QByteArrayView keyword = token();
        const bool help = keyword == "HELP";
        if (!help && keyword != "TYPE")
            return {}; // an ordinary comment
        skipBlanks();
        const QByteArrayView metric = name(true);
        if (metric.isEmpty() || (m_p != m_e && !isBlank(*m_p)))
            return QStringLiteral("%1 line without a valid metric name")
                .arg(QString::fromLatin1(keyword));
        const QString metricName = QString::fromLatin1(metric);
        skipBlanks();
        if (help)
            return helpLine(metricName);
        return typeLine(metricName);
    }

    QString helpLine(const QString &metric)
    {
        QByteArray text;
        text.reserve(m_e - m_p);
        for (; m_p != m_e; ++m_p) {
            if (*m_p != '\\') {
                text += *m_p;
                continue;
            }
            if (m_p + 1 == m_e)
                return QStringLiteral("HELP for %1 ends in a lone backslash").arg(metric);
            ++m_p;
            if (*m_p == '\\')
                text += '\\';
            else if (*m_p == 'n')
                text += '\n';
            else
                return QStringLiteral("HELP for %1: invalid escape \\%2 (only \\\\ and \\n)")
                    .arg(metric, QString::fromLatin1(QByteArrayView(m_p, 1)));
        }
        const std::optional<QString> decoded = decodeUtf8(text);
        if (!decoded)
            return QStringLiteral("HELP for %1 is not valid UTF-8").arg(metric);
        if (QString problem = enter(metric); !problem.isEmpty())
            return problem;
        PrometheusText::Family &f = m_families.back();
        if (m_hasHelp)
            return QStringLiteral("a second HELP line for %1").arg(metric);
        m_hasHelp = true;
        f.help = *decoded;
        return {};
    }

    QString typeLine(const QString &metric)
    {
        const QByteArrayView word = token();
        skipBlanks();
        if (m_p != m_e)
            return QStringLiteral("unexpected %1 after the TYPE of %2").arg(quoted(rest()), metric);
        PrometheusText::Type type;
        if (word == "counter")
            type = PrometheusText::Type::Counter;
        else if (word == "gauge")
            type = PrometheusText::Type::Gauge;
        else if (word == "histogram")
            type = PrometheusText::Type::Histogram;
        else if (word == "summary")
            type = PrometheusText::Type::Summary;
        else if (word == "untyped")
            type = PrometheusText::Type::Untyped;
        else
            return QStringLiteral("unknown type %1 for %2 (counter, gauge, histogram, summary or "
                                  "untyped)")
                .arg(quoted(word), metric);
        if (QString problem = enter(metric); !problem.isEmpty())
            return problem;
        PrometheusText::Family &f = m_families.back();
        if (m_hasType)
            return QStringLiteral("a second TYPE line for %1").arg(metric);
        if (!f.samples.isEmpty())
            return QStringLiteral("the TYPE of %1 comes after its samples").arg(metric);
        for (const QString &claimed : claimedNames(metric, type)) {
            const auto owner = m_owner.constFind(claimed);
            if (owner != m_owner.cend() && *owner != m_families.size() - 1)
                return QStringLiteral("%1 %2 would own the samples named %3 of an earlier family")
                    .arg(QString::fromLatin1(word), metric, claimed);
        }
        for (const QString &claimed : claimedNames(metric, type))
            m_owner.insert(claimed, m_families.size() - 1);
        m_hasType = true;
        f.type = type;
        return {};
    }

    // Makes the family of a HELP or TYPE line the current one (a new one unless it is already).
    QString enter(const QString &metric)
    {
        if (!m_families.isEmpty() && m_families.back().name == metric)
            return {};
        if (const auto owner = m_owner.constFind(metric); owner != m_owner.cend())
            return QStringLiteral("%1 again after other families (a family's lines must be one "
                                  "group, first seen on line %2)")
                .arg(metric)
                .arg(m_firstLine.value(*owner));
        startFamily(metric);
        return {};
    }

    void startFamily(const QString &metric)
    {
        PrometheusText::Family f;
        f.name = metric;
        m_families.append(std::move(f));
        m_owner.insert(metric, m_families.size() - 1);
        m_firstLine.insert(m_families.size() - 1, m_line);
        m_hasHelp = false;
        m_hasType = false;
    }

    QString sample()
    {
        PrometheusText::Sample s;
        s.line = m_line;
        const QByteArrayView metric = name(true);
        if (metric.isEmpty())
            return QStringLiteral("expected a metric name, found %1").arg(quoted(rest()));
        s.name = QString::fromLatin1(metric);
        skipBlanks();
        if (m_p != m_e && *m_p == '{') {
            ++m_p;
            if (QString problem = labels(s); !problem.isEmpty())
                return problem;
            skipBlanks();
        } else if (m_p == metric.data() + metric.size() && m_p != m_e) {
            return QStringLiteral("unexpected character %1 in the metric name %2")
                .arg(quoted(QByteArrayView(m_p, 1)), s.name);
        }
        const QByteArrayView value = token();
        if (value.isEmpty())
            return QStringLiteral("%1 has no value").arg(s.name);
        const std::optional<double> parsed = parseDouble(value);
        if (!parsed)
            return QStringLiteral("the value %1 of %2 is not a number").arg(quoted(value), s.name);
        s.value = *parsed;
        skipBlanks();
        if (m_p != m_e) {
            const QByteArrayView stamp = token();
            s.timestampMs = parseTimestamp(stamp);
            if (!s.timestampMs)
                return QStringLiteral("the timestamp %1 of %2 is not an integer (milliseconds)")
                    .arg(quoted(stamp), s.name);
            skipBlanks();
            if (m_p != m_e)
                return QStringLiteral("unexpected %1 after the timestamp of %2")
                    .arg(quoted(rest()), s.name);
        }
        return place(std::move(s));
    }

    QString labels(PrometheusText::Sample &s)
    {
        for (;;) {
            skipBlanks();
            if (m_p == m_e)
                return QStringLiteral("the labels of %1 are not closed with }").arg(s.name);
            if (*m_p == '}') {
                ++m_p;
                return {};
            }
            const QByteArrayView labelName = name(false);
            if (labelName.isEmpty())
                return QStringLiteral("expected a label name in %1, found %2")
                    .arg(s.name, quoted(rest()));
            const QString label = QString::fromLatin1(labelName);
            if (label.startsWith(QLatin1String("__")))
                return QStringLiteral("the label name %1 of %2 is reserved (starts with __)")
                    .arg(label, s.name);
            skipBlanks();
            if (m_p == m_e || *m_p != '=')
                return QStringLiteral("expected = after the label %1 of %2").arg(label, s.name);
            ++m_p;
            skipBlanks();
            if (m_p == m_e || *m_p != '"')
                return QStringLiteral("the value of the label %1 of %2 does not start with \"")
                    .arg(label, s.name);
            ++m_p;
            QByteArray bytes;
            bool closed = false;
            while (m_p != m_e) {
                const char c = *m_p++;
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c != '\\') {
                    bytes += c;
                    continue;
                }
                if (m_p == m_e)
                    break;
                const char escaped = *m_p++;
                if (escaped == '\\')
                    bytes += '\\';
                else if (escaped == '"')
                    bytes += '"';
                else if (escaped == 'n')
                    bytes += '\n';
                else
                    return QStringLiteral("invalid escape \\%1 in the label %2 of %3 (only \\\\, "
                                          "\\\" and \\n)")
                        .arg(QString::fromLatin1(QByteArrayView(&escaped, 1)), label, s.name);
            }
            if (!closed)
                return QStringLiteral("the value of the label %1 of %2 is not closed with \"")
                    .arg(label, s.name);
            const std::optional<QString> value = decodeUtf8(bytes);
            if (!value)
                return QStringLiteral("the value of the label %1 of %2 is not valid UTF-8")
                    .arg(label, s.name);
            if (s.label(label))
                return QStringLiteral("the label %1 appears twice in %2").arg(label, s.name);
            s.labels.append({label, *value});
            skipBlanks();
            if (m_p != m_e && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p != m_e && *m_p == '}')
                continue;
            return QStringLiteral("expected , or } after the label %1 of %2").arg(label, s.name);
        }
    }

    // Into the current family when the name fits it, else into a new untyped one.
    QString place(PrometheusText::Sample s)
    {
        if (!m_families.isEmpty() && belongsTo(s.name, m_families.back())) {
            m_families.back().samples.append(std::move(s));
            return {};
        }
        if (const auto owner = m_owner.constFind(s.name); owner != m_owner.cend()) {
            const PrometheusText::Family &f = m_families[*owner];
            if (*owner == m_families.size() - 1)
                return QStringLiteral("%1 is no sample name of the %2 %3")
                    .arg(s.name, QString::fromLatin1(PrometheusText::typeName(f.type)), f.name);
            return QStringLiteral("%1 after other families (the lines of %2 must be one group, "
                                  "first seen on line %3)")
                .arg(s.name, f.name)
                .arg(m_firstLine.value(*owner));
        }
        startFamily(s.name);
        m_families.back().samples.append(std::move(s));
        return {};
    }

    QList<PrometheusText::Family> &m_families;
    QHash<QString, qsizetype> m_owner; // sample or family name -> index of its family
    QHash<qsizetype, int> m_firstLine; // family index -> line it started on
    bool m_hasHelp = false;            // of the current (last) family
    bool m_hasType = false;
    const char *m_p = nullptr;
    const char *m_e = nullptr;
    int m_line = 0;
};

struct Bucket {
    double le;
    double count;
    int line;
};

struct HistogramSeries {
    QString labels;
    QList<Bucket> buckets;
    std::optional<double> count;
    bool hasSum = false;
};

QString formatNumber(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(v, 'g', 17);
}

} // namespace

std::optional<QString> PrometheusText::Sample::label(const QString &labelName) const
{
    for (const auto &[n, v] : labels) {
        if (n == labelName)
            return v;
    }
    return std::nullopt;
}

Result<PrometheusText> PrometheusText::parse(QByteArrayView text, const QString &source)
{
    PrometheusText result;
    Parser parser(result.m_families);
    qsizetype start = 0;
    int number = 0;
    while (start < text.size()) {
        ++number;
        const void *nl = std::memchr(text.data() + start, '\n', size_t(text.size() - start));
        const qsizetype end =
            nl ? qsizetype(static_cast<const char *>(nl) - text.data()) : text.size();
        const QString problem = parser.line(text.sliced(start, end - start), number);
        if (!problem.isEmpty())
            return invalidInput(QStringLiteral("%1:%2: %3").arg(source).arg(number).arg(problem));
        start = end + 1;
    }
    return result;
}

const PrometheusText::Family *PrometheusText::family(const QString &name) const
{
    for (const Family &f : m_families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

const PrometheusText::Sample *PrometheusText::sample(const QString &name,
                                                     const Labels &labels) const
{
    Labels wanted = labels;
    std::sort(wanted.begin(), wanted.end());
    for (const Family &f : m_families) {
        for (const Sample &s : f.samples) {
            if (s.name != name || s.labels.size() != wanted.size())
                continue;
            Labels have = s.labels;
            std::sort(have.begin(), have.end());
            if (have == wanted)
                return &s;
        }
    }
    return nullptr;
}

QStringList PrometheusText::histogramProblems() const
{
    QStringList problems;

    QHash<QString, int> seen; // name{sorted labels} -> line
    for (const Family &f : m_families) {
        for (const Sample &s : f.samples) {
            Labels sorted = s.labels;
            std::sort(sorted.begin(), sorted.end());
            const QString key = s.name + labelsText(sorted);
            const auto it = seen.constFind(key);
            if (it != seen.cend())
                problems << QStringLiteral("%1: the same series on lines %2 and %3")
                                .arg(key)
                                .arg(*it)
                                .arg(s.line);
            else
                seen.insert(key, s.line);
        }
    }

    for (const Family &f : m_families) {
        if (f.type != Type::Histogram)
            continue;
        QList<HistogramSeries> series;
        QHash<QString, qsizetype> index;
        const auto seriesOf = [&](const Sample &s) -> HistogramSeries & {
            Labels rest;
            for (const auto &pair : s.labels) {
                if (pair.first != QLatin1String("le"))
                    rest.append(pair);
            }
            std::sort(rest.begin(), rest.end());
            const QString key = labelsText(rest);
            auto it = index.constFind(key);
            if (it == index.cend()) {
                it = index.insert(key, series.size());
                series.append(HistogramSeries{key, {}, std::nullopt, false});
            }
            return series[*it];
        };
        for (const Sample &s : f.samples) {
            HistogramSeries &h = seriesOf(s);
            if (s.name.endsWith(QLatin1String("_bucket"))) {
                const std::optional<QString> le = s.label(QStringLiteral("le"));
                if (!le) {
                    problems << QStringLiteral("%1%2: a bucket without le on line %3")
                                    .arg(f.name, h.labels)
                                    .arg(s.line);
                    continue;
                }
                const std::optional<double> bound = parseDouble(le->toUtf8());
                if (!bound) {
                    problems << QStringLiteral("%1%2: le=\"%3\" on line %4 is not a number")
                                    .arg(f.name, h.labels, *le)
                                    .arg(s.line);
                    continue;
                }
                h.buckets.append(Bucket{*bound, s.value, s.line});
            } else if (s.name.endsWith(QLatin1String("_sum"))) {
                h.hasSum = true;
            } else {
                h.count = s.value;
            }
        }
        for (const HistogramSeries &h : series) {
            const QString what = f.name + h.labels;
            std::optional<double> inf;
            for (qsizetype i = 0; i < h.buckets.size(); ++i) {
                const Bucket &b = h.buckets[i];
                if (std::isinf(b.le) && b.le > 0)
                    inf = b.count;
                if (i == 0)
                    continue;
                const Bucket &prev = h.buckets[i - 1];
                if (!(prev.le < b.le))
                    problems << QStringLiteral("%1: bucket le=%2 on line %3 follows le=%4 (the "
                                               "bounds must ascend strictly)")
                                    .arg(what, formatNumber(b.le))
                                    .arg(b.line)
                                    .arg(formatNumber(prev.le));
                if (b.count < prev.count)
                    problems << QStringLiteral("%1: bucket le=%2 on line %3 counts %4, less than "
                                               "%5 in le=%6 (buckets are cumulative)")
                                    .arg(what, formatNumber(b.le))
                                    .arg(b.line)
                                    .arg(formatNumber(b.count), formatNumber(prev.count),
                                         formatNumber(prev.le));
            }
            if (!inf)
                problems << QStringLiteral("%1: no +Inf bucket").arg(what);
            if (!h.count)
                problems << QStringLiteral("%1: no _count").arg(what);
            if (inf && h.count && !(*inf == *h.count))
                problems << QStringLiteral("%1: the +Inf bucket counts %2 but _count is %3")
                                .arg(what, formatNumber(*inf), formatNumber(*h.count));
            if (!h.hasSum)
                problems << QStringLiteral("%1: no _sum").arg(what);
        }
    }
    return problems;
}

const char *PrometheusText::typeName(Type type)
{
    switch (type) {
    case Type::Counter:
        return "counter";
    case Type::Gauge:
        return "gauge";
    case Type::Histogram:
        return "histogram";
    case Type::Summary:
        return "summary";
    case Type::Untyped:
        break;
    }
    return "untyped";
}

QString PrometheusText::labelsText(const Labels &labels)
{
    if (labels.isEmpty())
        return {};
    QString out = QStringLiteral("{");
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(',');
        out += labels[i].first + QStringLiteral("=\"") + escapeLabelValue(labels[i].second) +
               QLatin1Char('"');
    }
    return out + QLatin1Char('}');
}

} // namespace mlwb
