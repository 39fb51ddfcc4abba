// SPDX-License-Identifier: MIT
#include "charts/widget_export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>
#include <QWidget>

namespace mlwb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb::WidgetExport", text);
}

} // namespace

bool WidgetExport::png(QWidget *widget, const QString &path, QString *error)
{
    constexpr int scale = 2; // crisp on high-density screens and in documents
    QImage image(widget->size() * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(widget->palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    widget->render(&painter);
    painter.end();
    if (image.save(path, "PNG"))
        return true;
    if (error)
        *error = tr("Could not write the image %1.").arg(QDir::toNativeSeparators(path));
    return false;
}

bool WidgetExport::svg(QWidget *widget, const QString &path, const QString &title,
                       QString *error)
{
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(widget->size());
    svg.setViewBox(widget->rect());
    svg.setTitle(title);
    svg.setDescription(tr("MLOps Workbench: %1").arg(title));
    QPainter painter;
    if (!painter.begin(&svg)) {
        if (error)
            *error = tr("Could not write the drawing %1.").arg(QDir::toNativeSeparators(path));
        return false;
    }
    widget->render(&painter);
    painter.end();
    return true;
}

QString WidgetExport::exportedMessage(const QString &path)
{
    const QFileInfo info(path);
    return tr("Exported %1 to %2.")
        .arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath()));
}

QString WidgetExport::folderOf(const QString &path)
{
    return QFileInfo(path).absolutePath();
}

} // namespace mlwb
