// SPDX-License-Identifier: MIT
#include "train/training_config.h"

#include <QJsonValue>

#include <functional>
#include <map>

namespace mlwb {

namespace {

// One row per hyperparameter: how to read it from text and write it to JSON.
struct Field {
    const char *key;
    std::function<Status(TrainingConfig &, const QString &)> set;
    std::function<QJsonValue(const TrainingConfig &)> get;
    QStringList choices = {}; // the values a choice takes; empty for numbers and flags
};

Status parseDouble(const QString &key, const QString &text, double &out)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok)
        return invalidInput(QStringLiteral("%1: expected a number, got \"%2\"").arg(key, text));
    out = v;
    return {};
}

Status parseInt(const QString &key, const QString &text, int &out)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok)
        return invalidInput(QStringLiteral("%1: expected an integer, got \"%2\"").arg(key, text));
    out = v;
    return {};
}

Status parseBool(const QString &key, const QString &text, bool &out)
{
    const QString t = text.toLower();
    if (t == u"1" || t == u"true" || t == u"yes" || t == u"on") {
        out = true;
    } else if (t == u"0" || t == u"false" || t == u"no" || t == u"off") {
        out = false;
    } else {
        return invalidInput(QStringLiteral("%1: expected true or false, got \"%2\"").arg(key, text));
    }
    return {};
}

Status parseChoice(const QString &key, const QString &text, const QStringList &choices,
                   QString &out)
{
    if (!choices.contains(text))
        return invalidInput(QStringLiteral("%1: expected one of %2, got \"%3\"")
                        .arg(key, choices.join(QStringLiteral(", ")), text));
    out = text;
    return {};
}

#define MLWB_DOUBLE(name, member)                                                                  \
    Field{name,                                                                                    \
          [](TrainingConfig &c, const QString &t) {                                                \
              return parseDouble(QStringLiteral(name), t, c.member);                               \
          },                                                                                       \
          [](const TrainingConfig &c) { return QJsonValue(c.member); }}
#define MLWB_INT(name, member)                                                                     \
    Field{name,                                                                                    \
          [](TrainingConfig &c, const QString &t) {                                                \
              return parseInt(QStringLiteral(name), t, c.member);                                  \
          },                                                                                       \
          [](const TrainingConfig &c) { return QJsonValue(c.member); }}
#define MLWB_BOOL(name, member)                                                                    \
    Field{name,                                                                                    \
          [](TrainingConfig &c, const QString &t) {                                                \
              return parseBool(QStringLiteral(name), t, c.member);                                 \
          },                                                                                       \
          [](const TrainingConfig &c) { return QJsonValue(c.member); }}
#define MLWB_CHOICE(name, member, ...)                                                             \
    Field{name,                                                                                    \
          [](TrainingConfig &c, const QString &t) {                                                \
              return parseChoice(QStringLiteral(name), t, QStringList{__VA_ARGS__}, c.member);     \
          },                                                                                       \
          [](const TrainingConfig &c) { return QJsonValue(c.member); }, QStringList{__VA_ARGS__}}

const std::vector<Field> &fields()
{
    static const std::vector<Field> f = {
        MLWB_CHOICE("loss", loss, QString(), QStringLiteral("cross_entropy"), QStringLiteral("mse"),
                    QStringLiteral("huber")),
        MLWB_CHOICE("class_weights", classWeights, QStringLiteral("none"), QStringLiteral("balanced")),
        MLWB_DOUBLE("huber_delta", huberDelta),
        MLWB_CHOICE("optimizer", optimizer, QStringLiteral("sgd"), QStringLiteral("adam"),
                    QStringLiteral("adamw")),
        MLWB_DOUBLE("lr", learningRate),
        MLWB_DOUBLE("momentum", momentum),
        MLWB_BOOL("nesterov", nesterov),
        MLWB_DOUBLE("weight_decay", weightDecay),
        MLWB_DOUBLE("beta1", beta1),
        MLWB_DOUBLE("beta2", beta2),
        MLWB_CHOICE("schedule", schedule, QStringLiteral("none"), QStringLiteral("step"),
                    QStringLiteral("cosine"), QStringLiteral("onecycle"), QStringLiteral("plateau")),
        MLWB_INT("step_size", stepSize),
        MLWB_DOUBLE("gamma", gamma),
        MLWB_INT("plateau_patience", plateauPatience),
        MLWB_DOUBLE("min_lr", minLearningRate),
        MLWB_INT("batch_size", batchSize),
        MLWB_INT("epochs", epochs),
        MLWB_DOUBLE("grad_clip", gradientClip),
        MLWB_CHOICE("on_nonfinite", onNonFinite, QStringLiteral("stop"), QStringLiteral("continue")),
        Field{"early_stopping_metric",
              [](TrainingConfig &c, const QString &t) {
                  if (t.isEmpty())
                      return Status(invalidInput(QStringLiteral("early_stopping_metric: empty")));
                  c.earlyStoppingMetric = t;
                  return Status();
              },
              [](const TrainingConfig &c) { return QJsonValue(c.earlyStoppingMetric); }},
        MLWB_INT("patience", patience),
        MLWB_BOOL("restore_best_weights", restoreBestWeights),
        Field{"seed",
              [](TrainingConfig &c, const QString &t) {
                  bool ok = false;
                  const qulonglong v = t.toULongLong(&ok);
                  if (!ok)
                      return Status(invalidInput(
                          QStringLiteral("seed: expected a non-negative integer, got \"%1\"").arg(t)));
                  c.seed = v;
                  return Status();
              },
              [](const TrainingConfig &c) { return QJsonValue(qint64(c.seed)); }},
        MLWB_INT("threads", threads),
        MLWB_INT("log_every_steps", logEverySteps),
    };
    return f;
}

} // namespace

QStringList TrainingConfig::keys()
{
    QStringList k;
    for (const Field &f : fields())
        k << QString::fromLatin1(f.key);
    return k;
}

QStringList TrainingConfig::choices(const QString &key)
{
    for (const Field &f : fields()) {
        if (key == QLatin1String(f.key))
            return f.choices;
    }
    return {};
}

QString TrainingConfig::taskDefault(const QString &key, TaskKind task)
{
    if (key == QLatin1String("loss"))
        return task == TaskKind::Classification ? QStringLiteral("cross_entropy") : QStringLiteral("mse");
    return {};
}

QJsonObject TrainingConfig::toJson() const
{
    QJsonObject o;
    for (const Field &f : fields())
        o.insert(QString::fromLatin1(f.key), f.get(*this));
    return o;
}

Result<TrainingConfig> TrainingConfig::fromJson(const QJsonObject &json)
{
    TrainingConfig c;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonValue v = it.value();
        QString text;
        if (v.isBool())
            text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (v.isDouble())
            text = QString::number(v.toDouble(), 'g', 17);
        else
            text = v.toString();
        if (auto s = c.set(it.key(), text); !s)
            return s.failure();
    }
    if (auto s = c.validate(); !s)
        return s.failure();
    return c;
}

Status TrainingConfig::set(const QString &key, const QString &value)
{
    for (const Field &f : fields()) {
        if (key == QLatin1String(f.key))
            return f.set(*this, value.trimmed());
    }
    return invalidInput(QStringLiteral("unknown hyperparameter \"%1\" (known: %2)")
                    .arg(key, keys().join(QStringLiteral(", "))));
}

Status TrainingConfig::validate() const
{
    if (learningRate <= 0)
        return invalidInput(QStringLiteral("lr: must be positive, got %1").arg(learningRate));
    if (batchSize < 1)
        return invalidInput(QStringLiteral("batch_size: must be at least 1, got %1").arg(batchSize));
    if (epochs < 1)
        return invalidInput(QStringLiteral("epochs: must be at least 1, got %1").arg(epochs));
    if (momentum < 0 || momentum >= 1)
        return invalidInput(QStringLiteral("momentum: must be in [0, 1), got %1").arg(momentum));
    if (nesterov && (optimizer != u"sgd" || momentum <= 0))
        return invalidInput(QStringLiteral("nesterov: needs optimizer=sgd with momentum > 0"));
    if (weightDecay < 0)
        return invalidInput(QStringLiteral("weight_decay: must not be negative"));
    if (gradientClip < 0)
        return invalidInput(QStringLiteral("grad_clip: must not be negative"));
    if (patience < 0)
        return invalidInput(QStringLiteral("patience: must not be negative"));
    if (stepSize < 1)
        return invalidInput(QStringLiteral("step_size: must be at least 1"));
    if (gamma <= 0 || gamma > 1)
        return invalidInput(QStringLiteral("gamma: must be in (0, 1], got %1").arg(gamma));
    if (threads < 0)
        return invalidInput(QStringLiteral("threads: must not be negative"));
    if (logEverySteps < 1)
        return invalidInput(QStringLiteral("log_every_steps: must be at least 1"));
    return {};
}

} // namespace mlwb
