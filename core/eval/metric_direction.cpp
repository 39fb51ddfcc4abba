// SPDX-License-Identifier: MIT
#include "eval/metric_direction.h"

#include <QStringList>

#include <cmath>

namespace mlwb {

namespace {

QString baseName(const QString &metricName)
{
    QString name = metricName.trimmed().toLower();
    // "train/loss", "val.accuracy": the split is a path segment.
    const qsizetype cut = std::max(name.lastIndexOf(QLatin1Char('/')),
                                   name.lastIndexOf(QLatin1Char('.')));
    if (cut >= 0)
        name = name.mid(cut + 1);
    static const QStringList prefixes{QStringLiteral("train_"), QStringLiteral("training_"),
                                      QStringLiteral("val_"),   QStringLiteral("valid_"),
                                      QStringLiteral("validation_"), QStringLiteral("test_"),
                                      QStringLiteral("eval_")};
    for (const QString &prefix : prefixes) {
        if (name.startsWith(prefix))
            return name.mid(prefix.size());
    }
    return name;
}

} // namespace

MetricDirection metricDirection(const QString &metricName)
{
    const QString name = baseName(metricName);
    static const QStringList lower{QStringLiteral("mse"),        QStringLiteral("rmse"),
                                   QStringLiteral("mae"),        QStringLiteral("ece"),
                                   QStringLiteral("max_error"),  QStringLiteral("log_loss"),
                                   QStringLiteral("loss"),       QStringLiteral("perplexity")};
    if (lower.contains(name) || name.endsWith(QStringLiteral("loss"))
        || name.endsWith(QStringLiteral("error")))
        return MetricDirection::LowerIsBetter;
    return MetricDirection::HigherIsBetter;
}

bool isImprovement(const QString &metricName, double candidate, double best)
{
    if (std::isnan(candidate))
        return false;
    if (std::isnan(best))
        return true;
    return higherIsBetter(metricName) ? candidate > best : candidate < best;
}

} // namespace mlwb
