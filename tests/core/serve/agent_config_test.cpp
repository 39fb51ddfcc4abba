// SPDX-License-Identifier: MIT
// AgentConfig: the command line over the config file, and refusals that name the option.

#include "serve/agent_config.h"

#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace mlwb {
namespace {

inline QStringList strings(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << QString::fromUtf8(s);
    return out;
}


QStringList required()
{
    return {QStringLiteral("--state"), QStringLiteral("/s"), QStringLiteral("--token-file"), QStringLiteral("/t"),
            QStringLiteral("--trusted-keys"), QStringLiteral("/k")};
}

TEST(AgentConfig, CommandLine)
{
    auto c = AgentConfig::fromArguments(required() + strings({"--listen", "0.0.0.0:0", "--max-batch-size", "16",
                                                                 "--max-queue-delay-us", "500", "--threads", "3"}));
    ASSERT_TRUE(c) << qPrintable(c.error());
    EXPECT_EQ(c->host, QStringLiteral("0.0.0.0"));
    EXPECT_EQ(c->port, 0);
    EXPECT_EQ(c->batching.maxBatchSize, 16);
    EXPECT_EQ(c->batching.maxQueueDelay.count(), 500);
    EXPECT_EQ(c->threads, 3);
    EXPECT_FALSE(c->tls());
}

TEST(AgentConfig, RefusalsNameTheOption)
{
    auto missing = AgentConfig::fromArguments({QStringLiteral("--state"), QStringLiteral("/s")});
    ASSERT_FALSE(missing);
    EXPECT_TRUE(missing.error().contains(QStringLiteral("--token-file")));
    auto port = AgentConfig::fromArguments(required() + strings({"--listen", "localhost:99999"}));
    ASSERT_FALSE(port);
    EXPECT_TRUE(port.error().contains(QStringLiteral("--listen")));
    auto unknown = AgentConfig::fromArguments(required() + strings({"--batch", "3"}));
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(unknown.error().contains(QStringLiteral("--batch")));
    auto half = AgentConfig::fromArguments(required() + strings({"--tls-cert", "c.pem"}));
    ASSERT_FALSE(half);
    EXPECT_TRUE(half.error().contains(QStringLiteral("--tls-key")));
}

TEST(AgentConfig, FileWithRelativePathsAndTheCommandLineWins)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("agent.json"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"listen": "127.0.0.1:9000", "state": "state", "token_file": "token", "trusted_keys": "/etc/keys",
               "batching": {"max_batch_size": 64, "max_queue_delay_microseconds": 100},
               "models": {"digits": {"batching": {"max_batch_size": 128}}},
               "limits": {"max_body_bytes": 1048576}})");
    f.close();
    auto c = AgentConfig::fromArguments({QStringLiteral("--config"), path, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:9100")});
    ASSERT_TRUE(c) << qPrintable(c.error());
    EXPECT_EQ(c->port, 9100);
    EXPECT_EQ(c->stateDir, dir.filePath(QStringLiteral("state")));
    EXPECT_EQ(c->trustedKeysDir, QStringLiteral("/etc/keys"));
    EXPECT_EQ(c->batching.maxBatchSize, 64);
    EXPECT_EQ(c->batchingByModel.at(QStringLiteral("digits")).maxBatchSize, 128);
    EXPECT_EQ(c->batchingByModel.at(QStringLiteral("digits")).maxQueueDelay.count(), 100);
    EXPECT_EQ(c->limits.maxBodyBytes, 1048576);

    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(R"({"state": "s", "token_file": "t", "trusted_keys": "k", "batching": {"max_batch_size": 0}})");
    f.close();
    auto bad = AgentConfig::fromArguments({QStringLiteral("--config"), path});
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().contains(QStringLiteral("batching.max_batch_size"))) << qPrintable(bad.error());
}

TEST(AgentConfig, TheTokenFileMustBePrivate)
{
    QTemporaryDir dir;
    const QString token = dir.filePath(QStringLiteral("token"));
    QFile f(token);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("s3cret\n");
    f.close();
    auto c = AgentConfig::fromArguments({QStringLiteral("--state"), QStringLiteral("/s"), QStringLiteral("--token-file"), token,
                                         QStringLiteral("--trusted-keys"), QStringLiteral("/k")});
    ASSERT_TRUE(c);
    ::chmod(token.toLocal8Bit().constData(), 0644);
    auto open = c->readToken();
    ASSERT_FALSE(open);
    EXPECT_TRUE(open.error().contains(QStringLiteral("chmod 600")));
    ::chmod(token.toLocal8Bit().constData(), 0600);
    auto ok = c->readToken();
    ASSERT_TRUE(ok) << qPrintable(ok.error());
    EXPECT_EQ(*ok, QByteArray("s3cret"));
}

} // namespace
} // namespace mlwb

namespace mlwb {
namespace {

TEST(AgentConfig, ThePackagedExampleIsValid)
{
    auto c = AgentConfig::fromArguments({QStringLiteral("--config"), QStringLiteral(MLWB_SOURCE_DIR "/packaging/mlwb-agent.json")});
    ASSERT_TRUE(c) << qPrintable(c.error());
    EXPECT_EQ(c->port, 8500);
    EXPECT_TRUE(c->tls());
    EXPECT_EQ(c->batchingByModel.at(QStringLiteral("digits-cnn")).maxBatchSize, 64);
}

} // namespace
} // namespace mlwb
