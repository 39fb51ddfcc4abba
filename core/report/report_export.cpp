// SPDX-License-Identifier: MIT
#include "report/report_export.h"

#include "jobs/job_feedback.h"
#include "report/csv_report_writer.h"
#include "report/html_report_writer.h"
#include "report/json_report_writer.h"
#include "report/markdown_report_writer.h"
#include "report/pdf_report_writer.h"
#include "report/report_builder.h"
#include "store/database.h"
#include "store/worker_connection.h"

#include <QFileInfo>

namespace mlwb {

Result<void> ReportExport::write(const ReportDocument &document, const QString &format, const QString &path,
                                 const QString &paper, bool chartFiles)
{
    if (format == QLatin1String("pdf")) {
        PdfReportOptions options;
        if (paper == QLatin1String("letter"))
            options.paper = PdfReportOptions::Paper::Letter;
        else if (paper != QLatin1String("a4"))
            return Error{QStringLiteral("\"%1\" is not a paper size (a4, letter)").arg(paper), ErrorKind::InvalidInput};
        return PdfReportWriter::write(document, path, options);
    }
    if (format == QLatin1String("html"))
        return HtmlReportWriter::write(document, path);
    if (format == QLatin1String("md"))
        return MarkdownReportWriter::write(document, path, chartFiles);
    if (format == QLatin1String("csv"))
        return CsvReportWriter::write(document, path);
    if (format == QLatin1String("json"))
        return JsonReportWriter::write(document, path);
    return Error{QStringLiteral("\"%1\" is not a report format (pdf, html, md, csv, json)").arg(format), ErrorKind::InvalidInput};
}

Result<ReportDocument> ReportExport::render(Database &db, const ReportRecord &definition, const QString &path,
                                            JobFeedback *feedback)
{
    ReportRequest request;
    request.runIds = definition.runIds;
    request.title = definition.title;
    request.author = definition.author;
    request.sections = definition.sections;
    Result<ReportDocument> document = ReportBuilder(db).build(request, feedback);
    if (!document)
        return document.failure();
    if (feedback) {
        if (feedback->isCanceled())
            return Error{QStringLiteral("canceled"), ErrorKind::Cancelled};
        feedback->setProgress(0.8, QStringLiteral("writing %1").arg(QFileInfo(path).fileName()));
    }
    if (Result<void> w = write(*document, definition.format, path, definition.paper); !w)
        return w.failure();
    if (feedback)
        feedback->setProgress(1.0, QStringLiteral("written"));
    return document;
}

ReportExportJob::ReportExportJob(QString projectPath, ReportRecord definition, QString outputPath)
    : m_path(std::move(projectPath)), m_definition(std::move(definition)), m_output(std::move(outputPath))
{
}

QString ReportExportJob::title() const
{
    return m_definition.name.isEmpty() ? QStringLiteral("Export report (%1)").arg(m_definition.format.toUpper())
                                       : QStringLiteral("Export report %1 (%2)").arg(m_definition.name, m_definition.format.toUpper());
}

ItemRef ReportExportJob::subject() const { return m_definition.id > 0 ? ItemRef{ItemKind{"report"}, m_definition.id} : ItemRef{}; }

Status ReportExportJob::run(JobFeedback &feedback)
{
    Result<Database> db = WorkerConnection::open(m_path, WorkerConnection::Access::Read);
    if (!db)
        return db.failure();
    feedback.setProgress(0.0, QStringLiteral("reading the runs"));
    Result<ReportDocument> done = ReportExport::render(*db, m_definition, m_output, &feedback);
    if (!done)
        return done.failure();
    m_bytes = QFileInfo(m_output).size();
    feedback.log(QStringLiteral("report written to %1 (%2 bytes)").arg(m_output).arg(m_bytes));
    return {};
}

} // namespace mlwb
