// SPDX-License-Identifier: MIT
#pragma once

// JobProgressDelegate: draws a job's progress column as a progress bar with its status text.

#include <QStyledItemDelegate>

namespace mlwb {

class JobProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace mlwb
