// SPDX-License-Identifier: MIT
#pragma once

// Shared plumbing of the `mlwb` verbs: arguments, output (--json to stdout, progress to stderr)
// and exit codes a CI pipeline can act on.

#include "common/result.h"

#include <QJsonObject>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>

namespace mlwb {
class ProjectFile;
}

namespace mlwb::cli {

enum ExitCode {
    Ok = 0,
    Failure = 1,     // the operation failed (bad file, training error, ...)
    Usage = 2,       // wrong arguments
    // A signal stopped the work (Ctrl+C, SIGTERM): 128 + its number, see signalExitCode().
};

struct Args {
    QString verb;
    QStringList positional;
    QMultiHash<QString, QString> options; // --name value, flags map to "1"
    bool has(const QString &name) const { return options.contains(name); }
    QString value(const QString &name, const QString &def = {}) const
    {
        return options.contains(name) ? options.value(name) : def;
    }
    QStringList values(const QString &name) const;
};

struct Verb {
    QString name;
    QString usage;
    QString summary;
    std::function<int(const Args &)> run;
    QStringList flags; // options that take no value
    QString details;   // printed by `mlwb VERB --help` after the usage and summary
};

// A verb whose function takes the verb itself (for its usage errors) and its arguments; `flags`
// are the options that take no value.
Verb makeVerb(const char *name, const char *usage, const char *summary, int (*fn)(const Verb &, const Args &),
              QStringList flags = {QStringLiteral("json")});

QTextStream &out();
QTextStream &err();
int usageError(const Verb &verb, const QString &message);
int failure(const QString &message);
// Prints the error and returns the exit code for its kind: the one place where the CLI maps
// ErrorKind to exit codes (all failures are 1 except a cancel by a signal, 128 + its number).
int failure(const Error &error);
int exitCode(ErrorKind kind);
void printJson(const QJsonObject &object);
// Opens the project a verb works on (read-write unless readOnly); nullptr after printing why.
std::unique_ptr<ProjectFile> openProject(const QString &path, const QString &program,
                                         bool readOnly = false);
// The keys --set (and a sweep's --param) take, each with its default and choices, for --help.
QString hyperparameterHelp();
// A metric for reading: 4 decimals (1 above 100), "n/a" for NaN.
QString fmt(double v);

// Registered by the commands_*.cpp files.
QList<Verb> projectVerbs();
QList<Verb> modelVerbs();
QList<Verb> sweepVerbs();
QList<Verb> demoVerbs();
QList<Verb> keyVerbs();
QList<Verb> packageVerbs();
QList<Verb> predictVerbs();
QList<Verb> targetVerbs();
QList<Verb> deployVerbs();
QList<Verb> agentVerbs();
QList<Verb> monitorVerbs();
QList<Verb> reportVerbs();
QList<Verb> trackingVerbs();

} // namespace mlwb::cli
