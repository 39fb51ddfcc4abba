// SPDX-License-Identifier: MIT
#include "store/project_file.h"

#include "common/logging.h"
#include "store/filesystem_probe.h"
#include "store/schema.h"
#include "store/statement.h"
#include "store/store_util.h"
#include "store/transaction.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

#include <sqlite3.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <pwd.h>
#include <thread>
#include <unistd.h>

namespace mlwb {

namespace {

constexpr double kRemoteLeaseTimeoutSec = 30.0;

QString currentUser()
{
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

QString currentHost() { return QSysInfo::machineHostName(); }

// A zombie still answers kill(pid, 0); it is as dead as any other for our purpose.
bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0 && errno != EPERM)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        const int paren = line.lastIndexOf(')');
        if (paren > 0 && paren + 2 < line.size() && line.at(paren + 2) == 'Z')
            return false;
    }
    return true;
}

bool leaseAlive(const QString &host, qint64 pid, double heartbeat)
{
    if (host == currentHost())
        return processAlive(pid);
    return nowSeconds() - heartbeat < kRemoteLeaseTimeoutSec;
}

QString describeLease(const QString &user, const QString &host, const QString &program, qint64 pid)
{
    return QStringLiteral("%1@%2 is writing (%3, pid %4)").arg(user, host, program).arg(pid);
}

QByteArray readHeader(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(100) : QByteArray();
}

// Bytes 18 and 19 of the header (write and read format versions) are 2 in WAL mode.
bool walHeader(const QByteArray &header)
{
    return header.size() >= 20 && (header.at(18) == 2 || header.at(19) == 2);
}

// No WAL-mode connection has the file open: each keeps its -wal until the last one closes.
bool nobodyInWal(const QString &path) { return !QFileInfo::exists(path + QStringLiteral("-wal")); }

// The checks of validate() on a connection opened in `mode`.
Result<int> checkProject(const QString &path, Database::Mode mode)
{
    auto db = Database::open(path, mode);
    if (!db)
        return db.failure();
    auto appId = db->queryInt(QStringLiteral("PRAGMA application_id"));
    if (!appId)
        return corrupt(QStringLiteral("%1: damaged file: %2").arg(path, db->lastError()));
    if (*appId != Schema::kApplicationId)
        return corrupt(QStringLiteral("%1: an SQLite database, but not an MLOps Workbench project "
                                   "(application_id 0x%2)")
                        .arg(path)
                        .arg(quint32(*appId), 8, 16, QLatin1Char('0')));
    auto version = db->queryInt(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return corrupt(QStringLiteral("%1: damaged file: %2").arg(path, db->lastError()));
    if (*version > Schema::currentVersion())
        return corrupt(QStringLiteral("%1: made by a newer MLOps Workbench (schema version %2; this "
                                   "build reads up to %3). Open it with a newer version.")
                        .arg(path)
                        .arg(*version)
                        .arg(Schema::currentVersion()));
    if (*version < 1)
        return corrupt(QStringLiteral("%1: damaged file: no schema version").arg(path));

    auto check = db->prepare(QStringLiteral("PRAGMA quick_check(5)"));
    if (!check)
        return corrupt(QStringLiteral("%1: damaged file: %2").arg(path, db->lastError()));
    QStringList problems;
    for (;;) {
        auto row = check->step();
        if (!row)
            return corrupt(QStringLiteral("%1: damaged file: %2").arg(path, db->lastError()));
        if (!*row)
            break;
        problems << check->columnText(0);
    }
    if (problems != QStringList{QStringLiteral("ok")})
        return corrupt(QStringLiteral("%1: damaged file (integrity check: %2)")
                        .arg(path, problems.join(QStringLiteral("; "))));
    return int(*version);
}

} // namespace

// Keeps our lease row fresh from its own thread and connection, so a busy GUI or a long
// training step never makes the lease look dead.
struct ProjectFile::Heartbeat {
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
};

ProjectFile::ProjectFile(QString path) : m_path(std::move(path)) {}

ProjectFile::~ProjectFile()
{
    stopHeartbeat();
    if (m_leaseId > 0 && !m_readOnly) {
        if (auto st = m_db.prepare(QStringLiteral("DELETE FROM lease WHERE id = ?1"))) {
            st->bind(1, m_leaseId);
            // A destructor can only say so; a stale lease is recovered when its pid is gone.
            if (auto s = st->run(); !s)
                qCWarning(lcStore) << "could not release the lease of" << m_path << ":" << s.error();
        }
    }
    if (m_readOnly && m_walFilesAreOurs)
        removeOwnWalFiles();
}

// SQLite's last connection to a WAL-mode file removes its -wal and -shm, but only one that can
// lock the file for writing: a read-only look at a file nobody had open would leave them
// beside it. A writable connection that only reads closes the way SQLite does: it removes them
// if it is the last connection (its checkpoint of an empty log writes nothing), and leaves
// them to the others otherwise.
void ProjectFile::removeOwnWalFiles()
{
    m_db.close();
    if (!QFileInfo::exists(m_path + QStringLiteral("-wal")) || !QFileInfo(m_path).isWritable())
        return;
    auto db = Database::open(m_path, Database::Mode::ReadWrite);
    if (!db)
        return;
    if (auto v = db->queryInt(QStringLiteral("PRAGMA user_version")); !v)
        qCDebug(lcStore) << "leaving -wal and -shm of" << m_path << ":" << v.error();
}

Result<int> ProjectFile::validate(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return notFound(QStringLiteral("%1: no such file").arg(path));
    if (!fi.isFile())
        return invalidInput(QStringLiteral("%1: not a file").arg(path));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    const QByteArray header = f.read(100);
    f.close();
    if (header.isEmpty())
        return corrupt(QStringLiteral("%1: empty file, not an MLOps Workbench project").arg(path));
    if (header.size() < 100 || !header.startsWith(QByteArrayLiteral("SQLite format 3\0")))
        return corrupt(QStringLiteral("%1: not an MLOps Workbench project (not an SQLite database)")
                        .arg(path));

    // An ordinary read-only connection to a WAL-mode file makes -wal and -shm files and cannot
    // remove them, so a file that is refused would not be left as it was. When no -wal exists
    // nobody has the file open and everything is in the file itself: read it immutable.
    if (walHeader(header) && nobodyInWal(path)) {
        auto version = checkProject(path, Database::Mode::Immutable);
        // Someone opened it meanwhile, and a checkpoint may have torn what we read.
        if (!version && !nobodyInWal(path))
            return checkProject(path, Database::Mode::ReadOnly);
        return version;
    }
    return checkProject(path, Database::Mode::ReadOnly);
}

Result<std::unique_ptr<ProjectFile>> ProjectFile::create(const QString &path,
                                                         const OpenOptions &options)
{
    if (QFileInfo::exists(path))
        return conflict(QStringLiteral("%1: already exists; not overwriting it").arg(path));
    auto db = Database::open(path, Database::Mode::Create);
    if (!db)
        return db.failure();
    std::unique_ptr<ProjectFile> project(new ProjectFile(path));
    project->m_db = std::move(*db);
    auto &d = project->m_db;
    if (auto s = d.exec(QStringLiteral("PRAGMA page_size = 8192")); !s)
        return s.failure();
    if (auto s = Schema::create(d); !s) {
        d.close();
        QFile::remove(path);
        return s.failure();
    }
    auto st = d.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES (?1, ?2)"));
    if (!st)
        return st.failure();
    const QList<std::pair<QString, QString>> meta = {
        {QStringLiteral("created_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("created_by"), QStringLiteral("MLOps Workbench " MLWB_VERSION)},
    };
    for (const auto &[k, v] : meta) {
        st->bind(1, k).bind(2, v);
        if (auto s = st->run(); !s)
            return s.failure();
    }
    if (auto s = project->configure(options, true); !s)
        return s.failure();
    return project;
}

Result<std::unique_ptr<ProjectFile>> ProjectFile::open(const QString &path,
                                                       const OpenOptions &options)
{
    auto version = validate(path);
    if (!version)
        return version.failure();

    const bool wantWrite = !options.readOnly && QFileInfo(path).isWritable();
    if (!options.readOnly && !wantWrite)
        qCInfo(lcStore) << path << "is not writable; opening read-only";
    const bool walFilesAreOurs = !wantWrite && walHeader(readHeader(path)) && nobodyInWal(path) &&
                                 !QFileInfo::exists(path + QStringLiteral("-shm"));
    auto db = Database::open(path, wantWrite ? Database::Mode::ReadWrite : Database::Mode::ReadOnly);
    if (!db)
        return db.failure();
    std::unique_ptr<ProjectFile> project(new ProjectFile(path));
    project->m_db = std::move(*db);
    project->m_readOnly = !wantWrite;
    project->m_walFilesAreOurs = walFilesAreOurs;
    if (!wantWrite && !options.readOnly)
        project->m_readOnlyReason = QStringLiteral("the file is not writable");

    if (*version < Schema::currentVersion() && !wantWrite) {
        // Read as it is: upgrading is a write, and the file may be a colleague's.
        if (auto s = Schema::readAsCurrent(project->m_db, *version); !s)
            return s.failure().reworded(QStringLiteral("%1: %2").arg(path, s.error()));
        project->m_olderSchema = *version;
    } else if (*version < Schema::currentVersion()) {
        QString backup = QStringLiteral("%1.v%2.bak").arg(path).arg(*version);
        for (int i = 1; QFileInfo::exists(backup); ++i)
            backup = QStringLiteral("%1.v%2.%3.bak").arg(path).arg(*version).arg(i);
        if (auto s = project->backupTo(backup); !s)
            return fail(QStringLiteral("%1: not upgraded, the backup copy failed: %2")
                            .arg(path, s.error()));
        if (auto s = Schema::migrate(project->m_db, *version); !s) {
            if (project->schemaVersion() != *version)
                return fail(QStringLiteral("%1: %2 (the original is kept as %3)")
                                .arg(path, s.error(), backup));
            // Rolled back: the file is as it was, and its copy would only be clutter.
            QFile::remove(backup);
            return s.failure().reworded(QStringLiteral("%1: %2 (the file is unchanged)").arg(path, s.error()));
        }
        project->m_migrationBackup = backup;
        qCInfo(lcStore) << "upgraded" << path << "from schema" << *version << "backup" << backup;
    }
    if (auto s = project->configure(options, false); !s)
        return s.failure();
    return project;
}

Status ProjectFile::configure(const OpenOptions &options, bool created)
{
    m_program = options.program;
    const auto fs = FilesystemProbe::probe(m_path);
    m_network = fs.network;
    if (auto s = m_db.exec(QStringLiteral("PRAGMA foreign_keys = ON")); !s)
        return s;
    if (!m_readOnly) {
        // WAL needs shared memory that network file systems cannot provide.
        const QString mode = m_network ? QStringLiteral("DELETE") : QStringLiteral("WAL");
        auto jm = m_db.queryText(QStringLiteral("PRAGMA journal_mode = %1").arg(mode));
        if (!jm)
            return jm.failure();
        m_journalMode = jm->toLower();
        if (auto s = m_db.exec(QStringLiteral("PRAGMA synchronous = NORMAL")); !s)
            return s;
    } else {
        auto jm = m_db.queryText(QStringLiteral("PRAGMA journal_mode"));
        m_journalMode = jm ? jm->toLower() : QString();
    }
    if (auto s = m_db.exec(QStringLiteral("PRAGMA cache_size = -65536")); !s)
        return s;
    // Memory-mapped reads spare a copy per page: long series read about twice as fast. Not on
    // network file systems, where a mapping can fault when the server hiccups.
    if (!m_network)
        (void)m_db.exec(QStringLiteral("PRAGMA mmap_size = 1073741824"));

    if (!m_readOnly) {
        if (auto s = purgeStaleLeases(); !s)
            return s;
        // Before registering our own lease: lease ids are reused once their row is gone.
        if (!created) {
            auto recovered = recoverAbandonedRuns();
            if (!recovered)
                return recovered.failure();
        }
        if (m_network) {
            // Only one writer on a network file system: the others read.
            if (auto s = tryBecomeWriter(); !s)
                return s;
        } else if (auto s = registerLease(QStringLiteral("write"), options.program); !s) {
            return s;
        }
        if (!m_readOnly)
            startHeartbeat(options.heartbeatMs);
    }
    changedSinceLastCheck();
    return {};
}

Status ProjectFile::purgeStaleLeases()
{
    auto st = m_db.prepare(QStringLiteral("SELECT id, host, pid, heartbeat FROM lease"));
    if (!st)
        return st.failure();
    QList<qint64> stale;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        if (!leaseAlive(st->columnText(1), st->columnInt(2), st->columnDouble(3)))
            stale << st->columnInt(0);
    }
    if (stale.isEmpty())
        return {};
    auto del = m_db.prepare(QStringLiteral("DELETE FROM lease WHERE id = ?1"));
    if (!del)
        return del.failure();
    for (qint64 id : stale) {
        del->bind(1, id);
        if (auto s = del->run(); !s)
            return s;
    }
    return {};
}

Status ProjectFile::registerLease(const QString &mode, const QString &program)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO lease(user, host, pid, mode, program, started, heartbeat) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"));
    if (!st)
        return st.failure();
    st->bind(1, currentUser())
        .bind(2, currentHost())
        .bind(3, qint64(QCoreApplication::applicationPid()))
        .bind(4, mode)
        .bind(5, program)
        .bind(6, nowSeconds());
    if (auto s = st->run(); !s)
        return s;
    m_leaseId = m_db.lastInsertId();
    return {};
}

Status ProjectFile::tryBecomeWriter()
{
    if (m_leaseId > 0 && !m_readOnly)
        return {};
    if (m_readOnly && m_olderSchema > 0)
        return fail(QStringLiteral("%1: schema version %2 is read as it is; open the file for "
                                   "writing to upgrade it to %3 (after a backup copy)")
                        .arg(m_path)
                        .arg(m_olderSchema)
                        .arg(Schema::currentVersion()));
    if (m_readOnly) {
        // Reopen for writing; the read-only connection could not take the lease.
        auto db = Database::open(m_path, Database::Mode::ReadWrite);
        if (!db)
            return db.failure();
        m_db = std::move(*db);
        if (auto s = m_db.exec(QStringLiteral("PRAGMA foreign_keys = ON")); !s)
            return s;
        if (auto s = purgeStaleLeases(); !s)
            return s;
    }
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    auto st = m_db.prepare(QStringLiteral(
        "SELECT user, host, program, pid, heartbeat FROM lease WHERE mode = 'write' LIMIT 1"));
    if (!st)
        return st.failure();
    auto row = st->step();
    if (!row)
        return row.failure();
    if (*row) {
        m_readOnlyReason = describeLease(st->columnText(0), st->columnText(1), st->columnText(2),
                                         st->columnInt(3));
        st = Statement();
        (void)tx->commit();
        auto ro = Database::open(m_path, Database::Mode::ReadOnly);
        if (!ro)
            return ro.failure();
        m_db = std::move(*ro);
        m_readOnly = true;
        return {};
    }
    st = Statement();
    if (auto s = registerLease(QStringLiteral("write"), m_program); !s)
        return s;
    if (auto s = tx->commit(); !s)
        return s;
    m_readOnly = false;
    m_readOnlyReason.clear();
    return {};
}

Result<int> ProjectFile::recoverAbandonedRuns()
{
    if (m_readOnly)
        return 0;
    auto leasesNow = leases();
    if (!leasesNow)
        return leasesNow.failure();
    QStringList live;
    for (const auto &l : *leasesNow)
        live << QString::number(l.id);
    const QString sql = QStringLiteral(
        "UPDATE run SET status = 'interrupted', "
        "message = 'interrupted: the process running it stopped without finishing', "
        "finished_at = coalesce(finished_at, ?1) "
        "WHERE status = 'running' AND (owner_lease IS NULL OR owner_lease NOT IN (%1))")
                            .arg(live.isEmpty() ? QStringLiteral("-1") : live.join(u','));
    auto st = m_db.prepare(sql);
    if (!st)
        return st.failure();
    st->bind(1, nowSeconds());
    if (auto s = st->run(); !s)
        return s.failure();
    const int n = m_db.changes();
    if (n > 0)
        qCInfo(lcStore) << "marked" << n << "abandoned runs interrupted in" << m_path;
    return n;
}

Result<QList<LeaseInfo>> ProjectFile::leases()
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT id, user, host, pid, mode, program, started, heartbeat FROM lease ORDER BY id"));
    if (!st)
        return st.failure();
    QList<LeaseInfo> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        LeaseInfo l;
        l.id = st->columnInt(0);
        l.user = st->columnText(1);
        l.host = st->columnText(2);
        l.pid = st->columnInt(3);
        l.mode = st->columnText(4);
        l.program = st->columnText(5);
        l.started = fromSeconds(st->columnDouble(6));
        l.heartbeat = fromSeconds(st->columnDouble(7));
        l.self = l.id == m_leaseId;
        if (leaseAlive(l.host, l.pid, st->columnDouble(7)))
            out << l;
    }
    return out;
}

int ProjectFile::schemaVersion() const
{
    auto v = const_cast<Database &>(m_db).queryInt(QStringLiteral("PRAGMA user_version"));
    return v ? int(*v) : 0;
}

qint64 ProjectCounts::value(QStringView key) const
{
    for (const Entry &e : entries)
        if (e.key == key)
            return e.count;
    return 0;
}

QJsonObject ProjectCounts::toJson() const
{
    QJsonObject o;
    for (const Entry &e : entries)
        o.insert(e.key, e.count);
    return o;
}

Result<ProjectCounts> ProjectFile::counts()
{
    // The store's bookkeeping and the parts of a noun that are not items of their own.
    static const QStringList internal = {
        QStringLiteral("meta"), QStringLiteral("lease"), QStringLiteral("change_counter"),
        QStringLiteral("change_log"), QStringLiteral("dataset_split"), QStringLiteral("metric_key"),
        QStringLiteral("metric_block"), QStringLiteral("metric_latest"),
        QStringLiteral("package_override"), QStringLiteral("check_config")};
    auto tables = m_db.prepare(QStringLiteral(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY rowid"));
    if (!tables)
        return tables.failure();
    QStringList names;
    for (;;) {
        auto row = tables->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        const QString name = tables->columnText(0);
        if (!internal.contains(name))
            names << name;
    }
    ProjectCounts c;
    for (const QString &table : names) {
        ProjectCounts::Entry e;
        e.key = table == u"metric" ? QStringLiteral("metric_points") : table + QLatin1Char('s');
        e.label = e.key;
        e.label.replace(QLatin1Char('_'), QLatin1Char(' '));
        e.label[0] = e.label[0].toUpper();
        auto v = m_db.queryInt(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table));
        if (!v)
            return v.failure();
        e.count = *v;
        c.entries << e;
    }
    return c;
}

bool ProjectFile::changedSinceLastCheck()
{
    auto v = m_db.queryInt(QStringLiteral("PRAGMA data_version"));
    if (!v)
        return false;
    const bool changed = m_dataVersion >= 0 && *v != m_dataVersion;
    m_dataVersion = *v;
    if (changed && m_olderSchema > 0)
        followUpgrade();
    return changed;
}

// Someone opened the older file for writing and upgraded it while we read it: the views that
// stood in for the missing tables would now hide the real ones.
void ProjectFile::followUpgrade()
{
    auto version = m_db.queryInt(QStringLiteral("PRAGMA user_version"));
    if (!version || *version == m_olderSchema)
        return;
    if (*version > Schema::currentVersion()) {
        qCWarning(lcStore) << m_path << "was upgraded to schema" << *version
                           << "by a newer MLOps Workbench; reopen it with that version";
        return;
    }
    if (auto s = Schema::readAsCurrent(m_db, int(*version)); !s) {
        qCWarning(lcStore) << "reading" << m_path << "after its upgrade:" << s.error();
        return;
    }
    qCInfo(lcStore) << m_path << "was upgraded from schema" << m_olderSchema << "to" << *version;
    m_olderSchema = *version < Schema::currentVersion() ? int(*version) : 0;
}

QString ProjectFile::readOnlyReason() const
{
    QStringList reasons;
    if (!m_readOnlyReason.isEmpty())
        reasons << m_readOnlyReason;
    if (m_readOnly && m_olderSchema > 0)
        reasons << Schema::upgradeNote(m_olderSchema);
    return reasons.join(QStringLiteral("; "));
}

QString ProjectFile::schemaNote() const
{
    return m_olderSchema > 0 ? Schema::upgradeNote(m_olderSchema) : QString();
}

Status ProjectFile::backupTo(const QString &target)
{
    const QString tmp = target + QStringLiteral(".partial");
    QFile::remove(tmp);
    auto dest = Database::open(tmp, Database::Mode::Create);
    if (!dest)
        return dest.failure();
    sqlite3_backup *b = sqlite3_backup_init(dest->handle(), "main", m_db.handle(), "main");
    if (!b) {
        Error e = dest->error(QStringLiteral("cannot start backup"));
        dest->close();
        QFile::remove(tmp);
        return e;
    }
    // One step copies a consistent snapshot; stepping in pieces would restart on every write
    // a training job makes meanwhile.
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        Error e = dest->error(QStringLiteral("backup failed"));
        dest->close();
        QFile::remove(tmp);
        return e;
    }
    // The copy is nobody's open project: no leases travel with it, and it stands alone
    // (rollback journal) until someone opens it.
    (void)dest->exec(QStringLiteral("DELETE FROM lease"));
    (void)dest->exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
    dest->close();
    QFile::remove(target);
    if (!QFile::rename(tmp, target)) {
        QFile::remove(tmp);
        return ioError(QStringLiteral("%1: cannot write the copy").arg(target));
    }
    return {};
}

void ProjectFile::startHeartbeat(int intervalMs)
{
    if (intervalMs <= 0 || m_leaseId <= 0)
        return;
    m_heartbeat = std::make_unique<Heartbeat>();
    Heartbeat *hb = m_heartbeat.get();
    const QString path = m_path;
    const qint64 lease = m_leaseId;
    hb->thread = std::thread([hb, path, lease, intervalMs] {
        auto db = Database::open(path, Database::Mode::ReadWrite);
        if (!db)
            return;
        auto st = db->prepare(QStringLiteral("UPDATE lease SET heartbeat = ?1 WHERE id = ?2"));
        if (!st)
            return;
        std::unique_lock lock(hb->mutex);
        while (!hb->stop) {
            hb->wake.wait_for(lock, std::chrono::milliseconds(intervalMs));
            if (hb->stop)
                break;
            st->bind(1, nowSeconds()).bind(2, lease);
            if (auto s = st->run(); !s)
                qCWarning(lcStore) << "lease heartbeat:" << s.error();
        }
    });
}

void ProjectFile::stopHeartbeat()
{
    if (!m_heartbeat)
        return;
    {
        std::lock_guard lock(m_heartbeat->mutex);
        m_heartbeat->stop = true;
    }
    m_heartbeat->wake.notify_all();
    if (m_heartbeat->thread.joinable())
        m_heartbeat->thread.join();
    m_heartbeat.reset();
}

} // namespace mlwb
