// SPDX-License-Identifier: MIT
#include "panes/jobs/job_progress_delegate.h"

#include "models/job_list_model.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

#include <algorithm>

namespace mlwb {

void JobProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    item.text.clear();
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &item, painter, option.widget);

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.minimum = 0;
    bar.maximum = 1000;
    const bool active = index.data(JobListModel::ActiveRole).toBool();
    const double p = index.data(JobListModel::ProgressRole).toDouble();
    bar.progress = int(std::clamp(p, 0.0, 1.0) * 1000);
    // One line, elided: a long phase or error never wraps inside the bar.
    bar.text = option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString().simplified(),
                                             Qt::ElideRight, std::max(0, bar.rect.width() - 8));
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    if (!active)
        bar.state &= ~QStyle::State_Enabled;
    bar.palette = option.palette;
    bar.fontMetrics = option.fontMetrics;
    bar.direction = option.direction;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

QSize JobProgressDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(std::max(s.height(), option.fontMetrics.height() + 10));
    s.setWidth(std::max(s.width(), 160));
    return s;
}

} // namespace mlwb
