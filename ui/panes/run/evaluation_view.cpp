// SPDX-License-Identifier: MIT
#include "panes/run/evaluation_view.h"

#include "charts/confusion_matrix_view.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTableWidget>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

QString number(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("\u2013");
    if (v.isString())
        return v.toString();
    const double d = v.toDouble();
    if (d == std::floor(d) && std::abs(d) < 1e12)
        return QString::number(qint64(d));
    return QString::number(d, 'f', 4);
}

QTableWidgetItem *item(const QString &text, bool numeric = false)
{
    auto *it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (numeric)
        it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

QTableWidget *makeTable(QWidget *parent, const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    return table;
}

// Keeps at most `max` points, evenly spread over the index (first and last always kept).
QList<QPointF> thin(const QJsonArray &x, const QJsonArray &y, int max)
{
    const qsizetype n = std::min(x.size(), y.size());
    QList<QPointF> out;
    if (n == 0)
        return out;
    const qsizetype count = std::min<qsizetype>(n, max);
    out.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype j = count == 1 ? 0 : i * (n - 1) / (count - 1);
        out.append({x[j].toDouble(), y[j].toDouble()});
    }
    return out;
}

} // namespace

EvaluationView::EvaluationView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_metrics(makeTable(this, {tr("Metric"), tr("Value")}))
    , m_perClass(makeTable(this, {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"),
                                  tr("Support"), tr("ROC AUC")}))
    , m_confusion(new ConfusionMatrixView(this))
    , m_chart(new QChartView(this))
{
    setObjectName(QStringLiteral("evaluationView"));
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    auto *grid = new QGridLayout(this);
    grid->addWidget(m_title, 0, 0, 1, 3);
    grid->addWidget(m_metrics, 1, 0);
    grid->addWidget(m_confusion, 1, 1);
    grid->addWidget(m_perClass, 2, 0, 1, 2);
    grid->addWidget(m_chart, 1, 2, 2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 2);
    setReport({}, QString());
}

void EvaluationView::setReport(const QJsonObject &report, const QString &title)
{
    m_report = report;
    m_title->setText(title);
    m_metrics->setRowCount(0);
    m_perClass->setRowCount(0);
    m_confusion->setMatrix({}, {});
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setChart(chart); // deletes the previous chart
    if (report.isEmpty()) {
        setVisible(false);
        return;
    }
    setVisible(true);
    const QJsonObject metrics = report.value(QStringLiteral("metrics")).toObject();
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const int row = m_metrics->rowCount();
        m_metrics->insertRow(row);
        m_metrics->setItem(row, 0, item(it.key()));
        m_metrics->setItem(row, 1, item(number(it.value()), true));
    }
    m_metrics->resizeColumnToContents(0);
    if (report.value(QStringLiteral("kind")).toString() == QLatin1String("regression"))
        showRegression();
    else
        showClassification();
}

void EvaluationView::showClassification()
{
    m_confusion->show();
    m_perClass->show();
    const QJsonArray classes = m_report.value(QStringLiteral("per_class")).toArray();
    QStringList names;
    QChart *chart = m_chart->chart();
    chart->setTitle(tr("ROC curves (test split)"));
    auto *x = new QValueAxis;
    x->setRange(0, 1);
    x->setTitleText(tr("False positive rate"));
    auto *y = new QValueAxis;
    y->setRange(0, 1);
    y->setTitleText(tr("True positive rate"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (const QJsonValue &v : classes) {
        const QJsonObject c = v.toObject();
        const QString name = c.value(QStringLiteral("name")).toString();
        names << name;
        const int row = m_perClass->rowCount();
        m_perClass->insertRow(row);
        m_perClass->setItem(row, 0, item(name));
        m_perClass->setItem(row, 1, item(number(c.value(QStringLiteral("precision"))), true));
        m_perClass->setItem(row, 2, item(number(c.value(QStringLiteral("recall"))), true));
        m_perClass->setItem(row, 3, item(number(c.value(QStringLiteral("f1"))), true));
        m_perClass->setItem(row, 4, item(number(c.value(QStringLiteral("support"))), true));
        m_perClass->setItem(row, 5, item(number(c.value(QStringLiteral("roc_auc"))), true));
        const QJsonObject roc = c.value(QStringLiteral("roc")).toObject();
        const QList<QPointF> points = thin(roc.value(QStringLiteral("fpr")).toArray(),
                                           roc.value(QStringLiteral("tpr")).toArray(),
                                           kMaxCurvePoints);
        if (points.isEmpty())
            continue;
        auto *series = new QLineSeries;
        series->setName(name);
        series->replace(points);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    QStringList fromMatrix = names;
    const QJsonArray classNames = m_report.value(QStringLiteral("classes")).toArray();
    if (fromMatrix.isEmpty())
        for (const QJsonValue &v : classNames)
            fromMatrix << v.toString();
    std::vector<std::vector<qint64>> counts;
    for (const QJsonValue &rowValue : m_report.value(QStringLiteral("confusion_matrix")).toArray()) {
        std::vector<qint64> row;
        for (const QJsonValue &v : rowValue.toArray())
            row.push_back(qint64(v.toDouble()));
        counts.push_back(std::move(row));
    }
    m_confusion->setMatrix(fromMatrix, counts);
}

void EvaluationView::showRegression()
{
    m_confusion->hide();
    m_perClass->hide();
    const QJsonObject residuals = m_report.value(QStringLiteral("residuals")).toObject();
    QChart *chart = m_chart->chart();
    chart->setTitle(tr("Residuals versus prediction (test split)"));
    chart->legend()->hide();
    const QList<QPointF> points = thin(residuals.value(QStringLiteral("prediction")).toArray(),
                                       residuals.value(QStringLiteral("residual")).toArray(),
                                       4 * kMaxCurvePoints);
    auto *series = new QScatterSeries;
    series->setName(tr("Residual"));
    series->setMarkerSize(5);
    series->replace(points);
    chart->addSeries(series);
    chart->createDefaultAxes();
    const auto h = chart->axes(Qt::Horizontal);
    const auto v = chart->axes(Qt::Vertical);
    if (!h.isEmpty())
        h.first()->setTitleText(tr("Prediction"));
    if (!v.isEmpty())
        v.first()->setTitleText(tr("Residual (true \u2212 predicted)"));
}

} // namespace mlwb
