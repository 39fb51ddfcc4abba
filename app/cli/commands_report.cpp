// SPDX-License-Identifier: MIT
// mlwb report: a report on runs (issue #14) as PDF, HTML, Markdown, CSV or JSON, built by the
// same ReportBuilder the workbench uses, so both give the same document.

#include "cli_context.h"
#include "nearest_word.h"

#include "inference/torch_runtime.h"
#include "report/csv_report_writer.h"
#include "report/json_report_writer.h"
#include "report/report_builder.h"
#include "store/project_file.h"

#include <QJsonArray>

namespace mlwb::cli {

namespace {

const QStringList kFormats{QStringLiteral("pdf"), QStringLiteral("html"), QStringLiteral("md"),
                           QStringLiteral("csv"), QStringLiteral("json")};
const QStringList kPapers{QStringLiteral("a4"), QStringLiteral("letter")};

// What a format's writer takes besides the document (the PDF's paper).
struct WriteOptions {
    QString paper = QStringLiteral("a4");
};

// The one place a format meets its writer.
Status writeReport(const ReportDocument &document, const QString &format, const QString &path,
                   const WriteOptions &options)
{
    if (format == u"json")
        return JsonReportWriter::write(document, path);
    if (format == u"csv")
        return CsvReportWriter::write(document, path);
    // pdf: PdfReportWriter::write(document, path, PdfReportOptions{options.paper ...}),
    // html: HtmlReportWriter::write(document, path), md: MarkdownReportWriter::write(document, path)
    // once those writers are in this build.
    Q_UNUSED(options);
    return fail(QStringLiteral("format %1: writer not built yet").arg(format));
}

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

int report(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected one project FILE"));
    auto runs = parseRuns(a);
    if (!runs)
        return usageError(verb, runs.error());
    const QString format = a.value(QStringLiteral("format")).toLower();
    if (!kFormats.contains(format)) {
        const QString guess = NearestWord::find(format, kFormats);
        return usageError(verb, QStringLiteral("--format %1: expected one of %2%3")
                                    .arg(a.value(QStringLiteral("format")), kFormats.join(u'|'),
                                         guess.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(guess)));
    }
    const QString output = a.value(QStringLiteral("o"));
    if (output.isEmpty())
        return usageError(verb, QStringLiteral("-o OUT names no file"));
    WriteOptions options;
    if (a.has(QStringLiteral("paper"))) {
        options.paper = a.value(QStringLiteral("paper")).toLower();
        if (!kPapers.contains(options.paper))
            return usageError(verb, QStringLiteral("--paper %1: expected a4 or letter").arg(a.value(QStringLiteral("paper"))));
    }
    ReportRequest request;
    request.runIds = *runs;
    request.title = a.value(QStringLiteral("title"));
    request.author = a.value(QStringLiteral("author"));
    const QStringList known = ReportBuilder::sectionIds();
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
            request.sections << id;
        }
    }

    auto project = openProject(a.positional.first(), QStringLiteral("mlwb report"), true);
    if (!project)
        return Failure;
    // The environment section names the threads and BLAS this process uses, as the app sets them.
    TorchRuntime::initialize();
    auto document = ReportBuilder(project->db()).build(request);
    if (!document)
        return failure(document.failure());
    if (auto s = writeReport(*document, format, output, options); !s)
        return failure(s.failure());

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
                      "report FILE --runs ID[,ID...] --format pdf|html|md|csv|json -o OUT [--title T] "
                      "[--sections a,b,...] [--author A] [--paper a4|letter] [--json]",
                      "a report on runs: data set, architecture, hyperparameters, metrics, curves, evaluation "
                      "charts, package checks, deployments, environment and lineage",
                      report);
    v.details = QStringLiteral(
        "Run ids as mlwb runs FILE lists them. --sections picks sections (default: every section that\n"
        "applies), in the report's own order:\n  %1.\n"
        "A run without an evaluation, a diverged run (NaN) or runs of different tasks are reported\n"
        "in place, with a warning on stderr; only an unknown run or section fails (exit 1; 2 for\n"
        "a malformed option). csv: one row per number (section, block, type, title, run_id, run,\n"
        "row, column, x, y, value); json: the whole document, NaN as \"NaN\". --paper is the PDF's.")
                    .arg(ReportBuilder::sectionIds().join(QStringLiteral(", ")));
    return {v};
}

} // namespace mlwb::cli
