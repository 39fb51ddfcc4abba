// SPDX-License-Identifier: MIT
#include "store/target_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"

#include <QRegularExpression>
#include <QUrl>

#include <functional>

namespace mlwb {

namespace {

Result<QList<TargetRecord>> selectTargets(Database &db, const QString &where,
                                          const std::function<void(Statement &)> &bind)
{
    auto st = db.prepare(QStringLiteral("SELECT id, name, url, coalesce(ca_cert, ''), created_at, created_by "
                                        "FROM target %1 ORDER BY name")
                             .arg(where));
    if (!st)
        return st.failure();
    bind(*st);
    QList<TargetRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        TargetRecord r;
        r.id = st->columnInt(0);
        r.name = st->columnText(1);
        r.url = st->columnText(2);
        r.caCert = st->columnText(3);
        r.createdAt = fromSeconds(st->columnDouble(4));
        r.createdBy = st->columnText(5);
        out << r;
    }
    return out;
}

Result<TargetRecord> selectOne(Database &db, const QString &where, const std::function<void(Statement &)> &bind,
                               const QString &missing)
{
    auto rows = selectTargets(db, where, bind);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(missing);
    return rows->first();
}

} // namespace

Result<qint64> TargetRepository::add(const TargetRecord &r)
{
    const QString name = r.name.trimmed();
    if (name.isEmpty())
        return invalidInput(QStringLiteral("a target needs a name"));
    // Its name also names the user's token file for it (deploy/token_store.h).
    static const QRegularExpression fileName(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$"));
    if (!fileName.match(name).hasMatch())
        return invalidInput(QStringLiteral("\"%1\" cannot name a target: use letters, digits, '.', '_' and '-' "
                                           "(not first), at most 100")
                                .arg(name));
    const QUrl url(r.url, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return invalidInput(
            QStringLiteral("target %1: \"%2\" is not an http:// or https:// URL of an agent").arg(name, r.url));
    if (!r.caCert.isEmpty() && !r.caCert.contains(QStringLiteral("-----BEGIN CERTIFICATE-----")))
        return invalidInput(QStringLiteral("target %1: the CA certificate is not PEM (no BEGIN CERTIFICATE line)").arg(name));
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO target(name, url, ca_cert, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)"));
    if (!st)
        return st.failure();
    st->bind(1, name).bind(2, r.url);
    if (r.caCert.isEmpty())
        st->bindNull(3);
    else
        st->bind(3, r.caCert);
    st->bind(4, r.createdAt.isValid() ? toSeconds(r.createdAt) : nowSeconds()).bind(5, r.createdBy);
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("UNIQUE")))
            return conflict(QStringLiteral("target %1 already exists in this project").arg(name));
        return s.failure().reworded(QStringLiteral("adding target %1: %2").arg(name, s.error()));
    }
    return m_db.lastInsertId();
}

Result<TargetRecord> TargetRepository::get(qint64 id)
{
    return selectOne(
        m_db, QStringLiteral("WHERE id = ?1"), [id](Statement &st) { st.bind(1, id); },
        QStringLiteral("no target with id %1").arg(id));
}

Result<TargetRecord> TargetRepository::find(const QString &name)
{
    return selectOne(
        m_db, QStringLiteral("WHERE name = ?1"), [&](Statement &st) { st.bind(1, name); },
        QStringLiteral("no target %1 in this project (see mlwb target list FILE)").arg(name));
}

Result<QList<TargetRecord>> TargetRepository::list()
{
    return selectTargets(m_db, QString(), [](Statement &) {});
}

Status TargetRepository::setUrl(qint64 id, const QString &url)
{
    if (!url.startsWith(QStringLiteral("http://")) && !url.startsWith(QStringLiteral("https://")))
        return invalidInput(QStringLiteral("target %1: the URL \"%2\" is not http:// or https://").arg(id).arg(url));
    auto st = m_db.prepare(QStringLiteral("UPDATE target SET url = ?2 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, url);
    if (auto s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("changing the URL of target %1: %2").arg(id).arg(s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no target with id %1").arg(id));
    return {};
}

Status TargetRepository::remove(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("DELETE FROM target WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id);
    if (auto s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("removing target %1: %2").arg(id).arg(s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no target with id %1").arg(id));
    return {};
}

} // namespace mlwb
