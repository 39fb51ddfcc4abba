// SPDX-License-Identifier: MIT
#pragma once

// Small helpers shared by the repositories (not part of the public API).

#include "common/result.h"

#include <QDateTime>

namespace mlwb {

class Database;

inline double toSeconds(const QDateTime &t)
{
    return t.isValid() ? double(t.toMSecsSinceEpoch()) / 1000.0 : 0.0;
}

inline QDateTime fromSeconds(double s)
{
    return s > 0 ? QDateTime::fromMSecsSinceEpoch(qint64(s * 1000.0)) : QDateTime();
}

inline double nowSeconds() { return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0; }

// Runs "... WHERE id = ?1" with an optional text ?2; fails when no row matched or on a clash
// with a unique name.
Status execChecked(Database &db, const QString &sql, qint64 id, const QString &text,
                   const QString &noun);

} // namespace mlwb
