// SPDX-License-Identifier: MIT
#include "store/database.h"
#include "store/dataset_repository.h"
#include "store/evaluation_repository.h"
#include "store/metric_reader.h"
#include "store/metric_logger.h"
#include "store/schema.h"
#include "store/statement.h"
#include "store/sweep_repository.h"
#include "store_fixture.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

#include <atomic>
#include <cmath>
#include <functional>
#include <thread>

#include <sqlite3.h>

using namespace mlwb;
using namespace mlwb::test;

class ProjectFileTest : public TempDirTest {};

TEST_F(ProjectFileTest, CreateSetsApplicationIdVersionAndWal)
{
    const QString p = path(QStringLiteral("a.mlwb"));
    auto project = ProjectFile::create(p);
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    EXPECT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    EXPECT_EQ(*(*project)->db().queryInt(QStringLiteral("PRAGMA application_id")),
              Schema::kApplicationId);
    EXPECT_EQ((*project)->journalMode(), QStringLiteral("wal"));
    EXPECT_EQ(*(*project)->db().queryInt(QStringLiteral("PRAGMA foreign_keys")), 1);
    EXPECT_FALSE((*project)->isReadOnly());
}

TEST_F(ProjectFileTest, CountsEveryItemTableIncludingOnesALaterCapabilityAdds)
{
    auto project = ProjectFile::create(path(QStringLiteral("counts.mlwb")));
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    Database &db = (*project)->db();
    ASSERT_OK(db.exec(QStringLiteral("INSERT INTO dataset(name, created_at, source_path, content_hash, row_count, column_count, "
                                     "schema_json, data) VALUES ('iris', 0, '', '', 0, 0, '[]', x'')")));
    auto counts = (*project)->counts();
    ASSERT_OK(counts);
    QStringList keys;
    for (const auto &e : counts->entries)
        keys << e.key;
    // The keys `mlwb info --json` has always printed, in their order, then the later tables.
    EXPECT_EQ(keys.mid(0, 3), (QStringList{QStringLiteral("datasets"), QStringLiteral("models"),
                                           QStringLiteral("model_versions")}))
        << keys.join(u' ').toStdString();
    for (const char *key : {"runs", "metric_points", "checkpoints", "artifacts", "evaluations", "sweeps"})
        EXPECT_TRUE(keys.contains(QLatin1String(key))) << key << ": " << keys.join(u' ').toStdString();
    for (const char *internal : {"metas", "leases", "change_logs", "metric_keys", "dataset_splits"})
        EXPECT_FALSE(keys.contains(QLatin1String(internal))) << internal;
    EXPECT_EQ(counts->value(u"datasets"), 1);
    EXPECT_EQ(counts->value(u"runs"), 0);
    EXPECT_EQ(counts->value(u"no_such_table"), 0);

    // A table from a later migration counts without a change to the store.
    ASSERT_OK(db.exec(QStringLiteral("CREATE TABLE deployment_target(id INTEGER PRIMARY KEY)")));
    ASSERT_OK(db.exec(QStringLiteral("INSERT INTO deployment_target VALUES (1), (2)")));
    counts = (*project)->counts();
    ASSERT_OK(counts);
    ASSERT_FALSE(counts->entries.isEmpty());
    EXPECT_EQ(counts->entries.last().key, QStringLiteral("deployment_targets"));
    EXPECT_EQ(counts->entries.last().label, QStringLiteral("Deployment targets"));
    EXPECT_EQ(counts->entries.last().count, 2);
    EXPECT_EQ(counts->toJson().value(QStringLiteral("deployment_targets")).toInteger(), 2);
}

TEST_F(ProjectFileTest, CreateRefusesToOverwrite)
{
    const QString p = path(QStringLiteral("a.mlwb"));
    QFile f(p);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("precious");
    f.close();
    auto project = ProjectFile::create(p);
    ASSERT_FALSE(project.ok());
    EXPECT_TRUE(project.error().contains(QStringLiteral("already exists")));
    EXPECT_EQ(project.kind(), ErrorKind::Conflict);
    QFile check(p);
    ASSERT_TRUE(check.open(QIODevice::ReadOnly));
    EXPECT_EQ(check.readAll(), QByteArrayLiteral("precious"));
}

TEST_F(ProjectFileTest, MissingFile)
{
    auto project = ProjectFile::open(path(QStringLiteral("nope.mlwb")));
    ASSERT_FALSE(project.ok());
    EXPECT_TRUE(project.error().contains(QStringLiteral("no such file")));
    EXPECT_EQ(project.kind(), ErrorKind::NotFound);
}

struct BadFileCase {
    const char *name;
    std::function<void(const QString &)> make;
    const char *expected;
    bool wal = false; // the file is in WAL mode, as our files are on local disks
};

class BadFileTest : public TempDirTest, public ::testing::WithParamInterface<int> {};

static void writeBytes(const QString &p, const QByteArray &bytes)
{
    QFile f(p);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

static QString journalPragma(bool wal)
{
    return QStringLiteral("PRAGMA journal_mode = %1").arg(wal ? u"WAL" : u"DELETE");
}

static void makeForeignSqlite(const QString &p, bool wal)
{
    auto db = Database::open(p, Database::Mode::Create);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(journalPragma(wal)).ok());
    ASSERT_TRUE(db->exec(QStringLiteral("CREATE TABLE t(x); INSERT INTO t VALUES (1)")).ok());
}

static void makeNewerProject(const QString &p, bool wal)
{
    {
        auto project = ProjectFile::create(p);
        ASSERT_TRUE(project.ok());
    }
    auto db = Database::open(p, Database::Mode::ReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(journalPragma(wal)).ok());
    ASSERT_TRUE(
        db->exec(QStringLiteral("PRAGMA user_version = %1").arg(Schema::currentVersion() + 5)).ok());
}

// Overwrites the middle of a table's b-tree pages with garbage.
static void makeDamagedProject(const QString &p, bool wal)
{
    {
        auto project = ProjectFile::create(p);
        ASSERT_TRUE(project.ok());
        const qint64 run = addRun(**project);
        auto logger = MetricLogger::open(p);
        ASSERT_TRUE(logger.ok());
        for (int i = 0; i < 20000; ++i)
            (*logger)->log(run, QStringLiteral("loss"), i, i * 0.1);
        ASSERT_TRUE((*logger)->flush().ok());
    }
    {
        auto db = Database::open(p, Database::Mode::ReadWrite);
        ASSERT_TRUE(db->exec(journalPragma(wal)).ok());
    }
    QFile f(p);
    ASSERT_TRUE(f.open(QIODevice::ReadWrite));
    const qint64 size = f.size();
    ASSERT_GT(size, 100000);
    // From a page's start (4096-byte pages), so each write hits a b-tree page's header and cell
    // pointers, which quick_check reads, wherever the schema's size puts the pages.
    const qint64 first = size / 3 / 4096 * 4096;
    for (qint64 off = first; off < first + 4096 * 16; off += 4096) {
        f.seek(off);
        f.write(QByteArray(600, '\x5a'));
    }
}

static const BadFileCase kBadFiles[] = {
    {"empty", [](const QString &p) { writeBytes(p, {}); }, "empty file"},
    {"text", [](const QString &p) { writeBytes(p, QByteArray(4096, 'x')); }, "not an SQLite database"},
    {"truncated_header", [](const QString &p) { writeBytes(p, QByteArrayLiteral("SQLite format 3")); },
     "not an SQLite database"},
    {"foreign_sqlite", [](const QString &p) { makeForeignSqlite(p, false); },
     "not an MLOps Workbench project"},
    {"newer_schema", [](const QString &p) { makeNewerProject(p, false); }, "newer MLOps Workbench"},
    {"damaged", [](const QString &p) { makeDamagedProject(p, false); }, "damaged"},
    {"foreign_sqlite_wal", [](const QString &p) { makeForeignSqlite(p, true); },
     "not an MLOps Workbench project", true},
    {"newer_schema_wal", [](const QString &p) { makeNewerProject(p, true); },
     "newer MLOps Workbench", true},
    {"damaged_wal", [](const QString &p) { makeDamagedProject(p, true); }, "damaged", true},
};

// The files SQLite keeps beside a database while it is open.
static const QStringList kSideFiles = {QStringLiteral("-wal"), QStringLiteral("-shm"),
                                       QStringLiteral("-journal")};

// Lists as one string each, so that a failing comparison prints them.
static std::string sideFilesOf(const QString &p)
{
    QStringList present;
    for (const QString &suffix : kSideFiles) {
        if (QFileInfo::exists(p + suffix))
            present << suffix;
    }
    return present.join(u' ').toStdString();
}

static std::string filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name).join(u' ').toStdString();
}

static QDateTime modified(const QString &p) { return QFileInfo(p).fileTime(QFile::FileModificationTime); }

// Bytes 18 and 19 of an SQLite header are 2 in WAL mode.
static bool inWalMode(const QString &p)
{
    QFile f(p);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = f.read(20);
    return header.size() == 20 && header.at(18) == 2 && header.at(19) == 2;
}

TEST_P(BadFileTest, RefusedWithClearErrorAndLeftUntouched)
{
    const BadFileCase &c = kBadFiles[GetParam()];
    const QString p = path(QString::fromLatin1(c.name) + QStringLiteral(".mlwb"));
    c.make(p);
    ASSERT_EQ(inWalMode(p), c.wal) << c.name << ": the case's file is not in the journal mode it names";
    ASSERT_EQ(sideFilesOf(p), "") << c.name << ": the file was left open";
    const QByteArray before = fileSha(p);
    const auto sizeBefore = QFileInfo(p).size();
    const QDateTime mtimeBefore = modified(p);

    for (bool readOnly : {false, true}) {
        auto project = ProjectFile::open(p, {readOnly, QStringLiteral("test"), 0});
        ASSERT_FALSE(project.ok()) << c.name;
        EXPECT_TRUE(project.error().contains(QString::fromLatin1(c.expected)))
            << c.name << ": " << qPrintable(project.error());
        EXPECT_TRUE(project.error().contains(p)) << "the message names the file";
        EXPECT_EQ(project.kind(), ErrorKind::Corrupt) << c.name << ": " << errorKindName(project.kind());
        EXPECT_EQ(fileSha(p), before) << c.name << ": the file was modified";
        EXPECT_EQ(QFileInfo(p).size(), sizeBefore);
        EXPECT_EQ(modified(p), mtimeBefore) << c.name;
        EXPECT_EQ(sideFilesOf(p), "") << c.name << (readOnly ? " (read-only)" : "");
    }
}

INSTANTIATE_TEST_SUITE_P(Files, BadFileTest, ::testing::Range(0, int(std::size(kBadFiles))),
                         [](const auto &info) { return std::string(kBadFiles[info.param].name); });

// Everything a file holds, as comparable bytes: header fields, schema and every table's rows.
// Read immutable, so that looking leaves no -wal or -shm behind.
static QByteArray contentOf(const QString &p)
{
    auto db = Database::open(p, Database::Mode::Immutable);
    if (!db)
        return db.error().toUtf8();
    QByteArray out;
    auto rows = [&](const QString &sql) {
        auto st = db->prepare(sql);
        if (!st) {
            out += st.error().toUtf8();
            return;
        }
        sqlite3_stmt *h = st->handle();
        while (sqlite3_step(h) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(h); ++c) {
                out += char('0' + sqlite3_column_type(h, c));
                const auto *bytes = static_cast<const char *>(sqlite3_column_blob(h, c));
                out += QByteArray(bytes, sqlite3_column_bytes(h, c)).toHex() + ',';
            }
            out += '\n';
        }
    };
    rows(QStringLiteral("PRAGMA application_id"));
    rows(QStringLiteral("PRAGMA user_version"));
    rows(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"));
    QStringList tables;
    auto st = db->prepare(QStringLiteral(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"));
    while (st && *st->step())
        tables << st->columnText(0);
    for (const QString &t : tables) {
        out += t.toUtf8() + ":\n";
        rows(QStringLiteral("SELECT * FROM main.\"%1\"").arg(t));
    }
    return out;
}

// Copies the checked-in version 1 file, in the journal mode asked for.
static void copyV1Fixture(const QString &p, bool wal)
{
    ASSERT_TRUE(QFile::copy(testDataPath(QStringLiteral("fixtures/v1.mlwb")), p));
    QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner);
    if (wal) {
        auto db = Database::open(p, Database::Mode::ReadWrite);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(db->exec(journalPragma(true)).ok());
    }
    ASSERT_EQ(inWalMode(p), wal);
    ASSERT_EQ(sideFilesOf(p), "");
}

TEST_F(ProjectFileTest, MigratesV1FixtureAfterBackup)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    copyV1Fixture(p, false);
    auto version = ProjectFile::validate(p);
    ASSERT_TRUE(version.ok()) << qPrintable(version.error());
    EXPECT_EQ(*version, 1);
    const QByteArray before = fileSha(p);
    const QByteArray contentBefore = contentOf(p);
    ASSERT_TRUE(contentBefore.contains(QByteArray("iris-v1").toHex()));

    auto project = ProjectFile::open(p);
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    EXPECT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    const QString backup = (*project)->migrationBackupPath();
    ASSERT_FALSE(backup.isEmpty());
    EXPECT_TRUE(backup.endsWith(QStringLiteral(".v1.bak")));
    auto backupVersion = ProjectFile::validate(backup);
    ASSERT_TRUE(backupVersion.ok()) << qPrintable(backupVersion.error());
    EXPECT_EQ(*backupVersion, 1);
    // The backup holds what the original held (the online backup API rewrites the header's
    // change counters, so the bytes themselves differ), and the original did change.
    EXPECT_EQ(contentOf(backup).toStdString(), contentBefore.toStdString());
    EXPECT_NE(fileSha(p), before);
    EXPECT_NE(contentOf(p), contentBefore);

    // Old rows survive and new tables work.
    DatasetRepository datasets((*project)->db());
    auto iris = datasets.byName(QStringLiteral("iris-v1"));
    ASSERT_TRUE(iris.ok()) << qPrintable(iris.error());
    EXPECT_EQ(iris->rowCount, 150);
    RunRepository runs((*project)->db());
    auto list = runs.list();
    ASSERT_TRUE(list.ok()) << qPrintable(list.error());
    ASSERT_EQ(list->size(), 1);
    EXPECT_EQ(list->first().name, QStringLiteral("run-v1"));
    EXPECT_EQ(list->first().sweepId, 0);
    MetricReader reader((*project)->db());
    auto loss = reader.series(list->first().id, QStringLiteral("loss"));
    ASSERT_TRUE(loss.ok());
    ASSERT_EQ(loss->size(), 3u);
    EXPECT_DOUBLE_EQ(loss->back().value, 0.5);
    EXPECT_TRUE((*project)->db().exec(QStringLiteral(
        "INSERT INTO evaluation(run_id, dataset_id, split, created_at, report_json) "
        "VALUES (1, 1, 'test', 0, '{}')")).ok());
    // The chart summary of migration 3 is built from the old points.
    auto blocks = reader.chartBuckets(list->first().id, QStringLiteral("loss"), 1);
    ASSERT_TRUE(blocks.ok()) << qPrintable(blocks.error());
    ASSERT_EQ(blocks->size(), 1u);
    EXPECT_DOUBLE_EQ(blocks->front().min, 0.5);
    EXPECT_DOUBLE_EQ(blocks->front().max, 1.5);
    EXPECT_DOUBLE_EQ(blocks->front().last, 0.5);
    EXPECT_EQ(blocks->front().count, 3);
    EXPECT_EQ(*(*project)->db().queryInt(QStringLiteral("SELECT count(*) FROM metric_block")), 1);
}

class JournalModeTest : public TempDirTest, public ::testing::WithParamInterface<bool> {
protected:
    bool wal() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Journal, JournalModeTest, ::testing::Bool(),
                         [](const auto &info) { return std::string(info.param ? "wal" : "rollback"); });

TEST_P(JournalModeTest, MigrationThatFailsLeavesTheFileAsItWas)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    copyV1Fixture(p, wal());
    // Migration 4 creates an index of this name; migrations 2 and 3 succeed before it fails.
    {
        auto db = Database::open(p, Database::Mode::ReadWrite);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(db->exec(QStringLiteral("CREATE TABLE metric_nan(x)")).ok());
    }
    ASSERT_EQ(sideFilesOf(p), "");
    const QByteArray before = fileSha(p);
    const QDateTime mtimeBefore = modified(p);
    const std::string filesBefore = filesIn(m_dir->path());

    auto project = ProjectFile::open(p);
    ASSERT_FALSE(project.ok());
    EXPECT_TRUE(project.error().contains(QStringLiteral("migration to schema version 4 failed")))
        << qPrintable(project.error());
    EXPECT_TRUE(project.error().contains(QStringLiteral("metric_nan"))) << qPrintable(project.error());
    EXPECT_TRUE(project.error().contains(QStringLiteral("the file is unchanged")));
    EXPECT_TRUE(project.error().startsWith(p)) << "the message names the file";

    EXPECT_EQ(fileSha(p), before) << "a failed migration changed the file";
    EXPECT_EQ(modified(p), mtimeBefore);
    EXPECT_EQ(filesIn(m_dir->path()), filesBefore) << "no backup, -wal, -shm or -journal left";
    auto version = ProjectFile::validate(p);
    ASSERT_TRUE(version.ok()) << qPrintable(version.error());
    EXPECT_EQ(*version, 1);
}

// A colleague's older file is read as it is: through views of the current schema, nothing
// migrated, nothing written, nothing left beside it.
TEST_P(JournalModeTest, ReadOnlyOpenReadsAnOlderFileAsItIs)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    copyV1Fixture(p, wal());
    const QByteArray before = fileSha(p);
    const QDateTime mtimeBefore = modified(p);
    const std::string filesBefore = filesIn(m_dir->path());
    const QString note =
        QStringLiteral("schema 1, upgraded to %1 when opened for writing").arg(Schema::currentVersion());
    {
        auto project = ProjectFile::open(p, {true, QStringLiteral("test"), 0});
        ASSERT_TRUE(project.ok()) << qPrintable(project.error());
        ProjectFile &file = **project;
        EXPECT_TRUE(file.isReadOnly());
        EXPECT_EQ(file.schemaVersion(), 1);
        EXPECT_EQ(file.schemaNote(), note);
        EXPECT_EQ(file.readOnlyReason(), note);
        EXPECT_EQ(file.journalMode(), wal() ? QStringLiteral("wal") : QStringLiteral("delete"));

        auto iris = DatasetRepository(file.db()).byName(QStringLiteral("iris-v1"));
        ASSERT_TRUE(iris.ok()) << qPrintable(iris.error());
        EXPECT_EQ(iris->rowCount, 150);
        RunRepository runs(file.db());
        auto list = runs.list();
        ASSERT_TRUE(list.ok()) << qPrintable(list.error());
        ASSERT_EQ(list->size(), 1);
        EXPECT_EQ(list->first().name, QStringLiteral("run-v1"));
        EXPECT_EQ(list->first().status, RunStatus::Finished);
        EXPECT_EQ(list->first().sweepId, 0);
        EXPECT_DOUBLE_EQ(list->first().summary.value(QStringLiteral("accuracy")).toDouble(), 0.9);
        MetricReader reader(file.db());
        auto loss = reader.series(list->first().id, QStringLiteral("loss"));
        ASSERT_TRUE(loss.ok()) << qPrintable(loss.error());
        ASSERT_EQ(loss->size(), 3u);
        EXPECT_DOUBLE_EQ(loss->front().value, 1.5);
        EXPECT_DOUBLE_EQ(loss->back().value, 0.5);
        // The chart summary migration 3 would store, computed from the points.
        auto blocks = reader.chartBuckets(list->first().id, QStringLiteral("loss"), 1);
        ASSERT_TRUE(blocks.ok()) << qPrintable(blocks.error());
        ASSERT_EQ(blocks->size(), 1u);
        EXPECT_DOUBLE_EQ(blocks->front().min, 0.5);
        EXPECT_DOUBLE_EQ(blocks->front().max, 1.5);
        EXPECT_DOUBLE_EQ(blocks->front().last, 0.5);
        EXPECT_EQ(blocks->front().count, 3);
        // What version 1 did not have reads as empty.
        auto evaluations = EvaluationRepository(file.db()).forRun(list->first().id);
        ASSERT_TRUE(evaluations.ok()) << qPrintable(evaluations.error());
        EXPECT_TRUE(evaluations->isEmpty());
        auto sweeps = SweepRepository(file.db()).list();
        ASSERT_TRUE(sweeps.ok()) << qPrintable(sweeps.error());
        EXPECT_TRUE(sweeps->isEmpty());
        auto counts = file.counts();
        ASSERT_TRUE(counts.ok()) << qPrintable(counts.error());
        EXPECT_EQ(counts->value(u"runs"), 1);
        EXPECT_EQ(counts->value(u"metric_points"), 3);

        // A write fails loudly, also where a view stands in for a table version 1 lacks.
        EXPECT_FALSE(file.db().exec(QStringLiteral(
            "INSERT INTO evaluation(run_id, dataset_id, split, created_at, report_json) "
            "VALUES (1, 1, 'test', 0, '{}')")).ok());
        EXPECT_FALSE(file.db().exec(QStringLiteral("UPDATE dataset SET name = 'x'")).ok());
        auto writer = file.tryBecomeWriter();
        ASSERT_FALSE(writer.ok());
        EXPECT_TRUE(writer.error().contains(QStringLiteral("upgrade"))) << qPrintable(writer.error());
        EXPECT_TRUE(file.isReadOnly());
    }
    EXPECT_EQ(fileSha(p), before) << "a read-only open changed the file";
    EXPECT_EQ(modified(p), mtimeBefore);
    EXPECT_EQ(filesIn(m_dir->path()), filesBefore) << "no backup, -wal, -shm or -journal left";
}

// The shims of every migration together: a file of each older version offers the current
// schema's tables and columns, so a migration without its shim turns this red.
TEST_F(ProjectFileTest, EveryOlderSchemaReadsWithTheCurrentTablesAndColumns)
{
    auto tablesOf = [](Database &db) {
        QStringList tables;
        auto st = db.prepare(QStringLiteral(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"));
        EXPECT_TRUE(st.ok());
        while (st && *st->step())
            tables << st->columnText(0);
        return tables;
    };
    auto columnsOf = [](Database &db, const QStringList &tables) {
        QStringList out;
        for (const QString &t : tables) {
            // Unqualified, like the repositories' queries: a TEMP view wins over main.
            auto cols = db.prepare(QStringLiteral("SELECT name FROM pragma_table_info(?1)"));
            EXPECT_TRUE(cols.ok());
            cols->bind(1, t);
            QStringList names;
            while (*cols->step())
                names << cols->columnText(0);
            out << t + QStringLiteral("(") + names.join(u',') + QStringLiteral(")");
        }
        return out.join(u'\n').toStdString();
    };
    const QString current = path(QStringLiteral("current.mlwb"));
    auto fresh = ProjectFile::create(current);
    ASSERT_TRUE(fresh.ok());
    const QStringList tables = tablesOf((*fresh)->db());
    const std::string expected = columnsOf((*fresh)->db(), tables);
    ASSERT_NE(expected.find("\nrun(id,model_version_id,dataset_id,name,status,hyperparams_json,"
                            "created_at,started_at,finished_at,message,owner_lease,summary_json,"
                            "sweep_id,experiment_id,origin,user_id,deleted_at,heartbeat_at,inputs_json)\n"),
              std::string::npos)
        << expected;
    EXPECT_EQ(*(*fresh)->db().queryInt(QStringLiteral("SELECT count(*) FROM temp.sqlite_master")), 0);

    for (int v = 1; v < Schema::currentVersion(); ++v) {
        const QString p = path(QStringLiteral("v%1.mlwb").arg(v));
        {
            auto db = Database::open(p, Database::Mode::Create);
            ASSERT_TRUE(db.ok());
            ASSERT_TRUE(Schema::create(*db, v).ok());
        }
        auto old = ProjectFile::open(p, {true, QStringLiteral("test"), 0});
        ASSERT_TRUE(old.ok()) << qPrintable(old.error());
        EXPECT_EQ((*old)->schemaVersion(), v);
        EXPECT_EQ(columnsOf((*old)->db(), tables), expected) << "schema version " << v;
    }
}

// Migration 10 rebuilds the run table (its model version becomes optional, for the runs scripts
// log through the tracking endpoint): every run keeps its id and columns, what refers to runs
// still does (checkpoints, artifacts, evaluations, points), cascades still cascade, and the
// Default experiment exists.
TEST_F(ProjectFileTest, MigrationTenKeepsEveryRunAndWhatRefersToIt)
{
    const QString p = path(QStringLiteral("v9.mlwb"));
    {
        auto db = Database::open(p, Database::Mode::Create);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(Schema::create(*db, 9).ok());
        for (const char *sql : {
                 "INSERT INTO model(id, name, kind, created_at) VALUES (1, 'iris', 'spec', 1.0)",
                 "INSERT INTO model_version(id, model_id, version, created_at, spec_json) VALUES (5, 1, 1, 1.0, '{}')",
                 "INSERT INTO sweep(id, name, model_id, strategy, spec_json, created_at) VALUES (2, 's', 1, 'grid', '{}', 1.0)",
                 "INSERT INTO run(id, model_version_id, name, status, hyperparams_json, created_at, started_at, finished_at, message, "
                 "owner_lease, summary_json, sweep_id) VALUES (7, 5, 'first', 'finished', '{\"lr\":0.01}', 10.5, 11.0, 12.0, 'ok', 3, "
                 "'{\"acc\":0.9}', 2)",
                 "INSERT INTO run(id, model_version_id, name, status, created_at) VALUES (8, 5, 'second', 'running', 20.0)",
                 "INSERT INTO checkpoint(run_id, tag, step, epoch, created_at, data) VALUES (7, 'best', 3, 1, 12.0, x'00')",
                 "INSERT INTO artifact(run_id, name, mime, created_at, data) VALUES (7, 'model.pt', 'application/zip', 12.0, x'01')",
                 "INSERT INTO metric_key(id, name) VALUES (1, 'loss')",
                 "INSERT INTO metric(run_id, key_id, step, wall, value) VALUES (7, 1, 0, 11.0, 0.5)",
             })
            ASSERT_TRUE(db->exec(QString::fromUtf8(sql)).ok()) << sql;
    }
    auto project = ProjectFile::open(p, {false, QStringLiteral("test"), 0});
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    ASSERT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    Database &db = (*project)->db();
    auto row = db.prepare(QStringLiteral(
        "SELECT model_version_id, name, status, hyperparams_json, created_at, started_at, finished_at, message, owner_lease, "
        "summary_json, sweep_id, experiment_id IS NULL, origin FROM run WHERE id = 7"));
    ASSERT_TRUE(row.ok());
    ASSERT_TRUE(*row->step());
    EXPECT_EQ(row->columnInt(0), 5);
    EXPECT_EQ(row->columnText(1), QStringLiteral("first"));
    EXPECT_EQ(row->columnText(2), QStringLiteral("finished"));
    EXPECT_EQ(row->columnText(3), QStringLiteral("{\"lr\":0.01}"));
    EXPECT_EQ(row->columnDouble(4), 10.5);
    EXPECT_EQ(row->columnDouble(5), 11.0);
    EXPECT_EQ(row->columnDouble(6), 12.0);
    EXPECT_EQ(row->columnText(7), QStringLiteral("ok"));
    EXPECT_EQ(row->columnInt(8), 3);
    EXPECT_EQ(row->columnText(9), QStringLiteral("{\"acc\":0.9}"));
    EXPECT_EQ(row->columnInt(10), 2);
    EXPECT_EQ(row->columnInt(11), 1);
    EXPECT_EQ(row->columnText(12), QStringLiteral("workbench"));
    row = Statement();
    EXPECT_EQ(*db.queryInt(QStringLiteral("SELECT count(*) FROM run")), 2);
    EXPECT_EQ(*db.queryInt(QStringLiteral("SELECT count(*) FROM pragma_foreign_key_check")), 0);
    EXPECT_EQ(*db.queryText(QStringLiteral("SELECT name FROM experiment WHERE id = 0")), QStringLiteral("Default"));
    EXPECT_EQ(*db.queryText(QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
    // A run needs a model version or an experiment.
    EXPECT_FALSE(db.exec(QStringLiteral("INSERT INTO run(name, status, created_at) VALUES ('orphan', 'running', 1.0)")).ok());
    // The change log still sees runs, and deleting the model still takes its runs and theirs.
    const qint64 before = *db.queryInt(QStringLiteral("SELECT n FROM change_counter"));
    ASSERT_TRUE(db.exec(QStringLiteral("UPDATE run SET name = 'renamed' WHERE id = 8")).ok());
    EXPECT_GT(*db.queryInt(QStringLiteral("SELECT n FROM change_counter")), before);
    ASSERT_TRUE(db.exec(QStringLiteral("DELETE FROM model WHERE id = 1")).ok());
    EXPECT_EQ(*db.queryInt(QStringLiteral("SELECT count(*) FROM run")), 0);
    EXPECT_EQ(*db.queryInt(QStringLiteral("SELECT count(*) FROM checkpoint")), 0);
    EXPECT_EQ(*db.queryInt(QStringLiteral("SELECT count(*) FROM artifact")), 0);
}

// The view standing in for migration 3's table gives the rows that migration stores, also
// for NaN points (stored as NULL), blocks that end in NaN and blocks of NaN only.
TEST_F(ProjectFileTest, OlderFileChartBlocksAreWhatMigrationStores)
{
    const QString readPath = path(QStringLiteral("read.mlwb"));
    {
        auto db = Database::open(readPath, Database::Mode::Create);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(Schema::create(*db, 2).ok());
        ASSERT_TRUE(db->exec(QStringLiteral("BEGIN")).ok());
        auto st = db->prepare(QStringLiteral(
            "INSERT INTO metric(run_id, key_id, step, wall, value) VALUES (?1, ?2, ?3, ?4, ?5)"));
        ASSERT_TRUE(st.ok());
        for (int step = 0; step < 300; ++step) {
            st->bind(1, 1).bind(2, 1).bind(3, step).bind(4, 1000.0 + step * 0.25);
            if (step % 7 == 3 || step == 127 || (step >= 192 && step < 256))
                st->bindNull(5);
            else
                st->bind(5, std::sin(step * 0.1) * 10.0);
            ASSERT_TRUE(st->run().ok());
        }
        for (int step = 5; step < 1000; step += 37) {
            st->bind(1, 2).bind(2, 1).bind(3, step).bind(4, double(step)).bind(5, -double(step));
            ASSERT_TRUE(st->run().ok());
        }
        st = Statement();
        ASSERT_TRUE(db->exec(QStringLiteral("COMMIT")).ok());
    }
    const QString migratePath = path(QStringLiteral("migrate.mlwb"));
    ASSERT_TRUE(QFile::copy(readPath, migratePath));
    const QString sql = QStringLiteral(
        "SELECT run_id, key_id, block, first_step, last_step, quote(first_wall), quote(last_wall), "
        "quote(min), quote(max), quote(last), count FROM metric_block ORDER BY run_id, key_id, block");
    auto rowsOf = [&sql](Database &db) {
        QStringList rows;
        auto st = db.prepare(sql);
        EXPECT_TRUE(st.ok()) << qPrintable(st.error());
        while (st && *st->step()) {
            QStringList cols;
            for (int c = 0; c < 11; ++c)
                cols << st->columnText(c);
            rows << cols.join(u'|');
        }
        return rows;
    };
    auto reading = ProjectFile::open(readPath, {true, QStringLiteral("test"), 0});
    ASSERT_TRUE(reading.ok()) << qPrintable(reading.error());
    auto migrated = ProjectFile::open(migratePath, {false, QStringLiteral("test"), 0});
    ASSERT_TRUE(migrated.ok()) << qPrintable(migrated.error());
    ASSERT_EQ((*migrated)->schemaVersion(), Schema::currentVersion());
    const QStringList stored = rowsOf((*migrated)->db());
    ASSERT_EQ(stored.size(), 5 + 16) << qPrintable(stored.join(u'\n'));
    EXPECT_TRUE(stored.contains(QStringLiteral("1|1|3|192|255|1048.0|1063.75|NULL|NULL|NULL|64")))
        << qPrintable(stored.join(u'\n'));
    EXPECT_EQ(rowsOf((*reading)->db()).join(u'\n').toStdString(), stored.join(u'\n').toStdString());
}

TEST_F(ProjectFileTest, ReadOnlyReaderFollowsAnUpgradeByAnother)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    copyV1Fixture(p, false);
    auto reader = ProjectFile::open(p, {true, QStringLiteral("reader"), 0});
    ASSERT_TRUE(reader.ok()) << qPrintable(reader.error());
    EXPECT_FALSE((*reader)->schemaNote().isEmpty());
    EXPECT_FALSE((*reader)->changedSinceLastCheck());

    auto writer = ProjectFile::open(p, {false, QStringLiteral("writer"), 0});
    ASSERT_TRUE(writer.ok()) << qPrintable(writer.error());
    ASSERT_FALSE((*writer)->migrationBackupPath().isEmpty());
    ASSERT_TRUE((*writer)->db().exec(QStringLiteral(
        "INSERT INTO evaluation(run_id, dataset_id, split, created_at, report_json) "
        "VALUES (1, 1, 'test', 0, '{}')")).ok());

    EXPECT_TRUE((*reader)->changedSinceLastCheck());
    EXPECT_TRUE((*reader)->schemaNote().isEmpty());
    EXPECT_TRUE((*reader)->readOnlyReason().isEmpty()) << qPrintable((*reader)->readOnlyReason());
    auto evaluations = EvaluationRepository((*reader)->db()).forRun(1);
    ASSERT_TRUE(evaluations.ok()) << qPrintable(evaluations.error());
    EXPECT_EQ(evaluations->size(), 1) << "the reader still sees the empty stand-in";
}

TEST_F(ProjectFileTest, LeasesShowWhoHasTheFileOpen)
{
    const QString p = path(QStringLiteral("a.mlwb"));
    auto first = ProjectFile::create(p, {false, QStringLiteral("alpha"), 50});
    ASSERT_TRUE(first.ok());
    auto second = ProjectFile::open(p, {false, QStringLiteral("beta"), 50});
    ASSERT_TRUE(second.ok()) << qPrintable(second.error());
    auto leases = (*second)->leases();
    ASSERT_TRUE(leases.ok());
    ASSERT_EQ(leases->size(), 2);
    EXPECT_EQ(leases->at(0).program, QStringLiteral("alpha"));
    EXPECT_EQ(leases->at(1).program, QStringLiteral("beta"));
    EXPECT_TRUE(leases->at(1).self);
    first->reset();
    leases = (*second)->leases();
    ASSERT_EQ(leases->size(), 1);
    EXPECT_EQ(leases->at(0).program, QStringLiteral("beta"));
}

TEST_F(ProjectFileTest, NetworkFileSystemAllowsOneWriter)
{
    qputenv("MLWB_ASSUME_NETWORK_FS", "1");
    const QString p = path(QStringLiteral("share.mlwb"));
    auto writer = ProjectFile::create(p, {false, QStringLiteral("alice-workbench"), 0});
    ASSERT_TRUE(writer.ok()) << qPrintable(writer.error());
    EXPECT_EQ((*writer)->journalMode(), QStringLiteral("delete"));
    EXPECT_FALSE((*writer)->isReadOnly());

    auto reader = ProjectFile::open(p, {false, QStringLiteral("bob-workbench"), 0});
    ASSERT_TRUE(reader.ok()) << qPrintable(reader.error());
    EXPECT_TRUE((*reader)->isReadOnly());
    EXPECT_TRUE((*reader)->readOnlyReason().contains(QStringLiteral("alice-workbench")))
        << qPrintable((*reader)->readOnlyReason());
    EXPECT_TRUE((*reader)->readOnlyReason().contains(QStringLiteral("is writing")));
    EXPECT_TRUE((*reader)->tryBecomeWriter().ok());
    EXPECT_TRUE((*reader)->isReadOnly()) << "alice still writes";

    writer->reset();
    ASSERT_TRUE((*reader)->tryBecomeWriter().ok());
    EXPECT_FALSE((*reader)->isReadOnly());
    EXPECT_TRUE((*reader)->readOnlyReason().isEmpty());
    qunsetenv("MLWB_ASSUME_NETWORK_FS");
}

TEST_F(ProjectFileTest, DataVersionSignalsChangesByOthers)
{
    const QString p = path(QStringLiteral("a.mlwb"));
    auto mine = ProjectFile::create(p);
    ASSERT_TRUE(mine.ok());
    EXPECT_FALSE((*mine)->changedSinceLastCheck());
    auto theirs = ProjectFile::open(p);
    ASSERT_TRUE(theirs.ok());
    (void)(*mine)->changedSinceLastCheck(); // their lease registration
    EXPECT_FALSE((*mine)->changedSinceLastCheck());
    addRun(**theirs);
    EXPECT_TRUE((*mine)->changedSinceLastCheck());
    EXPECT_FALSE((*mine)->changedSinceLastCheck());
    addRun(**mine); // our own writes do not count
    EXPECT_FALSE((*mine)->changedSinceLastCheck());
}

TEST_F(ProjectFileTest, BackupWhileAnotherConnectionWrites)
{
    const QString p = path(QStringLiteral("a.mlwb"));
    auto project = ProjectFile::create(p);
    ASSERT_TRUE(project.ok());
    const qint64 run = addRun(**project);
    auto logger = MetricLogger::open(p, {10, 1000});
    ASSERT_TRUE(logger.ok());
    std::atomic<bool> stop = false;
    std::thread writer([&] {
        for (int i = 0; !stop; ++i)
            (*logger)->log(run, QStringLiteral("loss"), i, i);
    });
    // Back up while the writer is in full flow: some batches committed, more coming.
    while ((*logger)->committedPoints() < 5000)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const QString copy = path(QStringLiteral("copy.mlwb"));
    auto s = (*project)->backupTo(copy);
    stop = true;
    writer.join();
    ASSERT_TRUE(s.ok()) << qPrintable(s.error());
    auto opened = ProjectFile::open(copy);
    ASSERT_TRUE(opened.ok()) << qPrintable(opened.error());
    auto counts = (*opened)->counts();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->value(u"runs"), 1);
    EXPECT_GT(counts->value(u"metric_points"), 0);
    auto leases = (*opened)->leases();
    EXPECT_EQ(leases->size(), 1) << "only our own lease; none copied";
}

TEST_F(ProjectFileTest, RunOfDeadProcessIsInterruptedOnOpen)
{
    const QString p = path(QStringLiteral("a.mlwb"));
    qint64 run;
    {
        auto project = ProjectFile::create(p);
        ASSERT_TRUE(project.ok());
        run = addRun(**project);
        // A lease of a process that no longer exists on this host.
        ASSERT_TRUE((*project)->db().exec(QStringLiteral(
            "INSERT INTO lease(id, user, host, pid, mode, program, started, heartbeat) "
            "VALUES (999, 'x', '%1', 999999999, 'write', 'ghost', 0, 0)")
                                               .arg(QSysInfo::machineHostName())).ok());
        RunRepository runs((*project)->db());
        ASSERT_TRUE(runs.markRunning(run, 999).ok());
    }
    auto project = ProjectFile::open(p);
    ASSERT_TRUE(project.ok());
    RunRepository runs((*project)->db());
    EXPECT_EQ(runs.get(run)->status, RunStatus::Interrupted);
    EXPECT_TRUE(runs.get(run)->message.contains(QStringLiteral("interrupted")));
}
