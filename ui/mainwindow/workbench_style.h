// SPDX-License-Identifier: MIT
#pragma once

// WorkbenchStyle: the Fusion style of our dark palette, with what Fusion gets wrong on a dark
// window: it greys disabled icons towards the (light) text colour, so they look enabled, and
// it draws a check box's border darker than the window, so an unchecked box disappears.

#include <QProxyStyle>

namespace mlwb {

class WorkbenchStyle : public QProxyStyle {
    Q_OBJECT
public:
    WorkbenchStyle();

    QPixmap generatedIconPixmap(QIcon::Mode mode, const QPixmap &pixmap,
                                const QStyleOption *option) const override;
    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;
};

} // namespace mlwb
