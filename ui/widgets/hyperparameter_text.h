// SPDX-License-Identifier: MIT
#pragma once

// HyperparameterText: what a run's stored hyperparameter stands for, for the run tab and the
// Inspector alike. An empty value that means "chosen by the task" (loss) shows that choice.

#include "data/column_info.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace mlwb {

class HyperparameterText {
public:
    // The task a run trains for: its summary's "task" once trained, else its data set's schema.
    static std::optional<TaskKind> taskOf(const QJsonObject &summary, const QByteArray &datasetSchemaJson);
    // "cross_entropy (by task)" for an empty loss of a classification run ("by task" while the
    // task is unknown); nothing for a value that is what it says.
    static std::optional<QString> byTask(const QString &key, const QJsonValue &value,
                                         std::optional<TaskKind> task);
};

} // namespace mlwb
