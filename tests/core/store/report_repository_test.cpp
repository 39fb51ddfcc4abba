// SPDX-License-Identifier: MIT
// ReportRepository (schema 9, issue #14): report definitions by unique name with their runs,
// sections, format and paper; when and where they were last rendered; their change tracking;
// the stand-in that reads a version 8 file as having none, and migration 9 keeping the file.
#include "store/change_feed.h"
#include "store/database.h"
#include "store/report_repository.h"
#include "store/schema.h"
#include "store/target_repository.h"
#include "store_fixture.h"
#include "temp_project_test.h"

#include <QJsonArray>

using namespace mlwb;
using namespace mlwb::test;

namespace {

ReportRecord definition(const QString &name, QList<qint64> runs = {1, 2})
{
    ReportRecord r;
    r.name = name;
    r.title = QStringLiteral("Iris: MLP against logistic regression");
    r.author = QStringLiteral("alice");
    r.runIds = std::move(runs);
    r.sections = {QStringLiteral("metrics"), QStringLiteral("curves")};
    r.format = QStringLiteral("html");
    r.paper = QStringLiteral("letter");
    return r;
}

} // namespace

class ReportRepositoryTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        m_reports.emplace(db());
    }
    std::optional<ReportRepository> m_reports;
};

TEST_F(ReportRepositoryTest, ADefinitionIsStoredByNameWithItsRunsAndSections)
{
    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    auto id = m_reports->add(definition(QStringLiteral("weekly")));
    ASSERT_OK(id);
    auto got = m_reports->get(*id);
    ASSERT_OK(got);
    EXPECT_EQ(got->name, QStringLiteral("weekly"));
    EXPECT_EQ(got->title, QStringLiteral("Iris: MLP against logistic regression"));
    EXPECT_EQ(got->author, QStringLiteral("alice"));
    EXPECT_EQ(got->runIds, (QList<qint64>{1, 2}));
    EXPECT_EQ(got->sections, (QStringList{QStringLiteral("metrics"), QStringLiteral("curves")}));
    EXPECT_EQ(got->format, QStringLiteral("html"));
    EXPECT_EQ(got->paper, QStringLiteral("letter"));
    EXPECT_GE(got->createdAt, before);
    EXPECT_FALSE(got->renderedAt.isValid()) << "never rendered yet";

    // More runs finished: the same definition names them too.
    ReportRecord more = *got;
    more.runIds << 7;
    more.sections.clear(); // every section
    ASSERT_OK(m_reports->update(more));
    auto found = m_reports->find(QStringLiteral("weekly"));
    ASSERT_OK(found);
    EXPECT_EQ(found->runIds, (QList<qint64>{1, 2, 7}));
    EXPECT_TRUE(found->sections.isEmpty());

    ASSERT_OK(m_reports->markRendered(*id, QStringLiteral("/tmp/weekly.html")));
    auto rendered = m_reports->get(*id);
    ASSERT_OK(rendered);
    EXPECT_TRUE(rendered->renderedAt.isValid());
    EXPECT_EQ(rendered->renderedTo, QStringLiteral("/tmp/weekly.html"));
    const QJsonObject json = rendered->toJson();
    EXPECT_EQ(json.value(u"runs").toArray().size(), 3);
    EXPECT_EQ(json.value(u"rendered_to").toString(), QStringLiteral("/tmp/weekly.html"));

    ASSERT_OK(m_reports->add(definition(QStringLiteral("alpha"))));
    auto all = m_reports->list();
    ASSERT_OK(all);
    ASSERT_EQ(all->size(), 2);
    EXPECT_EQ(all->at(0).name, QStringLiteral("alpha"));
    EXPECT_EQ(all->at(1).name, QStringLiteral("weekly"));

    ASSERT_OK(m_reports->rename(*id, QStringLiteral("monthly")));
    EXPECT_EQ(m_reports->find(QStringLiteral("weekly")).kind(), ErrorKind::NotFound);
    ASSERT_OK(m_reports->find(QStringLiteral("monthly")));
    ASSERT_OK(m_reports->remove(*id));
    EXPECT_EQ(m_reports->get(*id).kind(), ErrorKind::NotFound);
    EXPECT_EQ(m_reports->remove(*id).kind(), ErrorKind::NotFound);
}

// Title and author are optional: the report's default title, whoever renders it.
TEST_F(ReportRepositoryTest, ADefinitionWithoutTitleOrAuthorIsStored)
{
    ReportRecord bare;
    bare.name = QStringLiteral("bare");
    bare.runIds = {3};
    auto id = m_reports->add(bare);
    ASSERT_OK(id);
    auto got = m_reports->get(*id);
    ASSERT_OK(got);
    EXPECT_TRUE(got->title.isEmpty());
    EXPECT_TRUE(got->author.isEmpty());
    EXPECT_EQ(got->format, QStringLiteral("pdf"));
    ASSERT_OK(m_reports->update(bare.id ? bare : *got));
}

TEST_F(ReportRepositoryTest, BadDefinitionsAreRefusedNamingWhatIsWrong)
{
    ASSERT_OK(m_reports->add(definition(QStringLiteral("weekly"))));
    auto twice = m_reports->add(definition(QStringLiteral("weekly")));
    EXPECT_EQ(twice.kind(), ErrorKind::Conflict);
    EXPECT_TRUE(twice.error().contains(QStringLiteral("weekly"))) << qPrintable(twice.error());

    auto noRuns = m_reports->add(definition(QStringLiteral("empty"), {}));
    EXPECT_EQ(noRuns.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(noRuns.error().contains(QStringLiteral("no run"))) << qPrintable(noRuns.error());

    ReportRecord docx = definition(QStringLiteral("word"));
    docx.format = QStringLiteral("docx");
    auto format = m_reports->add(docx);
    EXPECT_EQ(format.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(format.error().contains(QStringLiteral("docx"))) << qPrintable(format.error());

    ReportRecord a3 = definition(QStringLiteral("big"));
    a3.paper = QStringLiteral("a3");
    EXPECT_EQ(m_reports->add(a3).kind(), ErrorKind::InvalidInput);
    EXPECT_EQ(m_reports->add(definition(QStringLiteral("  "))).kind(), ErrorKind::InvalidInput);
    auto list = m_reports->list();
    ASSERT_OK(list);
    EXPECT_EQ(list->size(), 1) << "nothing half-stored";
}

TEST_F(ReportRepositoryTest, ChangesAreTracked)
{
    auto feed = ChangeFeed::open(db());
    ASSERT_OK(feed);
    auto id = m_reports->add(definition(QStringLiteral("weekly")));
    ASSERT_OK(id);
    auto changes = feed->read();
    ASSERT_OK(changes);
    EXPECT_EQ(changes->items.value(Aggregate::Report), QList<qint64>{*id});
    ASSERT_OK(m_reports->markRendered(*id, QStringLiteral("/tmp/r.pdf")));
    changes = feed->read();
    ASSERT_OK(changes);
    EXPECT_EQ(changes->items.value(Aggregate::Report), QList<qint64>{*id});
    EXPECT_TRUE(ChangeFeed::aggregates().contains(Aggregate::Report));
}

// A colleague's version 8 file, opened read-only, reads as having no reports; nothing is written.
TEST_F(ReportRepositoryTest, AVersion8FileReadOnlyHasNoReports)
{
    const QString p = path(QStringLiteral("v8.mlwb"));
    {
        auto file = Database::open(p, Database::Mode::Create);
        ASSERT_OK(file);
        ASSERT_OK(Schema::create(*file, 8));
    }
    const QByteArray before = fileSha(p);
    {
        auto old = ProjectFile::open(p, {true, QStringLiteral("test"), 0});
        ASSERT_OK(old);
        EXPECT_EQ((*old)->schemaVersion(), 8);
        ReportRepository reports((*old)->db());
        auto list = reports.list();
        ASSERT_OK(list);
        EXPECT_TRUE(list->isEmpty());
        EXPECT_EQ(reports.find(QStringLiteral("weekly")).kind(), ErrorKind::NotFound);
        EXPECT_FALSE(reports.add(definition(QStringLiteral("weekly"))).ok()) << "the stand-in cannot be written to";
    }
    EXPECT_EQ(fileSha(p), before) << "a read-only open changed the file";
}

// Migration 9 adds the table and its change tracking and keeps what the file held.
TEST_F(ReportRepositoryTest, MigratingFrom8KeepsTargetsAndAddsReports)
{
    const QString p = path(QStringLiteral("v8.mlwb"));
    {
        auto file = Database::open(p, Database::Mode::Create);
        ASSERT_OK(file);
        ASSERT_OK(Schema::create(*file, 8));
        TargetRecord t;
        t.name = QStringLiteral("prod");
        t.url = QStringLiteral("http://127.0.0.1:8500");
        t.createdBy = QStringLiteral("alice@ws1");
        ASSERT_OK(TargetRepository(*file).add(t));
    }
    auto project = ProjectFile::open(p);
    ASSERT_OK(project);
    Database &migrated = (*project)->db();
    EXPECT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    EXPECT_GE(Schema::currentVersion(), 9);
    ASSERT_OK(TargetRepository(migrated).find(QStringLiteral("prod")));
    auto feed = ChangeFeed::open(migrated);
    ASSERT_OK(feed);
    auto id = ReportRepository(migrated).add(definition(QStringLiteral("weekly")));
    ASSERT_OK(id);
    auto changes = feed->read();
    ASSERT_OK(changes);
    EXPECT_EQ(changes->items.value(Aggregate::Report), QList<qint64>{*id});
}
