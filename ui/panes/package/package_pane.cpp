// SPDX-License-Identifier: MIT
#include "panes/package/package_pane.h"

#include "charts/chart_style.h"
#include "charts/nice_axis.h"
#include "charts/widget_export.h"
#include "checks/check_report.h"
#include "common/format.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/theme.h"
#include "mainwindow/workbench_context.h"
#include "package/package_catalog.h"
#include "package/package_seal.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/message_bar.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMap>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolBar>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

namespace mlwb {

namespace {

QTableWidget *makeTable(const QStringList &headers, const QString &objectName)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(objectName);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    t->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    t->setWordWrap(false);
    t->setTextElideMode(Qt::ElideRight);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
    return t;
}

// A table inside the scrolling page shows every row: the page scrolls, not the table.
void fitRows(QTableWidget *t, bool elideLast = true, int stretchColumn = -1)
{
    t->resizeColumnsToContents();
    if (stretchColumn >= 0) {
        // This column gives way when the table is narrow; the last keeps a readable width.
        t->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
        t->horizontalHeader()->setStretchLastSection(false);
        t->setColumnWidth(t->columnCount() - 1, 170);
    }
    // The last column (detail, reason, hash) takes what is left; its whole text is its tooltip.
    const int last = t->columnCount() - 1;
    if (stretchColumn < 0 && elideLast)
        t->setColumnWidth(last, std::min(t->columnWidth(last), 160));
    t->horizontalHeader()->setStretchLastSection(stretchColumn < 0);
    int h = (t->horizontalHeader()->isHidden() ? 0 : t->horizontalHeader()->height()) + 2 * t->frameWidth();
    for (int r = 0; r < t->rowCount(); ++r)
        h += t->rowHeight(r);
    t->setFixedHeight(h);
}

void setRow(QTableWidget *t, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c)
        t->setItem(row, c, new QTableWidgetItem(cells[c]));
}

QString number(double v, const QString &unit = {})
{
    if (std::isnan(v))
        return QStringLiteral("\u2014");
    const QString n = Format::metric(v);
    return unit.isEmpty() ? n : n + QLatin1Char(' ') + unit;
}

QColor passColor(const QPalette &p) { return Theme::isDark(p) ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x5e, 0x20); }
QColor failColor(const QPalette &p) { return Theme::isDark(p) ? QColor(0xef, 0x9a, 0x9a) : QColor(0xb7, 0x1c, 0x1c); }

QString link(const QString &href, const QString &text)
{
    return QStringLiteral("<a href=\"%1\">%2</a>").arg(href, text.toHtmlEscaped());
}

} // namespace

PackagePane::PackagePane(Project &project, qint64 packageId, WorkbenchContext *workbench, QWidget *parent)
    : QWidget(parent), m_project(&project), m_id(packageId), m_workbench(workbench),
      m_message(new MessageBar(this)), m_title(new QLabel(this)), m_state(new QLabel(this)),
      m_signature(new QLabel(this)), m_toolBar(new QToolBar(this)),
      m_tabs(new QTabWidget(this)),
      m_metrics(makeTable({tr("Metric"), tr("Value"), tr("Metric"), tr("Value"), tr("Metric"), tr("Value")},
                          QStringLiteral("packageMetrics"))),
      m_entries(makeTable({tr("Entry"), tr("Size"), tr("SHA-256")}, QStringLiteral("packageEntries"))),
      m_checksStack(new QStackedWidget), m_checksSummary(new QLabel),
      m_checks(makeTable({tr("Group"), tr("Check"), tr("Value"), tr("Threshold"), tr("Result"), tr("Detail")},
                         QStringLiteral("packageChecks"))),
      m_robustness(makeTable({tr("Case"), tr("Expected"), tr("Outcome"), tr("Result")},
                             QStringLiteral("packageRobustness"))),
      m_latency(new QChartView), m_throughput(new QChartView),
      m_runChecks(new QPushButton(Icons::themed(QStringLiteral("run-build")), tr("Run Checks"))),
      m_overridesBox(new QGroupBox(tr("Overrides"))),
      m_overrides(makeTable({tr("Who"), tr("When"), tr("Reason")}, QStringLiteral("packageOverrides")))
{
    setObjectName(QStringLiteral("packagePane"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);

    auto *header = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    m_title->setObjectName(QStringLiteral("packageTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state->setObjectName(QStringLiteral("packageState"));
    m_signature->setObjectName(QStringLiteral("packageSignature"));
    m_signature->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *sub = new QHBoxLayout;
    sub->addWidget(m_state);
    sub->addSpacing(16);
    sub->addWidget(m_signature);
    sub->addStretch(1);
    titles->addWidget(m_title);
    titles->addLayout(sub);
    header->addLayout(titles, 1);
    layout->addLayout(header);
    m_toolBar->setObjectName(QStringLiteral("packageToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));
    layout->addWidget(m_toolBar);

    // Two pages, as the run tab has: what the package is, and what the checks found.
    auto makePage = [this](QWidget *&page) {
        auto *scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        page = new QWidget;
        auto *l = new QVBoxLayout(page);
        l->setContentsMargins(4, 6, 8, 4);
        scroll->setWidget(page);
        return scroll;
    };
    QWidget *page = nullptr;
    QWidget *checksPage = nullptr;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(makePage(page), tr("&Overview"));
    m_tabs->addTab(makePage(checksPage), tr("&Checks"));
    auto *pageLayout = static_cast<QVBoxLayout *>(page->layout());
    auto *checksPageLayout = static_cast<QVBoxLayout *>(checksPage->layout());

    // Manifest and lineage side by side: both are short forms.
    auto *top = new QHBoxLayout;
    auto *manifest = new QGroupBox(tr("Manifest"));
    manifest->setObjectName(QStringLiteral("packageManifest"));
    new QFormLayout(manifest);
    addField(manifest, QStringLiteral("description"), tr("Description"));
    addField(manifest, QStringLiteral("input"), tr("Input features"));
    addField(manifest, QStringLiteral("output"), tr("Output"));
    addField(manifest, QStringLiteral("runtime"), tr("Runtime"));
    addField(manifest, QStringLiteral("created"), tr("Created"));
    addField(manifest, QStringLiteral("author"), tr("Author"));
    addField(manifest, QStringLiteral("size"), tr("Size"));
    top->addWidget(manifest, 3);
    auto *lineage = new QGroupBox(tr("Lineage"));
    lineage->setObjectName(QStringLiteral("packageLineage"));
    auto *lineageLayout = new QVBoxLayout(lineage);
    auto *lineageForm = new QWidget;
    new QFormLayout(lineageForm);
    lineageForm->layout()->setContentsMargins(0, 0, 0, 0);
    lineageLayout->addWidget(lineageForm);
    for (const auto &[key, label] : {std::pair{QStringLiteral("project"), tr("Project")},
                                     std::pair{QStringLiteral("run"), tr("Run")},
                                     std::pair{QStringLiteral("model"), tr("Model")},
                                     std::pair{QStringLiteral("dataset"), tr("Data set")},
                                     std::pair{QStringLiteral("datasetSha256"), tr("Data set SHA-256")}}) {
        auto *value = new QLabel;
        value->setObjectName(QStringLiteral("lineage_") + key);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextBrowserInteraction);
        connect(value, &QLabel::linkActivated, this, &PackagePane::openLink);
        static_cast<QFormLayout *>(lineageForm->layout())->addRow(label + QLatin1Char(':'), value);
        m_fields.insert(QStringLiteral("lineage.") + key, value);
    }
    lineageLayout->addStretch(1);
    top->addWidget(lineage, 3);
    pageLayout->addLayout(top);
    QFont bold = font();
    bold.setBold(true);

    auto *metrics = new QGroupBox(tr("Test split metrics"));
    auto *metricsLayout = new QVBoxLayout(metrics);
    m_metrics->horizontalHeader()->hide();
    m_metrics->setAlternatingRowColors(false);
    metricsLayout->addWidget(m_metrics);
    pageLayout->addWidget(metrics);

    auto *entries = new QGroupBox(tr("Entries"));
    auto *entriesLayout = new QVBoxLayout(entries);
    entriesLayout->addWidget(m_entries);
    pageLayout->addWidget(entries);

    auto *checksLayout = checksPageLayout;
    auto *none = new QWidget;
    auto *noneLayout = new QVBoxLayout(none);
    auto *noneText = new QLabel(tr("The pre-deployment checks have not run on this package yet: "
                                   "quality gates, regression against the previous version, "
                                   "latency, memory and robustness."));
    noneText->setWordWrap(true);
    noneLayout->addWidget(noneText);
    m_runChecks->setObjectName(QStringLiteral("packageRunChecks"));
    connect(m_runChecks, &QPushButton::clicked, this, [this] {
        if (m_workbench)
            m_workbench->runCommand(QStringLiteral("package.check"), {{kPackageKind, m_id}});
    });
    noneLayout->addWidget(m_runChecks, 0, Qt::AlignLeft);
    noneLayout->addStretch(1);
    auto *report = new QWidget;
    auto *reportLayout = new QVBoxLayout(report);
    reportLayout->setContentsMargins(0, 0, 0, 0);
    m_checksSummary->setObjectName(QStringLiteral("packageChecksSummary"));
    m_checksSummary->setWordWrap(true);
    reportLayout->addWidget(m_checksSummary);
    reportLayout->addWidget(m_checks);
    auto *charts = new QHBoxLayout;
    for (QChartView *v : {m_latency, m_throughput}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumHeight(300);
        charts->addWidget(v, 1);
        // Right-click: export the chart (PNG, SVG) or its numbers (CSV), as every chart does.
        v->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(v, &QWidget::customContextMenuRequested, this, [this, v](const QPoint &at) {
            QMenu menu(v);
            const QString base = v == m_latency ? QStringLiteral("latency") : QStringLiteral("throughput");
            for (const auto &[suffix, text, filter] :
                 {std::tuple{QStringLiteral("png"), tr("Export as PNG\u2026"), tr("PNG images (*.png)")},
                  std::tuple{QStringLiteral("svg"), tr("Export as SVG\u2026"), tr("SVG drawings (*.svg)")},
                  std::tuple{QStringLiteral("csv"), tr("Export Data as CSV\u2026"), tr("CSV files (*.csv)")}}) {
                menu.addAction(text, this, [this, v, base, suffix, filter] {
                    const QString path = QFileDialog::getSaveFileName(
                        this, tr("Export Chart"), QDir::home().filePath(base + QLatin1Char('.') + suffix), filter);
                    if (!path.isEmpty())
                        exportChart(v, path);
                });
            }
            menu.exec(v->mapToGlobal(at));
        });
    }
    m_latency->setObjectName(QStringLiteral("packageLatencyChart"));
    m_throughput->setObjectName(QStringLiteral("packageThroughputChart"));
    reportLayout->addLayout(charts);
    auto *robustTitle = new QLabel(tr("Robustness cases"));
    robustTitle->setContentsMargins(0, 8, 0, 0);
    robustTitle->setFont(bold);
    reportLayout->addWidget(robustTitle);
    reportLayout->addWidget(m_robustness);
    m_checksStack->addWidget(none);
    m_checksStack->addWidget(report);
    checksLayout->addWidget(m_checksStack);
    checksLayout->addStretch(1);

    auto *overridesLayout = new QVBoxLayout(m_overridesBox);
    overridesLayout->addWidget(m_overrides);
    pageLayout->addWidget(m_overridesBox);
    pageLayout->addStretch(1);
    layout->addWidget(m_tabs, 1);

    connect(&project, &Project::packagesChanged, this, &PackagePane::reload);
    // While a check job runs on this package the button says so instead of offering another.
    if (m_workbench && m_workbench->jobManager()) {
        JobManager *jobs = m_workbench->jobManager();
        connect(jobs, &JobManager::jobAdded, this, &PackagePane::updateRunChecks);
        connect(jobs, &JobManager::jobChanged, this, &PackagePane::updateRunChecks);
        connect(jobs, &JobManager::jobFinished, this, &PackagePane::updateRunChecks);
    }
    reload();
    updateRunChecks();
}

void PackagePane::updateRunChecks()
{
    JobManager *jobs = m_workbench ? m_workbench->jobManager() : nullptr;
    const int job = jobs ? jobs->jobOf({kPackageKind, m_id}) : 0;
    const JobState state = job ? jobs->job(job) : JobState{};
    const bool running = job && !state.isGroup
        && (state.status == JobState::Status::Queued || state.status == JobState::Status::Running)
        && state.title.startsWith(QLatin1String("Check"));
    m_runChecks->setEnabled(!running && m_project && !m_project->isReadOnly());
    m_runChecks->setText(running ? tr("Checking\u2026 %1%").arg(int(state.progress * 100)) : tr("Run Checks"));
}

QLabel *PackagePane::addField(QGroupBox *box, const QString &key, const QString &label)
{
    auto *value = new QLabel;
    value->setObjectName(QStringLiteral("manifest_") + key);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    static_cast<QFormLayout *>(box->layout())->addRow(label + QLatin1Char(':'), value);
    m_fields.insert(QStringLiteral("manifest.") + key, value);
    return value;
}

QLabel *PackagePane::lineage(const QString &what) const
{
    return m_fields.value(QStringLiteral("lineage.") + what);
}

QLabel *PackagePane::manifestField(const QString &what) const
{
    return m_fields.value(QStringLiteral("manifest.") + what);
}

bool PackagePane::hasCheckReport() const
{
    return m_checksStack->currentIndex() == 1;
}

void PackagePane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_lastChecks.isEmpty())
        showChecks(m_lastChecks);
}

void PackagePane::openLink(const QString &link)
{
    if (!m_workbench)
        return;
    const QString kind = link.section(u':', 0, 0);
    const qint64 id = link.section(u':', 1).toLongLong();
    ItemRef ref;
    if (kind == QLatin1String("run"))
        ref = {ItemKind::Run, id};
    else if (kind == QLatin1String("dataset"))
        ref = {ItemKind::Dataset, id};
    else if (kind == QLatin1String("model"))
        ref = {ItemKind::Model, id};
    if (ref.isValid() && !m_workbench->documents()->open(ref))
        m_message->showMessage(tr("The %1 this package came from is no longer in the project.").arg(kind),
                               MessageBar::Type::Warning);
}

void PackagePane::reload()
{
    if (!m_project)
        return;
    auto record = m_project->packages().get(m_id);
    if (!record) {
        m_message->showMessage(tr("Cannot read package %1: %2").arg(m_id).arg(record.error()),
                               MessageBar::Type::Error);
        return;
    }
    auto sealed = PackageCatalog(m_project->db()).open(m_id);
    m_title->setText(record->name + QLatin1Char(':') + record->version);

    QString state;
    switch (record->state) {
    case PackageState::Built:
        state = tr("Built, not checked");
        break;
    case PackageState::Checked:
        state = tr("\u2713 Checked: every gate passed");
        break;
    case PackageState::GateFailed:
        state = record->overridden() ? tr("\u2717 Gate failed, overridden") : tr("\u2717 Gate failed");
        break;
    }
    m_state->setText(state);
    m_state->setToolTip(record->checkedAt.isValid() ? tr("Checked %1").arg(Format::dateTime(record->checkedAt))
                                                    : QString());
    {
        QPalette p = m_state->palette();
        if (record->state == PackageState::Checked)
            p.setColor(QPalette::WindowText, passColor(palette()));
        else if (record->state == PackageState::GateFailed)
            p.setColor(QPalette::WindowText, failColor(palette()));
        else
            p.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
        m_state->setPalette(p);
    }

    if (!sealed) {
        m_signature->setText(tr("cannot be verified"));
        m_message->showMessage(tr("Package %1:%2 does not verify: %3")
                                   .arg(record->name, record->version, sealed.error()),
                               MessageBar::Type::Error);
        m_entries->setRowCount(0);
        return;
    }
    const PackageSeal::Verified &seal = sealed->seal();
    m_signature->setText(seal.isSigned ? tr("Signed by %1 (%2)").arg(seal.keyId, seal.signer)
                                       : tr("Not signed"));

    const PackageManifest &m = sealed->manifest();
    manifestField(QStringLiteral("description"))
        ->setText(m.description.isEmpty() ? tr("(none)") : m.description);
    QStringList features;
    for (const PackageManifest::Feature &f : m.input.features)
        features << QStringLiteral("%1 (%2)").arg(f.name, f.kind);
    // A long input (an image's pixels) reads as a count per kind and its ends; the tooltip lists
    // every feature.
    QLabel *input = manifestField(QStringLiteral("input"));
    if (features.size() > 8) {
        QMap<QString, int> kinds;
        for (const PackageManifest::Feature &f : m.input.features)
            ++kinds[f.kind];
        QStringList counts;
        for (auto it = kinds.constBegin(); it != kinds.constEnd(); ++it)
            counts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
        input->setText(tr("%1 features (%2): %3, %4, \u2026, %5")
                           .arg(features.size())
                           .arg(counts.join(QStringLiteral(", ")), m.input.features.front().name,
                                m.input.features[1].name, m.input.features.back().name));
        input->setToolTip(features.join(QStringLiteral(", ")));
    } else {
        input->setText(features.join(QStringLiteral(", ")));
        input->setToolTip({});
    }
    manifestField(QStringLiteral("output"))
        ->setText(m.output.task == QLatin1String("classification")
                      ? tr("classification of %1 into %2").arg(m.output.target, m.output.labels.join(QStringLiteral(", ")))
                      : tr("regression of %1").arg(m.output.target));
    manifestField(QStringLiteral("runtime"))
        ->setText(tr("libtorch %1, MLOps Workbench %2").arg(m.libtorchVersion, m.mlwbVersion));
    manifestField(QStringLiteral("created"))->setText(Format::dateTime(m.created));
    manifestField(QStringLiteral("author"))->setText(m.author);
    manifestField(QStringLiteral("size"))->setText(Format::bytes(record->archiveBytes));

    const PackageManifest::Lineage &l = m.lineage;
    lineage(QStringLiteral("project"))->setText(l.project.toHtmlEscaped());
    lineage(QStringLiteral("run"))
        ->setText(link(QStringLiteral("run:%1").arg(l.runId), Format::runName(l.runName, l.runId))
                  + tr(" (run %1)").arg(l.runId));
    lineage(QStringLiteral("model"))
        ->setText(link(QStringLiteral("model:%1").arg(l.modelId), l.modelName) + tr(", version %1").arg(l.modelVersion));
    lineage(QStringLiteral("dataset"))->setText(link(QStringLiteral("dataset:%1").arg(l.datasetId), l.datasetName));
    lineage(QStringLiteral("datasetSha256"))->setText(Format::shortHash(l.datasetSha256));
    lineage(QStringLiteral("datasetSha256"))->setToolTip(l.datasetSha256);

    // Three metric, value pairs a row: a dozen metrics stay short.
    m_metrics->setRowCount(0);
    int cell = 0;
    for (auto it = l.metrics.constBegin(); it != l.metrics.constEnd(); ++it) {
        if (!it.value().isDouble())
            continue;
        const int row = cell / 3, column = 2 * (cell % 3);
        if (row >= m_metrics->rowCount())
            m_metrics->insertRow(row);
        m_metrics->setItem(row, column, new QTableWidgetItem(it.key()));
        auto *value = new QTableWidgetItem(Format::metric(it.value().toDouble()));
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QFont f = value->font();
        f.setBold(true);
        value->setFont(f);
        m_metrics->setItem(row, column + 1, value);
        ++cell;
    }
    fitRows(m_metrics, false);

    const auto &entries = sealed->archive().entries();
    m_entries->setRowCount(int(entries.size()));
    for (int i = 0; i < int(entries.size()); ++i) {
        const PackageArchive::Entry &e = entries[size_t(i)];
        setRow(m_entries, i, {e.name, Format::bytes(e.data.size()), PackageSeal::sha256Hex(e.data)});
        m_entries->item(i, 1)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_entries->item(i, 1)->setToolTip(tr("%1 bytes").arg(e.data.size()));
        m_entries->item(i, 2)->setToolTip(m_entries->item(i, 2)->text());
    }
    fitRows(m_entries, false);

    const bool hadReport = hasCheckReport();
    showChecks(record->checks);
    m_tabs->setTabText(1, record->state == PackageState::Built ? tr("&Checks (not run)")
                          : record->state == PackageState::Checked ? tr("&Checks \u2713")
                                                                   : tr("&Checks \u2717"));
    // What the checks found is what to look at once there is a report (and when it arrives).
    if (hasCheckReport() && (!m_shown || !hadReport))
        m_tabs->setCurrentIndex(1);
    m_shown = true;

    m_overrides->setRowCount(int(record->overrides.size()));
    for (int i = 0; i < int(record->overrides.size()); ++i) {
        const PackageOverrideRecord &o = record->overrides[i];
        setRow(m_overrides, i, {o.author, Format::dateTime(o.createdAt), o.reason});
        m_overrides->item(i, 2)->setToolTip(o.reason);
    }
    fitRows(m_overrides);
    m_overridesBox->setVisible(!record->overrides.isEmpty());
}

void PackagePane::showChecks(const QJsonObject &checks)
{
    m_lastChecks = checks;
    if (checks.isEmpty() || checks.value(QStringLiteral("status")).toString() == QLatin1String("not_run")) {
        m_checksStack->setCurrentIndex(0);
        return;
    }
    auto report = CheckReport::fromJson(checks);
    if (!report) {
        m_checksStack->setCurrentIndex(0);
        m_message->showMessage(tr("The check report cannot be read: %1").arg(report.error()), MessageBar::Type::Error);
        return;
    }
    m_checksStack->setCurrentIndex(1);
    const QStringList failed = report->failedGates();
    m_checksSummary->setText(
        (report->passed() ? tr("Every gate passed.") : tr("Failed gates: %1.").arg(failed.join(QStringLiteral(", "))))
        + QLatin1Char(' ')
        + tr("Run %1 by %2.").arg(Format::dateTime(report->runAt), report->by));

    const QPalette p = palette();
    m_checks->setRowCount(int(report->items.size()));
    for (int i = 0; i < int(report->items.size()); ++i) {
        const CheckReport::Item &it = report->items[i];
        const QString threshold = it.op.isEmpty() ? QStringLiteral("\u2014") : it.op + QLatin1Char(' ') + number(it.threshold, it.unit);
        setRow(m_checks, i, {it.group, it.name, number(it.value, it.unit), threshold,
                             it.passed ? tr("PASS") : tr("FAIL"), it.detail});
        QTableWidgetItem *r = m_checks->item(i, 4);
        r->setForeground(it.passed ? passColor(p) : failColor(p));
        // A gate's result is bold; an advisory check's is not (it does not block deployment).
        QFont f = r->font();
        f.setBold(it.gate);
        r->setFont(f);
        r->setToolTip(it.gate ? tr("A gate: a failure blocks deployment")
                              : tr("Advisory: shown, does not block deployment"));
        m_checks->item(i, 1)->setToolTip(it.id);
        m_checks->item(i, 5)->setToolTip(it.detail);
        for (int c : {2, 3})
            m_checks->item(i, c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    fitRows(m_checks, true, 1);

    m_robustness->setRowCount(int(report->robustness.size()));
    for (int i = 0; i < int(report->robustness.size()); ++i) {
        const QJsonObject c = report->robustness[i].toObject();
        const bool ok = c.value(QStringLiteral("passed")).toBool();
        setRow(m_robustness, i,
               {c.value(QStringLiteral("case")).toString(), c.value(QStringLiteral("expected")).toString(),
                c.value(QStringLiteral("outcome")).toString(), ok ? tr("PASS") : tr("FAIL")});
        m_robustness->item(i, 3)->setForeground(ok ? passColor(p) : failColor(p));
    }
    fitRows(m_robustness);
    showLatency(report->latency);
}

bool PackagePane::exportChart(QChartView *view, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    QString error;
    bool ok = false;
    if (suffix == u"csv") {
        const QJsonObject latency = m_lastChecks.value(QStringLiteral("latency")).toObject();
        QByteArray csv;
        if (view == m_latency) {
            csv = "batch,p50_ms,p95_ms,p99_ms,rows_per_s\n";
            for (const QJsonValue &b : latency.value(QStringLiteral("batches")).toArray())
                csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                           .arg(b[QStringLiteral("batch")].toInteger())
                           .arg(b[QStringLiteral("p50_ms")].toDouble(), 0, 'g', 17)
                           .arg(b[QStringLiteral("p95_ms")].toDouble(), 0, 'g', 17)
                           .arg(b[QStringLiteral("p99_ms")].toDouble(), 0, 'g', 17)
                           .arg(b[QStringLiteral("rows_per_s")].toDouble(), 0, 'g', 17)
                           .toUtf8();
        } else {
            csv = "threads,rows_per_s\n";
            for (const QJsonValue &t : latency.value(QStringLiteral("threads")).toArray())
                csv += QStringLiteral("%1,%2\n")
                           .arg(t[QStringLiteral("threads")].toInteger())
                           .arg(t[QStringLiteral("rows_per_s")].toDouble(), 0, 'g', 17)
                           .toUtf8();
        }
        QSaveFile f(path);
        ok = f.open(QIODevice::WriteOnly) && f.write(csv) == csv.size() && f.commit();
        if (!ok)
            error = tr("Cannot write %1: %2").arg(path, f.errorString());
    } else if (suffix == u"svg") {
        ok = WidgetExport::svg(view, path, view->chart() ? view->chart()->title() : QString(), &error);
    } else {
        ok = WidgetExport::png(view, path, &error);
    }
    if (ok)
        m_message->showMessage(WidgetExport::exportedMessage(path), MessageBar::Type::Positive);
    else
        m_message->showMessage(error, MessageBar::Type::Error);
    return ok;
}

void PackagePane::showLatency(const QJsonObject &latency)
{
    // Latency by batch size: one line per percentile over a log2 axis of batch sizes.
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(tr("Latency by batch size"));
    const QJsonArray batches = latency.value(QStringLiteral("batches")).toArray();
    double maxMs = 0, maxBatch = 1;
    const struct {
        const char *key;
        QString name;
    } percentiles[] = {{"p50_ms", tr("p50")}, {"p95_ms", tr("p95")}, {"p99_ms", tr("p99")}};
    QList<QLineSeries *> lines;
    int colour = 0;
    for (const auto &pc : percentiles) {
        auto *s = new QLineSeries;
        s->setName(pc.name);
        s->setPointsVisible(true);
        s->setColor(ChartStyle::seriesColor(colour++));
        for (const QJsonValue &v : batches) {
            const QJsonObject b = v.toObject();
            const double batch = b.value(QStringLiteral("batch")).toDouble();
            const double ms = b.value(QLatin1String(pc.key)).toDouble();
            s->append(batch, ms);
            maxMs = std::max(maxMs, ms);
            maxBatch = std::max(maxBatch, batch);
        }
        connect(s, &QLineSeries::hovered, s, [s](const QPointF &point, bool state) {
            if (!state)
                return QToolTip::hideText();
            // The nearest measured point, not the cursor's position.
            QPointF best;
            double d = -1;
            for (const QPointF &q : s->points()) {
                const double dd = std::abs(std::log2(q.x()) - std::log2(std::max(point.x(), 1e-9)));
                if (d < 0 || dd < d) {
                    d = dd;
                    best = q;
                }
            }
            QToolTip::showText(QCursor::pos(), tr("%1 at batch %2: %3 ms")
                                                   .arg(s->name())
                                                   .arg(best.x())
                                                   .arg(Format::metric(best.y())));
        });
        chart->addSeries(s);
        lines << s;
    }
    auto *x = new QLogValueAxis;
    x->setBase(2);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTitleText(tr("Batch size (rows)"));
    x->setRange(0.8, maxBatch * 1.25);
    x->setMinorTickCount(0);
    auto *y = new QValueAxis;
    y->setTitleText(tr("Latency (ms)"));
    NiceAxis::applyValues(y, NiceAxis::rounded(0, maxMs > 0 ? maxMs : 1, 5));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *s : lines) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    ChartStyle::apply(chart, palette(), font());
    ChartStyle::makeLegendToggle(chart);
    m_latency->setChart(chart);

    // Throughput by thread count, one bar per count.
    auto *tchart = new QChart;
    tchart->setAnimationOptions(QChart::NoAnimation);
    tchart->setTitle(tr("Throughput by thread count"));
    auto *set = new QBarSet(tr("rows/s"));
    set->setColor(ChartStyle::seriesColor(3));
    QStringList categories;
    double maxRate = 0;
    for (const QJsonValue &v : latency.value(QStringLiteral("threads")).toArray()) {
        const QJsonObject t = v.toObject();
        categories << QString::number(t.value(QStringLiteral("threads")).toInt());
        const double rate = t.value(QStringLiteral("rows_per_s")).toDouble();
        *set << rate;
        maxRate = std::max(maxRate, rate);
    }
    auto *bars = new QBarSeries;
    bars->append(set);
    connect(bars, &QBarSeries::hovered, bars, [categories](bool state, int index, QBarSet *barSet) {
        if (!state || index < 0 || index >= categories.size())
            return QToolTip::hideText();
        QToolTip::showText(QCursor::pos(), tr("%1 threads: %2 rows/s")
                                               .arg(categories[index], Format::count(qint64(barSet->at(index)))));
    });
    tchart->addSeries(bars);
    auto *tx = new QBarCategoryAxis;
    tx->append(categories);
    tx->setTitleText(tr("Threads"));
    auto *ty = new QValueAxis;
    ty->setTitleText(tr("Rows per second"));
    ty->setLabelFormat(QStringLiteral("%.0f"));
    NiceAxis::applyValues(ty, NiceAxis::rounded(0, maxRate > 0 ? maxRate : 1, 5));
    tchart->addAxis(tx, Qt::AlignBottom);
    tchart->addAxis(ty, Qt::AlignLeft);
    bars->attachAxis(tx);
    bars->attachAxis(ty);
    ChartStyle::apply(tchart, palette(), font());
    tchart->legend()->hide();
    m_throughput->setChart(tchart);
}

} // namespace mlwb
