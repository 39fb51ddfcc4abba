// SPDX-License-Identifier: MIT
// TokenStore: a target's token in the user's config folder, 0600 in a 0700 folder, replaced
// atomically, refused when others may read it; --token-file's content; names that cannot be
// file names.
#include "deploy/token_store.h"

#include "test_support.h"

#include <QDir>
#include <QFile>

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

} // namespace

class TokenStoreTest : public TempDirTest {};

TEST_F(TokenStoreTest, ATokenIsWrittenPrivateAndReadBack)
{
    const TokenStore store(path(QStringLiteral("config/tokens")));
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
    ASSERT_OK(TokenStore(dir).save(QStringLiteral("prod"), "t"));
    EXPECT_EQ(modeOf(dir), 0700);
}

TEST_F(TokenStoreTest, ATokenFileOthersCanReadIsRefused)
{
    const TokenStore store(path(QStringLiteral("tokens")));
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
    const TokenStore store(path(QStringLiteral("tokens")));
    auto token = store.token(QStringLiteral("staging"));
    ASSERT_FALSE(token.ok());
    EXPECT_EQ(token.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(token.error().contains(store.tokenPath(QStringLiteral("staging")))) << qPrintable(token.error());
    EXPECT_TRUE(token.error().contains(QStringLiteral("--token-file"))) << qPrintable(token.error());
}

TEST_F(TokenStoreTest, NamesThatAreNotFileNamesAndEmptyTokensAreRefused)
{
    const TokenStore store(path(QStringLiteral("tokens")));
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
