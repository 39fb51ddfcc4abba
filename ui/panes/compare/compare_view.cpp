// SPDX-License-Identifier: MIT
#include "panes/compare/compare_view.h"

#include "charts/widget_export.h"
#include "common/run_palette.h"
#include "eval/metric_direction.h"
#include "eval/metric_order.h"
#include "panes/compare/confusion_matrices_view.h"
#include "panes/compare/hyperparameter_scatter_view.h"
#include "panes/compare/parallel_coordinates_view.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/frozen_column_table.h"
#include "widgets/message_bar.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QFileDialog>
#include <QMenu>
#include <QSaveFile>
#include <QUrl>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

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

// Keeps the selection when the items are replaced, or takes the first preferred one present.
void fillCombo(QComboBox *combo, const QStringList &items, const QString &preferred)
{
    const QString current = combo->currentText();
    QSignalBlocker block(combo);
    combo->clear();
    combo->addItems(items);
    if (items.contains(current))
        combo->setCurrentText(current);
    else if (items.contains(preferred))
        combo->setCurrentText(preferred);
}

QToolButton *toolButton(const QString &icon, const QString &text, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setIcon(Icons::themed(icon));
    b->setText(text);
    b->setToolTip(text);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(true);
    return b;
}

} // namespace

void CompareView::addImageExportButtons(QWidget *owner, QHBoxLayout *controls)
{
    auto *png = toolButton(QStringLiteral("image-x-generic"), tr("PNG"), owner);
    png->setToolTip(tr("Export the chart as a PNG image"));
    connect(png, &QToolButton::clicked, this, [this] { exportWithDialog(QStringLiteral("png")); });
    auto *svg = toolButton(QStringLiteral("image-svg+xml"), tr("SVG"), owner);
    svg->setToolTip(tr("Export the chart as an SVG drawing"));
    connect(svg, &QToolButton::clicked, this, [this] { exportWithDialog(QStringLiteral("svg")); });
    controls->addWidget(new QLabel(tr("Export:"), owner));
    controls->addWidget(png);
    controls->addWidget(svg);
}

QColor CompareView::colorOf(qint64 runId)
{
    // The run's colour everywhere (charts, tables, exported reports): one palette in core.
    return QColor(QRgb(RunPalette::rgb(runId)));
}

CompareView::CompareView(Project &project, const QList<qint64> &runIds, QWidget *parent)
    : QWidget(parent), m_project(&project), m_runs(runIds), m_message(new MessageBar(this)),
      m_tabs(new QTabWidget(this)), m_key(new QComboBox(this)), m_axis(new QComboBox(this)),
      m_log(new QCheckBox(tr("Log scale"), this)), m_smoothing(new QSlider(Qt::Horizontal, this)),
      m_chart(new CompareChartView(project, this)), m_parallelMetric(new QComboBox(this)),
      m_parallel(new ParallelCoordinatesView(this)), m_scatterParam(new QComboBox(this)),
      m_scatterMetric(new QComboBox(this)), m_scatter(new HyperparameterScatterView(this)),
      m_confusion(new ConfusionMatricesView(project, this)), m_summary(new FrozenColumnTable(this)),
      m_hyper(new QTableWidget(this)), m_onlyDiff(new QCheckBox(tr("Only differences"), this)),
      m_reloadTimer(new QTimer(this)), m_columnMenu(new QMenu(this)),
      m_openFolder(new QAction(Icons::themed(QStringLiteral("folder-open")), tr("Open folder"), this))
{
    setObjectName(QStringLiteral("compareView"));
    m_message->hide();
    m_tabs->setDocumentMode(true);
    m_tabs->insertTab(CurvesTab, makeCurvesPage(), tr("Curves"));
    m_tabs->insertTab(ParallelTab, makeParallelPage(), tr("Parallel coordinates"));
    m_tabs->insertTab(ScatterTab, makeScatterPage(), tr("Scatter"));
    m_tabs->insertTab(ConfusionTab, m_confusion, tr("Confusion matrices"));

    for (QTableWidget *t : {m_summary, m_hyper}) {
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->verticalHeader()->hide();
        t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
        // Sized once after filling: ResizeToContents would measure every column per item.
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    }
    m_summary->setObjectName(QStringLiteral("finalMetrics"));
    m_summary->setSortingEnabled(true);
    m_summary->setToolTip(tr("Final metrics per run; the check box shows or hides the run in "
                             "the charts. Click a column header to sort."));
    m_hyper->setObjectName(QStringLiteral("hyperparameters"));
    m_onlyDiff->setChecked(true);

    auto *hyperBox = new QWidget(this);
    auto *hyperLayout = new QVBoxLayout(hyperBox);
    hyperLayout->setContentsMargins(0, 0, 0, 0);
    hyperLayout->addWidget(m_onlyDiff);
    hyperLayout->addWidget(m_hyper);
    auto *summaryBox = new QWidget(this);
    auto *summaryLayout = new QVBoxLayout(summaryBox);
    summaryLayout->setContentsMargins(0, 0, 0, 0);
    auto *summaryBar = new QHBoxLayout;
    summaryBar->addWidget(new QLabel(tr("Final metrics"), summaryBox));
    summaryBar->addStretch(1);
    auto *columns = toolButton(QStringLiteral("view-choose"), tr("Columns"), summaryBox);
    columns->setObjectName(QStringLiteral("summaryColumns"));
    columns->setToolTip(tr("Choose the metric columns of the table (also on the header's "
                           "context menu)"));
    columns->setMenu(m_columnMenu);
    columns->setPopupMode(QToolButton::InstantPopup);
    connect(m_columnMenu, &QMenu::aboutToShow, this, &CompareView::columnMenu);
    auto *exportTable = toolButton(QStringLiteral("text-csv"), tr("CSV"), summaryBox);
    exportTable->setToolTip(tr("Export the table's shown columns as CSV"));
    connect(exportTable, &QToolButton::clicked, this, &CompareView::exportSummaryWithDialog);
    summaryBar->addWidget(columns);
    summaryBar->addWidget(exportTable);
    summaryLayout->addLayout(summaryBar);
    summaryLayout->addWidget(m_summary);
    // The picker on the header, including the frozen Run column's.
    for (QHeaderView *header :
         {m_summary->horizontalHeader(),
          static_cast<FrozenColumnTable *>(m_summary)->frozenView()->horizontalHeader()}) {
        header->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(header, &QHeaderView::customContextMenuRequested, this,
                [this, header](const QPoint &pos) { columnMenu()->popup(header->mapToGlobal(pos)); });
    }

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(summaryBox);
    tables->addWidget(hyperBox);
    tables->setStretchFactor(0, 3);
    tables->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tabs);
    split->addWidget(tables);
    split->setStretchFactor(0, 5);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    // Metric points arrive in bursts while runs train: refresh at most once a second.
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(1000);
    connect(m_reloadTimer, &QTimer::timeout, this, &CompareView::reload);
    connect(&project, &Project::runChanged, this, [this](qint64 id) {
        if (m_runs.contains(id) && !m_reloadTimer->isActive())
            m_reloadTimer->start();
    });
    connect(m_key, &QComboBox::currentTextChanged, m_chart, &CompareChartView::setMetricKey);
    connect(m_axis, &QComboBox::currentIndexChanged, this,
            [this] { m_chart->setXAxis(XAxis(m_axis->currentData().toInt())); });
    connect(m_smoothing, &QSlider::valueChanged, m_chart, &CompareChartView::setSmoothing);
    connect(m_log, &QCheckBox::toggled, m_chart, &CompareChartView::setLogScale);
    connect(m_chart, &CompareChartView::runVisibilityChanged, this,
            &CompareView::onRunVisibilityChanged);
    connect(m_chart, &CompareChartView::exported, this, &CompareView::showExported);
    connect(m_openFolder, &QAction::triggered, this, [this] {
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(m_exportFolder)))
            m_message->showMessage(tr("Could not open the folder %1.")
                                       .arg(QDir::toNativeSeparators(m_exportFolder)),
                                   MessageBar::Type::Error);
    });
    connect(m_chart, &CompareChartView::message, this, [this](const QString &text, bool error) {
        m_message->showMessage(text,
                               error ? MessageBar::Type::Error : MessageBar::Type::Information);
    });
    connect(m_parallelMetric, &QComboBox::currentTextChanged, this, &CompareView::reloadParallel);
    connect(m_scatterParam, &QComboBox::currentTextChanged, this, &CompareView::reloadScatter);
    connect(m_scatterMetric, &QComboBox::currentTextChanged, this, &CompareView::reloadScatter);
    connect(m_tabs, &QTabWidget::currentChanged, this, &CompareView::refreshCurrentTab);
    connect(m_summary, &QTableWidget::itemChanged, this, &CompareView::onSummaryItemChanged);
    connect(m_onlyDiff, &QCheckBox::toggled, this, &CompareView::applyDifferenceFilter);
    reload();
}

QWidget *CompareView::makeCurvesPage()
{
    m_key->setObjectName(QStringLiteral("metricKey"));
    m_key->setMinimumContentsLength(12);
    m_axis->setObjectName(QStringLiteral("xAxis"));
    m_axis->addItem(tr("Step"), int(XAxis::Step));
    m_axis->addItem(tr("Epoch"), int(XAxis::Epoch));
    m_axis->addItem(tr("Wall time"), int(XAxis::WallTime));
    m_log->setToolTip(tr("Logarithmic y axis (values at or below zero are left out)"));
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(0);
    m_smoothing->setMaximumWidth(160);
    m_smoothing->setToolTip(tr("Exponential moving average smoothing; the raw minimum and "
                               "maximum stay visible, faded"));
    auto *smoothingValue = new QLabel(QStringLiteral("0.00"), this);
    smoothingValue->setMinimumWidth(
        smoothingValue->fontMetrics().horizontalAdvance(QStringLiteral("0.00 ")));
    connect(m_smoothing, &QSlider::valueChanged, smoothingValue, [smoothingValue](int v) {
        smoothingValue->setText(QString::number(v / 100.0, 'f', 2));
    });

    auto *png = toolButton(QStringLiteral("image-x-generic"), tr("PNG"), this);
    png->setToolTip(tr("Export the chart as a PNG image"));
    connect(png, &QToolButton::clicked, this, [this] { exportWithDialog(QStringLiteral("png")); });
    auto *svg = toolButton(QStringLiteral("image-svg+xml"), tr("SVG"), this);
    svg->setToolTip(tr("Export the chart as an SVG drawing"));
    connect(svg, &QToolButton::clicked, this, [this] { exportWithDialog(QStringLiteral("svg")); });
    auto *csv = toolButton(QStringLiteral("text-csv"), tr("CSV"), this);
    csv->setToolTip(tr("Export the plotted series as CSV"));
    connect(csv, &QToolButton::clicked, this, [this] { exportWithDialog(QStringLiteral("csv")); });

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Metric:"), this));
    controls->addWidget(m_key, 2);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("X axis:"), this));
    controls->addWidget(m_axis);
    controls->addSpacing(8);
    controls->addWidget(m_log);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Smoothing:"), this));
    controls->addWidget(m_smoothing, 1);
    controls->addWidget(smoothingValue);
    controls->addStretch();
    controls->addWidget(new QLabel(tr("Export:"), this));
    controls->addWidget(png);
    controls->addWidget(svg);
    controls->addWidget(csv);

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_chart, 1);
    return page;
}

QWidget *CompareView::makeParallelPage()
{
    m_parallelMetric->setObjectName(QStringLiteral("parallelMetric"));
    m_parallelMetric->setMinimumContentsLength(12);
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Metric:"), this));
    controls->addWidget(m_parallelMetric);
    auto *hint = new QLabel(tr("One axis per hyperparameter that differs, then the metric"), this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    controls->addWidget(hint, 1);
    addImageExportButtons(this, controls);
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_parallel, 1);
    return page;
}

QWidget *CompareView::makeScatterPage()
{
    m_scatterParam->setObjectName(QStringLiteral("scatterHyperparameter"));
    m_scatterMetric->setObjectName(QStringLiteral("scatterMetric"));
    m_scatterParam->setMinimumContentsLength(12);
    m_scatterMetric->setMinimumContentsLength(12);
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Hyperparameter:"), this));
    controls->addWidget(m_scatterParam);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Metric:"), this));
    controls->addWidget(m_scatterMetric);
    controls->addStretch();
    addImageExportButtons(this, controls);
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_scatter, 1);
    return page;
}

void CompareView::setMetricKey(const QString &key)
{
    m_key->setCurrentText(key);
}
QString CompareView::metricKey() const
{
    return m_key->currentText();
}
void CompareView::setSmoothing(int percent)
{
    m_smoothing->setValue(percent);
}
void CompareView::setXAxis(XAxis axis)
{
    m_axis->setCurrentIndex(m_axis->findData(int(axis)));
}
void CompareView::setLogScale(bool on)
{
    m_log->setChecked(on);
}
void CompareView::setParallelMetric(const QString &key)
{
    m_parallelMetric->setCurrentText(key);
}
void CompareView::setScatterHyperparameter(const QString &key)
{
    m_scatterParam->setCurrentText(key);
}
void CompareView::setScatterMetric(const QString &key)
{
    m_scatterMetric->setCurrentText(key);
}
QList<QLineSeries *> CompareView::series() const
{
    return m_chart->runSeries();
}
int CompareView::bucketCount() const
{
    return m_chart->bucketCount();
}

QList<CompareChartView::RunInfo> CompareView::runInfos() const
{
    QList<CompareChartView::RunInfo> out;
    for (const RunComparison::Run &r : m_comparison.runs())
        out.append({r.id, r.name, colorOf(r.id), r.id == m_bestRun});
    return out;
}

void CompareView::updateBestRun()
{
    m_bestRun = 0;
    if (m_focusMetric.isEmpty())
        return;
    double best = std::nan("");
    for (const RunComparison::Run &r : m_comparison.runs()) {
        const double v = RunComparison::metricValue(r, m_focusMetric);
        if (r.status != RunStatus::Finished || !std::isfinite(v))
            continue;
        // Ties keep the earlier run, as the sweep's own choice does.
        if (m_bestRun == 0 || isImprovement(m_focusMetric, v, best)) {
            m_bestRun = r.id;
            best = v;
        }
    }
}

void CompareView::setFocusMetric(const QString &metric)
{
    m_focusMetric = metric.isEmpty() ? m_comparison.defaultMetric() : metric;
    {
        QSignalBlocker a(m_parallelMetric), b(m_scatterMetric);
        if (m_parallelMetric->findText(m_focusMetric) >= 0)
            m_parallelMetric->setCurrentText(m_focusMetric);
        if (m_scatterMetric->findText(m_focusMetric) >= 0)
            m_scatterMetric->setCurrentText(m_focusMetric);
    }
    // The curves of the metric when the runs logged it as a series.
    if (m_key->findText(m_focusMetric) >= 0)
        m_key->setCurrentText(m_focusMetric);
    updateBestRun();
    m_chart->setRuns(runInfos());
    reloadTables();
    m_parallelStale = m_scatterStale = true;
    refreshCurrentTab();
}

void CompareView::setSummaryColumnVisible(const QString &key, bool visible)
{
    m_columnsChosen = true;
    if (visible)
        m_hiddenColumns.remove(key);
    else
        m_hiddenColumns.insert(key);
    applyColumnVisibility();
}

bool CompareView::isSummaryColumnVisible(const QString &key) const
{
    return m_summaryKeys.contains(key) && !m_hiddenColumns.contains(key);
}

void CompareView::applyColumnVisibility()
{
    for (int c = 0; c < m_summaryKeys.size(); ++c)
        m_summary->setColumnHidden(c + 2, m_hiddenColumns.contains(m_summaryKeys[c]));
}

QMenu *CompareView::columnMenu()
{
    m_columnMenu->clear();
    for (const QString &key : std::as_const(m_summaryKeys)) {
        QAction *a = m_columnMenu->addAction(key);
        a->setCheckable(true);
        a->setChecked(!m_hiddenColumns.contains(key));
        connect(a, &QAction::toggled, this,
                [this, key](bool on) { setSummaryColumnVisible(key, on); });
    }
    if (!m_summaryKeys.isEmpty())
        m_columnMenu->addSeparator();
    m_columnMenu->addAction(tr("Show all columns"), this, [this] {
        m_columnsChosen = true;
        m_hiddenColumns.clear();
        applyColumnVisibility();
    });
    return m_columnMenu;
}

void CompareView::showExported(const QString &path)
{
    m_exportFolder = WidgetExport::folderOf(path);
    m_message->showMessage(WidgetExport::exportedMessage(path), MessageBar::Type::Positive,
                           {m_openFolder});
}

bool CompareView::exportCurrentChart(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    QString error;
    bool ok = false;
    const int tab = m_tabs->currentIndex();
    if (tab == CurvesTab) {
        ok = suffix == u"svg"   ? m_chart->exportSvg(path, &error)
             : suffix == u"csv" ? m_chart->exportCsv(path, &error)
                                : m_chart->exportPng(path, &error);
    } else {
        QWidget *chart = tab == ParallelTab  ? static_cast<QWidget *>(m_parallel)
                         : tab == ScatterTab ? static_cast<QWidget *>(m_scatter)
                                             : static_cast<QWidget *>(m_confusion);
        const QString title = m_tabs->tabText(tab);
        ok = suffix == u"svg" ? WidgetExport::svg(chart, path, title, &error)
                              : WidgetExport::png(chart, path, &error);
    }
    if (ok)
        showExported(path);
    else
        m_message->showMessage(error, MessageBar::Type::Error);
    return ok;
}

void CompareView::exportWithDialog(const QString &suffix)
{
    static const QHash<QString, QString> filters{
        {QStringLiteral("png"), tr("PNG images (*.png)")},
        {QStringLiteral("svg"), tr("SVG drawings (*.svg)")},
        {QStringLiteral("csv"), tr("CSV files (*.csv)")}};
    const int tab = m_tabs->currentIndex();
    const QString base = tab == CurvesTab     ? m_chart->metricKey()
                         : tab == ParallelTab ? QStringLiteral("parallel-coordinates")
                         : tab == ScatterTab  ? QStringLiteral("scatter")
                                              : QStringLiteral("confusion-matrices");
    QString safe = base;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Chart"), QStringLiteral("compare-%1.%2").arg(safe, suffix),
        filters.value(suffix));
    if (!path.isEmpty())
        exportCurrentChart(path);
}

bool CompareView::exportSummaryCsv(const QString &path)
{
    auto field = [](QString text) {
        if (text.contains(u',') || text.contains(u'"') || text.contains(u'\n'))
            text = u'"' + text.replace(QStringLiteral("\""), QStringLiteral("\"\"")) + u'"';
        return text;
    };
    QStringList lines;
    QStringList header;
    QList<int> columns;
    for (int c = 0; c < m_summary->columnCount(); ++c)
        if (!m_summary->isColumnHidden(c)) {
            columns << c;
            header << field(m_summary->horizontalHeaderItem(c)->text());
        }
    lines << header.join(u',');
    for (int r = 0; r < m_summary->rowCount(); ++r) {
        QStringList cells;
        for (int c : std::as_const(columns)) {
            const QTableWidgetItem *item = m_summary->item(r, c);
            if (!item)
                cells << QString();
            else if (c >= 2)
                cells << QString::number(item->data(Qt::DisplayRole).toDouble(), 'g', 12);
            else
                cells << field(item->text());
        }
        lines << cells.join(u',');
    }
    QSaveFile file(path);
    const QByteArray bytes = (lines.join(u'\n') + u'\n').toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        m_message->showMessage(tr("Could not write %1: %2")
                                   .arg(QDir::toNativeSeparators(path), file.errorString()),
                               MessageBar::Type::Error);
        return false;
    }
    showExported(path);
    return true;
}

void CompareView::exportSummaryWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Final Metrics"), QStringLiteral("compare-final-metrics.csv"),
        tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportSummaryCsv(path);
}

void CompareView::reload()
{
    if (!m_project)
        return;
    m_comparison = RunComparison::load(*m_project, m_runs);
    reloadKeys();
    updateBestRun();
    m_chart->setMetricKey(m_key->currentText());
    m_chart->setRuns(runInfos());
    reloadTables();
    m_parallelStale = m_scatterStale = m_confusionStale = true;
    refreshCurrentTab();
}

void CompareView::reloadKeys()
{
    QStringList keys;
    for (qint64 run : std::as_const(m_runs))
        if (auto k = m_project->metrics().keys(run); k.ok())
            for (const QString &key : *k)
                if (!keys.contains(key))
                    keys << key;
    keys = MetricOrder::forKeys(keys).sorted(keys);
    QString preferred;
    for (const char *k : {"val/loss", "val_loss", "loss", "train/loss", "train_loss"})
        if (keys.contains(QLatin1String(k))) {
            preferred = QString::fromLatin1(k);
            break;
        }
    fillCombo(m_key, keys, preferred);

    QStringList metrics = m_comparison.metricKeys();
    metrics = MetricOrder::forKeys(metrics, MetricOrder::Lead::MainMetric).sorted(metrics);
    const QString metric = m_focusMetric.isEmpty() ? m_comparison.defaultMetric() : m_focusMetric;
    fillCombo(m_parallelMetric, metrics, metric);
    fillCombo(m_scatterMetric, metrics, metric);
    QStringList params = m_comparison.differingHyperparameters();
    for (const QString &k : m_comparison.hyperparameterKeys())
        if (!params.contains(k))
            params << k;
    fillCombo(m_scatterParam, params, params.value(0));
}

void CompareView::refreshCurrentTab()
{
    if (m_tabs->currentIndex() == ParallelTab && m_parallelStale)
        reloadParallel();
    if (m_tabs->currentIndex() == ScatterTab && m_scatterStale)
        reloadScatter();
    if (m_tabs->currentIndex() == ConfusionTab && m_confusionStale) {
        QList<ConfusionMatricesView::RunInfo> runs;
        for (const RunComparison::Run &r : m_comparison.runs())
            runs.append({r.id, r.name, colorOf(r.id)});
        m_confusion->setRuns(runs);
        m_confusionStale = false;
    }
}

void CompareView::reloadParallel()
{
    m_parallelStale = m_tabs->currentIndex() != ParallelTab;
    if (m_parallelStale)
        return;
    QList<RunComparison::Axis> axes;
    for (const QString &k : m_comparison.differingHyperparameters())
        axes << m_comparison.hyperparameterAxis(k);
    const QString metric = m_parallelMetric->currentText();
    const bool hasMetric = !metric.isEmpty();
    if (hasMetric)
        axes << m_comparison.metricAxis(metric);
    QList<ParallelCoordinatesView::Line> lines;
    for (const RunComparison::Run &r : m_comparison.runs()) {
        if (!m_chart->isRunVisible(r.id))
            continue;
        ParallelCoordinatesView::Line line{r.id, r.name, colorOf(r.id), {}, r.id == m_bestRun};
        for (int i = 0; i < axes.size(); ++i)
            line.values << (hasMetric && i == axes.size() - 1
                                ? RunComparison::metricValue(r, metric)
                                : m_comparison.hyperparameterValue(r, axes[i]));
        lines << line;
    }
    m_parallel->setData(axes, lines);
}

void CompareView::reloadScatter()
{
    m_scatterStale = m_tabs->currentIndex() != ScatterTab;
    if (m_scatterStale)
        return;
    const QString param = m_scatterParam->currentText();
    const QString metric = m_scatterMetric->currentText();
    if (param.isEmpty() || metric.isEmpty()) {
        m_scatter->setData({}, {}, {});
        return;
    }
    const RunComparison::Axis x = m_comparison.hyperparameterAxis(param);
    const RunComparison::Axis y = m_comparison.metricAxis(metric);
    QList<HyperparameterScatterView::Point> points;
    for (const RunComparison::Run &r : m_comparison.runs()) {
        if (!m_chart->isRunVisible(r.id))
            continue;
        const double px = m_comparison.hyperparameterValue(r, x);
        const double py = RunComparison::metricValue(r, metric);
        if (std::isfinite(px) && std::isfinite(py))
            points.append({r.id, r.name, colorOf(r.id), px, py, r.id == m_bestRun});
    }
    m_scatter->setData(x, y, points);
}

void CompareView::reloadTables()
{
    const QList<RunComparison::Run> &runs = m_comparison.runs();
    // The main metric leads, the loss next, bookkeeping (epochs_run, parameters) last and
    // hidden until picked.
    const QStringList keys = MetricOrder::forKeys(m_comparison.summaryKeys(),
                                                  MetricOrder::Lead::MainMetric)
                                 .sorted(m_comparison.summaryKeys());
    m_summaryKeys = keys;
    if (!m_columnsChosen) {
        m_hiddenColumns.clear();
        for (const QString &k : keys)
            if (MetricOrder::isBookkeeping(k))
                m_hiddenColumns.insert(k);
    }

    // Final metrics: one row per run.
    QSignalBlocker block(m_summary);
    m_summary->setSortingEnabled(false);
    m_summary->clear();
    m_summary->setColumnCount(int(keys.size()) + 2);
    m_summary->setHorizontalHeaderLabels(QStringList{tr("Run"), tr("Status")} + keys);
    m_summary->setRowCount(int(runs.size()));
    for (int row = 0; row < runs.size(); ++row) {
        const RunComparison::Run &r = runs[row];
        auto *name = textItem(r.name);
        name->setFlags(name->flags() | Qt::ItemIsUserCheckable);
        name->setCheckState(m_chart->isRunVisible(r.id) ? Qt::Checked : Qt::Unchecked);
        name->setData(Qt::DecorationRole, colorOf(r.id));
        name->setData(Qt::UserRole, r.id);
        const bool best = r.id == m_bestRun;
        if (best) {
            QFont bold = m_summary->font();
            bold.setBold(true);
            name->setFont(bold);
            name->setToolTip(tr("The best run by %1").arg(m_focusMetric));
        }
        m_summary->setItem(row, 0, name);
        m_summary->setItem(row, 1, textItem(best ? tr("%1, best by %2")
                                                       .arg(runStatusName(r.status), m_focusMetric)
                                                 : runStatusName(r.status)));
        for (int c = 0; c < keys.size(); ++c)
            if (r.summary.contains(keys[c]))
                m_summary->setItem(row, c + 2, numberItem(r.summary.value(keys[c])));
    }
    m_summary->setSortingEnabled(true);
    // Sorted best first by the focus metric, in its direction.
    if (const qsizetype focus = keys.indexOf(m_focusMetric); focus >= 0)
        m_summary->sortByColumn(int(focus) + 2, higherIsBetter(m_focusMetric) ? Qt::DescendingOrder
                                                                              : Qt::AscendingOrder);
    applyColumnVisibility();
    m_summary->resizeColumnsToContents();
    static_cast<FrozenColumnTable *>(m_summary)->syncFrozenColumn();

    // Hyperparameters: one row per key, one column per run.
    const QStringList hyperKeys = m_comparison.hyperparameterKeys();
    m_hyper->clear();
    m_hyper->setColumnCount(int(runs.size()) + 1);
    QStringList headers{tr("Hyperparameter")};
    for (const RunComparison::Run &r : runs)
        headers << r.name;
    m_hyper->setHorizontalHeaderLabels(headers);
    for (int c = 0; c < runs.size(); ++c)
        m_hyper->horizontalHeaderItem(c + 1)->setData(Qt::DecorationRole, colorOf(runs[c].id));
    m_hyper->setRowCount(int(hyperKeys.size()));
    for (int row = 0; row < hyperKeys.size(); ++row) {
        auto *key = textItem(hyperKeys[row]);
        key->setData(Qt::UserRole, m_comparison.differs(hyperKeys[row]));
        m_hyper->setItem(row, 0, key);
        for (int c = 0; c < runs.size(); ++c)
            m_hyper->setItem(
                row, c + 1,
                textItem(RunComparison::valueText(runs[c].hyperparams.value(hyperKeys[row]))));
    }
    applyDifferenceFilter();
    m_hyper->resizeColumnsToContents();
}

void CompareView::applyDifferenceFilter()
{
    const bool only = m_onlyDiff->isChecked();
    for (int row = 0; row < m_hyper->rowCount(); ++row) {
        const bool differs = m_hyper->item(row, 0)->data(Qt::UserRole).toBool();
        m_hyper->setRowHidden(row, only && !differs);
    }
}

void CompareView::onSummaryItemChanged(QTableWidgetItem *item)
{
    if (item->column() != 0)
        return;
    m_chart->setRunVisible(item->data(Qt::UserRole).toLongLong(),
                           item->checkState() == Qt::Checked);
}

void CompareView::onRunVisibilityChanged(qint64 runId, bool visible)
{
    {
        QSignalBlocker block(m_summary);
        for (int row = 0; row < m_summary->rowCount(); ++row)
            if (QTableWidgetItem *item = m_summary->item(row, 0);
                item && item->data(Qt::UserRole).toLongLong() == runId)
                item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
    }
    reloadParallel();
    reloadScatter();
}

} // namespace mlwb
