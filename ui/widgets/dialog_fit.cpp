// SPDX-License-Identifier: MIT
#include "widgets/dialog_fit.h"

#include <QLayout>
#include <QTimer>
#include <QWidget>

#include <algorithm>

namespace mlwb {

void DialogFit::toContents(QWidget *dialog)
{
    if (!dialog || !dialog->layout())
        return;
    // Once the layout requests that showing and hiding the rows posted have been handled (a
    // nested layout's size hint is stale until then).
    QTimer::singleShot(0, dialog, [dialog] {
        dialog->layout()->activate();
        const int height = std::max(dialog->minimumSizeHint().height(), dialog->sizeHint().height());
        dialog->resize(std::max(dialog->width(), dialog->minimumSizeHint().width()), height);
    });
}

} // namespace mlwb
