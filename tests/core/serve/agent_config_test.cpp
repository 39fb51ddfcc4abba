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

TEST(AgentConfig, MonitoringKeysAndTheirDefaults)
{
    auto defaults = AgentConfig::fromArguments(required());
    ASSERT_TRUE(defaults) << qPrintable(defaults.error());
    EXPECT_EQ(defaults->monitoring.recentRequests, 1000);
    EXPECT_TRUE(defaults->monitoring.payloadLog.isEmpty());
    EXPECT_EQ(defaults->monitoring.payloadLogMaxBytes, 64ll << 20);
    EXPECT_EQ(defaults->monitoring.payloadLogFiles, 5);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("agent.json"));
    auto withFile = [&](const char *json, const QStringList &more = {}) {
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(json);
        f.close();
        return AgentConfig::fromArguments(required() + QStringList{QStringLiteral("--config"), path} + more);
    };
    auto c = withFile(R"({"monitoring": {"recent_requests": 0, "payload_log": "payloads",
                                         "payload_log_max_bytes": 1048576, "payload_log_files": 3}})");
    ASSERT_TRUE(c) << qPrintable(c.error());
    EXPECT_EQ(c->monitoring.recentRequests, 0);
    EXPECT_EQ(c->monitoring.payloadLog, dir.filePath(QStringLiteral("payloads"))); // relative to the file
    EXPECT_EQ(c->monitoring.payloadLogMaxBytes, 1048576);
    EXPECT_EQ(c->monitoring.payloadLogFiles, 3);
    auto cli = withFile(R"({"monitoring": {"payload_log": "/var/log/a"}})", strings({"--payload-log", "/tmp/b"}));
    ASSERT_TRUE(cli) << qPrintable(cli.error());
    EXPECT_EQ(cli->monitoring.payloadLog, QStringLiteral("/tmp/b")); // the command line wins

    const std::pair<const char *, const char *> refused[] = {
        {R"({"monitoring": {"recent_requests": -1}})", "monitoring.recent_requests must be an integer of at least 0"},
        {R"({"monitoring": {"recent_requests": "many"}})", "monitoring.recent_requests"},
        {R"({"monitoring": {"recent_requests": 2000000}})", "monitoring.recent_requests must be at most 1000000"},
        {R"({"monitoring": {"payload_log_max_bytes": 10}})", "monitoring.payload_log_max_bytes must be an integer of at least 1024"},
        {R"({"monitoring": {"payload_log_files": 0}})", "monitoring.payload_log_files must be an integer of at least 1"},
        {R"({"monitoring": {"payload_log": 5}})", "monitoring.payload_log must be a folder's path"},
        {R"({"monitoring": {"payload_log": ""}})", "monitoring.payload_log must be a folder's path"},
        {R"({"monitoring": {"recent": 10}})", "monitoring.recent is not a key of monitoring"},
        {R"({"monitoring": [1]})", "monitoring must be an object"},
    };
    for (const auto &[json, message] : refused) {
        auto bad = withFile(json);
        ASSERT_FALSE(bad) << json;
        EXPECT_TRUE(bad.error().contains(QString::fromUtf8(message))) << json << ": " << qPrintable(bad.error());
        EXPECT_TRUE(bad.error().startsWith(path)) << qPrintable(bad.error());
    }
    auto empty = AgentConfig::fromArguments(required() + strings({"--payload-log", ""}));
    ASSERT_FALSE(empty);
    EXPECT_TRUE(empty.error().contains(QStringLiteral("--payload-log"))) << qPrintable(empty.error());
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
    EXPECT_EQ(c->monitoring.recentRequests, 1000);
    EXPECT_EQ(c->monitoring.payloadLog, QStringLiteral("/var/log/mlwb-agent/payloads"));
    EXPECT_EQ(c->monitoring.payloadLogFiles, 5);
}

} // namespace
} // namespace mlwb
