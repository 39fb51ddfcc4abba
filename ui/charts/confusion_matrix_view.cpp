// SPDX-License-Identifier: MIT
#include "charts/confusion_matrix_view.h"

#include <QPainter>

#include <algorithm>

namespace mlwb {

namespace {
constexpr int kLabelWidth = 90;
constexpr int kAxisTitleWidth = 22; // the rotated "Actual" beside the row labels
constexpr int kLabelHeight = 22;
} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionMatrixView::setMatrix(const QStringList &classes,
                                    const std::vector<std::vector<qint64>> &counts)
{
    m_classes = classes;
    m_counts = counts;
    updateGeometry();
    update();
}

QSize ConfusionMatrixView::sizeHint() const
{
    const int k = int(m_counts.size());
    return {kAxisTitleWidth + kLabelWidth + std::max(k, 1) * 48 + 8, kLabelHeight * 2 + std::max(k, 1) * 36 + 8};
}

QSize ConfusionMatrixView::minimumSizeHint() const
{
    const int k = int(m_counts.size());
    return {kAxisTitleWidth + kLabelWidth + std::max(k, 1) * 20, kLabelHeight * 2 + std::max(k, 1) * 16};
}

QString ConfusionMatrixView::columnAxisTitle()
{
    return tr("Predicted");
}

QString ConfusionMatrixView::rowAxisTitle()
{
    return tr("Actual");
}

void ConfusionMatrixView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const int k = int(m_counts.size());
    if (k == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No confusion matrix"));
        return;
    }
    const QRect area = rect().adjusted(kAxisTitleWidth + kLabelWidth, kLabelHeight * 2, -4, -4);
    const double cw = double(area.width()) / k;
    const double ch = double(area.height()) / k;
    const QColor base = palette().color(QPalette::Base);
    const QColor hot = palette().color(QPalette::Highlight);
    const QColor text = palette().color(QPalette::Text);

    p.setPen(text);
    p.drawText(QRect(area.left(), 0, area.width(), kLabelHeight), Qt::AlignCenter,
               columnAxisTitle());
    {
        // The rows' title, read bottom to top beside the class names.
        p.save();
        p.translate(0, area.center().y());
        p.rotate(-90);
        p.drawText(QRect(-area.height() / 2, 0, area.height(), kAxisTitleWidth), Qt::AlignCenter,
                   rowAxisTitle());
        p.restore();
    }
    for (int c = 0; c < k; ++c) {
        const QString name = c < m_classes.size() ? m_classes[c] : QString::number(c);
        const QRectF r(area.left() + c * cw, kLabelHeight, cw, kLabelHeight);
        p.drawText(r, Qt::AlignCenter, p.fontMetrics().elidedText(name, Qt::ElideRight, int(cw) - 2));
    }
    for (int t = 0; t < k; ++t) {
        const QString name = t < m_classes.size() ? m_classes[t] : QString::number(t);
        const QRectF lr(kAxisTitleWidth, area.top() + t * ch, kLabelWidth - 6, ch);
        p.setPen(text);
        p.drawText(lr, Qt::AlignRight | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(name, Qt::ElideRight, kLabelWidth - 8));
        qint64 rowTotal = 0;
        for (qint64 v : m_counts[size_t(t)])
            rowTotal += v;
        for (int c = 0; c < k && c < int(m_counts[size_t(t)].size()); ++c) {
            const qint64 v = m_counts[size_t(t)][size_t(c)];
            const double share = rowTotal > 0 ? double(v) / double(rowTotal) : 0.0;
            const QColor fill = QColor::fromRgbF(
                float(base.redF() + (hot.redF() - base.redF()) * share),
                float(base.greenF() + (hot.greenF() - base.greenF()) * share),
                float(base.blueF() + (hot.blueF() - base.blueF()) * share));
            const QRectF cell(area.left() + c * cw, area.top() + t * ch, cw, ch);
            p.fillRect(cell, fill);
            p.setPen(palette().color(QPalette::Mid));
            p.drawRect(cell);
            p.setPen(share > 0.5 ? palette().color(QPalette::HighlightedText) : text);
            p.drawText(cell, Qt::AlignCenter, QString::number(v));
        }
    }
}

} // namespace mlwb
