// SPDX-License-Identifier: MIT
#pragma once

// EvaluationView: a finished run's evaluation report (EvaluationRepository, usually the test
// split). Charts on top in a grid that reflows with the width, tables below (metrics; per class:
// precision, recall, F1, support, ROC AUC, average precision).
// Classification: confusion-matrix heat map, ROC curves, precision-recall curves (average
// precision in the legend) and the reliability diagram (ECE in the title). Regression:
// residuals versus prediction. Curves are drawn from the report's stored points, at most
// kMaxCurvePoints each.

#include <QJsonObject>
#include <QWidget>

class QChartView;
class QLabel;
class QTableWidget;

namespace mlwb {

class ChartGrid;
class ConfusionMatrixView;
class CurveChartView;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxCurvePoints = 1000;

    explicit EvaluationView(QWidget *parent = nullptr);

    // Shows a report (ClassificationResult or RegressionResult JSON); an empty object clears.
    void setReport(const QJsonObject &report, const QString &title);
    bool hasReport() const { return !m_report.isEmpty(); }
    const QJsonObject &report() const { return m_report; }

    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *perClassTable() const { return m_perClass; }
    ConfusionMatrixView *confusionMatrix() const { return m_confusion; }
    CurveChartView *rocChart() const { return m_roc; }
    CurveChartView *prChart() const { return m_pr; }
    CurveChartView *calibrationChart() const { return m_calibration; }
    QChartView *residualChart() const { return m_residuals; }
    ChartGrid *chartGrid() const { return m_grid; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void showClassification();
    void showRegression();

    QJsonObject m_report;
    QLabel *m_title;
    QTableWidget *m_metrics;
    QTableWidget *m_perClass;
    ChartGrid *m_grid;
    ConfusionMatrixView *m_confusion;
    CurveChartView *m_roc;
    CurveChartView *m_pr;
    CurveChartView *m_calibration;
    QChartView *m_residuals;
};

} // namespace mlwb
