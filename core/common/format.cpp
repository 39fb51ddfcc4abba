// SPDX-License-Identifier: MIT
#include "common/format.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace mlwb {

QString Format::duration(double seconds)
{
    if (!(seconds >= 0) || !std::isfinite(seconds))
        return QStringLiteral("\u2013");
    const qint64 s = qint64(std::llround(seconds));
    const qint64 h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(sec, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(sec, 2, 10, QLatin1Char('0'));
}

QString Format::runName(const QString &name, qint64 id)
{
    return name.isEmpty() ? QCoreApplication::translate("mlwb::Format", "run %1").arg(id) : name;
}

QString Format::metric(double value)
{
    // The CLI, --json readers and the charts' notes spell them the same way.
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    const double a = std::fabs(value);
    // Beyond a billion a value is a magnitude (a diverging loss), not a count: 4.427e+13.
    if (a >= 1e9 || (a != 0 && a < 1e-3))
        return QString::number(value, 'e', 3);
    // Whole numbers (epochs, steps, parameter counts) print as integers, never as 2e+04.
    if (value == std::floor(value))
        return QString::number(qint64(value));
    // Large values keep their integer digits: 12345.7, not 1.235e+04.
    if (a >= 1e4)
        return QString::number(value, 'f', 1);
    return QString::number(value, 'g', 4);
}

QString Format::count(qint64 value)
{
    const double a = double(std::llabs(value));
    if (a < 1000)
        return QString::number(value);
    const char *suffix[] = {"k", "M", "G", "T"};
    double v = double(value);
    int i = -1;
    while (std::fabs(v) >= 1000 && i < 3) {
        v /= 1000;
        ++i;
    }
    return QStringLiteral("%1 %2").arg(QString::number(v, 'f', std::fabs(v) < 10 ? 1 : 0),
                                       QLatin1String(suffix[i]));
}

QString Format::bytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString Format::dateTime(const QDateTime &t)
{
    if (!t.isValid())
        return QStringLiteral("\u2013");
    return QLocale().toString(t.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString Format::shortHash(const QString &hash)
{
    return hash.size() > 12 ? hash.left(12) + QStringLiteral("\u2026") : hash;
}

} // namespace mlwb
