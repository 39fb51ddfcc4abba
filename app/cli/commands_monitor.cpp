// SPDX-License-Identifier: MIT
// mlwb monitor, mlwb alerts: a target's live feed (docs/monitoring.md) from the command line,
// for CI and for a terminal beside the workbench. `--once` polls twice a moment apart, stores
// what happened in between and prints the summary of the stored range (exit 3 while an alert
// fires); `--watch` polls every interval until Ctrl+C; `alerts` lists fired alerts and rules and
// changes a rule's threshold.

#include "cli_context.h"
#include "progress_runner.h"
#include "text_table.h"

#include "common/format.h"
#include "monitor/alert_evaluator.h"
#include "monitor/monitor_baselines.h"
#include "monitor/monitor_poller.h"
#include "monitor/monitor_reader.h"
#include "monitor/monitor_summary.h"
#include "store/alert_repository.h"
#include "store/monitor_repository.h"
#include "store/package_repository.h"
#include "store/target_repository.h"
#include "store/project_file.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

#include <chrono>
#include <cmath>
#include <thread>

namespace mlwb::cli {

namespace {

constexpr int kAlertFiring = 3;

QString pct(double v) { return std::isfinite(v) ? QStringLiteral("%1%").arg(v * 100, 0, 'f', 2) : QStringLiteral("n/a"); }
QString ms(double v) { return std::isfinite(v) ? QStringLiteral("%1 ms").arg(Format::metric(v)) : QStringLiteral("n/a"); }
QString num(double v) { return std::isfinite(v) ? Format::metric(v) : QStringLiteral("n/a"); }
QString timeText(const QDateTime &t) { return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss 'UTC'")) : QString(); }
QString timeText(qint64 ms) { return ms ? timeText(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)) : QStringLiteral("never"); }

// 15m, 1h, 24h, 90s, 2d; a bare number is seconds. 0 when malformed.
qint64 durationMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+(?:\\.\\d+)?)(ms|s|m|min|h|d)?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return 0;
    const double v = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    const double scale = unit == QLatin1String("ms") ? 1 : unit == QLatin1String("m") || unit == QLatin1String("min") ? 60'000
                         : unit == QLatin1String("h") ? 3600'000 : unit == QLatin1String("d") ? 86'400'000 : 1000;
    return qint64(v * scale);
}

struct Watched {
    std::unique_ptr<ProjectFile> file;
    std::unique_ptr<PackageRepository> packages;
    TargetRecord target;
    MonitorConfig config;
};

int openTarget(const Verb &v, const Args &a, Watched &w, bool readOnly)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected one FILE"));
    const QString name = a.value(QStringLiteral("target"));
    if (name.isEmpty())
        return usageError(v, QStringLiteral("--target NAME is required (mlwb target list FILE shows them)"));
    w.file = openProject(a.positional[0], QStringLiteral("mlwb ") + v.name, readOnly);
    if (!w.file)
        return Failure;
    w.packages = std::make_unique<PackageRepository>(w.file->db());
    Result<TargetRecord> t = TargetRepository(w.file->db()).find(name);
    if (!t)
        return failure(t.failure().reworded(QStringLiteral("%1: %2").arg(a.positional[0], t.error())));
    w.target = *t;
    MonitorRepository monitors(w.file->db());
    Result<MonitorConfig> c = monitors.config(w.target.id);
    if (!c)
        return failure(c.failure());
    w.config = *c;
    return Ok;
}

// --source/--prometheus/--job/--interval given: the target's monitor config changes (kept in the file).
int configure(const Verb &v, const Args &a, Watched &w)
{
    bool changed = false;
    if (a.has(QStringLiteral("source"))) {
        w.config.source = a.value(QStringLiteral("source"));
        changed = true;
    }
    if (a.has(QStringLiteral("prometheus"))) {
        w.config.prometheusUrl = a.value(QStringLiteral("prometheus"));
        if (!a.has(QStringLiteral("source")))
            w.config.source = QStringLiteral("prometheus");
        changed = true;
    }
    if (a.has(QStringLiteral("job"))) {
        w.config.prometheusJob = a.value(QStringLiteral("job"));
        changed = true;
    }
    if (a.has(QStringLiteral("interval"))) {
        const qint64 interval = durationMs(a.value(QStringLiteral("interval")));
        if (interval <= 0)
            return usageError(v, QStringLiteral("--interval takes seconds (15) or a duration (15s, 1m), not \"%1\"")
                                     .arg(a.value(QStringLiteral("interval"))));
        w.config.intervalMs = interval;
        changed = true;
    }
    if (!changed)
        return Ok;
    MonitorRepository monitors(w.file->db());
    if (Status s = monitors.setConfig(w.config); !s)
        return failure(s.failure().reworded(QStringLiteral("the monitor of target %1: %2").arg(w.target.name, s.error())));
    return Ok;
}

void printSummary(const MonitorSummary &s, const TargetRecord &target, const QList<AlertRecord> &firing)
{
    out() << "target " << target.name << " (" << target.url << "), " << timeText(s.fromMs) << " to " << timeText(s.toMs)
          << ": " << s.okPolls << " polls, " << s.failedPolls << " failed, " << s.resets << " restarts; last answer "
          << timeText(s.lastOkMs) << "\n";
    if (s.versions.isEmpty())
        out() << "  no traffic stored in this range\n";
    for (const MonitorSummary::Version &v : s.versions) {
        out() << "\n" << v.model << " " << v.version << ": " << Format::count(qint64(v.totals.requests)) << " requests, "
              << num(v.totals.throughputRps) << " req/s, errors " << pct(v.totals.errorRate) << ", latency p50 "
              << ms(v.totals.p50Ms) << ", p95 " << ms(v.totals.p95Ms) << ", p99 " << ms(v.totals.p99Ms) << "\n";
        if (!v.hasBaseline) {
            out() << "  no drift: " << v.baselineError << "\n";
            continue;
        }
        TextTable table({{QStringLiteral("feature")},
                         {QStringLiteral("kind")},
                         {QStringLiteral("rows"), TextTable::Align::Right},
                         {QStringLiteral("statistic")},
                         {QStringLiteral("value"), TextTable::Align::Right},
                         {QStringLiteral("threshold"), TextTable::Align::Right},
                         {QStringLiteral("psi"), TextTable::Align::Right},
                         {QStringLiteral("drift")}});
        auto row = [&](const QString &label, const FeatureDrift::Figures &f) {
            table.addRow({label, f.kind, QString::number(qint64(f.rows)), FeatureDrift::name(f.statistic), num(f.value),
                          (FeatureDrift::driftBelow(f.statistic) ? QStringLiteral("< ") : QStringLiteral(">= ")) + num(f.threshold),
                          num(f.psi), FeatureDrift::levelName(f.level).replace(QLatin1Char('_'), QLatin1Char(' '))});
        };
        for (const FeatureDrift::Figures &f : v.features)
            row(f.feature, f);
        if (v.prediction)
            row(QStringLiteral("(prediction)"), *v.prediction);
        for (const QString &line : table.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            out() << "  " << line << "\n";
        for (const QString &p : v.problems)
            out() << "  " << p << "\n";
    }
    out() << "\n";
    if (firing.isEmpty())
        out() << "no alert fires\n";
    for (const AlertRecord &a : firing)
        out() << "ALERT #" << a.id << " since " << timeText(a.firedAt) << ": " << a.message << "\n";
    out().flush();
}

QJsonObject alertJson(const AlertRecord &a)
{
    return {{QStringLiteral("id"), a.id},
            {QStringLiteral("rule_id"), a.ruleId},
            {QStringLiteral("target_id"), a.targetId},
            {QStringLiteral("model"), a.model},
            {QStringLiteral("version"), a.version},
            {QStringLiteral("fired_at"), a.firedAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("cleared_at"), a.clearedAt.isValid() ? QJsonValue(a.clearedAt.toUTC().toString(Qt::ISODateWithMs))
                                                                 : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("value"), MonitorSummary::number(a.value)},
            {QStringLiteral("message"), a.message}};
}

QJsonObject ruleJson(const AlertRuleRecord &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("target_id"), r.targetId},
            {QStringLiteral("model"), r.model},
            {QStringLiteral("metric"), r.metric},
            {QStringLiteral("feature"), r.feature},
            {QStringLiteral("statistic"), r.statistic},
            {QStringLiteral("op"), r.op},
            {QStringLiteral("threshold"), r.threshold},
            {QStringLiteral("for_s"), double(r.forMs) / 1000.0},
            {QStringLiteral("enabled"), r.enabled},
            {QStringLiteral("origin"), r.origin}};
}

Result<MonitorSummary> summarise(Watched &w, qint64 fromMs, qint64 toMs)
{
    Result<MonitorView> view = MonitorReader::view(w.file->db(), w.target.id, fromMs, toMs, 60);
    if (!view)
        return view.failure();
    MonitorBaselines baselines(*w.packages);
    return MonitorSummary::compute(*view, baselines);
}

// Sleeps up to ms, in short steps so that a signal ends the wait; false when one came.
bool pause(qint64 ms)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
        if (g_stopSignal.load())
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<qint64>(100, ms)));
    }
    return !g_stopSignal.load();
}

int monitor(const Verb &v, const Args &a)
{
    const bool once = a.has(QStringLiteral("once"));
    const bool watch = a.has(QStringLiteral("watch"));
    if (once == watch && !(a.has(QStringLiteral("source")) || a.has(QStringLiteral("prometheus"))))
        return usageError(v, QStringLiteral("give --once or --watch"));
    Watched w;
    if (int rc = openTarget(v, a, w, false); rc != Ok)
        return rc;
    if (int rc = configure(v, a, w); rc != Ok)
        return rc;
    if (!once && !watch) {
        out() << "target " << w.target.name << " is watched through "
              << (w.config.source == QLatin1String("prometheus") ? QStringLiteral("Prometheus %1").arg(w.config.prometheusUrl)
                                                                  : QStringLiteral("its own /metrics"))
              << " every " << Format::duration(double(w.config.intervalMs) / 1000.0) << Qt::endl;
        return Ok;
    }
    const qint64 rangeMs = a.has(QStringLiteral("range")) ? durationMs(a.value(QStringLiteral("range"))) : 15 * 60'000;
    if (rangeMs <= 0)
        return usageError(v, QStringLiteral("--range takes a duration (15m, 1h, 24h), not \"%1\"").arg(a.value(QStringLiteral("range"))));
    const bool json = a.has(QStringLiteral("json"));

    MonitorPoller poller(w.file->db(), *w.packages, w.target, w.config, MonitorPoller::agentFetch(w.target));
    catchStopSignals();
    AlertRepository alerts(w.file->db());
    auto report = [&](const MonitorPoller::Outcome &o) -> int {
        Result<MonitorSummary> s = summarise(w, o.tMs - rangeMs, o.tMs);
        if (!s)
            return failure(s.failure());
        Result<QList<AlertRecord>> firing = alerts.active(w.target.id);
        if (!firing)
            return failure(firing.failure());
        if (json) {
            QJsonObject j = s->toJson();
            j.insert(QStringLiteral("target"), w.target.name);
            j.insert(QStringLiteral("poll"), QJsonObject{{QStringLiteral("ok"), o.ok},
                                                        {QStringLiteral("error"), o.error},
                                                        {QStringLiteral("reset"), o.reset},
                                                        {QStringLiteral("points"), o.points}});
            QJsonArray list;
            for (const AlertRecord &r : *firing)
                list.append(alertJson(r));
            j.insert(QStringLiteral("alerts"), list);
            printJson(j);
        } else {
            if (!o.ok)
                out() << "the target did not answer: " << o.error << "\n";
            printSummary(*s, w.target, *firing);
        }
        for (const AlertEvaluator::Change &c : o.alertChanges)
            err() << (c.fired ? "alert fired: " : "alert cleared: ") << c.alert.message << Qt::endl;
        return firing->isEmpty() ? Ok : kAlertFiring;
    };

    if (once) {
        const qint64 sampleMs = a.has(QStringLiteral("sample")) ? durationMs(a.value(QStringLiteral("sample"))) : 2000;
        if (sampleMs <= 0)
            return usageError(v, QStringLiteral("--sample takes a duration (2s), not \"%1\"").arg(a.value(QStringLiteral("sample"))));
        Result<MonitorPoller::Outcome> first = poller.poll(QDateTime::currentMSecsSinceEpoch());
        if (!first)
            return failure(first.failure());
        if (first->ok && !pause(sampleMs))
            return signalExitCode();
        Result<MonitorPoller::Outcome> second = first->ok ? poller.poll(QDateTime::currentMSecsSinceEpoch()) : first;
        if (!second)
            return failure(second.failure());
        return report(*second);
    }

    int rc = Ok;
    while (true) {
        Result<MonitorPoller::Outcome> o = poller.poll(QDateTime::currentMSecsSinceEpoch());
        if (!o)
            return failure(o.failure());
        rc = report(*o);
        if (rc != Ok && rc != kAlertFiring)
            return rc;
        if (!pause(w.config.intervalMs))
            return signalExitCode();
    }
}

int alertsVerb(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected one FILE"));
    const bool changing = a.has(QStringLiteral("rule"));
    auto file = openProject(a.positional[0], QStringLiteral("mlwb alerts"), !changing);
    if (!file)
        return Failure;
    qint64 targetId = 0;
    if (a.has(QStringLiteral("target"))) {
        Result<TargetRecord> t = TargetRepository(file->db()).find(a.value(QStringLiteral("target")));
        if (!t)
            return failure(t.failure().reworded(QStringLiteral("%1: %2").arg(a.positional[0], t.error())));
        targetId = t->id;
    }
    AlertRepository alerts(file->db());
    const bool json = a.has(QStringLiteral("json"));

    if (changing) {
        bool ok = false;
        const qint64 id = a.value(QStringLiteral("rule")).toLongLong(&ok);
        if (!ok)
            return usageError(v, QStringLiteral("--rule takes a rule's id (mlwb alerts FILE --rules lists them)"));
        Result<AlertRuleRecord> rule = alerts.rule(id);
        if (!rule)
            return failure(rule.failure());
        AlertRuleRecord r = *rule;
        if (a.has(QStringLiteral("threshold"))) {
            r.threshold = a.value(QStringLiteral("threshold")).toDouble(&ok);
            if (!ok)
                return usageError(v, QStringLiteral("--threshold takes a number"));
        }
        if (a.has(QStringLiteral("for"))) {
            r.forMs = durationMs(a.value(QStringLiteral("for")));
            if (r.forMs <= 0 && a.value(QStringLiteral("for")) != QLatin1String("0"))
                return usageError(v, QStringLiteral("--for takes a duration (5m)"));
        }
        if (a.has(QStringLiteral("statistic")))
            r.statistic = a.value(QStringLiteral("statistic"));
        if (a.has(QStringLiteral("op")))
            r.op = a.value(QStringLiteral("op"));
        if (a.has(QStringLiteral("enable")))
            r.enabled = true;
        if (a.has(QStringLiteral("disable")))
            r.enabled = false;
        r.origin = QStringLiteral("user");
        if (Status s = alerts.updateRule(r); !s)
            return failure(s.failure().reworded(QStringLiteral("%1: rule %2: %3").arg(a.positional[0]).arg(id).arg(s.error())));
        if (json)
            printJson(ruleJson(r));
        else
            out() << "rule " << r.id << ": " << r.model << " " << r.metric << (r.feature.isEmpty() ? QString() : QLatin1Char(' ') + r.feature)
                  << " " << r.op << " " << r.threshold << (r.enabled ? "" : " (disabled)") << Qt::endl;
        return Ok;
    }

    if (a.has(QStringLiteral("rules"))) {
        Result<QList<AlertRuleRecord>> rules = alerts.rules(targetId);
        if (!rules)
            return failure(rules.failure());
        if (json) {
            QJsonArray list;
            for (const AlertRuleRecord &r : *rules)
                list.append(ruleJson(r));
            printJson({{QStringLiteral("rules"), list}});
            return Ok;
        }
        TextTable table({{QStringLiteral("id"), TextTable::Align::Right},
                         {QStringLiteral("model")},
                         {QStringLiteral("metric")},
                         {QStringLiteral("feature")},
                         {QStringLiteral("condition")},
                         {QStringLiteral("for")},
                         {QStringLiteral("state")}});
        for (const AlertRuleRecord &r : *rules)
            table.addRow({QString::number(r.id), r.model, r.metric + (r.statistic.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(r.statistic)),
                          r.feature, r.op + QLatin1Char(' ') + num(r.threshold), Format::duration(double(r.forMs) / 1000.0),
                          QString(r.enabled ? QStringLiteral("on") : QStringLiteral("off")) + QLatin1Char(' ') + r.origin});
        out() << table.text();
        out().flush();
        return Ok;
    }

    const bool all = a.has(QStringLiteral("all"));
    Result<QList<AlertRecord>> list = all ? alerts.history(targetId, 1000) : alerts.active(targetId);
    if (!list)
        return failure(list.failure());
    if (json) {
        QJsonArray arr;
        for (const AlertRecord &r : *list)
            arr.append(alertJson(r));
        printJson({{QStringLiteral("alerts"), arr}});
    } else if (list->isEmpty()) {
        out() << (all ? "no alert has fired" : "no alert fires") << Qt::endl;
    } else {
        TextTable table({{QStringLiteral("id"), TextTable::Align::Right},
                         {QStringLiteral("fired")},
                         {QStringLiteral("cleared")},
                         {QStringLiteral("message")}});
        for (const AlertRecord &r : *list)
            table.addRow({QString::number(r.id), timeText(r.firedAt), r.clearedAt.isValid() ? timeText(r.clearedAt) : QStringLiteral("firing"),
                          r.message});
        out() << table.text();
        out().flush();
    }
    int firing = 0;
    for (const AlertRecord &r : *list)
        firing += !r.clearedAt.isValid();
    return firing > 0 && !all ? kAlertFiring : Ok;
}

} // namespace

QList<Verb> monitorVerbs()
{
    Verb m = makeVerb("monitor",
                      "monitor FILE --target NAME [--once [--sample S] [--range R] | --watch] [--interval S] "
                      "[--source agent|prometheus] [--prometheus URL] [--job JOB] [--json]",
                      "watch a target: traffic, errors, latency, drift against the package's baseline, alerts (exit 3 while one fires)",
                      monitor, {QStringLiteral("json"), QStringLiteral("once"), QStringLiteral("watch")});
    m.details = QStringLiteral(
        "--once polls the target twice, --sample apart (2s), stores what happened in between in FILE and prints\n"
        "the summary of the stored range (--range, 15m; 1h, 24h, 7d ...). --watch polls every --interval\n"
        "(the target's monitor setting, 15s) until Ctrl+C, printing the summary after each poll. Drift is each\n"
        "feature's serving distribution against the training split's in the package (PSI, Kolmogorov-Smirnov,\n"
        "Wasserstein / standard deviation, Jensen-Shannon, chi-squared); thresholds are the alert rules'\n"
        "(mlwb alerts FILE --rules). --source prometheus --prometheus URL reads a Prometheus server's\n"
        "query API instead of the agent's /metrics (--job: the scrape job's name); the setting stays in FILE.");
    Verb al = makeVerb("alerts",
                       "alerts FILE [--target NAME] [--all | --rules] [--rule ID [--threshold X] [--op '>'|'<'] [--statistic S] "
                       "[--for DURATION] [--enable|--disable]] [--json]",
                       "the alerts that fire (exit 3 when any), all that fired (--all), the rules (--rules), or change a rule",
                       alertsVerb,
                       {QStringLiteral("json"), QStringLiteral("all"), QStringLiteral("rules"), QStringLiteral("enable"),
                        QStringLiteral("disable")});
    return {m, al};
}

} // namespace mlwb::cli
