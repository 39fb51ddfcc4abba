// SPDX-License-Identifier: MIT
#include "panes/inspector/inspector_pane.h"

#include "models/item_kind_registry.h"
#include "models/property_tree_model.h"
#include "store/project.h"
#include "common/format.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace mlwb {

InspectorPane::InspectorPane(const ItemKindRegistry *kinds, QWidget *parent)
    : QWidget(parent)
    , m_kinds(kinds)
    , m_title(new QLabel(this))
    , m_view(new QTreeView(this))
    , m_model(new PropertyTreeModel(this))
{
    setObjectName(QStringLiteral("InspectorPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_title->setContentsMargins(8, 6, 8, 6);
    m_title->setTextFormat(Qt::PlainText);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    layout->addWidget(m_title);
    layout->addWidget(m_view);
    m_view->setObjectName(QStringLiteral("InspectorView"));
    m_view->setModel(m_model);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->header()->setSectionResizeMode(PropertyTreeModel::NameColumn,
                                           QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(true);
    connect(m_model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    connect(m_model, &PropertyTreeModel::editRequested, this,
            [this](const QString &key, const QVariant &value) {
                if (key == QLatin1String("name") && m_selection.size() == 1)
                    Q_EMIT renameRequested(m_selection.first(), value.toString());
            });
    showProject();
}

void InspectorPane::setProject(Project *project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    m_selection.clear();
    if (project) {
        // What the selected items' kinds subscribe to (ItemKindRegistry::Kind::changes); with
        // nothing selected the project's own facts, which include who has the file open.
        connect(project, &Project::changed, this,
                [this](const QString &aggregate, const QList<qint64> &ids) {
                    if (m_selection.isEmpty()) {
                        if (aggregate == Aggregate::Lease || aggregate == Aggregate::Dataset ||
                            aggregate == Aggregate::Model || aggregate == Aggregate::Run ||
                            aggregate == Aggregate::Sweep || aggregate == Aggregate::Package ||
                            aggregate == Aggregate::Target)
                            refresh();
                        return;
                    }
                    for (const ItemRef &ref : std::as_const(m_selection)) {
                        if (m_kinds && m_kinds->concerns(ref, aggregate, ids)) {
                            refresh();
                            return;
                        }
                    }
                });
    }
    refresh();
}

void InspectorPane::setSelection(const QList<ItemRef> &refs)
{
    m_selection = refs;
    refresh();
}

void InspectorPane::setEditable(bool editable)
{
    m_editable = editable;
    refresh();
}

void InspectorPane::refresh()
{
    if (!m_project || m_selection.isEmpty()) {
        showProject();
        return;
    }
    if (m_selection.size() > 1) {
        m_title->setText(tr("%1 items selected").arg(m_selection.size()));
        m_model->setProperties({});
        return;
    }
    auto d = m_kinds->describe(*m_project, m_selection.first());
    if (!d) {
        // Deleted meanwhile: the explorer will drop it from the selection.
        m_title->setText(tr("Nothing selected"));
        m_model->setProperties({});
        return;
    }
    m_title->setText(QStringLiteral("%1: %2").arg(d->typeName, d->name));
    QList<ItemProperty> props = d->properties;
    const bool canRename = m_editable && m_kinds->canRename(m_selection.first().kind);
    for (ItemProperty &p : props)
        p.editable = p.editable && canRename;
    m_model->setProperties(props);
}

void InspectorPane::showProject()
{
    if (!m_project) {
        m_title->setText(tr("No project open"));
        m_model->setProperties({});
        return;
    }
    m_title->setText(tr("Project: %1").arg(QFileInfo(m_project->path()).fileName()));
    const QString g = tr("Project");
    QList<ItemProperty> props;
    auto fact = [&props](const QString &group, const QString &label, const QString &value,
                         const QString &tip = {}) {
        props << ItemProperty::fact(group, label, value, tip);
    };
    fact(g, tr("Path"), m_project->path(), m_project->path());
    fact(g, tr("Access"), m_project->isReadOnly() ? tr("read-only") : tr("read-write"),
         m_project->readOnlyReason());
    fact(g, tr("Schema version"), QString::number(m_project->file().schemaVersion()));
    fact(g, tr("Journal"), m_project->file().journalMode());
    if (auto c = m_project->file().counts()) {
        const QString cg = tr("Contents");
        for (const ProjectCounts::Entry &e : c->entries)
            fact(cg, e.label, Format::count(e.count));
    }
    if (auto leases = m_project->leases()) {
        const QString lg = tr("Open by");
        for (const LeaseInfo &l : std::as_const(*leases))
            fact(lg, l.holder(),
                 tr("%1 (%2, pid %3)%4")
                     .arg(l.mode == QLatin1String("write") ? tr("writing") : tr("reading"),
                          l.program)
                     .arg(l.pid)
                     .arg(l.self ? tr(", this window") : QString()),
                 tr("since %1").arg(Format::dateTime(l.started)));
    }
    m_model->setProperties(props);
}

} // namespace mlwb
