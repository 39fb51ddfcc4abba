// SPDX-License-Identifier: MIT
#include "eval/metric_order.h"

#include <algorithm>

namespace mlwb {

namespace {

// The split a key names before its metric, and where the split sorts within the metric.
struct Split {
    QString base;
    int rank = 0; // 0: none (a per-step series), 1 train, 2 validation, 3 test
};

Split splitOf(const QString &key)
{
    static const std::pair<QString, int> prefixes[] = {
        {QStringLiteral("training"), 1}, {QStringLiteral("train"), 1},
        {QStringLiteral("validation"), 2}, {QStringLiteral("valid"), 2},
        {QStringLiteral("val"), 2},      {QStringLiteral("test"), 3},
        {QStringLiteral("eval"), 3}};
    const QString lower = key.trimmed().toLower();
    for (const auto &[prefix, rank] : prefixes) {
        if (lower.size() > prefix.size() + 1 && lower.startsWith(prefix)) {
            const QChar sep = lower.at(prefix.size());
            if (sep == u'_' || sep == u'/' || sep == u'.')
                return {lower.mid(prefix.size() + 1), rank};
        }
    }
    return {lower, 0};
}

} // namespace

MetricOrder::MetricOrder(Task task, Lead lead) : m_task(task), m_lead(lead) {}

MetricOrder MetricOrder::forKeys(const QStringList &keys, Lead lead)
{
    bool regression = false;
    for (const QString &key : keys) {
        const QString base = baseName(key);
        if (base == u"accuracy")
            return MetricOrder(Task::Classification, lead);
        if (base == u"rmse" || base == u"mse" || base == u"r2")
            regression = true;
    }
    return MetricOrder(regression ? Task::Regression : Task::Unknown, lead);
}

MetricOrder::Task MetricOrder::taskFromName(const QString &name)
{
    if (name == u"classification")
        return Task::Classification;
    if (name == u"regression")
        return Task::Regression;
    return Task::Unknown;
}

QString MetricOrder::mainMetric(Task task)
{
    switch (task) {
    case Task::Classification:
        return QStringLiteral("accuracy");
    case Task::Regression:
        return QStringLiteral("rmse");
    case Task::Unknown:
        break;
    }
    return {};
}

QString MetricOrder::baseName(const QString &key)
{
    if (isBookkeeping(key))
        return key.trimmed().toLower();
    return splitOf(key).base;
}

bool MetricOrder::isBookkeeping(const QString &key)
{
    static const QStringList names{
        QStringLiteral("lr"),          QStringLiteral("epoch_lr"),
        QStringLiteral("epoch"),       QStringLiteral("epoch_time"),
        QStringLiteral("epochs_run"),  QStringLiteral("best_epoch"),
        QStringLiteral("steps"),       QStringLiteral("stopped_early"),
        QStringLiteral("samples_per_sec"), QStringLiteral("train_seconds"),
        QStringLiteral("parameters"),  QStringLiteral("threads"),
        QStringLiteral("n")};
    return names.contains(key.trimmed().toLower());
}

bool MetricOrder::isUnitInterval(const QString &key)
{
    if (isBookkeeping(key))
        return false;
    const QString base = splitOf(key).base;
    static const QStringList exact{QStringLiteral("accuracy"), QStringLiteral("ece"),
                                   QStringLiteral("roc_auc"), QStringLiteral("average_precision")};
    static const QStringList families{QStringLiteral("accuracy"), QStringLiteral("precision"),
                                      QStringLiteral("recall"), QStringLiteral("f1")};
    if (exact.contains(base))
        return true;
    // balanced_accuracy, precision_macro, f1_weighted, top5_accuracy, ...
    const QStringList parts = base.split(u'_');
    return std::any_of(parts.cbegin(), parts.cend(),
                       [](const QString &p) { return families.contains(p); });
}

int MetricOrder::groupRank(const QString &key) const
{
    if (isBookkeeping(key))
        return 3;
    const QString base = splitOf(key).base;
    const bool loss = base == u"loss";
    const bool main = !mainMetric().isEmpty() && base == mainMetric();
    if (m_lead == Lead::Loss)
        return loss ? 0 : main ? 1 : 2;
    return main ? 0 : loss ? 1 : 2;
}

bool MetricOrder::isHeadline(const QString &key) const
{
    if (isBookkeeping(key))
        return false;
    const QString base = splitOf(key).base;
    if (base == u"loss" || (!mainMetric().isEmpty() && base == mainMetric()))
        return true;
    switch (m_task) {
    case Task::Classification:
        return base == u"log_loss" || base == u"f1_macro" || base == u"roc_auc";
    case Task::Regression:
        return base == u"mae" || base == u"r2";
    case Task::Unknown:
        break;
    }
    return false;
}

bool MetricOrder::lessThan(const QString &a, const QString &b) const
{
    const int ga = groupRank(a), gb = groupRank(b);
    if (ga != gb)
        return ga < gb;
    const Split sa = isBookkeeping(a) ? Split{a.toLower(), 0} : splitOf(a);
    const Split sb = isBookkeeping(b) ? Split{b.toLower(), 0} : splitOf(b);
    if (sa.base != sb.base)
        return sa.base < sb.base;
    if (sa.rank != sb.rank)
        return sa.rank < sb.rank;
    return a < b;
}

QStringList MetricOrder::sorted(QStringList keys) const
{
    std::stable_sort(keys.begin(), keys.end(),
                     [this](const QString &a, const QString &b) { return lessThan(a, b); });
    return keys;
}

QList<QStringList> MetricOrder::grouped(const QStringList &keys) const
{
    QList<QStringList> groups;
    QString current;
    for (const QString &key : sorted(keys)) {
        const QString base = baseName(key);
        if (groups.isEmpty() || base != current)
            groups.append(QStringList());
        groups.last().append(key);
        current = base;
    }
    return groups;
}

} // namespace mlwb
