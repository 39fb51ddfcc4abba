// SPDX-License-Identifier: MIT
// mlwb init / info: create and describe project files.

#include "cli_context.h"

#include "store/project_file.h"
#include "store/schema.h"

#include <QDateTime>
#include <QJsonArray>

namespace mlwb::cli {

namespace {

int runInit(const Verb &verb, const Args &args)
{
    if (args.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected one project FILE"));
    auto project = ProjectFile::create(args.positional.first(),
                                       {false, QStringLiteral("mlwb init"), 0});
    if (!project)
        return failure(project.failure());
    if (args.has(QStringLiteral("json")))
        printJson({{QStringLiteral("file"), args.positional.first()},
                   {QStringLiteral("schema_version"), Schema::currentVersion()}});
    else
        out() << "created " << args.positional.first() << " (schema version "
              << Schema::currentVersion() << ")" << Qt::endl;
    return Ok;
}

int runInfo(const Verb &verb, const Args &args)
{
    if (args.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected one project FILE"));
    const QString path = args.positional.first();
    // Read-only: describing a file must never change it (nor migrate it); an older file is read
    // as it is.
    auto version = ProjectFile::validate(path);
    if (!version)
        return failure(version.failure());
    auto project = ProjectFile::open(path, {true, QStringLiteral("mlwb info"), 0});
    if (!project)
        return failure(project.failure());
    auto counts = (*project)->counts();
    if (!counts)
        return failure(counts.failure());
    auto leases = (*project)->leases();
    if (!leases)
        return failure(leases.failure());

    if (args.has(QStringLiteral("json"))) {
        QJsonArray holders;
        for (const LeaseInfo &l : *leases)
            holders.append(QJsonObject{{QStringLiteral("user"), l.user},
                                       {QStringLiteral("host"), l.host},
                                       {QStringLiteral("pid"), l.pid},
                                       {QStringLiteral("mode"), l.mode},
                                       {QStringLiteral("program"), l.program},
                                       {QStringLiteral("since"), l.started.toString(Qt::ISODate)}});
        printJson({{QStringLiteral("file"), path},
                   {QStringLiteral("schema_version"), *version},
                   {QStringLiteral("current_schema_version"), Schema::currentVersion()},
                   {QStringLiteral("schema_note"), Schema::upgradeNote(*version)},
                   {QStringLiteral("journal_mode"), (*project)->journalMode()},
                   {QStringLiteral("network_file_system"), (*project)->onNetworkFileSystem()},
                   {QStringLiteral("open_by"), holders},
                   {QStringLiteral("counts"), counts->toJson()}});
        return Ok;
    }
    out() << "file:            " << path << "\n"
          << "schema version:  " << *version;
    if (*version < Schema::currentVersion())
        out() << " (" << Schema::upgradeNote(*version) << ")";
    out() << "\njournal:         " << (*project)->journalMode()
          << ((*project)->onNetworkFileSystem() ? " (network file system)" : "") << "\n";
    for (const ProjectCounts::Entry &e : counts->entries)
        out() << (e.label.toLower() + QLatin1Char(':')).leftJustified(17) << e.count << "\n";
    out() << "open by:         ";
    if (leases->isEmpty())
        out() << "nobody\n";
    for (int i = 0; i < leases->size(); ++i) {
        const LeaseInfo &l = leases->at(i);
        out() << (i ? "                 " : "") << l.holder() << " (" << l.program << ", pid "
              << l.pid << ", " << l.mode << ", since "
              << l.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm")) << ")\n";
    }
    out().flush();
    return Ok;
}

} // namespace

QList<Verb> projectVerbs()
{
    QList<Verb> verbs;
    verbs << Verb{QStringLiteral("init"), QStringLiteral("init FILE [--json]"),
                  QStringLiteral("create an empty project file"), {}, {QStringLiteral("json")}};
    verbs << Verb{QStringLiteral("info"), QStringLiteral("info FILE [--json]"),
                  QStringLiteral("schema version, who has the file open, counts per aggregate"),
                  {}, {QStringLiteral("json")}};
    verbs[0].run = [v = verbs[0]](const Args &a) { return runInit(v, a); };
    verbs[1].run = [v = verbs[1]](const Args &a) { return runInfo(v, a); };
    return verbs;
}

} // namespace mlwb::cli
