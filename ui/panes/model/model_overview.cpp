// SPDX-License-Identifier: MIT
#include "panes/model/model_overview.h"

#include "store/project.h"
#include "common/format.h"
#include "widgets/icons.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
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
    t->verticalHeader()->hide();
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}
} // namespace

ModelOverview::ModelOverview(Project &project, qint64 modelId, QWidget *parent)
    : QWidget(parent)
    , m_project(&project)
    , m_id(modelId)
    , m_header(new QLabel(this))
    , m_versions(table({tr("Version"), tr("Created"), tr("Layer spec")}, this))
    , m_spec(new QPlainTextEdit(this))
    , m_runs(table({tr("Run"), tr("Status"), tr("Version"), tr("Created"), tr("Summary")}, this))
{
    setObjectName(QStringLiteral("ModelOverview"));
    auto *layout = new QVBoxLayout(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    auto *split = new QSplitter(Qt::Vertical, this);
    auto *top = new QSplitter(Qt::Horizontal, split);
    top->addWidget(m_versions);
    m_spec->setReadOnly(true);
    m_spec->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_spec->setPlaceholderText(tr("No layer spec (an imported TorchScript model)."));
    top->addWidget(m_spec);
    split->addWidget(top);
    split->addWidget(m_runs);
    layout->addWidget(split, 1);
    connect(&project, &Project::modelsChanged, this, &ModelOverview::reload);
    connect(&project, &Project::runsChanged, this, &ModelOverview::reload);
    reload();
}

void ModelOverview::reload()
{
    if (!m_project)
        return;
    auto m = m_project->models().get(m_id);
    if (!m)
        return;
    m_header->setText(tr("<h2 style='margin:0'>%1</h2>%2 \u00b7 created %3%4")
                          .arg(m->name.toHtmlEscaped(),
                               m->kind == ModelKind::TorchScript ? tr("imported TorchScript")
                                                                       : tr("layer spec"),
                               Format::dateTime(m->createdAt),
                               m->description.isEmpty()
                                   ? QString()
                                   : QStringLiteral("<br>") + m->description.toHtmlEscaped()));
    auto versions = m_project->models().versions(m_id);
    m_versions->setRowCount(versions ? int(versions->size()) : 0);
    if (versions) {
        for (int r = 0; r < versions->size(); ++r) {
            const ModelVersionRecord &v = versions->at(r);
            m_versions->setItem(r, 0, new QTableWidgetItem(QString::number(v.version)));
            m_versions->setItem(r, 1, new QTableWidgetItem(Format::dateTime(v.createdAt)));
            m_versions->setItem(r, 2, new QTableWidgetItem(Format::bytes(v.specJson.size())));
        }
        QByteArray spec;
        if (!versions->isEmpty())
            spec = versions->last().specJson;
        const QJsonDocument doc = QJsonDocument::fromJson(spec);
        m_spec->setPlainText(doc.isNull() ? QString::fromUtf8(spec)
                                          : QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
    }
    m_versions->resizeColumnsToContents();

    auto runs = m_project->runs().list(m_id);
    m_runs->setRowCount(runs ? int(runs->size()) : 0);
    if (runs) {
        for (int r = 0; r < runs->size(); ++r) {
            const RunRecord &run = runs->at(r);
            QStringList summary;
            for (auto it = run.summary.constBegin(); it != run.summary.constEnd(); ++it)
                if (it.value().isDouble())
                    summary << QStringLiteral("%1 %2").arg(it.key(),
                                                           Format::metric(it.value().toDouble()));
            m_runs->setItem(
                r, 0,
                new QTableWidgetItem(Format::runName(run.name, run.id)));
            m_runs->setItem(
                r, 1,
                new QTableWidgetItem(Icons::runStatus(run.status), runStatusName(run.status)));
            m_runs->setItem(r, 2, new QTableWidgetItem(QString::number(run.modelVersion)));
            m_runs->setItem(r, 3, new QTableWidgetItem(Format::dateTime(run.createdAt)));
            m_runs->setItem(r, 4, new QTableWidgetItem(summary.join(QStringLiteral(", "))));
        }
    }
    m_runs->resizeColumnsToContents();
    m_runs->horizontalHeader()->setStretchLastSection(true);
}

} // namespace mlwb
