// SPDX-License-Identifier: MIT
#pragma once

// ItemRef: names one thing in the project (a dataset, a model, a run, ...) across views,
// commands, jobs and documents.
//
// ItemKind is an open set: a kind is its stable keyword ("run", also what `--open run:NAME`
// takes), so a later area defines its own kind next to its records,
//     inline constexpr ItemKind kPackageKind{"package"};
// and registers it with the ItemKindRegistry; nothing central changes.

#include <QHashFunctions>
#include <QLatin1StringView>
#include <QMetaType>
#include <QtGlobal>

#include <string_view>

namespace mlwb {

class ItemKind {
public:
    constexpr ItemKind() = default;
    // `keyword` must outlive every copy (a string literal): kinds are compared by its text.
    explicit constexpr ItemKind(const char *keyword) : m_keyword(keyword) {}

    constexpr std::string_view keyword() const { return m_keyword; }
    QLatin1StringView name() const { return QLatin1StringView(m_keyword.data(), qsizetype(m_keyword.size())); }

    friend constexpr bool operator==(ItemKind a, ItemKind b) { return a.m_keyword == b.m_keyword; }
    friend constexpr bool operator!=(ItemKind a, ItemKind b) { return !(a == b); }
    friend constexpr bool operator<(ItemKind a, ItemKind b) { return a.m_keyword < b.m_keyword; }
    friend size_t qHash(ItemKind k, size_t seed = 0) { return qHash(k.name(), seed); }

    // The kinds of the first half of the life cycle, and the two that are not project items.
    static const ItemKind None;   // no item
    static const ItemKind Folder; // a branch heading in the explorer
    static const ItemKind Dataset;
    static const ItemKind Model;
    static const ItemKind Run;
    static const ItemKind Sweep; // a hyperparameter sweep: its runs under a model in the explorer

private:
    std::string_view m_keyword;
};

inline constexpr ItemKind ItemKind::None{""};
inline constexpr ItemKind ItemKind::Folder{"folder"};
inline constexpr ItemKind ItemKind::Dataset{"dataset"};
inline constexpr ItemKind ItemKind::Model{"model"};
inline constexpr ItemKind ItemKind::Run{"run"};
inline constexpr ItemKind ItemKind::Sweep{"sweep"};

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
        return qHashMulti(seed, r.kind, r.id);
    }
};

} // namespace mlwb

Q_DECLARE_METATYPE(mlwb::ItemRef)
