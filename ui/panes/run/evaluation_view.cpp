// SPDX-License-Identifier: MIT
#include "panes/run/evaluation_view.h"

#include "charts/chart_grid.h"
#include "charts/chart_style.h"
#include "charts/nice_axis.h"
#include "charts/confusion_matrix_view.h"
#include "charts/curve_chart_view.h"
#include "common/format.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QScatterSeries>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QLineSeries>
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
    : QWidget(parent), m_title(new QLabel(this)),
      m_metrics(makeTable(this, {tr("Metric"), tr("Value")})),
      m_perClass(makeTable(this, {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"),
                                  tr("Support"), tr("ROC AUC"), tr("Avg. precision")})),
      m_grid(new ChartGrid(380)), m_confusion(new ConfusionMatrixView), m_roc(new CurveChartView),
      m_pr(new CurveChartView), m_calibration(new CurveChartView), m_residuals(new QChartView)
{
    setObjectName(QStringLiteral("evaluationView"));
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_confusion->setObjectName(QStringLiteral("confusionMatrix"));
    m_confusion->setMinimumSize(320, 280);
    m_roc->setObjectName(QStringLiteral("rocChart"));
    m_roc->setTitle(tr("ROC curves, one class against the rest"));
    m_roc->setAxisTitles(tr("False positive rate"), tr("True positive rate"));
    m_roc->setReference(tr("Chance"));
    m_pr->setObjectName(QStringLiteral("prChart"));
    m_pr->setTitle(tr("Precision\u2013recall curves"));
    m_pr->setAxisTitles(tr("Recall"), tr("Precision"));
    m_pr->setInsideLegendCorner(Qt::BottomLeftCorner); // precision stays high at low recall
    m_calibration->setObjectName(QStringLiteral("calibrationChart"));
    m_calibration->setAxisTitles(tr("Mean confidence of the predicted class"), tr("Accuracy"));
    m_calibration->setReference(tr("Perfectly calibrated"));
    m_residuals->setObjectName(QStringLiteral("residualChart"));
    m_residuals->setRenderHint(QPainter::Antialiasing);
    m_residuals->setMinimumSize(320, 280);
    for (QWidget *chart : {static_cast<QWidget *>(m_confusion), static_cast<QWidget *>(m_roc),
                           static_cast<QWidget *>(m_pr), static_cast<QWidget *>(m_calibration),
                           static_cast<QWidget *>(m_residuals)})
        m_grid->addChart(chart);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    // Charts above in a reflowing grid, the tables side by side below.
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    auto *scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_grid);
    auto *tables = new QSplitter(Qt::Horizontal, split);
    tables->addWidget(m_metrics);
    tables->addWidget(m_perClass);
    tables->setStretchFactor(0, 1);
    tables->setStretchFactor(1, 2);
    tables->setSizes({320, 640});
    tables->setMinimumHeight(150);
    split->addWidget(scroll);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    setReport({}, QString());
}

void EvaluationView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_residuals->chart())
        ChartStyle::apply(m_residuals->chart(), palette(), font());
}

void EvaluationView::setReport(const QJsonObject &report, const QString &title)
{
    m_report = report;
    m_title->setText(title);
    m_metrics->setRowCount(0);
    m_perClass->setRowCount(0);
    m_confusion->setMatrix({}, {});
    m_roc->setCurves({});
    m_pr->setCurves({});
    m_calibration->setCurves({});
    m_calibration->setTitle(tr("Calibration (reliability diagram)"));
    m_residuals->setChart(new QChart); // deletes the previous chart
    if (report.isEmpty())
        return;
    const QJsonObject metrics = report.value(QStringLiteral("metrics")).toObject();
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const int row = m_metrics->rowCount();
        m_metrics->insertRow(row);
        m_metrics->setItem(row, 0, item(it.key()));
        m_metrics->setItem(row, 1, item(number(it.value()), true));
    }
    m_metrics->resizeColumnsToContents();
    if (report.value(QStringLiteral("kind")).toString() == QLatin1String("regression"))
        showRegression();
    else
        showClassification();
    m_grid->reflow();
}

void EvaluationView::showClassification()
{
    for (QWidget *w : {static_cast<QWidget *>(m_confusion), static_cast<QWidget *>(m_roc),
                       static_cast<QWidget *>(m_pr), static_cast<QWidget *>(m_calibration),
                       static_cast<QWidget *>(m_perClass)})
        w->show();
    m_residuals->hide();
    const QJsonArray classes = m_report.value(QStringLiteral("per_class")).toArray();
    QStringList names;
    QList<CurveChartView::Curve> roc, pr;
    for (int i = 0; i < classes.size(); ++i) {
        const QJsonObject c = classes.at(i).toObject();
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
        m_perClass->setItem(row, 6,
                            item(number(c.value(QStringLiteral("average_precision"))), true));
        const QJsonObject rocJson = c.value(QStringLiteral("roc")).toObject();
        QList<QPointF> points =
            thin(rocJson.value(QStringLiteral("fpr")).toArray(),
                 rocJson.value(QStringLiteral("tpr")).toArray(), kMaxCurvePoints);
        if (!points.isEmpty())
            roc.append({tr("%1 (AUC %2)").arg(name, number(c.value(QStringLiteral("roc_auc")))),
                        points, i});
        const QJsonObject prJson = c.value(QStringLiteral("pr")).toObject();
        points = thin(prJson.value(QStringLiteral("recall")).toArray(),
                      prJson.value(QStringLiteral("precision")).toArray(), kMaxCurvePoints);
        if (!points.isEmpty())
            pr.append(
                {tr("%1 (AP %2)").arg(name, number(c.value(QStringLiteral("average_precision")))),
                 points, i});
    }
    m_perClass->resizeColumnsToContents();
    m_roc->setCurves(roc);
    m_pr->setCurves(pr);

    // Reliability diagram: the bins that hold predictions, at (mean confidence, accuracy).
    const QJsonObject cal = m_report.value(QStringLiteral("calibration")).toObject();
    const QJsonArray confidence = cal.value(QStringLiteral("confidence")).toArray();
    const QJsonArray accuracy = cal.value(QStringLiteral("accuracy")).toArray();
    const QJsonArray count = cal.value(QStringLiteral("count")).toArray();
    QList<QPointF> bins;
    for (qsizetype b = 0; b < std::min({confidence.size(), accuracy.size(), count.size()}); ++b) {
        if (count.at(b).toDouble() > 0 && confidence.at(b).isDouble() && accuracy.at(b).isDouble())
            bins.append({confidence.at(b).toDouble(), accuracy.at(b).toDouble()});
    }
    const QJsonValue ece =
        m_report.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("ece"));
    m_calibration->setTitle(tr("Calibration (reliability diagram), ECE %1").arg(number(ece)));
    if (!bins.isEmpty())
        m_calibration->setCurves({{tr("Model (ECE %1)").arg(number(ece)), bins, 0, true}});

    QStringList fromMatrix = names;
    const QJsonArray classNames = m_report.value(QStringLiteral("classes")).toArray();
    if (fromMatrix.isEmpty())
        for (const QJsonValue &v : classNames)
            fromMatrix << v.toString();
    std::vector<std::vector<qint64>> counts;
    for (const QJsonValue &rowValue :
         m_report.value(QStringLiteral("confusion_matrix")).toArray()) {
        std::vector<qint64> row;
        for (const QJsonValue &v : rowValue.toArray())
            row.push_back(qint64(v.toDouble()));
        counts.push_back(std::move(row));
    }
    m_confusion->setMatrix(fromMatrix, counts);
}

void EvaluationView::showRegression()
{
    for (QWidget *w : {static_cast<QWidget *>(m_confusion), static_cast<QWidget *>(m_roc),
                       static_cast<QWidget *>(m_pr), static_cast<QWidget *>(m_calibration),
                       static_cast<QWidget *>(m_perClass)})
        w->hide();
    m_residuals->show();
    const QJsonObject residuals = m_report.value(QStringLiteral("residuals")).toObject();
    QChart *chart = m_residuals->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(tr("Residuals versus prediction"));
    chart->legend()->hide();
    const QList<QPointF> points =
        thin(residuals.value(QStringLiteral("prediction")).toArray(),
             residuals.value(QStringLiteral("residual")).toArray(), 4 * kMaxCurvePoints);
    auto *series = new QScatterSeries;
    series->setName(tr("Residual"));
    series->setMarkerSize(5);
    series->setColor(ChartStyle::seriesColor(0));
    series->setBorderColor(ChartStyle::seriesColor(0));
    series->replace(points);
    // Round axis ends with room around the outermost points (a marker's radius), and the
    // y = 0 line a perfect model's residuals lie on.
    double x0 = 0, x1 = 1, y0 = -1, y1 = 1;
    if (!points.isEmpty()) {
        x0 = x1 = points.first().x();
        y0 = y1 = points.first().y();
        for (const QPointF &pt : points) {
            x0 = std::min(x0, pt.x());
            x1 = std::max(x1, pt.x());
            y0 = std::min(y0, pt.y());
            y1 = std::max(y1, pt.y());
        }
    }
    const double padX = (x1 > x0 ? x1 - x0 : std::max(std::fabs(x1), 1.0)) * 0.04;
    const double padY = (y1 > y0 ? y1 - y0 : std::max(std::fabs(y1), 1.0)) * 0.04;
    const NiceAxis::Range xr = NiceAxis::rounded(x0 - padX, x1 + padX, 8);
    const NiceAxis::Range yr =
        NiceAxis::rounded(std::min(y0 - padY, 0.0), std::max(y1 + padY, 0.0), 8);
    auto *zero = new QLineSeries;
    zero->setName(tr("Zero residual"));
    zero->setObjectName(QStringLiteral("zeroLine"));
    zero->append(xr.min, 0);
    zero->append(xr.max, 0);
    QPen zeroPen(palette().color(QPalette::Text));
    zeroPen.setWidthF(1.2);
    zeroPen.setStyle(Qt::DashLine);
    chart->addSeries(zero);
    chart->addSeries(series);
    auto *ax = new QValueAxis;
    auto *ay = new QValueAxis;
    NiceAxis::applyValues(ax, xr);
    NiceAxis::applyValues(ay, yr);
    for (QValueAxis *a : {ax, ay})
        a->setLabelFormat(QStringLiteral("%.4g"));
    ax->setTitleText(tr("Prediction"));
    ay->setTitleText(tr("Residual (true \u2212 predicted)"));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(zero),
                               static_cast<QAbstractSeries *>(series)}) {
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
    ChartStyle::apply(chart, palette(), font());
    // After the style, which colours every series.
    zero->setPen(zeroPen);
}

} // namespace mlwb
