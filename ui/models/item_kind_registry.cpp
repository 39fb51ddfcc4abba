// SPDX-License-Identifier: MIT
#include "models/item_kind_registry.h"

namespace mlwb {

void ItemKindRegistry::registerKind(ItemKind kind, Kind info)
{
    m_kinds.insert(kind, std::move(info));
}

void ItemKindRegistry::setDocumentFactory(ItemKind kind, DocumentFactory factory)
{
    auto it = m_kinds.find(kind);
    if (it != m_kinds.end())
        it->document = std::move(factory);
}

const ItemKindRegistry::Kind *ItemKindRegistry::kind(ItemKind kind) const
{
    auto it = m_kinds.constFind(kind);
    return it == m_kinds.cend() ? nullptr : &*it;
}

Result<ItemRef> ItemKindRegistry::find(Project &project, const QString &kindAndName) const
{
    const qsizetype colon = kindAndName.indexOf(u':');
    if (colon <= 0)
        return invalidInput(QStringLiteral("\"%1\" is not kind:name (kinds: %2)")
                                .arg(kindAndName, keywords().join(QStringLiteral(", "))));
    const QString keyword = kindAndName.left(colon);
    const QString name = kindAndName.mid(colon + 1);
    for (auto it = m_kinds.cbegin(); it != m_kinds.cend(); ++it) {
        if (it.key().name() != keyword || !it->lookup)
            continue;
        auto id = it->lookup(project, name);
        if (!id)
            return id.failure();
        return ItemRef{it.key(), *id};
    }
    return invalidInput(QStringLiteral("unknown kind \"%1\" (kinds: %2)")
                            .arg(keyword, keywords().join(QStringLiteral(", "))));
}

bool ItemKindRegistry::concerns(const ItemRef &ref, const QString &aggregate,
                                const QList<qint64> &ids) const
{
    const Kind *info = kind(ref.kind);
    if (!info || !info->changes.contains(aggregate))
        return false;
    if (info->changes.first() != aggregate || ids.isEmpty())
        return true;
    return ids.contains(ref.id);
}

QStringList ItemKindRegistry::keywords() const
{
    QStringList out;
    for (auto it = m_kinds.cbegin(); it != m_kinds.cend(); ++it)
        if (it->lookup)
            out << it.key().name();
    out.sort();
    return out;
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
