// SPDX-License-Identifier: MIT
#include "serve/metric_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace mlwb {

namespace {

const char *typeName(MetricRegistry::Type type)
{
    switch (type) {
    case MetricRegistry::Type::Counter:
        return "counter";
    case MetricRegistry::Type::Gauge:
        return "gauge";
    case MetricRegistry::Type::Histogram:
        return "histogram";
    }
    return "untyped";
}

// The names the family's samples carry: two families must never share one.
QStringList sampleNames(const QString &name, MetricRegistry::Type type)
{
    if (type == MetricRegistry::Type::Histogram)
        return {name + QStringLiteral("_bucket"), name + QStringLiteral("_sum"),
                name + QStringLiteral("_count")};
    return {name};
}

bool isNameChar(QChar c, bool first, bool colon)
{
    const char16_t u = c.unicode();
    if ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || u == u'_')
        return true;
    if (colon && u == u':')
        return true;
    return !first && u >= u'0' && u <= u'9';
}

// name{a="x",b="y"} (extra: one more label after the family's, the histogram's le).
void writeSeriesName(QByteArray &out, const QByteArray &name, const QStringList &labelNames,
                     const QStringList &labelValues, const char *extraName = nullptr,
                     const QByteArray &extraValue = {})
{
    out += name;
    if (labelNames.isEmpty() && !extraName)
        return;
    out += '{';
    for (qsizetype i = 0; i < labelNames.size(); ++i) {
        if (i > 0)
            out += ',';
        out += labelNames[i].toUtf8();
        out += "=\"";
        out += MetricRegistry::escapeLabelValue(labelValues[i]);
        out += '"';
    }
    if (extraName) {
        if (!labelNames.isEmpty())
            out += ',';
        out += extraName;
        out += "=\"";
        out += extraValue;
        out += '"';
    }
    out += '}';
}

void writeHeader(QByteArray &out, const MetricRegistry::FamilyBase &family)
{
    const QByteArray name = family.name().toUtf8();
    out += "# HELP " + name + ' ' + MetricRegistry::escapeHelp(family.help()) + '\n';
    out += "# TYPE " + name + ' ' + typeName(family.type()) + '\n';
}

void writeSeries(QByteArray &out, const MetricRegistry::FamilyBase &family,
                 const QStringList &labelValues, const MetricRegistry::Counter &series)
{
    writeSeriesName(out, family.name().toUtf8(), family.labelNames(), labelValues);
    out += ' ' + MetricRegistry::formatValue(series.value()) + '\n';
}

void writeSeries(QByteArray &out, const MetricRegistry::FamilyBase &family,
                 const QStringList &labelValues, const MetricRegistry::Gauge &series)
{
    writeSeriesName(out, family.name().toUtf8(), family.labelNames(), labelValues);
    out += ' ' + MetricRegistry::formatValue(series.value()) + '\n';
}

void writeSeries(QByteArray &out, const MetricRegistry::FamilyBase &family,
                 const QStringList &labelValues, const MetricRegistry::Histogram &series)
{
    const QByteArray name = family.name().toUtf8();
    const MetricRegistry::Histogram::Snapshot s = series.snapshot();
    const std::vector<double> &bounds = series.upperBounds();
    const QByteArray bucket = name + "_bucket";
    for (size_t i = 0; i <= bounds.size(); ++i) {
        const QByteArray le =
            i < bounds.size() ? MetricRegistry::formatValue(bounds[i]) : QByteArrayLiteral("+Inf");
        writeSeriesName(out, bucket, family.labelNames(), labelValues, "le", le);
        out += ' ' + QByteArray::number(s.cumulative[i]) + '\n';
    }
    writeSeriesName(out, name + "_sum", family.labelNames(), labelValues);
    out += ' ' + MetricRegistry::formatValue(s.sum) + '\n';
    writeSeriesName(out, name + "_count", family.labelNames(), labelValues);
    out += ' ' + QByteArray::number(s.count) + '\n';
}

} // namespace

void MetricRegistry::Counter::inc(double amount)
{
    if (!(amount >= 0.0))
        return;
    m_value.fetch_add(amount, std::memory_order_relaxed);
}

MetricRegistry::Histogram::Histogram(const Config &config)
    : m_config(config), m_buckets(new std::atomic<quint64>[config.upperBounds->size() + 1])
{
    for (size_t i = 0; i <= m_config.upperBounds->size(); ++i)
        m_buckets[i].store(0, std::memory_order_relaxed);
}

void MetricRegistry::Histogram::observe(double value)
{
    const std::vector<double> &bounds = *m_config.upperBounds;
    // First bound with value <= bound; NaN compares false everywhere and lands in +Inf.
    const auto it = std::partition_point(bounds.begin(), bounds.end(),
                                         [value](double bound) { return !(value <= bound); });
    m_buckets[size_t(it - bounds.begin())].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

MetricRegistry::Histogram::Snapshot MetricRegistry::Histogram::snapshot() const
{
    Snapshot s;
    const size_t n = m_config.upperBounds->size() + 1;
    s.cumulative.resize(n);
    quint64 total = 0;
    for (size_t i = 0; i < n; ++i) {
        total += m_buckets[i].load(std::memory_order_relaxed);
        s.cumulative[i] = total;
    }
    s.count = total;
    s.sum = m_sum.load(std::memory_order_relaxed);
    return s;
}

bool MetricRegistry::FamilyBase::matchIndexes(const LabelMatch &match,
                                              std::vector<std::pair<int, QString>> &out) const
{
    out.clear();
    for (const auto &[label, value] : match) {
        const qsizetype index = m_labelNames.indexOf(label);
        if (index < 0)
            return false;
        out.emplace_back(int(index), value);
    }
    return true;
}

template <typename S> void MetricRegistry::Family<S>::render(QByteArray &out) const
{
    // Copy the handles, then read the atomics without holding the lock recorders take.
    std::vector<std::pair<QStringList, std::shared_ptr<S>>> series;
    {
        std::lock_guard lock(m_mutex);
        series.assign(m_series.begin(), m_series.end());
    }
    writeHeader(out, *this);
    for (const auto &[labelValues, s] : series)
        writeSeries(out, *this, labelValues, *s);
}

template class MetricRegistry::Family<MetricRegistry::Counter>;
template class MetricRegistry::Family<MetricRegistry::Gauge>;
template class MetricRegistry::Family<MetricRegistry::Histogram>;

Status MetricRegistry::checkNewFamily(const QString &name, const QStringList &labelNames,
                                      Type type) const
{
    if (!isValidMetricName(name))
        return invalidInput(QStringLiteral("\"%1\" is not a valid metric name").arg(name));
    for (qsizetype i = 0; i < labelNames.size(); ++i) {
        const QString &label = labelNames[i];
        if (!isValidLabelName(label))
            return invalidInput(
                QStringLiteral("metric %1: \"%2\" is not a valid label name").arg(name, label));
        if (labelNames.indexOf(label, i + 1) > 0)
            return invalidInput(QStringLiteral("metric %1: label %2 twice").arg(name, label));
        if (type == Type::Histogram && label == QLatin1String("le"))
            return invalidInput(
                QStringLiteral("histogram %1: the label le is its buckets' own").arg(name));
    }
    const QStringList mine = sampleNames(name, type);
    for (const auto &[otherName, other] : m_families) {
        const QStringList theirs = sampleNames(otherName, other->type());
        const bool clash = otherName == name ||
                           std::any_of(mine.begin(), mine.end(),
                                       [&theirs](const QString &n) { return theirs.contains(n); });
        if (clash)
            return conflict(
                QStringLiteral("metric %1: its samples would share names with metric %2")
                    .arg(name, otherName));
    }
    return {};
}

template <typename F> std::shared_ptr<F> MetricRegistry::insert(std::shared_ptr<F> family)
{
    m_families.emplace(family->name(), family);
    return family;
}

Result<std::shared_ptr<MetricRegistry::CounterFamily>>
MetricRegistry::addCounter(const QString &name, const QString &help, const QStringList &labelNames)
{
    std::lock_guard lock(m_mutex);
    if (Status ok = checkNewFamily(name, labelNames, Type::Counter); !ok)
        return ok.failure();
    return insert(
        std::make_shared<CounterFamily>(name, help, labelNames, Type::Counter, Counter::Config{}));
}

Result<std::shared_ptr<MetricRegistry::GaugeFamily>>
MetricRegistry::addGauge(const QString &name, const QString &help, const QStringList &labelNames)
{
    std::lock_guard lock(m_mutex);
    if (Status ok = checkNewFamily(name, labelNames, Type::Gauge); !ok)
        return ok.failure();
    return insert(
        std::make_shared<GaugeFamily>(name, help, labelNames, Type::Gauge, Gauge::Config{}));
}

Result<std::shared_ptr<MetricRegistry::HistogramFamily>>
MetricRegistry::addHistogram(const QString &name, const QString &help,
                             const QStringList &labelNames, std::vector<double> upperBounds)
{
    if (upperBounds.empty())
        return invalidInput(QStringLiteral("histogram %1: no bucket bounds").arg(name));
    if (Status ok = checkBounds(name, upperBounds); !ok)
        return ok.failure();
    std::lock_guard lock(m_mutex);
    if (Status ok = checkNewFamily(name, labelNames, Type::Histogram); !ok)
        return ok.failure();
    Histogram::Config config{std::make_shared<const std::vector<double>>(std::move(upperBounds))};
    return insert(std::make_shared<HistogramFamily>(name, help, labelNames, Type::Histogram,
                                                    std::move(config)));
}

Status MetricRegistry::checkBounds(const QString &name, const std::vector<double> &upperBounds)
{
    for (size_t i = 0; i < upperBounds.size(); ++i) {
        if (!std::isfinite(upperBounds[i]))
            return invalidInput(
                QStringLiteral("histogram %1: bound %2 is not finite (+Inf is always there)")
                    .arg(name, QString::fromLatin1(formatValue(upperBounds[i]))));
        if (i > 0 && !(upperBounds[i - 1] < upperBounds[i]))
            return invalidInput(
                QStringLiteral("histogram %1: bounds not strictly ascending (%2 after %3)")
                    .arg(name, QString::fromLatin1(formatValue(upperBounds[i])),
                         QString::fromLatin1(formatValue(upperBounds[i - 1]))));
    }
    return {};
}

bool MetricRegistry::removeFamily(const QString &name)
{
    std::lock_guard lock(m_mutex);
    return m_families.erase(name) > 0;
}

int MetricRegistry::removeSeries(const LabelMatch &match)
{
    std::vector<std::shared_ptr<FamilyBase>> families;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[name, family] : m_families)
            families.push_back(family);
    }
    int removed = 0;
    for (const auto &family : families)
        removed += family->removeMatching(match);
    return removed;
}

QByteArray MetricRegistry::render() const
{
    std::vector<std::shared_ptr<FamilyBase>> families;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[name, family] : m_families)
            families.push_back(family);
    }
    QByteArray out;
    for (const auto &family : families)
        family->render(out);
    return out;
}

QByteArray MetricRegistry::formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    // The shortest digits that read back to the same double. Plain to_chars would write 0.0001
    // as "1e-04"; a le label is matched as text in queries, so small numbers follow Go's client
    // ("0.0001", "0.00025", "5e-05": exponent below -4), and integers stay digits up to 1e21.
    char buffer[64];
    const auto sci =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    if (sci.ec != std::errc())
        return QByteArray::number(value, 'g', 17);
    const char *e = std::find(buffer, sci.ptr, 'e');
    int exponent = 0;
    if (e != sci.ptr)
        std::from_chars(e + (e[1] == '+' ? 2 : 1), sci.ptr, exponent);
    if (exponent < -4 || exponent >= 21)
        return QByteArray(buffer, sci.ptr - buffer);
    const auto fixed =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    if (fixed.ec != std::errc())
        return QByteArray::number(value, 'g', 17);
    return QByteArray(buffer, fixed.ptr - buffer);
}

QByteArray MetricRegistry::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray MetricRegistry::escapeHelp(const QString &help)
{
    const QByteArray utf8 = help.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

bool MetricRegistry::isValidMetricName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name[i], i == 0, true))
            return false;
    }
    return true;
}

bool MetricRegistry::isValidLabelName(const QString &name)
{
    if (name.isEmpty() || name.startsWith(QLatin1String("__")))
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name[i], i == 0, false))
            return false;
    }
    return true;
}

} // namespace mlwb
