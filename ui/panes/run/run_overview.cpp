// SPDX-License-Identifier: MIT
#include "panes/run/run_overview.h"

#include "charts/chart_grid.h"
#include "store/project.h"
#include "common/format.h"
#include "eval/metric_order.h"
#include "widgets/hyperparameter_text.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

// The trainer's step-to-epoch map is an x axis, not a chart of its own.
const QString kEpochKey = QStringLiteral("epoch");

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

// Sets a cell's text, reusing its item, so a live refresh does not rebuild the table.
void setCell(QTableWidget *t, int row, int column, const QString &text, bool numeric)
{
    if (QTableWidgetItem *item = t->item(row, column)) {
        if (item->text() != text)
            item->setText(text);
        return;
    }
    t->setItem(row, column, numeric ? numberItem(text) : new QTableWidgetItem(text));
}

bool sameBuckets(const std::vector<MetricBucket> &a, const std::vector<MetricBucket> &b)
{
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(), [](const MetricBucket &x, const MetricBucket &y) {
            // NaN never equals itself: compare bit for bit, or a diverged run redraws forever.
            auto same = [](double p, double q) { return p == q || (std::isnan(p) && std::isnan(q)); };
            return x.firstStep == y.firstStep && x.lastStep == y.lastStep && x.count == y.count &&
                   x.nanCount == y.nanCount && x.firstNonFiniteStep == y.firstNonFiniteStep &&
                   same(x.last, y.last) && same(x.min, y.min) && same(x.max, y.max) &&
                   x.lastWall == y.lastWall;
        });
}

bool sameScale(const MetricChartView::XScale &a, const MetricChartView::XScale &b)
{
    if (a.axis != b.axis)
        return false;
    switch (a.axis) {
    case MetricChartView::XAxis::Step:
        return true;
    case MetricChartView::XAxis::Epoch:
        return a.epochEnds == b.epochEnds;
    case MetricChartView::XAxis::WallTime:
        return a.wallOrigin == b.wallOrigin;
    }
    return false;
}

} // namespace

RunOverview::RunOverview(Project &project, qint64 runId, QWidget *parent)
    : QWidget(parent), m_project(&project), m_id(runId),
      m_loader(new RunDataLoader(project.path(), runId, this)), m_header(new QLabel(this)),
      m_metrics(table({tr("Metric"), tr("Latest"), tr("Step")}, this)),
      m_hyper(table({tr("Hyperparameter"), tr("Value")}, this)), m_xAxis(new QComboBox(this)),
      m_chartStack(new QStackedWidget(this)), m_grid(new ChartGrid(380)),
      m_empty(new QLabel(m_chartStack)), m_createTimer(new QTimer(this)),
      m_resizeTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("RunOverview"));
    auto *layout = new QVBoxLayout(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_header);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    auto *tables = new QSplitter(Qt::Vertical, split);
    tables->addWidget(m_metrics);
    tables->addWidget(m_hyper);

    auto *right = new QWidget(split);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *axisLabel = new QLabel(tr("&X axis:"), right);
    axisLabel->setBuddy(m_xAxis);
    m_xAxis->setObjectName(QStringLiteral("xAxisCombo"));
    m_xAxis->addItem(tr("Step"), int(MetricChartView::XAxis::Step));
    m_xAxis->addItem(tr("Epoch"), int(MetricChartView::XAxis::Epoch));
    m_xAxis->addItem(tr("Wall time"), int(MetricChartView::XAxis::WallTime));
    m_xAxis->setToolTip(tr("What the charts' horizontal axis shows"));
    bar->addWidget(axisLabel);
    bar->addWidget(m_xAxis);
    bar->addStretch(1);
    rightLayout->addLayout(bar);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    auto *scroll = new QScrollArea(m_chartStack);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_grid);
    m_chartStack->addWidget(m_empty);
    m_chartStack->addWidget(scroll);
    rightLayout->addWidget(m_chartStack, 1);

    split->addWidget(tables);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({300, 900});
    layout->addWidget(split, 1);

    m_createTimer->setSingleShot(true);
    m_createTimer->setInterval(0);
    connect(m_createTimer, &QTimer::timeout, this, &RunOverview::createPendingChart);
    // Charts are read again for their new width once resizing settles.
    m_resizeTimer->setSingleShot(true);
    m_resizeTimer->setInterval(150);
    connect(m_resizeTimer, &QTimer::timeout, this, &RunOverview::requestReload);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this] { applyCharts(true); });
    connect(m_loader, &RunDataLoader::loaded, this,
            [this](const RunSnapshot &snapshot) { apply(snapshot, false); });
    connect(&project, &Project::runChanged, this, [this](qint64 id) {
        if (id == m_id)
            requestReload();
    });
    reload();
}

QList<MetricChartView *> RunOverview::charts() const
{
    QList<MetricChartView *> out;
    for (QWidget *w : m_grid->charts())
        if (auto *chart = qobject_cast<MetricChartView *>(w))
            out << chart;
    return out;
}

MetricChartView *RunOverview::chart(const QString &key) const
{
    for (MetricChartView *c : m_charts)
        if (c->hasKey(key))
            return c;
    for (MetricChartView *c : m_charts)
        if (c->key() == key)
            return c;
    return nullptr;
}

MetricChartView::XAxis RunOverview::xAxis() const
{
    return MetricChartView::XAxis(m_xAxis->currentData().toInt());
}

void RunOverview::setXAxis(MetricChartView::XAxis axis)
{
    m_xAxis->setCurrentIndex(m_xAxis->findData(int(axis)));
}

void RunOverview::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_resizeTimer->start();
}

void RunOverview::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        requestReload();
}

RunDataLoader::Request RunOverview::chartRequest() const
{
    RunDataLoader::Request request;
    for (MetricChartView *chart : m_charts)
        for (const QString &key : chart->keys())
            request.bucketCounts.insert(key, chart->bucketCount());
    const int cell = m_grid->width() / std::max(m_grid->columnCount(), 1) - 80;
    request.defaultBucketCount = std::clamp(cell, 50, 4000);
    return request;
}

MetricChartView::XScale RunOverview::scale() const
{
    MetricChartView::XScale s;
    s.axis = xAxis();
    s.wallOrigin = m_snapshot.wallOrigin;
    s.epochEnds = m_snapshot.epochEnds;
    return s;
}

void RunOverview::reload()
{
    if (!m_project)
        return;
    apply(RunDataLoader::read(m_project->db(), m_id, chartRequest()), true);
}

void RunOverview::requestReload()
{
    // A hidden tab is read when it is shown again.
    if (!m_project || !isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    m_loader->request(chartRequest());
}

void RunOverview::apply(const RunSnapshot &snapshot, bool createAllCharts)
{
    if (!snapshot.ok) {
        // A refresh that failed (the run was deleted, the file is busy) keeps what is shown.
        if (!m_snapshot.ok)
            m_header->setText(
                tr("This run cannot be read: %1").arg(snapshot.error.toHtmlEscaped()));
        return;
    }
    m_snapshot = snapshot;
    applyHeader();
    applyTables();
    regroup();
    if (createAllCharts) {
        while (!m_pendingKeys.isEmpty())
            createPendingChart();
    } else if (!m_pendingKeys.isEmpty()) {
        m_createTimer->start();
    }
    applyCharts(false);
    updateEmptyState();
}

void RunOverview::regroup()
{
    QStringList keys = m_snapshot.keys;
    keys.removeAll(kEpochKey);
    const QList<QStringList> groups = MetricOrder::forKeys(keys).grouped(keys);
    if (groups == m_groups)
        return;
    // A chart whose metric gained a series (val_loss after the first epoch) is drawn anew.
    for (qsizetype i = m_charts.size() - 1; i >= 0; --i) {
        MetricChartView *chart = m_charts[i];
        if (!groups.contains(chart->keys())) {
            m_drawn.remove(chart);
            m_charts.removeAt(i);
            m_grid->removeChart(chart);
        }
    }
    m_pendingKeys.clear();
    for (const QStringList &group : groups)
        if (!std::any_of(m_charts.cbegin(), m_charts.cend(),
                         [&](MetricChartView *c) { return c->keys() == group; }))
            m_pendingKeys << group;
    m_groups = groups;
}

void RunOverview::applyHeader()
{
    const RunRecord &r = m_snapshot.run;
    QString timing = tr("created %1").arg(Format::dateTime(r.createdAt));
    if (r.startedAt.isValid()) {
        const QDateTime end = r.finishedAt.isValid() ? r.finishedAt : QDateTime::currentDateTime();
        timing +=
            tr(" \u00b7 ran %1").arg(Format::duration(double(r.startedAt.msecsTo(end)) / 1000.0));
    }
    const QString name = Format::runName(r.name, r.id);
    QString text;
    if (r.tracked) {
        // A script's run (issue #15): its experiment and who ran it; while running, when its
        // script last wrote (a script that died leaves its run running).
        const QString heartbeat = r.status == RunStatus::Running && r.heartbeatAt.isValid()
                                      ? tr(" \u00b7 last written %1").arg(Format::dateTime(r.heartbeatAt))
                                      : QString();
        text = tr("<h2 style='margin:0'>%1</h2>experiment <b>%2</b> \u00b7 logged by %3 through the tracking endpoint \u00b7 <b>%4</b> \u00b7 %5%6")
                   .arg(name.toHtmlEscaped(), r.experimentName.toHtmlEscaped(), r.user.isEmpty() ? tr("a script") : r.user.toHtmlEscaped())
                   .arg(runStatusName(r.status), timing, heartbeat);
    } else {
        text = tr("<h2 style='margin:0'>%1</h2>model <b>%2</b> version %3 \u00b7 <b>%4</b> \u00b7 %5%6")
                   .arg(name.toHtmlEscaped(), r.modelName.toHtmlEscaped())
                   .arg(r.modelVersion)
                   .arg(runStatusName(r.status), timing,
                        r.message.isEmpty() ? QString() : QStringLiteral("<br>") + r.message.toHtmlEscaped());
    }
    if (m_header->text() != text)
        m_header->setText(text);
}

void RunOverview::applyTables()
{
    QList<LatestMetric> latest = m_snapshot.latest;
    QStringList latestKeys;
    for (const LatestMetric &l : std::as_const(latest))
        latestKeys << l.key;
    const MetricOrder order = MetricOrder::forKeys(latestKeys);
    std::stable_sort(latest.begin(), latest.end(), [&](const LatestMetric &a, const LatestMetric &b) {
        return order.lessThan(a.key, b.key);
    });
    const bool rowsChanged = m_metrics->rowCount() != latest.size();
    m_metrics->setRowCount(int(latest.size()));
    for (int i = 0; i < latest.size(); ++i) {
        const LatestMetric &l = latest.at(i);
        setCell(m_metrics, i, 0, l.key, false);
        setCell(m_metrics, i, 1, Format::metric(l.value), true);
        setCell(m_metrics, i, 2, QString::number(l.step), true);
    }
    if (rowsChanged) {
        m_metrics->resizeColumnsToContents();
        m_metrics->horizontalHeader()->setStretchLastSection(true);
    }

    const QJsonObject &hyper = m_snapshot.run.hyperparams;
    if (hyper == m_shownHyper && m_hyper->rowCount() == hyper.size())
        return;
    m_shownHyper = hyper;
    const QStringList keys = hyper.keys();
    m_hyper->setRowCount(int(keys.size()));
    for (int i = 0; i < keys.size(); ++i) {
        const QJsonValue v = hyper.value(keys.at(i));
        const std::optional<QString> byTask = HyperparameterText::byTask(keys.at(i), v, m_snapshot.task);
        const QString text =
            byTask         ? *byTask
            : v.isDouble() ? Format::metric(v.toDouble())
            : v.isString() ? v.toString()
            : v.isBool()
                ? (v.toBool() ? tr("yes") : tr("no"))
                : QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        setCell(m_hyper, i, 0, keys.at(i), false);
        setCell(m_hyper, i, 1, text, false);
    }
    m_hyper->resizeColumnsToContents();
    m_hyper->horizontalHeader()->setStretchLastSection(true);
}

void RunOverview::applyCharts(bool force)
{
    const MetricChartView::XScale s = scale();
    const bool scaleChanged = !sameScale(s, m_drawnScale);
    for (MetricChartView *chart : std::as_const(m_charts)) {
        QHash<QString, std::vector<MetricBucket>> buckets;
        for (const QString &key : chart->keys())
            buckets.insert(key, m_snapshot.buckets.value(key));
        auto drawn = m_drawn.find(chart);
        if (!force && !scaleChanged && drawn != m_drawn.end()) {
            bool same = true;
            for (auto it = buckets.cbegin(); it != buckets.cend() && same; ++it)
                same = sameBuckets(drawn->value(it.key()), it.value());
            if (same)
                continue;
        }
        chart->setSeries(buckets, s);
        m_drawn.insert(chart, buckets);
    }
    m_drawnScale = s;
}

void RunOverview::createPendingChart()
{
    if (m_pendingKeys.isEmpty())
        return;
    const QStringList keys = m_pendingKeys.takeFirst();
    const QString title = keys.size() == 1 ? keys.first() : MetricOrder::baseName(keys.first());
    auto *chart = new MetricChartView(title, keys);
    // In MetricOrder among the charts that exist.
    const qsizetype rank = m_groups.indexOf(keys);
    qsizetype at = 0;
    while (at < m_charts.size() && m_groups.indexOf(m_charts[at]->keys()) < rank)
        ++at;
    m_charts.insert(at, chart);
    m_grid->insertChart(int(at), chart);
    QHash<QString, std::vector<MetricBucket>> buckets;
    for (const QString &key : keys)
        buckets.insert(key, m_snapshot.buckets.value(key));
    chart->setSeries(buckets, scale());
    m_drawn.insert(chart, buckets);
    if (!m_pendingKeys.isEmpty())
        m_createTimer->start();
    updateEmptyState();
}

void RunOverview::updateEmptyState()
{
    if (!m_charts.isEmpty() || !m_pendingKeys.isEmpty()) {
        m_chartStack->setCurrentIndex(1);
        return;
    }
    const RunStatus status = m_snapshot.run.status;
    m_empty->setText(status == RunStatus::Queued || status == RunStatus::Running
                         ? tr("Waiting for the first metric points\u2026\n"
                              "Curves appear here as the run logs them.")
                         : tr("This run logged no metrics.\nTrain the model again "
                              "(Run > Train, Ctrl+R) to record loss and metric curves."));
    m_chartStack->setCurrentIndex(0);
}

} // namespace mlwb
