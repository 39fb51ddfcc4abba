// SPDX-License-Identifier: MIT
#include "monitor/monitor_summary.h"

#include "monitor/monitor_baselines.h"

#include <QDateTime>
#include <QTimeZone>
#include <QJsonArray>

#include <cmath>

namespace mlwb {

int MonitorSummary::Version::drifted() const
{
    int n = 0;
    for (const FeatureDrift::Figures &f : features)
        n += f.level == FeatureDrift::Level::Red;
    return n;
}

QJsonValue MonitorSummary::number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

MonitorSummary MonitorSummary::compute(const MonitorView &view, MonitorBaselines &baselines,
                                       const FeatureDrift::Thresholds &thresholds)
{
    MonitorSummary s;
    s.fromMs = view.fromMs();
    s.toMs = view.toMs();
    s.failedPolls = view.failedPolls();
    s.okPolls = int(view.polls().size()) - s.failedPolls;
    s.resets = view.resets();
    s.lastOkMs = view.lastOkMs();
    for (const QString &model : view.models()) {
        for (const QString &version : view.versions(model)) {
            Version v;
            v.model = model;
            v.version = version;
            v.totals = view.totals(model, version);
            Result<MonitorBaselines::Entry> entry = baselines.get(model, version);
            if (!entry) {
                v.baselineError = entry.error();
                s.versions.append(v);
                continue;
            }
            v.hasBaseline = true;
            v.runId = entry->runId;
            v.runName = entry->runName;
            const double rows = entry->rows();
            for (const QJsonValue &fv : entry->baseline.value(QLatin1String("features")).toArray()) {
                const QJsonObject f = fv.toObject();
                Result<FeatureDrift::Figures> figures =
                    FeatureDrift::compute(f, rows, view.feature(model, version, f.value(QLatin1String("name")).toString()), thresholds);
                if (figures)
                    v.features.append(*figures);
                else
                    v.problems << figures.error();
            }
            const QJsonObject prediction = entry->baseline.value(QLatin1String("prediction")).toObject();
            if (!prediction.isEmpty()) {
                Result<FeatureDrift::Figures> p = FeatureDrift::compute(prediction, rows, view.prediction(model, version), thresholds);
                if (p)
                    v.prediction = *p;
                else
                    v.problems << p.error();
            }
            s.versions.append(v);
        }
    }
    return s;
}

namespace {

QJsonObject figuresJson(const FeatureDrift::Figures &f)
{
    QJsonObject o{{QStringLiteral("name"), f.feature},
                  {QStringLiteral("kind"), f.kind},
                  {QStringLiteral("rows"), f.rows},
                  {QStringLiteral("statistic"), FeatureDrift::name(f.statistic)},
                  {QStringLiteral("value"), MonitorSummary::number(f.value)},
                  {QStringLiteral("threshold"), f.threshold},
                  {QStringLiteral("level"), FeatureDrift::levelName(f.level)},
                  {QStringLiteral("psi"), MonitorSummary::number(f.psi)},
                  {QStringLiteral("jensen_shannon"), MonitorSummary::number(f.jensenShannon)},
                  {QStringLiteral("missing_share"), MonitorSummary::number(f.missingShare)}};
    if (f.hasKs) {
        o.insert(QStringLiteral("ks_statistic"), MonitorSummary::number(f.ksStatistic));
        o.insert(QStringLiteral("ks_p"), MonitorSummary::number(f.ksP));
    }
    if (f.hasWasserstein)
        o.insert(QStringLiteral("wasserstein"), MonitorSummary::number(f.wasserstein));
    if (f.hasChiSquared) {
        o.insert(QStringLiteral("chi_squared"), MonitorSummary::number(f.chiSquared));
        o.insert(QStringLiteral("chi_squared_p"), MonitorSummary::number(f.chiSquaredP));
    }
    QJsonArray bins;
    for (qsizetype i = 0; i < f.binLabels.size(); ++i)
        bins.append(QJsonObject{{QStringLiteral("bin"), f.binLabels[i]},
                                {QStringLiteral("reference"), MonitorSummary::number(f.referenceShare[i])},
                                {QStringLiteral("current"), MonitorSummary::number(f.currentShare[i])}});
    o.insert(QStringLiteral("bins"), bins);
    return o;
}

QString iso(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

} // namespace

QJsonObject MonitorSummary::toJson() const
{
    QJsonArray list;
    for (const Version &v : versions) {
        QJsonObject status;
        for (auto it = v.totals.byStatus.cbegin(); it != v.totals.byStatus.cend(); ++it)
            status.insert(it.key(), it.value());
        QJsonObject o{{QStringLiteral("model"), v.model},
                      {QStringLiteral("version"), v.version},
                      {QStringLiteral("requests"), v.totals.requests},
                      {QStringLiteral("errors"), v.totals.errors},
                      {QStringLiteral("rows"), v.totals.rows},
                      {QStringLiteral("by_status"), status},
                      {QStringLiteral("throughput_rps"), number(v.totals.throughputRps)},
                      {QStringLiteral("error_rate"), number(v.totals.errorRate)},
                      {QStringLiteral("latency_ms"), QJsonObject{{QStringLiteral("p50"), number(v.totals.p50Ms)},
                                                                 {QStringLiteral("p95"), number(v.totals.p95Ms)},
                                                                 {QStringLiteral("p99"), number(v.totals.p99Ms)}}},
                      {QStringLiteral("drifted_features"), v.drifted()}};
        if (!v.hasBaseline)
            o.insert(QStringLiteral("baseline_error"), v.baselineError);
        if (v.runId > 0)
            o.insert(QStringLiteral("run_id"), v.runId);
        if (v.prediction)
            o.insert(QStringLiteral("prediction"), figuresJson(*v.prediction));
        QJsonArray features;
        for (const FeatureDrift::Figures &f : v.features)
            features.append(figuresJson(f));
        o.insert(QStringLiteral("features"), features);
        if (!v.problems.isEmpty())
            o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(v.problems));
        list.append(o);
    }
    return {{QStringLiteral("from"), iso(fromMs)},
            {QStringLiteral("to"), iso(toMs)},
            {QStringLiteral("polls"), QJsonObject{{QStringLiteral("ok"), okPolls},
                                                  {QStringLiteral("failed"), failedPolls},
                                                  {QStringLiteral("resets"), resets}}},
            {QStringLiteral("last_ok"), lastOkMs ? QJsonValue(iso(lastOkMs)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("versions"), list}};
}

} // namespace mlwb
