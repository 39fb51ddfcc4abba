// SPDX-License-Identifier: MIT
// PackageRepository: packages kept whole in the project file, one NAME VERSION each, listed by
// version number; checks sealed in with the archive; overrides of a failed gate with who, when
// and why; schema 6 and its stand-in for older files.
#include "store/change_feed.h"
#include "store/database.h"
#include "store/package_repository.h"
#include "store/schema.h"
#include "store/statement.h"
#include "store_fixture.h"
#include "temp_project_test.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

using namespace mlwb;
using namespace mlwb::test;

namespace {

QString hexSha(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray archiveOf(const QString &name, const QString &version)
{
    return QStringLiteral("PK\x03\x04 zip of %1 %2").arg(name, version).toUtf8().repeated(50);
}

PackageRecord package(qint64 modelId, const QString &name, const QString &version, qint64 runId = 0)
{
    PackageRecord r;
    r.modelId = modelId;
    r.runId = runId;
    r.name = name;
    r.version = version;
    r.author = QStringLiteral("alice");
    r.manifestJson = QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                               {QStringLiteral("version"), version}})
                         .toJson(QJsonDocument::Compact);
    r.archive = archiveOf(name, version);
    return r;
}

QStringList labels(const QList<PackageRecord> &packages)
{
    QStringList out;
    for (const PackageRecord &p : packages)
        out << p.name + u' ' + p.version;
    return out;
}

qint64 countRows(Database &db, const QString &table)
{
    auto n = db.queryInt(QStringLiteral("SELECT count(*) FROM %1").arg(table));
    EXPECT_OK(n);
    return n ? *n : -1;
}

} // namespace

class PackageRepositoryTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        m_run = addRun(*m_project, QStringLiteral("iris-mlp"));
        auto run = RunRepository(db()).get(m_run);
        ASSERT_OK(run);
        m_model = run->modelId;
        m_packages.emplace(db());
    }
    qint64 add(const QString &name, const QString &version, qint64 model = 0)
    {
        auto id = m_packages->add(package(model ? model : m_model, name, version, m_run));
        EXPECT_OK(id);
        return id ? *id : 0;
    }

    std::optional<PackageRepository> m_packages; // on the fixture's project, made in SetUp
    qint64 m_run = 0;
    qint64 m_model = 0;
};

TEST_F(PackageRepositoryTest, GetAndFindReturnThePackageWithItsArchive)
{
    const PackageRecord r =
        package(m_model, QStringLiteral("iris"), QStringLiteral("1.2.0"), m_run);
    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    auto id = m_packages->add(r);
    ASSERT_OK(id);

    auto got = m_packages->get(*id);
    ASSERT_OK(got);
    EXPECT_EQ(got->id, *id);
    EXPECT_EQ(got->modelId, m_model);
    EXPECT_EQ(got->modelName, QStringLiteral("iris-mlp"));
    EXPECT_EQ(got->runId, m_run);
    EXPECT_EQ(got->name, QStringLiteral("iris"));
    EXPECT_EQ(got->version, QStringLiteral("1.2.0"));
    EXPECT_EQ(got->author, QStringLiteral("alice"));
    EXPECT_EQ(got->manifestJson, r.manifestJson);
    EXPECT_EQ(got->archive, r.archive);
    EXPECT_EQ(got->archiveBytes, r.archive.size());
    EXPECT_EQ(got->archiveSha256, hexSha(r.archive)) << "computed by the repository";
    EXPECT_EQ(got->keyId, QString());
    EXPECT_EQ(got->state, PackageState::Built);
    EXPECT_TRUE(got->checks.isEmpty());
    EXPECT_FALSE(got->checkedAt.isValid());
    EXPECT_GE(got->createdAt, before);
    EXPECT_LE(got->createdAt, QDateTime::currentDateTime());
    EXPECT_FALSE(got->overridden());

    auto found = m_packages->find(QStringLiteral("iris"), QStringLiteral("1.2.0"));
    ASSERT_OK(found);
    EXPECT_EQ(found->id, *id);
    EXPECT_EQ(found->archive, r.archive);

    auto missing = m_packages->find(QStringLiteral("iris"), QStringLiteral("1.3.0"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.kind(), ErrorKind::NotFound);
    EXPECT_EQ(missing.error(), QStringLiteral("no package iris 1.3.0 in this project"));
    auto noId = m_packages->get(*id + 100);
    ASSERT_FALSE(noId.ok());
    EXPECT_EQ(noId.kind(), ErrorKind::NotFound);
    EXPECT_EQ(noId.error(), QStringLiteral("no package with id %1").arg(*id + 100));
}

TEST_F(PackageRepositoryTest, ListOrdersByNameThenVersionNumberWithoutArchives)
{
    const qint64 other = addRun(*m_project, QStringLiteral("digits-cnn"));
    const qint64 otherModel = RunRepository(db()).get(other)->modelId;
    for (const char *v : {"1.10.0", "1.9.0", "1.2.0", "10.0.0", "1.9.10", "1.9.2"})
        add(QStringLiteral("iris"), QString::fromLatin1(v));
    add(QStringLiteral("alpha"), QStringLiteral("2.0.0"), otherModel);

    auto all = m_packages->list();
    ASSERT_OK(all);
    EXPECT_EQ(labels(*all).join(u',').toStdString(),
              "alpha 2.0.0,iris 1.2.0,iris 1.9.0,iris 1.9.2,iris 1.9.10,iris 1.10.0,iris 10.0.0");
    for (const PackageRecord &p : *all) {
        EXPECT_TRUE(p.archive.isEmpty()) << "a listing leaves the archive out";
        EXPECT_EQ(p.archiveBytes, archiveOf(p.name, p.version).size());
        EXPECT_EQ(p.archiveSha256, hexSha(archiveOf(p.name, p.version)));
        EXPECT_FALSE(p.manifestJson.isEmpty());
    }
    EXPECT_EQ(all->first().modelName, QStringLiteral("digits-cnn"));
    EXPECT_EQ(all->first().toJson().value(QStringLiteral("archive_bytes")).toInteger(),
              archiveOf(QStringLiteral("alpha"), QStringLiteral("2.0.0")).size());

    auto mine = m_packages->list(m_model);
    ASSERT_OK(mine);
    EXPECT_EQ(mine->size(), 6);
    EXPECT_EQ(mine->first().version, QStringLiteral("1.2.0"));
    EXPECT_EQ(mine->last().version, QStringLiteral("10.0.0"));
    auto theirs = m_packages->list(otherModel);
    ASSERT_OK(theirs);
    EXPECT_EQ(labels(*theirs), QStringList{QStringLiteral("alpha 2.0.0")});
}

TEST_F(PackageRepositoryTest, ANameAndVersionIsStoredOnce)
{
    add(QStringLiteral("iris"), QStringLiteral("1.2.0"));
    auto dup = m_packages->add(package(m_model, QStringLiteral("iris"), QStringLiteral("1.2.0")));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.kind(), ErrorKind::Conflict);
    EXPECT_EQ(dup.error(), QStringLiteral("package iris 1.2.0 already exists in this project"));
    // Also from another model: the name belongs to the project.
    const qint64 other =
        RunRepository(db()).get(addRun(*m_project, QStringLiteral("other")))->modelId;
    auto elsewhere =
        m_packages->add(package(other, QStringLiteral("iris"), QStringLiteral("1.2.0")));
    ASSERT_FALSE(elsewhere.ok());
    EXPECT_EQ(elsewhere.kind(), ErrorKind::Conflict);
    EXPECT_OK(m_packages->add(package(m_model, QStringLiteral("iris"), QStringLiteral("1.2.1"))));
    EXPECT_OK(m_packages->add(package(m_model, QStringLiteral("iris2"), QStringLiteral("1.2.0"))));
    EXPECT_EQ(countRows(db(), QStringLiteral("package")), 3);
}

TEST_F(PackageRepositoryTest, AddRefusesWhatIsNotAPackage)
{
    const auto refused = [&](PackageRecord r, ErrorKind kind, const QString &message) {
        auto id = m_packages->add(r);
        ASSERT_FALSE(id.ok()) << message.toStdString();
        EXPECT_EQ(id.kind(), kind) << qPrintable(id.error());
        EXPECT_EQ(id.error(), message);
    };
    const auto good = [&] {
        return package(m_model, QStringLiteral("iris"), QStringLiteral("1.2.0"));
    };
    PackageRecord r = good();
    r.version = QStringLiteral("1.2");
    refused(
        r, ErrorKind::InvalidInput,
        QStringLiteral("package iris: \"1.2\" is not a version MAJOR.MINOR.PATCH (like 1.2.0)"));
    r = good();
    r.name = QStringLiteral("  ");
    refused(r, ErrorKind::InvalidInput, QStringLiteral("a package needs a name"));
    r = good();
    r.archive.clear();
    refused(r, ErrorKind::InvalidInput, QStringLiteral("package iris 1.2.0 has an empty archive"));
    r = good();
    r.manifestJson.clear();
    refused(r, ErrorKind::InvalidInput, QStringLiteral("package iris 1.2.0 has no manifest"));
    r = good();
    r.archiveSha256 = hexSha("other bytes");
    refused(r, ErrorKind::InvalidInput,
            QStringLiteral("package iris 1.2.0: the archive's SHA-256 is %1, not %2 as given")
                .arg(hexSha(r.archive), r.archiveSha256));
    r = good();
    r.keyId = QStringLiteral("abc");
    refused(r, ErrorKind::InvalidInput,
            QStringLiteral("package iris 1.2.0: signer key id \"abc\" is not 16 hex digits"));
    r = good();
    r.modelId = m_model + 100;
    refused(r, ErrorKind::NotFound,
            QStringLiteral("package iris 1.2.0: no model with id %1").arg(m_model + 100));
    r = good();
    r.runId = m_run + 100;
    refused(r, ErrorKind::NotFound,
            QStringLiteral("package iris 1.2.0: no run with id %1").arg(m_run + 100));
    EXPECT_EQ(countRows(db(), QStringLiteral("package")), 0);

    r = good();
    r.archiveSha256 = hexSha(r.archive).toUpper();
    r.keyId = QStringLiteral("0123456789ABCDEF");
    auto id = m_packages->add(r);
    ASSERT_OK(id);
    EXPECT_EQ(m_packages->get(*id)->archiveSha256, hexSha(r.archive));
    EXPECT_EQ(m_packages->get(*id)->keyId, QStringLiteral("0123456789abcdef"));
}

TEST_F(PackageRepositoryTest, SaveChecksReplacesArchiveReportAndStateTogether)
{
    const qint64 id = add(QStringLiteral("iris"), QStringLiteral("1.2.0"));
    const QByteArray sealed = QByteArrayLiteral("PK sealed again with checks.json").repeated(100);
    const QJsonObject report{{QStringLiteral("gate"), QStringLiteral("passed")},
                             {QStringLiteral("accuracy"), 0.97}};
    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    ASSERT_OK(m_packages->saveChecks(id, sealed, hexSha(sealed), QStringLiteral("00112233aabbccdd"),
                                     report, PackageState::Checked));
    auto got = m_packages->get(id);
    ASSERT_OK(got);
    EXPECT_EQ(got->archive, sealed);
    EXPECT_EQ(got->archiveBytes, sealed.size());
    EXPECT_EQ(got->archiveSha256, hexSha(sealed));
    EXPECT_EQ(got->keyId, QStringLiteral("00112233aabbccdd"));
    EXPECT_EQ(got->checks, report);
    EXPECT_EQ(got->state, PackageState::Checked);
    EXPECT_GE(got->checkedAt, before);
    EXPECT_LE(got->checkedAt, QDateTime::currentDateTime());
    EXPECT_EQ(m_packages->list()->first().checks, report) << "listings carry the report";

    // Checked again, failing this time, unsigned: everything moves together.
    const QJsonObject failed{{QStringLiteral("gate"), QStringLiteral("failed")}};
    ASSERT_OK(m_packages->saveChecks(id, archiveOf(QStringLiteral("x"), QStringLiteral("y")),
                                     QString(), QString(), failed, PackageState::GateFailed));
    got = m_packages->get(id);
    EXPECT_EQ(got->archive, archiveOf(QStringLiteral("x"), QStringLiteral("y")));
    EXPECT_EQ(got->archiveSha256, hexSha(got->archive));
    EXPECT_EQ(got->keyId, QString());
    EXPECT_EQ(got->checks, failed);
    EXPECT_EQ(got->state, PackageState::GateFailed);

    // Refusals change nothing.
    auto built =
        m_packages->saveChecks(id, sealed, QString(), QString(), report, PackageState::Built);
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.kind(), ErrorKind::InvalidInput);
    auto wrongHash = m_packages->saveChecks(id, sealed, hexSha("else"), QString(), report,
                                            PackageState::Checked);
    ASSERT_FALSE(wrongHash.ok());
    EXPECT_EQ(wrongHash.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(wrongHash.error().contains(QStringLiteral("the archive's SHA-256 is")))
        << qPrintable(wrongHash.error());
    auto empty =
        m_packages->saveChecks(id, {}, QString(), QString(), report, PackageState::Checked);
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.kind(), ErrorKind::InvalidInput);
    auto noReport =
        m_packages->saveChecks(id, sealed, QString(), QString(), {}, PackageState::Checked);
    ASSERT_FALSE(noReport.ok());
    EXPECT_EQ(noReport.kind(), ErrorKind::InvalidInput);
    got = m_packages->get(id);
    EXPECT_EQ(got->state, PackageState::GateFailed);
    EXPECT_EQ(got->checks, failed);
    EXPECT_EQ(got->archive, archiveOf(QStringLiteral("x"), QStringLiteral("y")));

    auto missing = m_packages->saveChecks(id + 100, sealed, QString(), QString(), report,
                                          PackageState::Checked);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.kind(), ErrorKind::NotFound);
    EXPECT_EQ(missing.error(), QStringLiteral("no package with id %1").arg(id + 100));
}

TEST_F(PackageRepositoryTest, AnOverrideOfAFailedGateRecordsWhoWhenAndWhy)
{
    const qint64 id = add(QStringLiteral("iris"), QStringLiteral("1.2.0"));
    const QJsonObject failed{{QStringLiteral("gate"), QStringLiteral("failed")}};

    // Nothing to override before the gate has failed.
    auto early = m_packages->addOverride(id, QStringLiteral("ship it"), QStringLiteral("bob"));
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.kind(), ErrorKind::Conflict);
    EXPECT_EQ(
        early.error(),
        QStringLiteral(
            "package iris 1.2.0 is built, not gate_failed: there is no failed gate to override"));
    ASSERT_OK(m_packages->saveChecks(
        id, archiveOf(QStringLiteral("a"), QStringLiteral("b")), QString(), QString(),
        {{QStringLiteral("gate"), QStringLiteral("passed")}}, PackageState::Checked));
    EXPECT_EQ(m_packages->addOverride(id, QStringLiteral("ship it"), QStringLiteral("bob")).kind(),
              ErrorKind::Conflict);
    ASSERT_OK(m_packages->saveChecks(id, archiveOf(QStringLiteral("a"), QStringLiteral("c")),
                                     QString(), QString(), failed, PackageState::GateFailed));

    // A reason and a name are required.
    for (const QString &blank : {QString(), QStringLiteral("   "), QStringLiteral("\t\n ")}) {
        auto none = m_packages->addOverride(id, blank, QStringLiteral("bob"));
        ASSERT_FALSE(none.ok());
        EXPECT_EQ(none.kind(), ErrorKind::InvalidInput);
        EXPECT_EQ(
            none.error(),
            QStringLiteral("overriding the gate of package %1 needs a written reason").arg(id));
    }
    auto nobody = m_packages->addOverride(id, QStringLiteral("fine"), QStringLiteral(" "));
    ASSERT_FALSE(nobody.ok());
    EXPECT_EQ(nobody.kind(), ErrorKind::InvalidInput);
    // The table holds to it too, whoever writes.
    EXPECT_FALSE(
        db().exec(QStringLiteral("INSERT INTO package_override(package_id, reason, author, "
                                 "created_at) VALUES (%1, ' \t', 'bob', 0)")
                      .arg(id))
            .ok());
    EXPECT_EQ(countRows(db(), QStringLiteral("package_override")), 0);
    EXPECT_FALSE(m_packages->get(id)->overridden());

    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    auto first = m_packages->addOverride(
        id, QStringLiteral("  drift check is noisy on this data set\n"), QStringLiteral("bob"));
    ASSERT_OK(first);
    auto second = m_packages->addOverride(id, QStringLiteral("approved by the review board"),
                                          QStringLiteral("carol"));
    ASSERT_OK(second);
    const QDateTime after = QDateTime::currentDateTime();

    auto list = m_packages->overrides(id);
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 2);
    EXPECT_EQ(list->at(0).id, *first);
    EXPECT_EQ(list->at(0).packageId, id);
    EXPECT_EQ(list->at(0).reason, QStringLiteral("drift check is noisy on this data set"));
    EXPECT_EQ(list->at(0).author, QStringLiteral("bob"));
    EXPECT_GE(list->at(0).createdAt, before);
    EXPECT_LE(list->at(0).createdAt, after);
    EXPECT_EQ(list->at(1).author, QStringLiteral("carol"));

    auto got = m_packages->get(id);
    ASSERT_OK(got);
    EXPECT_TRUE(got->overridden());
    ASSERT_EQ(got->overrides.size(), 2);
    EXPECT_EQ(got->overrides.at(1).reason, QStringLiteral("approved by the review board"));
    EXPECT_TRUE(got->toJson().value(QStringLiteral("overridden")).toBool());
    // A listing attaches each override to its own package.
    add(QStringLiteral("aaa"), QStringLiteral("0.1.0"));
    auto all = m_packages->list();
    ASSERT_OK(all);
    ASSERT_EQ(all->size(), 2);
    EXPECT_TRUE(all->at(0).overrides.isEmpty());
    EXPECT_EQ(all->at(1).overrides.size(), 2);

    auto missing = m_packages->addOverride(id + 100, QStringLiteral("why"), QStringLiteral("bob"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(m_packages->overrides(id + 100)->isEmpty());
}

TEST_F(PackageRepositoryTest, PreviousVersionIsTheHighestBelowByNumber)
{
    for (const char *v : {"1.2.0", "1.9.0", "1.10.0", "2.0.0"})
        add(QStringLiteral("iris"), QString::fromLatin1(v));
    add(QStringLiteral("other"), QStringLiteral("1.9.3"));
    const QJsonObject report{{QStringLiteral("gate"), QStringLiteral("passed")}};
    const qint64 v1_10 = m_packages->find(QStringLiteral("iris"), QStringLiteral("1.10.0"))->id;
    ASSERT_OK(m_packages->saveChecks(v1_10, archiveOf(QStringLiteral("s"), QStringLiteral("t")),
                                     QString(), QString(), report, PackageState::Checked));

    const auto previous = [&](const char *version) -> QString {
        auto p = m_packages->previousVersion(QStringLiteral("iris"), QString::fromLatin1(version));
        EXPECT_OK(p);
        if (!p || !*p)
            return QStringLiteral("none");
        EXPECT_EQ((*p)->name, QStringLiteral("iris"));
        return (*p)->version;
    };
    EXPECT_EQ(previous("2.0.0"), QStringLiteral("1.10.0"));
    EXPECT_EQ(previous("1.10.0"), QStringLiteral("1.9.0"));
    EXPECT_EQ(previous("1.9.5"), QStringLiteral("1.9.0")) << "not other's 1.9.3";
    EXPECT_EQ(previous("1.3.0"), QStringLiteral("1.2.0"));
    EXPECT_EQ(previous("1.2.0"), QStringLiteral("none"));
    EXPECT_EQ(previous("3.0.0"), QStringLiteral("2.0.0")) << "the given version need not exist";

    auto p = m_packages->previousVersion(QStringLiteral("iris"), QStringLiteral("2.0.0"));
    ASSERT_OK(p);
    ASSERT_TRUE(p->has_value());
    EXPECT_EQ((*p)->checks, report);
    EXPECT_EQ(QJsonDocument::fromJson((*p)->manifestJson)
                  .object()
                  .value(QStringLiteral("version"))
                  .toString(),
              QStringLiteral("1.10.0"));

    auto bad = m_packages->previousVersion(QStringLiteral("iris"), QStringLiteral("2.0"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.kind(), ErrorKind::InvalidInput);
    auto none = m_packages->previousVersion(QStringLiteral("nothing"), QStringLiteral("1.0.0"));
    ASSERT_OK(none);
    EXPECT_FALSE(none->has_value());
}

TEST_F(PackageRepositoryTest, APackageOutlivesItsRunButNotItsModel)
{
    const qint64 id = add(QStringLiteral("iris"), QStringLiteral("1.2.0"));
    ASSERT_OK(m_packages->saveChecks(
        id, archiveOf(QStringLiteral("a"), QStringLiteral("b")), QString(), QString(),
        {{QStringLiteral("gate"), QStringLiteral("failed")}}, PackageState::GateFailed));
    ASSERT_OK(m_packages->addOverride(id, QStringLiteral("known issue"), QStringLiteral("bob")));
    const qint64 kept =
        RunRepository(db()).get(addRun(*m_project, QStringLiteral("kept")))->modelId;
    const qint64 other = add(QStringLiteral("kept"), QStringLiteral("1.0.0"), kept);

    ASSERT_OK(RunRepository(db()).remove(m_run));
    auto orphan = m_packages->get(id);
    ASSERT_OK(orphan);
    EXPECT_EQ(orphan->runId, 0) << "the package holds its own copy of the model";
    EXPECT_EQ(orphan->overrides.size(), 1);

    ModelRepository models(db());
    ASSERT_OK(models.remove(m_model));
    auto gone = m_packages->get(id);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.kind(), ErrorKind::NotFound);
    EXPECT_EQ(countRows(db(), QStringLiteral("package_override")), 0);
    EXPECT_EQ(labels(*m_packages->list()), QStringList{QStringLiteral("kept 1.0.0")});

    ASSERT_OK(m_packages->remove(other));
    EXPECT_TRUE(m_packages->list()->isEmpty());
    auto again = m_packages->remove(other);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.kind(), ErrorKind::NotFound);
    EXPECT_EQ(again.error(), QStringLiteral("no package with id %1").arg(other));
}

TEST_F(PackageRepositoryTest, AModelsCheckConfigurationIsStoredReplacedResetAndGoesWithIt)
{
    auto none = m_packages->checkConfig(m_model);
    ASSERT_OK(none);
    EXPECT_FALSE(none->has_value());
    const QJsonObject strict{{QStringLiteral("gates"), QJsonArray{QJsonObject{{QStringLiteral("metric"), QStringLiteral("accuracy")},
                                                                              {QStringLiteral("min"), 0.95}}}}};
    ASSERT_OK(m_packages->setCheckConfig(m_model, strict));
    EXPECT_EQ(**m_packages->checkConfig(m_model), strict);
    const QJsonObject lenient{{QStringLiteral("regression_tolerance"), 0.1}};
    ASSERT_OK(m_packages->setCheckConfig(m_model, lenient));
    EXPECT_EQ(**m_packages->checkConfig(m_model), lenient);
    EXPECT_EQ(countRows(db(), QStringLiteral("check_config")), 1);
    ASSERT_OK(m_packages->setCheckConfig(m_model, {}));
    EXPECT_FALSE(m_packages->checkConfig(m_model)->has_value());
    auto noModel = m_packages->setCheckConfig(m_model + 1000, strict);
    ASSERT_FALSE(noModel.ok());
    EXPECT_EQ(noModel.kind(), ErrorKind::NotFound);
    ASSERT_OK(m_packages->setCheckConfig(m_model, strict));
    ASSERT_OK(ModelRepository(db()).remove(m_model));
    EXPECT_EQ(countRows(db(), QStringLiteral("check_config")), 0);
}

TEST_F(PackageRepositoryTest, TheChangeFeedReportsPackagesAndTheirOverrides)
{
    auto reader = Database::open(m_path, Database::Mode::ReadOnly);
    ASSERT_OK(reader);
    auto feed = ChangeFeed::open(*reader);
    ASSERT_OK(feed);
    const auto changedPackages = [&] {
        auto changes = feed->read();
        EXPECT_OK(changes);
        return changes ? changes->items.value(Aggregate::Package, {-1}) : QList<qint64>{-2};
    };
    const qint64 a = add(QStringLiteral("iris"), QStringLiteral("1.2.0"));
    const qint64 b = add(QStringLiteral("iris"), QStringLiteral("1.3.0"));
    EXPECT_EQ(changedPackages(), (QList<qint64>{a, b}));
    EXPECT_EQ(changedPackages(), QList<qint64>{-1}) << "nothing new";
    ASSERT_OK(m_packages->saveChecks(
        b, archiveOf(QStringLiteral("a"), QStringLiteral("b")), QString(), QString(),
        {{QStringLiteral("gate"), QStringLiteral("failed")}}, PackageState::GateFailed));
    EXPECT_EQ(changedPackages(), QList<qint64>{b});
    ASSERT_OK(m_packages->addOverride(b, QStringLiteral("ok"), QStringLiteral("bob")));
    EXPECT_EQ(changedPackages(), QList<qint64>{b});
    ASSERT_OK(m_packages->remove(a));
    EXPECT_EQ(changedPackages(), QList<qint64>{a});
    EXPECT_TRUE(ChangeFeed::aggregates().contains(Aggregate::Package));
}

// A colleague's version 5 file, opened read-only, reads as having no packages; nothing is
// written to it.
TEST_F(PackageRepositoryTest, AVersion5FileReadOnlyHasNoPackages)
{
    const QString p = path(QStringLiteral("v5.mlwb"));
    {
        auto file = Database::open(p, Database::Mode::Create);
        ASSERT_OK(file);
        ASSERT_OK(Schema::create(*file, 5));
        ASSERT_OK(
            ModelRepository(*file).add({0, QStringLiteral("old"), ModelKind::Spec, 0, {}, {}}));
    }
    const QByteArray before = fileSha(p);
    {
        auto old = ProjectFile::open(p, {true, QStringLiteral("test"), 0});
        ASSERT_OK(old);
        EXPECT_EQ((*old)->schemaVersion(), 5);
        PackageRepository packages((*old)->db());
        auto list = packages.list();
        ASSERT_OK(list);
        EXPECT_TRUE(list->isEmpty());
        auto model = ModelRepository((*old)->db()).byName(QStringLiteral("old"));
        ASSERT_OK(model);
        EXPECT_TRUE(packages.list(model->id)->isEmpty());
        EXPECT_EQ(packages.find(QStringLiteral("iris"), QStringLiteral("1.0.0")).kind(),
                  ErrorKind::NotFound);
        EXPECT_EQ(packages.get(1).kind(), ErrorKind::NotFound);
        EXPECT_TRUE(packages.overrides(1)->isEmpty());
        auto config = packages.checkConfig(model->id);
        ASSERT_OK(config);
        EXPECT_FALSE(config->has_value());
        auto previous = packages.previousVersion(QStringLiteral("iris"), QStringLiteral("2.0.0"));
        ASSERT_OK(previous);
        EXPECT_FALSE(previous->has_value());
        // The stand-in cannot be written to.
        EXPECT_FALSE(
            packages.add(package(model->id, QStringLiteral("iris"), QStringLiteral("1.0.0"))).ok());
    }
    EXPECT_EQ(fileSha(p), before) << "a read-only open changed the file";
}

// Migration 6 adds the tables and their change tracking and keeps what the file held.
TEST_F(PackageRepositoryTest, MigratingFrom5KeepsTheDataAndAddsPackages)
{
    const QString p = path(QStringLiteral("v5.mlwb"));
    qint64 run = 0;
    qint64 counterBefore = 0;
    {
        auto file = Database::open(p, Database::Mode::Create);
        ASSERT_OK(file);
        ASSERT_OK(Schema::create(*file, 5));
        ModelRepository models(*file);
        auto model = models.add(
            {0, QStringLiteral("iris-mlp"), ModelKind::Spec, 0, {}, QStringLiteral("old")});
        ASSERT_OK(model);
        auto version = models.addVersion(*model, QByteArrayLiteral("{\"layers\":[]}"), {});
        ASSERT_OK(version);
        // As a version 5 file's writer stored it (today's RunRepository writes columns of 10).
        auto insert = file->prepare(QStringLiteral(
            "INSERT INTO run(model_version_id, name, status, created_at, summary_json) VALUES (?1, 'baseline', 'queued', 1.0, "
            "'{\"accuracy\":0.93}')"));
        ASSERT_OK(insert);
        insert->bind(1, version->id);
        ASSERT_OK(insert->run());
        run = file->lastInsertId();
        auto n = file->queryInt(QStringLiteral("SELECT n FROM change_counter"));
        ASSERT_OK(n);
        counterBefore = *n;
        ASSERT_GT(counterBefore, 0);
    }
    auto project = ProjectFile::open(p);
    ASSERT_OK(project);
    Database &migrated = (*project)->db();
    EXPECT_EQ((*project)->schemaVersion(), Schema::currentVersion());
    EXPECT_GE(Schema::currentVersion(), 6);
    EXPECT_TRUE((*project)->migrationBackupPath().endsWith(QStringLiteral(".v5.bak")))
        << qPrintable((*project)->migrationBackupPath());

    auto got = RunRepository(migrated).get(run);
    ASSERT_OK(got);
    EXPECT_EQ(got->name, QStringLiteral("baseline"));
    EXPECT_EQ(got->modelName, QStringLiteral("iris-mlp"));
    EXPECT_DOUBLE_EQ(got->summary.value(QStringLiteral("accuracy")).toDouble(), 0.93);
    EXPECT_EQ(ModelRepository(migrated).byName(QStringLiteral("iris-mlp"))->description,
              QStringLiteral("old"));
    auto counter = migrated.queryInt(QStringLiteral("SELECT n FROM change_counter"));
    ASSERT_OK(counter);
    EXPECT_GE(*counter, counterBefore) << "the change counter never goes back";

    auto feed = ChangeFeed::open(migrated);
    ASSERT_OK(feed);
    PackageRepository packages(migrated);
    auto id =
        packages.add(package(got->modelId, QStringLiteral("iris"), QStringLiteral("1.0.0"), run));
    ASSERT_OK(id);
    EXPECT_EQ(packages.get(*id)->runId, run);
    auto changes = feed->read();
    ASSERT_OK(changes);
    EXPECT_EQ(changes->items.value(Aggregate::Package), QList<qint64>{*id});
    auto counts = (*project)->counts();
    ASSERT_OK(counts);
    EXPECT_EQ(counts->value(u"packages"), 1);
    EXPECT_EQ(counts->value(u"runs"), 1);
}
