// SPDX-License-Identifier: MIT
#include "synthetic_report.h"

#include "common/format.h"

#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb::test {

namespace {

const char *const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                               "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

QString runName(int i)
{
    static const char *const kFamilies[] = {"mlp-64", "mlp-256", "cnn-wide", "cnn-small",
                                            "resnet-8"};
    return QStringLiteral("%1 #%2").arg(QLatin1String(kFamilies[i % 5])).arg(i);
}

} // namespace

ReportDocument syntheticReport(const SyntheticReport &spec)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    ReportDocument doc;
    doc.title = QStringLiteral("Digits classifier: evaluation of %1 runs").arg(spec.runs);
    doc.author = QStringLiteral("Alice Example");
    doc.project = QStringLiteral("digits-demo.mlwb");
    doc.created = QDateTime(QDate(2026, 12, 1), QTime(10, 30), Qt::UTC);
    for (int i = 0; i < spec.runs; ++i)
        doc.runs.push_back({qint64(100 + i), runName(i), QString::fromLatin1(kColors[i % 10])});

    ReportSection summary{QStringLiteral("summary"), QStringLiteral("Summary"), {}};
    summary.blocks.push_back(ReportParagraph{
        QStringLiteral(
            "This report compares %1 training runs on the digits data set (1,797 images of "
            "8x8 pixels, 10 classes). Accuracy and macro F1 are measured on the held-out test "
            "split of 360 rows; the learning curves show the training and validation loss of "
            "every run, one colour per run throughout the report.")
            .arg(spec.runs)});
    summary.blocks.push_back(
        ReportParagraph{QString::fromLatin1(kWarningText), ReportParagraph::Tone::Warning});
    summary.blocks.push_back(
        ReportParagraph{QStringLiteral("Metrics are rounded to four significant digits."),
                        ReportParagraph::Tone::Note});
    doc.sections.push_back(std::move(summary));

    ReportSection dataset{QStringLiteral("dataset"), QStringLiteral("Data set"), {}};
    dataset.blocks.push_back(ReportKeyValues{
        QStringLiteral("digits"),
        {{QStringLiteral("Rows"), QStringLiteral("1797 (train 1257, validation 180, test 360)")},
         {QStringLiteral("Columns"), QStringLiteral("64 features, 1 target (class)")},
         {QStringLiteral("Content hash"),
          QStringLiteral(
              "sha256:9f2c1e0b7a6d5c4b3a29181706f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7")},
         {QStringLiteral("Class balance"),
          QStringLiteral(
              "0: 178, 1: 182, 2: 177, 3: 183, 4: 181, 5: 182, 6: 181, 7: 179, 8: 174, 9: 180")}}});
    doc.sections.push_back(std::move(dataset));

    // Metrics: one row per run; run 2 diverged (NaN), run 0 is the best.
    ReportSection metrics{QStringLiteral("metrics"), QStringLiteral("Metrics"), {}};
    ReportTable table;
    table.caption = QStringLiteral("Test metrics");
    table.header = {QStringLiteral("Run"),        QStringLiteral("Accuracy"),
                    QStringLiteral("Macro F1"),   QStringLiteral("Loss"),
                    QStringLiteral("Parameters"), QStringLiteral("Time")};
    table.align = {ReportTable::Align::Left,  ReportTable::Align::Right, ReportTable::Align::Right,
                   ReportTable::Align::Right, ReportTable::Align::Right, ReportTable::Align::Right};
    for (int i = 0; i < spec.runs; ++i) {
        const bool diverged = i == 2;
        const double accuracy = diverged ? nan : 0.9731 - 0.0042 * i - 0.0003 * (i % 3);
        const double f1 = diverged ? nan : accuracy - 0.0021;
        const double loss = diverged ? nan : 0.0912 + 0.011 * i;
        const double params = 4810 + 1280 * i;
        table.rows.push_back({doc.runs[size_t(i)].name, Format::metric(accuracy),
                              Format::metric(f1), Format::metric(loss),
                              Format::count(qint64(params)), Format::duration(42 + 7.5 * i)});
        table.values.push_back({nan, accuracy, f1, loss, params, 42 + 7.5 * i});
        table.emphasis.push_back({false, i == 0, i == 0, i == 0, false, false});
        table.rowRun.push_back(i);
    }
    metrics.blocks.push_back(std::move(table));
    doc.sections.push_back(std::move(metrics));

    // Learning curves: training (line) and validation (dashed) loss; run 2's turns NaN.
    ReportSection curves{QStringLiteral("curves"), QStringLiteral("Learning curves"), {}};
    ReportChart loss;
    loss.title = QStringLiteral("Loss");
    loss.xLabel = QStringLiteral("step");
    loss.yLabel = QStringLiteral("cross-entropy");
    loss.logY = true;
    ReportChart accuracy;
    accuracy.title = QStringLiteral("Validation accuracy");
    accuracy.xLabel = QStringLiteral("step");
    accuracy.yLabel = QStringLiteral("accuracy");
    accuracy.yMin = 0;
    accuracy.yMax = 1;
    for (int i = 0; i < spec.runs; ++i) {
        ReportSeries train{doc.runs[size_t(i)].name + QStringLiteral(" train"),
                           doc.runs[size_t(i)].color,
                           ReportSeries::Style::Line,
                           i,
                           {},
                           {}};
        ReportSeries val{doc.runs[size_t(i)].name + QStringLiteral(" validation"),
                         doc.runs[size_t(i)].color,
                         ReportSeries::Style::Dashed,
                         i,
                         {},
                         {}};
        ReportSeries acc{doc.runs[size_t(i)].name,
                         doc.runs[size_t(i)].color,
                         ReportSeries::Style::Line,
                         i,
                         {},
                         {}};
        for (int p = 0; p < spec.points; ++p) {
            const double step = 5.0 * p;
            const double t = double(p) / spec.points;
            // Min/max decimation hands over alternating low and high values: a little noise of
            // both signs on a slow wobble.
            const double noise = 0.012 * (p % 2 ? 1 : -1) + 0.03 * std::sin(p * 0.05 + i);
            const double base = 2.3 * std::exp(-4.0 * t * (1 + 0.15 * i)) + 0.05 + 0.01 * i;
            train.x.push_back(step);
            train.y.push_back(base * (1 + noise));
            val.x.push_back(step);
            val.y.push_back(i == 2 && p > 412 / 5 ? nan : base * (1.15 + noise) + 0.02);
            acc.x.push_back(step);
            acc.y.push_back(
                i == 2 && p > 412 / 5
                    ? nan
                    : std::min(1.0,
                               (0.9731 - 0.0042 * i) * (1 - std::exp(-6 * t * (1 + 0.35 * i))) +
                                   0.1 * std::exp(-6 * t * (1 + 0.35 * i)) + 0.05 * noise));
        }
        loss.series.push_back(std::move(train));
        loss.series.push_back(std::move(val));
        accuracy.series.push_back(std::move(acc));
    }
    curves.blocks.push_back(std::move(loss));
    curves.blocks.push_back(std::move(accuracy));
    doc.sections.push_back(std::move(curves));

    // Confusion matrix of the best run and a calibration chart (points and a reference line).
    ReportSection evaluation{
        QStringLiteral("evaluation"), QStringLiteral("Evaluation of the best run"), {}};
    ReportMatrix matrix;
    matrix.title = QStringLiteral("Confusion matrix: ") + doc.runs[0].name;
    matrix.run = 0;
    for (int c = 0; c < 10; ++c)
        matrix.labels << QString::number(c);
    for (int r = 0; r < 10; ++r) {
        std::vector<double> row(10, 0);
        row[size_t(r)] = 33 + (r * 7) % 5;
        row[size_t((r + 3) % 10)] = r % 3;
        row[size_t((r + 8) % 10)] = (r * 5) % 2;
        matrix.counts.push_back(row);
    }
    evaluation.blocks.push_back(ReportHeading{QStringLiteral("Confusion matrix"), 2});
    evaluation.blocks.push_back(std::move(matrix));
    ReportChart calibration;
    calibration.title = QStringLiteral("Calibration");
    calibration.xLabel = QStringLiteral("mean predicted probability");
    calibration.yLabel = QStringLiteral("fraction of positives");
    calibration.xMin = calibration.yMin = 0;
    calibration.xMax = calibration.yMax = 1;
    ReportSeries diagonal{QStringLiteral("perfectly calibrated"),
                          QStringLiteral("#8c8c8c"),
                          ReportSeries::Style::Dashed,
                          -1,
                          {0, 1},
                          {0, 1}};
    ReportSeries bins{doc.runs[0].name, doc.runs[0].color, ReportSeries::Style::Points, 0, {}, {}};
    for (int b = 0; b < 10; ++b) {
        bins.x.push_back(0.05 + 0.1 * b);
        bins.y.push_back(std::clamp(0.05 + 0.1 * b + 0.03 * std::sin(b), 0.0, 1.0));
    }
    bins.y[4] = nan; // an empty bin
    calibration.series.push_back(std::move(diagonal));
    calibration.series.push_back(std::move(bins));
    evaluation.blocks.push_back(ReportHeading{QStringLiteral("Calibration"), 2});
    evaluation.blocks.push_back(std::move(calibration));

    // A long table: it breaks across pages, its last column wraps.
    ReportTable samples;
    samples.caption = QString::fromLatin1(kLongTableCaption);
    samples.header = {QStringLiteral("Row"), QStringLiteral("Actual"), QStringLiteral("Predicted"),
                      QStringLiteral("Confidence"), QString::fromLatin1(kLongTableLastColumn)};
    samples.align = {ReportTable::Align::Right, ReportTable::Align::Right,
                     ReportTable::Align::Right, ReportTable::Align::Right,
                     ReportTable::Align::Left};
    for (int r = 0; r < spec.longRows; ++r) {
        const int actual = r % 10, predicted = (r * 3 + 1) % 10;
        const QString comment =
            r % 7 == 0
                ? QStringLiteral("Stroke is faint and the loop of the digit is open at the top, "
                                 "so it reads like a %1 even to a person; keep it in the set.")
                      .arg(predicted)
            : r % 3 == 0 ? QStringLiteral("Scan | cropped")
                         : QString();
        samples.rows.push_back({QString::number(1200 + r), QString::number(actual),
                                QString::number(predicted), Format::metric(0.51 + 0.0023 * r),
                                comment});
    }
    evaluation.blocks.push_back(ReportHeading{QStringLiteral("Misclassified samples"), 2});
    evaluation.blocks.push_back(std::move(samples));
    doc.sections.push_back(std::move(evaluation));

    ReportSection environment{QStringLiteral("environment"), QStringLiteral("Environment"), {}};
    environment.blocks.push_back(
        ReportKeyValues{QString(),
                        {{QStringLiteral("Application"), QStringLiteral("MLOps Workbench 0.1.0")},
                         {QStringLiteral("libtorch"), QStringLiteral("1.13.1 (CPU)")},
                         {QStringLiteral("BLAS"), QStringLiteral("OpenBLAS 0.3.21 (OpenMP)")},
                         {QStringLiteral("CPU"), QStringLiteral("2 cores, x86_64")},
                         {QStringLiteral("Threads"), QStringLiteral("2")}}});
    doc.sections.push_back(std::move(environment));
    return doc;
}

} // namespace mlwb::test
