// SPDX-License-Identifier: MIT
#include "metric_report.h"

#include "text_table.h"

#include "common/format.h"
#include "common/json_number.h"
#include "eval/metric_order.h"

#include <QJsonArray>
#include <QMap>
#include <QStringList>

#include <algorithm>

namespace mlwb::cli {

namespace {

constexpr int kMaxMatrixClasses = 20;

// Two spaces before every line, so the tables read as part of the run's line above them.
QString indented(const QString &text)
{
    QString out;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
        out += QStringLiteral("  ") + line + u'\n';
    return out;
}

int splitOf(const QString &key, QString *base)
{
    static const std::pair<const char *, int> prefixes[] = {
        {"train_", 0}, {"train/", 0}, {"val_", 1}, {"val/", 1}, {"test_", 2}, {"test/", 2}};
    for (const auto &[prefix, split] : prefixes) {
        const QLatin1String p(prefix);
        if (key.startsWith(p) && key.size() > p.size()) {
            *base = key.mid(p.size());
            return split;
        }
    }
    *base = key;
    return -1;
}

QString value(const QJsonValue &v)
{
    const std::optional<double> d = JsonNumber::to(v);
    return d ? Format::metric(*d) : QString();
}

// The headline metrics, then the rest, each in MetricOrder.
QStringList headlinesFirst(const MetricOrder &order, const QStringList &keys)
{
    QStringList sorted = order.sorted(keys);
    std::stable_partition(sorted.begin(), sorted.end(),
                          [&](const QString &k) { return order.isHeadline(k); });
    return sorted;
}

// Seconds with their unit, throughput per second; counts as integers.
QString factText(const QString &key, double v)
{
    if (key == u"train_seconds" || key == u"epoch_time")
        return Format::metric(v) + QStringLiteral(" s");
    if (key == u"samples_per_sec")
        return Format::metric(v) + QStringLiteral(" /s");
    return Format::metric(v);
}

QString moreLine(int hidden)
{
    return hidden > 0 ? QStringLiteral("  %1 more (--all shows every metric)\n").arg(hidden)
                      : QString();
}

} // namespace

QString MetricReport::training(const QJsonObject &summary, bool all)
{
    const MetricOrder order(MetricOrder::taskFromName(summary.value(QStringLiteral("task")).toString()),
                            MetricOrder::Lead::MainMetric);
    // metric -> value per split; facts without a split apart.
    QMap<QString, QStringList> rows;
    QStringList bases, facts;
    bool used[3] = {false, false, false};
    for (auto it = summary.begin(); it != summary.end(); ++it) {
        if (!JsonNumber::to(it.value()))
            continue;
        QString base;
        const int split = MetricOrder::isBookkeeping(it.key()) ? -1 : splitOf(it.key(), &base);
        if (split < 0) {
            facts << it.key();
            continue;
        }
        QStringList &cells = rows[base];
        if (cells.isEmpty()) {
            cells = QStringList(3);
            bases << base;
        }
        cells[split] = value(it.value());
        used[split] = true;
    }
    bases = headlinesFirst(order, bases);
    QList<TextTable::Column> columns{{QStringLiteral("metric"), TextTable::Align::Left}};
    const char *titles[] = {"train", "validation", "test"};
    for (int s = 0; s < 3; ++s)
        if (used[s])
            columns.append({QString::fromLatin1(titles[s]), TextTable::Align::Right});
    TextTable table(columns);
    int hidden = 0;
    for (const QString &base : std::as_const(bases)) {
        if (!all && !order.isHeadline(base)) {
            ++hidden;
            continue;
        }
        QStringList cells{base};
        for (int s = 0; s < 3; ++s)
            if (used[s])
                cells << rows.value(base).value(s);
        table.addRow(cells);
    }
    QString out = bases.isEmpty() ? QString() : indented(table.text());
    if (all && !facts.isEmpty()) {
        TextTable more({{QStringLiteral("training"), TextTable::Align::Left},
                        {QStringLiteral("value"), TextTable::Align::Right}});
        for (const QString &key : order.sorted(facts)) {
            const double v = *JsonNumber::to(summary.value(key));
            more.addRow({key, factText(key, v)});
        }
        out += QStringLiteral("\n") + indented(more.text());
    } else {
        hidden += int(facts.size());
    }
    return out + moreLine(hidden);
}

QString MetricReport::evaluation(const QJsonObject &metrics, const QString &task, bool all)
{
    QStringList keys;
    for (auto it = metrics.begin(); it != metrics.end(); ++it)
        if (JsonNumber::to(it.value()))
            keys << it.key();
    MetricOrder::Task t = MetricOrder::taskFromName(task);
    const MetricOrder order =
        t == MetricOrder::Task::Unknown ? MetricOrder::forKeys(keys, MetricOrder::Lead::MainMetric)
                                        : MetricOrder(t, MetricOrder::Lead::MainMetric);
    TextTable table({{QStringLiteral("metric"), TextTable::Align::Left},
                     {QStringLiteral("value"), TextTable::Align::Right}});
    int hidden = 0;
    for (const QString &key : headlinesFirst(order, keys)) {
        if (!all && !order.isHeadline(key)) {
            ++hidden;
            continue;
        }
        table.addRow({key, value(metrics.value(key))});
    }
    return indented(table.text()) + moreLine(hidden);
}

QString MetricReport::confusionMatrix(const QJsonObject &report)
{
    const QJsonArray cm = report.value(QStringLiteral("confusion_matrix")).toArray();
    if (cm.isEmpty())
        return {};
    QStringList names;
    for (const QJsonValue &c : report.value(QStringLiteral("classes")).toArray())
        names << c.toString();
    if (names.size() != cm.size()) {
        names.clear();
        for (const QJsonValue &c : report.value(QStringLiteral("per_class")).toArray())
            names << c.toObject().value(QStringLiteral("name")).toString();
    }
    for (qsizetype i = names.size(); i < cm.size(); ++i)
        names << QString::number(i);
    if (cm.size() > kMaxMatrixClasses)
        return QStringLiteral("confusion matrix: %1 classes, too many to print (--json has it)\n")
            .arg(cm.size());
    QList<TextTable::Column> columns{{QStringLiteral("true \\ predicted"), TextTable::Align::Left}};
    for (qsizetype i = 0; i < cm.size(); ++i)
        columns.append({names.value(i), TextTable::Align::Right});
    TextTable table(columns);
    for (qsizetype r = 0; r < cm.size(); ++r) {
        QStringList cells{names.value(r)};
        for (const QJsonValue &v : cm.at(r).toArray())
            cells << QString::number(v.toInteger());
        table.addRow(cells);
    }
    return QStringLiteral("confusion matrix (rows: true class, columns: predicted class)\n") +
           indented(table.text());
}

} // namespace mlwb::cli
