// SPDX-License-Identifier: MIT
// `mlwb key` and `mlwb package verify`: the signing key is made on first use with mode 0600 in the config directory, its
// public half exports in the form `key trust` reads, and bad key files are refused by name.

#include "cli_runner.h"

#include "package/key_store.h"
#include "package/package_manifest.h"
#include "package/package_seal.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace mlwb::test;

class CliKeyTest : public TempDirTest {
protected:
    CliResult as(const QString &user, const QStringList &args)
    {
        qputenv("MLWB_CONFIG_DIR", QFile::encodeName(path(user)));
        return runCli(args, 60000);
    }
};

TEST_F(CliKeyTest, AKeyIsMadeOnFirstUseExportedAndTrustedByAColleague)
{
    auto show = as(QStringLiteral("alice"), {QStringLiteral("key"), QStringLiteral("show"), QStringLiteral("--json")});
    ASSERT_EQ(show.exitCode, 0) << show.err.constData();
    const QJsonObject key = show.json();
    EXPECT_TRUE(key[QStringLiteral("created")].toBool());
    const QString id = key[QStringLiteral("id")].toString();
    EXPECT_EQ(id.size(), 16);
    struct stat st {};
    ASSERT_EQ(::stat(QFile::encodeName(path(QStringLiteral("alice/keys/signing_key"))).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto again = as(QStringLiteral("alice"), {QStringLiteral("key"), QStringLiteral("show"), QStringLiteral("--json")});
    EXPECT_FALSE(again.json()[QStringLiteral("created")].toBool());
    EXPECT_EQ(again.json()[QStringLiteral("id")].toString(), id);

    const QString pub = path(QStringLiteral("alice.pub"));
    auto exported = as(QStringLiteral("alice"), {QStringLiteral("key"), QStringLiteral("export"), QStringLiteral("-o"), pub});
    ASSERT_EQ(exported.exitCode, 0) << exported.err.constData();
    QFile f(pub);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    EXPECT_TRUE(text.startsWith("mlwb-ed25519 ")) << text.constData();
    EXPECT_EQ(text.trimmed(), key[QStringLiteral("public_key")].toString().toLatin1());

    auto trust = as(QStringLiteral("bob"), {QStringLiteral("key"), QStringLiteral("trust"), pub});
    ASSERT_EQ(trust.exitCode, 0) << trust.err.constData();
    EXPECT_TRUE(trust.out.contains(id.toLatin1())) << trust.out.constData();
    auto list = as(QStringLiteral("bob"), {QStringLiteral("key"), QStringLiteral("list"), QStringLiteral("--json")});
    ASSERT_EQ(list.exitCode, 0) << list.err.constData();
    const QJsonArray keys = list.json()[QStringLiteral("keys")].toArray();
    ASSERT_EQ(keys.size(), 1);
    EXPECT_EQ(keys[0].toObject()[QStringLiteral("id")].toString(), id);
    EXPECT_FALSE(keys[0].toObject()[QStringLiteral("own")].toBool());
    // Listing made no key for bob.
    EXPECT_FALSE(QFile::exists(path(QStringLiteral("bob/keys/signing_key"))));
}

TEST_F(CliKeyTest, ForeignFilesAndReadableKeysAreRefusedWithTheReason)
{
    const QString bogus = path(QStringLiteral("id_ed25519.pub"));
    QFile f(bogus);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG alice@host\n");
    f.close();
    auto trust = as(QStringLiteral("bob"), {QStringLiteral("key"), QStringLiteral("trust"), bogus});
    EXPECT_EQ(trust.exitCode, 1);
    EXPECT_TRUE(trust.err.contains("id_ed25519.pub: not an mlwb public key")) << trust.err.constData();

    ASSERT_EQ(as(QStringLiteral("carol"), {QStringLiteral("key"), QStringLiteral("show")}).exitCode, 0);
    const QString secret = path(QStringLiteral("carol/keys/signing_key"));
    ASSERT_EQ(::chmod(QFile::encodeName(secret).constData(), 0644), 0);
    auto show = as(QStringLiteral("carol"), {QStringLiteral("key"), QStringLiteral("show")});
    EXPECT_EQ(show.exitCode, 1);
    EXPECT_TRUE(show.err.contains("can be read by others (mode 644)")) << show.err.constData();

    auto usage = as(QStringLiteral("carol"), {QStringLiteral("key"), QStringLiteral("export")});
    EXPECT_EQ(usage.exitCode, 2);
}

// `package verify` on a file sealed by a user's key: passes for that user, fails for a colleague
// until they trust the key, and fails naming the entry once a byte of model.pt changes.
TEST_F(CliKeyTest, PackageVerifyChecksEveryEntryAndTheSigner)
{
    mlwb::KeyStore alice(path(QStringLiteral("alice/keys")));
    auto key = alice.signingKey();
    ASSERT_TRUE(key) << key.error().toStdString();
    // A whole package's entries (verify reads the manifest too); model.pt is never loaded.
    mlwb::PackageManifest m;
    m.name = QStringLiteral("p");
    m.version = QStringLiteral("1.0.0");
    m.created = QDateTime::currentDateTimeUtc();
    m.input.shape = {1};
    m.input.features = {{QStringLiteral("x"), QStringLiteral("numeric"), {}}};
    m.input.modelShape = {1};
    m.output.task = QStringLiteral("regression");
    m.output.shape = {1};
    m.libtorchVersion = QStringLiteral("1.13.0");
    std::vector<mlwb::PackageArchive::Entry> content{{QStringLiteral("manifest.json"), m.toBytes()},
                                                     {QStringLiteral("model.pt"), QByteArray(5000, 'w')},
                                                     {QStringLiteral("baseline.json"), "{}"},
                                                     {QStringLiteral("input_example.json"), "{}"},
                                                     {QStringLiteral("checks.json"), "{\"format\": 1, \"status\": \"not_run\"}"}};
    auto sealed = mlwb::PackageSeal::seal(content, &*key);
    ASSERT_TRUE(sealed);
    auto write = [&](const QString &name, const std::vector<mlwb::PackageArchive::Entry> &entries) {
        auto bytes = mlwb::PackageArchive::write(entries);
        EXPECT_TRUE(bytes);
        QFile f(path(name));
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(*bytes);
        return path(name);
    };
    const QString good = write(QStringLiteral("good.mlwbpkg"), *sealed);
    auto ok = as(QStringLiteral("alice"), {QStringLiteral("package"), QStringLiteral("verify"), good, QStringLiteral("--json")});
    ASSERT_EQ(ok.exitCode, 0) << ok.err.constData();
    EXPECT_TRUE(ok.json()[QStringLiteral("signed")].toBool());
    EXPECT_EQ(ok.json()[QStringLiteral("key_id")].toString(), key->publicKey().id());
    EXPECT_EQ(ok.json()[QStringLiteral("entries")].toArray().size(), 7);
    EXPECT_EQ(ok.json()[QStringLiteral("manifest")][QStringLiteral("name")].toString(), QStringLiteral("p"));

    auto untrusted = as(QStringLiteral("bob"), {QStringLiteral("package"), QStringLiteral("verify"), good});
    EXPECT_EQ(untrusted.exitCode, 1);
    EXPECT_TRUE(untrusted.err.contains("which is not trusted here")) << untrusted.err.constData();
    // An agent-style folder of trusted keys.
    QDir().mkpath(path(QStringLiteral("agent-keys")));
    QFile pub(path(QStringLiteral("agent-keys/alice.pub")));
    ASSERT_TRUE(pub.open(QIODevice::WriteOnly));
    pub.write(key->publicKey().toText());
    pub.close();
    EXPECT_EQ(as(QStringLiteral("bob"), {QStringLiteral("package"), QStringLiteral("verify"), good, QStringLiteral("--trusted-keys"),
                                         path(QStringLiteral("agent-keys"))}).exitCode, 0);

    auto tampered = *sealed;
    tampered[1].data[4000] = 'x';
    const QString bad = write(QStringLiteral("bad.mlwbpkg"), tampered);
    auto changed = as(QStringLiteral("alice"), {QStringLiteral("package"), QStringLiteral("verify"), bad, QStringLiteral("--json")});
    EXPECT_EQ(changed.exitCode, 1);
    EXPECT_FALSE(changed.json()[QStringLiteral("ok")].toBool());
    EXPECT_TRUE(changed.json()[QStringLiteral("error")].toString().contains(QStringLiteral("entry \"model.pt\" was changed")))
        << changed.out.constData();

    auto unsignedSeal = mlwb::PackageSeal::seal(content, nullptr);
    const QString plain = write(QStringLiteral("plain.mlwbpkg"), *unsignedSeal);
    EXPECT_EQ(as(QStringLiteral("alice"), {QStringLiteral("package"), QStringLiteral("verify"), plain}).exitCode, 1);
    EXPECT_EQ(as(QStringLiteral("alice"), {QStringLiteral("package"), QStringLiteral("verify"), plain, QStringLiteral("--allow-unsigned")}).exitCode, 0);
}
