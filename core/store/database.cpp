// SPDX-License-Identifier: MIT
#include "store/database.h"

#include "store/statement.h"

#include <QFileInfo>
#include <QUrl>

#include <sqlite3.h>

#include <utility>

namespace mlwb {

namespace {
// Generous: a colleague's long transaction (a big import) must delay us, not fail us.
constexpr int kDefaultBusyTimeoutMs = 120000;

// What a failed SQLite call means for the caller; extended codes are on, the low byte is the
// primary code.
ErrorKind kindOfResultCode(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ErrorKind::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
        return ErrorKind::Io;
    case SQLITE_CONSTRAINT:
        return ErrorKind::Conflict;
    case SQLITE_INTERRUPT:
        return ErrorKind::Cancelled;
    default:
        return ErrorKind::Internal;
    }
}
} // namespace

Database::~Database() { close(); }

Database::Database(Database &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path))
{
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Result<Database> Database::open(const QString &path, Mode mode)
{
    int flags = SQLITE_OPEN_NOMUTEX; // one connection per thread
    switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::Create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::Immutable: flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI; break;
    }
    Database db;
    db.m_path = path;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QByteArray native = mode == Mode::Immutable
                                  ? QUrl::fromLocalFile(absolute).toEncoded() + "?immutable=1"
                                  : absolute.toUtf8();
    const int rc = sqlite3_open_v2(native.constData(), &db.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        QString msg = db.m_db ? QString::fromUtf8(sqlite3_errmsg(db.m_db))
                              : QString::fromUtf8(sqlite3_errstr(rc));
        return fail(QStringLiteral("%1: cannot open: %2").arg(path, msg));
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    db.setBusyTimeout(kDefaultBusyTimeoutMs);
    return db;
}

bool Database::isReadOnly() const
{
    return m_db && sqlite3_db_readonly(m_db, "main") == 1;
}

void Database::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

void Database::setBusyTimeout(int ms)
{
    if (m_db)
        sqlite3_busy_timeout(m_db, ms);
}

Status Database::exec(const QString &sql)
{
    char *err = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_exec(m_db, utf8.constData(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        QString msg = err ? QString::fromUtf8(err) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(err);
        return fail(QStringLiteral("%1: %2").arg(m_path, msg), kindOfResultCode(rc));
    }
    return {};
}

Result<Statement> Database::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return error(QStringLiteral("cannot prepare \"%1\"").arg(sql.left(80)));
    return Statement(this, stmt);
}

Result<qint64> Database::queryInt(const QString &sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.failure();
    auto row = stmt->step();
    if (!row)
        return row.failure();
    if (!*row)
        return fail(QStringLiteral("%1: no result for \"%2\"").arg(m_path, sql));
    return stmt->columnInt(0);
}

Result<QString> Database::queryText(const QString &sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.failure();
    auto row = stmt->step();
    if (!row)
        return row.failure();
    if (!*row)
        return fail(QStringLiteral("%1: no result for \"%2\"").arg(m_path, sql));
    return stmt->columnText(0);
}

qint64 Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

QString Database::lastError() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("not open");
}

Error Database::error(const QString &what) const
{
    const ErrorKind kind = m_db ? kindOfResultCode(sqlite3_errcode(m_db)) : ErrorKind::Internal;
    return fail(QStringLiteral("%1: %2: %3").arg(m_path, what, lastError()), kind);
}

} // namespace mlwb
