// SPDX-License-Identifier: MIT
#include "panes/model/model_overview.h"

#include "common/format.h"
#include "model/model_spec.h"
#include "model/model_spec_diff.h"
#include "model/shape_inference.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/wheel_guard.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mlwb {

namespace {

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(parent);
    t->setColumnCount(int(headers.size()));
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->hide();
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem *cell(const QString &text)
{
    return new QTableWidgetItem(text);
}

QTableWidgetItem *number(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// "6 layers · 18,947 parameters", what a version's row says about its spec.
QString specSummary(const ModelVersionRecord &v)
{
    if (v.specJson.isEmpty())
        return ModelOverview::tr("imported TorchScript");
    auto spec = ModelSpec::fromJson(v.specJson);
    if (!spec)
        return ModelOverview::tr("unreadable layer spec: %1").arg(spec.error());
    const ShapeReport report = ShapeInference::infer(*spec);
    const int n = int(report.layers.size());
    const QString layers = n == 1 ? ModelOverview::tr("1 layer") : ModelOverview::tr("%n layers", nullptr, n);
    if (!report.ok())
        return ModelOverview::tr("%1 \u00b7 invalid: %2").arg(layers, report.error);
    return ModelOverview::tr("%1 \u00b7 %2 parameters \u00b7 output %3")
        .arg(layers, Format::count(report.totalParameters), ShapeInference::shapeText(report.output));
}

} // namespace

ModelOverview::ModelOverview(Project &project, qint64 modelId, QWidget *parent)
    : QWidget(parent)
    , m_project(&project)
    , m_id(modelId)
    , m_header(new QLabel(this))
    , m_versions(table({tr("Version"), tr("Created"), tr("Runs"), tr("Layers")}, this))
    , m_layersTitle(new QLabel(this))
    , m_compare(new QComboBox(this))
    , m_train(new QPushButton(Icons::themed(QStringLiteral("media-playback-start")),
                              tr("&Train This Version\u2026"), this))
    , m_restore(new QPushButton(Icons::themed(QStringLiteral("edit-undo")),
                                tr("&Restore as New Version"), this))
    , m_export(new QPushButton(Icons::themed(QStringLiteral("document-export")),
                               tr("&Export TorchScript\u2026"), this))
    , m_layers(table({}, this))
    , m_runs(table({tr("Run"), tr("Status"), tr("Version"), tr("Created"), tr("Summary")}, this))
{
    setObjectName(QStringLiteral("ModelOverview"));
    m_versions->setObjectName(QStringLiteral("versionsTable"));
    m_layers->setObjectName(QStringLiteral("versionLayers"));
    m_compare->setObjectName(QStringLiteral("compareVersion"));
    m_train->setObjectName(QStringLiteral("trainVersion"));
    m_restore->setObjectName(QStringLiteral("restoreVersion"));
    m_export->setObjectName(QStringLiteral("exportVersion"));
    m_runs->setObjectName(QStringLiteral("modelRuns"));
    m_layers->setSelectionMode(QAbstractItemView::NoSelection);
    WheelGuard::install(m_compare);
    m_train->setToolTip(tr("Train the selected version (the dialog opens with it chosen)"));
    m_restore->setToolTip(tr("Save the selected version's layers as the model's newest version"));

    auto *layout = new QVBoxLayout(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    // Top to bottom: the versions (a row each, wide enough for the spec summary), the selected
    // version's layers or the diff, the runs.
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_versions);

    auto *detail = new QWidget(split);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_layersTitle->setTextFormat(Qt::RichText);
    m_layersTitle->setWordWrap(true);
    detailLayout->addWidget(m_layersTitle);
    auto *compareLabel = new QLabel(tr("&Compare with:"), detail);
    compareLabel->setBuddy(m_compare);
    bar->addWidget(compareLabel);
    bar->addWidget(m_compare);
    bar->addStretch(1);
    bar->addWidget(m_train);
    bar->addWidget(m_restore);
    bar->addWidget(m_export);
    detailLayout->addLayout(bar);
    detailLayout->addWidget(m_layers, 1);
    split->addWidget(detail);
    split->addWidget(m_runs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 1);
    split->setSizes({150, 400, 150});
    layout->addWidget(split, 1);

    connect(m_versions, &QTableWidget::itemSelectionChanged, this, &ModelOverview::showSelected);
    connect(m_compare, &QComboBox::currentIndexChanged, this, &ModelOverview::showSelected);
    connect(m_train, &QPushButton::clicked, this, [this] {
        if (const ModelVersionRecord *v = versionRecord(selectedVersion()))
            Q_EMIT trainVersionRequested(v->id);
    });
    connect(m_restore, &QPushButton::clicked, this, [this] { restoreSelected(true); });
    connect(m_export, &QPushButton::clicked, this, [this] {
        if (const qint64 run = exportableRun(selectedVersion()))
            Q_EMIT exportRunRequested(run);
    });
    connect(&project, &Project::modelsChanged, this, &ModelOverview::reload);
    connect(&project, &Project::runsChanged, this, &ModelOverview::reload);
    connect(&project, &Project::readOnlyChanged, this, &ModelOverview::showSelected);
    reload();
}

const ModelVersionRecord *ModelOverview::versionRecord(int version) const
{
    for (const ModelVersionRecord &v : m_versionList)
        if (v.version == version)
            return &v;
    return nullptr;
}

int ModelOverview::selectedVersion() const
{
    const QList<QTableWidgetItem *> selected = m_versions->selectedItems();
    return selected.isEmpty() ? 0 : m_versions->item(selected.first()->row(), 0)->data(Qt::UserRole).toInt();
}

void ModelOverview::selectVersion(int version)
{
    for (int r = 0; r < m_versions->rowCount(); ++r)
        if (m_versions->item(r, 0)->data(Qt::UserRole).toInt() == version)
            m_versions->selectRow(r);
}

void ModelOverview::compareWith(int version)
{
    m_compare->setCurrentIndex(std::max(0, m_compare->findData(version)));
}

void ModelOverview::reload()
{
    if (!m_project)
        return;
    auto m = m_project->models().get(m_id);
    if (!m)
        return;
    m_torchScript = m->kind == ModelKind::TorchScript;
    m_header->setText(tr("<h2 style='margin:0'>%1</h2>%2 \u00b7 created %3%4")
                          .arg(m->name.toHtmlEscaped(),
                               m_torchScript ? tr("imported TorchScript") : tr("layer spec"),
                               Format::dateTime(m->createdAt),
                               m->description.isEmpty()
                                   ? QString()
                                   : QStringLiteral("<br>") + m->description.toHtmlEscaped()));
    auto runs = m_project->runs().list(m_id);
    QHash<int, int> runsOfVersion;
    m_finishedRunOfVersion.clear();
    if (runs) {
        for (const RunRecord &run : std::as_const(*runs)) {
            ++runsOfVersion[run.modelVersion];
            if (run.status == RunStatus::Finished && run.id > m_finishedRunOfVersion.value(run.modelVersion))
                m_finishedRunOfVersion.insert(run.modelVersion, run.id);
        }
    }

    // Keep the selection (and the comparison) over a reload; a new model shows its newest.
    const int wasSelected = selectedVersion();
    const int wasCompared = m_compare->currentData().toInt();
    auto versions = m_project->models().versions(m_id);
    m_versionList = versions ? *versions : QList<ModelVersionRecord>{};
    {
        const QSignalBlocker blockVersions(m_versions);
        const QSignalBlocker blockCompare(m_compare);
        m_versions->clearSelection();
        m_versions->setRowCount(int(m_versionList.size()));
        m_compare->clear();
        m_compare->addItem(tr("(none: show its layers)"), 0);
        // Newest first: it is the one looked at most.
        for (int r = 0; r < m_versionList.size(); ++r) {
            const ModelVersionRecord &v = m_versionList.at(m_versionList.size() - 1 - r);
            auto *first = number(QString::number(v.version));
            first->setData(Qt::UserRole, v.version);
            m_versions->setItem(r, 0, first);
            m_versions->setItem(r, 1, cell(Format::dateTime(v.createdAt)));
            m_versions->setItem(r, 2, number(QString::number(runsOfVersion.value(v.version))));
            m_versions->setItem(r, 3, cell(specSummary(v)));
            m_compare->addItem(tr("version %1").arg(v.version), v.version);
        }
        m_compare->setCurrentIndex(std::max(0, m_compare->findData(wasCompared)));
    }
    m_versions->resizeColumnsToContents();
    m_versions->horizontalHeader()->setStretchLastSection(true);
    if (!m_versionList.isEmpty())
        selectVersion(versionRecord(wasSelected) ? wasSelected : m_versionList.last().version);
    showSelected();

    m_runs->setRowCount(runs ? int(runs->size()) : 0);
    if (runs) {
        for (int r = 0; r < runs->size(); ++r) {
            const RunRecord &run = runs->at(r);
            QStringList summary;
            for (auto it = run.summary.constBegin(); it != run.summary.constEnd(); ++it)
                if (it.value().isDouble())
                    summary << QStringLiteral("%1 %2").arg(it.key(),
                                                           Format::metric(it.value().toDouble()));
            m_runs->setItem(r, 0, cell(Format::runName(run.name, run.id)));
            m_runs->setItem(
                r, 1,
                new QTableWidgetItem(Icons::runStatus(run.status), runStatusName(run.status)));
            m_runs->setItem(r, 2, number(QString::number(run.modelVersion)));
            m_runs->setItem(r, 3, cell(Format::dateTime(run.createdAt)));
            m_runs->setItem(r, 4, cell(summary.join(QStringLiteral(", "))));
        }
    }
    m_runs->resizeColumnsToContents();
    m_runs->horizontalHeader()->setStretchLastSection(true);
}

qint64 ModelOverview::exportableRun(int version) const
{
    return m_finishedRunOfVersion.value(version);
}

void ModelOverview::showSelected()
{
    const ModelVersionRecord *selected = versionRecord(selectedVersion());
    const bool writable = m_project && !m_project->isReadOnly();
    const bool newest = selected && !m_versionList.isEmpty()
        && selected->version == m_versionList.last().version;
    m_train->setEnabled(selected && writable);
    m_restore->setEnabled(selected && writable && !newest && !m_torchScript);
    m_restore->setToolTip(!selected          ? tr("Select a version first")
                          : m_torchScript    ? tr("An imported TorchScript model has no layers to restore")
                          : newest           ? tr("This is already the newest version")
                          : !writable        ? tr("The project is read-only")
                                             : tr("Save version %1's layers as the model's newest "
                                                  "version")
                                                   .arg(selected->version));
    m_compare->setEnabled(selected && !m_torchScript && m_versionList.size() > 1);
    const qint64 exportable = selected ? exportableRun(selected->version) : 0;
    m_export->setEnabled(exportable != 0);
    m_export->setToolTip(exportable
                             ? tr("Save the trained model of run %1, the newest finished run of "
                                  "this version, as a TorchScript file")
                                   .arg(exportable)
                             : tr("No run of this version has finished: there are no trained "
                                  "weights to export"));
    if (!selected) {
        m_layersTitle->setText(tr("<b>No version selected</b>"));
        m_layers->setColumnCount(0);
        m_layers->setRowCount(0);
        return;
    }
    const ModelVersionRecord *other = versionRecord(m_compare->currentData().toInt());
    if (other && other->version != selected->version && !m_torchScript)
        showDiff(*other, *selected);
    else
        showLayers(*selected);
}

void ModelOverview::showLayers(const ModelVersionRecord &version)
{
    m_layers->setRowCount(0);
    m_layers->setColumnCount(4);
    m_layers->setHorizontalHeaderLabels({tr("#"), tr("Layer"), tr("Output"), tr("Parameters")});
    if (version.specJson.isEmpty()) {
        m_layersTitle->setText(
            tr("<b>Version %1</b>: an imported TorchScript module (no layer list)").arg(version.version));
        return;
    }
    auto spec = ModelSpec::fromJson(version.specJson);
    if (!spec) {
        m_layersTitle->setText(tr("<b>Version %1</b>: %2")
                                   .arg(version.version)
                                   .arg(spec.error().toHtmlEscaped()));
        return;
    }
    const ShapeReport report = ShapeInference::infer(*spec);
    m_layersTitle->setText(tr("<b>Version %1</b>: input %2, %3")
                               .arg(version.version)
                               .arg(ShapeInference::shapeText(spec->inputShape),
                                    specSummary(version).toHtmlEscaped()));
    m_layers->setRowCount(int(report.layers.size()));
    for (int r = 0; r < int(report.layers.size()); ++r) {
        const LayerShape &l = report.layers[size_t(r)];
        QStringList path;
        for (int p : l.path)
            path << QString::number(p);
        m_layers->setItem(r, 0, number(path.join(QLatin1Char('.'))));
        // Residual bodies indented under their block.
        m_layers->setItem(r, 1, cell(QString(int(l.path.size() - 1) * 4, QLatin1Char(' ')) + l.label));
        m_layers->setItem(r, 2, cell(l.error.isEmpty() ? ShapeInference::shapeText(l.output) : l.error));
        m_layers->setItem(r, 3, number(Format::count(l.parameters)));
    }
    m_layers->resizeColumnsToContents();
    // Set again: the new last column stretches (the flag alone keeps the old layout).
    m_layers->horizontalHeader()->setStretchLastSection(false);
    m_layers->horizontalHeader()->setStretchLastSection(true);
}

void ModelOverview::showDiff(const ModelVersionRecord &from, const ModelVersionRecord &to)
{
    m_layers->setRowCount(0);
    m_layers->setColumnCount(4);
    m_layers->setHorizontalHeaderLabels({tr("Change"), tr("In %1").arg(from.version),
                                         tr("In %1").arg(to.version), tr("Settings changed")});
    auto a = ModelSpec::fromJson(from.specJson);
    auto b = ModelSpec::fromJson(to.specJson);
    if (!a || !b) {
        m_layersTitle->setText(tr("Cannot compare: %1").arg((a ? b.error() : a.error()).toHtmlEscaped()));
        return;
    }
    const std::vector<LayerChange> changes = ModelSpecDiff::compare(*a, *b);
    int changed = 0, added = 0, removed = 0;
    m_layers->setRowCount(int(changes.size()));
    for (int r = 0; r < int(changes.size()); ++r) {
        const LayerChange &c = changes[size_t(r)];
        QString kind;
        QColor tint;
        switch (c.kind) {
        case LayerChange::Kind::Same:
            kind = tr("same");
            break;
        case LayerChange::Kind::Changed:
            kind = tr("changed");
            tint = QColor(0xe6, 0x9f, 0x00);
            ++changed;
            break;
        case LayerChange::Kind::Added:
            kind = tr("added");
            tint = QColor(0x27, 0xae, 0x60);
            ++added;
            break;
        case LayerChange::Kind::Removed:
            kind = tr("removed");
            tint = QColor(0xc0, 0x39, 0x2b);
            ++removed;
            break;
        }
        auto *first = cell(kind);
        if (tint.isValid()) {
            tint.setAlpha(60);
            first->setBackground(tint);
        }
        m_layers->setItem(r, 0, first);
        m_layers->setItem(r, 1, cell(c.fromPath.isEmpty() ? QString() : c.fromPath + QLatin1Char(' ') + c.fromLabel));
        m_layers->setItem(r, 2, cell(c.toPath.isEmpty() ? QString() : c.toPath + QLatin1Char(' ') + c.toLabel));
        m_layers->setItem(r, 3, cell(c.settings.join(QStringLiteral(", "))));
    }
    QStringList parts;
    if (changed)
        parts << (changed == 1 ? tr("1 layer changed") : tr("%n layers changed", nullptr, changed));
    if (added)
        parts << tr("%n added", nullptr, added);
    if (removed)
        parts << tr("%n removed", nullptr, removed);
    if (a->inputShape != b->inputShape)
        parts << tr("input %1 \u2192 %2").arg(ShapeInference::shapeText(a->inputShape),
                                              ShapeInference::shapeText(b->inputShape));
    const ShapeReport ra = ShapeInference::infer(*a);
    const ShapeReport rb = ShapeInference::infer(*b);
    if (ra.ok() && rb.ok() && ra.totalParameters != rb.totalParameters)
        parts << tr("parameters %1 \u2192 %2").arg(Format::count(ra.totalParameters),
                                                   Format::count(rb.totalParameters));
    m_layersTitle->setText(tr("<b>Version %1 against version %2</b>: %3")
                               .arg(to.version)
                               .arg(from.version)
                               .arg(parts.isEmpty() ? tr("the same layers")
                                                    : parts.join(QStringLiteral(", ")).toHtmlEscaped()));
    m_layers->resizeColumnsToContents();
    // Set again: the new last column stretches (the flag alone keeps the old layout).
    m_layers->horizontalHeader()->setStretchLastSection(false);
    m_layers->horizontalHeader()->setStretchLastSection(true);
}

void ModelOverview::restoreSelected(bool ask)
{
    const ModelVersionRecord *v = versionRecord(selectedVersion());
    if (!v || !m_restore->isEnabled())
        return;
    const qint64 id = v->id;
    if (ask) {
        const int newest = m_versionList.last().version;
        const auto answer = QMessageBox::question(
            this, tr("Restore Version %1").arg(v->version),
            tr("Save the layers of version %1 as version %2, the model's newest? Versions 1 to %3 "
               "stay as they are.")
                .arg(v->version)
                .arg(newest + 1)
                .arg(newest),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer != QMessageBox::Yes)
            return;
    }
    Q_EMIT restoreVersionRequested(id);
}

} // namespace mlwb
