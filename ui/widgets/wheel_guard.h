// SPDX-License-Identifier: MIT
#pragma once

// WheelGuard: the mouse wheel over a combo box or spin box that does not have the focus scrolls
// what contains it instead of changing the value (scrolling the import dialog's column list
// once turned petal_length_cm into a boolean). The widget takes focus by click or Tab only.

#include <QObject>

class QWidget;

namespace mlwb {

class WheelGuard : public QObject {
    Q_OBJECT
public:
    // Guards `widget` (its wheel events go to its parent while it has no focus).
    static void install(QWidget *widget);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit WheelGuard(QObject *parent) : QObject(parent) {}
};

} // namespace mlwb
