// SPDX-License-Identifier: MIT
#include "panes/run/run_overview.h"

#include "charts/metric_chart_view.h"
#include "store/project.h"
#include "widgets/format.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace mlwb {

namespace {
QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(parent);
    t->setColumnCount(int(headers.size()));
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem *numberItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
} // namespace

RunOverview::RunOverview(Project &project, qint64 runId, QWidget *parent)
    : QWidget(parent)
    , m_project(&project)
    , m_id(runId)
    , m_header(new QLabel(this))
    , m_metrics(table({tr("Metric"), tr("Latest"), tr("Step")}, this))
    , m_hyper(table({tr("Hyperparameter"), tr("Value")}, this))
    , m_chartBox(new QWidget)
    , m_chartGrid(new QGridLayout(m_chartBox))
    , m_noMetrics(new QLabel(tr("No metric points logged yet."), m_chartBox))
    , m_resizeTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("RunOverview"));
    auto *layout = new QVBoxLayout(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_header);

    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *tables = new QSplitter(Qt::Vertical, split);
    tables->addWidget(m_metrics);
    tables->addWidget(m_hyper);
    auto *scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_chartBox);
    m_noMetrics->setEnabled(false);
    m_noMetrics->setAlignment(Qt::AlignCenter);
    m_chartGrid->addWidget(m_noMetrics, 0, 0);
    split->addWidget(tables);
    split->addWidget(scroll);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({280, 800});
    layout->addWidget(split, 1);

    // Charts are redrawn for their new width once resizing settles.
    m_resizeTimer->setSingleShot(true);
    m_resizeTimer->setInterval(150);
    connect(m_resizeTimer, &QTimer::timeout, this, &RunOverview::reloadCharts);
    connect(&project, &Project::runChanged, this, [this](qint64 id) {
        if (id == m_id)
            reload();
    });
    reload();
}

QList<MetricChartView *> RunOverview::charts() const
{
    return m_charts.values();
}

void RunOverview::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_resizeTimer->start();
}

void RunOverview::reload()
{
    if (!m_project)
        return;
    auto r = m_project->runs().get(m_id);
    if (!r)
        return;
    QString timing = tr("created %1").arg(Format::dateTime(r->createdAt));
    if (r->startedAt.isValid()) {
        const QDateTime end =
            r->finishedAt.isValid() ? r->finishedAt : QDateTime::currentDateTime();
        timing +=
            tr(" \u00b7 ran %1").arg(Format::duration(double(r->startedAt.msecsTo(end)) / 1000.0));
    }
    const QString name = r->name.isEmpty() ? tr("run %1").arg(r->id) : r->name;
    m_header->setText(tr("<h2 style='margin:0'>%1</h2>model <b>%2</b> version %3 \u00b7 "
                         "<b>%4</b> \u00b7 %5%6")
                          .arg(name.toHtmlEscaped(), r->modelName.toHtmlEscaped())
                          .arg(r->modelVersion)
                          .arg(runStatusName(r->status), timing,
                               r->message.isEmpty()
                                   ? QString()
                                   : QStringLiteral("<br>") + r->message.toHtmlEscaped()));

    auto latest = m_project->metrics().latest({m_id});
    m_metrics->setRowCount(latest ? int(latest->size()) : 0);
    if (latest) {
        for (int i = 0; i < latest->size(); ++i) {
            const LatestMetric &l = latest->at(i);
            m_metrics->setItem(i, 0, new QTableWidgetItem(l.key));
            m_metrics->setItem(i, 1, numberItem(Format::metric(l.value)));
            m_metrics->setItem(i, 2, numberItem(QString::number(l.step)));
        }
    }
    m_metrics->resizeColumnsToContents();
    m_metrics->horizontalHeader()->setStretchLastSection(true);

    QStringList keys = r->hyperparams.keys();
    m_hyper->setRowCount(int(keys.size()));
    for (int i = 0; i < keys.size(); ++i) {
        const QJsonValue v = r->hyperparams.value(keys.at(i));
        QString text =
            v.isDouble()   ? Format::metric(v.toDouble())
            : v.isString() ? v.toString()
            : v.isBool()
                ? (v.toBool() ? tr("yes") : tr("no"))
                : QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        m_hyper->setItem(i, 0, new QTableWidgetItem(keys.at(i)));
        m_hyper->setItem(i, 1, new QTableWidgetItem(text));
    }
    m_hyper->resizeColumnsToContents();
    m_hyper->horizontalHeader()->setStretchLastSection(true);
    reloadCharts();
}

void RunOverview::reloadCharts()
{
    if (!m_project)
        return;
    auto keys = m_project->metrics().keys(m_id);
    if (!keys)
        return;
    for (const QString &key : std::as_const(*keys)) {
        if (m_charts.contains(key))
            continue;
        auto *chart = new MetricChartView(key, m_chartBox);
        const int n = int(m_charts.size());
        m_chartGrid->addWidget(chart, n / 2, n % 2);
        m_charts.insert(key, chart);
    }
    m_noMetrics->setVisible(m_charts.isEmpty());
    for (auto it = m_charts.cbegin(); it != m_charts.cend(); ++it) {
        auto buckets = m_project->metrics().chartBuckets(m_id, it.key(), it.value()->bucketCount());
        if (buckets)
            it.value()->setBuckets(*buckets);
    }
}

} // namespace mlwb
