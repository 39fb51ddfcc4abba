// SPDX-License-Identifier: MIT
#include "text_table.h"

#include <algorithm>

namespace mlwb::cli {

QString TextTable::text() const
{
    QList<qsizetype> widths;
    for (const Column &c : m_columns)
        widths << c.title.size();
    for (const QStringList &row : m_rows)
        for (qsizetype i = 0; i < m_columns.size() && i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    QString out;
    auto line = [&](const QStringList &cells) {
        QString l;
        for (qsizetype i = 0; i < m_columns.size(); ++i) {
            const QString cell = cells.value(i);
            if (i)
                l += QStringLiteral("  ");
            l += m_columns[i].align == Align::Right ? cell.rightJustified(widths[i]) : cell.leftJustified(widths[i]);
        }
        while (l.endsWith(QLatin1Char(' ')))
            l.chop(1);
        out += l + QLatin1Char('\n');
    };
    QStringList titles;
    for (const Column &c : m_columns)
        titles << c.title;
    line(titles);
    for (const QStringList &row : m_rows)
        line(row);
    return out;
}

} // namespace mlwb::cli
