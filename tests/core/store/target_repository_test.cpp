// SPDX-License-Identifier: MIT
// TargetRepository and DeploymentRepository: targets by unique name with URL and CA certificate
// (never a token), the deployment history newest first with who, when, which package and under
// which override; their change tracking; schema 7 and its stand-in for older files.
#include "store/change_feed.h"
#include "store/database.h"
#include "store/deployment_repository.h"
#include "store/package_repository.h"
#include "store/schema.h"
#include "store/statement.h"
#include "store/target_repository.h"
#include "store_fixture.h"
#include "temp_project_test.h"

#include <QJsonDocument>

using namespace mlwb;
using namespace mlwb::test;

namespace {

const QString kPem = QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTEST\n-----END CERTIFICATE-----\n");

TargetRecord target(const QString &name, const QString &url = QStringLiteral("http://127.0.0.1:8500"))
{
    TargetRecord t;
    t.name = name;
    t.url = url;
    t.createdBy = QStringLiteral("alice@ws1");
    return t;
}

DeploymentRecord deployment(qint64 targetId, DeploymentAction action, const QString &version, qint64 packageId = 0)
{
    DeploymentRecord d;
    d.targetId = targetId;
    d.packageId = packageId;
    d.model = QStringLiteral("iris");
    d.version = version;
    d.action = action;
    d.by = QStringLiteral("alice@ws1");
    return d;
}

qint64 countRows(Database &db, const QString &table)
{
    auto n = db.queryInt(QStringLiteral("SELECT count(*) FROM %1").arg(table));
    EXPECT_OK(n);
    return n ? *n : -1;
}

} // namespace

class TargetRepositoryTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        m_targets.emplace(db());
        m_deployments.emplace(db());
    }
    qint64 addTarget(const QString &name)
    {
        auto id = m_targets->add(target(name));
        EXPECT_OK(id);
        return id ? *id : 0;
    }
    std::optional<TargetRepository> m_targets;
    std::optional<DeploymentRepository> m_deployments;
};

TEST_F(TargetRepositoryTest, ATargetIsStoredByNameWithUrlAndCertificate)
{
    TargetRecord t = target(QStringLiteral("prod"), QStringLiteral("https://agent.example:8443"));
    t.caCert = kPem;
    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    auto id = m_targets->add(t);
    ASSERT_OK(id);
    auto got = m_targets->get(*id);
    ASSERT_OK(got);
    EXPECT_EQ(got->name, QStringLiteral("prod"));
    EXPECT_EQ(got->url, QStringLiteral("https://agent.example:8443"));
    EXPECT_EQ(got->caCert, kPem);
    EXPECT_EQ(got->createdBy, QStringLiteral("alice@ws1"));
    EXPECT_GE(got->createdAt, before);
    EXPECT_LE(got->createdAt, QDateTime::currentDateTime());
    auto found = m_targets->find(QStringLiteral("prod"));
    ASSERT_OK(found);
    EXPECT_EQ(found->id, *id);
    EXPECT_EQ(found->caCert, kPem);

    addTarget(QStringLiteral("alpha"));
    addTarget(QStringLiteral("staging"));
    auto all = m_targets->list();
    ASSERT_OK(all);
    QStringList names;
    for (const TargetRecord &r : *all)
        names << r.name;
    EXPECT_EQ(names, (QStringList{QStringLiteral("alpha"), QStringLiteral("prod"), QStringLiteral("staging")}));
    EXPECT_TRUE(all->first().caCert.isEmpty());

    auto missing = m_targets->find(QStringLiteral("nowhere"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(missing.error().startsWith(QStringLiteral("no target nowhere in this project"))) << qPrintable(missing.error());
    EXPECT_EQ(m_targets->get(*id + 100).kind(), ErrorKind::NotFound);

    // The JSON form round-trips.
    auto back = TargetRecord::fromJson(got->toJson());
    ASSERT_OK(back);
    EXPECT_EQ(back->name, got->name);
    EXPECT_EQ(back->url, got->url);
    EXPECT_EQ(back->caCert, kPem);
    EXPECT_EQ(back->createdBy, got->createdBy);
}

TEST_F(TargetRepositoryTest, NoTokenOrSecretHasAPlaceInTheFile)
{
    for (const QString &table : {QStringLiteral("target"), QStringLiteral("deployment")}) {
        auto st = db().prepare(QStringLiteral("SELECT name FROM pragma_table_info(?1)"));
        ASSERT_OK(st);
        st->bind(1, table);
        QStringList columns;
        while (*st->step())
            columns << st->columnText(0);
        ASSERT_FALSE(columns.isEmpty()) << qPrintable(table);
        for (const QString &c : columns) {
            EXPECT_FALSE(c.contains(QStringLiteral("token")) || c.contains(QStringLiteral("secret")) ||
                         c.contains(QStringLiteral("password")))
                << qPrintable(table + u'.' + c);
        }
    }
    const QJsonObject json = target(QStringLiteral("prod")).toJson();
    EXPECT_FALSE(json.contains(QStringLiteral("token")));
}

TEST_F(TargetRepositoryTest, AddRefusesWhatCannotBeATarget)
{
    const auto refused = [&](const TargetRecord &t, ErrorKind kind, const QString &contains) {
        auto id = m_targets->add(t);
        ASSERT_FALSE(id.ok()) << qPrintable(contains);
        EXPECT_EQ(id.kind(), kind) << qPrintable(id.error());
        EXPECT_TRUE(id.error().contains(contains)) << qPrintable(id.error());
    };
    refused(target(QStringLiteral(" ")), ErrorKind::InvalidInput, QStringLiteral("a target needs a name"));
    refused(target(QStringLiteral("../prod")), ErrorKind::InvalidInput, QStringLiteral("cannot name a target"));
    refused(target(QStringLiteral(".hidden")), ErrorKind::InvalidInput, QStringLiteral("cannot name a target"));
    refused(target(QStringLiteral("a b")), ErrorKind::InvalidInput, QStringLiteral("cannot name a target"));
    refused(target(QStringLiteral("prod"), QStringLiteral("ftp://host")), ErrorKind::InvalidInput,
            QStringLiteral("\"ftp://host\" is not an http:// or https:// URL"));
    refused(target(QStringLiteral("prod"), QStringLiteral("http://")), ErrorKind::InvalidInput, QStringLiteral("is not an http://"));
    TargetRecord badCa = target(QStringLiteral("prod"));
    badCa.caCert = QStringLiteral("not a certificate");
    refused(badCa, ErrorKind::InvalidInput, QStringLiteral("not PEM"));
    EXPECT_EQ(countRows(db(), QStringLiteral("target")), 0);

    addTarget(QStringLiteral("prod"));
    refused(target(QStringLiteral("prod"), QStringLiteral("http://elsewhere:1")), ErrorKind::Conflict,
            QStringLiteral("target prod already exists in this project"));
    EXPECT_EQ(countRows(db(), QStringLiteral("target")), 1);
}

TEST_F(TargetRepositoryTest, DeploymentsAreListedNewestFirstWithWhoWhenAndWhy)
{
    const qint64 prod = addTarget(QStringLiteral("prod"));
    const qint64 staging = addTarget(QStringLiteral("staging"));
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    ASSERT_OK(m_deployments->add(deployment(prod, DeploymentAction::Deploy, QStringLiteral("1.0.0"))));
    DeploymentRecord canary = deployment(prod, DeploymentAction::Canary, QStringLiteral("1.1.0"));
    canary.canaryPercent = 20;
    canary.overrideReason = QStringLiteral("known issue, fixed in 1.2");
    canary.detail = QStringLiteral("canary");
    ASSERT_OK(m_deployments->add(canary));
    ASSERT_OK(m_deployments->add(deployment(staging, DeploymentAction::Deploy, QStringLiteral("9.0.0"))));
    DeploymentRecord promote = deployment(prod, DeploymentAction::Promote, QStringLiteral("1.1.0"));
    promote.by = QStringLiteral("bob@ws2");
    ASSERT_OK(m_deployments->add(promote));

    auto list = m_deployments->list(prod);
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 3);
    EXPECT_EQ((*list)[0].action, DeploymentAction::Promote);
    EXPECT_EQ((*list)[0].by, QStringLiteral("bob@ws2"));
    EXPECT_EQ((*list)[1].action, DeploymentAction::Canary);
    EXPECT_EQ((*list)[1].canaryPercent, 20);
    EXPECT_EQ((*list)[1].overrideReason, QStringLiteral("known issue, fixed in 1.2"));
    EXPECT_EQ((*list)[1].detail, QStringLiteral("canary"));
    EXPECT_EQ((*list)[2].action, DeploymentAction::Deploy);
    EXPECT_EQ((*list)[2].version, QStringLiteral("1.0.0"));
    EXPECT_TRUE((*list)[2].overrideReason.isEmpty());
    for (const DeploymentRecord &d : *list) {
        EXPECT_EQ(d.targetName, QStringLiteral("prod"));
        EXPECT_EQ(d.at.timeSpec(), Qt::UTC);
        EXPECT_GE(d.at, before);
        EXPECT_LE(d.at, QDateTime::currentDateTimeUtc());
    }
    // Stored as ISO 8601 UTC text; NULL, not '', for no override.
    auto st = db().prepare(QStringLiteral("SELECT at, override_reason IS NULL FROM deployment ORDER BY id LIMIT 1"));
    ASSERT_OK(st);
    ASSERT_TRUE(*st->step());
    EXPECT_TRUE(st->columnText(0).endsWith(u'Z')) << qPrintable(st->columnText(0));
    EXPECT_EQ(QDateTime::fromString(st->columnText(0), Qt::ISODateWithMs).toUTC(), list->last().at);
    EXPECT_EQ(st->columnInt(1), 1);
    st = Statement();

    auto other = m_deployments->list(staging);
    ASSERT_OK(other);
    ASSERT_EQ(other->size(), 1);
    EXPECT_EQ(other->first().version, QStringLiteral("9.0.0"));

    // The JSON form round-trips.
    auto back = DeploymentRecord::fromJson((*list)[1].toJson());
    ASSERT_OK(back);
    EXPECT_EQ(back->action, DeploymentAction::Canary);
    EXPECT_EQ(back->canaryPercent, 20);
    EXPECT_EQ(back->overrideReason, (*list)[1].overrideReason);
    EXPECT_EQ(back->at, (*list)[1].at);
    EXPECT_EQ(back->targetName, QStringLiteral("prod"));
    EXPECT_EQ((*list)[0].toJson().value(QStringLiteral("override_reason")), QJsonValue(QJsonValue::Null));
    EXPECT_EQ((*list)[0].toJson().value(QStringLiteral("action")).toString(), QStringLiteral("promote"));
}

TEST_F(TargetRepositoryTest, ADeploymentRecordNeedsATargetAModelAndWhoDidIt)
{
    const qint64 prod = addTarget(QStringLiteral("prod"));
    const auto refused = [&](const DeploymentRecord &d, ErrorKind kind, const QString &contains) {
        auto id = m_deployments->add(d);
        ASSERT_FALSE(id.ok()) << qPrintable(contains);
        EXPECT_EQ(id.kind(), kind) << qPrintable(id.error());
        EXPECT_TRUE(id.error().contains(contains)) << qPrintable(id.error());
    };
    DeploymentRecord d = deployment(prod, DeploymentAction::Deploy, QStringLiteral("1.0.0"));
    d.by = QStringLiteral(" ");
    refused(d, ErrorKind::InvalidInput, QStringLiteral("needs the name of who did it"));
    d = deployment(prod, DeploymentAction::Deploy, QStringLiteral("1.0.0"));
    d.model.clear();
    refused(d, ErrorKind::InvalidInput, QStringLiteral("needs the model"));
    d = deployment(prod, DeploymentAction::Canary, QStringLiteral("1.0.0"));
    d.canaryPercent = 101;
    refused(d, ErrorKind::InvalidInput, QStringLiteral("0 to 100 percent, not 101"));
    refused(deployment(prod + 10, DeploymentAction::Deploy, QStringLiteral("1.0.0")), ErrorKind::NotFound,
            QStringLiteral("no target with id %1").arg(prod + 10));
    refused(deployment(prod, DeploymentAction::Deploy, QStringLiteral("1.0.0"), 999), ErrorKind::NotFound,
            QStringLiteral("no package with id 999"));
    // The table holds to the actions whoever writes.
    EXPECT_FALSE(db().exec(QStringLiteral("INSERT INTO deployment(target_id, model, action, by, at) "
                                          "VALUES (%1, 'iris', 'explode', 'x', '2026-01-01T00:00:00Z')")
                               .arg(prod))
                     .ok());
    EXPECT_EQ(countRows(db(), QStringLiteral("deployment")), 0);
}

TEST_F(TargetRepositoryTest, RecordsOutliveTheirPackageButNotTheirTarget)
{
    const qint64 run = addRun(*m_project, QStringLiteral("iris-mlp"));
    PackageRecord p;
    p.modelId = RunRepository(db()).get(run)->modelId;
    p.name = QStringLiteral("iris");
    p.version = QStringLiteral("1.0.0");
    p.manifestJson = "{}";
    p.archive = QByteArray("PK zip").repeated(10);
    auto package = PackageRepository(db()).add(p);
    ASSERT_OK(package);
    const qint64 prod = addTarget(QStringLiteral("prod"));
    const qint64 staging = addTarget(QStringLiteral("staging"));
    ASSERT_OK(m_deployments->add(deployment(prod, DeploymentAction::Deploy, QStringLiteral("1.0.0"), *package)));
    ASSERT_OK(m_deployments->add(deployment(staging, DeploymentAction::Deploy, QStringLiteral("1.0.0"), *package)));
    EXPECT_EQ(m_deployments->list(prod)->first().packageId, *package);

    ASSERT_OK(PackageRepository(db()).remove(*package));
    auto kept = m_deployments->list(prod);
    ASSERT_OK(kept);
    ASSERT_EQ(kept->size(), 1);
    EXPECT_EQ(kept->first().packageId, 0) << "the record stays, naming no package";
    EXPECT_EQ(kept->first().version, QStringLiteral("1.0.0"));

    ASSERT_OK(m_targets->remove(prod));
    EXPECT_EQ(m_targets->find(QStringLiteral("prod")).kind(), ErrorKind::NotFound);
    EXPECT_TRUE(m_deployments->list(prod)->isEmpty());
    EXPECT_EQ(countRows(db(), QStringLiteral("deployment")), 1) << "staging's record stays";
    auto again = m_targets->remove(prod);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.kind(), ErrorKind::NotFound);
}

TEST_F(TargetRepositoryTest, TheChangeFeedReportsTargetsAndTheirDeployments)
{
    auto reader = Database::open(m_path, Database::Mode::ReadOnly);
    ASSERT_OK(reader);
    auto feed = ChangeFeed::open(*reader);
    ASSERT_OK(feed);
    const auto changedTargets = [&] {
        auto changes = feed->read();
        EXPECT_OK(changes);
        return changes ? changes->items.value(Aggregate::Target, {-1}) : QList<qint64>{-2};
    };
    const qint64 a = addTarget(QStringLiteral("a"));
    const qint64 b = addTarget(QStringLiteral("b"));
    EXPECT_EQ(changedTargets(), (QList<qint64>{a, b}));
    EXPECT_EQ(changedTargets(), QList<qint64>{-1}) << "nothing new";
    ASSERT_OK(m_deployments->add(deployment(b, DeploymentAction::Deploy, QStringLiteral("1.0.0"))));
    EXPECT_EQ(changedTargets(), QList<qint64>{b});
    ASSERT_OK(m_targets->remove(a));
    EXPECT_EQ(changedTargets(), QList<qint64>{a});
    EXPECT_TRUE(ChangeFeed::aggregates().contains(Aggregate::Target));
}

// A colleague's version 6 file, opened read-only, reads as having no targets; nothing is written.
TEST_F(TargetRepositoryTest, AVersion6FileReadOnlyHasNoTargets)
{
    const QString p = path(QStringLiteral("v6.mlwb"));
    {
        auto file = Database::open(p, Database::Mode::Create);
        ASSERT_OK(file);
        ASSERT_OK(Schema::create(*file, 6));
    }
    const QByteArray before = fileSha(p);
    {
        auto old = ProjectFile::open(p, {true, QStringLiteral("test"), 0});
        ASSERT_OK(old);
        EXPECT_EQ((*old)->schemaVersion(), 6);
        TargetRepository targets((*old)->db());
        auto list = targets.list();
        ASSERT_OK(list);
        EXPECT_TRUE(list->isEmpty());
        EXPECT_EQ(targets.find(QStringLiteral("prod")).kind(), ErrorKind::NotFound);
        EXPECT_EQ(targets.get(1).kind(), ErrorKind::NotFound);
        auto history = DeploymentRepository((*old)->db()).list(1);
        ASSERT_OK(history);
        EXPECT_TRUE(history->isEmpty());
        EXPECT_FALSE(targets.add(target(QStringLiteral("prod"))).ok()) << "the stand-in cannot be written to";
    }
    EXPECT_EQ(fileSha(p), before) << "a read-only open changed the file";
}

// Migration 7 adds the tables and their change tracking and keeps what the file held.
TEST_F(TargetRepositoryTest, MigratingFrom6KeepsPackagesAndAddsTargets)
{
    const QString p = path(QStringLiteral("v6.mlwb"));
    qint64 packageId = 0;
    {
        auto file = Database::open(p, Database::Mode::Create);
        ASSERT_OK(file);
        ASSERT_OK(Schema::create(*file, 6));
        ModelRepository models(*file);
        auto model = models.add({0, QStringLiteral("iris-mlp"), ModelKind::Spec, 0, {}, {}});
        ASSERT_OK(model);
        PackageRecord r;
        r.modelId = *model;
        r.name = QStringLiteral("iris");
        r.version = QStringLiteral("1.0.0");
        r.manifestJson = "{}";
        r.archive = QByteArray("PK zip").repeated(10);
        auto id = PackageRepository(*file).add(r);
        ASSERT_OK(id);
        packageId = *id;
    }
    auto project = ProjectFile::open(p);
    ASSERT_OK(project);
    Database &migrated = (*project)->db();
    EXPECT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    EXPECT_GE(Schema::currentVersion(), 7);
    EXPECT_TRUE((*project)->migrationBackupPath().endsWith(QStringLiteral(".v6.bak")))
        << qPrintable((*project)->migrationBackupPath());
    auto kept = PackageRepository(migrated).get(packageId);
    ASSERT_OK(kept);
    EXPECT_EQ(kept->name, QStringLiteral("iris"));

    auto feed = ChangeFeed::open(migrated);
    ASSERT_OK(feed);
    auto id = TargetRepository(migrated).add(target(QStringLiteral("prod")));
    ASSERT_OK(id);
    ASSERT_OK(DeploymentRepository(migrated).add(deployment(*id, DeploymentAction::Deploy, QStringLiteral("1.0.0"), packageId)));
    auto changes = feed->read();
    ASSERT_OK(changes);
    EXPECT_EQ(changes->items.value(Aggregate::Target), QList<qint64>{*id});
    auto counts = (*project)->counts();
    ASSERT_OK(counts);
    EXPECT_EQ(counts->value(u"targets"), 1);
    EXPECT_EQ(counts->value(u"deployments"), 1);
    EXPECT_EQ(counts->value(u"packages"), 1);
}
