// SPDX-License-Identifier: MIT
#include "panes/monitor/monitoring_pane.h"

#include "charts/chart_style.h"
#include "charts/nice_axis.h"
#include "common/format.h"
#include "mainwindow/workbench_context.h"
#include "monitor/feature_drift.h"
#include "monitor/monitor_baselines.h"
#include "monitor/monitor_reader.h"
#include "panes/deploy/agent_call.h"
#include "panes/monitor/monitor_watcher.h"
#include "store/alert_repository.h"
#include "store/evaluation_repository.h"
#include "store/monitor_repository.h"
#include "store/package_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "store/target_repository.h"
#include "store/worker_connection.h"
#include "widgets/empty_state.h"
#include "widgets/icons.h"
#include "widgets/message_bar.h"
#include "widgets/translate.h"
#include "widgets/wheel_guard.h"

#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCategoryAxis>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

using text::tr;

namespace {

constexpr int kSlots = 120;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const qint64 kRanges[] = {15 * 60'000LL, 3600'000LL, 24 * 3600'000LL, 7 * 24 * 3600'000LL};

QTableWidget *makeTable(QWidget *parent, const QStringList &headers, const QString &name)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    return t;
}

QTableWidgetItem *cell(const QString &text, bool number = false)
{
    auto *item = new QTableWidgetItem(text);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString num(double v) { return std::isfinite(v) ? Format::metric(v) : (std::isnan(v) ? QStringLiteral("n/a") : Format::metric(v)); }
QString pct(double v) { return std::isfinite(v) ? QStringLiteral("%1 %").arg(Format::metric(v * 100)) : QStringLiteral("n/a"); }

QColor levelColor(FeatureDrift::Level l)
{
    switch (l) {
    case FeatureDrift::Level::Green:
        return QColor(0x2e, 0xa0, 0x43);
    case FeatureDrift::Level::Amber:
        return QColor(0xe0, 0x9b, 0x1a);
    case FeatureDrift::Level::Red:
        return QColor(0xd6, 0x3a, 0x3a);
    case FeatureDrift::Level::NotEnoughData:
        break;
    }
    return QColor(0x90, 0x90, 0x90);
}

QIcon lightIcon(FeatureDrift::Level l)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(levelColor(l));
    p.drawEllipse(QRectF(1, 1, 12, 12));
    return QIcon(pm);
}

QString levelText(FeatureDrift::Level l)
{
    switch (l) {
    case FeatureDrift::Level::Green:
        return tr("no drift");
    case FeatureDrift::Level::Amber:
        return tr("near the threshold");
    case FeatureDrift::Level::Red:
        return tr("drift");
    case FeatureDrift::Level::NotEnoughData:
        break;
    }
    return tr("not enough data");
}

QChartView *timeChart(QWidget *parent, const QString &title, const QString &yTitle, const QString &name)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    // Times as labels placed on round clock times (QDateTimeAxis drew no labels and no grid in
    // these small charts): the x values are ms since the epoch.
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    auto *y = new QValueAxis;
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    ChartStyle::apply(chart, parent->palette(), parent->font());
    auto *view = new QChartView(chart, parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

// Round clock times across [fromMs, toMs] as the axis' labels: at most 4, a step from 1 minute
// to 1 day, "hh:mm" within a day and "d MMM" beyond.
void setTimeTicks(QCategoryAxis *x, qint64 fromMs, qint64 toMs)
{
    for (const QString &label : x->categoriesLabels())
        x->remove(label);
    x->setRange(double(fromMs), double(toMs));
    static const qint64 kSteps[] = {60'000, 5 * 60'000, 10 * 60'000, 15 * 60'000, 30 * 60'000, 3600'000, 2 * 3600'000,
                                    3 * 3600'000, 6 * 3600'000, 12 * 3600'000, 24 * 3600'000, 2 * 24 * 3600'000,
                                    7 * 24 * 3600'000, 30 * 24 * 3600'000LL, 365 * 24 * 3600'000LL};
    const qint64 span = std::max<qint64>(1, toMs - fromMs);
    qint64 step = kSteps[std::size(kSteps) - 1];
    for (const qint64 s : kSteps)
        if (span / s <= 3) {
            step = s;
            break;
        }
    const bool days = step >= 24 * 3600'000LL;
    // Round in local time: an axis of clock times reads 12:00, not 11:00 UTC+1's 12:00.
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(fromMs).offsetFromUtc()) * 1000;
    for (qint64 t = ((fromMs + offset) / step + 1) * step - offset; t < toMs; t += step) {
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(t);
        x->append(when.toString(days ? QStringLiteral("d MMM") : QStringLiteral("hh:mm")), double(t));
    }
}

struct Line {
    QString name;
    int color = 0;
    const std::vector<double> *values = nullptr;
    double scale = 1.0;
};

// The lines over the slots, broken where a value is NaN (a gap, no traffic to take a rate of);
// restarts and failed polls as marks along the bottom.
void setLines(QChartView *view, const std::vector<qint64> &slotEnds, const QList<Line> &lines,
              const std::vector<qint64> &resets, const std::vector<std::pair<qint64, QString>> &failures, qint64 fromMs,
              qint64 toMs, bool percent)
{
    QChart *chart = view->chart();
    chart->removeAllSeries();
    auto *x = qobject_cast<QCategoryAxis *>(chart->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
    double hi = 0;
    for (const Line &line : lines) {
        bool named = false;
        QLineSeries *segment = nullptr;
        const auto finish = [&] {
            if (!segment)
                return;
            // A line of one point draws nothing: a lone slot between gaps is shown as its point.
            if (segment->count() == 1) {
                segment->setPointsVisible(true);
                segment->setMarkerSize(6);
            }
            chart->addSeries(segment);
            segment->attachAxis(x);
            segment->attachAxis(y);
            if (named)
                for (QLegendMarker *m : chart->legend()->markers(segment))
                    m->setVisible(false);
            named = true;
            segment = nullptr;
        };
        for (std::size_t i = 0; i < slotEnds.size() && i < line.values->size(); ++i) {
            const double v = (*line.values)[i] * line.scale;
            if (!std::isfinite(v)) {
                finish();
                continue;
            }
            if (!segment) {
                segment = new QLineSeries;
                segment->setName(line.name);
                QPen pen(ChartStyle::seriesColor(line.color));
                pen.setWidthF(1.8);
                segment->setPen(pen);
                segment->setPointsVisible(false);
            }
            segment->append(double(slotEnds[i]), v);
            hi = std::max(hi, v);
        }
        finish();
        if (!named) { // nothing to draw: still named in the legend
            auto *empty = new QLineSeries;
            empty->setName(line.name);
            empty->setPen(QPen(ChartStyle::seriesColor(line.color)));
            chart->addSeries(empty);
            empty->attachAxis(x);
            empty->attachAxis(y);
        }
    }
    const auto marks = [&](const QString &name, const QColor &color, const std::vector<qint64> &times) {
        if (times.empty())
            return;
        auto *s = new QScatterSeries;
        s->setName(name);
        s->setMarkerSize(8);
        s->setColor(color);
        s->setBorderColor(color);
        for (const qint64 t : times)
            s->append(double(t), 0);
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    };
    marks(tr("agent restart"), QColor(0x55, 0x7a, 0xd6), resets);
    std::vector<qint64> failed;
    for (const auto &f : failures)
        failed.push_back(f.first);
    marks(tr("no answer"), QColor(0xd6, 0x3a, 0x3a), failed);
    setTimeTicks(x, fromMs, toMs);
    NiceAxis::applyValues(y, NiceAxis::forValues(0, hi > 0 ? hi : 1.0, false));
    ChartStyle::makeLegendToggle(chart);
}

QChartView *barChart(QWidget *parent, const QString &title, const QString &name)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    ChartStyle::apply(chart, parent->palette(), parent->font());
    auto *view = new QChartView(chart, parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

// Training's share against production's, per bin or class.
void setShares(QChartView *view, const QString &title, const QStringList &labels, const std::vector<double> &reference,
               const std::vector<double> &current, const QString &referenceName)
{
    QChart *chart = view->chart();
    chart->setTitle(title);
    chart->removeAllSeries();
    for (QAbstractAxis *a : chart->axes())
        chart->removeAxis(a);
    auto *series = new QBarSeries;
    auto *ref = new QBarSet(referenceName);
    auto *cur = new QBarSet(tr("production"));
    ref->setColor(ChartStyle::seriesColor(0));
    cur->setColor(ChartStyle::seriesColor(1));
    double hi = 0;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const double r = i < qsizetype(reference.size()) && std::isfinite(reference[i]) ? reference[i] * 100 : 0;
        const double c = i < qsizetype(current.size()) && std::isfinite(current[i]) ? current[i] * 100 : 0;
        *ref << r;
        *cur << c;
        hi = std::max({hi, r, c});
    }
    series->append(ref);
    series->append(cur);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    QStringList shortLabels;
    for (const QString &l : labels)
        shortLabels << (l.size() > 14 ? l.left(13) + QChar(0x2026) : l);
    x->append(shortLabels);
    auto *y = new QValueAxis;
    y->setTitleText(tr("% of rows"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    NiceAxis::applyValues(y, NiceAxis::forValues(0, std::max(hi, 1.0), false));
    ChartStyle::apply(chart, view->palette(), view->font());
    ChartStyle::makeLegendToggle(chart);
    QObject::connect(series, &QBarSeries::hovered, view, [view, labels, ref, cur](bool on, int index, QBarSet *) {
        view->setToolTip(on && index >= 0 && index < labels.size()
                             ? tr("%1: %2 % in %3, %4 % in production")
                                   .arg(labels[index], Format::metric(ref->at(index)), ref->label(), Format::metric(cur->at(index)))
                             : QString());
    });
}

QString statisticText(const QString &name)
{
    if (name == QLatin1String("psi"))
        return tr("PSI");
    if (name == QLatin1String("ks"))
        return tr("KS p-value");
    if (name == QLatin1String("wasserstein"))
        return tr("Wasserstein / std");
    if (name == QLatin1String("jensen_shannon"))
        return tr("Jensen-Shannon");
    if (name == QLatin1String("chi_squared"))
        return tr("chi-squared p-value");
    return name;
}

} // namespace

MonitoringPane::Data MonitoringPane::load(const QString &projectPath, qint64 targetId, qint64 fromMs, qint64 toMs, int slots)
{
    Data d;
    d.fromMs = fromMs;
    d.toMs = toMs;
    Result<Database> db = WorkerConnection::open(projectPath, WorkerConnection::Access::Read);
    if (!db) {
        d.error = db.error();
        return d;
    }
    const auto fail = [&](const Error &e) {
        d.error = e.message;
        return d;
    };
    Result<TargetRecord> target = TargetRepository(*db).get(targetId);
    if (!target)
        return fail(target.failure());
    d.target = *target;
    Result<MonitorConfig> config = MonitorRepository(*db).config(targetId);
    if (!config)
        return fail(config.failure());
    d.config = *config;
    Result<MonitorView> view = MonitorReader::view(*db, targetId, fromMs, toMs, slots);
    if (!view)
        return fail(view.failure());
    for (int i = 0; i < view->slots(); ++i)
        d.slotEnds.push_back(view->slotEndMs(i));
    QStringList models = view->models();
    models.prepend(QString());
    for (const QString &m : models) {
        Data::Series s;
        s.rps = view->throughput(m);
        s.errorRate = view->errorRate(m);
        s.p50 = view->latencyMs(0.50, m);
        s.p95 = view->latencyMs(0.95, m);
        s.p99 = view->latencyMs(0.99, m);
        d.byModel.emplace(m, std::move(s));
    }
    for (const MonitorView::Poll &p : view->polls()) {
        if (p.reset)
            d.resets.push_back(p.tMs);
        if (!p.ok)
            d.failures.emplace_back(p.tMs, p.error);
    }
    PackageRepository packages(*db);
    MonitorBaselines baselines(packages);
    d.summary = MonitorSummary::compute(*view, baselines);

    AlertRepository alerts(*db);
    Result<QList<AlertRecord>> firing = alerts.active(targetId);
    if (!firing)
        return fail(firing.failure());
    Result<QList<AlertRecord>> history = alerts.history(targetId, 100);
    if (!history)
        return fail(history.failure());
    d.alerts = *firing;
    for (const AlertRecord &a : *history)
        if (a.clearedAt.isValid())
            d.alerts.append(a);
    Result<QList<AlertRuleRecord>> rules = alerts.rules(targetId);
    if (!rules)
        return fail(rules.failure());
    d.rules = *rules;

    // The offline evaluation beside production: the test split of the run each version came from.
    EvaluationRepository evaluations(*db);
    for (const MonitorSummary::Version &v : d.summary.versions) {
        if (v.runId <= 0)
            continue;
        Result<QList<EvaluationRecord>> evals = evaluations.forRun(v.runId);
        if (!evals)
            continue;
        for (const EvaluationRecord &e : *evals) {
            if (e.split != QLatin1String("test"))
                continue;
            Data::Offline o;
            o.runId = v.runId;
            o.runName = v.runName;
            for (const QJsonValue &c : e.report.value(QLatin1String("classes")).toArray())
                o.classes << c.toString();
            const QJsonArray matrix = e.report.value(QLatin1String("confusion_matrix")).toArray();
            std::vector<double> rows(o.classes.size(), 0.0), cols(o.classes.size(), 0.0);
            double total = 0;
            for (qsizetype i = 0; i < matrix.size() && i < o.classes.size(); ++i) {
                const QJsonArray row = matrix[i].toArray();
                for (qsizetype j = 0; j < row.size() && j < o.classes.size(); ++j) {
                    rows[i] += row[j].toDouble();
                    cols[j] += row[j].toDouble();
                    total += row[j].toDouble();
                }
            }
            for (std::size_t i = 0; i < rows.size(); ++i) {
                o.testShare.push_back(total > 0 ? rows[i] / total : kNaN);
                o.predictedShare.push_back(total > 0 ? cols[i] / total : kNaN);
            }
            o.metrics = e.report.value(QLatin1String("metrics")).toObject();
            d.offline.emplace(v.model + QLatin1Char(' ') + v.version, o);
        }
    }
    return d;
}

MonitoringPane::MonitoringPane(Project &project, qint64 targetId, WorkbenchContext *workbench, MonitorWatcher *watcher,
                               QWidget *parent)
    : QWidget(parent), m_project(&project), m_projectPath(project.path()), m_targetId(targetId), m_workbench(workbench),
      m_watcher(watcher)
{
    setObjectName(QStringLiteral("monitoringPane"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    m_message = new MessageBar(this);
    outer->addWidget(m_message);

    m_toolBar = new QToolBar(this);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addWidget(new QLabel(tr(" Range "), m_toolBar));
    m_range = new QComboBox(m_toolBar);
    m_range->setObjectName(QStringLiteral("monitorRange"));
    m_range->addItems({tr("15 min"), tr("1 h"), tr("24 h"), tr("7 days"), tr("Custom\u2026")});
    m_range->setCurrentIndex(m_rangeIndex);
    WheelGuard::install(m_range);
    m_toolBar->addWidget(m_range);
    m_toolBar->addWidget(new QLabel(tr("  Model "), m_toolBar));
    m_model = new QComboBox(m_toolBar);
    m_model->setObjectName(QStringLiteral("monitorModel"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    WheelGuard::install(m_model);
    m_toolBar->addWidget(m_model);
    m_toolBar->addSeparator();
    m_watch = m_toolBar->addAction(Icons::themed(QStringLiteral("media-record")), tr("Watch"));
    m_watch->setCheckable(true);
    m_watch->setToolTip(tr("Poll the target at its interval and keep what it says in the project file"));
    m_pause = m_toolBar->addAction(Icons::themed(QStringLiteral("media-playback-pause")), tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the view; the watch goes on"));
    m_refresh = m_toolBar->addAction(Icons::themed(QStringLiteral("view-refresh")), tr("Refresh"));
    m_settings = m_toolBar->addAction(Icons::themed(QStringLiteral("configure")), tr("Source\u2026"));
    m_settings->setToolTip(tr("Where the monitor reads from (the agent's /metrics or a Prometheus server), how often, how long it keeps points"));
    m_retrain = m_toolBar->addAction(Icons::themed(QStringLiteral("view-refresh")), tr("Retrain From Alert\u2026"));
    m_retrain->setToolTip(tr("Train the model again on a data set you pick, then compare the old and new runs"));
    m_retrain->setEnabled(false);
    outer->addWidget(m_toolBar);

    auto *header = new QWidget(this);
    auto *hl = new QVBoxLayout(header);
    hl->setContentsMargins(12, 8, 12, 4);
    m_title = new QLabel(header);
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.3);
    tf.setBold(true);
    m_title->setFont(tf);
    m_status = new QLabel(header);
    m_status->setObjectName(QStringLiteral("monitorStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hl->addWidget(m_title);
    hl->addWidget(m_status);
    outer->addWidget(header);

    m_empty = new EmptyState(this);
    m_empty->setText(tr("Nothing recorded for this target in this range yet. Watch it to keep its traffic, latency and drift here."));
    m_empty->setActions({m_watch});
    outer->addWidget(m_empty);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_content = new QWidget(scroll);
    auto *cl = new QVBoxLayout(m_content);
    cl->setContentsMargins(12, 4, 12, 12);

    auto *grid = new QGridLayout;
    m_throughput = timeChart(m_content, tr("Throughput"), tr("requests/s"), QStringLiteral("monitorThroughput"));
    m_latency = timeChart(m_content, tr("Latency"), tr("ms"), QStringLiteral("monitorLatency"));
    m_errors = timeChart(m_content, tr("Error rate"), tr("%"), QStringLiteral("monitorErrors"));
    m_predictions = barChart(m_content, tr("Predictions"), QStringLiteral("monitorPredictions"));
    // Traffic in one row, so the drift table is in view without scrolling.
    grid->addWidget(m_throughput, 0, 0);
    grid->addWidget(m_latency, 0, 1);
    grid->addWidget(m_errors, 0, 2);
    cl->addLayout(grid);

    auto *driftBox = new QGroupBox(tr("Feature drift against the training split"), m_content);
    auto *dl = new QHBoxLayout(driftBox);
    m_drift = makeTable(driftBox,
                        {tr("Feature"), tr("Kind"), tr("Rows"), tr("Judged by"), tr("Value"), tr("Threshold"), tr("PSI"),
                         tr("KS p"), tr("Wasserstein / std"), tr("Jensen-Shannon"), tr("chi² p"), tr("Drift")},
                        QStringLiteral("monitorDrift"));
    m_drift->setMinimumHeight(200);
    m_feature = barChart(driftBox, tr("Feature"), QStringLiteral("monitorFeature"));
    m_feature->setMinimumWidth(360);
    auto *split = new QSplitter(driftBox);
    split->addWidget(m_drift);
    split->addWidget(m_feature);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    dl->addWidget(split);
    cl->addWidget(driftBox);

    // What production predicts beside the training split, and the offline evaluation beside it.
    auto *offlineBox = new QGroupBox(tr("Production beside the offline evaluation"), m_content);
    auto *ol = new QHBoxLayout(offlineBox);
    m_predictions->setParent(offlineBox);
    m_predictions->setMinimumWidth(360);
    ol->addWidget(m_predictions, 2);
    m_offline = makeTable(offlineBox, {tr("Figure"), tr("Test split (offline)"), tr("Production")}, QStringLiteral("monitorOffline"));
    m_offline->setMinimumHeight(160);
    ol->addWidget(m_offline, 3);
    cl->addWidget(offlineBox);

    auto *alertsBox = new QGroupBox(tr("Alerts"), m_content);
    auto *al = new QVBoxLayout(alertsBox);
    m_alerts = makeTable(alertsBox, {tr("State"), tr("Fired"), tr("Cleared"), tr("Alert")}, QStringLiteral("monitorAlerts"));
    m_alerts->setMinimumHeight(140);
    al->addWidget(m_alerts);
    cl->addWidget(alertsBox);

    auto *rulesBox = new QGroupBox(tr("Alert rules (double-click a threshold or a duration to change it)"), m_content);
    auto *rl = new QVBoxLayout(rulesBox);
    m_rules = makeTable(rulesBox, {tr("On"), tr("Model"), tr("Metric"), tr("Feature"), tr("Statistic"), tr("Condition"), tr("Threshold"),
                                   tr("For (s)"), tr("Origin")},
                        QStringLiteral("monitorRules"));
    m_rules->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_rules->setMinimumHeight(180);
    rl->addWidget(m_rules);
    cl->addWidget(rulesBox);
    cl->addStretch(1);

    scroll->setWidget(m_content);
    outer->addWidget(scroll, 1);

    m_timer = new QTimer(this);
    m_timer->setInterval(30'000); // a colleague's watch writes too: look again now and then
    connect(m_timer, &QTimer::timeout, this, &MonitoringPane::reload);
    m_timer->start();

    connect(m_range, &QComboBox::activated, this, [this](int index) {
        if (index == 4) {
            QDialog dialog(this);
            dialog.setWindowTitle(tr("Custom Range"));
            auto *form = new QFormLayout(&dialog);
            const auto [from, to] = range();
            auto *fromEdit = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(from), &dialog);
            auto *toEdit = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(to), &dialog);
            fromEdit->setCalendarPopup(true);
            toEdit->setCalendarPopup(true);
            form->addRow(tr("From"), fromEdit);
            form->addRow(tr("To"), toEdit);
            auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
            form->addRow(buttons);
            connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
            connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
            if (dialog.exec() == QDialog::Accepted && fromEdit->dateTime() < toEdit->dateTime())
                setCustomRange(fromEdit->dateTime(), toEdit->dateTime());
            else
                m_range->setCurrentIndex(m_custom ? 4 : m_rangeIndex);
            return;
        }
        setRangeIndex(index);
    });
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] { showModel(); });
    connect(m_watch, &QAction::triggered, this, [this](bool on) {
        if (!m_watcher)
            return;
        if (on) {
            if (m_project && m_project->isReadOnly()) {
                m_watch->setChecked(false);
                return m_message->showMessage(tr("The project is open read-only: watching writes to it. Open it for writing to watch."),
                                              MessageBar::Type::Warning);
            }
            m_watcher->start(m_projectPath, m_targetId, m_data.target.name.isEmpty() ? QString::number(m_targetId) : m_data.target.name);
        } else {
            m_watcher->stop(m_targetId);
        }
        updateStatus();
    });
    connect(m_pause, &QAction::toggled, this, &MonitoringPane::setPaused);
    connect(m_refresh, &QAction::triggered, this, [this] {
        const bool paused = m_paused;
        m_paused = false;
        reload();
        m_paused = paused;
    });
    connect(m_settings, &QAction::triggered, this, &MonitoringPane::editSettings);
    connect(m_retrain, &QAction::triggered, this, [this] {
        if (const qint64 id = selectedDriftAlert())
            Q_EMIT retrainRequested(id);
    });
    connect(m_drift, &QTableWidget::itemSelectionChanged, this, &MonitoringPane::showFeature);
    connect(m_alerts, &QTableWidget::itemSelectionChanged, this, [this] { m_retrain->setEnabled(selectedDriftAlert() != 0); });
    connect(m_rules, &QTableWidget::cellChanged, this, &MonitoringPane::ruleEdited);
    if (m_watcher) {
        connect(m_watcher, &MonitorWatcher::polled, this, [this](qint64 target, const QJsonObject &) {
            if (target == m_targetId)
                reload();
        });
        connect(m_watcher, &MonitorWatcher::watchingChanged, this, [this](qint64 target) {
            if (target != m_targetId)
                return;
            if (const QString why = m_watcher->failure(m_targetId); !why.isEmpty())
                m_message->showMessage(tr("Watching %1 stopped: %2").arg(m_data.target.name, why), MessageBar::Type::Error);
            updateStatus();
        });
    }
    updateStatus();
    reload();
}

MonitoringPane::~MonitoringPane() = default;

std::pair<qint64, qint64> MonitoringPane::range() const
{
    if (m_custom)
        return {m_custom->first.toMSecsSinceEpoch(), m_custom->second.toMSecsSinceEpoch()};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return {now - kRanges[std::clamp(m_rangeIndex, 0, 3)], now};
}

void MonitoringPane::setRangeIndex(int index)
{
    m_rangeIndex = std::clamp(index, 0, 3);
    m_custom.reset();
    m_range->setCurrentIndex(m_rangeIndex);
    const bool paused = m_paused;
    m_paused = false;
    reload();
    m_paused = paused;
}

void MonitoringPane::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    m_custom = std::make_pair(from, to);
    m_range->setCurrentIndex(4);
    const bool paused = m_paused;
    m_paused = false;
    reload();
    m_paused = paused;
}

void MonitoringPane::setPaused(bool paused)
{
    m_paused = paused;
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (!paused)
        reload();
    updateStatus();
}

void MonitoringPane::reload()
{
    if (m_paused)
        return;
    if (m_loading) {
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    const auto [from, to] = range();
    const QString path = m_projectPath;
    const qint64 id = m_targetId;
    runAgentCall<Data>(
        this, [path, id, from = from, to = to] { return load(path, id, from, to, kSlots); },
        [this](Data d) {
            m_loading = false;
            show(d);
            if (m_reloadAgain) {
                m_reloadAgain = false;
                reload();
            }
        });
}

QString MonitoringPane::currentModel() const { return m_model->currentData().toString(); }

void MonitoringPane::show(const Data &data)
{
    m_data = data;
    m_title->setText(tr("Monitoring \u00b7 %1").arg(data.target.name));
    if (!data.error.isEmpty())
        m_message->showMessage(tr("Cannot read the monitoring of this target: %1").arg(data.error), MessageBar::Type::Error);
    const bool any = data.hasPoints();
    m_empty->setVisible(!any);
    m_content->parentWidget()->parentWidget()->setVisible(any); // the scroll area

    const QString keep = currentModel();
    m_model->blockSignals(true);
    m_model->clear();
    m_model->addItem(tr("every model"), QString());
    for (const auto &[model, series] : data.byModel)
        if (!model.isEmpty())
            m_model->addItem(model, model);
    const int index = m_model->findData(keep);
    m_model->setCurrentIndex(index >= 0 ? index : (m_model->count() == 2 ? 1 : 0));
    m_model->blockSignals(false);

    showModel();
    showAlerts();
    showRules();
    updateStatus();
    Q_EMIT reloaded();
}

void MonitoringPane::showModel()
{
    const QString model = currentModel();
    const auto it = m_data.byModel.find(model);
    static const Data::Series none;
    const Data::Series &s = it == m_data.byModel.end() ? none : it->second;
    setLines(m_throughput, m_data.slotEnds, {{tr("requests/s"), 0, &s.rps}}, m_data.resets, m_data.failures, m_data.fromMs,
             m_data.toMs, false);
    setLines(m_latency, m_data.slotEnds, {{tr("p50"), 0, &s.p50}, {tr("p95"), 1, &s.p95}, {tr("p99"), 2, &s.p99}}, m_data.resets,
             m_data.failures, m_data.fromMs, m_data.toMs, false);
    setLines(m_errors, m_data.slotEnds, {{tr("errors"), 3, &s.errorRate, 100.0}}, m_data.resets, m_data.failures, m_data.fromMs,
             m_data.toMs, true);

    // The drift table: the chosen model's versions (every model's when none is chosen).
    m_filling = true;
    m_drift->setRowCount(0);
    const MonitorSummary::Version *first = nullptr;
    for (const MonitorSummary::Version &v : m_data.summary.versions) {
        if (!model.isEmpty() && v.model != model)
            continue;
        if (!first)
            first = &v;
        const auto addRow = [&](const QString &label, const FeatureDrift::Figures &f) {
            const int row = m_drift->rowCount();
            m_drift->insertRow(row);
            auto *name = cell(m_data.summary.versions.size() > 1 ? QStringLiteral("%1 (%2 %3)").arg(label, v.model, v.version) : label);
            // The light beside the name too: the Drift column is often scrolled out of view.
            name->setIcon(lightIcon(f.level));
            name->setToolTip(QStringLiteral("%1: %2").arg(label, levelText(f.level)));
            name->setData(Qt::UserRole, QStringLiteral("%1\n%2\n%3").arg(v.model, v.version, label));
            m_drift->setItem(row, 0, name);
            m_drift->setItem(row, 1, cell(f.kind));
            m_drift->setItem(row, 2, cell(Format::count(qint64(f.rows)), true));
            m_drift->setItem(row, 3, cell(statisticText(FeatureDrift::name(f.statistic))));
            m_drift->setItem(row, 4, cell(num(f.value), true));
            m_drift->setItem(row, 5, cell((FeatureDrift::driftBelow(f.statistic) ? QStringLiteral("< ") : QStringLiteral("\u2265 ")) + num(f.threshold), true));
            m_drift->setItem(row, 6, cell(num(f.psi), true));
            m_drift->setItem(row, 7, cell(f.hasKs ? num(f.ksP) : QStringLiteral("\u2013"), true));
            m_drift->setItem(row, 8, cell(f.hasWasserstein ? num(f.wasserstein) : QStringLiteral("\u2013"), true));
            m_drift->setItem(row, 9, cell(num(f.jensenShannon), true));
            m_drift->setItem(row, 10, cell(f.hasChiSquared ? num(f.chiSquaredP) : QStringLiteral("\u2013"), true));
            auto *light = cell(levelText(f.level));
            light->setIcon(lightIcon(f.level));
            light->setData(Qt::UserRole, int(f.level));
            m_drift->setItem(row, 11, light);
        };
        for (const FeatureDrift::Figures &f : v.features)
            addRow(f.feature, f);
        if (v.prediction)
            addRow(tr("(prediction)"), *v.prediction);
        if (!v.hasBaseline) {
            const int row = m_drift->rowCount();
            m_drift->insertRow(row);
            m_drift->setItem(row, 0, cell(QStringLiteral("%1 %2").arg(v.model, v.version)));
            auto *why = cell(tr("no drift: %1").arg(v.baselineError));
            m_drift->setItem(row, 11, why);
        }
    }
    m_drift->resizeColumnsToContents();
    m_filling = false;
    if (m_drift->rowCount() > 0 && m_drift->selectedItems().isEmpty())
        m_drift->selectRow(0);
    showFeature();

    // The predictions against the training split's.
    if (first && first->prediction) {
        const FeatureDrift::Figures &p = *first->prediction;
        setShares(m_predictions, tr("Predictions: %1 %2").arg(first->model, first->version), p.binLabels, p.referenceShare,
                  p.currentShare, tr("training"));
    } else {
        setShares(m_predictions, tr("Predictions"), {}, {}, {}, tr("training"));
    }
    showOffline();
}

void MonitoringPane::showFeature()
{
    const QList<QTableWidgetItem *> selected = m_drift->selectedItems();
    if (selected.isEmpty()) {
        setShares(m_feature, tr("Feature"), {}, {}, {}, tr("training"));
        return;
    }
    const QStringList key = m_drift->item(selected.first()->row(), 0)->data(Qt::UserRole).toString().split(QLatin1Char('\n'));
    if (key.size() != 3)
        return;
    for (const MonitorSummary::Version &v : m_data.summary.versions) {
        if (v.model != key[0] || v.version != key[1])
            continue;
        const FeatureDrift::Figures *f = nullptr;
        for (const FeatureDrift::Figures &x : v.features)
            if (x.feature == key[2])
                f = &x;
        if (!f && v.prediction && key[2] == tr("(prediction)"))
            f = &*v.prediction;
        if (f)
            setShares(m_feature, tr("%1: training against production").arg(key[2]), f->binLabels, f->referenceShare, f->currentShare,
                      tr("training"));
    }
}

void MonitoringPane::showOffline()
{
    m_offline->setRowCount(0);
    const QString model = currentModel();
    for (const MonitorSummary::Version &v : m_data.summary.versions) {
        if (!model.isEmpty() && v.model != model)
            continue;
        const auto it = m_data.offline.find(v.model + QLatin1Char(' ') + v.version);
        const auto add = [&](const QString &figure, const QString &offline, const QString &production) {
            const int row = m_offline->rowCount();
            m_offline->insertRow(row);
            m_offline->setItem(row, 0, cell(figure));
            m_offline->setItem(row, 1, cell(offline, true));
            m_offline->setItem(row, 2, cell(production, true));
        };
        add(tr("%1 %2, from %3").arg(v.model, v.version, v.runName.isEmpty() ? tr("no run of this project") : v.runName), QString(), QString());
        add(tr("requests"), QString(), Format::count(qint64(v.totals.requests)));
        add(tr("error rate"), QString(), pct(v.totals.errorRate));
        add(tr("latency p99"), QString(), std::isfinite(v.totals.p99Ms) ? QStringLiteral("%1 ms").arg(Format::metric(v.totals.p99Ms)) : QStringLiteral("n/a"));
        if (it == m_data.offline.end())
            continue;
        const Data::Offline &o = it->second;
        for (const char *key : {"accuracy", "f1_macro", "roc_auc", "r2", "rmse", "mae"}) {
            const QJsonValue m = o.metrics.value(QLatin1String(key));
            if (m.isDouble())
                add(QString::fromLatin1(key), Format::metric(m.toDouble()), tr("n/a (no labels in production)"));
        }
        for (qsizetype i = 0; i < o.classes.size(); ++i) {
            double production = kNaN;
            if (v.prediction) {
                const qsizetype at = v.prediction->binLabels.indexOf(o.classes[i]);
                if (at >= 0)
                    production = v.prediction->currentShare[at];
            }
            add(tr("class %1: share of the test split / predicted").arg(o.classes[i]),
                QStringLiteral("%1 / %2").arg(pct(o.testShare[i]), pct(o.predictedShare[i])), pct(production));
        }
    }
    m_offline->resizeColumnsToContents();
}

void MonitoringPane::showAlerts()
{
    const qint64 keep = selectedDriftAlert();
    m_alerts->setRowCount(0);
    for (const AlertRecord &a : m_data.alerts) {
        const int row = m_alerts->rowCount();
        m_alerts->insertRow(row);
        auto *state = cell(a.clearedAt.isValid() ? tr("cleared") : tr("firing"));
        state->setIcon(Icons::themed(a.clearedAt.isValid() ? QStringLiteral("dialog-ok") : QStringLiteral("dialog-warning")));
        state->setData(Qt::UserRole, double(a.id));
        m_alerts->setItem(row, 0, state);
        m_alerts->setItem(row, 1, cell(Format::dateTime(a.firedAt)));
        m_alerts->setItem(row, 2, cell(a.clearedAt.isValid() ? Format::dateTime(a.clearedAt) : QStringLiteral("\u2013")));
        m_alerts->setItem(row, 3, cell(a.message));
    }
    m_alerts->resizeColumnsToContents();
    if (keep)
        selectAlert(keep);
    m_retrain->setEnabled(selectedDriftAlert() != 0);
}

void MonitoringPane::selectAlert(qint64 alertId)
{
    for (int r = 0; r < m_alerts->rowCount(); ++r)
        if (qint64(m_alerts->item(r, 0)->data(Qt::UserRole).toDouble()) == alertId)
            m_alerts->selectRow(r);
}

qint64 MonitoringPane::selectedDriftAlert() const
{
    const QList<QTableWidgetItem *> selected = m_alerts->selectedItems();
    if (selected.isEmpty())
        return 0;
    const qint64 id = qint64(m_alerts->item(selected.first()->row(), 0)->data(Qt::UserRole).toDouble());
    for (const AlertRecord &a : m_data.alerts) {
        if (a.id != id)
            continue;
        for (const AlertRuleRecord &r : m_data.rules)
            if (r.id == a.ruleId && r.metric == QLatin1String("drift"))
                return id;
    }
    return 0;
}

void MonitoringPane::showRules()
{
    m_filling = true;
    m_rules->setRowCount(0);
    const bool writable = m_project && !m_project->isReadOnly();
    for (const AlertRuleRecord &r : m_data.rules) {
        const int row = m_rules->rowCount();
        m_rules->insertRow(row);
        const auto fixed = [](QTableWidgetItem *item) {
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            return item;
        };
        auto *on = fixed(cell(QString()));
        on->setFlags(on->flags() | Qt::ItemIsUserCheckable);
        if (!writable)
            on->setFlags(on->flags() & ~Qt::ItemIsEnabled);
        on->setCheckState(r.enabled ? Qt::Checked : Qt::Unchecked);
        on->setData(Qt::UserRole, double(r.id));
        m_rules->setItem(row, 0, on);
        m_rules->setItem(row, 1, fixed(cell(r.model)));
        m_rules->setItem(row, 2, fixed(cell(r.metric)));
        m_rules->setItem(row, 3, fixed(cell(r.feature)));
        m_rules->setItem(row, 4, fixed(cell(statisticText(r.statistic))));
        m_rules->setItem(row, 5, fixed(cell(r.op)));
        auto *threshold = cell(QString::number(r.threshold, 'g', 6), true);
        auto *forS = cell(QString::number(double(r.forMs) / 1000.0, 'g', 6), true);
        if (!writable) {
            fixed(threshold);
            fixed(forS);
        }
        m_rules->setItem(row, 6, threshold);
        m_rules->setItem(row, 7, forS);
        m_rules->setItem(row, 8, fixed(cell(r.origin)));
    }
    m_rules->resizeColumnsToContents();
    m_filling = false;
}

void MonitoringPane::ruleEdited(int row, int column)
{
    if (m_filling || !m_project || row < 0 || row >= m_data.rules.size())
        return;
    AlertRuleRecord r = m_data.rules[row];
    QTableWidgetItem *item = m_rules->item(row, column);
    bool ok = true;
    if (column == 0)
        r.enabled = item->checkState() == Qt::Checked;
    else if (column == 6)
        r.threshold = item->text().toDouble(&ok);
    else if (column == 7)
        r.forMs = qint64(item->text().toDouble(&ok) * 1000);
    else
        return;
    if (!ok || (column == 7 && r.forMs < 0)) {
        m_message->showMessage(tr("\"%1\" is not a number: the rule keeps its value.").arg(item->text()), MessageBar::Type::Error);
        return showRules();
    }
    r.origin = QStringLiteral("user");
    if (Status s = AlertRepository(m_project->db()).updateRule(r); !s) {
        m_message->showMessage(tr("The rule was not changed: %1").arg(s.error()), MessageBar::Type::Error);
        return showRules();
    }
    m_data.rules[row] = r;
    m_message->showMessage(tr("Rule changed: %1 %2 %3 %4.").arg(r.model, r.metric == QLatin1String("drift") ? r.feature : r.metric, r.op,
                                                                 QString::number(r.threshold, 'g', 6)),
                           MessageBar::Type::Positive);
    m_filling = true;
    m_rules->item(row, 8)->setText(r.origin);
    m_filling = false;
}

void MonitoringPane::editSettings()
{
    if (!m_project)
        return;
    MonitorConfig c = m_data.config;
    c.targetId = m_targetId;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Monitor Source of %1").arg(m_data.target.name));
    auto *form = new QFormLayout(&dialog);
    auto *source = new QComboBox(&dialog);
    source->addItem(tr("The agent's own /metrics"), QStringLiteral("agent"));
    source->addItem(tr("A Prometheus server that scrapes it"), QStringLiteral("prometheus"));
    source->setCurrentIndex(c.source == QLatin1String("prometheus") ? 1 : 0);
    auto *url = new QLineEdit(c.prometheusUrl, &dialog);
    url->setPlaceholderText(QStringLiteral("http://prometheus:9090"));
    auto *job = new QLineEdit(c.prometheusJob, &dialog);
    auto *interval = new QSpinBox(&dialog);
    interval->setRange(1, 3600);
    interval->setSuffix(tr(" s"));
    interval->setValue(int(c.intervalMs / 1000));
    auto *raw = new QSpinBox(&dialog);
    raw->setRange(1, 24 * 90);
    raw->setSuffix(tr(" h"));
    raw->setValue(int(c.rawRetentionMs / 3600'000));
    auto *minute = new QSpinBox(&dialog);
    minute->setRange(1, 365);
    minute->setSuffix(tr(" days"));
    minute->setValue(int(std::max<qint64>(1, c.minuteRetentionMs / 86'400'000)));
    auto *hour = new QSpinBox(&dialog);
    hour->setRange(1, 3650);
    hour->setSuffix(tr(" days"));
    hour->setValue(int(std::max<qint64>(1, c.hourRetentionMs / 86'400'000)));
    form->addRow(tr("Source"), source);
    form->addRow(tr("Prometheus URL"), url);
    form->addRow(tr("Scrape job"), job);
    form->addRow(tr("Poll every"), interval);
    form->addRow(tr("Keep every point for"), raw);
    form->addRow(tr("Keep 1-minute points for"), minute);
    form->addRow(tr("Keep 1-hour points for"), hour);
    auto *error = new QLabel(&dialog);
    error->setStyleSheet(QStringLiteral("color: #d63a3a"));
    error->setWordWrap(true);
    error->hide();
    form->addRow(error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    const auto sync = [&] {
        const bool prom = source->currentData().toString() == QLatin1String("prometheus");
        url->setEnabled(prom);
        job->setEnabled(prom);
    };
    sync();
    connect(source, &QComboBox::currentIndexChanged, &dialog, sync);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        MonitorConfig n = c;
        n.source = source->currentData().toString();
        n.prometheusUrl = url->text().trimmed();
        n.prometheusJob = job->text().trimmed();
        n.intervalMs = qint64(interval->value()) * 1000;
        n.rawRetentionMs = qint64(raw->value()) * 3600'000;
        n.minuteRetentionMs = qint64(minute->value()) * 86'400'000;
        n.hourRetentionMs = qint64(hour->value()) * 86'400'000;
        if (Status s = MonitorRepository(m_project->db()).setConfig(n); !s) {
            error->setText(s.error());
            error->show();
            return;
        }
        m_data.config = n;
        dialog.accept();
    });
    if (m_project->isReadOnly())
        buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_message->showMessage(tr("The monitor of %1 reads %2 every %3 s; a watch that runs takes it from its next start.")
                               .arg(m_data.target.name,
                                    m_data.config.source == QLatin1String("prometheus") ? m_data.config.prometheusUrl : tr("the agent's /metrics"))
                               .arg(m_data.config.intervalMs / 1000),
                           MessageBar::Type::Positive);
    if (m_watcher && m_watcher->isWatching(m_targetId)) { // restart with the new setting
        m_watcher->stop(m_targetId);
        m_watcher->start(m_projectPath, m_targetId, m_data.target.name);
    }
    updateStatus();
}

void MonitoringPane::updateStatus()
{
    const bool watching = m_watcher && m_watcher->isWatching(m_targetId);
    if (m_watch->isChecked() != watching)
        m_watch->setChecked(watching);
    m_watch->setText(watching ? tr("Watching") : tr("Watch"));
    QStringList parts;
    parts << (watching ? tr("watching: %1").arg(m_watcher->status(m_targetId).isEmpty() ? tr("first poll") : m_watcher->status(m_targetId))
                       : tr("not watched from this window"));
    parts << (m_data.config.source == QLatin1String("prometheus") ? tr("through Prometheus %1").arg(m_data.config.prometheusUrl)
                                                                   : tr("from %1/metrics").arg(m_data.target.url));
    if (m_data.summary.lastOkMs)
        parts << tr("last answer %1").arg(Format::dateTime(QDateTime::fromMSecsSinceEpoch(m_data.summary.lastOkMs)));
    if (m_data.summary.failedPolls)
        parts << tr("%1 polls without an answer").arg(m_data.summary.failedPolls);
    if (m_data.summary.resets)
        parts << tr("%1 agent restarts").arg(m_data.summary.resets);
    int firing = 0;
    for (const AlertRecord &a : m_data.alerts)
        firing += !a.clearedAt.isValid();
    if (firing)
        parts << tr("%1 alerts fire").arg(firing);
    if (m_paused)
        parts << tr("paused");
    m_status->setText(parts.join(QStringLiteral(" \u00b7 ")));
}

} // namespace mlwb
