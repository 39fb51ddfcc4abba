// SPDX-License-Identifier: MIT
#pragma once

// TextTable: the CLI's aligned tables (`mlwb runs`, `mlwb dataset list`): a header row, each
// column as wide as its widest cell, numbers right-aligned, two spaces between columns and no
// trailing spaces, so the output reads in a terminal and splits cleanly with awk.

#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb::cli {

class TextTable {
public:
    enum class Align { Left, Right };
    struct Column {
        QString title;
        Align align = Align::Left;
    };

    explicit TextTable(QList<Column> columns) : m_columns(std::move(columns)) {}
    // One cell per column (missing cells are empty).
    void addRow(QStringList cells) { m_rows << std::move(cells); }
    // The table, one line per row after the header, each ending in a newline.
    QString text() const;

private:
    QList<Column> m_columns;
    QList<QStringList> m_rows;
};

} // namespace mlwb::cli
