// SPDX-License-Identifier: MIT
// TokenStore: a target's token in the user's config folder, 0600 in a 0700 folder, replaced
// atomically, refused when others may read it; --token-file's content; names that cannot be
// file names; the keychain first and the file as the fallback (a fake keychain, and the real one
// as far as this machine has one).
#include "deploy/token_store.h"

#include "deploy/keychain.h"
#include "deploy/secret_store.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <map>
#include <memory>

#include <sys/stat.h>

using namespace mlwb;
using namespace mlwb::test;

namespace {

int modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ASSERT_EQ(f.write(bytes), bytes.size());
}

// A keychain in memory: what it holds, whether it answers.
class FakeKeychain final : public SecretStore {
public:
    QString why; // non-empty: unavailable
    mutable std::map<QString, QByteArray> entries;
    mutable int probes = 0;

    QString name() const override { return QStringLiteral("the fake keychain"); }
    QString unavailable() const override
    {
        ++probes;
        return why;
    }
    Result<QByteArray> read(const QString &key) const override
    {
        auto it = entries.find(key);
        if (it == entries.end())
            return notFound(QStringLiteral("no entry %1").arg(key));
        return it->second;
    }
    Status write(const QString &key, const QByteArray &secret) const override
    {
        entries[key] = secret;
        return {};
    }
    Status remove(const QString &key) const override
    {
        if (entries.erase(key) == 0)
            return notFound(QStringLiteral("no entry %1").arg(key));
        return {};
    }
};

// Collects what is logged in mlwb.deploy while it lives.
class DeployLog {
public:
    DeployLog() { s_lines.clear(), m_previous = qInstallMessageHandler(&DeployLog::handle); }
    ~DeployLog() { qInstallMessageHandler(m_previous); }
    const QStringList &lines() const { return s_lines; }

private:
    static void handle(QtMsgType, const QMessageLogContext &context, const QString &message)
    {
        if (context.category && QByteArray(context.category) == "mlwb.deploy")
            s_lines << message;
    }
    static inline QStringList s_lines;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

class TokenStoreTest : public TempDirTest {};

TEST_F(TokenStoreTest, ATokenIsWrittenPrivateAndReadBack)
{
    const TokenStore store(path(QStringLiteral("config/tokens")), nullptr);
    EXPECT_FALSE(store.has(QStringLiteral("prod")));
    ASSERT_OK(store.save(QStringLiteral("prod"), "s3cret-token\n"));
    EXPECT_TRUE(store.has(QStringLiteral("prod")));
    EXPECT_EQ(store.tokenPath(QStringLiteral("prod")), path(QStringLiteral("config/tokens/prod.token")));
    EXPECT_EQ(modeOf(store.tokenPath(QStringLiteral("prod"))), 0600);
    EXPECT_EQ(modeOf(store.directory()), 0700);
    auto token = store.token(QStringLiteral("prod"));
    ASSERT_OK(token);
    EXPECT_EQ(*token, QByteArray("s3cret-token"));

    // Replaced whole, still private, no temporary file left beside it.
    ASSERT_OK(store.save(QStringLiteral("prod"), "second"));
    EXPECT_EQ(*store.token(QStringLiteral("prod")), QByteArray("second"));
    EXPECT_EQ(modeOf(store.tokenPath(QStringLiteral("prod"))), 0600);
    EXPECT_EQ(QDir(store.directory()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("prod.token")});

    ASSERT_OK(store.remove(QStringLiteral("prod")));
    EXPECT_FALSE(store.has(QStringLiteral("prod")));
    EXPECT_EQ(store.remove(QStringLiteral("prod")).kind(), ErrorKind::NotFound);
}

TEST_F(TokenStoreTest, AFolderOthersCouldReadIsMadePrivate)
{
    const QString dir = path(QStringLiteral("tokens"));
    ASSERT_TRUE(QDir().mkpath(dir));
    ASSERT_EQ(::chmod(QFile::encodeName(dir).constData(), 0755), 0);
    ASSERT_OK(TokenStore(dir, nullptr).save(QStringLiteral("prod"), "t"));
    EXPECT_EQ(modeOf(dir), 0700);
}

TEST_F(TokenStoreTest, ATokenFileOthersCanReadIsRefused)
{
    const TokenStore store(path(QStringLiteral("tokens")), nullptr);
    ASSERT_OK(store.save(QStringLiteral("prod"), "s3cret"));
    const QString file = store.tokenPath(QStringLiteral("prod"));
    for (int mode : {0644, 0640, 0604, 0620, 0602}) {
        ASSERT_EQ(::chmod(QFile::encodeName(file).constData(), mode_t(mode)), 0);
        auto token = store.token(QStringLiteral("prod"));
        ASSERT_FALSE(token.ok()) << std::oct << mode;
        EXPECT_EQ(token.kind(), ErrorKind::Unauthorized);
        EXPECT_TRUE(token.error().contains(QStringLiteral("mode 0%1").arg(mode, 0, 8))) << qPrintable(token.error());
        EXPECT_TRUE(token.error().contains(QStringLiteral("chmod 600 ") + file)) << qPrintable(token.error());
        EXPECT_FALSE(token.error().contains(QStringLiteral("s3cret"))) << "an error never shows the token";
    }
    ASSERT_EQ(::chmod(QFile::encodeName(file).constData(), 0400), 0);
    EXPECT_OK(store.token(QStringLiteral("prod"))) << "read-only for its owner is private too";
}

TEST_F(TokenStoreTest, AMissingTokenSaysWhereItWasLookedForAndHowToGiveOne)
{
    const TokenStore store(path(QStringLiteral("tokens")), nullptr);
    auto token = store.token(QStringLiteral("staging"));
    ASSERT_FALSE(token.ok());
    EXPECT_EQ(token.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(token.error().contains(store.tokenPath(QStringLiteral("staging")))) << qPrintable(token.error());
    EXPECT_TRUE(token.error().contains(QStringLiteral("--token-file"))) << qPrintable(token.error());
}

TEST_F(TokenStoreTest, NamesThatAreNotFileNamesAndEmptyTokensAreRefused)
{
    const TokenStore store(path(QStringLiteral("tokens")), nullptr);
    for (const QString &name : {QStringLiteral("../escape"), QStringLiteral("a/b"), QStringLiteral(".hidden"),
                                QStringLiteral(""), QStringLiteral("with space")}) {
        auto s = store.save(name, "t");
        ASSERT_FALSE(s.ok()) << qPrintable(name);
        EXPECT_EQ(s.kind(), ErrorKind::InvalidInput);
        EXPECT_EQ(store.token(name).kind(), ErrorKind::InvalidInput);
    }
    EXPECT_FALSE(QFileInfo::exists(path(QStringLiteral("escape.token"))));
    EXPECT_OK(store.save(QStringLiteral("prod-eu_1.a"), "t"));
    auto empty = store.save(QStringLiteral("prod"), " \n");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.kind(), ErrorKind::InvalidInput);
}

TEST_F(TokenStoreTest, TheDefaultFolderFollowsTheConfigLookup)
{
    const QByteArray saved = qgetenv("MLWB_CONFIG_DIR");
    const QByteArray xdg = qgetenv("XDG_CONFIG_HOME");
    qputenv("MLWB_CONFIG_DIR", "/tmp/mlwb-test-config");
    EXPECT_EQ(TokenStore::defaultDirectory(), QStringLiteral("/tmp/mlwb-test-config/tokens"));
    qunsetenv("MLWB_CONFIG_DIR");
    qputenv("XDG_CONFIG_HOME", "/tmp/xdg");
    EXPECT_EQ(TokenStore::defaultDirectory(), QStringLiteral("/tmp/xdg/mlwb/tokens"));
    qunsetenv("XDG_CONFIG_HOME");
    EXPECT_EQ(TokenStore::defaultDirectory(), QDir::homePath() + QStringLiteral("/.config/mlwb/tokens"));
    if (!saved.isEmpty())
        qputenv("MLWB_CONFIG_DIR", saved);
    if (!xdg.isEmpty())
        qputenv("XDG_CONFIG_HOME", xdg);
}

TEST_F(TokenStoreTest, ATokenFileHoldsOneWordOnItsFirstLine)
{
    const QString f = path(QStringLiteral("token.txt"));
    writeFile(f, "  abc123  \n# a comment on the next line\n");
    auto token = TokenStore::readTokenFile(f);
    ASSERT_OK(token);
    EXPECT_EQ(*token, QByteArray("abc123"));
    writeFile(f, "\n");
    EXPECT_EQ(TokenStore::readTokenFile(f).kind(), ErrorKind::InvalidInput);
    writeFile(f, "two words\n");
    EXPECT_EQ(TokenStore::readTokenFile(f).kind(), ErrorKind::InvalidInput);
    auto missing = TokenStore::readTokenFile(path(QStringLiteral("nope")));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.kind(), ErrorKind::Io);
    EXPECT_TRUE(missing.error().contains(path(QStringLiteral("nope"))));
}

TEST_F(TokenStoreTest, AKeychainHoldsTheTokenAndNoFileIsWritten)
{
    auto keychain = std::make_shared<FakeKeychain>();
    const TokenStore store(path(QStringLiteral("tokens")), keychain);
    ASSERT_OK(store.save(QStringLiteral("prod"), "s3cret\n"));
    EXPECT_EQ(keychain->entries[QStringLiteral("prod")], QByteArray("s3cret"));
    EXPECT_FALSE(QFileInfo::exists(store.tokenPath(QStringLiteral("prod"))));
    EXPECT_TRUE(store.has(QStringLiteral("prod")));
    EXPECT_EQ(*store.token(QStringLiteral("prod")), QByteArray("s3cret"));
    EXPECT_EQ(store.location(QStringLiteral("prod")), QStringLiteral("the fake keychain, entry prod"));
    ASSERT_OK(store.remove(QStringLiteral("prod")));
    EXPECT_TRUE(keychain->entries.empty());
    EXPECT_EQ(store.token(QStringLiteral("prod")).kind(), ErrorKind::NotFound);
}

TEST_F(TokenStoreTest, TheKeychainIsReadFirstThenTheFile)
{
    auto keychain = std::make_shared<FakeKeychain>();
    const QString dir = path(QStringLiteral("tokens"));
    // Files from before the keychain (or written while it did not answer).
    ASSERT_OK(TokenStore(dir, nullptr).save(QStringLiteral("prod"), "from-file"));
    ASSERT_OK(TokenStore(dir, nullptr).save(QStringLiteral("staging"), "staging-file"));
    const TokenStore store(dir, keychain);
    EXPECT_EQ(*store.token(QStringLiteral("staging")), QByteArray("staging-file")) << "no entry in the keychain: the file";
    keychain->entries[QStringLiteral("prod")] = "from-keychain";
    EXPECT_EQ(*store.token(QStringLiteral("prod")), QByteArray("from-keychain")) << "the keychain wins over the file";

    // Saving to the keychain removes the file it replaces.
    ASSERT_OK(store.save(QStringLiteral("staging"), "new"));
    EXPECT_FALSE(QFileInfo::exists(store.tokenPath(QStringLiteral("staging"))));
    EXPECT_EQ(*store.token(QStringLiteral("staging")), QByteArray("new"));
}

TEST_F(TokenStoreTest, RemoveDeletesTheKeychainEntryAndTheFile)
{
    auto keychain = std::make_shared<FakeKeychain>();
    const QString dir = path(QStringLiteral("tokens"));
    ASSERT_OK(TokenStore(dir, nullptr).save(QStringLiteral("prod"), "from-file"));
    keychain->entries[QStringLiteral("prod")] = "from-keychain";
    const TokenStore store(dir, keychain);
    ASSERT_OK(store.remove(QStringLiteral("prod")));
    EXPECT_TRUE(keychain->entries.empty());
    EXPECT_FALSE(QFileInfo::exists(store.tokenPath(QStringLiteral("prod"))));
    EXPECT_FALSE(store.has(QStringLiteral("prod")));
    auto again = store.remove(QStringLiteral("prod"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(again.error().contains(QStringLiteral("the fake keychain")) && again.error().contains(dir)) << qPrintable(again.error());
}

TEST_F(TokenStoreTest, WithoutAKeychainTheFileIsUsedAndThatIsSaidOnce)
{
    auto keychain = std::make_shared<FakeKeychain>();
    keychain->why = QStringLiteral("no Secret Service on the session bus");
    const TokenStore store(path(QStringLiteral("tokens")), keychain);
    DeployLog log;
    ASSERT_OK(store.save(QStringLiteral("prod"), "s3cret"));
    ASSERT_OK(store.save(QStringLiteral("staging"), "other"));
    EXPECT_EQ(*store.token(QStringLiteral("prod")), QByteArray("s3cret"));
    EXPECT_TRUE(keychain->entries.empty());
    EXPECT_EQ(modeOf(store.tokenPath(QStringLiteral("prod"))), 0600);
    EXPECT_EQ(store.location(QStringLiteral("prod")), store.tokenPath(QStringLiteral("prod")));
    ASSERT_EQ(log.lines().size(), 1) << qPrintable(log.lines().join(QLatin1Char('\n')));
    EXPECT_TRUE(log.lines()[0].contains(QStringLiteral("no Secret Service on the session bus")) && log.lines()[0].contains(store.directory()))
        << qPrintable(log.lines()[0]);
    EXPECT_FALSE(log.lines()[0].contains(QStringLiteral("s3cret")));
}

TEST_F(TokenStoreTest, ARequiredKeychainThatDoesNotAnswerIsAFailureNotAFile)
{
    auto keychain = std::make_shared<FakeKeychain>();
    keychain->why = QStringLiteral("no Secret Service on the session bus");
    const TokenStore store(path(QStringLiteral("tokens")), keychain, true);
    auto s = store.save(QStringLiteral("prod"), "s3cret");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.kind(), ErrorKind::Unauthorized);
    EXPECT_TRUE(s.error().contains(QStringLiteral("MLWB_KEYCHAIN=on")) && s.error().contains(keychain->why)) << qPrintable(s.error());
    EXPECT_FALSE(QFileInfo::exists(store.tokenPath(QStringLiteral("prod"))));
    EXPECT_EQ(store.token(QStringLiteral("prod")).kind(), ErrorKind::Unauthorized);
}

TEST_F(TokenStoreTest, MlwbKeychainChoosesTheDefault)
{
    const QByteArray saved = qgetenv("MLWB_KEYCHAIN");
    qputenv("MLWB_KEYCHAIN", "off");
    EXPECT_EQ(TokenStore::defaultKeychain(), nullptr);
    EXPECT_FALSE(TokenStore::keychainRequired());
    qputenv("MLWB_KEYCHAIN", "on");
    EXPECT_NE(TokenStore::defaultKeychain(), nullptr);
    EXPECT_TRUE(TokenStore::keychainRequired());
    qunsetenv("MLWB_KEYCHAIN");
    EXPECT_NE(TokenStore::defaultKeychain(), nullptr);
    EXPECT_FALSE(TokenStore::keychainRequired());
    if (!saved.isEmpty())
        qputenv("MLWB_KEYCHAIN", saved);
}

// The real keychain, as far as this machine has one: on a headless machine without a Secret
// Service it says why it cannot be used, and the token still lands in its 0600 file.
TEST_F(TokenStoreTest, TheRealKeychainAnswersOrTheFileIsUsed)
{
    auto keychain = std::make_shared<Keychain>(QStringLiteral("mlwb-test"), 3000);
    const QString why = keychain->unavailable();
    std::cout << "[          ] keychain on this machine: " << (why.isEmpty() ? "available" : qPrintable(why)) << std::endl;
    const TokenStore store(path(QStringLiteral("tokens")), keychain);
    ASSERT_OK(store.save(QStringLiteral("mlwb-test-target"), "s3cret"));
    EXPECT_EQ(QFileInfo::exists(store.tokenPath(QStringLiteral("mlwb-test-target"))), !why.isEmpty());
    EXPECT_EQ(*store.token(QStringLiteral("mlwb-test-target")), QByteArray("s3cret"));
    ASSERT_OK(store.remove(QStringLiteral("mlwb-test-target")));
    EXPECT_FALSE(store.has(QStringLiteral("mlwb-test-target")));
}
