// SPDX-License-Identifier: MIT
#pragma once

// EvaluationView: a finished run's evaluation report (EvaluationRepository, usually the test
// split). Classification: metrics table, confusion-matrix heat map, per-class table and ROC
// curves (one series per class, at most 1000 points each). Regression: metrics table and a
// residuals-versus-prediction scatter.

#include <QJsonObject>
#include <QWidget>

class QChartView;
class QLabel;
class QTableWidget;

namespace mlwb {

class ConfusionMatrixView;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxCurvePoints = 1000;

    explicit EvaluationView(QWidget *parent = nullptr);

    // Shows a report (ClassificationReport or RegressionReport JSON); an empty object clears.
    void setReport(const QJsonObject &report, const QString &title);
    bool hasReport() const { return !m_report.isEmpty(); }

    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *perClassTable() const { return m_perClass; }
    ConfusionMatrixView *confusionMatrix() const { return m_confusion; }
    QChartView *curveChart() const { return m_chart; }

private:
    void showClassification();
    void showRegression();

    QJsonObject m_report;
    QLabel *m_title;
    QTableWidget *m_metrics;
    QTableWidget *m_perClass;
    ConfusionMatrixView *m_confusion;
    QChartView *m_chart;
};

} // namespace mlwb
