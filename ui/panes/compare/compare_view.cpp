// SPDX-License-Identifier: MIT
#include "panes/compare/compare_view.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QJsonValue>
#include <QLabel>
#include <QLineSeries>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

namespace {

QTableWidgetItem *textItem(const QString &text)
{
    auto *it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return it;
}

// Sorts by value, shows 4 decimals.
QTableWidgetItem *numberItem(double value)
{
    auto *it = new QTableWidgetItem;
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    it->setData(Qt::DisplayRole, value);
    it->setData(Qt::ToolTipRole, QString::number(value, 'g', 10));
    it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

// Numbers of a run summary, nested objects flattened as "a/b".
void flatten(const QJsonObject &o, const QString &prefix, QHash<QString, double> &out)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('/') + it.key();
        if (it.value().isDouble())
            out.insert(key, it.value().toDouble());
        else if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
    }
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 8);
    if (v.isNull() || v.isUndefined())
        return QString();
    return QStringLiteral("\u2026");
}

} // namespace

QColor CompareView::colorOf(qint64 runId)
{
    // Qt Charts-like qualitative palette, the same run always gets the same colour.
    static const QColor palette[] = {
        QColor(0x20, 0x9f, 0xdf), QColor(0x99, 0xca, 0x53), QColor(0xf6, 0xa6, 0x25),
        QColor(0x6d, 0x5f, 0xd5), QColor(0xbf, 0x59, 0x3e), QColor(0x17, 0xbe, 0xcf),
        QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};
    return palette[size_t(runId) % std::size(palette)];
}

CompareView::CompareView(Project &project, const QList<qint64> &runIds, QWidget *parent)
    : QWidget(parent)
    , m_project(&project)
    , m_runs(runIds)
    , m_key(new QComboBox(this))
    , m_axis(new QComboBox(this))
    , m_smoothing(new QSlider(Qt::Horizontal, this))
    , m_chart(new QChartView(this))
    , m_summary(new QTableWidget(this))
    , m_hyper(new QTableWidget(this))
    , m_onlyDiff(new QCheckBox(tr("Only differences"), this))
    , m_reloadTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("compareView"));
    m_key->setObjectName(QStringLiteral("metricKey"));
    m_axis->addItem(tr("Step"), int(XAxis::Step));
    m_axis->addItem(tr("Wall time"), int(XAxis::WallTime));
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(0);
    m_smoothing->setToolTip(tr("Exponential moving average smoothing"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(240);
    m_onlyDiff->setChecked(true);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Metric:"), this));
    controls->addWidget(m_key, 1);
    controls->addWidget(new QLabel(tr("X axis:"), this));
    controls->addWidget(m_axis);
    controls->addWidget(new QLabel(tr("Smoothing:"), this));
    controls->addWidget(m_smoothing, 1);

    for (QTableWidget *t : {m_summary, m_hyper}) {
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->verticalHeader()->hide();
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    m_summary->setSortingEnabled(true);

    auto *hyperBox = new QWidget(this);
    auto *hyperLayout = new QVBoxLayout(hyperBox);
    hyperLayout->setContentsMargins(0, 0, 0, 0);
    hyperLayout->addWidget(m_onlyDiff);
    hyperLayout->addWidget(m_hyper);

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(m_summary);
    tables->addWidget(hyperBox);
    auto *split = new QSplitter(Qt::Vertical, this);
    auto *chartBox = new QWidget(split);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addLayout(controls);
    chartLayout->addWidget(m_chart, 1);
    split->addWidget(chartBox);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(1000);
    connect(m_reloadTimer, &QTimer::timeout, this, &CompareView::reload);
    connect(&project, &Project::runChanged, this, [this](qint64 id) {
        if (m_runs.contains(id) && !m_reloadTimer->isActive())
            m_reloadTimer->start();
    });
    connect(m_key, &QComboBox::currentTextChanged, this, &CompareView::reloadChart);
    connect(m_axis, &QComboBox::currentIndexChanged, this, &CompareView::reloadChart);
    connect(m_smoothing, &QSlider::valueChanged, this, &CompareView::reloadChart);
    connect(m_onlyDiff, &QCheckBox::toggled, this, &CompareView::applyDifferenceFilter);
    reload();
}

void CompareView::setMetricKey(const QString &key) { m_key->setCurrentText(key); }
QString CompareView::metricKey() const { return m_key->currentText(); }
void CompareView::setSmoothing(int percent) { m_smoothing->setValue(percent); }
void CompareView::setXAxis(XAxis axis) { m_axis->setCurrentIndex(m_axis->findData(int(axis))); }

QList<QLineSeries *> CompareView::series() const
{
    QList<QLineSeries *> out;
    if (QChart *chart = m_chart->chart())
        for (QAbstractSeries *s : chart->series())
            if (auto *line = qobject_cast<QLineSeries *>(s))
                out << line;
    return out;
}

int CompareView::bucketCount() const
{
    const int plot = m_chart->chart() ? int(m_chart->chart()->plotArea().width()) : 0;
    return std::clamp(plot > 0 ? plot : m_chart->width() - 80, 16, 4000);
}

void CompareView::reload()
{
    reloadKeys();
    reloadChart();
    reloadTables();
}

void CompareView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (!m_reloadTimer->isActive())
        QTimer::singleShot(150, this, &CompareView::reloadChart);
}

void CompareView::reloadKeys()
{
    if (!m_project)
        return;
    QStringList keys;
    for (qint64 run : std::as_const(m_runs))
        if (auto k = m_project->metrics().keys(run); k.ok())
            for (const QString &key : *k)
                if (!keys.contains(key))
                    keys << key;
    keys.sort();
    const QString current = m_key->currentText();
    QSignalBlocker block(m_key);
    m_key->clear();
    m_key->addItems(keys);
    if (keys.contains(current))
        m_key->setCurrentText(current);
    else if (keys.contains(QStringLiteral("val/loss")))
        m_key->setCurrentText(QStringLiteral("val/loss"));
}

void CompareView::reloadChart()
{
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    const QString key = m_key->currentText();
    const bool wall = XAxis(m_axis->currentData().toInt()) == XAxis::WallTime;
    const double alpha = m_smoothing->value() / 100.0;
    const int buckets = bucketCount();
    auto *x = new QValueAxis;
    x->setTitleText(wall ? tr("Wall time (s)") : tr("Step"));
    auto *y = new QValueAxis;
    y->setTitleText(key);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double minX = std::numeric_limits<double>::max(), maxX = std::numeric_limits<double>::lowest();
    double minY = minX, maxY = maxX;
    if (m_project && !key.isEmpty()) {
        for (qint64 run : std::as_const(m_runs)) {
            auto data = m_project->metrics().chartBuckets(run, key, buckets);
            if (!data.ok() || data->empty())
                continue;
            auto record = m_project->runs().get(run);
            auto *series = new QLineSeries;
            series->setName(record.ok() ? record->name : tr("Run %1").arg(run));
            series->setColor(colorOf(run));
            series->setProperty("runId", run);
            QList<QPointF> points;
            points.reserve(qsizetype(data->size()));
            const double wall0 = data->front().firstWall;
            double ema = data->front().last;
            for (const MetricBucket &b : *data) {
                ema = alpha * ema + (1.0 - alpha) * b.last;
                const double px = wall ? b.lastWall - wall0 : double(b.lastStep);
                points.append({px, ema});
                minX = std::min(minX, px);
                maxX = std::max(maxX, px);
                minY = std::min(minY, ema);
                maxY = std::max(maxY, ema);
            }
            series->replace(points);
            chart->addSeries(series);
            series->attachAxis(x);
            series->attachAxis(y);
        }
    }
    if (minX <= maxX) {
        x->setRange(minX, maxX > minX ? maxX : minX + 1);
        const double pad = maxY > minY ? (maxY - minY) * 0.05 : 0.5;
        y->setRange(minY - pad, maxY + pad);
    }
    chart->setTitle(key.isEmpty() ? tr("No metrics") : key);
    m_chart->setChart(chart);
}

void CompareView::reloadTables()
{
    if (!m_project)
        return;
    QList<RunRecord> records;
    for (qint64 run : std::as_const(m_runs))
        if (auto r = m_project->runs().get(run); r.ok())
            records << *r;

    // Final metrics: one row per run.
    QList<QHash<QString, double>> summaries;
    QStringList keys;
    for (const RunRecord &r : std::as_const(records)) {
        QHash<QString, double> flat;
        flatten(r.summary, QString(), flat);
        for (auto it = flat.cbegin(); it != flat.cend(); ++it)
            if (!keys.contains(it.key()))
                keys << it.key();
        summaries << flat;
    }
    keys.sort();
    m_summary->setSortingEnabled(false);
    m_summary->clear();
    m_summary->setColumnCount(int(keys.size()) + 2);
    m_summary->setHorizontalHeaderLabels(QStringList{tr("Run"), tr("Status")} + keys);
    m_summary->setRowCount(int(records.size()));
    for (int row = 0; row < records.size(); ++row) {
        auto *name = textItem(records[row].name);
        name->setData(Qt::DecorationRole, colorOf(records[row].id));
        name->setData(Qt::UserRole, records[row].id);
        m_summary->setItem(row, 0, name);
        m_summary->setItem(row, 1, textItem(runStatusName(records[row].status)));
        for (int c = 0; c < keys.size(); ++c)
            if (summaries[row].contains(keys[c]))
                m_summary->setItem(row, c + 2, numberItem(summaries[row].value(keys[c])));
    }
    m_summary->setSortingEnabled(true);

    // Hyperparameters: one row per key, one column per run.
    QStringList hyperKeys;
    for (const RunRecord &r : std::as_const(records))
        for (const QString &k : r.hyperparams.keys())
            if (!hyperKeys.contains(k))
                hyperKeys << k;
    hyperKeys.sort();
    m_hyper->clear();
    m_hyper->setColumnCount(int(records.size()) + 1);
    QStringList headers{tr("Hyperparameter")};
    for (const RunRecord &r : std::as_const(records))
        headers << r.name;
    m_hyper->setHorizontalHeaderLabels(headers);
    m_hyper->setRowCount(int(hyperKeys.size()));
    for (int row = 0; row < hyperKeys.size(); ++row) {
        m_hyper->setItem(row, 0, textItem(hyperKeys[row]));
        for (int c = 0; c < records.size(); ++c)
            m_hyper->setItem(row, c + 1,
                             textItem(valueText(records[c].hyperparams.value(hyperKeys[row]))));
    }
    applyDifferenceFilter();
}

void CompareView::applyDifferenceFilter()
{
    const bool only = m_onlyDiff->isChecked();
    for (int row = 0; row < m_hyper->rowCount(); ++row) {
        bool same = true;
        const QString first = m_hyper->item(row, 1) ? m_hyper->item(row, 1)->text() : QString();
        for (int c = 2; c < m_hyper->columnCount() && same; ++c)
            same = (m_hyper->item(row, c) ? m_hyper->item(row, c)->text() : QString()) == first;
        m_hyper->setRowHidden(row, only && same);
    }
}

} // namespace mlwb
