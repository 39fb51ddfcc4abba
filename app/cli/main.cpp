// SPDX-License-Identifier: MIT
// mlwb: the workbench's operations for scripts and CI pipelines.

#include "cli_context.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>

using namespace mlwb::cli;

namespace {

QList<Verb> allVerbs()
{
    QList<Verb> verbs = projectVerbs();
    verbs += modelVerbs();
    verbs += sweepVerbs();
    verbs += demoVerbs();
    return verbs;
}

// The options a verb takes are the ones its usage line names (the usage is the contract), plus
// --help; a misspelt option is refused instead of silently ignored.
QSet<QString> optionsOf(const Verb &verb)
{
    static const QRegularExpression option(QStringLiteral("(?:^|[\\s\\[(|])--?([A-Za-z][A-Za-z0-9_-]*)"));
    QSet<QString> names{QStringLiteral("help"), QStringLiteral("h")};
    for (auto it = option.globalMatch(verb.usage); it.hasNext();)
        names.insert(it.next().captured(1));
    for (const QString &flag : verb.flags)
        names.insert(flag);
    return names;
}

void printHelp(const QList<Verb> &verbs)
{
    out() << "mlwb " MLWB_VERSION " - MLOps Workbench command line\n\n"
          << "usage: mlwb VERB FILE.mlwb [options]\n\nverbs:\n";
    for (const Verb &v : verbs)
        out() << "  " << v.usage << "\n      " << v.summary << "\n";
    out() << "\nExit codes: 0 ok, 1 failure, 2 usage error, 130 stopped by Ctrl+C (143 by SIGTERM).\n"
          << "Add --json for machine-readable output on stdout; progress goes to stderr.\n";
    out().flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mlwb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MLWB_VERSION));
    QStringList argsIn = app.arguments().mid(1);
    // Debug lines of the core categories only with --verbose; stdout stays clean for --json.
    if (argsIn.removeAll(QStringLiteral("--verbose")) == 0)
        QLoggingCategory::setFilterRules(QStringLiteral("mlwb.*.debug=false"));
    const QList<Verb> verbs = allVerbs();

    if (argsIn.isEmpty() || argsIn.first() == u"--help" || argsIn.first() == u"-h" ||
        argsIn.first() == u"help") {
        printHelp(verbs);
        return argsIn.isEmpty() ? Usage : Ok;
    }
    if (argsIn.first() == u"--version") {
        out() << "mlwb " MLWB_VERSION << Qt::endl;
        return Ok;
    }

    const Verb *verb = nullptr;
    int consumed = 0;
    for (const Verb &v : verbs) {
        const QStringList words = v.name.split(u' ');
        if (argsIn.size() >= words.size() && argsIn.mid(0, words.size()) == words &&
            (!verb || words.size() > consumed)) {
            verb = &v;
            consumed = int(words.size());
        }
    }
    if (!verb) {
        err() << "mlwb: unknown verb \"" << argsIn.first() << "\" (see mlwb --help)" << Qt::endl;
        return Usage;
    }

    Args args;
    args.verb = verb->name;
    const QStringList rest = argsIn.mid(consumed);
    for (int i = 0; i < rest.size(); ++i) {
        const QString &a = rest[i];
        if (a == u"--help" || a == u"-h") {
            out() << "usage: mlwb " << verb->usage << "\n" << verb->summary << Qt::endl;
            return Ok;
        }
        if (a.startsWith(u"--") || (a.size() == 2 && a.startsWith(u'-') && !a[1].isDigit())) {
            QString name = a.mid(a.startsWith(u"--") ? 2 : 1);
            QString value;
            bool inlineValue = false;
            if (const int eq = name.indexOf(u'='); eq > 0 && a.startsWith(u"--")) {
                value = name.mid(eq + 1);
                name = name.left(eq);
                inlineValue = true;
            }
            if (!optionsOf(*verb).contains(name))
                return usageError(*verb, QStringLiteral("unknown option %1%2 (see mlwb %3 --help)")
                                             .arg(a.startsWith(u"--") ? QStringLiteral("--") : QStringLiteral("-"),
                                                  name, verb->name));
            if (inlineValue) {
                // --name=value
            } else if (verb->flags.contains(name)) {
                value = QStringLiteral("1");
            } else if (i + 1 < rest.size()) {
                value = rest[++i];
            } else {
                return usageError(*verb, QStringLiteral("option --%1 needs a value").arg(name));
            }
            args.options.insert(name, value);
        } else {
            args.positional << a;
        }
    }
    return verb->run(args);
}
