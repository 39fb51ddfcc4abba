// SPDX-License-Identifier: MIT
// mlwb report: a report on runs (issue #14) as PDF, HTML, Markdown, CSV or JSON, built by the
// same ReportBuilder the workbench uses, so both give the same document.

#include "cli_context.h"
#include "nearest_word.h"

#include "inference/torch_runtime.h"
#include "report/report_builder.h"
#include "report/report_export.h"
#include "store/project_file.h"
#include "store/report_repository.h"

#include <QFileInfo>
#include <QJsonArray>

namespace mlwb::cli {

namespace {

const QStringList kFormats{QStringLiteral("pdf"), QStringLiteral("html"), QStringLiteral("md"),
                           QStringLiteral("csv"), QStringLiteral("json")};
const QStringList kPapers{QStringLiteral("a4"), QStringLiteral("letter")};

Result<QList<qint64>> parseRuns(const Args &a)
{
    QList<qint64> ids;
    for (const QString &value : a.values(QStringLiteral("runs"))) {
        for (const QString &part : value.split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const qint64 id = part.trimmed().toLongLong(&ok);
            if (!ok || id <= 0)
                return invalidInput(QStringLiteral("--runs takes run ids separated by commas (see mlwb runs FILE); "
                                                   "\"%1\" is not one")
                                        .arg(part.trimmed()));
            ids << id;
        }
    }
    if (ids.isEmpty())
        return invalidInput(QStringLiteral("--runs names no run"));
    return ids;
}

int listReports(const Args &a)
{
    auto project = openProject(a.positional.first(), QStringLiteral("mlwb report"), true);
    if (!project)
        return Failure;
    auto reports = ReportRepository(project->db()).list();
    if (!reports)
        return failure(reports.failure());
    if (a.has(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const ReportRecord &r : std::as_const(*reports))
            arr.append(r.toJson());
        printJson({{QStringLiteral("reports"), arr}});
        return Ok;
    }
    if (reports->isEmpty()) {
        out() << "no stored reports (mlwb report FILE --runs ... --save NAME keeps one)" << Qt::endl;
        return Ok;
    }
    for (const ReportRecord &r : std::as_const(*reports)) {
        QStringList runs;
        for (const qint64 id : r.runIds)
            runs << QString::number(id);
        out() << r.name << "  " << r.format << "  runs " << runs.join(u',') << "  sections "
              << (r.sections.isEmpty() ? QStringLiteral("all") : r.sections.join(u',')) << "  "
              << (r.renderedAt.isValid() ? QStringLiteral("rendered %1 to %2").arg(r.renderedAt.toUTC().toString(Qt::ISODate), r.renderedTo)
                                         : QStringLiteral("never rendered"))
              << Qt::endl;
    }
    return Ok;
}

int report(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected one project FILE"));
    if (a.has(QStringLiteral("list")))
        return listReports(a);
    const QString stored = a.value(QStringLiteral("report"));
    const QString save = a.value(QStringLiteral("save"));
    if (!stored.isEmpty() && !save.isEmpty())
        return usageError(verb, QStringLiteral("--report renders a stored definition, --save stores a new one: not both"));
    // A stored definition's choices, each overridden by the option given.
    ReportRecord def;
    std::unique_ptr<ProjectFile> project;
    const bool writes = !stored.isEmpty() || !save.isEmpty(); // notes when and where it was rendered
    if (writes) {
        project = openProject(a.positional.first(), QStringLiteral("mlwb report"), false);
        if (!project)
            return Failure;
        if (project->isReadOnly())
            return failure(Error{QStringLiteral("%1 is open read-only (%2): --report and --save note the report in it")
                                     .arg(a.positional.first(), project->readOnlyReason()),
                                 ErrorKind::Conflict});
    }
    if (!stored.isEmpty()) {
        auto r = ReportRepository(project->db()).find(stored);
        if (!r)
            return failure(r.failure());
        def = *r;
    }
    if (a.has(QStringLiteral("runs")) || stored.isEmpty()) {
        auto runs = parseRuns(a);
        if (!runs)
            return usageError(verb, runs.error());
        def.runIds = *runs;
    }
    if (!a.has(QStringLiteral("format")) && stored.isEmpty())
        return usageError(verb, QStringLiteral("--format is missing"));
    if (a.has(QStringLiteral("format"))) {
        const QString format = a.value(QStringLiteral("format")).toLower();
        if (!kFormats.contains(format)) {
            const QString guess = NearestWord::find(format, kFormats);
            return usageError(verb, QStringLiteral("--format %1: expected one of %2%3")
                                        .arg(a.value(QStringLiteral("format")), kFormats.join(u'|'),
                                             guess.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(guess)));
        }
        def.format = format;
    }
    const QString format = def.format;
    if (!a.has(QStringLiteral("o")))
        return usageError(verb, QStringLiteral("-o is missing"));
    const QString output = a.value(QStringLiteral("o"));
    if (output.isEmpty())
        return usageError(verb, QStringLiteral("-o OUT names no file"));
    if (a.has(QStringLiteral("paper"))) {
        def.paper = a.value(QStringLiteral("paper")).toLower();
        if (!kPapers.contains(def.paper))
            return usageError(verb, QStringLiteral("--paper %1: expected a4 or letter").arg(a.value(QStringLiteral("paper"))));
    }
    if (a.has(QStringLiteral("title")))
        def.title = a.value(QStringLiteral("title"));
    if (a.has(QStringLiteral("author")))
        def.author = a.value(QStringLiteral("author"));
    const QStringList known = ReportBuilder::sectionIds();
    if (a.has(QStringLiteral("sections")))
        def.sections.clear();
    for (const QString &value : a.values(QStringLiteral("sections"))) {
        for (const QString &part : value.split(u',', Qt::SkipEmptyParts)) {
            const QString id = part.trimmed().toLower();
            if (!known.contains(id)) {
                const QString guess = NearestWord::find(id, known);
                return usageError(verb, QStringLiteral("--sections: unknown section \"%1\"%2; sections are %3")
                                            .arg(part.trimmed(),
                                                 guess.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(guess),
                                                 known.join(QStringLiteral(", "))));
            }
            def.sections << id;
        }
    }
    ReportRequest request;
    request.runIds = def.runIds;
    request.title = def.title;
    request.author = def.author;
    request.sections = def.sections;

    if (!project) {
        project = openProject(a.positional.first(), QStringLiteral("mlwb report"), true);
        if (!project)
            return Failure;
    }
    // The environment section names the threads and BLAS this process uses, as the app sets them.
    TorchRuntime::initialize();
    auto document = ReportBuilder(project->db()).build(request);
    if (!document)
        return failure(document.failure());
    if (auto s = ReportExport::write(*document, format, output, def.paper, !a.has(QStringLiteral("no-chart-files"))); !s)
        return failure(s.failure());
    if (writes) {
        ReportRepository reports(project->db());
        if (!save.isEmpty()) {
            def.name = save;
            auto existing = reports.find(save);
            if (existing) {
                def.id = existing->id;
                if (Status st = reports.update(def); !st)
                    return failure(st.failure());
            } else if (existing.kind() == ErrorKind::NotFound) {
                auto id = reports.add(def);
                if (!id)
                    return failure(id.failure());
                def.id = *id;
            } else {
                return failure(existing.failure());
            }
        }
        if (Status st = reports.markRendered(def.id, QFileInfo(output).absoluteFilePath()); !st)
            return failure(st.failure());
    }

    // What the report says in place, also where a script sees it.
    int warnings = 0;
    QJsonArray sections;
    for (const ReportSection &section : document->sections) {
        sections.append(section.id);
        for (const ReportBlock &block : section.blocks)
            if (const auto *p = std::get_if<ReportParagraph>(&block); p && p->tone == ReportParagraph::Tone::Warning) {
                ++warnings;
                err() << "mlwb report: warning: " << section.id << ": " << p->text << Qt::endl;
            }
    }
    if (a.has(QStringLiteral("json"))) {
        QJsonArray ids;
        for (const ReportRun &r : document->runs)
            ids.append(r.id);
        printJson({{QStringLiteral("file"), output},
                   {QStringLiteral("format"), format},
                   {QStringLiteral("title"), document->title},
                   {QStringLiteral("runs"), ids},
                   {QStringLiteral("sections"), sections},
                   {QStringLiteral("warnings"), warnings}});
    } else {
        out() << "wrote " << output << " (" << format << ", " << document->runs.size()
              << (document->runs.size() == 1 ? " run, " : " runs, ") << sections.size() << " sections"
              << (warnings ? QStringLiteral(", %1 warning%2").arg(warnings).arg(warnings == 1 ? QString() : QStringLiteral("s")) : QString())
              << ")" << Qt::endl;
    }
    return Ok;
}

} // namespace

QList<Verb> reportVerbs()
{
    Verb v = makeVerb("report",
                      "report FILE (--runs ID[,ID...] | --report NAME | --list) [--format pdf|html|md|csv|json] [-o OUT] "
                      "[--title T] [--sections a,b,...] [--author A] [--paper a4|letter] [--save NAME] [--no-chart-files] [--json]",
                      "a report on runs: data set, architecture, hyperparameters, metrics, curves, evaluation "
                      "charts, package checks, deployments, environment and lineage",
                      report, {QStringLiteral("json"), QStringLiteral("list"), QStringLiteral("no-chart-files")});
    v.details = QStringLiteral(
        "  mlwb report FILE --runs ID[,ID...] --format pdf|html|md|csv|json -o OUT [...]\n"
        "  mlwb report FILE --report NAME -o OUT      (a stored definition again; options override it)\n"
        "  mlwb report FILE --list [--json]           (the stored definitions)\n"
        "Run ids as mlwb runs FILE lists them. --sections picks sections (default: every section that\n"
        "applies), in the report's own order:\n  %1.\n"
        "A run without an evaluation, a diverged run (NaN) or runs of different tasks are reported\n"
        "in place, with a warning on stderr; only an unknown run or section fails (exit 1; 2 for\n"
        "a malformed option). csv: one row per number (section, block, type, title, run_id, run,\n"
        "row, column, x, y, value); json: the whole document, NaN as \"NaN\". --paper is the PDF's.\n"
        "md: charts as SVG files in OUT's NAME_files folder (--no-chart-files: left out).\n"
        "--save NAME keeps the definition in the project (Reports in the workbench's explorer);\n"
        "--report NAME renders a stored one again with the runs as they are now; --list lists them.")
                    .arg(ReportBuilder::sectionIds().join(QStringLiteral(", ")));
    return {v};
}

} // namespace mlwb::cli
