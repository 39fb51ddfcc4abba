// SPDX-License-Identifier: MIT
#include "models/item_kind_registry.h"

namespace mlwb {

void ItemKindRegistry::registerKind(ItemKind kind, Kind info)
{
    m_kinds.insert(int(kind), std::move(info));
}

void ItemKindRegistry::setDocumentFactory(ItemKind kind, DocumentFactory factory)
{
    auto it = m_kinds.find(int(kind));
    if (it != m_kinds.end())
        it->document = std::move(factory);
}

const ItemKindRegistry::Kind *ItemKindRegistry::kind(ItemKind kind) const
{
    auto it = m_kinds.constFind(int(kind));
    return it == m_kinds.cend() ? nullptr : &*it;
}

bool ItemKindRegistry::canRename(ItemKind k) const
{
    const Kind *info = kind(k);
    return info && info->rename;
}

bool ItemKindRegistry::canRemove(ItemKind k) const
{
    const Kind *info = kind(k);
    return info && info->remove && !info->table.isEmpty();
}

bool ItemKindRegistry::hasDocument(ItemKind k) const
{
    const Kind *info = kind(k);
    return info && info->document;
}

Result<ItemDescription> ItemKindRegistry::describe(Project &project, const ItemRef &ref) const
{
    const Kind *info = kind(ref.kind);
    if (!info || !info->describe)
        return fail(QStringLiteral("no description for this kind of item"));
    return info->describe(project, ref.id);
}

} // namespace mlwb
