// SPDX-License-Identifier: MIT
#include "monitor/monitor_view.h"

#include "monitor/histogram_quantile.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const QString kRequests = QStringLiteral("mlwb_agent_requests_total");
const QString kErrors = QStringLiteral("mlwb_agent_request_errors_total");
const QString kRows = QStringLiteral("mlwb_agent_rows_total");
const QString kDuration = QStringLiteral("mlwb_agent_request_duration_seconds_bucket");
const QString kInputBucket = QStringLiteral("mlwb_agent_input_value_bucket");
const QString kInputMissing = QStringLiteral("mlwb_agent_input_missing_total");
const QString kInputCategory = QStringLiteral("mlwb_agent_input_category_total");
const QString kPredictionClass = QStringLiteral("mlwb_agent_prediction_total");
const QString kPredictionBucket = QStringLiteral("mlwb_agent_prediction_value_bucket");

double parseLe(const QString &text)
{
    if (text == QLatin1String("+Inf"))
        return std::numeric_limits<double>::infinity();
    bool ok = false;
    const double v = text.toDouble(&ok);
    return ok ? v : kNaN;
}

} // namespace

double MonitorView::Distribution::total() const
{
    double t = below + above + missing;
    for (double b : bins)
        t += b;
    for (double c : categories)
        t += c;
    return t;
}

MonitorView::MonitorView(qint64 fromMs, qint64 toMs, int slots)
    : m_from(fromMs), m_to(std::max(toMs, fromMs + 1)), m_slots(std::max(1, slots)),
      m_slotMs(std::max<qint64>(1, (m_to - m_from + m_slots - 1) / m_slots))
{
}

MonitorView::Labels MonitorView::parseLabels(const QString &canonical)
{
    Labels labels;
    if (canonical.isEmpty())
        return labels;
    if (!canonical.startsWith(QLatin1Char('{')) || !canonical.endsWith(QLatin1Char('}')))
        return {};
    qsizetype i = 1;
    const qsizetype end = canonical.size() - 1;
    while (i < end) {
        const qsizetype eq = canonical.indexOf(QLatin1Char('='), i);
        if (eq < 0 || eq + 1 >= end || canonical[eq + 1] != QLatin1Char('"'))
            return {};
        const QString name = canonical.mid(i, eq - i);
        QString value;
        qsizetype j = eq + 2;
        for (; j < end; ++j) {
            const QChar c = canonical[j];
            if (c == QLatin1Char('\\') && j + 1 < end) {
                const QChar n = canonical[++j];
                value += n == QLatin1Char('n') ? QChar(QLatin1Char('\n')) : n;
            } else if (c == QLatin1Char('"')) {
                break;
            } else {
                value += c;
            }
        }
        if (j >= end)
            return {};
        labels.append({name, value});
        i = j + 1;
        if (i < end && canonical[i] == QLatin1Char(','))
            ++i;
    }
    return labels;
}

QString MonitorView::Series::label(const QString &key) const
{
    for (const auto &[k, v] : labels) {
        if (k == key)
            return v;
    }
    return QString();
}

int MonitorView::slotOf(qint64 tMs) const
{
    // A point ending at t covers time before t: slot i holds (from + i*slot, from + (i+1)*slot].
    if (tMs <= m_from || tMs > m_to)
        return -1;
    return int(std::min<qint64>(m_slots - 1, (tMs - m_from - 1) / m_slotMs));
}

void MonitorView::addSeries(const QString &name, const QString &canonicalLabels, MetricSnapshot::Kind kind,
                            const QList<Point> &points)
{
    addSeries(name, parseLabels(canonicalLabels), kind, points);
}

void MonitorView::addSeries(const QString &name, const Labels &labels, MetricSnapshot::Kind kind,
                            const QList<Point> &points)
{
    Series s{name, labels, kind, std::vector<double>(m_slots, kind == MetricSnapshot::Kind::Gauge ? kNaN : 0.0), 0.0};
    if (kind == MetricSnapshot::Kind::Gauge)
        s.total = kNaN;
    qint64 lastT = std::numeric_limits<qint64>::min();
    for (const Point &p : points) {
        const int slot = slotOf(p.tMs);
        if (slot < 0)
            continue;
        m_spans.emplace(p.tMs, p.spanMs);
        if (kind == MetricSnapshot::Kind::Delta) {
            s.slots[slot] += p.value; // NaN stays NaN: an unknown increase is not zero
            s.total += p.value;
        } else {
            s.slots[slot] = p.value;
            if (p.tMs >= lastT) {
                s.total = p.value;
                lastT = p.tMs;
            }
        }
    }
    m_series.push_back(std::move(s));
}

void MonitorView::addPolls(const QList<Poll> &polls)
{
    for (const Poll &p : polls) {
        if (p.tMs >= m_from && p.tMs <= m_to)
            m_polls.append(p);
    }
    std::sort(m_polls.begin(), m_polls.end(), [](const Poll &a, const Poll &b) { return a.tMs < b.tMs; });
}

QStringList MonitorView::models() const
{
    QSet<QString> set;
    for (const Series &s : m_series) {
        const QString m = s.label(QStringLiteral("model"));
        if (!m.isEmpty())
            set.insert(m);
    }
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

QStringList MonitorView::versions(const QString &model) const
{
    QSet<QString> set;
    for (const Series &s : m_series) {
        if (s.label(QStringLiteral("model")) == model) {
            const QString v = s.label(QStringLiteral("version"));
            if (!v.isEmpty())
                set.insert(v);
        }
    }
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

std::vector<const MonitorView::Series *> MonitorView::select(const QString &name, const QString &model,
                                                             const QString &version) const
{
    std::vector<const Series *> out;
    for (const Series &s : m_series) {
        if (s.name != name)
            continue;
        const QString m = s.label(QStringLiteral("model"));
        // Every model: requests that named none (a bad path) count too.
        if (!model.isEmpty() && m != model)
            continue;
        if (!version.isEmpty() && s.label(QStringLiteral("version")) != version)
            continue;
        out.push_back(&s);
    }
    return out;
}

std::vector<double> MonitorView::coveredSeconds() const
{
    std::vector<double> covered(m_slots, 0.0);
    for (const auto &[t, span] : m_spans) {
        const int slot = slotOf(t);
        if (slot >= 0)
            covered[slot] += double(span) / 1000.0;
    }
    return covered;
}

std::vector<double> MonitorView::throughput(const QString &model) const
{
    const std::vector<double> covered = coveredSeconds();
    std::vector<double> out(m_slots, 0.0);
    for (const Series *s : select(kRequests, model)) {
        for (int i = 0; i < m_slots; ++i)
            out[i] += s->slots[i];
    }
    for (int i = 0; i < m_slots; ++i)
        out[i] = covered[i] > 0 ? out[i] / covered[i] : kNaN;
    return out;
}

std::vector<double> MonitorView::errorRate(const QString &model) const
{
    const std::vector<double> covered = coveredSeconds();
    std::vector<double> requests(m_slots, 0.0), errors(m_slots, 0.0);
    for (const Series *s : select(kRequests, model)) {
        for (int i = 0; i < m_slots; ++i)
            requests[i] += s->slots[i];
    }
    for (const Series *s : select(kErrors, model)) {
        for (int i = 0; i < m_slots; ++i)
            errors[i] += s->slots[i];
    }
    std::vector<double> out(m_slots, kNaN);
    for (int i = 0; i < m_slots; ++i) {
        if (covered[i] > 0 && requests[i] > 0)
            out[i] = errors[i] / requests[i];
    }
    return out;
}

std::map<double, std::vector<double>> MonitorView::buckets(const QString &name, const QString &model,
                                                           const QString &version, const QString &feature) const
{
    std::map<double, std::vector<double>> byLe; // each: one per slot, then the range's total
    for (const Series *s : select(name, model, version)) {
        if (!feature.isNull() && s->label(QStringLiteral("feature")) != feature)
            continue;
        const double le = parseLe(s->label(QStringLiteral("le")));
        if (std::isnan(le))
            continue;
        std::vector<double> &row = byLe[le];
        if (row.empty())
            row.assign(m_slots + 1, 0.0);
        for (int i = 0; i < m_slots; ++i)
            row[i] += s->slots[i];
        row[m_slots] += s->total;
    }
    return byLe;
}

std::vector<double> MonitorView::latencyMs(double q, const QString &model) const
{
    const auto byLe = buckets(kDuration, model, {}, QString());
    const std::vector<double> covered = coveredSeconds();
    std::vector<double> out(m_slots, kNaN);
    if (byLe.empty())
        return out;
    std::vector<double> bounds;
    for (const auto &[le, row] : byLe) {
        if (std::isfinite(le))
            bounds.push_back(le);
    }
    std::vector<double> cumulative(bounds.size() + 1);
    for (int i = 0; i < m_slots; ++i) {
        if (!(covered[i] > 0))
            continue;
        std::size_t k = 0;
        for (const auto &[le, row] : byLe)
            cumulative[k++] = row[i];
        if (k != cumulative.size()) // no +Inf bucket: not a histogram we can read
            continue;
        out[i] = HistogramQuantile::quantile(q, bounds, cumulative) * 1000.0;
    }
    return out;
}

MonitorView::Totals MonitorView::totals(const QString &model, const QString &version) const
{
    Totals t;
    for (const auto &[at, span] : m_spans)
        t.coveredSeconds += double(span) / 1000.0;
    for (const Series *s : select(kRequests, model, version)) {
        t.requests += s->total;
        t.byStatus[s->label(QStringLiteral("status"))] += s->total;
    }
    for (const Series *s : select(kErrors, model, version))
        t.errors += s->total;
    for (const Series *s : select(kRows, model, version))
        t.rows += s->total;
    t.throughputRps = t.coveredSeconds > 0 ? t.requests / t.coveredSeconds : kNaN;
    t.errorRate = t.requests > 0 ? t.errors / t.requests : kNaN;

    const auto byLe = buckets(kDuration, model, version, QString());
    std::vector<double> bounds, cumulative;
    for (const auto &[le, row] : byLe) {
        if (std::isfinite(le))
            bounds.push_back(le);
        cumulative.push_back(row[m_slots]);
    }
    t.p50Ms = HistogramQuantile::quantile(0.50, bounds, cumulative) * 1000.0;
    t.p95Ms = HistogramQuantile::quantile(0.95, bounds, cumulative) * 1000.0;
    t.p99Ms = HistogramQuantile::quantile(0.99, bounds, cumulative) * 1000.0;
    return t;
}

QStringList MonitorView::features(const QString &model, const QString &version) const
{
    QStringList out;
    QSet<QString> seen;
    for (const QString &name : {kInputBucket, kInputCategory, kInputMissing}) {
        for (const Series *s : select(name, model, version)) {
            const QString f = s->label(QStringLiteral("feature"));
            if (!f.isEmpty() && !seen.contains(f)) {
                seen.insert(f);
                out.append(f);
            }
        }
    }
    return out;
}

MonitorView::Distribution MonitorView::histogramDistribution(const QString &name, const QString &model,
                                                             const QString &version, const QString &feature) const
{
    Distribution d;
    const auto byLe = buckets(name, model, version, feature);
    double previous = 0.0;
    bool first = true;
    for (const auto &[le, row] : byLe) {
        const double cumulative = row[m_slots];
        const double count = cumulative - previous;
        previous = cumulative;
        if (std::isinf(le)) {
            d.above = count;
        } else {
            d.bounds.push_back(le);
            if (first)
                d.below = count;
            else
                d.bins.push_back(count);
        }
        first = false;
    }
    return d;
}

MonitorView::Distribution MonitorView::feature(const QString &model, const QString &version, const QString &feature) const
{
    Distribution d = histogramDistribution(kInputBucket, model, version, feature);
    for (const Series *s : select(kInputCategory, model, version)) {
        if (s->label(QStringLiteral("feature")) == feature)
            d.categories[s->label(QStringLiteral("category"))] += s->total;
    }
    for (const Series *s : select(kInputMissing, model, version)) {
        if (s->label(QStringLiteral("feature")) == feature)
            d.missing += s->total;
    }
    return d;
}

MonitorView::Distribution MonitorView::prediction(const QString &model, const QString &version) const
{
    Distribution d = histogramDistribution(kPredictionBucket, model, version, QString());
    for (const Series *s : select(kPredictionClass, model, version))
        d.categories[s->label(QStringLiteral("class"))] += s->total;
    return d;
}

int MonitorView::failedPolls() const
{
    return int(std::count_if(m_polls.begin(), m_polls.end(), [](const Poll &p) { return !p.ok; }));
}

int MonitorView::resets() const
{
    return int(std::count_if(m_polls.begin(), m_polls.end(), [](const Poll &p) { return p.reset; }));
}

qint64 MonitorView::lastOkMs() const
{
    for (auto it = m_polls.rbegin(); it != m_polls.rend(); ++it) {
        if (it->ok)
            return it->tMs;
    }
    return m_spans.empty() ? 0 : m_spans.rbegin()->first;
}

} // namespace mlwb
