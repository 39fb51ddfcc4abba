// SPDX-License-Identifier: MIT
// `mlwb target` and `mlwb deploy` end to end against a real mlwb-agent on 127.0.0.1 (issue #12):
// a target is added with its token (kept 0600 with the user, never in the project), packages
// are deployed, one as a 20% canary, promoted and rolled back, and the history shows who did
// what in the project's records and the agent's; a package whose gate failed is refused with
// exit 3 until a reason is given; a wrong token gives the agent's 401 with exit 1; an
// unreachable target is named with why.

#include "cli_runner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QThread>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace mlwb;
using namespace mlwb::test;

namespace {

constexpr const char *kToken = "deploy-test-token-5f1e2d";

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ASSERT_EQ(f.write(bytes), bytes.size());
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString s(const char *text) { return QString::fromUtf8(text); }

} // namespace

class CliDeployTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        qputenv("MLWB_CONFIG_DIR", QFile::encodeName(path(s("alice"))));
        project = path(s("p.mlwb"));
        ASSERT_EQ(cli({s("init"), project}).exitCode, 0);
        auto imported = cli({s("dataset"), s("import"), project, datasetPath(s("iris.csv")), s("--name"), s("iris"), s("--target"),
                             s("species")});
        ASSERT_EQ(imported.exitCode, 0) << imported.err.constData();
        ASSERT_EQ(cli({s("model"), s("create"), project, s("--name"), s("iris-mlp"), s("--dataset"), s("iris"), s("--template"), s("mlp")})
                      .exitCode,
                  0);
        auto trained = cli({s("train"), project, s("--model"), s("iris-mlp"), s("--epochs"), s("30"), s("--lr"), s("0.01"), s("--json")});
        ASSERT_EQ(trained.exitCode, 0) << trained.err.constData();
        const QString run = QString::number(trained.json()[s("run")].toInteger());
        for (const char *version : {"1.0.0", "1.1.0", "1.2.0"}) {
            auto created = cli({s("package"), s("create"), project, s("--run"), run, s("--name"), s("iris-mlp"), s("--version"), s(version)});
            ASSERT_EQ(created.exitCode, 0) << created.err.constData();
        }
        // The agent trusts the test user's key and holds its token.
        const QString trusted = path(s("agent/trusted"));
        ASSERT_TRUE(QDir().mkpath(trusted));
        auto exported = cli({s("key"), s("export"), s("-o"), trusted + s("/alice.pub")});
        ASSERT_EQ(exported.exitCode, 0) << exported.err.constData();
        tokenFile = path(s("agent/token"));
        writeAll(tokenFile, QByteArray(kToken) + '\n');
        ASSERT_EQ(::chmod(QFile::encodeName(tokenFile).constData(), 0600), 0);

        trustedKeys = trusted;
        startAgent(agent, path(s("agent/state")), {}, &url);
        ASSERT_FALSE(url.isEmpty());
    }
    // Starts an agent with the test's token and trusted key; *listening is its URL (empty when
    // it did not start).
    void startAgent(QProcess &process, const QString &state, const QStringList &extra, QString *listening)
    {
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.start(QString::fromUtf8(MLWB_AGENT), QStringList{s("--listen"), s("127.0.0.1:0"), s("--state"), state, s("--token-file"),
                                                                 tokenFile, s("--trusted-keys"), trustedKeys} +
                                                         extra);
        ASSERT_TRUE(process.waitForStarted(30000)) << qPrintable(process.errorString());
        QByteArray line;
        for (int i = 0; i < 300 && !line.contains('\n') && process.state() == QProcess::Running; ++i) {
            process.waitForReadyRead(100);
            line += process.readAllStandardOutput();
        }
        ASSERT_TRUE(line.startsWith("listening on http")) << line.constData() << process.readAllStandardError().constData();
        *listening = QString::fromUtf8(line.trimmed().mid(int(qstrlen("listening on "))));
    }
    void TearDown() override
    {
        if (agent.state() != QProcess::NotRunning) {
            agent.kill();
            agent.waitForFinished(10000);
        }
        qunsetenv("MLWB_CONFIG_DIR");
    }

    CliResult cli(const QStringList &args) { return runCli(args, 300000); }
    CliResult addTarget(const QString &name, const QString &targetUrl, const QString &token)
    {
        return cli({s("target"), s("add"), project, s("--name"), name, s("--url"), targetUrl, s("--token-file"), token, s("--json")});
    }
    QJsonObject status(const QString &target = s("prod"))
    {
        auto r = cli({s("deploy"), s("status"), project, s("--target"), target, s("--json")});
        EXPECT_EQ(r.exitCode, 0) << r.err.constData();
        return r.json();
    }
    static QJsonObject modelOf(const QJsonObject &status)
    {
        return status[s("models")].toArray().first().toObject();
    }

    QString project;
    QString tokenFile;
    QString trustedKeys;
    QString url;
    QProcess agent;
};

TEST_F(CliDeployTest, DeployCanaryPromoteRollbackAndHistory)
{
    auto added = addTarget(s("prod"), url, tokenFile);
    ASSERT_EQ(added.exitCode, 0) << added.err.constData();
    EXPECT_EQ(added.json()[s("token")].toString(), s("stored"));
    const QString stored = added.json()[s("token_file")].toString();
    EXPECT_EQ(stored, path(s("alice/tokens/prod.token")));
    struct stat st = {};
    ASSERT_EQ(::stat(QFile::encodeName(stored).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(readAll(stored).trimmed(), QByteArray(kToken));
    auto list = cli({s("target"), s("list"), project, s("--json")});
    ASSERT_EQ(list.exitCode, 0) << list.err.constData();
    const QJsonObject listed = list.json()[s("targets")].toArray().first().toObject();
    EXPECT_EQ(listed[s("name")].toString(), s("prod"));
    EXPECT_EQ(listed[s("url")].toString(), url);
    EXPECT_EQ(listed[s("token")].toString(), s("stored"));
    auto duplicate = addTarget(s("prod"), url, tokenFile);
    EXPECT_EQ(duplicate.exitCode, 1);
    EXPECT_TRUE(duplicate.err.contains("already exists")) << duplicate.err.constData();

    // The first version becomes active, with progress on stderr.
    auto first = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.0.0"), s("--target"), s("prod"), s("--json")});
    ASSERT_EQ(first.exitCode, 0) << first.err.constData();
    EXPECT_EQ(first.json()[s("answer")][s("state")].toString(), s("active"));
    EXPECT_EQ(first.json()[s("deployment")][s("action")].toString(), s("deploy"));
    EXPECT_TRUE(first.err.contains("deploy")) << first.err.constData();
    QJsonObject model = modelOf(status());
    EXPECT_EQ(model[s("name")].toString(), s("iris-mlp"));
    EXPECT_EQ(model[s("active")].toString(), s("1.0.0"));
    EXPECT_TRUE(model[s("canary")].isNull());
    auto text = cli({s("deploy"), s("status"), project, s("--target"), s("prod")});
    ASSERT_EQ(text.exitCode, 0) << text.err.constData();
    EXPECT_TRUE(text.out.contains("live, ready")) << text.out.constData();
    EXPECT_TRUE(text.out.contains("model iris-mlp: active 1.0.0")) << text.out.constData();

    // 1.1.0 as a 20% canary, then promoted, then rolled back.
    auto second = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.1.0"), s("--target"), s("prod"), s("--canary"), s("20")});
    ASSERT_EQ(second.exitCode, 0) << second.err.constData();
    EXPECT_TRUE(second.out.contains("1.1.0 is canary at 20%")) << second.out.constData();
    model = modelOf(status());
    EXPECT_EQ(model[s("active")].toString(), s("1.0.0"));
    EXPECT_EQ(model[s("canary")][s("version")].toString(), s("1.1.0"));
    EXPECT_EQ(model[s("canary")][s("percent")].toInt(), 20);
    auto share = cli({s("deploy"), s("canary"), project, s("--target"), s("prod"), s("--model"), s("iris-mlp"), s("--version"), s("1.1.0"),
                      s("--percent"), s("35")});
    ASSERT_EQ(share.exitCode, 0) << share.err.constData();
    EXPECT_EQ(modelOf(status())[s("canary")][s("percent")].toInt(), 35);
    auto promoted = cli({s("deploy"), s("promote"), project, s("--target"), s("prod"), s("--model"), s("iris-mlp")});
    ASSERT_EQ(promoted.exitCode, 0) << promoted.err.constData();
    model = modelOf(status());
    EXPECT_EQ(model[s("active")].toString(), s("1.1.0"));
    EXPECT_TRUE(model[s("canary")].isNull());
    auto rolledBack = cli({s("deploy"), s("rollback"), project, s("--target"), s("prod"), s("--model"), s("iris-mlp")});
    ASSERT_EQ(rolledBack.exitCode, 0) << rolledBack.err.constData();
    EXPECT_EQ(modelOf(status())[s("active")].toString(), s("1.0.0"));
    // Nothing to promote now: the agent's refusal, with exit 1.
    auto nothing = cli({s("deploy"), s("promote"), project, s("--target"), s("prod"), s("--model"), s("iris-mlp")});
    EXPECT_EQ(nothing.exitCode, 1);
    EXPECT_TRUE(nothing.err.contains("HTTP 409")) << nothing.err.constData();
    EXPECT_TRUE(nothing.err.contains("target prod")) << nothing.err.constData();

    // Who did what, in the project (newest first) and on the agent (oldest first).
    auto history = cli({s("deploy"), s("history"), project, s("--target"), s("prod"), s("--json")});
    ASSERT_EQ(history.exitCode, 0) << history.err.constData();
    const QJsonArray records = history.json()[s("records")].toArray();
    QStringList actions;
    for (const QJsonValue &r : records)
        actions << r[s("action")].toString() + u' ' + r[s("version")].toString();
    EXPECT_EQ(actions, (QStringList{s("rollback 1.0.0"), s("promote 1.1.0"), s("canary 1.1.0"), s("canary 1.1.0"), s("deploy 1.0.0")}));
    const QString me = QString::fromUtf8(first.json()[s("deployment")][s("by")].toString().toUtf8());
    EXPECT_TRUE(me.contains(u'@')) << qPrintable(me);
    for (const QJsonValue &r : records) {
        EXPECT_EQ(r[s("by")].toString(), me);
        EXPECT_TRUE(r[s("at")].toString().endsWith(u'Z')) << qPrintable(r[s("at")].toString());
    }
    EXPECT_EQ(records[3][s("canary_percent")].toInt(), 20);
    EXPECT_EQ(records[2][s("canary_percent")].toInt(), 35);
    QStringList agentActions;
    for (const QJsonValue &e : history.json()[s("agent_events")].toArray()) {
        agentActions << e[s("action")].toString();
        EXPECT_EQ(e[s("by")].toString(), me) << "the agent was told who did it";
    }
    EXPECT_EQ(agentActions, (QStringList{s("deploy"), s("canary"), s("canary"), s("promote"), s("rollback")}));
    auto table = cli({s("deploy"), s("history"), project, s("--target"), s("prod")});
    ASSERT_EQ(table.exitCode, 0) << table.err.constData();
    EXPECT_TRUE(table.out.contains("the agent's history")) << table.out.constData();

    // The project file holds no token.
    agent.kill();
    agent.waitForFinished(10000);
    EXPECT_FALSE(readAll(project).contains(kToken));
    EXPECT_FALSE(readAll(project + s("-wal")).contains(kToken));
}

TEST_F(CliDeployTest, AFailedGateIsRefusedWithExit3UntilAReasonIsGiven)
{
    ASSERT_EQ(addTarget(s("prod"), url, tokenFile).exitCode, 0);
    const QString hard = path(s("hard.json"));
    writeAll(hard, R"({"gates": [{"metric": "accuracy", "min": 1.01}], "latency_seconds": 0.05, "python_round_trip": false})");
    auto checked = cli({s("package"), s("check"), project, s("--package"), s("iris-mlp:1.2.0"), s("--config"), hard});
    ASSERT_EQ(checked.exitCode, 3) << checked.err.constData();

    auto refused = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.2.0"), s("--target"), s("prod")});
    EXPECT_EQ(refused.exitCode, 3) << refused.err.constData();
    EXPECT_TRUE(refused.err.contains("failed its checks")) << refused.err.constData();
    EXPECT_TRUE(refused.err.contains("--override-reason")) << refused.err.constData();
    EXPECT_TRUE(status()[s("models")].toArray().isEmpty()) << "nothing reached the agent";

    auto shipped = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.2.0"), s("--target"), s("prod"), s("--override-reason"),
                        s("accuracy 1.01 cannot be reached; approved by QA"), s("--json")});
    ASSERT_EQ(shipped.exitCode, 0) << shipped.err.constData();
    EXPECT_EQ(shipped.json()[s("deployment")][s("override_reason")].toString(), s("accuracy 1.01 cannot be reached; approved by QA"));
    EXPECT_EQ(modelOf(status())[s("active")].toString(), s("1.2.0"));
    // The override is the package's too (who, when, why).
    auto packages = cli({s("package"), s("list"), project, s("--json")});
    bool overridden = false;
    for (const QJsonValue &p : packages.json()[s("packages")].toArray())
        if (p[s("version")].toString() == u"1.2.0")
            overridden = p[s("overridden")].toBool();
    EXPECT_TRUE(overridden) << packages.out.constData();
    auto history = cli({s("deploy"), s("history"), project, s("--target"), s("prod"), s("--json")});
    const QJsonArray records = history.json()[s("records")].toArray();
    ASSERT_EQ(records.size(), 2) << history.out.constData(); // before the second check below
    EXPECT_EQ(records[0][s("action")].toString(), s("deploy"));
    EXPECT_EQ(records[1][s("action")].toString(), s("refused"));
    EXPECT_TRUE(records[1][s("detail")].toString().contains(s("failed its checks")));

    // Checked again (failing again): the earlier override was of the earlier check, so it no
    // longer counts and a new deploy needs a reason of its own.
    ASSERT_EQ(cli({s("package"), s("check"), project, s("--package"), s("iris-mlp:1.2.0"), s("--config"), hard}).exitCode, 3);
    auto again = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.2.0"), s("--target"), s("prod")});
    EXPECT_EQ(again.exitCode, 3) << again.out.constData() << again.err.constData();
    EXPECT_TRUE(again.err.contains("failed its checks")) << again.err.constData();
    // An override recorded with `mlwb package override` after the check counts: the gate lets
    // it through, and the agent refuses it (checks.json was sealed in anew, so 1.2.0 now has
    // other bytes than the 1.2.0 it serves): exit 1, and the refusal is recorded.
    ASSERT_EQ(cli({s("package"), s("override"), project, s("--package"), s("iris-mlp:1.2.0"), s("--reason"), s("QA again")}).exitCode, 0);
    auto byOverride = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.2.0"), s("--target"), s("prod")});
    EXPECT_EQ(byOverride.exitCode, 1) << byOverride.err.constData();
    EXPECT_TRUE(byOverride.err.contains("HTTP 409")) << byOverride.err.constData();
    EXPECT_FALSE(byOverride.err.contains("failed its checks")) << byOverride.err.constData();
    auto later = cli({s("deploy"), s("history"), project, s("--target"), s("prod"), s("--json")});
    const QJsonObject newest = later.json()[s("records")].toArray().first().toObject();
    EXPECT_EQ(newest[s("action")].toString(), s("refused"));
    EXPECT_TRUE(newest[s("detail")].toString().contains(s("HTTP 409"))) << qPrintable(newest[s("detail")].toString());
    EXPECT_EQ(newest[s("override_reason")].toString(), s("QA again"));

    // A package the project does not have, and a reference without a version.
    auto unknown = cli({s("deploy"), project, s("--package"), s("iris-mlp:9.9.9"), s("--target"), s("prod")});
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_TRUE(unknown.err.contains("no package iris-mlp 9.9.9")) << unknown.err.constData();
    auto badRef = cli({s("deploy"), project, s("--package"), s("iris-mlp"), s("--target"), s("prod")});
    EXPECT_EQ(badRef.exitCode, 2) << badRef.err.constData();
}

TEST_F(CliDeployTest, AWrongTokenAndAnUnreachableTargetAreClearFailures)
{
    const QString wrong = path(s("wrong.token"));
    writeAll(wrong, "not-the-token\n");
    ASSERT_EQ(addTarget(s("wrong"), url, wrong).exitCode, 0);
    auto denied = cli({s("deploy"), s("status"), project, s("--target"), s("wrong")});
    EXPECT_EQ(denied.exitCode, 1);
    EXPECT_TRUE(denied.err.contains("target wrong")) << denied.err.constData();
    EXPECT_TRUE(denied.err.contains("HTTP 401")) << denied.err.constData();
    EXPECT_TRUE(denied.err.contains("token")) << denied.err.constData();
    EXPECT_TRUE(denied.err.contains(url.toUtf8())) << denied.err.constData();
    auto upload = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.0.0"), s("--target"), s("wrong")});
    EXPECT_EQ(upload.exitCode, 1);
    EXPECT_TRUE(upload.err.contains("HTTP 401")) << upload.err.constData();
    auto history = cli({s("deploy"), s("history"), project, s("--target"), s("wrong"), s("--json")});
    EXPECT_EQ(history.exitCode, 1) << "the agent's half could not be read";
    const QJsonArray records = history.json()[s("records")].toArray();
    ASSERT_EQ(records.size(), 1) << history.out.constData();
    EXPECT_EQ(records[0][s("action")].toString(), s("refused")) << "the agent's refusal is recorded";
    EXPECT_TRUE(records[0][s("detail")].toString().contains(s("HTTP 401")));

    // A port nobody listens on (the agent's, once it is gone).
    agent.kill();
    agent.waitForFinished(10000);
    ASSERT_EQ(addTarget(s("gone"), url, tokenFile).exitCode, 0);
    auto unreachable = cli({s("deploy"), s("status"), project, s("--target"), s("gone")});
    EXPECT_EQ(unreachable.exitCode, 1);
    EXPECT_TRUE(unreachable.err.contains("target gone")) << unreachable.err.constData();
    EXPECT_TRUE(unreachable.err.contains("cannot be reached")) << unreachable.err.constData();
    EXPECT_TRUE(unreachable.err.contains("refused")) << unreachable.err.constData();
    auto push = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.0.0"), s("--target"), s("gone")});
    EXPECT_EQ(push.exitCode, 1);
    EXPECT_TRUE(push.err.contains("cannot be reached")) << push.err.constData();

    // A token file others can read is refused, naming the fix.
    const QString stored = path(s("alice/tokens/gone.token"));
    ASSERT_EQ(::chmod(QFile::encodeName(stored).constData(), 0644), 0);
    auto open = cli({s("deploy"), s("status"), project, s("--target"), s("gone")});
    EXPECT_EQ(open.exitCode, 1);
    EXPECT_TRUE(open.err.contains("chmod 600")) << open.err.constData();
    auto noTarget = cli({s("deploy"), s("status"), project, s("--target"), s("nowhere")});
    EXPECT_EQ(noTarget.exitCode, 1);
    EXPECT_TRUE(noTarget.err.contains("no target nowhere")) << noTarget.err.constData();
}

TEST_F(CliDeployTest, AnHttpsTargetIsReachedThroughItsCaCertificate)
{
    const QString cert = path(s("cert.pem")), key = path(s("key.pem"));
    QProcess openssl;
    openssl.start(s("openssl"), {s("req"), s("-x509"), s("-newkey"), s("rsa:2048"), s("-nodes"), s("-days"), s("2"), s("-subj"),
                                 s("/CN=127.0.0.1"), s("-addext"), s("subjectAltName=IP:127.0.0.1"), s("-keyout"), key, s("-out"), cert});
    ASSERT_TRUE(openssl.waitForFinished(60000));
    ASSERT_EQ(openssl.exitCode(), 0) << openssl.readAllStandardError().constData();
    QProcess tls;
    QString httpsUrl;
    startAgent(tls, path(s("agent/tls-state")), {s("--tls-cert"), cert, s("--tls-key"), key}, &httpsUrl);
    ASSERT_TRUE(httpsUrl.startsWith(s("https://127.0.0.1:"))) << qPrintable(httpsUrl);

    auto added = cli({s("target"), s("add"), project, s("--name"), s("secure"), s("--url"), httpsUrl, s("--token-file"), tokenFile,
                      s("--ca-cert"), cert, s("--json")});
    ASSERT_EQ(added.exitCode, 0) << added.err.constData();
    EXPECT_TRUE(added.json()[s("ca_cert")].toString().startsWith(s("-----BEGIN CERTIFICATE-----")));
    auto deployed = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.0.0"), s("--target"), s("secure")});
    ASSERT_EQ(deployed.exitCode, 0) << deployed.err.constData();
    EXPECT_EQ(modelOf(status(s("secure")))[s("active")].toString(), s("1.0.0"));

    // Without the CA certificate the agent's certificate is not trusted: a clear TLS failure.
    ASSERT_EQ(addTarget(s("untrusted"), httpsUrl, tokenFile).exitCode, 0);
    auto refused = cli({s("deploy"), s("status"), project, s("--target"), s("untrusted")});
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_TRUE(refused.err.contains("target untrusted")) << refused.err.constData();
    EXPECT_TRUE(refused.err.contains("cannot be reached")) << refused.err.constData();
    auto notPem = cli({s("target"), s("add"), project, s("--name"), s("bad"), s("--url"), httpsUrl, s("--ca-cert"), tokenFile});
    EXPECT_EQ(notPem.exitCode, 1);
    EXPECT_TRUE(notPem.err.contains("not a PEM certificate")) << notPem.err.constData();
    tls.kill();
    tls.waitForFinished(10000);
}

// The embedded default: `mlwb agent start FILE` runs an mlwb-agent on 127.0.0.1 for the user
// (state, token and trusted key in the user's data directory), points the project's target
// `local` at it, and the project's packages deploy there; it survives a kill -9 (started again,
// on the same port, serving what it served) and stops.
TEST_F(CliDeployTest, TheLocalAgentStartsTakesDeploysSurvivesAKillAndStops)
{
    const QString data = path(s("alice-data"));
    qputenv("MLWB_DATA_DIR", QFile::encodeName(data));
    qputenv("MLWB_KEYCHAIN", "off");
    qint64 pid = 0;
    struct StopAtTheEnd { // no daemon outlives the test, whatever fails
        qint64 *pid;
        ~StopAtTheEnd()
        {
            if (*pid > 0)
                ::kill(pid_t(*pid), SIGKILL);
            qunsetenv("MLWB_DATA_DIR");
            qunsetenv("MLWB_KEYCHAIN");
        }
    } stopper{&pid};

    auto none = cli({s("agent"), s("status"), s("--json")});
    ASSERT_EQ(none.exitCode, 0) << none.err.constData();
    EXPECT_FALSE(none.json()[s("running")].toBool());

    auto started = cli({s("agent"), s("start"), project, s("--json")});
    ASSERT_EQ(started.exitCode, 0) << started.err.constData();
    pid = started.json()[s("pid")].toInteger();
    const QString localUrl = started.json()[s("url")].toString();
    const int port = started.json()[s("port")].toInt();
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(localUrl.startsWith(s("http://127.0.0.1:"))) << qPrintable(localUrl);
    EXPECT_FALSE(started.json()[s("reused")].toBool());
    // The token is the user's, 0600, beside the agent and where every target's token is.
    struct stat st{};
    ASSERT_EQ(::stat(QFile::encodeName(data + s("/agent/token")).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(readAll(data + s("/agent/token")).trimmed(), readAll(path(s("alice/tokens/local.token"))).trimmed());
    EXPECT_FALSE(readAll(project).contains(readAll(data + s("/agent/token")).trimmed()));

    // The project's target `local` is there, and a package goes out to it.
    auto targets = cli({s("target"), s("list"), project, s("--json")});
    EXPECT_TRUE(targets.out.contains(localUrl.toUtf8())) << targets.out.constData();
    auto deployed = cli({s("deploy"), project, s("--package"), s("iris-mlp:1.0.0"), s("--target"), s("local"), s("--json")});
    ASSERT_EQ(deployed.exitCode, 0) << deployed.err.constData();
    EXPECT_EQ(modelOf(status(s("local")))[s("active")].toString(), s("1.0.0"));

    // Started again while it runs: the same agent.
    auto again = cli({s("agent"), s("start"), s("--json")});
    ASSERT_EQ(again.exitCode, 0) << again.err.constData();
    EXPECT_TRUE(again.json()[s("reused")].toBool());
    EXPECT_EQ(again.json()[s("pid")].toInteger(), pid);

    // kill -9: status says it is gone; a start brings it back on its port with what it served.
    ASSERT_EQ(::kill(pid_t(pid), SIGKILL), 0);
    for (int i = 0; i < 100 && cli({s("agent"), s("status"), s("--json")}).json()[s("running")].toBool(); ++i)
        QThread::msleep(50);
    EXPECT_FALSE(cli({s("agent"), s("status"), s("--json")}).json()[s("running")].toBool());
    auto restarted = cli({s("agent"), s("start"), project, s("--json")});
    ASSERT_EQ(restarted.exitCode, 0) << restarted.err.constData();
    pid = restarted.json()[s("pid")].toInteger();
    EXPECT_EQ(restarted.json()[s("port")].toInt(), port);
    EXPECT_EQ(modelOf(status(s("local")))[s("active")].toString(), s("1.0.0"));

    auto stopped = cli({s("agent"), s("stop")});
    ASSERT_EQ(stopped.exitCode, 0) << stopped.err.constData();
    pid = 0;
    EXPECT_FALSE(cli({s("agent"), s("status"), s("--json")}).json()[s("running")].toBool());
    auto twice = cli({s("agent"), s("stop")});
    EXPECT_EQ(twice.exitCode, 1);
    EXPECT_TRUE(twice.err.contains("no local agent runs")) << twice.err.constData();
}
