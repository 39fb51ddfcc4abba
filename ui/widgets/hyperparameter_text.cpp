// SPDX-License-Identifier: MIT
#include "widgets/hyperparameter_text.h"

#include "train/training_config.h"
#include "widgets/translate.h"

#include <QJsonDocument>

namespace mlwb {

using text::tr;

std::optional<TaskKind> HyperparameterText::taskOf(const QJsonObject &summary,
                                                    const QByteArray &datasetSchemaJson)
{
    if (auto task = taskKindFromName(summary.value(QStringLiteral("task")).toString()))
        return task;
    return taskKindFromName(
        QJsonDocument::fromJson(datasetSchemaJson).object().value(QStringLiteral("task")).toString());
}

std::optional<QString> HyperparameterText::byTask(const QString &key, const QJsonValue &value,
                                                  std::optional<TaskKind> task)
{
    if (!value.isString() || !value.toString().isEmpty() ||
        !TrainingConfig::choices(key).contains(QString()))
        return std::nullopt;
    if (!task)
        return tr("by task");
    return tr("%1 (by task)").arg(TrainingConfig::taskDefault(key, *task));
}

} // namespace mlwb
