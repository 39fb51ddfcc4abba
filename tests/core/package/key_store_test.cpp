// SPDX-License-Identifier: MIT
#include "package/key_store.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace mlwb;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

} // namespace

TEST(KeyStoreTest, FirstUseMakesAKeyOnlyItsOwnerCanReadAndLaterUsesTheSameOne)
{
    QTemporaryDir tmp;
    KeyStore store(tmp.path() + QStringLiteral("/keys"));
    EXPECT_FALSE(store.hasSigningKey());
    auto first = store.signingKey();
    ASSERT_TRUE(first) << first.error().toStdString();
    struct stat st {};
    ASSERT_EQ(::stat(QFile::encodeName(store.signingKeyPath()).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto second = store.signingKey();
    ASSERT_TRUE(second) << second.error().toStdString();
    EXPECT_EQ(first->publicKey().bytes(), second->publicKey().bytes());
    EXPECT_EQ(first->publicKey().bytes().size(), PublicKey::kBytes);
    // The secret never appears in the public form.
    EXPECT_FALSE(first->publicKey().toText().contains(readAll(store.signingKeyPath()).split(' ').value(1).trimmed()));
}

TEST(KeyStoreTest, SignaturesVerifyOnlyForTheSameMessageAndKey)
{
    auto key = SigningKey::generate(QStringLiteral("alice@host"));
    auto other = SigningKey::generate(QStringLiteral("mallory@host"));
    ASSERT_TRUE(key && other);
    const QByteArray message = "manifest of hashes\n";
    const QByteArray sig = key->sign(message);
    ASSERT_EQ(sig.size(), PublicKey::kSignatureBytes);
    EXPECT_TRUE(key->publicKey().verify(message, sig));
    QByteArray changed = message;
    changed[0] = 'M';
    EXPECT_FALSE(key->publicKey().verify(changed, sig));
    QByteArray flipped = sig;
    flipped[10] = char(flipped[10] ^ 1);
    EXPECT_FALSE(key->publicKey().verify(message, flipped));
    EXPECT_FALSE(other->publicKey().verify(message, sig));
    EXPECT_FALSE(key->publicKey().verify(message, sig.left(63)));
}

TEST(KeyStoreTest, Rfc8032TestVectorOneSignsAsTheStandardSays)
{
    // RFC 8032, section 7.1, TEST 1: the empty message under a known seed.
    const QByteArray seed = QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("signing_key"));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("mlwb-ed25519-secret " + seed.toBase64() + " rfc@8032\n");
        f.close();
        ASSERT_TRUE(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    }
    auto key = SigningKey::load(path);
    ASSERT_TRUE(key) << key.error().toStdString();
    EXPECT_EQ(key->publicKey().bytes().toHex(),
              QByteArray("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    EXPECT_EQ(key->sign({}).toHex(),
              QByteArray("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    EXPECT_EQ(key->publicKey().comment(), QStringLiteral("rfc@8032"));
}

TEST(KeyStoreTest, AKeyFileOthersCanReadIsRefusedAndADamagedOneNamed)
{
    QTemporaryDir tmp;
    KeyStore store(tmp.path());
    ASSERT_TRUE(store.signingKey());
    ASSERT_TRUE(QFile::setPermissions(store.signingKeyPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                                  QFileDevice::ReadGroup | QFileDevice::ReadOther));
    auto open = store.signingKey();
    ASSERT_FALSE(open);
    EXPECT_TRUE(open.error().contains(QStringLiteral("can be read by others"))) << open.error().toStdString();
    EXPECT_TRUE(open.error().contains(QStringLiteral("644"))) << open.error().toStdString();

    const QString damaged = tmp.filePath(QStringLiteral("damaged"));
    QFile f(damaged);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("mlwb-ed25519-secret c2hvcnQ=\n");
    f.close();
    ASSERT_TRUE(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    auto bad = SigningKey::load(damaged);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.kind(), ErrorKind::Corrupt);
    EXPECT_TRUE(bad.error().contains(damaged)) << bad.error().toStdString();
}

TEST(KeyStoreTest, SaveNeverOverwritesAKey)
{
    QTemporaryDir tmp;
    KeyStore store(tmp.path());
    auto key = store.signingKey();
    ASSERT_TRUE(key);
    auto other = SigningKey::generate({});
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->save(store.signingKeyPath()));
    EXPECT_EQ(store.signingKey()->publicKey().bytes(), key->publicKey().bytes());
}

TEST(KeyStoreTest, TrustedKeysRoundTripThroughTheTextForm)
{
    QTemporaryDir tmp;
    KeyStore alice(tmp.filePath(QStringLiteral("alice")));
    KeyStore bob(tmp.filePath(QStringLiteral("bob")));
    auto aliceKey = alice.signingKey();
    ASSERT_TRUE(aliceKey);
    const QByteArray text = aliceKey->publicKey().toText();
    EXPECT_TRUE(text.startsWith("mlwb-ed25519 "));
    auto trusted = bob.trust(text, QStringLiteral("alice.pub"));
    ASSERT_TRUE(trusted) << trusted.error().toStdString();
    EXPECT_EQ(trusted->id(), aliceKey->publicKey().id());
    EXPECT_EQ(trusted->id().size(), 16);
    ASSERT_TRUE(bob.trust(text, QStringLiteral("alice.pub"))); // twice is fine
    auto keys = bob.trustedKeys();
    ASSERT_TRUE(keys);
    ASSERT_EQ(keys->size(), 1); // bob has no key of his own yet
    EXPECT_EQ(keys->first(), aliceKey->publicKey());
    ASSERT_TRUE(bob.signingKey());
    EXPECT_EQ(bob.trustedKeys()->size(), 2);
    // An agent reads the same folder.
    auto dir = KeyStore::readKeyDirectory(bob.trustedDirectory());
    ASSERT_TRUE(dir);
    EXPECT_EQ(dir->size(), 1);
}

TEST(KeyStoreTest, MalformedPublicKeysAreRefusedNamingTheFile)
{
    for (const QByteArray &text : {QByteArray("ssh-ed25519 AAAA alice"), QByteArray("mlwb-ed25519 !!!! x"),
                                   QByteArray("mlwb-ed25519 c2hvcnQ= x"), QByteArray(""),
                                   QByteArray("mlwb-ed25519 AAAA\nmlwb-ed25519 BBBB")}) {
        auto key = PublicKey::parse(text, QStringLiteral("bad.pub"));
        ASSERT_FALSE(key) << text.toStdString();
        EXPECT_TRUE(key.error().startsWith(QStringLiteral("bad.pub: "))) << key.error().toStdString();
    }
    QTemporaryDir tmp;
    QFile f(tmp.filePath(QStringLiteral("broken.pub")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("garbage\n");
    f.close();
    auto dir = KeyStore::readKeyDirectory(tmp.path());
    ASSERT_FALSE(dir);
    EXPECT_TRUE(dir.error().contains(QStringLiteral("broken.pub"))) << dir.error().toStdString();
}
