// SPDX-License-Identifier: MIT
#pragma once

// ItemRef: names one thing in the project (a dataset, a model, a run, ...) across views,
// commands and documents. A later area adds its kind to ItemKind and registers it with the
// ItemKindRegistry; nothing else needs to know it.

#include <QHashFunctions>
#include <QMetaType>
#include <QtGlobal>

namespace mlwb {

enum class ItemKind {
    None,
    Folder, // a branch heading in the explorer, not a project item
    Dataset,
    Model,
    Run,
    Sweep, // a hyperparameter sweep: its runs under a model in the explorer
};

struct ItemRef {
    ItemKind kind = ItemKind::None;
    qint64 id = 0;

    bool isValid() const { return kind != ItemKind::None && kind != ItemKind::Folder; }
    friend bool operator==(const ItemRef &a, const ItemRef &b)
    {
        return a.kind == b.kind && a.id == b.id;
    }
    friend bool operator!=(const ItemRef &a, const ItemRef &b) { return !(a == b); }
    friend size_t qHash(const ItemRef &r, size_t seed = 0)
    {
        return qHashMulti(seed, int(r.kind), r.id);
    }
};

} // namespace mlwb

Q_DECLARE_METATYPE(mlwb::ItemRef)
