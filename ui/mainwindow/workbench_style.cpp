// SPDX-License-Identifier: MIT
#include "mainwindow/workbench_style.h"

#include <QPainter>
#include <QStyleFactory>
#include <QStyleOption>

namespace mlwb {

namespace {
// How much of a disabled icon shows: dim enough to read as unavailable next to enabled ones,
// clear enough to recognise.
constexpr qreal disabledIconOpacity = 0.4;

QColor mixed(const QColor &a, const QColor &b, qreal bWeight)
{
    return QColor::fromRgbF(float(a.redF() * (1 - bWeight) + b.redF() * bWeight),
                            float(a.greenF() * (1 - bWeight) + b.greenF() * bWeight),
                            float(a.blueF() * (1 - bWeight) + b.blueF() * bWeight));
}
} // namespace

WorkbenchStyle::WorkbenchStyle()
    : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
{
}

QPixmap WorkbenchStyle::generatedIconPixmap(QIcon::Mode mode, const QPixmap &pixmap,
                                            const QStyleOption *option) const
{
    const QPixmap generated = QProxyStyle::generatedIconPixmap(mode, pixmap, option);
    if (mode != QIcon::Disabled || generated.isNull())
        return generated;
    // Fusion's grey stays as light as the enabled icon on a dark window; fade it as well.
    QPixmap faded(generated.size());
    faded.setDevicePixelRatio(generated.devicePixelRatio());
    faded.fill(Qt::transparent);
    QPainter painter(&faded);
    painter.setOpacity(disabledIconOpacity);
    painter.drawPixmap(0, 0, generated);
    return faded;
}

void WorkbenchStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option,
                                   QPainter *painter, const QWidget *widget) const
{
    QProxyStyle::drawPrimitive(element, option, painter, widget);
    // Fusion's border is the window colour darkened, next to invisible on a dark base. Redraw
    // it between the base and the text colour (keyboard focus keeps Fusion's highlight).
    // Item views' check indicators come here too: Fusion draws them as a check box.
    if (element != PE_IndicatorCheckBox ||
        (option->state & State_HasFocus && option->state & State_KeyboardFocusChange))
        return;
    const QPalette &palette = option->palette;
    const QPalette::ColorGroup group = option->state & State_Enabled ? QPalette::Normal : QPalette::Disabled;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->translate(0.5, 0.5); // as Fusion draws it: on the pixel, not between two
    painter->setPen(mixed(palette.color(group, QPalette::Base), palette.color(group, QPalette::Text), 0.45));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(QRectF(option->rect.adjusted(0, 0, -1, -1)));
    painter->restore();
}

} // namespace mlwb
