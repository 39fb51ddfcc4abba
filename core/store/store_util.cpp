// SPDX-License-Identifier: MIT
#include "store/store_util.h"

#include "store/database.h"
#include "store/statement.h"

namespace mlwb {

Status execChecked(Database &db, const QString &sql, qint64 id, const QString &text,
                   const QString &noun)
{
    auto st = db.prepare(sql);
    if (!st)
        return st.failure();
    st->bind(1, id);
    if (!text.isNull())
        st->bind(2, text);
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("UNIQUE")))
            return conflict(QStringLiteral("a %1 named \"%2\" already exists").arg(noun, text));
        return s;
    }
    if (db.changes() == 0)
        return fail(QStringLiteral("no %1 with id %2").arg(noun).arg(id));
    return {};
}

} // namespace mlwb
