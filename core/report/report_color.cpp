// SPDX-License-Identifier: MIT
#include "report/report_color.h"

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

bool isHexColor(const QString &c)
{
    if (c.size() != 7 || c[0] != QLatin1Char('#'))
        return false;
    for (int i = 1; i < 7; ++i) {
        const char16_t ch = c[i].unicode();
        const bool hex =
            (ch >= u'0' && ch <= u'9') || (ch >= u'a' && ch <= u'f') || (ch >= u'A' && ch <= u'F');
        if (!hex)
            return false;
    }
    return true;
}

QString hex(double r, double g, double b)
{
    auto channel = [](double v) {
        return QStringLiteral("%1").arg(int(std::lround(std::clamp(v, 0.0, 1.0) * 255)), 2, 16,
                                        QLatin1Char('0'));
    };
    return QLatin1Char('#') + channel(r) + channel(g) + channel(b);
}

} // namespace

QString ReportColor::sanitized(const QString &color)
{
    return isHexColor(color) ? color.toLower() : fallback();
}

ReportColor::Rgb ReportColor::rgb(const QString &color)
{
    const QString c = sanitized(color);
    auto channel = [&](int at) { return double(c.mid(at, 2).toInt(nullptr, 16)) / 255.0; };
    return Rgb{channel(1), channel(3), channel(5)};
}

QString ReportColor::tint(const QString &color, double share)
{
    const Rgb c = rgb(color);
    const double s = std::isfinite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
    return hex(1 - s * (1 - c.r), 1 - s * (1 - c.g), 1 - s * (1 - c.b));
}

QString ReportColor::textOn(const QString &color)
{
    const Rgb c = rgb(color);
    // Relative luminance, sRGB weights (WCAG); 0.45 keeps mid blues on white text.
    const double l = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    return l > 0.45 ? QStringLiteral("#1f2328") : QStringLiteral("#ffffff");
}

} // namespace mlwb
