// SPDX-License-Identifier: MIT
// Report export benchmark (issue #14): a synthetic 20-run report (learning curves of 1000
// decimated points per run and curve, a 200-row table, a confusion matrix) rendered as PDF
// (cairo + pango, two layout passes) and as HTML (inline SVG); times (median of the repeats),
// sizes, and the goal that a 20-run HTML report stays under 2 MB. The baseline measured
// in the same run is the same document with 3 runs.
//   bench_report [--quick] [--runs N] [--repeat N] [--out DIR]   (--out keeps the files)

#include "bench_goal.h"
#include "report/html_report_writer.h"
#include "report/pdf_report_writer.h"
#include "synthetic_report.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Figures {
    double pdfMs = 0, htmlMs = 0;
    qint64 pdfBytes = 0, htmlBytes = 0;
};

Figures measure(const ReportDocument &doc, int repeat, const QString &outDir, const QString &stem)
{
    std::vector<double> pdf, html;
    QByteArray pdfBytes, htmlBytes;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer t;
        t.start();
        Result<QByteArray> r = PdfReportWriter::render(doc);
        pdf.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!r) {
            std::fprintf(stderr, "bench_report: %s\n", qPrintable(r.error()));
            std::exit(1);
        }
        pdfBytes = *r;
        t.restart();
        htmlBytes = HtmlReportWriter::render(doc);
        html.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    if (!outDir.isEmpty()) {
        QFile p(QDir(outDir).filePath(stem + QStringLiteral(".pdf"))),
            h(QDir(outDir).filePath(stem + QStringLiteral(".html")));
        if (p.open(QIODevice::WriteOnly))
            p.write(pdfBytes);
        if (h.open(QIODevice::WriteOnly))
            h.write(htmlBytes);
    }
    return {median(pdf), median(html), pdfBytes.size(), htmlBytes.size()};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    auto option = [&](const char *name, int fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
    };
    const int runs = option("--runs", 20);
    const int repeat = std::max(1, option("--repeat", quick ? 1 : 5));
    const qsizetype outAt = args.indexOf(QStringLiteral("--out"));
    const QString outDir = outAt > 0 ? args.value(outAt + 1) : QString();
    BenchGoals goals(quick);

    // Always 20 runs of 1000 points: the size goal is about that document, even in --quick.
    const ReportDocument small = test::syntheticReport({3, 1000, 200});
    const ReportDocument large = test::syntheticReport({runs, 1000, 200});
    const Figures base = measure(small, repeat, outDir, QStringLiteral("report-3-runs"));
    const Figures big = measure(large, repeat, outDir, QStringLiteral("report-%1-runs").arg(runs));

    std::printf(
        "report export, median of %d (synthetic: 1000-point train and validation curves per run, "
        "a 200-row table, a 10-class confusion matrix)\n",
        repeat);
    std::printf("  %-8s %12s %12s %14s %14s\n", "runs", "PDF ms", "HTML ms", "PDF bytes",
                "HTML bytes");
    std::printf("  %-8d %12.1f %12.1f %14lld %14lld\n", 3, base.pdfMs, base.htmlMs,
                static_cast<long long>(base.pdfBytes), static_cast<long long>(base.htmlBytes));
    std::printf("  %-8d %12.1f %12.1f %14lld %14lld\n", runs, big.pdfMs, big.htmlMs,
                static_cast<long long>(big.pdfBytes), static_cast<long long>(big.htmlBytes));
    std::printf("  %d runs vs 3: PDF time x%.2f, HTML time x%.2f, HTML size x%.2f\n\n", runs,
                big.pdfMs / base.pdfMs, big.htmlMs / base.htmlMs,
                double(big.htmlBytes) / double(base.htmlBytes));

    const double htmlMb = double(big.htmlBytes) / 1e6;
    const bool htmlOk =
        goals.atMost(QStringLiteral("%1-run HTML size").arg(runs).toStdString(), htmlMb, 2.0, "MB");
    std::printf("%d-run HTML under 2 MB: %s\n", runs, htmlOk ? "PASS" : "FAIL");
    goals.atMost(QStringLiteral("%1-run PDF export").arg(runs).toStdString(), big.pdfMs / 1000,
                 10.0, "s");
    goals.atMost(QStringLiteral("%1-run HTML export").arg(runs).toStdString(), big.htmlMs / 1000,
                 2.0, "s");
    return goals.exitCode();
}
