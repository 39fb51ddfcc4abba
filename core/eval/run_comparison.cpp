// SPDX-License-Identifier: MIT
#include "eval/run_comparison.h"
#include "common/format.h"

#include "store/project.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <limits>

namespace mlwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void flatten(const QJsonObject &o, const QString &prefix, QHash<QString, double> &out)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('/') + it.key();
        if (it.value().isDouble())
            out.insert(key, it.value().toDouble());
        else if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
    }
}

// Numbers and booleans are placed by value; anything else is a category.
// A number: the workbench's own hyperparameters are JSON numbers; a script's params come as the
// strings MLflow's client sends ("0.01"), and a string that is a whole finite number is one too.
std::optional<double> numberIn(const QString &text)
{
    bool ok = false;
    const double d = text.trimmed().toDouble(&ok);
    return ok && std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}
bool isNumeric(const QJsonValue &v)
{
    return v.isDouble() || v.isBool() || (v.isString() && numberIn(v.toString()));
}
double numberOf(const QJsonValue &v)
{
    if (v.isString())
        return numberIn(v.toString()).value_or(std::numeric_limits<double>::quiet_NaN());
    return v.isBool() ? (v.toBool() ? 1.0 : 0.0) : v.toDouble();
}

// Learning rates are searched in decades: a log axis even when the runs span less than two.
bool isLearningRate(const QString &key)
{
    const QString k = key.toLower();
    return k == u"lr" || k.endsWith(QStringLiteral("_lr")) || k.contains(QStringLiteral("learning_rate"));
}

RunComparison::Axis numericAxis(const QString &key, const QList<double> &values)
{
    RunComparison::Axis axis;
    axis.key = key;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (lo > hi) {
        lo = 0;
        hi = 1;
    }
    axis.log = lo > 0 && (hi / lo >= 100.0 || (isLearningRate(key) && hi > lo));
    if (hi <= lo) {
        // One value: centre it on the axis.
        const double pad = lo != 0 ? std::fabs(lo) * 0.1 : 1.0;
        lo -= pad;
        hi += pad;
        axis.log = axis.log && lo > 0;
    }
    axis.min = lo;
    axis.max = hi;
    return axis;
}

} // namespace

RunComparison RunComparison::load(Project &project, const QList<qint64> &runIds)
{
    return load(project.runs(), project.metrics(), runIds);
}

RunComparison RunComparison::load(RunRepository &runs, MetricReader &metrics, const QList<qint64> &runIds)
{
    RunComparison c;
    QHash<qint64, int> index;
    for (qint64 id : runIds) {
        auto record = runs.get(id);
        if (!record.ok())
            continue;
        Run run;
        run.id = id;
        run.name = Format::runName(record->name, id);
        run.status = record->status;
        run.hyperparams = record->hyperparams;
        flatten(record->summary, QString(), run.summary);
        run.finals = run.summary;
        index.insert(id, int(c.m_runs.size()));
        c.m_runs << run;
    }
    QSet<QString> seriesOnly;
    if (auto latest = metrics.latest(runIds); latest.ok()) {
        for (const LatestMetric &m : *latest) {
            const auto it = index.constFind(m.runId);
            if (it == index.constEnd())
                continue;
            Run &run = c.m_runs[*it];
            if (!run.finals.contains(m.key)) {
                run.finals.insert(m.key, m.value);
                seriesOnly.insert(m.key);
            }
        }
    }
    QSet<QString> hyper, summary;
    for (const Run &run : std::as_const(c.m_runs)) {
        for (const QString &k : run.hyperparams.keys())
            hyper.insert(k);
        for (auto it = run.summary.cbegin(); it != run.summary.cend(); ++it)
            summary.insert(it.key());
    }
    c.m_hyperKeys = QStringList(hyper.begin(), hyper.end());
    c.m_hyperKeys.sort();
    c.m_summaryKeys = QStringList(summary.begin(), summary.end());
    c.m_summaryKeys.sort();
    QStringList series;
    for (const QString &k : std::as_const(seriesOnly))
        if (!summary.contains(k))
            series << k;
    series.sort();
    c.m_metricKeys = c.m_summaryKeys + series;
    return c;
}

const RunComparison::Run *RunComparison::run(qint64 id) const
{
    for (const Run &r : m_runs)
        if (r.id == id)
            return &r;
    return nullptr;
}

bool RunComparison::differs(const QString &hyperparameter) const
{
    if (m_runs.isEmpty())
        return false;
    const QJsonValue first = m_runs.first().hyperparams.value(hyperparameter);
    return std::any_of(m_runs.begin() + 1, m_runs.end(),
                       [&](const Run &r) { return r.hyperparams.value(hyperparameter) != first; });
}

QStringList RunComparison::differingHyperparameters() const
{
    QStringList out;
    for (const QString &k : m_hyperKeys)
        if (differs(k))
            out << k;
    return out;
}

QString RunComparison::defaultMetric() const
{
    static const char *const preferred[] = {
        "test_accuracy", "test/accuracy", "val_accuracy", "val/accuracy", "test_r2",  "test/r2",
        "val_r2",        "test_loss",     "test/loss",    "val_loss",     "val/loss", "loss"};
    for (const char *k : preferred)
        if (m_metricKeys.contains(QLatin1String(k)))
            return QString::fromLatin1(k);
    return m_metricKeys.value(0);
}

RunComparison::Axis RunComparison::hyperparameterAxis(const QString &key) const
{
    bool numeric = true;
    QList<double> numbers;
    QSet<QString> texts;
    for (const Run &r : m_runs) {
        const QJsonValue v = r.hyperparams.value(key);
        if (v.isUndefined() || v.isNull())
            continue;
        if (isNumeric(v))
            numbers << numberOf(v);
        else
            numeric = false;
        texts.insert(valueText(v));
    }
    if (numeric)
        return numericAxis(key, numbers);
    Axis axis;
    axis.key = key;
    axis.categories = QStringList(texts.begin(), texts.end());
    axis.categories.sort();
    axis.min = 0;
    axis.max = std::max<double>(1, double(axis.categories.size() - 1));
    return axis;
}

RunComparison::Axis RunComparison::metricAxis(const QString &key) const
{
    QList<double> values;
    for (const Run &r : m_runs)
        values << metricValue(r, key);
    return numericAxis(key, values);
}

double RunComparison::hyperparameterValue(const Run &run, const Axis &axis) const
{
    const QJsonValue v = run.hyperparams.value(axis.key);
    if (v.isUndefined() || v.isNull())
        return kNaN;
    if (!axis.isCategorical())
        return isNumeric(v) ? numberOf(v) : kNaN;
    const qsizetype i = axis.categories.indexOf(valueText(v));
    return i < 0 ? kNaN : double(i);
}

double RunComparison::metricValue(const Run &run, const QString &key)
{
    return run.finals.value(key, kNaN);
}

QString RunComparison::valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 8);
    if (v.isNull() || v.isUndefined())
        return QString();
    return QStringLiteral("\u2026");
}

} // namespace mlwb
