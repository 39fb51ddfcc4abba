// SPDX-License-Identifier: MIT
#pragma once

// ProjectFile: one open *.mlwb project. Validates a file before touching it (not SQLite, not
// ours, damaged, newer schema: refused, file untouched), migrates an older file after a backup
// copy when it is opened for writing and reads it as it is when opened read-only, chooses WAL
// or the rollback journal by file system, registers a lease with heartbeats so others see who
// has the file open, and recovers runs whose writer died.

#include "common/result.h"
#include "store/database.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace mlwb {

struct LeaseInfo {
    qint64 id = 0;
    QString user;
    QString host;
    qint64 pid = 0;
    QString mode; // "write" or "read"
    QString program;
    QDateTime started;
    QDateTime heartbeat;
    bool self = false;
    QString holder() const { return user + QLatin1Char('@') + host; }
};

// How many rows each table of the project holds, for `mlwb info` and the Inspector. Every table
// of the file counts except the store's own bookkeeping, so a capability's new tables show up
// without a change here. Keys are the table's plural ("model_versions"; the metric table's is
// "metric_points"), labels the same in words ("Model versions"), in the order the tables were
// created.
struct ProjectCounts {
    struct Entry {
        QString key;
        QString label;
        qint64 count = 0;
    };
    QList<Entry> entries;

    // 0 for a table the file does not have.
    qint64 value(QStringView key) const;
    // {"datasets": 3, "models": 2, ...}
    QJsonObject toJson() const;
};

struct ProjectOpenOptions {
    bool readOnly = false;                    // never write, no lease
    QString program = QStringLiteral("mlwb"); // shown to others in the lease table
    int heartbeatMs = 5000;
};

class ProjectFile {
public:
    using OpenOptions = ProjectOpenOptions;

    ~ProjectFile();
    ProjectFile(const ProjectFile &) = delete;
    ProjectFile &operator=(const ProjectFile &) = delete;

    // Creates a new, empty project; refuses to overwrite an existing file.
    static Result<std::unique_ptr<ProjectFile>> create(const QString &path,
                                                       const OpenOptions &options = OpenOptions());
    static Result<std::unique_ptr<ProjectFile>> open(const QString &path,
                                                     const OpenOptions &options = OpenOptions());
    // Checks a file without changing it; returns its schema version.
    static Result<int> validate(const QString &path);

    const QString &path() const { return m_path; }
    Database &db() { return m_db; }
    bool isReadOnly() const { return m_readOnly; }
    // Why the file is read-only ("alice@host is writing (mlwb-workbench, pid 42)") and that an
    // older file is read as it is ("schema 1, upgraded to 4 when opened for writing"), or empty.
    QString readOnlyReason() const;
    // "schema 1, upgraded to 4 when opened for writing" for an older file opened read-only,
    // which is read through views of the current schema and never upgraded; otherwise empty.
    QString schemaNote() const;
    bool onNetworkFileSystem() const { return m_network; }
    QString journalMode() const { return m_journalMode; }
    qint64 leaseId() const { return m_leaseId; }
    int schemaVersion() const;
    // Backup copy written before a migration, or empty.
    const QString &migrationBackupPath() const { return m_migrationBackup; }

    Result<QList<LeaseInfo>> leases();
    Result<ProjectCounts> counts();

    // True when another connection committed since the last call (PRAGMA data_version).
    bool changedSinceLastCheck();

    // For a read-only open on a network file system: takes the write lease if it is free now.
    Status tryBecomeWriter();

    // Consistent copy through the online backup API, safe while others write; the target is
    // written to a temporary file and renamed into place.
    Status backupTo(const QString &target);

    // Marks 'running' runs whose lease holder is gone as 'interrupted'; returns how many.
    Result<int> recoverAbandonedRuns();

private:
    explicit ProjectFile(QString path);
    Status configure(const OpenOptions &options, bool created);
    Status registerLease(const QString &mode, const QString &program);
    Status purgeStaleLeases();
    void startHeartbeat(int intervalMs);
    void stopHeartbeat();
    void followUpgrade();
    void removeOwnWalFiles();

    QString m_path;
    Database m_db;
    bool m_readOnly = false;
    bool m_network = false;
    QString m_readOnlyReason;
    QString m_journalMode;
    QString m_migrationBackup;
    int m_olderSchema = 0;          // schema read through views; 0: the current one
    bool m_walFilesAreOurs = false; // our read-only open made -wal and -shm
    QString m_program;
    qint64 m_leaseId = 0;
    qint64 m_dataVersion = -1;
    struct Heartbeat;
    std::unique_ptr<Heartbeat> m_heartbeat;
};

} // namespace mlwb
