// SPDX-License-Identifier: MIT
#pragma once

// ConfusionMatrixView: a heat map of a confusion matrix (rows true class, columns predicted),
// each cell shaded by its share of the row and labelled with its count; both axes are titled
// ("Predicted" above the columns, "Actual" beside the rows).

#include <QStringList>
#include <QWidget>

#include <vector>

namespace mlwb {

class ConfusionMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget *parent = nullptr);

    void setMatrix(const QStringList &classes, const std::vector<std::vector<qint64>> &counts);
    const std::vector<std::vector<qint64>> &matrix() const { return m_counts; }
    // The axis titles as drawn.
    static QString columnAxisTitle();
    static QString rowAxisTitle();
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QStringList m_classes;
    std::vector<std::vector<qint64>> m_counts;
};

} // namespace mlwb
