// SPDX-License-Identifier: MIT
#pragma once

// ReportExport: a report definition rendered to a file, for every front end. write() picks the
// writer for the format (the one place that knows them, so the CLI and the workbench give the
// same file); ReportExportJob builds and writes off the GUI thread with progress (Export
// Report… and Render Again in the workbench), reading the project through a connection of its
// own.

#include "jobs/job.h"
#include "report/report_document.h"
#include "store/report_repository.h"

namespace mlwb {

class Database;

class ReportExport {
public:
    // pdf, html, md, csv, json (ReportRepository::formats()); `paper` a4 or letter (PDF only).
    // `chartFiles`: Markdown's charts as SVG files beside it (else omitted).
    static Result<void> write(const ReportDocument &document, const QString &format, const QString &path,
                              const QString &paper = QStringLiteral("a4"), bool chartFiles = true);
    // Builds `definition` from `db` and writes it to `path` (progress through `feedback`).
    static Result<ReportDocument> render(Database &db, const ReportRecord &definition, const QString &path,
                                         JobFeedback *feedback = nullptr);
};

class ReportExportJob : public Job {
public:
    ReportExportJob(QString projectPath, ReportRecord definition, QString outputPath);
    QString title() const override;
    ItemRef subject() const override;
    Status run(JobFeedback &feedback) override;

    const QString &outputPath() const { return m_output; }
    // Sizes of what was written, once run: pages for a PDF are not counted here.
    qint64 bytesWritten() const { return m_bytes; }

private:
    QString m_path;
    ReportRecord m_definition;
    QString m_output;
    qint64 m_bytes = 0;
};

} // namespace mlwb
