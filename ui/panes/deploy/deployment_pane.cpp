// SPDX-License-Identifier: MIT
#include "panes/deploy/deployment_pane.h"

#include "charts/chart_style.h"
#include "common/format.h"
#include "common/prometheus_text.h"
#include "data/dataset_catalog.h"
#include "data/preprocessing.h"
#include "deploy/agent_client.h"
#include "deploy/deploy_job.h"
#include "deploy/token_store.h"
#include "inference/inference_engine.h"
#include "inference/torch_runtime.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "package/package_builder.h"
#include "package/package_catalog.h"
#include "package/package_manifest.h"
#include "package/sealed_package.h"
#include "panes/deploy/agent_call.h"
#include "store/project.h"
#include "store/worker_connection.h"
#include "widgets/icons.h"
#include "widgets/message_bar.h"
#include "widgets/translate.h"
#include "widgets/wheel_guard.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QMap>
#include <QLineSeries>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <utility>
#include <limits>

namespace mlwb {

using text::tr;

namespace {

constexpr int kPollMs = 2000;
constexpr int kSparkWindowS = 120;

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

void setRow(QTableWidget *t, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c)
        t->setItem(row, c, new QTableWidgetItem(cells[c]));
}

// A client of the target: with its token when the user has one (management calls need it),
// else without (health, metrics and inference need none).
Result<AgentClient> clientOf(const TargetRecord &target, int timeoutMs)
{
    const TokenStore tokens;
    auto client = AgentClient::forTarget(target, tokens);
    if (!client && client.kind() != ErrorKind::NotFound)
        return client.failure();
    AgentClient out = client ? std::move(*client) : AgentClient(target, QByteArray());
    out.setTimeout(timeoutMs);
    return out;
}

// Sums of the request counter and the duration histogram's buckets over every series.
struct Totals {
    double requests = 0;
    QList<std::pair<double, double>> buckets;
};

Result<Totals> totalsOf(const QByteArray &text, const QString &source)
{
    auto parsed = PrometheusText::parse(text, source);
    if (!parsed)
        return parsed.failure();
    Totals t;
    if (const auto *f = parsed->family(QStringLiteral("mlwb_agent_requests_total")))
        for (const auto &s : f->samples)
            t.requests += s.value;
    QMap<double, double> byLe;
    if (const auto *f = parsed->family(QStringLiteral("mlwb_agent_request_duration_seconds")))
        for (const auto &s : f->samples)
            if (s.name.endsWith(QLatin1String("_bucket")))
                if (auto le = s.label(QStringLiteral("le"))) {
                    const double bound = *le == QLatin1String("+Inf") ? std::numeric_limits<double>::infinity() : le->toDouble();
                    byLe[bound] += s.value;
                }
    for (auto it = byLe.cbegin(); it != byLe.cend(); ++it)
        t.buckets.append({it.key(), it.value()});
    return t;
}

// The median of the requests between two scrapes from the buckets' growth, interpolated inside
// the bucket it falls in (as Prometheus's histogram_quantile); nullopt when none came.
std::optional<double> medianSeconds(const QList<std::pair<double, double>> &before,
                                    const QList<std::pair<double, double>> &now)
{
    if (now.isEmpty() || before.size() != now.size())
        return std::nullopt;
    const double total = now.last().second - before.last().second;
    if (total <= 0)
        return std::nullopt;
    const double half = total / 2;
    double lower = 0, below = 0;
    for (qsizetype i = 0; i < now.size(); ++i) {
        const double count = now[i].second - before[i].second;
        if (count >= half) {
            const double upper = now[i].first;
            if (std::isinf(upper))
                return lower;
            const double inBucket = count - below;
            return inBucket > 0 ? lower + (upper - lower) * (half - below) / inBucket : upper;
        }
        lower = now[i].first;
        below = count;
    }
    return std::nullopt;
}

// The rows of an input example ({"inputs": [{"shape": [rows, F], "data": ...}]}) as raw floats.
Result<std::pair<std::vector<float>, qint64>> exampleRows(const QJsonObject &example)
{
    const QJsonObject input = example.value(QStringLiteral("inputs")).toArray().first().toObject();
    const QJsonArray shape = input.value(QStringLiteral("shape")).toArray();
    if (shape.size() != 2)
        return invalidInput(QStringLiteral("the input example has no [rows, features] shape"));
    std::vector<float> values;
    // Nested or flat: flattened in order (the agent bounds the nesting to the shape's depth).
    std::function<void(const QJsonValue &)> flatten = [&](const QJsonValue &v) {
        if (v.isArray())
            for (const QJsonValue &e : v.toArray())
                flatten(e);
        else
            values.push_back(v.isDouble() ? float(v.toDouble()) : std::numeric_limits<float>::quiet_NaN());
    };
    flatten(input.value(QStringLiteral("data")));
    const qint64 rows = shape[0].toInteger();
    if (rows <= 0 || qint64(values.size()) != rows * shape[1].toInteger())
        return invalidInput(QStringLiteral("the input example's data does not fill its shape"));
    return std::make_pair(std::move(values), rows);
}

QString splitName(quint8 part)
{
    switch (SplitPart(part)) {
    case SplitPart::Train:
        return tr("train");
    case SplitPart::Validation:
        return tr("validation");
    case SplitPart::Test:
        return tr("test");
    }
    return QString();
}

QString probabilitiesText(const QJsonArray &probabilities, const QStringList &labels)
{
    QStringList parts;
    for (qsizetype i = 0; i < probabilities.size(); ++i)
        parts << QStringLiteral("%1 %2 %").arg(labels.value(i, QString::number(i)),
                                               QString::number(probabilities[i].toDouble() * 100.0, 'f', 1));
    return parts.join(QStringLiteral(", "));
}

} // namespace

struct DeploymentPane::Snapshot {
    Result<AgentClient::Health> health = AgentClient::Health{};
    Result<QJsonObject> server = QJsonObject{};
    Result<QJsonArray> models = QJsonArray{};
};

DeploymentPane::DeploymentPane(Project &project, qint64 targetId, WorkbenchContext *workbench,
                               std::shared_ptr<TargetHealthBook> health, QWidget *parent)
    : QWidget(parent), m_project(&project), m_id(targetId), m_projectPath(project.path()), m_workbench(workbench),
      m_healthBook(std::move(health)), m_message(new MessageBar(this)), m_title(new QLabel(this)),
      m_health(new QLabel(this)), m_version(new QLabel(this)), m_toolBar(new QToolBar(this)),
      m_poll(new QTimer(this)), m_started(QDateTime::currentDateTimeUtc())
{
    setObjectName(QStringLiteral("deploymentPane"));
    if (auto t = project.targets().get(targetId)) {
        m_name = t->name;
        m_title->setText(tr("<b>%1</b> &nbsp; %2").arg(t->name.toHtmlEscaped(), t->url.toHtmlEscaped()));
    } else {
        m_message->showMessage(tr("Cannot read target %1: %2").arg(targetId).arg(t.error()), MessageBar::Type::Error);
    }
    m_health->setObjectName(QStringLiteral("targetHealth"));
    m_health->setText(tr("health: asking\u2026"));
    m_version->setObjectName(QStringLiteral("agentVersion"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto *content = new QWidget(this);
    auto *v = new QVBoxLayout(content);

    auto *modelsBox = new QGroupBox(tr("Models served"), content);
    m_models = makeTable(modelsBox, {tr("Model"), tr("Version"), tr("State"), tr("Share"), tr("Deployed by"),
                                     tr("Load"), tr("Signed by")},
                         QStringLiteral("deployedModels"));
    m_models->setMinimumHeight(80);
    (new QVBoxLayout(modelsBox))->addWidget(m_models);
    connect(m_models, &QTableWidget::itemSelectionChanged, this, &DeploymentPane::updateActions);

    auto *sparkBox = new QGroupBox(tr("Traffic (from /metrics, every 2 s)"), content);
    m_rate = new QLineSeries;
    m_rate->setName(tr("requests/s"));
    m_latency = new QLineSeries;
    m_latency->setName(tr("p50 latency (ms)"));
    auto *chart = new QChart;
    chart->addSeries(m_rate);
    chart->addSeries(m_latency);
    m_axisX = new QValueAxis;
    m_axisX->setTitleText(tr("time (s)"));
    m_axisX->setLabelFormat(QStringLiteral("%d"));
    m_axisRate = new QValueAxis;
    m_axisRate->setTitleText(tr("req/s"));
    m_axisRate->setLabelFormat(QStringLiteral("%.3g"));
    m_axisLatency = new QValueAxis;
    m_axisLatency->setTitleText(tr("ms"));
    m_axisLatency->setLabelFormat(QStringLiteral("%.3g"));
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisRate, Qt::AlignLeft);
    chart->addAxis(m_axisLatency, Qt::AlignRight);
    m_rate->attachAxis(m_axisX);
    m_rate->attachAxis(m_axisRate);
    m_latency->attachAxis(m_axisX);
    m_latency->attachAxis(m_axisLatency);
    m_axisX->setRange(0, kSparkWindowS);
    m_axisRate->setRange(0, 1);
    m_axisRate->setTickCount(3);
    m_axisLatency->setTickCount(3);
    m_axisLatency->setRange(0, 1);
    ChartStyle::apply(chart, palette(), font());
    m_rate->setColor(ChartStyle::seriesColor(0));
    m_latency->setColor(ChartStyle::seriesColor(1));
    m_spark = new QChartView(chart, sparkBox);
    m_spark->setObjectName(QStringLiteral("trafficSparkline"));
    m_spark->setRenderHint(QPainter::Antialiasing);
    m_spark->setMinimumHeight(165);
    m_spark->setMinimumWidth(260);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignTop);
    (new QVBoxLayout(sparkBox))->addWidget(m_spark);

    auto *tryBox = new QGroupBox(tr("Try it: deployed and offline"), content);
    m_tryInput = new QComboBox(tryBox);
    m_tryInput->setObjectName(QStringLiteral("tryItInput"));
    m_tryInput->addItems({tr("The package's input example"), tr("A row of its data set")});
    m_tryRow = new QSpinBox(tryBox);
    m_tryRow->setObjectName(QStringLiteral("tryItRow"));
    m_tryRow->setPrefix(tr("row "));
    m_tryRow->setRange(1, 1);
    m_tryRow->setEnabled(false);
    WheelGuard::install(m_tryInput);
    WheelGuard::install(m_tryRow);
    connect(m_tryInput, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_tryRow->setEnabled(index == 1);
        if (index == 1)
            updateTryRange();
    });
    auto *tryControls = new QHBoxLayout;
    tryControls->addWidget(new QLabel(tr("Send:"), tryBox));
    tryControls->addWidget(m_tryInput);
    tryControls->addWidget(m_tryRow);
    tryControls->addStretch(1);
    m_try = makeTable(tryBox, {tr("Row"), tr("True label"), tr("Deployed (version)"), tr("Deployed probabilities"), tr("Offline"),
                               tr("Offline probabilities"), tr("Same")},
                      QStringLiteral("tryItResults"));
    m_try->setMinimumHeight(70);
    m_try->resizeColumnsToContents(); // empty, its headers stay readable
    auto *tryLayout = new QVBoxLayout(tryBox);
    tryLayout->addLayout(tryControls);
    tryLayout->addWidget(m_try);

    auto *historyBox = new QGroupBox(tr("History (this project's deployments)"), content);
    m_history = makeTable(historyBox, {tr("When"), tr("Who"), tr("Action"), tr("Package"), tr("Canary"), tr("Detail"),
                                       tr("Override reason")},
                          QStringLiteral("deploymentHistory"));
    m_history->setMinimumHeight(80);
    m_history->resizeColumnsToContents();
    (new QVBoxLayout(historyBox))->addWidget(m_history);

    // The models beside the traffic, then Try it and the history, in splitters with small
    // minimums, so that a 1400x900 window (docks open) shows all four at once; the user can
    // give any of them more room.
    auto *top = new QSplitter(Qt::Horizontal, content);
    top->setObjectName(QStringLiteral("deploymentTopSplitter"));
    top->setChildrenCollapsible(false);
    top->addWidget(modelsBox);
    top->addWidget(sparkBox);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical, content);
    split->setObjectName(QStringLiteral("deploymentSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(top);
    split->addWidget(tryBox);
    split->addWidget(historyBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 3);
    for (QGroupBox *box : {modelsBox, sparkBox, tryBox, historyBox})
        box->layout()->setContentsMargins(4, 4, 4, 4);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(split);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addSpacing(16);
    header->addWidget(m_health);
    header->addSpacing(16);
    header->addWidget(m_version);
    header->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(m_message);
    outer->addLayout(header);
    outer->addWidget(m_toolBar);
    outer->addWidget(scroll, 1);

    auto add = [this](const QString &icon, const QString &text, const QString &name, auto slot) {
        QAction *a = m_toolBar->addAction(Icons::themed(icon), text);
        a->setObjectName(name);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    if (m_workbench)
        if (QAction *deploy = m_workbench->commandAction(QStringLiteral("deploy.deploy")))
            m_toolBar->addAction(deploy);
    add(QStringLiteral("go-up"), tr("Promote"), QStringLiteral("deployPromote"), [this] { promote(currentModel()); });
    add(QStringLiteral("edit-undo"), tr("Rollback"), QStringLiteral("deployRollback"), [this] { rollback(currentModel()); });
    add(QStringLiteral("view-split-left-right"), tr("Set Canary Share\u2026"), QStringLiteral("deployCanary"), [this] {
        const QString model = currentModel();
        bool ok = false;
        const int p = QInputDialog::getInt(this, tr("Canary Share"), tr("Share of %1's requests the canary gets (%):").arg(model),
                                           20, 0, 100, 5, &ok);
        if (ok)
            setCanaryShare(model, p);
    });
    add(QStringLiteral("media-playback-start"), tr("Try It"), QStringLiteral("deployTryIt"), [this] { tryIt(currentModel()); });
    add(QStringLiteral("view-refresh"), tr("Refresh"), QStringLiteral("deployRefresh"), [this] { refresh(); });

    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &DeploymentPane::pollMetrics);
    connect(&project, &Project::targetsChanged, this, &DeploymentPane::readHistory);
    readHistory();
    updateActions();
    refresh();
}

DeploymentPane::~DeploymentPane() = default;

void DeploymentPane::report(WorkbenchContext &workbench, const QString &targetName, const QString &text, MessageBar::Type type)
{
    if (Project *project = workbench.project(); project && workbench.documents())
        if (auto target = project->targets().find(targetName))
            if (auto *pane = qobject_cast<DeploymentPane *>(workbench.documents()->document({kTargetKind, target->id}))) {
                pane->m_message->showMessage(type == MessageBar::Type::Error ? text.toHtmlEscaped() : text, type);
                return;
            }
    if (type == MessageBar::Type::Error)
        workbench.showError(text);
    else
        workbench.showMessage(text, type);
}

QString DeploymentPane::currentModel() const
{
    const int row = m_models->currentRow();
    if (row >= 0 && m_models->item(row, 0))
        return m_models->item(row, 0)->text();
    if (m_lastModels.size() == 1)
        return m_lastModels.first().toObject().value(QStringLiteral("name")).toString();
    return {};
}

QString DeploymentPane::activeVersion(const QString &model) const
{
    for (int r = 0; r < m_models->rowCount(); ++r)
        if (m_models->item(r, 0)->text() == model && m_models->item(r, 2)->text() == QLatin1String("active"))
            return m_models->item(r, 1)->text();
    return {};
}

void DeploymentPane::updateActions()
{
    const bool model = !currentModel().isEmpty();
    for (const char *name : {"deployPromote", "deployRollback", "deployCanary", "deployTryIt"})
        if (auto *a = m_toolBar->findChild<QAction *>(QLatin1String(name)))
            a->setEnabled(model && !busy());
    if (m_tryInput->currentIndex() == 1)
        updateTryRange();
}

std::optional<qint64> DeploymentPane::tryInput() const
{
    if (m_tryInput->currentIndex() != 1)
        return std::nullopt;
    return qint64(m_tryRow->value()) - 1;
}

void DeploymentPane::setTryInput(std::optional<qint64> datasetRow)
{
    m_tryInput->setCurrentIndex(datasetRow ? 1 : 0);
    if (datasetRow) {
        updateTryRange();
        m_tryRow->setValue(int(std::clamp<qint64>(*datasetRow + 1, 1, m_tryRow->maximum()))); // as the spin box would
    }
}

qint64 DeploymentPane::newestPackage(const QString &model) const
{
    if (!m_project || model.isEmpty())
        return 0;
    auto packages = m_project->packages().list();
    if (!packages)
        return 0;
    qint64 id = 0;
    for (const PackageRecord &p : std::as_const(*packages))
        if (p.name == model)
            id = p.id; // listed by version: the last is the newest
    return id;
}

void DeploymentPane::updateTryRange()
{
    const QString model = currentModel();
    const qint64 packageId = newestPackage(model);
    if (!packageId)
        return;
    auto record = m_project->packages().get(packageId);
    if (!record)
        return m_message->showMessage(tr("Cannot read package %1 of %2: %3").arg(packageId).arg(model, record.error()),
                                      MessageBar::Type::Error);
    auto manifest = PackageManifest::fromJson(record->manifestJson, tr("package %1:%2").arg(record->name, record->version));
    if (!manifest)
        return m_message->showMessage(manifest.error(), MessageBar::Type::Error);
    auto dataset = m_project->datasets().get(manifest->lineage.datasetId);
    if (!dataset) {
        m_tryRow->setToolTip(tr("The data set of %1 (%2) is not in this project: %3")
                                 .arg(manifest->reference(), manifest->lineage.datasetName, dataset.error()));
        return;
    }
    m_tryRow->setMaximum(int(std::max<qint64>(1, dataset->rowCount)));
    m_tryRow->setToolTip(tr("A row of data set %1 (%2 rows), sent as it was imported").arg(dataset->name).arg(dataset->rowCount));
}

void DeploymentPane::refresh()
{
    if (!m_project)
        return;
    auto target = m_project->targets().get(m_id);
    if (!target) {
        m_message->showMessage(tr("Cannot read target %1: %2").arg(m_name, target.error()), MessageBar::Type::Error);
        return;
    }
    ++m_pending;
    updateActions();
    runAgentCall<Snapshot>(
        this,
        [t = *target] {
            Snapshot s;
            auto client = clientOf(t, 5000);
            if (!client) {
                s.health = client.failure();
                return s;
            }
            s.health = client->health();
            if (!s.health)
                return s; // unreachable: asking more would only wait again
            s.server = client->server();
            s.models = client->models();
            return s;
        },
        [this](Snapshot s) {
            --m_pending;
            showSnapshot(s);
            updateActions();
            Q_EMIT refreshed();
        });
}

void DeploymentPane::showSnapshot(const Snapshot &s)
{
    QStringList errors;
    // The failure of the action this refresh follows stays in view beside what the refresh found.
    if (!m_actionError.isEmpty())
        errors << std::exchange(m_actionError, QString());
    if (!s.health) {
        m_health->setText(tr("<span style='color:#c0392b'>\u25cf unreachable</span>"));
        if (m_healthBook)
            m_healthBook->setBadge(m_id, QStringLiteral("unreachable"));
        errors << tr("Target %1 did not answer: %2. Check that its agent runs and the URL is right, then Refresh.")
                      .arg(m_name, s.health.error());
        m_version->clear();
    } else {
        const bool ready = s.health->ready;
        m_health->setText(ready ? tr("<span style='color:#27ae60'>\u25cf live, ready</span>")
                                : tr("<span style='color:#e67e22'>\u25cf %1, not ready</span>")
                                      .arg(s.health->live ? tr("live") : tr("not live")));
        if (m_healthBook)
            m_healthBook->setBadge(m_id, ready ? QStringLiteral("ready") : QStringLiteral("live, not ready"));
        if (s.server)
            m_version->setText(tr("agent %1 %2").arg(s.server->value(QStringLiteral("name")).toString(),
                                                     s.server->value(QStringLiteral("version")).toString()));
        else
            errors << tr("Cannot read the agent's version: %1").arg(s.server.error());
    }
    if (s.health && !s.models) {
        errors << tr("Cannot list the models of %1: %2").arg(m_name, s.models.error());
    } else if (s.health) {
        m_lastModels = *s.models;
        const QString selected = currentModel();
        m_models->setRowCount(0);
        for (const QJsonValue &mv : std::as_const(m_lastModels)) {
            const QJsonObject m = mv.toObject();
            const QString name = m.value(QStringLiteral("name")).toString();
            const QJsonObject canary = m.value(QStringLiteral("canary")).toObject();
            const int percent = canary.isEmpty() ? 0 : canary.value(QStringLiteral("percent")).toInt();
            for (const QJsonValue &vv : m.value(QStringLiteral("versions")).toArray()) {
                const QJsonObject ver = vv.toObject();
                const QString state = ver.value(QStringLiteral("state")).toString();
                QString share;
                if (state == QLatin1String("active"))
                    share = tr("%1 %").arg(100 - percent);
                else if (state == QLatin1String("canary"))
                    share = tr("%1 %").arg(percent);
                const int row = m_models->rowCount();
                m_models->insertRow(row);
                setRow(m_models, row,
                       {name, ver.value(QStringLiteral("version")).toString(), state, share,
                        ver.value(QStringLiteral("deployed_by")).toString(),
                        tr("%1 ms").arg(Format::metric(ver.value(QStringLiteral("load_ms")).toDouble())),
                        ver.value(QStringLiteral("signed_by")).toString()});
                if (state == QLatin1String("active"))
                    m_models->item(row, 2)->setIcon(Icons::themed(QStringLiteral("emblem-default")));
                if (name == selected && state == QLatin1String("active"))
                    m_models->selectRow(row);
            }
        }
        m_models->resizeColumnsToContents();
    }
    if (!errors.isEmpty())
        m_message->showMessage(errors.join(QLatin1Char('\n')), MessageBar::Type::Error);
}

void DeploymentPane::readHistory()
{
    if (!m_project)
        return;
    auto list = m_project->deployments().list(m_id);
    if (!list) {
        m_message->showMessage(tr("Cannot read the deployment history of %1: %2").arg(m_name, list.error()),
                               MessageBar::Type::Error);
        return;
    }
    m_history->setRowCount(0);
    for (const DeploymentRecord &d : std::as_const(*list)) {
        const int row = m_history->rowCount();
        m_history->insertRow(row);
        setRow(m_history, row,
               {Format::dateTime(d.at.toLocalTime()), d.by, deploymentActionName(d.action),
                d.model + QLatin1Char(':') + d.version,
                d.action == DeploymentAction::Deploy || d.action == DeploymentAction::Canary
                    ? (d.canaryPercent ? tr("%1 %").arg(d.canaryPercent) : QString())
                    : QString(),
                d.detail, d.overrideReason});
        if (d.action == DeploymentAction::Refused)
            m_history->item(row, 2)->setIcon(Icons::themed(QStringLiteral("dialog-error")));
    }
    m_history->resizeColumnsToContents();
}

void DeploymentPane::management(const QString &what, std::function<Result<QJsonObject>()> call)
{
    ++m_pending;
    updateActions();
    runAgentCall<Result<QJsonObject>>(this, std::move(call), [this, what](Result<QJsonObject> r) {
        --m_pending;
        if (!r) {
            m_actionError = tr("%1 failed: %2").arg(what, r.error());
            m_message->showMessage(m_actionError, MessageBar::Type::Error);
        } else
            m_message->showMessage(tr("%1: done.").arg(what), MessageBar::Type::Positive);
        if (m_project)
            m_project->refresh(); // the worker's row of the history
        readHistory();
        refresh();
    });
}

void DeploymentPane::promote(const QString &model)
{
    if (model.isEmpty())
        return;
    management(tr("Promote of %1 on %2").arg(model, m_name), [path = m_projectPath, target = m_name, model]() -> Result<QJsonObject> {
        auto db = WorkerConnection::open(path, WorkerConnection::Access::Write);
        if (!db)
            return db.failure();
        return DeployJob::promote(*db, target, model);
    });
}

void DeploymentPane::rollback(const QString &model)
{
    if (model.isEmpty())
        return;
    management(tr("Rollback of %1 on %2").arg(model, m_name), [path = m_projectPath, target = m_name, model]() -> Result<QJsonObject> {
        auto db = WorkerConnection::open(path, WorkerConnection::Access::Write);
        if (!db)
            return db.failure();
        return DeployJob::rollback(*db, target, model);
    });
}

void DeploymentPane::setCanaryShare(const QString &model, int percent)
{
    if (model.isEmpty())
        return;
    // The canary is the model's canary version, else its newest standby one.
    QString version;
    for (const QJsonValue &mv : std::as_const(m_lastModels)) {
        const QJsonObject m = mv.toObject();
        if (m.value(QStringLiteral("name")).toString() != model)
            continue;
        version = m.value(QStringLiteral("canary")).toObject().value(QStringLiteral("version")).toString();
        if (version.isEmpty())
            for (const QJsonValue &vv : m.value(QStringLiteral("versions")).toArray())
                if (vv.toObject().value(QStringLiteral("state")).toString() == QLatin1String("standby"))
                    version = vv.toObject().value(QStringLiteral("version")).toString();
    }
    if (version.isEmpty()) {
        m_message->showMessage(tr("%1 on %2 has no canary or standby version to give a share: deploy a new version first.")
                                   .arg(model, m_name),
                               MessageBar::Type::Warning);
        return;
    }
    management(tr("Canary share of %1 %2 on %3").arg(model, version, m_name),
               [path = m_projectPath, target = m_name, model, version, percent]() -> Result<QJsonObject> {
                   auto db = WorkerConnection::open(path, WorkerConnection::Access::Write);
                   if (!db)
                       return db.failure();
                   return DeployJob::setCanary(*db, target, model, version, percent);
               });
}

void DeploymentPane::tryIt(const QString &model)
{
    if (!m_project || model.isEmpty())
        return;
    auto target = m_project->targets().get(m_id);
    auto packages = m_project->packages().list();
    if (!target || !packages) {
        m_message->showMessage(tr("Cannot try %1: %2").arg(model, !target ? target.error() : packages.error()),
                               MessageBar::Type::Error);
        return;
    }
    const qint64 packageId = newestPackage(model);
    const std::optional<qint64> datasetRow = tryInput();
    if (!packageId) {
        m_message->showMessage(tr("No package named %1 in this project: Try it sends a package's input example.").arg(model),
                               MessageBar::Type::Warning);
        return;
    }
    TorchRuntime::initialize();
    struct Answer {
        Status status;
        QStringList labels;
        InferenceEngine::Prediction offline;
        QJsonObject deployed;
        QStringList rowNames; // per row sent
        QStringList truths;   // per row sent; empty: the input example carries none
    };
    ++m_pending;
    updateActions();
    runAgentCall<std::shared_ptr<Answer>>(
        this,
        [path = m_projectPath, t = *target, packageId, model, datasetRow] {
            auto a = std::make_shared<Answer>();
            auto db = WorkerConnection::open(path, WorkerConnection::Access::Read);
            if (!db) {
                a->status = db.failure();
                return a;
            }
            auto sealed = PackageCatalog(*db).open(packageId);
            if (!sealed) {
                a->status = sealed.failure();
                return a;
            }
            auto engine = InferenceEngine::fromArchive(sealed->entry(QLatin1String(SealedPackage::kModelEntry)), model);
            if (!engine) {
                a->status = engine.failure();
                return a;
            }
            a->labels = engine->outputLabels();
            QJsonObject request = sealed->inputExample();
            if (datasetRow) {
                // One row of the run's data set, raw as imported, as a request carries it.
                const PackageManifest &m = sealed->manifest();
                auto dataset = DatasetCatalog(*db).load(m.lineage.datasetId);
                if (!dataset) {
                    a->status = dataset.failure().reworded(QStringLiteral("cannot read data set \"%1\" (id %2) of package %3: %4")
                                                               .arg(m.lineage.datasetName)
                                                               .arg(m.lineage.datasetId)
                                                               .arg(m.reference(), dataset.error()));
                    return a;
                }
                const DataTable &table = dataset->data.table;
                if (*datasetRow < 0 || *datasetRow >= table.rowCount()) {
                    a->status = invalidInput(QStringLiteral("data set \"%1\" has %2 rows: there is no row %3")
                                                 .arg(dataset->record.name)
                                                 .arg(table.rowCount())
                                                 .arg(*datasetRow + 1));
                    return a;
                }
                if (auto s = engine->preprocessing().checkTable(table); !s) {
                    a->status = s.failure().reworded(QStringLiteral("data set \"%1\" no longer matches package %2: %3")
                                                         .arg(dataset->record.name, m.reference(), s.error()));
                    return a;
                }
                const std::vector<float> raw = engine->rawRows(table, {*datasetRow});
                request = PackageBuilder::inferRequest(QStringLiteral("%1-row-%2").arg(model).arg(*datasetRow + 1), m.input.name,
                                                       raw, 1, engine->featureCount());
                const int targetColumn = table.columnIndex(engine->preprocessing().targetName());
                a->truths << (targetColumn >= 0 ? table.displayText(*datasetRow, targetColumn) : QString());
                const quint8 part = size_t(*datasetRow) < dataset->split.size() ? dataset->split[size_t(*datasetRow)] : quint8(255);
                a->rowNames << (part == 255 ? tr("row %1").arg(*datasetRow + 1)
                                            : tr("row %1 (%2)").arg(*datasetRow + 1).arg(splitName(part)));
            }
            auto rows = exampleRows(request);
            if (!rows) {
                a->status = rows.failure();
                return a;
            }
            auto offline = engine->predictRaw(rows->first, rows->second);
            if (!offline) {
                a->status = offline.failure();
                return a;
            }
            a->offline = *offline;
            auto client = clientOf(t, 30000);
            if (!client) {
                a->status = client.failure();
                return a;
            }
            auto answer = client->infer(model, request);
            if (!answer) {
                a->status = answer.failure();
                return a;
            }
            a->deployed = *answer;
            return a;
        },
        [this, model](std::shared_ptr<Answer> a) {
            --m_pending;
            updateActions();
            m_try->setRowCount(0);
            if (!a->status) {
                m_message->showMessage(tr("Try it on %1 failed: %2").arg(model, a->status.error()), MessageBar::Type::Error);
                Q_EMIT triedIt();
                return;
            }
            QJsonArray labels, probabilities;
            for (const QJsonValue &o : a->deployed.value(QStringLiteral("outputs")).toArray()) {
                const QJsonObject out = o.toObject();
                if (out.value(QStringLiteral("name")).toString() == QLatin1String("label"))
                    labels = out.value(QStringLiteral("data")).toArray();
                else if (out.value(QStringLiteral("name")).toString() == QLatin1String("probabilities"))
                    probabilities = out.value(QStringLiteral("data")).toArray();
            }
            const QString version = a->deployed.value(QStringLiteral("model_version")).toString();
            const qint64 width = a->offline.probabilities.empty() ? 0 : a->offline.width;
            for (qint64 r = 0; r < a->offline.rows; ++r) {
                QJsonArray deployedP;
                for (qint64 c = 0; c < width; ++c)
                    deployedP.append(probabilities.at(r * width + c));
                QJsonArray offlineP;
                for (qint64 c = 0; c < width; ++c)
                    offlineP.append(double(a->offline.probabilities[size_t(r * width + c)]));
                const QString offlineLabel = a->offline.classes.empty()
                                                 ? Format::metric(a->offline.outputs[size_t(r)])
                                                 : a->labels.value(qsizetype(a->offline.classes[size_t(r)]));
                const QString deployedLabel = labels.at(r).toString();
                const int row = m_try->rowCount();
                m_try->insertRow(row);
                setRow(m_try, row,
                       {a->rowNames.value(r, tr("example %1").arg(r + 1)), a->truths.value(r), tr("%1 (%2)").arg(deployedLabel, version),
                        probabilitiesText(deployedP, a->labels), offlineLabel, probabilitiesText(offlineP, a->labels),
                        deployedLabel == offlineLabel ? tr("yes") : tr("no")});
            }
            m_try->resizeColumnsToContents();
            Q_EMIT triedIt();
        });
}

void DeploymentPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_poll->start();
    pollMetrics();
}

void DeploymentPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_poll->stop();
}

void DeploymentPane::pollMetrics()
{
    if (m_polling || !m_project)
        return; // the previous scrape is still waiting: a slow agent gets no pile of requests
    auto target = m_project->targets().get(m_id);
    if (!target)
        return;
    m_polling = true;
    runAgentCall<Result<QByteArray>>(
        this,
        [t = *target]() -> Result<QByteArray> {
            auto client = clientOf(t, 1800);
            if (!client)
                return client.failure();
            return client->metricsText();
        },
        [this](Result<QByteArray> text) {
            m_polling = false;
            if (!text) {
                m_lastScrape.reset();
                return addSparkPoint(std::nullopt, std::nullopt);
            }
            auto totals = totalsOf(*text, tr("%1/metrics").arg(m_name));
            if (!totals) {
                m_message->showMessage(tr("Cannot read the metrics of %1: %2").arg(m_name, totals.error()),
                                       MessageBar::Type::Error);
                m_lastScrape.reset();
                return addSparkPoint(std::nullopt, std::nullopt);
            }
            const QDateTime now = QDateTime::currentDateTimeUtc();
            std::optional<double> rate, p50;
            if (m_lastScrape) {
                const double dt = m_lastScrape->at.msecsTo(now) / 1000.0;
                if (dt > 0)
                    rate = std::max(0.0, totals->requests - m_lastScrape->requests) / dt;
                if (auto m = medianSeconds(m_lastScrape->buckets, totals->buckets))
                    p50 = *m * 1000.0;
            }
            m_lastScrape = Scrape{now, totals->requests, totals->buckets};
            if (rate || p50)
                addSparkPoint(rate, p50);
        });
}

void DeploymentPane::addSparkPoint(std::optional<double> rate, std::optional<double> p50Ms)
{
    ++m_points;
    const double x = m_started.msecsTo(QDateTime::currentDateTimeUtc()) / 1000.0;
    QChart *chart = m_spark->chart();
    // A gap ends the current segments: the next point starts new series of the same colours.
    auto append = [&](QLineSeries *&series, std::optional<double> y, QValueAxis *axis, int colour) {
        if (!y) {
            if (series->count() > 0) {
                auto *next = new QLineSeries;
                next->setColor(ChartStyle::seriesColor(colour));
                chart->addSeries(next);
                next->attachAxis(m_axisX);
                next->attachAxis(axis);
                series = next;
                if (chart->legend()->markers(next).size())
                    chart->legend()->markers(next).first()->setVisible(false);
            }
            return;
        }
        series->append(x, *y);
        if (*y > axis->max())
            axis->setMax(std::ceil(*y * 1.2));
    };
    append(m_rate, rate, m_axisRate, 0);
    append(m_latency, p50Ms, m_axisLatency, 1);
    if (x > kSparkWindowS)
        m_axisX->setRange(x - kSparkWindowS, x);
}

} // namespace mlwb
