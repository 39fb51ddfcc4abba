// SPDX-License-Identifier: MIT
#include "report/html_report_writer.h"

#include "common/format.h"
#include "report/report_color.h"
#include "report/svg_chart.h"
#include "report/xml_text.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb::HtmlReportWriter", text);
}

QString esc(const QString &s)
{
    return XmlText::escaped(s);
}

// Paragraph text: escaped, line breaks kept.
QString escLines(const QString &s)
{
    QString out = esc(s);
    out.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    out.replace(QLatin1Char('\n'), QLatin1String("<br/>"));
    return out;
}

// Light, print-friendly, nothing fetched: system fonts only, no url(), no @import.
const char *const kStyle = R"css(
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--rule:#e8ecf0;--soft:#f6f8fa;--accent:#2f5f98}
*{box-sizing:border-box}
html{background:#fff}
body{margin:0;background:#fff;color:var(--ink);font:14px/1.5 "DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.page{max-width:1000px;margin:0 auto;padding:40px 48px 56px}
header.cover{border-bottom:3px solid var(--accent);padding-bottom:22px;margin-bottom:8px}
.kicker{margin:0;color:var(--accent);font-size:12px;font-weight:bold;letter-spacing:.08em;text-transform:uppercase}
h1{font-size:30px;line-height:1.2;margin:6px 0 16px}
h2{font-size:21px;margin:0 0 14px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:22px 0 8px}
h4{font-size:14px;margin:18px 0 6px;color:var(--muted)}
dl.meta{display:flex;flex-wrap:wrap;gap:8px 36px;margin:0 0 18px}
dl.meta div{min-width:120px}
dl.meta dt{font-size:11px;color:var(--muted);letter-spacing:.05em;text-transform:uppercase}
dl.meta dd{margin:0;font-weight:600}
.runs-title{font-size:11px;color:var(--muted);letter-spacing:.05em;text-transform:uppercase;margin:0 0 6px}
ul.runs{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 22px}
ul.runs li{white-space:nowrap}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px;vertical-align:-1px;border:1px solid rgba(0,0,0,.15)}
nav.toc{margin:22px 0 8px;padding:14px 20px;background:var(--soft);border:1px solid var(--rule);border-radius:6px}
nav.toc h2{font-size:13px;border:0;margin:0 0 6px;padding:0;color:var(--muted);letter-spacing:.05em;text-transform:uppercase}
nav.toc ol{margin:0;padding-left:22px;columns:2;column-gap:40px}
nav.toc a{color:var(--accent);text-decoration:none}
section{margin-top:38px}
p{margin:8px 0}
p.note{background:#f1f6fb;border-left:4px solid #8fb3d9;padding:8px 14px;color:#2b3d52}
p.warning{background:#fff7e0;border-left:4px solid #d99a00;padding:9px 14px;color:#4d3800}
p.warning strong{color:#8a5a00}
.table-wrap{overflow-x:auto;margin:12px 0 18px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;font-weight:600;color:var(--muted);padding:0 0 6px}
table.data{width:100%;font-size:13px}
table.data th{background:var(--soft);text-align:left;font-weight:600;padding:6px 10px;border-bottom:2px solid var(--line);white-space:nowrap}
table.data td{padding:5px 10px;border-bottom:1px solid var(--rule);vertical-align:top}
table.data tbody tr:nth-child(even) td{background:#fbfcfd}
table.data .num{text-align:right}
table.data td.em{font-weight:bold}
table.kv{font-size:13px;min-width:50%}
table.kv th{text-align:left;font-weight:normal;color:var(--muted);padding:4px 24px 4px 0;vertical-align:top;white-space:nowrap}
table.kv td{padding:4px 0;border-bottom:1px solid var(--rule)}
figure{margin:16px 0 24px;break-inside:avoid;page-break-inside:avoid}
figure.chart{border:1px solid var(--rule);border-radius:6px;padding:10px 12px}
svg.chart{display:block;width:100%;height:auto}
figcaption{font-weight:600;margin:0 0 8px}
table.matrix{font-size:12px}
table.matrix th{font-weight:normal;color:var(--muted);padding:4px 8px;text-align:right}
table.matrix thead th{text-align:center;vertical-align:bottom}
table.matrix th.corner{font-size:11px;text-align:left}
table.matrix td{min-width:44px;padding:6px 8px;text-align:right;border:1px solid #fff}
table.matrix td.diag{font-weight:bold}
footer{margin-top:48px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
@page{margin:16mm 14mm}
@media print{
body{font-size:10.5pt}
.page{max-width:none;padding:0}
nav.toc{break-after:page;page-break-after:always}
section{margin-top:24px}
h2,h3,h4,caption,figcaption{break-after:avoid;page-break-after:avoid}
tr{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
.table-wrap{overflow:visible}
figure.chart{border:0;padding:0}
nav.toc a{color:inherit}
}
)css";

QString sectionAnchor(const ReportSection &section, int index, QSet<QString> &used)
{
    QString base;
    for (QChar c : section.id.isEmpty() ? section.title : section.id) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            base += c.toLower();
        else if (!base.endsWith(QLatin1Char('-')))
            base += QLatin1Char('-');
    }
    while (base.endsWith(QLatin1Char('-')))
        base.chop(1);
    if (base.isEmpty())
        base = QStringLiteral("section-%1").arg(index + 1);
    QString id = QStringLiteral("s-") + base;
    for (int n = 2; used.contains(id); ++n)
        id = QStringLiteral("s-%1-%2").arg(base).arg(n);
    used.insert(id);
    return id;
}

QString swatch(const QString &color)
{
    return QStringLiteral("<span class=\"swatch\" style=\"background:%1\"></span>")
        .arg(ReportColor::sanitized(color));
}

QString runColor(const ReportDocument &doc, int run)
{
    return run >= 0 && run < int(doc.runs.size()) ? doc.runs[size_t(run)].color : QString();
}

void writeParagraph(QString &out, const ReportParagraph &p)
{
    switch (p.tone) {
    case ReportParagraph::Tone::Normal:
        out += QStringLiteral("<p>%1</p>\n").arg(escLines(p.text));
        break;
    case ReportParagraph::Tone::Note:
        out += QStringLiteral("<p class=\"note\">%1</p>\n").arg(escLines(p.text));
        break;
    case ReportParagraph::Tone::Warning:
        out += QStringLiteral("<p class=\"warning\" role=\"note\"><strong>%1</strong> %2</p>\n")
                   .arg(esc(tr("Warning:")), escLines(p.text));
        break;
    }
}

void writeKeyValues(QString &out, const ReportKeyValues &kv)
{
    out += QStringLiteral("<div class=\"table-wrap\"><table class=\"kv\">");
    if (!kv.caption.isEmpty())
        out += QStringLiteral("<caption>%1</caption>").arg(esc(kv.caption));
    out += QStringLiteral("<tbody>");
    for (const auto &[key, value] : kv.pairs)
        out += QStringLiteral("<tr><th scope=\"row\">%1</th><td>%2</td></tr>")
                   .arg(esc(key), esc(value));
    out += QStringLiteral("</tbody></table></div>\n");
}

void writeTable(QString &out, const ReportDocument &doc, const ReportTable &t)
{
    const int columns = std::max<int>(int(t.header.size()), [&] {
        int n = 0;
        for (const QStringList &row : t.rows)
            n = std::max(n, int(row.size()));
        return n;
    }());
    auto right = [&](int c) {
        return c < int(t.align.size()) && t.align[size_t(c)] == ReportTable::Align::Right;
    };
    out += QStringLiteral("<div class=\"table-wrap\"><table class=\"data\">");
    if (!t.caption.isEmpty())
        out += QStringLiteral("<caption>%1</caption>").arg(esc(t.caption));
    if (!t.header.isEmpty()) {
        out += QStringLiteral("<thead><tr>");
        for (int c = 0; c < columns; ++c)
            out += QStringLiteral("<th scope=\"col\"%1>%2</th>")
                       .arg(right(c) ? QStringLiteral(" class=\"num\"") : QString(),
                            esc(c < t.header.size() ? t.header[c] : QString()));
        out += QStringLiteral("</tr></thead>");
    }
    out += QStringLiteral("<tbody>\n");
    for (size_t r = 0; r < t.rows.size(); ++r) {
        const QStringList &row = t.rows[r];
        const int run = r < t.rowRun.size() ? t.rowRun[r] : -1;
        out += QStringLiteral("<tr>");
        for (int c = 0; c < columns; ++c) {
            const bool em = r < t.emphasis.size() && size_t(c) < t.emphasis[r].size() &&
                            t.emphasis[r][size_t(c)];
            QStringList classes;
            if (right(c))
                classes << QStringLiteral("num");
            if (em)
                classes << QStringLiteral("em");
            const QString cls =
                classes.isEmpty()
                    ? QString()
                    : QStringLiteral(" class=\"%1\"").arg(classes.join(QLatin1Char(' ')));
            const QString mark = c == 0 && run >= 0 && run < int(doc.runs.size())
                                     ? swatch(runColor(doc, run))
                                     : QString();
            out += QStringLiteral("<td%1>%2%3</td>")
                       .arg(cls, mark, esc(c < row.size() ? row[c] : QString()));
        }
        out += QStringLiteral("</tr>\n");
    }
    out += QStringLiteral("</tbody></table></div>\n");
}

QString countText(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return QString::number(qint64(v));
    return Format::metric(v);
}

void writeMatrix(QString &out, const ReportDocument &doc, const ReportMatrix &m)
{
    out += QStringLiteral("<figure class=\"matrix\">");
    if (!m.title.isEmpty() || m.run >= 0)
        out += QStringLiteral("<figcaption>%1%2</figcaption>")
                   .arg(m.run >= 0 && m.run < int(doc.runs.size()) ? swatch(runColor(doc, m.run))
                                                                   : QString(),
                        esc(m.title));
    const int n = int(std::max<size_t>(size_t(m.labels.size()), m.counts.size()));
    auto label = [&](int i) { return i < m.labels.size() ? m.labels[i] : QString::number(i); };
    out += QStringLiteral("<div class=\"table-wrap\"><table class=\"matrix\"><thead><tr><th "
                          "class=\"corner\">%1</th>")
               .arg(esc(tr("actual \u2193 predicted \u2192")));
    int columns = n;
    for (const auto &row : m.counts)
        columns = std::max(columns, int(row.size()));
    for (int c = 0; c < columns; ++c)
        out += QStringLiteral("<th scope=\"col\">%1</th>").arg(esc(label(c)));
    out += QStringLiteral("</tr></thead><tbody>\n");
    const QString shade = QStringLiteral("#2f6fb0");
    for (size_t r = 0; r < m.counts.size(); ++r) {
        const std::vector<double> &row = m.counts[r];
        double sum = 0;
        for (double v : row)
            if (std::isfinite(v))
                sum += v;
        out += QStringLiteral("<tr><th scope=\"row\">%1</th>").arg(esc(label(int(r))));
        for (int c = 0; c < columns; ++c) {
            const double v = size_t(c) < row.size() ? row[size_t(c)] : std::nan("");
            const double share = sum > 0 && std::isfinite(v) ? v / sum : 0;
            const QString bg = ReportColor::tint(shade, share * 0.92);
            const QString fg = ReportColor::textOn(bg);
            out += QStringLiteral("<td%1 style=\"background:%2;color:%3\" title=\"%4\">%5</td>")
                       .arg(size_t(c) == r ? QStringLiteral(" class=\"diag\"") : QString(), bg, fg,
                            esc(QStringLiteral("%1% of row").arg(share * 100, 0, 'f', 1)),
                            esc(size_t(c) < row.size() ? countText(v) : QString()));
        }
        out += QStringLiteral("</tr>\n");
    }
    out += QStringLiteral("</tbody></table></div></figure>\n");
}

} // namespace

QByteArray HtmlReportWriter::render(const ReportDocument &doc)
{
    QString out;
    out.reserve(1 << 16);
    out += QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out += QStringLiteral("<meta name=\"generator\" content=\"MLOps Workbench %1\"/>\n")
               .arg(QStringLiteral(MLWB_VERSION));
    if (!doc.author.isEmpty())
        out += QStringLiteral("<meta name=\"author\" content=\"%1\"/>\n").arg(esc(doc.author));
    out += QStringLiteral("<title>%1</title>\n<style>").arg(esc(doc.title));
    out += QString::fromLatin1(kStyle);
    out += QStringLiteral("</style>\n</head>\n<body>\n<div class=\"page\">\n");

    // The cover: what, whose, when, and the runs with the colours every chart uses.
    out += QStringLiteral("<header class=\"cover\">\n<p class=\"kicker\">%1</p>\n<h1>%2</h1>\n<dl "
                          "class=\"meta\">")
               .arg(esc(tr("Evaluation report")), esc(doc.title));
    auto meta = [&](const QString &key, const QString &value) {
        if (!value.isEmpty())
            out += QStringLiteral("<div><dt>%1</dt><dd>%2</dd></div>").arg(esc(key), esc(value));
    };
    meta(tr("Project"), doc.project);
    meta(tr("Author"), doc.author);
    meta(tr("Date"), doc.created.isValid() ? Format::dateTime(doc.created) : QString());
    meta(tr("Runs"), QString::number(doc.runs.size()));
    out += QStringLiteral("</dl>\n");
    if (!doc.runs.empty()) {
        out += QStringLiteral("<p class=\"runs-title\">%1</p>\n<ul class=\"runs\">")
                   .arg(esc(tr("Runs compared")));
        for (const ReportRun &run : doc.runs)
            out += QStringLiteral("<li>%1%2</li>")
                       .arg(swatch(run.color), esc(Format::runName(run.name, run.id)));
        out += QStringLiteral("</ul>\n");
    }
    out += QStringLiteral("</header>\n");

    QSet<QString> used;
    std::vector<QString> anchors;
    for (size_t i = 0; i < doc.sections.size(); ++i)
        anchors.push_back(sectionAnchor(doc.sections[i], int(i), used));
    if (!doc.sections.empty()) {
        out += QStringLiteral("<nav class=\"toc\">\n<h2>%1</h2>\n<ol>").arg(esc(tr("Contents")));
        for (size_t i = 0; i < doc.sections.size(); ++i)
            out += QStringLiteral("<li><a href=\"#%1\">%2</a></li>")
                       .arg(anchors[i], esc(doc.sections[i].title));
        out += QStringLiteral("</ol>\n</nav>\n");
    }

    out += QStringLiteral("<main>\n");
    for (size_t i = 0; i < doc.sections.size(); ++i) {
        const ReportSection &section = doc.sections[i];
        out += QStringLiteral("<section id=\"%1\">\n<h2>%2</h2>\n")
                   .arg(anchors[i], esc(section.title));
        for (const ReportBlock &block : section.blocks) {
            if (const auto *h = std::get_if<ReportHeading>(&block)) {
                const int level = std::clamp(h->level + 1, 2, 4);
                out += QStringLiteral("<h%1>%2</h%1>\n").arg(QString::number(level), esc(h->text));
            } else if (const auto *p = std::get_if<ReportParagraph>(&block)) {
                writeParagraph(out, *p);
            } else if (const auto *kv = std::get_if<ReportKeyValues>(&block)) {
                writeKeyValues(out, *kv);
            } else if (const auto *t = std::get_if<ReportTable>(&block)) {
                writeTable(out, doc, *t);
            } else if (const auto *c = std::get_if<ReportChart>(&block)) {
                out += QStringLiteral("<figure class=\"chart\">");
                out += SvgChart::render(*c, kChartWidth, kChartHeight);
                out += QStringLiteral("</figure>\n");
            } else if (const auto *m = std::get_if<ReportMatrix>(&block)) {
                writeMatrix(out, doc, *m);
            }
        }
        out += QStringLiteral("</section>\n");
    }
    out += QStringLiteral("</main>\n<footer>%1</footer>\n</div>\n</body>\n</html>\n")
               .arg(esc(tr("Generated by MLOps Workbench %1%2")
                            .arg(QStringLiteral(MLWB_VERSION),
                                 doc.created.isValid() ? tr(" on ") + Format::dateTime(doc.created)
                                                       : QString())));
    return out.toUtf8();
}

Result<void> HtmlReportWriter::write(const ReportDocument &document, const QString &path)
{
    const QByteArray bytes = render(document);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return ioError(
            QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return ioError(
            QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString()));
    return {};
}

} // namespace mlwb
