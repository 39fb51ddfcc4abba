// SPDX-License-Identifier: MIT
#pragma once

// Format: numbers, times, sizes and names formatted for reading (0.9712, 1.2 M, 0:42, 1:02:03,
// 3.4 MB, "run 3"). Shared by the workbench, the CLI and reports.

#include <QDateTime>
#include <QString>

namespace mlwb {

class Format {
public:
    // Seconds as m:ss or h:mm:ss; "–" when unknown (negative).
    static QString duration(double seconds);
    // A metric value with four significant digits (0.9712, 12.35, 1.235e-05); whole numbers as
    // integers (20000, 151500) and large values with their integer digits (12345.7), up to a
    // billion; beyond it in scientific notation (4.427e+13).
    static QString metric(double value);
    // A count with a k/M/G suffix (1.2 M).
    static QString count(qint64 value);
    static QString bytes(qint64 bytes);
    static QString dateTime(const QDateTime &t);
    // How a run is named everywhere (explorer, tabs, tables, legends, reports): its name, or
    // "run N" when it has none.
    static QString runName(const QString &name, qint64 id);
    // The first characters of a hash, for a table cell; the whole hash goes in a tooltip.
    static QString shortHash(const QString &hash);
};

} // namespace mlwb
