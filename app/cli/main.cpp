// SPDX-License-Identifier: MIT
// mlwb: the workbench's operations for scripts and CI pipelines.

#include "cli_context.h"
#include "nearest_word.h"
#include "progress_line.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace mlwb::cli;

namespace {

QList<Verb> allVerbs()
{
    QList<Verb> verbs = projectVerbs();
    verbs += modelVerbs();
    verbs += sweepVerbs();
    verbs += demoVerbs();
    verbs += keyVerbs();
    verbs += packageVerbs();
    verbs += predictVerbs();
    verbs += targetVerbs();
    verbs += deployVerbs();
    verbs += agentVerbs();
    verbs += monitorVerbs();
    verbs += reportVerbs();
    verbs += trackingVerbs();
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

// The options a usage line requires: those outside brackets, and of a "(--a X | --b Y)" group
// one of its alternatives. Each entry lists the names any of which satisfies it.
QList<QStringList> requiredOptions(const Verb &verb)
{
    QList<QStringList> required;
    QList<QChar> open;
    bool groupStart = false;
    const QString &u = verb.usage;
    for (qsizetype i = 0; i < u.size(); ++i) {
        const QChar c = u[i];
        if (c == u'[' || c == u'(') {
            open.append(c);
            if (c == u'(' && open.size() == 1) {
                required.append(QStringList());
                groupStart = true;
            }
            continue;
        }
        if (c == u']' || c == u')') {
            if (!open.isEmpty())
                open.removeLast();
            continue;
        }
        if (c == u'|' && open.size() == 1 && open.first() == u'(') {
            groupStart = true;
            continue;
        }
        const bool atWordStart = i == 0 || u[i - 1].isSpace() || u[i - 1] == u'(' || u[i - 1] == u'|';
        if (c != u'-' || !atWordStart)
            continue;
        qsizetype j = i;
        while (j < u.size() && u[j] == u'-')
            ++j;
        qsizetype k = j;
        while (k < u.size() && (u[k].isLetterOrNumber() || u[k] == u'_' || u[k] == u'-'))
            ++k;
        const QString name = u.mid(j, k - j);
        if (!name.isEmpty()) {
            if (open.isEmpty())
                required.append({name});
            else if (open.size() == 1 && open.first() == u'(' && groupStart)
                required.last().append(name);
        }
        groupStart = false;
        i = k - 1;
    }
    return required;
}

QString dashed(const QString &name)
{
    return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
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
        // A group word alone ("dataset") names its verbs; a misspelt verb gets a suggestion.
        QStringList groupVerbs, names;
        for (const Verb &v : verbs) {
            names << v.name;
            if (v.name.startsWith(argsIn.first() + u' '))
                groupVerbs << v.name.mid(argsIn.first().size() + 1);
        }
        if (!groupVerbs.isEmpty()) {
            const QString typed = argsIn.size() > 1 ? argsIn[1] : QString();
            const QString guess = typed.isEmpty() ? QString() : NearestWord::find(typed, groupVerbs);
            err() << "mlwb: " << argsIn.first()
                  << (typed.isEmpty() ? QStringLiteral(" needs a verb")
                                      : QStringLiteral(": unknown verb \"%1\"").arg(typed))
                  << (guess.isEmpty() ? QString() : QStringLiteral(" (did you mean \"%1 %2\"?)").arg(argsIn.first(), guess))
                  << ": one of " << groupVerbs.join(QStringLiteral(", ")) << Qt::endl;
            return Usage;
        }
        QStringList firstWords;
        for (const QString &n : names) {
            if (const QString w = n.section(u' ', 0, 0); !firstWords.contains(w))
                firstWords << w;
        }
        const QString guess = NearestWord::find(argsIn.first(), firstWords);
        err() << "mlwb: unknown verb \"" << argsIn.first() << "\""
              << (guess.isEmpty() ? QString() : QStringLiteral(" (did you mean \"%1\"?)").arg(guess))
              << "; see mlwb --help" << Qt::endl;
        return Usage;
    }

    Args args;
    args.verb = verb->name;
    const QStringList rest = argsIn.mid(consumed);
    for (int i = 0; i < rest.size(); ++i) {
        const QString &a = rest[i];
        if (a == u"--help" || a == u"-h") {
            out() << "usage: mlwb " << verb->usage << "\n" << verb->summary << "\n";
            if (!verb->details.isEmpty())
                out() << "\n" << verb->details << (verb->details.endsWith(u'\n') ? "" : "\n");
            out().flush();
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
            if (const QSet<QString> known = optionsOf(*verb); !known.contains(name)) {
                QStringList candidates = known.values();
                candidates.sort();
                const QString guess = NearestWord::find(name, candidates);
                return usageError(*verb, QStringLiteral("unknown option %1%2%3 (see mlwb %4 --help)")
                                             .arg(a.startsWith(u"--") ? QStringLiteral("--") : QStringLiteral("-"), name,
                                                  guess.isEmpty() ? QString()
                                                                  : QStringLiteral(", did you mean %1?").arg(dashed(guess)),
                                                  verb->name));
            }
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
    for (const QStringList &names : requiredOptions(*verb)) {
        if (std::none_of(names.begin(), names.end(), [&](const QString &n) { return args.has(n); })) {
            QStringList shown;
            for (const QString &n : names)
                shown << dashed(n);
            const QString last = shown.takeLast();
            return usageError(*verb, QStringLiteral("%1 is missing")
                                         .arg(shown.isEmpty() ? last
                                                              : shown.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last));
        }
    }
    ProgressLine::installMessageHandler();
    return verb->run(args);
}
