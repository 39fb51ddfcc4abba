// SPDX-License-Identifier: MIT
#include "report/markdown_report_writer.h"

#include "common/format.h"
#include "report/html_report_writer.h"
#include "report/svg_chart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb::MarkdownReportWriter", text);
}

QString esc(const QString &s)
{
    return MarkdownReportWriter::escaped(s);
}
QString cell(const QString &s)
{
    return MarkdownReportWriter::escaped(s, true);
}

void blockQuote(QString &out, const QString &lead, const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        out += QStringLiteral("> ");
        if (i == 0 && !lead.isEmpty())
            out += QStringLiteral("**%1** ").arg(lead);
        out += esc(lines[i]) + QLatin1Char('\n');
    }
    out += QLatin1Char('\n');
}

void tableRow(QString &out, const QStringList &cells)
{
    out += QLatin1Char('|');
    for (const QString &c : cells)
        out += QLatin1Char(' ') + c + QStringLiteral(" |");
    out += QLatin1Char('\n');
}

QString countText(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return QString::number(qint64(v));
    return Format::metric(v);
}

// A relative link target: each path segment percent-encoded (spaces in the report's name).
QString linkTarget(const QString &relative)
{
    QStringList parts = relative.split(QLatin1Char('/'));
    for (QString &p : parts)
        p = QString::fromLatin1(QUrl::toPercentEncoding(p));
    return parts.join(QLatin1Char('/'));
}

} // namespace

QString MarkdownReportWriter::escaped(const QString &text, bool inTable)
{
    QString out;
    out.reserve(text.size() + 8);
    bool lineStart = true; // '#' makes a heading only at the start of a line
    for (QChar c : text) {
        const bool wasLineStart = lineStart;
        lineStart = c == QLatin1Char('\n') || (lineStart && c == QLatin1Char(' '));
        switch (c.unicode()) {
        case u'#':
            if (wasLineStart && !inTable)
                out += QLatin1Char('\\');
            out += c;
            break;
        case u'\\':
        case u'`':
        case u'*':
        case u'_':
        case u'[':
        case u']':
        case u'<':
        case u'>':
        case u'|':
            out += QLatin1Char('\\');
            out += c;
            break;
        case u'\r':
            break;
        case u'\n':
            out += inTable ? QLatin1Char(' ') : c;
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString MarkdownReportWriter::render(const ReportDocument &doc, const QString &chartDir)
{
    QString out;
    out += QStringLiteral("# %1\n\n").arg(esc(doc.title));
    QStringList meta;
    if (!doc.project.isEmpty())
        meta << QStringLiteral("**%1:** %2").arg(tr("Project"), esc(doc.project));
    if (!doc.author.isEmpty())
        meta << QStringLiteral("**%1:** %2").arg(tr("Author"), esc(doc.author));
    if (doc.created.isValid())
        meta << QStringLiteral("**%1:** %2").arg(tr("Date"), esc(Format::dateTime(doc.created)));
    if (!meta.isEmpty())
        out += meta.join(QStringLiteral("  \n")) + QStringLiteral("\n\n");
    if (!doc.runs.empty()) {
        out += QStringLiteral("**%1:** ").arg(tr("Runs"));
        QStringList names;
        for (const ReportRun &r : doc.runs)
            names << esc(Format::runName(r.name, r.id));
        out += names.join(QStringLiteral(", ")) + QStringLiteral("\n\n");
    }

    int chart = 0;
    for (const ReportSection &section : doc.sections) {
        out += QStringLiteral("## %1\n\n").arg(esc(section.title));
        for (const ReportBlock &block : section.blocks) {
            if (const auto *h = std::get_if<ReportHeading>(&block)) {
                const int level = std::clamp(h->level + 1, 2, 4);
                out += QString(level, QLatin1Char('#')) + QLatin1Char(' ') + esc(h->text) +
                       QStringLiteral("\n\n");
            } else if (const auto *p = std::get_if<ReportParagraph>(&block)) {
                if (p->tone == ReportParagraph::Tone::Warning)
                    blockQuote(out, tr("Warning:"), p->text);
                else if (p->tone == ReportParagraph::Tone::Note)
                    blockQuote(out, tr("Note:"), p->text);
                else
                    out += esc(p->text) + QStringLiteral("\n\n");
            } else if (const auto *kv = std::get_if<ReportKeyValues>(&block)) {
                if (!kv->caption.isEmpty())
                    out += QStringLiteral("**%1**\n\n").arg(esc(kv->caption));
                for (const auto &[key, value] : kv->pairs)
                    out += QStringLiteral("- **%1:** %2\n").arg(esc(key), cell(value));
                out += QLatin1Char('\n');
            } else if (const auto *t = std::get_if<ReportTable>(&block)) {
                if (!t->caption.isEmpty())
                    out += QStringLiteral("**%1**\n\n").arg(esc(t->caption));
                int columns = int(t->header.size());
                for (const QStringList &row : t->rows)
                    columns = std::max(columns, int(row.size()));
                if (columns == 0)
                    continue;
                QStringList header, rule;
                for (int c = 0; c < columns; ++c) {
                    header << cell(c < t->header.size() ? t->header[c] : QString());
                    const bool right = c < int(t->align.size()) &&
                                       t->align[size_t(c)] == ReportTable::Align::Right;
                    rule << (right ? QStringLiteral("---:") : QStringLiteral("---"));
                }
                tableRow(out, header);
                tableRow(out, rule);
                for (size_t r = 0; r < t->rows.size(); ++r) {
                    QStringList cells;
                    for (int c = 0; c < columns; ++c) {
                        QString text = c < t->rows[r].size() ? cell(t->rows[r][c]) : QString();
                        const bool em = r < t->emphasis.size() &&
                                        size_t(c) < t->emphasis[r].size() &&
                                        t->emphasis[r][size_t(c)];
                        if (em && !text.isEmpty())
                            text = QStringLiteral("**%1**").arg(text);
                        cells << text;
                    }
                    tableRow(out, cells);
                }
                out += QLatin1Char('\n');
            } else if (const auto *c = std::get_if<ReportChart>(&block)) {
                ++chart;
                if (chartDir.isEmpty())
                    continue;
                const QString alt = c->title.isEmpty() ? tr("Chart %1").arg(chart) : c->title;
                out += QStringLiteral("![%1](%2)\n\n")
                           .arg(esc(alt),
                                linkTarget(
                                    QStringLiteral("%1/chart-%2.svg").arg(chartDir).arg(chart)));
            } else if (const auto *m = std::get_if<ReportMatrix>(&block)) {
                if (!m->title.isEmpty())
                    out += QStringLiteral("**%1**\n\n").arg(esc(m->title));
                int columns = int(m->labels.size());
                for (const auto &row : m->counts)
                    columns = std::max(columns, int(row.size()));
                auto label = [&](int i) {
                    return i < m->labels.size() ? m->labels[i] : QString::number(i);
                };
                QStringList header{cell(tr("actual \\ predicted"))}, rule{QStringLiteral("---")};
                for (int col = 0; col < columns; ++col) {
                    header << cell(label(col));
                    rule << QStringLiteral("---:");
                }
                tableRow(out, header);
                tableRow(out, rule);
                for (size_t r = 0; r < m->counts.size(); ++r) {
                    QStringList cells{QStringLiteral("**%1**").arg(cell(label(int(r))))};
                    for (int col = 0; col < columns; ++col)
                        cells << (size_t(col) < m->counts[r].size()
                                      ? countText(m->counts[r][size_t(col)])
                                      : QString());
                    tableRow(out, cells);
                }
                out += QLatin1Char('\n');
            }
        }
    }
    out += QStringLiteral("---\n\n*%1*\n")
               .arg(esc(tr("Generated by MLOps Workbench %1").arg(QStringLiteral(MLWB_VERSION))));
    return out;
}

Result<void> MarkdownReportWriter::write(const ReportDocument &doc, const QString &path,
                                         bool chartFiles)
{
    const QFileInfo info(path);
    const QString dirName = info.completeBaseName() + QStringLiteral("_files");
    const bool anyChart =
        std::any_of(doc.sections.begin(), doc.sections.end(), [](const ReportSection &s) {
            return std::any_of(s.blocks.begin(), s.blocks.end(), [](const ReportBlock &b) {
                return std::holds_alternative<ReportChart>(b);
            });
        });
    const bool withCharts = chartFiles && anyChart;
    if (withCharts) {
        QDir dir(info.absolutePath());
        if (!dir.exists())
            return ioError(
                QStringLiteral("%1: the folder %2 does not exist").arg(path, info.absolutePath()));
        if (!dir.mkpath(dirName))
            return ioError(QStringLiteral("%1: cannot create the folder %2 for its charts")
                               .arg(path, dir.filePath(dirName)));
        QDir charts(dir.filePath(dirName));
        static const QRegularExpression chartName(QStringLiteral("^chart-[0-9]+\\.svg$"));
        for (const QString &old : charts.entryList({QStringLiteral("chart-*.svg")}, QDir::Files))
            if (chartName.match(old).hasMatch())
                charts.remove(old);
        int n = 0;
        for (const ReportSection &s : doc.sections)
            for (const ReportBlock &b : s.blocks) {
                const auto *c = std::get_if<ReportChart>(&b);
                if (!c)
                    continue;
                ++n;
                const QString file = charts.filePath(QStringLiteral("chart-%1.svg").arg(n));
                QSaveFile out(file);
                const QByteArray svg =
                    QByteArrayLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") +
                    SvgChart::render(*c, HtmlReportWriter::kChartWidth,
                                     HtmlReportWriter::kChartHeight)
                        .toUtf8() +
                    '\n';
                if (!out.open(QIODevice::WriteOnly) || out.write(svg) != svg.size() ||
                    !out.commit())
                    return ioError(QStringLiteral("%1: cannot write the chart: %2")
                                       .arg(file, out.errorString()));
            }
    }
    const QByteArray text = render(doc, withCharts ? dirName : QString()).toUtf8();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        return ioError(
            QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString()));
    return {};
}

} // namespace mlwb
