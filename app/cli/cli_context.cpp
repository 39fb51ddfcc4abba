// SPDX-License-Identifier: MIT
#include "cli_context.h"

#include "common/json_number.h"
#include "progress_runner.h"
#include "store/project_file.h"
#include "text_table.h"
#include "train/training_config.h"

#include <QJsonDocument>

#include <cmath>

#include <cstdio>

namespace mlwb::cli {

QStringList Args::values(const QString &name) const
{
    QStringList v = options.values(name);
    std::reverse(v.begin(), v.end()); // QMultiHash returns the newest first
    return v;
}

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int usageError(const Verb &verb, const QString &message)
{
    err() << "mlwb " << verb.name << ": " << message << "\nusage: mlwb " << verb.usage << Qt::endl;
    return Usage;
}

int failure(const QString &message)
{
    out().flush();
    err() << "mlwb: error: " << message << Qt::endl;
    return Failure;
}

int exitCode(ErrorKind kind)
{
    if (kind == ErrorKind::Cancelled && stopSignal() != 0)
        return signalExitCode();
    return Failure;
}

int failure(const Error &error)
{
    failure(error.message);
    return exitCode(error.kind);
}

std::unique_ptr<ProjectFile> openProject(const QString &path, const QString &program, bool readOnly)
{
    auto project = ProjectFile::open(path, {readOnly, program, 5000});
    if (!project) {
        failure(project.failure());
        return nullptr;
    }
    if (!readOnly && (*project)->isReadOnly()) {
        failure(QStringLiteral("%1 is read-only: %2").arg(path, (*project)->readOnlyReason()));
        return nullptr;
    }
    // What an older file lacks reads as empty (no sweeps, splits or evaluations): say why.
    if (const QString note = (*project)->schemaNote(); !note.isEmpty())
        err() << "mlwb: note: " << path << ": " << note << Qt::endl;
    return std::move(*project);
}

QString fmt(double v)
{
    if (!std::isfinite(v))
        return JsonNumber::nonFiniteName(v);
    return QString::number(v, 'f', std::fabs(v) >= 100 ? 1 : 4);
}

QString hyperparameterHelp()
{
    const QJsonObject defaults = TrainingConfig().toJson();
    TextTable table({{QStringLiteral("key")}, {QStringLiteral("default")}, {QStringLiteral("values")}});
    for (const QString &key : TrainingConfig::keys()) {
        const QJsonValue v = defaults.value(key);
        QString text = v.isBool() ? (v.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                       : v.isDouble() ? QString::number(v.toDouble(), 'g', 6)
                                      : v.toString();
        QStringList choices = TrainingConfig::choices(key);
        if (key == u"loss") {
            text = QStringLiteral("by task");
            choices.removeAll(QString());
            choices.last() += QStringLiteral(" (empty: cross_entropy for classification, mse for regression)");
        }
        table.addRow({key, text.isEmpty() ? QStringLiteral("-") : text, choices.join(QStringLiteral(", "))});
    }
    return QStringLiteral("hyperparameters (--set key=value; --epochs, --seed, --lr, --batch_size, --optimizer "
                          "and --threads are short for their keys):\n") +
           table.text();
}

void printJson(const QJsonObject &object)
{
    // NaN and infinities as "NaN", "Infinity", "-Infinity": QJsonDocument would write null.
    out() << QString::fromUtf8(QJsonDocument(JsonNumber::encode(object)).toJson(QJsonDocument::Indented));
    out().flush();
}

Verb makeVerb(const char *name, const char *usage, const char *summary, int (*fn)(const Verb &, const Args &),
              QStringList flags)
{
    Verb v{QString::fromLatin1(name), QString::fromLatin1(usage), QString::fromLatin1(summary), {}, std::move(flags), {}};
    v.run = [v, fn](const Args &args) { return fn(v, args); };
    return v;
}

} // namespace mlwb::cli
