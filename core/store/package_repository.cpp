// SPDX-License-Identifier: MIT
#include "store/package_repository.h"

#include "common/semantic_version.h"
#include "common/sha256.h"
#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"
#include "store/transaction.h"

#include <QHash>
#include <QJsonDocument>

#include <algorithm>
#include <functional>

namespace mlwb {

namespace {

using Binder = std::function<void(Statement &)>;

QString label(const QString &name, const QString &version)
{
    return QStringLiteral("package %1 %2").arg(name, version);
}

QString sha256Hex(const QByteArray &data)
{
    Sha256 h;
    h.addData(data.constData(), data.size());
    return QString::fromLatin1(h.result().toHex());
}

// The archive's hash, computed; one the caller gives must be the same (it was taken from other
// bytes, e.g. before the archive was sealed again).
Result<QString> archiveHash(const QString &what, const QByteArray &archive, const QString &given)
{
    if (archive.isEmpty())
        return invalidInput(QStringLiteral("%1 has an empty archive").arg(what));
    const QString hash = sha256Hex(archive);
    if (!given.isEmpty() && given.compare(hash, Qt::CaseInsensitive) != 0)
        return invalidInput(QStringLiteral("%1: the archive's SHA-256 is %2, not %3 as given")
                                .arg(what, hash, given));
    return hash;
}

Status checkKeyId(const QString &what, const QString &keyId)
{
    if (keyId.isEmpty())
        return {};
    const bool hex =
        keyId.size() == 16 && std::all_of(keyId.begin(), keyId.end(), [](QChar c) {
            return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        });
    if (!hex)
        return invalidInput(
            QStringLiteral("%1: signer key id \"%2\" is not 16 hex digits").arg(what, keyId));
    return {};
}

QString checksText(const QJsonObject &checks)
{
    return QString::fromUtf8(QJsonDocument(checks).toJson(QJsonDocument::Compact));
}

// Name, then version by number; a stored version that is not MAJOR.MINOR.PATCH (written by
// hand) goes after the others of its name, by text.
bool listedBefore(const PackageRecord &a, const PackageRecord &b)
{
    if (a.name != b.name)
        return a.name < b.name;
    const auto va = SemanticVersion::parse(a.version);
    const auto vb = SemanticVersion::parse(b.version);
    if (va && vb)
        return *va < *vb;
    if (va.ok() != vb.ok())
        return va.ok();
    return a.version < b.version;
}

Result<QList<PackageOverrideRecord>> selectOverrides(Database &db, const QString &where,
                                                     const Binder &bind)
{
    auto st = db.prepare(
        QStringLiteral(
            "SELECT o.id, o.package_id, o.reason, o.author, o.created_at FROM package_override o "
            "JOIN package p ON p.id = o.package_id %1 ORDER BY o.id")
            .arg(where));
    if (!st)
        return st.failure();
    bind(*st);
    QList<PackageOverrideRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        PackageOverrideRecord r;
        r.id = st->columnInt(0);
        r.packageId = st->columnInt(1);
        r.reason = st->columnText(2);
        r.author = st->columnText(3);
        r.createdAt = fromSeconds(st->columnDouble(4));
        out << r;
    }
    return out;
}

// The packages matching `where` (on alias p), ordered for listing, each with its overrides.
Result<QList<PackageRecord>> selectPackages(Database &db, const QString &where, const Binder &bind,
                                            bool archives)
{
    auto st = db.prepare(
        QStringLiteral(
            "SELECT p.id, p.model_id, coalesce(p.run_id, 0), p.name, p.version, p.created_at, "
            "p.author, p.manifest_json, %1, length(p.archive), p.archive_sha256, p.key_id, "
            "p.state, p.checks_json, p.checked_at, m.name "
            "FROM package p JOIN model m ON m.id = p.model_id %2")
            .arg(archives ? QStringLiteral("p.archive") : QStringLiteral("NULL"), where));
    if (!st)
        return st.failure();
    bind(*st);
    QList<PackageRecord> out;
    QHash<qint64, qsizetype> index;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        PackageRecord r;
        r.id = st->columnInt(0);
        r.modelId = st->columnInt(1);
        r.runId = st->columnInt(2);
        r.name = st->columnText(3);
        r.version = st->columnText(4);
        r.createdAt = fromSeconds(st->columnDouble(5));
        r.author = st->columnText(6);
        r.manifestJson = st->columnText(7).toUtf8();
        r.archive = st->columnBlob(8);
        r.archiveBytes = st->columnInt(9);
        r.archiveSha256 = st->columnText(10);
        r.keyId = st->columnText(11);
        const auto state = packageStateFromName(st->columnText(12));
        if (!state)
            return corrupt(QStringLiteral("%1 has unknown state \"%2\"")
                               .arg(label(r.name, r.version), st->columnText(12)));
        r.state = *state;
        if (!st->columnIsNull(13)) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(st->columnText(13).toUtf8(), &error);
            if (!doc.isObject())
                return corrupt(
                    QStringLiteral("%1: the stored check report is not a JSON object: %2")
                        .arg(label(r.name, r.version), error.errorString()));
            r.checks = doc.object();
        }
        if (!st->columnIsNull(14))
            r.checkedAt = fromSeconds(st->columnDouble(14));
        r.modelName = st->columnText(15);
        out << r;
    }
    st = Statement();
    if (out.isEmpty())
        return out;
    std::stable_sort(out.begin(), out.end(), listedBefore);
    for (qsizetype i = 0; i < out.size(); ++i)
        index.insert(out[i].id, i);
    auto overrides = selectOverrides(db, where, bind);
    if (!overrides)
        return overrides.failure();
    for (const PackageOverrideRecord &o : *overrides)
        out[index.value(o.packageId)].overrides << o;
    return out;
}

Result<PackageRecord> selectOne(Database &db, const QString &where, const Binder &bind,
                                const QString &missing)
{
    auto rows = selectPackages(db, where, bind, true);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(missing);
    return rows->first();
}

} // namespace

Result<qint64> PackageRepository::add(const PackageRecord &r)
{
    const QString what = label(r.name, r.version);
    if (r.name.trimmed().isEmpty())
        return invalidInput(QStringLiteral("a package needs a name"));
    if (auto v = SemanticVersion::parse(r.version); !v)
        return v.failure().reworded(QStringLiteral("package %1: %2").arg(r.name, v.error()));
    if (r.manifestJson.isEmpty())
        return invalidInput(QStringLiteral("%1 has no manifest").arg(what));
    if (auto s = checkKeyId(what, r.keyId); !s)
        return s.failure();
    auto hash = archiveHash(what, r.archive, r.archiveSha256);
    if (!hash)
        return hash.failure();

    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO package(model_id, run_id, name, version, created_at, author, manifest_json, "
        "archive, archive_sha256, key_id, state, checks_json, checked_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ''), ?7, ?8, ?9, coalesce(?10, ''), ?11, ?12, "
        "?13)"));
    if (!st)
        return st.failure();
    st->bind(1, r.modelId);
    if (r.runId > 0)
        st->bind(2, r.runId);
    else
        st->bindNull(2);
    st->bind(3, r.name).bind(4, r.version);
    st->bind(5, r.createdAt.isValid() ? toSeconds(r.createdAt) : nowSeconds());
    st->bind(6, r.author).bind(7, QString::fromUtf8(r.manifestJson));
    st->bindView(8, r.archive).bind(9, *hash).bind(10, r.keyId.toLower());
    st->bind(11, packageStateName(r.state));
    if (r.checks.isEmpty())
        st->bindNull(12);
    else
        st->bind(12, checksText(r.checks));
    if (r.checkedAt.isValid())
        st->bind(13, toSeconds(r.checkedAt));
    else
        st->bindNull(13);
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("UNIQUE")))
            return conflict(QStringLiteral("%1 already exists in this project").arg(what));
        if (s.error().contains(QStringLiteral("FOREIGN KEY"))) {
            auto models = m_db.prepare(QStringLiteral("SELECT count(*) FROM model WHERE id = ?1"));
            if (!models)
                return models.failure();
            models->bind(1, r.modelId);
            auto row = models->step();
            if (!row)
                return row.failure();
            if (models->columnInt(0) == 0)
                return notFound(QStringLiteral("%1: no model with id %2").arg(what).arg(r.modelId));
            return notFound(QStringLiteral("%1: no run with id %2").arg(what).arg(r.runId));
        }
        return s.failure().reworded(QStringLiteral("adding %1: %2").arg(what, s.error()));
    }
    return m_db.lastInsertId();
}

Result<PackageRecord> PackageRepository::get(qint64 id)
{
    return selectOne(
        m_db, QStringLiteral("WHERE p.id = ?1"), [id](Statement &st) { st.bind(1, id); },
        QStringLiteral("no package with id %1").arg(id));
}

Result<PackageRecord> PackageRepository::find(const QString &name, const QString &version)
{
    return selectOne(
        m_db, QStringLiteral("WHERE p.name = ?1 AND p.version = ?2"),
        [&](Statement &st) { st.bind(1, name).bind(2, version); },
        QStringLiteral("no %1 in this project").arg(label(name, version)));
}

Result<QList<PackageRecord>> PackageRepository::list(qint64 modelId)
{
    if (modelId > 0)
        return selectPackages(
            m_db, QStringLiteral("WHERE p.model_id = ?1"),
            [modelId](Statement &st) { st.bind(1, modelId); }, false);
    return selectPackages(
        m_db, QString(), [](Statement &) {}, false);
}

Status PackageRepository::saveChecks(qint64 id, const QByteArray &archive,
                                     const QString &archiveSha256, const QString &keyId,
                                     const QJsonObject &checks, PackageState state)
{
    const QString what = QStringLiteral("package %1").arg(id);
    if (state == PackageState::Built)
        return invalidInput(
            QStringLiteral("%1: checks end in state \"checked\" or \"gate_failed\", "
                           "not \"built\"")
                .arg(what));
    if (checks.isEmpty())
        return invalidInput(QStringLiteral("%1: the check report is empty").arg(what));
    if (auto s = checkKeyId(what, keyId); !s)
        return s;
    auto hash = archiveHash(what, archive, archiveSha256);
    if (!hash)
        return hash.failure();
    // One statement: the report and the archive it is sealed into change together or not at all.
    auto st = m_db.prepare(QStringLiteral("UPDATE package SET archive = ?2, archive_sha256 = ?3, "
                                          "key_id = coalesce(?4, ''), checks_json = ?5, "
                                          "state = ?6, checked_at = ?7 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id)
        .bindView(2, archive)
        .bind(3, *hash)
        .bind(4, keyId.toLower())
        .bind(5, checksText(checks));
    st->bind(6, packageStateName(state)).bind(7, nowSeconds());
    if (auto s = st->run(); !s)
        return s.failure().reworded(
            QStringLiteral("saving the checks of %1: %2").arg(what, s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no package with id %1").arg(id));
    return {};
}

Status PackageRepository::saveSeal(qint64 id, const QByteArray &archive, const QString &keyId)
{
    const QString what = QStringLiteral("package %1").arg(id);
    if (auto s = checkKeyId(what, keyId); !s)
        return s;
    auto hash = archiveHash(what, archive, QString());
    if (!hash)
        return hash.failure();
    auto st = m_db.prepare(QStringLiteral("UPDATE package SET archive = ?2, archive_sha256 = ?3, "
                                          "key_id = coalesce(?4, '') WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bindView(2, archive).bind(3, *hash).bind(4, keyId.toLower());
    if (auto s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("saving the seal of %1: %2").arg(what, s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no package with id %1").arg(id));
    return {};
}

Result<qint64> PackageRepository::addOverride(qint64 packageId, const QString &reason,
                                              const QString &author)
{
    const QString text = reason.trimmed();
    if (text.isEmpty())
        return invalidInput(
            QStringLiteral("overriding the gate of package %1 needs a written reason")
                .arg(packageId));
    if (author.trimmed().isEmpty())
        return invalidInput(
            QStringLiteral("overriding the gate of package %1 needs the name of who overrides it")
                .arg(packageId));
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    auto st =
        m_db.prepare(QStringLiteral("SELECT name, version, state FROM package WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, packageId);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return notFound(QStringLiteral("no package with id %1").arg(packageId));
    const QString what = label(st->columnText(0), st->columnText(1));
    const QString state = st->columnText(2);
    st = Statement();
    if (state != packageStateName(PackageState::GateFailed))
        return conflict(
            QStringLiteral("%1 is %2, not gate_failed: there is no failed gate to override")
                .arg(what, state));
    auto insert = m_db.prepare(QStringLiteral("INSERT INTO package_override(package_id, reason, "
                                              "author, created_at) VALUES (?1, ?2, ?3, ?4)"));
    if (!insert)
        return insert.failure();
    insert->bind(1, packageId).bind(2, text).bind(3, author.trimmed()).bind(4, nowSeconds());
    if (auto s = insert->run(); !s)
        return s.failure().reworded(
            QStringLiteral("overriding the gate of %1: %2").arg(what, s.error()));
    const qint64 id = m_db.lastInsertId();
    if (auto s = tx->commit(); !s)
        return s.failure();
    return id;
}

Result<QList<PackageOverrideRecord>> PackageRepository::overrides(qint64 packageId)
{
    return selectOverrides(m_db, QStringLiteral("WHERE p.id = ?1"),
                           [packageId](Statement &st) { st.bind(1, packageId); });
}

Status PackageRepository::remove(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("DELETE FROM package WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id);
    if (auto s = st->run(); !s)
        return s.failure().reworded(
            QStringLiteral("removing package %1: %2").arg(id).arg(s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no package with id %1").arg(id));
    return {};
}

Result<std::optional<PackageRecord>> PackageRepository::previousVersion(const QString &name,
                                                                        const QString &version)
{
    const auto below = SemanticVersion::parse(version);
    if (!below)
        return below.failure().reworded(QStringLiteral("package %1: %2").arg(name, below.error()));
    auto all = selectPackages(
        m_db, QStringLiteral("WHERE p.name = ?1"), [&](Statement &st) { st.bind(1, name); }, false);
    if (!all)
        return all.failure();
    std::optional<PackageRecord> best;
    std::optional<SemanticVersion> bestVersion;
    for (const PackageRecord &p : *all) {
        const auto v = SemanticVersion::parse(p.version);
        if (!v || !(*v < *below))
            continue; // a hand-written version cannot be placed
        if (!bestVersion || *bestVersion < *v) {
            best = p;
            bestVersion = *v;
        }
    }
    return best;
}

} // namespace mlwb

namespace mlwb {

Result<std::optional<QJsonObject>> PackageRepository::checkConfig(qint64 modelId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT config_json FROM check_config WHERE model_id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, modelId);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return std::optional<QJsonObject>();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(st->columnText(0).toUtf8(), &error);
    if (!doc.isObject())
        return corrupt(QStringLiteral("model %1's check configuration is not a JSON object (%2)").arg(modelId).arg(error.errorString()));
    return std::optional<QJsonObject>(doc.object());
}

Status PackageRepository::setCheckConfig(qint64 modelId, const QJsonObject &config)
{
    if (config.isEmpty()) {
        auto st = m_db.prepare(QStringLiteral("DELETE FROM check_config WHERE model_id = ?1"));
        if (!st)
            return st.failure();
        st->bind(1, modelId);
        return st->run();
    }
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO check_config(model_id, config_json, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (model_id) DO UPDATE SET config_json = excluded.config_json, updated_at = excluded.updated_at"));
    if (!st)
        return st.failure();
    st->bind(1, modelId)
        .bind(2, QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact)))
        .bind(3, nowSeconds());
    if (auto s = st->run(); !s) {
        if (s.error().contains(QLatin1String("FOREIGN KEY")))
            return notFound(QStringLiteral("no model with id %1").arg(modelId));
        return s.failure().reworded(QStringLiteral("saving model %1's check configuration: %2").arg(modelId).arg(s.error()));
    }
    return {};
}

} // namespace mlwb
