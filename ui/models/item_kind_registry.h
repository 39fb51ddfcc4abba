// SPDX-License-Identifier: MIT
#pragma once

// ItemKindRegistry: what the workbench can do with each kind of project item. The explorer,
// the Inspector, the undo commands and the document area ask it; a later area registers its
// kind (packages, deployments, ...) or replaces a document factory (the run pane, the model
// builder) without touching them.

#include "common/item_ref.h"
#include "common/result.h"
#include "models/item_property.h"

#include <QIcon>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace mlwb {

class Project;

class ItemKindRegistry {
public:
    using Describe = std::function<Result<ItemDescription>(Project &, qint64 id)>;
    using Rename = std::function<Status(Project &, qint64 id, const QString &name)>;
    using Remove = std::function<Status(Project &, qint64 id)>;
    // Creates the document tab that shows one item (parent: the document area).
    using DocumentFactory = std::function<QWidget *(Project &, const ItemRef &, QWidget *parent)>;
    // Finds an item by what a user types after "kind:" (a name, or a run's number).
    using Lookup = std::function<Result<qint64>(Project &, const QString &text)>;

    struct Kind {
        QString typeName; // "Dataset"
        QString table;    // its row in the project file; undoing a delete restores it and
                          // everything that references it
        QIcon icon;
        Describe describe;        // required
        Rename rename;            // empty: cannot be renamed
        // The name as stored, when it differs from the shown one (a run without a name shows as
        // "run 3"): what undoing a rename restores. Empty: the shown name.
        std::function<Result<QString>(Project &, qint64 id)> storedName;
        Remove remove;            // empty: cannot be deleted
        DocumentFactory document; // empty: no document
        Lookup lookup;            // for --open KIND:NAME (the kind's keyword); empty: not openable so
        // The change aggregates (change_feed.h) that alter how an item of this kind shows: the
        // first is the kind's own (its ids are the item ids), the others are related (any change
        // there may matter). The Inspector and the document tabs follow these.
        QStringList changes;
    };

    void registerKind(ItemKind kind, Kind info);
    void setDocumentFactory(ItemKind kind, DocumentFactory factory);
    const Kind *kind(ItemKind kind) const;
    // "dataset:iris", "run:4": the item, or why there is none (unknown kind, no such item).
    Result<ItemRef> find(Project &project, const QString &kindAndName) const;
    // The keywords of the kinds that can be found by name, in alphabetical order.
    QStringList keywords() const;
    // Whether a change of `aggregate` (`ids`: the changed items, empty: any) concerns `ref`.
    bool concerns(const ItemRef &ref, const QString &aggregate, const QList<qint64> &ids) const;

    bool canRename(ItemKind kind) const;
    bool canRemove(ItemKind kind) const;
    bool hasDocument(ItemKind kind) const;
    Result<ItemDescription> describe(Project &project, const ItemRef &ref) const;

private:
    QMap<ItemKind, Kind> m_kinds;
};

} // namespace mlwb
