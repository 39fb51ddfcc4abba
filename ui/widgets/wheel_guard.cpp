// SPDX-License-Identifier: MIT
#include "widgets/wheel_guard.h"

#include <QCoreApplication>
#include <QEvent>
#include <QWidget>

namespace mlwb {

void WheelGuard::install(QWidget *widget)
{
    widget->setFocusPolicy(Qt::StrongFocus); // not Qt::WheelFocus: the wheel gives no focus
    widget->installEventFilter(new WheelGuard(widget));
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *widget = qobject_cast<QWidget *>(watched);
        if (widget && !widget->hasFocus()) {
            // To the parent instead (QApplication propagates it up to the scroll area).
            if (QWidget *parent = widget->parentWidget())
                QCoreApplication::sendEvent(parent, event);
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace mlwb
