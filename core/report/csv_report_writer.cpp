// SPDX-License-Identifier: MIT
#include "report/csv_report_writer.h"

#include "common/atomic_file.h"

#include <charconv>
#include <cmath>

namespace mlwb {

namespace {

QByteArray field(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

QByteArray number(double v)
{
    if (std::isnan(v))
        return QByteArrayLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QByteArrayLiteral("Infinity") : QByteArrayLiteral("-Infinity");
    char buffer[32];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
    return QByteArray(buffer, qsizetype(r.ptr - buffer));
}

class Rows {
public:
    explicit Rows(const ReportDocument &d) : m_doc(d)
    {
        m_out = "section,block,type,title,run_id,run,row,column,x,y,value\n";
    }

    void add(const ReportSection &s, size_t block, const char *type, const QString &title, int run,
             const QString &row, const QString &column, const QByteArray &x, const QByteArray &y,
             const QByteArray &value)
    {
        const bool known = run >= 0 && size_t(run) < m_doc.runs.size();
        m_out += field(s.id) + ',' + QByteArray::number(qulonglong(block)) + ',' + type + ',' + field(title) + ','
                 + (known ? QByteArray::number(m_doc.runs[size_t(run)].id) : QByteArray()) + ','
                 + (known ? field(m_doc.runs[size_t(run)].name) : QByteArray()) + ',' + field(row) + ','
                 + field(column) + ',' + x + ',' + y + ',' + value + '\n';
    }

    QByteArray take() { return std::move(m_out); }

private:
    const ReportDocument &m_doc;
    QByteArray m_out;
};

// A NaN in `values` marks a text cell, unless the cell itself says it is not finite.
bool isNumberCell(double value, const QString &text)
{
    if (!std::isnan(value))
        return true;
    return text == u"NaN";
}

} // namespace

QByteArray CsvReportWriter::toCsv(const ReportDocument &d)
{
    Rows out(d);
    for (const ReportSection &s : d.sections) {
        for (size_t b = 0; b < s.blocks.size(); ++b) {
            const ReportBlock &block = s.blocks[b];
            if (const auto *t = std::get_if<ReportTable>(&block)) {
                for (size_t r = 0; r < t->rows.size() && r < t->values.size(); ++r) {
                    const QStringList &cells = t->rows[r];
                    const int rowRun = r < t->rowRun.size() ? t->rowRun[r] : -1;
                    for (size_t c = 0; c < t->values[r].size() && c < size_t(cells.size()); ++c) {
                        const double v = t->values[r][c];
                        if (!isNumberCell(v, cells[qsizetype(c)]))
                            continue;
                        const int columnRun = c < t->columnRun.size() ? t->columnRun[c] : -1;
                        out.add(s, b, "table", t->caption, rowRun >= 0 ? rowRun : columnRun, cells.value(0),
                                t->header.value(qsizetype(c)), {}, {}, number(v));
                    }
                }
            } else if (const auto *chart = std::get_if<ReportChart>(&block)) {
                for (const ReportSeries &series : chart->series)
                    for (size_t i = 0; i < series.x.size() && i < series.y.size(); ++i)
                        out.add(s, b, "chart", chart->title, series.run, {}, series.name, number(series.x[i]),
                                number(series.y[i]), {});
            } else if (const auto *m = std::get_if<ReportMatrix>(&block)) {
                for (size_t r = 0; r < m->counts.size(); ++r)
                    for (size_t c = 0; c < m->counts[r].size(); ++c)
                        out.add(s, b, "matrix", m->title, m->run, m->labels.value(qsizetype(r)),
                                m->labels.value(qsizetype(c)), {}, {}, number(m->counts[r][c]));
            }
        }
    }
    return out.take();
}

Result<void> CsvReportWriter::write(const ReportDocument &document, const QString &path)
{
    return AtomicFile::write(path, toCsv(document));
}

} // namespace mlwb
