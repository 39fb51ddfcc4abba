// SPDX-License-Identifier: MIT
#include "monitor/alert_evaluator.h"

#include "monitor/feature_drift.h"
#include "monitor/monitor_baselines.h"
#include "monitor/monitor_view.h"
#include "store/alert_repository.h"
#include "store/database.h"

#include <QDateTime>
#include <QTimeZone>
#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <cmath>
#include <limits>

namespace mlwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr qint64 kMinute = 60'000;

QString number(double v) { return QString::number(v, 'g', 4); }

bool perVersion(const QString &metric)
{
    return metric == QLatin1String("error_rate") || metric == QLatin1String("latency_p99_ms")
           || metric == QLatin1String("drift");
}

AlertRuleRecord rule(qint64 targetId, const QString &model, const QString &metric, const QString &op, double threshold,
                     qint64 forMs, const QString &feature = {}, const QString &statistic = {})
{
    AlertRuleRecord r;
    r.targetId = targetId;
    r.model = model;
    r.metric = metric;
    r.feature = feature;
    r.statistic = statistic;
    r.op = op;
    r.threshold = threshold;
    r.forMs = forMs;
    r.enabled = true;
    r.origin = QStringLiteral("default");
    return r;
}

} // namespace

QList<AlertRuleRecord> AlertEvaluator::defaultRules(qint64 targetId, const QString &model, const QJsonObject &baseline,
                                                    std::optional<double> checkP99Ms)
{
    QList<AlertRuleRecord> rules;
    const double rows = baseline.value(QLatin1String("rows")).toDouble();
    const FeatureDrift::Thresholds defaults;
    for (const QJsonValue &v : baseline.value(QLatin1String("features")).toArray()) {
        const QJsonObject f = v.toObject();
        const bool numeric = f.value(QLatin1String("kind")).toString() == QLatin1String("numeric");
        const FeatureDrift::Statistic s = FeatureDrift::defaultStatistic(numeric, rows);
        rules.append(rule(targetId, model, QStringLiteral("drift"), FeatureDrift::driftBelow(s) ? QStringLiteral("<") : QStringLiteral(">"),
                          FeatureDrift::threshold(s, defaults), 0, f.value(QLatin1String("name")).toString(), FeatureDrift::name(s)));
    }
    rules.append(rule(targetId, model, QStringLiteral("error_rate"), QStringLiteral(">"), 0.01, 5 * kMinute));
    rules.append(rule(targetId, model, QStringLiteral("latency_p99_ms"), QStringLiteral(">"), checkP99Ms.value_or(0.0) + 1.0,
                      5 * kMinute));
    rules.append(rule(targetId, model, QStringLiteral("no_traffic_minutes"), QStringLiteral(">"), 10, 0));
    rules.append(rule(targetId, model, QStringLiteral("unreachable_minutes"), QStringLiteral(">"), 5, 0));
    return rules;
}

Status AlertEvaluator::ensureDefaults(Database &db, MonitorBaselines &baselines, qint64 targetId,
                                      const QList<std::pair<QString, QString>> &modelVersions)
{
    AlertRepository alerts(db);
    Result<QList<AlertRuleRecord>> existing = alerts.rules(targetId);
    if (!existing)
        return existing.failure();
    QSet<QString> covered;
    for (const AlertRuleRecord &r : *existing)
        covered.insert(r.model);
    for (const auto &[model, version] : modelVersions) {
        if (covered.contains(model))
            continue;
        Result<MonitorBaselines::Entry> entry = baselines.get(model, version);
        const QJsonObject baseline = entry ? entry->baseline : QJsonObject();
        const std::optional<double> p99 = entry ? entry->checkP99Ms() : std::nullopt;
        for (const AlertRuleRecord &r : defaultRules(targetId, model, baseline, p99)) {
            if (r.metric == QLatin1String("latency_p99_ms") && !p99)
                continue; // no check figure to start from: the user sets one
            if (Result<qint64> id = alerts.addRule(r); !id)
                return id.failure().reworded(QStringLiteral("the default alert rules of %1: %2").arg(model, id.error()));
        }
        covered.insert(model);
    }
    return {};
}

qint64 AlertEvaluator::windowMs(const AlertRuleRecord &rule)
{
    qint64 least = rule.metric == QLatin1String("drift") ? 60 * kMinute : 5 * kMinute;
    // A figure in minutes (no traffic, unreachable) can only be as long as the window it is read
    // over: the window reaches past the threshold, or the rule could never fire.
    const bool minutes = rule.metric == QLatin1String("no_traffic_minutes") || rule.metric == QLatin1String("unreachable_minutes");
    if (minutes && std::isfinite(rule.threshold) && rule.threshold > 0)
        least = std::max(least, qint64(std::ceil(std::min(rule.threshold, 90.0 * 24 * 60) * double(kMinute))) + 5 * kMinute);
    return std::max(least, rule.forMs);
}

double AlertEvaluator::figure(const AlertRuleRecord &rule, const MonitorView &view, const QString &version,
                              MonitorBaselines &baselines, qint64 nowMs, qint64 intervalMs, QString *detail)
{
    const QString &metric = rule.metric;
    if (metric == QLatin1String("unreachable_minutes")) {
        // Since the last poll that answered; a target never reached in the window counts from its start.
        const qint64 lastOk = view.lastOkMs();
        if (view.polls().isEmpty() && lastOk == 0)
            return kNaN; // not watched at all in the window: nothing is known
        const qint64 since = lastOk > 0 ? lastOk : view.fromMs();
        // Within two intervals is simply the next poll being due.
        const double minutes = double(nowMs - since) / kMinute;
        return nowMs - since <= 2 * intervalMs ? 0.0 : minutes;
    }
    // Every other figure needs the agent to have answered lately.
    if (view.lastOkMs() == 0 || nowMs - view.lastOkMs() > 2 * intervalMs + 1000) {
        if (detail)
            *detail = QStringLiteral("the target has not answered since %1")
                          .arg(view.lastOkMs() ? QDateTime::fromMSecsSinceEpoch(view.lastOkMs(), Qt::UTC).toString(Qt::ISODate)
                                               : QStringLiteral("the window began"));
        return kNaN;
    }
    if (metric == QLatin1String("error_rate")) {
        const MonitorView::Totals t = view.totals(rule.model, version);
        if (detail)
            *detail = QStringLiteral("%1 errors in %2 requests").arg(t.errors).arg(t.requests);
        return t.errorRate;
    }
    if (metric == QLatin1String("latency_p99_ms")) {
        const MonitorView::Totals t = view.totals(rule.model, version);
        if (detail)
            *detail = QStringLiteral("over %1 requests").arg(t.requests);
        return t.requests > 0 ? t.p99Ms : kNaN;
    }
    if (metric == QLatin1String("throughput_rps"))
        return view.totals(rule.model, version).throughputRps;
    if (metric == QLatin1String("no_traffic_minutes")) {
        const std::vector<double> rps = view.throughput(rule.model);
        for (int i = view.slots() - 1; i >= 0; --i) {
            if (std::isnan(rps[i]))
                continue;
            if (rps[i] > 0)
                return std::max(0.0, double(nowMs - view.slotEndMs(i)) / kMinute);
        }
        return double(nowMs - view.fromMs()) / kMinute; // none in the whole window: at least this long
    }
    if (metric == QLatin1String("drift")) {
        Result<MonitorBaselines::Entry> entry = baselines.get(rule.model, version);
        if (!entry) {
            if (detail)
                *detail = entry.error();
            return kNaN;
        }
        const QJsonObject baseline = entry->feature(rule.feature);
        if (baseline.isEmpty()) {
            if (detail)
                *detail = QStringLiteral("the package has no feature %1").arg(rule.feature);
            return kNaN;
        }
        FeatureDrift::Thresholds t;
        t.statistic = FeatureDrift::fromName(rule.statistic);
        if (t.statistic) {
            switch (*t.statistic) {
            case FeatureDrift::Statistic::Psi: t.psi = rule.threshold; break;
            case FeatureDrift::Statistic::Ks: t.ksP = rule.threshold; break;
            case FeatureDrift::Statistic::Wasserstein: t.wasserstein = rule.threshold; break;
            case FeatureDrift::Statistic::JensenShannon: t.jensenShannon = rule.threshold; break;
            case FeatureDrift::Statistic::ChiSquared: t.chiSquaredP = rule.threshold; break;
            }
        }
        Result<FeatureDrift::Figures> f =
            FeatureDrift::compute(baseline, entry->rows(), view.feature(rule.model, version, rule.feature), t);
        if (!f) {
            if (detail)
                *detail = f.error();
            return kNaN;
        }
        if (f->level == FeatureDrift::Level::NotEnoughData) {
            if (detail)
                *detail = QStringLiteral("%1 rows, fewer than %2").arg(f->rows).arg(t.minRows);
            return kNaN;
        }
        if (detail)
            *detail = QStringLiteral("%1 = %2 over %3 rows").arg(FeatureDrift::name(f->statistic), number(f->value)).arg(f->rows);
        return f->value;
    }
    if (detail)
        *detail = QStringLiteral("unknown metric %1").arg(metric);
    return kNaN;
}

Result<QList<AlertEvaluator::Finding>> AlertEvaluator::evaluate(
    const QList<AlertRuleRecord> &rules, qint64 nowMs, qint64 intervalMs,
    const std::function<Result<MonitorView>(qint64, qint64)> &viewFor, MonitorBaselines &baselines)
{
    QList<Finding> findings;
    QMap<qint64, MonitorView> views; // by window length: one read per distinct window
    for (const AlertRuleRecord &r : rules) {
        if (!r.enabled)
            continue;
        const qint64 w = windowMs(r);
        auto it = views.find(w);
        if (it == views.end()) {
            Result<MonitorView> v = viewFor(nowMs - w, nowMs);
            if (!v)
                return v.failure();
            it = views.insert(w, std::move(*v));
        }
        const MonitorView &view = *it;
        QStringList versions{QString()};
        if (perVersion(r.metric)) {
            versions = view.versions(r.model);
            if (versions.isEmpty())
                versions = {QString()};
        }
        for (const QString &version : versions) {
            Finding f;
            f.rule = r;
            f.version = version;
            QString detail;
            f.value = figure(r, view, version, baselines, nowMs, intervalMs, &detail);
            f.known = !std::isnan(f.value);
            f.holds = f.known && (r.op == QLatin1String(">") ? f.value > r.threshold : f.value < r.threshold);
            const QString what = r.metric == QLatin1String("drift") ? QStringLiteral("%1 drift (%2)").arg(r.feature, r.statistic) : r.metric;
            f.message = QStringLiteral("%1%2: %3 %4 %5 %6%7")
                            .arg(r.model, version.isEmpty() ? QString() : QLatin1Char(' ') + version, what,
                                 f.known ? number(f.value) : QStringLiteral("unknown"), r.op, number(r.threshold),
                                 detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail));
            findings.append(f);
        }
    }
    return findings;
}

Result<QList<AlertEvaluator::Change>> AlertEvaluator::apply(Database &db, qint64 targetId, const QList<Finding> &findings,
                                                            qint64 nowMs)
{
    AlertRepository alerts(db);
    Result<QList<AlertRecord>> active = alerts.active(targetId);
    if (!active)
        return active.failure();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    QList<Change> changes;
    for (const Finding &f : findings) {
        const AlertRecord *firing = nullptr;
        for (const AlertRecord &a : *active) {
            if (a.ruleId == f.rule.id && a.version == f.version)
                firing = &a;
        }
        if (f.holds && !firing) {
            Result<qint64> id = alerts.fire(f.rule.id, f.rule.model, f.version, now, f.value, f.message);
            if (!id)
                return id.failure();
            AlertRecord a;
            a.id = *id;
            a.ruleId = f.rule.id;
            a.targetId = targetId;
            a.model = f.rule.model;
            a.version = f.version;
            a.firedAt = now;
            a.value = f.value;
            a.message = f.message;
            changes.append({a, true});
        } else if (firing && f.known && !f.holds) {
            if (Status s = alerts.clear(firing->id, now); !s)
                return s.failure();
            AlertRecord a = *firing;
            a.clearedAt = now;
            changes.append({a, false});
        }
    }
    return changes;
}

} // namespace mlwb
