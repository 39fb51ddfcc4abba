// SPDX-License-Identifier: MIT
#include "report/json_report_writer.h"

#include "common/atomic_file.h"
#include "common/json_number.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mlwb {

namespace {

QJsonArray numbers(const std::vector<double> &values)
{
    QJsonArray a;
    for (double v : values)
        a.append(JsonNumber::from(v));
    return a;
}

QJsonArray integers(const std::vector<int> &values)
{
    QJsonArray a;
    for (int v : values)
        a.append(v);
    return a;
}

QJsonObject block(const ReportHeading &h)
{
    return {{QStringLiteral("type"), QStringLiteral("heading")}, {QStringLiteral("text"), h.text},
            {QStringLiteral("level"), h.level}};
}

QJsonObject block(const ReportParagraph &p)
{
    const char *tone = p.tone == ReportParagraph::Tone::Warning ? "warning"
                       : p.tone == ReportParagraph::Tone::Note  ? "note"
                                                                : "normal";
    return {{QStringLiteral("type"), QStringLiteral("paragraph")}, {QStringLiteral("text"), p.text},
            {QStringLiteral("tone"), QString::fromLatin1(tone)}};
}

QJsonObject block(const ReportKeyValues &kv)
{
    QJsonArray pairs;
    for (const auto &[key, value] : kv.pairs)
        pairs.append(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}});
    return {{QStringLiteral("type"), QStringLiteral("key_values")}, {QStringLiteral("caption"), kv.caption},
            {QStringLiteral("pairs"), pairs}};
}

QJsonObject block(const ReportTable &t)
{
    QJsonArray align, rows, emphasis, values;
    for (ReportTable::Align a : t.align)
        align.append(a == ReportTable::Align::Right ? QStringLiteral("right") : QStringLiteral("left"));
    for (const QStringList &row : t.rows)
        rows.append(QJsonArray::fromStringList(row));
    for (const std::vector<bool> &row : t.emphasis) {
        QJsonArray r;
        for (bool e : row)
            r.append(e);
        emphasis.append(r);
    }
    for (const std::vector<double> &row : t.values)
        values.append(numbers(row));
    return {{QStringLiteral("type"), QStringLiteral("table")},
            {QStringLiteral("caption"), t.caption},
            {QStringLiteral("header"), QJsonArray::fromStringList(t.header)},
            {QStringLiteral("align"), align},
            {QStringLiteral("rows"), rows},
            {QStringLiteral("emphasis"), emphasis},
            {QStringLiteral("row_run"), integers(t.rowRun)},
            {QStringLiteral("column_run"), integers(t.columnRun)},
            {QStringLiteral("values"), values}};
}

QJsonObject block(const ReportChart &c)
{
    QJsonArray series;
    for (const ReportSeries &s : c.series) {
        const char *style = s.style == ReportSeries::Style::Points   ? "points"
                            : s.style == ReportSeries::Style::Dashed ? "dashed"
                                                                     : "line";
        series.append(QJsonObject{{QStringLiteral("name"), s.name},
                                  {QStringLiteral("color"), s.color},
                                  {QStringLiteral("style"), QString::fromLatin1(style)},
                                  {QStringLiteral("run"), s.run},
                                  {QStringLiteral("x"), numbers(s.x)},
                                  {QStringLiteral("y"), numbers(s.y)}});
    }
    return {{QStringLiteral("type"), QStringLiteral("chart")},
            {QStringLiteral("title"), c.title},
            {QStringLiteral("x_label"), c.xLabel},
            {QStringLiteral("y_label"), c.yLabel},
            {QStringLiteral("log_x"), c.logX},
            {QStringLiteral("log_y"), c.logY},
            {QStringLiteral("x_min"), JsonNumber::from(c.xMin)},
            {QStringLiteral("x_max"), JsonNumber::from(c.xMax)},
            {QStringLiteral("y_min"), JsonNumber::from(c.yMin)},
            {QStringLiteral("y_max"), JsonNumber::from(c.yMax)},
            {QStringLiteral("series"), series}};
}

QJsonObject block(const ReportMatrix &m)
{
    QJsonArray counts;
    for (const std::vector<double> &row : m.counts)
        counts.append(numbers(row));
    return {{QStringLiteral("type"), QStringLiteral("matrix")}, {QStringLiteral("title"), m.title},
            {QStringLiteral("run"), m.run}, {QStringLiteral("labels"), QJsonArray::fromStringList(m.labels)},
            {QStringLiteral("counts"), counts}};
}

} // namespace

QJsonObject JsonReportWriter::toJson(const ReportDocument &d)
{
    QJsonArray runs;
    for (const ReportRun &r : d.runs)
        runs.append(QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("name"), r.name},
                                {QStringLiteral("color"), r.color}});
    QJsonArray sections;
    for (const ReportSection &s : d.sections) {
        QJsonArray blocks;
        for (const ReportBlock &b : s.blocks)
            blocks.append(std::visit([](const auto &x) { return block(x); }, b));
        sections.append(QJsonObject{{QStringLiteral("id"), s.id}, {QStringLiteral("title"), s.title},
                                    {QStringLiteral("blocks"), blocks}});
    }
    return {{QStringLiteral("format"), QStringLiteral("mlwb.report")},
            {QStringLiteral("version"), kFormatVersion},
            {QStringLiteral("title"), d.title},
            {QStringLiteral("author"), d.author},
            {QStringLiteral("project"), d.project},
            {QStringLiteral("created"), d.created.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("runs"), runs},
            {QStringLiteral("sections"), sections}};
}

Result<void> JsonReportWriter::write(const ReportDocument &document, const QString &path)
{
    return AtomicFile::write(path, QJsonDocument(toJson(document)).toJson(QJsonDocument::Indented));
}

} // namespace mlwb
