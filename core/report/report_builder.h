// SPDX-License-Identifier: MIT
#pragma once

// ReportBuilder: turns runs of a project into a ReportDocument (issue #14), reading only what the
// project file already holds: the runs' summaries and metric series, the stored evaluations
// (curves as the evaluators computed them), data sets, model specs, packages and deployments.
// Nothing is re-derived: ROC, PR and calibration come from the evaluation reports the Run and
// Compare panes show, learning curves from the same per-bucket min/max reading the Compare
// pane charts from, so a long curve stays bounded in points and no spike is hidden.
//
// A report is never refused for what the runs are: a run without an evaluation, a run that
// diverged (NaN metrics, shown as "NaN", never 0) or runs of different tasks are said in place,
// as Warning paragraphs in the sections they affect. Only an unknown run or section id (or no
// run at all) is an error.

#include "common/result.h"
#include "report/report_document.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb {

class Database;
class JobFeedback;

struct ReportRequest {
    QList<qint64> runIds; // in the order the report lists them; duplicates are dropped
    QString title;        // empty: "Report on <run>" or "Report on N runs"
    QString author;
    QStringList sections; // ids (ReportBuilder::sectionIds()); empty: every section that applies
};

class ReportBuilder {
public:
    // Buckets a learning curve is read as: at most two points (a bucket's min and max) each.
    static constexpr int kCurveBuckets = 320;
    // Points kept per ROC / PR curve (thinned along the curve's length, ends kept).
    static constexpr int kMaxCurvePoints = 200;
    // Residual scatter: one point per occupied cell of this grid over the plot.
    static constexpr int kResidualColumns = 80;
    static constexpr int kResidualRows = 25;
    // Metric columns per table: wider tables do not fit a page.
    static constexpr int kMetricColumnsPerTable = 6;
    // Runs above which the hyperparameter table lists runs as rows (only the keys that differ
    // as columns) instead of as columns.
    static constexpr int kMaxRunColumns = 8;
    // Classes of a multiclass evaluation drawn as ROC / PR charts of their own.
    static constexpr int kMaxClassCharts = 10;

    // `db` is the project's connection on the calling thread (the GUI's, a job's own, the CLI's).
    explicit ReportBuilder(Database &db);

    // Every section id, in the order a report lists them: dataset, architecture,
    // hyperparameters, metrics, curves, confusion, roc, pr, calibration, residuals, checks,
    // deployment, environment, lineage.
    static QStringList sectionIds();
    // "Data set", "Architecture", ...; empty for an unknown id.
    static QString sectionTitle(const QString &id);

    // Sections come in sectionIds() order whatever order the request names them in. With no
    // sections named, sections that cannot apply (residuals without a regression run, checks
    // without a package, ...) are left out; a section named explicitly is always there and says
    // why it is empty. Errors: InvalidInput for no runs or an unknown section id, NotFound for an
    // unknown run id (each naming it), Cancelled when `feedback` is cancelled, and what the
    // store reports when the file cannot be read.
    Result<ReportDocument> build(const ReportRequest &request, JobFeedback *feedback = nullptr);

private:
    Database &m_db;
};

} // namespace mlwb
