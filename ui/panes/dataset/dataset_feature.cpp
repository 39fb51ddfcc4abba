// SPDX-License-Identifier: MIT
#include "panes/dataset/dataset_feature.h"

#include "commands/command_registry.h"
#include "common/format.h"
#include "mainwindow/workbench_context.h"
#include "models/datasets_branch.h"
#include "models/item_kind_registry.h"
#include "models/project_tree_model.h"
#include "panes/dataset/dataset_overview.h"
#include "panes/dataset/import_dataset_dialog.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUndoStack>

namespace mlwb {

namespace {

using text::tr;

Result<ItemDescription> describeDataset(Project &project, qint64 id)
{
    auto d = project.datasets().get(id);
    if (!d)
        return d.failure();
    ItemDescription out{d->name, tr("Data set"), {}};
    const QString g = tr("General");
    out.properties << ItemProperty::name(d->name) << ItemProperty::fact(g, tr("Type"), tr("Data set"))
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(d->createdAt))
                   << ItemProperty::fact(g, tr("Rows"), QString::number(d->rowCount))
                   << ItemProperty::fact(g, tr("Columns"), QString::number(d->columnCount))
                   << ItemProperty::fact(g, tr("Content hash"), Format::shortHash(d->contentHash),
                           tr("SHA-256 of the imported file: %1").arg(d->contentHash))
                   << ItemProperty::fact(g, tr("Source"), d->sourcePath, d->sourcePath);
    const QJsonObject schema = QJsonDocument::fromJson(d->schemaJson).object();
    const QString s = tr("Schema");
    if (schema.contains(QStringLiteral("task")))
        out.properties << ItemProperty::fact(s, tr("Task"), schema.value(QStringLiteral("task")).toString());
    if (schema.contains(QStringLiteral("target")))
        out.properties << ItemProperty::fact(s, tr("Target"), schema.value(QStringLiteral("target")).toString());
    const QJsonArray shape = schema.value(QStringLiteral("imageShape")).toArray();
    if (shape.size() == 3)
        out.properties << ItemProperty::fact(s, tr("Image shape"),
                               QStringLiteral("%1\u00d7%2\u00d7%3")
                                   .arg(shape.at(0).toInteger())
                                   .arg(shape.at(1).toInteger())
                                   .arg(shape.at(2).toInteger()),
                               tr("channels \u00d7 height \u00d7 width"));
    const QJsonArray classes = schema.value(QStringLiteral("classNames")).toArray();
    if (!classes.isEmpty()) {
        QStringList names;
        for (const QJsonValue &c : classes)
            names << c.toString();
        out.properties << ItemProperty::fact(s, tr("Classes"), QString::number(names.size()),
                               names.join(QStringLiteral(", ")));
    }
    return out;
}

} // namespace

void DatasetFeature::install(WorkbenchContext &workbench)
{
    ItemKindRegistry::Kind dataset;
    dataset.typeName = tr("Data set");
    dataset.table = QStringLiteral("dataset");
    dataset.icon = Icons::themed(QStringLiteral("table"));
    dataset.describe = describeDataset;
    dataset.rename = [](Project &p, qint64 id, const QString &name) { return p.datasets().rename(id, name); };
    dataset.remove = [](Project &p, qint64 id) { return p.datasets().remove(id); };
    dataset.document = [&workbench](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        auto *overview = new DatasetOverview(project, ref.id, parent);
        // Split changes go on the tab's own stack (the window's Undo while the tab is active).
        overview->setUndoStack(new QUndoStack(overview), workbench.commandContext());
        return overview;
    };
    dataset.changes = {Aggregate::Dataset, Aggregate::Run}; // the tab counts runs trained on it
    dataset.lookup = [](Project &p, const QString &name) -> Result<qint64> {
        auto d = p.datasets().byName(name);
        if (!d)
            return d.failure();
        return d->id;
    };
    workbench.itemKinds().registerKind(ItemKind::Dataset, dataset);
    workbench.projectTree()->addBranch(std::make_unique<DatasetsBranch>());

    Command import;
    import.id = QStringLiteral("dataset.import");
    import.text = tr("Import &Data Set\u2026");
    import.iconName = QStringLiteral("document-import");
    import.toolTip = tr("Import a CSV or TSV file as a data set");
    import.menu = tr("&File");
    import.menuGroup = QStringLiteral("import");
    import.toolBarGroup = QStringLiteral("import");
    import.dropSuffixes = {QStringLiteral("csv"), QStringLiteral("tsv")};
    import.firstStep = true;
    import.needsWritable = true;
    import.run = [](const CommandScope &scope) { ImportDatasetDialog::start(scope.workbench, scope.path); };
    workbench.commands().add(import);
}

} // namespace mlwb
