// SPDX-License-Identifier: MIT
#include "store/database.h"
#include "store/dataset_repository.h"
#include "store/metric_reader.h"
#include "store/metric_logger.h"
#include "store/schema.h"
#include "store_fixture.h"

#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

#include <atomic>
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
    QFile check(p);
    ASSERT_TRUE(check.open(QIODevice::ReadOnly));
    EXPECT_EQ(check.readAll(), QByteArrayLiteral("precious"));
}

TEST_F(ProjectFileTest, MissingFile)
{
    auto project = ProjectFile::open(path(QStringLiteral("nope.mlwb")));
    ASSERT_FALSE(project.ok());
    EXPECT_TRUE(project.error().contains(QStringLiteral("no such file")));
}

struct BadFileCase {
    const char *name;
    std::function<void(const QString &)> make;
    const char *expected;
};

class BadFileTest : public TempDirTest, public ::testing::WithParamInterface<int> {};

static void writeBytes(const QString &p, const QByteArray &bytes)
{
    QFile f(p);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

static void makeForeignSqlite(const QString &p)
{
    auto db = Database::open(p, Database::Mode::Create);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(QStringLiteral("CREATE TABLE t(x); INSERT INTO t VALUES (1)")).ok());
}

static void makeNewerProject(const QString &p)
{
    {
        auto project = ProjectFile::create(p);
        ASSERT_TRUE(project.ok());
    }
    auto db = Database::open(p, Database::Mode::ReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec(QStringLiteral("PRAGMA journal_mode = DELETE")).ok());
    ASSERT_TRUE(
        db->exec(QStringLiteral("PRAGMA user_version = %1").arg(Schema::currentVersion() + 5)).ok());
}

// Overwrites the middle of a table's b-tree pages with garbage.
static void makeDamagedProject(const QString &p)
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
        ASSERT_TRUE(db->exec(QStringLiteral("PRAGMA journal_mode = DELETE")).ok());
    }
    QFile f(p);
    ASSERT_TRUE(f.open(QIODevice::ReadWrite));
    const qint64 size = f.size();
    ASSERT_GT(size, 100000);
    for (qint64 off = size / 3; off < size / 3 + 8192 * 4; off += 8192) {
        f.seek(off + 100);
        f.write(QByteArray(600, '\x5a'));
    }
}

static const BadFileCase kBadFiles[] = {
    {"empty", [](const QString &p) { writeBytes(p, {}); }, "empty file"},
    {"text", [](const QString &p) { writeBytes(p, QByteArray(4096, 'x')); }, "not an SQLite database"},
    {"truncated_header", [](const QString &p) { writeBytes(p, QByteArrayLiteral("SQLite format 3")); },
     "not an SQLite database"},
    {"foreign_sqlite", makeForeignSqlite, "not a MLOps Workbench project"},
    {"newer_schema", makeNewerProject, "newer MLOps Workbench"},
    {"damaged", makeDamagedProject, "damaged"},
};

TEST_P(BadFileTest, RefusedWithClearErrorAndLeftUntouched)
{
    const BadFileCase &c = kBadFiles[GetParam()];
    const QString p = path(QString::fromLatin1(c.name) + QStringLiteral(".mlwb"));
    c.make(p);
    const QByteArray before = fileSha(p);
    const auto sizeBefore = QFileInfo(p).size();

    auto project = ProjectFile::open(p);
    ASSERT_FALSE(project.ok()) << c.name;
    EXPECT_TRUE(project.error().contains(QString::fromLatin1(c.expected)))
        << c.name << ": " << qPrintable(project.error());
    EXPECT_TRUE(project.error().contains(p)) << "the message names the file";
    EXPECT_EQ(fileSha(p), before) << c.name << ": the file was modified";
    EXPECT_EQ(QFileInfo(p).size(), sizeBefore);
    EXPECT_FALSE(QFileInfo::exists(p + QStringLiteral("-wal")));
    EXPECT_FALSE(QFileInfo::exists(p + QStringLiteral("-journal")));
}

INSTANTIATE_TEST_SUITE_P(Files, BadFileTest, ::testing::Range(0, int(std::size(kBadFiles))),
                         [](const auto &info) { return std::string(kBadFiles[info.param].name); });

TEST_F(ProjectFileTest, MigratesV1FixtureAfterBackup)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    ASSERT_TRUE(QFile::copy(testDataPath(QStringLiteral("fixtures/v1.mlwb")), p));
    QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner);
    auto version = ProjectFile::validate(p);
    ASSERT_TRUE(version.ok()) << qPrintable(version.error());
    EXPECT_EQ(*version, 1);
    const QByteArray before = fileSha(p);

    auto project = ProjectFile::open(p);
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    EXPECT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    const QString backup = (*project)->migrationBackupPath();
    ASSERT_FALSE(backup.isEmpty());
    EXPECT_TRUE(backup.endsWith(QStringLiteral(".v1.bak")));
    auto backupVersion = ProjectFile::validate(backup);
    ASSERT_TRUE(backupVersion.ok()) << qPrintable(backupVersion.error());
    EXPECT_EQ(*backupVersion, 1);
    Q_UNUSED(before);

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

TEST_F(ProjectFileTest, ReadOnlyOpenDoesNotMigrate)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    ASSERT_TRUE(QFile::copy(testDataPath(QStringLiteral("fixtures/v1.mlwb")), p));
    QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner);
    const QByteArray before = fileSha(p);
    auto project = ProjectFile::open(p, {true, QStringLiteral("test"), 0});
    EXPECT_FALSE(project.ok());
    EXPECT_EQ(fileSha(p), before);
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
    EXPECT_EQ(counts->runs, 1);
    EXPECT_GT(counts->metricPoints, 0);
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
