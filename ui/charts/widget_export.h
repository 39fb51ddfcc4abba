// SPDX-License-Identifier: MIT
#pragma once

// WidgetExport: a chart (any widget that paints itself) written as a PNG at twice its size or
// as an SVG drawing, and the message that confirms an export with its path. Shared by the
// compare pane's charts so every export behaves alike.

#include <QString>

class QWidget;

namespace mlwb {

class WidgetExport {
public:
    static bool png(QWidget *widget, const QString &path, QString *error = nullptr);
    static bool svg(QWidget *widget, const QString &path, const QString &title,
                    QString *error = nullptr);
    // "Exported compare-loss.png to /home/me/plots."
    static QString exportedMessage(const QString &path);
    // The folder an export went to, as the "Open folder" action opens it.
    static QString folderOf(const QString &path);
};

} // namespace mlwb
