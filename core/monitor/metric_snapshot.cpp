// SPDX-License-Identifier: MIT
#include "monitor/metric_snapshot.h"

#include "common/prometheus_text.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

namespace {

const QString kStartTime = QStringLiteral("mlwb_agent_start_time_seconds");

QString mapKey(const MetricSnapshot::Key &key) { return key.name + key.labels; }

} // namespace

QString MetricSnapshot::canonicalLabels(QList<std::pair<QString, QString>> labels)
{
    std::sort(labels.begin(), labels.end());
    return PrometheusText::labelsText(labels);
}

Result<MetricSnapshot> MetricSnapshot::fromText(QByteArrayView text, const QString &source, qint64 tMs)
{
    Result<PrometheusText> parsed = PrometheusText::parse(text, source);
    if (!parsed)
        return parsed.failure();
    return fromParsed(*parsed, tMs);
}

MetricSnapshot MetricSnapshot::fromParsed(const PrometheusText &text, qint64 tMs)
{
    MetricSnapshot snapshot(tMs);
    for (const PrometheusText::Family &family : text.families()) {
        if (!family.name.startsWith(QLatin1String("mlwb_agent_")))
            continue;
        const bool delta = family.type == PrometheusText::Type::Counter
                           || family.type == PrometheusText::Type::Histogram
                           || family.type == PrometheusText::Type::Summary;
        for (const PrometheusText::Sample &s : family.samples) {
            // A summary's quantiles are levels; its _sum and _count are counts.
            const bool level = family.type == PrometheusText::Type::Summary && s.name == family.name;
            snapshot.set(Key{s.name, canonicalLabels(s.labels)}, delta && !level ? Kind::Delta : Kind::Gauge,
                         s.value);
        }
    }
    return snapshot;
}

void MetricSnapshot::set(const Key &key, Kind kind, double value)
{
    m_values.insert(mapKey(key), {key, Value{kind, value}});
}

const MetricSnapshot::Value *MetricSnapshot::value(const Key &key) const
{
    const auto it = m_values.constFind(mapKey(key));
    return it == m_values.cend() ? nullptr : &it->second;
}

double MetricSnapshot::startTime() const
{
    const Value *v = value(Key{kStartTime, QString()});
    return v ? v->value : std::numeric_limits<double>::quiet_NaN();
}

QByteArray MetricSnapshot::toBytes() const
{
    // In key order, so the same snapshot always gives the same bytes.
    QStringList keys = m_values.keys();
    keys.sort();
    QByteArray out = "t\t" + QByteArray::number(m_tMs) + '\n';
    for (const QString &k : std::as_const(keys)) {
        const auto &[key, value] = *m_values.constFind(k);
        out += value.kind == Kind::Delta ? 'D' : 'G';
        out += '\t';
        out += key.name.toUtf8();
        out += '\t';
        out += key.labels.toUtf8();
        out += '\t';
        const double v = value.value;
        out += std::isnan(v) ? QByteArray("nan") : std::isinf(v) ? QByteArray(v > 0 ? "inf" : "-inf") : QByteArray::number(v, 'g', 17);
        out += '\n';
    }
    return out;
}

Result<MetricSnapshot> MetricSnapshot::fromBytes(const QByteArray &bytes)
{
    const QList<QByteArray> lines = bytes.split('\n');
    const auto bad = [](qsizetype line, const char *what) {
        return Error{QStringLiteral("the stored monitor snapshot, line %1: %2").arg(line + 1).arg(QLatin1String(what)), ErrorKind::Corrupt};
    };
    if (lines.isEmpty() || !lines[0].startsWith("t\t"))
        return bad(0, "no time line");
    bool ok = false;
    MetricSnapshot s(lines[0].mid(2).toLongLong(&ok));
    if (!ok)
        return bad(0, "the time is not a number");
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            continue;
        // KIND, name (never a tab), labels (a label value may hold one), value after the last tab.
        const QByteArray &l = lines[i];
        const qsizetype a = l.indexOf('\t');
        const qsizetype b = a < 0 ? -1 : l.indexOf('\t', a + 1);
        const qsizetype c = l.lastIndexOf('\t');
        if (a != 1 || b < 0 || c <= b || (l[0] != 'D' && l[0] != 'G'))
            return bad(i, "not KIND, name, labels and value");
        const QList<QByteArray> f{l.left(1), l.mid(a + 1, b - a - 1), l.mid(b + 1, c - b - 1), l.mid(c + 1)};
        double v = 0;
        if (f[3] == "nan")
            v = std::numeric_limits<double>::quiet_NaN();
        else if (f[3] == "inf")
            v = std::numeric_limits<double>::infinity();
        else if (f[3] == "-inf")
            v = -std::numeric_limits<double>::infinity();
        else {
            v = f[3].toDouble(&ok);
            if (!ok)
                return bad(i, "the value is not a number");
        }
        s.set(Key{QString::fromUtf8(f[1]), QString::fromUtf8(f[2])}, f[0] == "D" ? Kind::Delta : Kind::Gauge, v);
    }
    return s;
}

MetricSnapshot::Diff MetricSnapshot::diff(const MetricSnapshot &earlier, const MetricSnapshot &later)
{
    Diff d;
    d.tMs = later.m_tMs;
    d.spanMs = std::max<qint64>(0, later.m_tMs - earlier.m_tMs);

    // A restart shows first in the start time; a counter going down catches an agent whose start
    // time is missing or the same second (two restarts within one scrape interval).
    const double t0 = earlier.startTime();
    const double t1 = later.startTime();
    bool reset = !std::isnan(t0) && !std::isnan(t1) && t0 != t1;
    if (!reset) {
        for (const auto &[key, value] : later.m_values) {
            // A histogram's _sum goes down when it observes negative values: no sign of a restart.
            if (value.kind != Kind::Delta || key.name.endsWith(QLatin1String("_sum")))
                continue;
            const Value *before = earlier.value(key);
            if (before && before->value > value.value) { // NaN compares false: no reset
                reset = true;
                break;
            }
        }
    }
    d.reset = reset;

    d.changes.reserve(later.m_values.size());
    for (const auto &[key, value] : later.m_values) {
        if (value.kind == Kind::Gauge) {
            d.changes.append(Change{key, Kind::Gauge, value.value});
            continue;
        }
        const Value *before = earlier.value(key);
        const double increase = reset || !before ? value.value : value.value - before->value;
        d.changes.append(Change{key, Kind::Delta, increase});
    }
    return d;
}

} // namespace mlwb
