// SPDX-License-Identifier: MIT
// `mlwb tracking-server` end to end (issue #15): a real server process on 127.0.0.1 with an
// ephemeral port. The exact requests MLflow's Python client sends for set_experiment, start_run,
// log_param(s), log_metric(s), set_tag, log_artifact, end_run, search_runs and
// get_metric_history, replayed in order (tests/e2e/data/mlflow_client_replay.json, from MLflow's
// RestStore source: docs/mlflow-client-requests.md), every answer checked and then the project's
// contents; a stdlib-only Python script (urllib) logging 100k points through log-batch; two
// scripts logging at once; hostile requests; the token rule off loopback; SIGTERM.
#include "cli_runner.h"

#include "store/experiment_repository.h"
#include "store/metric_reader.h"
#include "store/project_file.h"
#include "store/run_repository.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QUrlQuery>

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include <signal.h>

namespace mlwb::test {
namespace {

const QString s(const char *t) { return QString::fromUtf8(t); }

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// One request on its own connection (Connection: close), the bytes as given.
Reply send(int port, const QByteArray &raw)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    Reply r;
    if (!socket.waitForConnected(5000))
        return r;
    socket.write(raw);
    socket.waitForBytesWritten(5000);
    QByteArray all;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10000))
        all += socket.readAll();
    all += socket.readAll();
    const qsizetype headerEnd = all.indexOf("\r\n\r\n");
    const QList<QByteArray> status = all.left(all.indexOf("\r\n")).split(' ');
    if (status.size() >= 2)
        r.status = status[1].toInt();
    if (headerEnd >= 0)
        r.body = all.mid(headerEnd + 4);
    return r;
}

Reply http(int port, const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
           const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    QByteArray raw = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto &[k, v] : headers)
        raw += k + ": " + v + "\r\n";
    raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return send(port, raw);
}

class TrackingServerTest : public TempDirTest {
protected:
    void TearDown() override
    {
        if (m_server && m_server->state() == QProcess::Running) {
            m_server->kill();
            m_server->waitForFinished();
        }
        TempDirTest::TearDown();
    }

    // mlwb tracking-server FILE --listen 127.0.0.1:0 --json: the port from its first line.
    int start(const QString &file, QStringList extra = {})
    {
        m_server = std::make_unique<QProcess>();
        m_server->start(executablePath(s("mlwb")), QStringList{s("tracking-server"), file, s("--listen"), s("127.0.0.1:0"), s("--json")} + extra);
        EXPECT_TRUE(m_server->waitForStarted());
        QByteArray line;
        QDeadlineTimer deadline(30000);
        while (!line.contains('\n') && m_server->state() == QProcess::Running && !deadline.hasExpired()) {
            m_server->waitForReadyRead(100);
            line += m_server->readAllStandardOutput();
        }
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        EXPECT_TRUE(o.value(s("url")).toString().startsWith(s("http://127.0.0.1:"))) << line.constData() << m_server->readAllStandardError().constData();
        return o.value(s("port")).toInt();
    }
    // SIGTERM: it finishes, flushes and says what it wrote.
    void stop()
    {
        ASSERT_TRUE(m_server);
        ::kill(pid_t(m_server->processId()), SIGTERM);
        ASSERT_TRUE(m_server->waitForFinished(30000));
        const QByteArray err = m_server->readAllStandardError();
        EXPECT_EQ(m_server->exitStatus(), QProcess::NormalExit);
        EXPECT_EQ(m_server->exitCode(), 0) << err.constData();
        EXPECT_TRUE(err.contains("tracking server stopped")) << err.constData();
    }

    std::unique_ptr<QProcess> m_server;
};

// "a.b[0].c" or "runs[].info.run_id" (every element) present in `o`.
bool hasPath(const QJsonValue &v, QStringList parts)
{
    if (parts.isEmpty())
        return !v.isUndefined();
    QString head = parts.takeFirst();
    const bool every = head.endsWith(s("[]"));
    QRegularExpressionMatch index = QRegularExpression(s("^(.*)\\[(\\d+)\\]$")).match(head);
    if (every)
        head.chop(2);
    else if (index.hasMatch())
        head = index.captured(1);
    const QJsonValue child = v.toObject().value(head);
    if (every) {
        if (!child.isArray() || child.toArray().isEmpty())
            return false;
        for (const QJsonValue &e : child.toArray())
            if (!hasPath(e, parts))
                return false;
        return true;
    }
    if (index.hasMatch())
        return hasPath(child.toArray().at(index.captured(2).toInt()), parts);
    return hasPath(child, parts);
}

QJsonValue substitute(const QJsonValue &v, const std::map<QString, QString> &vars, qint64 nowMs)
{
    if (v.isString()) {
        QString t = v.toString();
        if (t == s("${now_ms}"))
            return nowMs; // int64 as the client sends it: a number
        for (const auto &[k, val] : vars)
            t.replace(s("${") + k + u'}', val);
        return t;
    }
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &e : v.toArray())
            out.append(substitute(e, vars, nowMs));
        return out;
    }
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            out.insert(it.key(), substitute(it.value(), vars, nowMs));
        return out;
    }
    return v;
}

TEST_F(TrackingServerTest, TheMlflowClientsRequestsReplayInOrderAndLandInTheProject)
{
    const QString file = path(s("project.mlwb"));
    ASSERT_EQ(runCli({s("init"), file}).exitCode, 0);
    const int port = start(file);
    ASSERT_GT(port, 0);

    QFile fixture(s(MLWB_SOURCE_DIR "/tests/e2e/data/mlflow_client_replay.json"));
    ASSERT_TRUE(fixture.open(QIODevice::ReadOnly));
    const QJsonArray steps = QJsonDocument::fromJson(fixture.readAll()).array();
    ASSERT_GE(steps.size(), 15);
    std::map<QString, QString> vars;
    QJsonObject searched, history;
    for (const QJsonValue &stepValue : steps) {
        const QJsonObject step = stepValue.toObject();
        const QString name = step.value(s("step")).toString();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QByteArray method = step.value(s("method")).toString().toLatin1();
        QByteArray target = substitute(step.value(s("path")), vars, now).toString().toUtf8();
        if (step.contains(s("query"))) {
            QUrlQuery q;
            const QJsonObject query = substitute(step.value(s("query")), vars, now).toObject();
            for (auto it = query.begin(); it != query.end(); ++it)
                q.addQueryItem(it.key(), it.value().isDouble() ? QString::number(qint64(it.value().toDouble())) : it.value().toString());
            target += '?' + q.toString(QUrl::FullyEncoded).toUtf8();
        }
        QByteArray body;
        if (step.contains(s("body")))
            body = QJsonDocument(substitute(step.value(s("body")), vars, now).toObject()).toJson(QJsonDocument::Compact);
        else if (step.contains(s("body_text")))
            body = step.value(s("body_text")).toString().toUtf8();
        QList<std::pair<QByteArray, QByteArray>> headers;
        const QJsonObject h = step.value(s("headers")).toObject();
        for (auto it = h.begin(); it != h.end(); ++it)
            headers.append({it.key().toLatin1(), it.value().toString().toLatin1()});
        const Reply r = http(port, method, target, body, headers);
        ASSERT_EQ(r.status, step.value(s("expect_status")).toInt()) << qPrintable(name) << ": " << r.body.constData();
        const QJsonObject answer = r.json();
        if (r.status == 200 && !target.startsWith("/api/2.0/mlflow-artifacts/"))
            EXPECT_TRUE(QJsonDocument::fromJson(r.body).isObject()) << qPrintable(name) << ": a JSON object, {} when empty";
        if (step.contains(s("expect_error_code")))
            EXPECT_EQ(answer.value(s("error_code")).toString(), step.value(s("expect_error_code")).toString()) << qPrintable(name);
        for (const QJsonValue &read : step.value(s("reads")).toArray()) {
            const QString p = read.toString();
            if (p == s("next_page_token")) // present only when there is a next page
                continue;
            EXPECT_TRUE(hasPath(answer, p.split(u'.'))) << qPrintable(name) << " reads " << qPrintable(p) << " of " << r.body.constData();
        }
        if (target.contains("experiments/create"))
            vars[s("experiment_id")] = answer.value(s("experiment_id")).toString();
        if (target.contains("runs/create"))
            vars[s("run_id")] = answer.value(s("run")).toObject().value(s("info")).toObject().value(s("run_id")).toString();
        if (target.contains("runs/get")) {
            const QString uri = answer.value(s("run")).toObject().value(s("info")).toObject().value(s("artifact_uri")).toString();
            ASSERT_TRUE(uri.startsWith(s("mlflow-artifacts:/"))) << qPrintable(uri);
            vars[s("artifact_path")] = uri.mid(18);
        }
        if (target.contains("runs/search"))
            searched = answer;
        if (target.contains("get-history"))
            history = answer;
    }
    // What the client got back: its run found by the filter, the loss history in order.
    const QJsonArray runs = searched.value(s("runs")).toArray();
    ASSERT_EQ(runs.size(), 1);
    EXPECT_EQ(runs.at(0).toObject().value(s("info")).toObject().value(s("run_id")).toString(), vars[s("run_id")]);
    EXPECT_EQ(runs.at(0).toObject().value(s("info")).toObject().value(s("status")).toString(), s("FINISHED"));
    const QJsonArray loss = history.value(s("metrics")).toArray();
    ASSERT_EQ(loss.size(), 3);
    EXPECT_DOUBLE_EQ(loss.at(0).toObject().value(s("value")).toDouble(), 1.0);
    EXPECT_DOUBLE_EQ(loss.at(1).toObject().value(s("value")).toDouble(), 0.5);
    EXPECT_DOUBLE_EQ(loss.at(2).toObject().value(s("value")).toDouble(), 1.0 / 3.0);
    stop();

    // What the project file holds: the experiment, the finished run, its params, tags, series
    // and the artifact, readable by anyone who opens the file.
    auto project = ProjectFile::open(file, {true, s("test"), 0});
    ASSERT_OK(project);
    Database &db = (*project)->db();
    auto experiment = ExperimentRepository(db).find(s("iris-script"));
    ASSERT_OK(experiment);
    EXPECT_EQ(QString::number(experiment->id), vars[s("experiment_id")]);
    EXPECT_EQ(experiment->runCount, 1);
    auto run = RunRepository(db).get(vars[s("run_id")].toLongLong());
    ASSERT_OK(run);
    EXPECT_TRUE(run->tracked);
    EXPECT_EQ(run->name, s("baseline"));
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_EQ(run->user, s("alice"));
    EXPECT_EQ(run->hyperparams, (QJsonObject{{s("lr"), s("0.01")}, {s("epochs"), s("5")}, {s("optimizer"), s("adam")}}));
    auto tags = RunRepository(db).tags(run->id);
    ASSERT_OK(tags);
    std::map<QString, QString> tagMap(tags->begin(), tags->end());
    EXPECT_EQ(tagMap[s("team")], s("vision"));
    EXPECT_EQ(tagMap[s("mlflow.user")], s("alice"));
    EXPECT_EQ(tagMap[s("mlflow.source.name")], s("train.py"));
    EXPECT_EQ(tagMap[s("mlflow.runName")], s("baseline"));
    MetricReader metrics(db);
    auto lossSeries = metrics.series(run->id, s("loss"));
    ASSERT_OK(lossSeries);
    ASSERT_EQ(lossSeries->size(), 3u);
    EXPECT_EQ((*lossSeries)[2].step, 2);
    auto acc = metrics.series(run->id, s("acc"));
    ASSERT_OK(acc);
    ASSERT_EQ(acc->size(), 1u);
    EXPECT_DOUBLE_EQ(acc->front().value, 0.9);
    EXPECT_DOUBLE_EQ(run->summary.value(s("f1")).toDouble(), 0.8);
    auto notes = RunRepository(db).artifact(run->id, s("notes.txt"));
    ASSERT_OK(notes);
    EXPECT_EQ(*notes, QByteArray("baseline run notes\n"));
    project->reset();

    // Reported like the workbench's own runs: `mlwb report` on the script's run.
    const QString html = path(s("report.html"));
    const CliResult report = runCli({s("report"), file, s("--runs"), vars[s("run_id")], s("--format"), s("html"), s("-o"), html});
    ASSERT_EQ(report.exitCode, 0) << report.err.constData();
    QFile page(html);
    ASSERT_TRUE(page.open(QIODevice::ReadOnly));
    const QByteArray text = page.readAll();
    EXPECT_TRUE(text.contains("baseline"));
    EXPECT_TRUE(text.contains("experiment iris-script")) << "the run's lineage names its experiment";
    EXPECT_TRUE(text.contains("Runs logged by scripts"));
}

TEST_F(TrackingServerTest, AStdlibScriptLogs100kPointsThroughLogBatch)
{
    const QString file = path(s("project.mlwb"));
    ASSERT_EQ(runCli({s("init"), file}).exitCode, 0);
    const int port = start(file);
    ASSERT_GT(port, 0);
    const PythonRun script = runPythonFile(pythonScriptPath(s("mlflow_stdlib_logger.py")),
                                           {QStringLiteral("http://127.0.0.1:%1").arg(port), s("stdlib"), s("long"), s("100000"), s("10")});
    ASSERT_TRUE(script.ok()) << script.out.constData() << script.err.constData();
    const QJsonObject result = QJsonDocument::fromJson(script.out).object();
    EXPECT_EQ(result.value(s("points")).toInt(), 100000);
    std::printf("100k points through log-batch from Python's urllib: %.2f s, %d requests\n", result.value(s("seconds")).toDouble(),
                result.value(s("requests")).toInt());
    stop();

    auto project = ProjectFile::open(file, {true, s("test"), 0});
    ASSERT_OK(project);
    const qint64 runId = result.value(s("run_id")).toString().toLongLong();
    MetricReader metrics((*project)->db());
    qint64 total = 0;
    for (int k = 0; k < 10; ++k) {
        auto series = metrics.series(runId, QStringLiteral("loss_%1").arg(k));
        ASSERT_OK(series);
        ASSERT_EQ(series->size(), 10000u) << k;
        total += qint64(series->size());
        for (const qint64 step : {qint64(0), qint64(4321), qint64(9999)})
            EXPECT_DOUBLE_EQ((*series)[size_t(step)].value, std::exp(-double(step) / 1000.0) + k) << k << " " << step;
    }
    EXPECT_EQ(total, 100000);
    auto run = RunRepository((*project)->db()).get(runId);
    ASSERT_OK(run);
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_DOUBLE_EQ(run->summary.value(s("loss_3")).toDouble(), std::exp(-9999.0 / 1000.0) + 3);
}

TEST_F(TrackingServerTest, TwoScriptsLogAtOnceIntoOneExperiment)
{
    const QString file = path(s("project.mlwb"));
    ASSERT_EQ(runCli({s("init"), file}).exitCode, 0);
    const int port = start(file);
    ASSERT_GT(port, 0);
    QProcess a, b;
    for (auto [p, name] : {std::pair{&a, "first"}, std::pair{&b, "second"}})
        p->start(s("/usr/bin/python3"), {pythonScriptPath(s("mlflow_stdlib_logger.py")), QStringLiteral("http://127.0.0.1:%1").arg(port), s("shared"),
                                         s(name), s("30000"), s("3")});
    for (QProcess *p : {&a, &b}) {
        ASSERT_TRUE(p->waitForFinished(300000));
        ASSERT_EQ(p->exitCode(), 0) << p->readAllStandardOutput().constData() << p->readAllStandardError().constData();
    }
    const QJsonObject ra = QJsonDocument::fromJson(a.readAllStandardOutput()).object();
    const QJsonObject rb = QJsonDocument::fromJson(b.readAllStandardOutput()).object();
    EXPECT_EQ(ra.value(s("experiment_id")).toString(), rb.value(s("experiment_id")).toString()) << "one experiment, whoever created it";
    EXPECT_NE(ra.value(s("run_id")).toString(), rb.value(s("run_id")).toString());
    stop();

    auto project = ProjectFile::open(file, {true, s("test"), 0});
    ASSERT_OK(project);
    auto experiments = ExperimentRepository((*project)->db()).list();
    ASSERT_OK(experiments);
    ASSERT_EQ(experiments->size(), 2) << "Default and shared";
    EXPECT_EQ(experiments->at(1).name, s("shared"));
    EXPECT_EQ(experiments->at(1).runCount, 2);
    MetricReader metrics((*project)->db());
    for (const QJsonObject &r : {ra, rb})
        for (int k = 0; k < 3; ++k) {
            auto series = metrics.series(r.value(s("run_id")).toString().toLongLong(), QStringLiteral("loss_%1").arg(k));
            ASSERT_OK(series);
            EXPECT_EQ(series->size(), 10000u);
        }
}

TEST_F(TrackingServerTest, HostileRequestsAreRefusedAndTheServerGoesOn)
{
    const QString file = path(s("project.mlwb"));
    ASSERT_EQ(runCli({s("init"), file}).exitCode, 0);
    const int port = start(file);
    ASSERT_GT(port, 0);
    EXPECT_EQ(send(port, "GARBAGE\r\n\r\n").status, 400);
    EXPECT_EQ(send(port, "GET /api/2.0/mlflow/experiments/get HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'x') + "\r\n\r\n").status, 431);
    Reply notJson = http(port, "POST", "/api/2.0/mlflow/runs/create", "{\"experiment_id\": ");
    EXPECT_EQ(notJson.status, 400);
    EXPECT_EQ(notJson.json().value(s("error_code")).toString(), s("INVALID_PARAMETER_VALUE"));
    Reply binary = http(port, "POST", "/api/2.0/mlflow/runs/log-batch", QByteArray("\x00\xff\xfe{", 4));
    EXPECT_EQ(binary.status, 400);
    Reply unknown = http(port, "POST", "/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"99\", \"key\": \"x\", \"value\": 1, \"timestamp\": 1}");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.json().value(s("error_code")).toString(), s("RESOURCE_DOES_NOT_EXIST"));
    // Still serving.
    Reply health = http(port, "GET", "/health");
    EXPECT_EQ(health.status, 200);
    Reply fine = http(port, "GET", "/api/2.0/mlflow/experiments/get?experiment_id=0");
    ASSERT_EQ(fine.status, 200) << fine.body.constData();
    EXPECT_EQ(fine.json().value(s("experiment")).toObject().value(s("name")).toString(), s("Default"));
    stop();
}

TEST_F(TrackingServerTest, AnyAddressButLoopbackNeedsAToken)
{
    const QString file = path(s("project.mlwb"));
    ASSERT_EQ(runCli({s("init"), file}).exitCode, 0);
    const CliResult refused = runCli({s("tracking-server"), file, s("--listen"), s("0.0.0.0:0")}, 30000);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_TRUE(refused.err.contains("needs a token")) << refused.err.constData();

    const QString tokenFile = path(s("token"));
    {
        QFile t(tokenFile);
        ASSERT_TRUE(t.open(QIODevice::WriteOnly));
        t.write("a-long-random-token\n");
        t.close();
        ASSERT_TRUE(t.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    }
    m_server = std::make_unique<QProcess>();
    m_server->start(executablePath(s("mlwb")), {s("tracking-server"), file, s("--listen"), s("0.0.0.0:0"), s("--token-file"), tokenFile, s("--json")});
    ASSERT_TRUE(m_server->waitForStarted());
    QByteArray line;
    QDeadlineTimer deadline(30000);
    while (!line.contains('\n') && m_server->state() == QProcess::Running && !deadline.hasExpired()) {
        m_server->waitForReadyRead(100);
        line += m_server->readAllStandardOutput();
    }
    const int port = QJsonDocument::fromJson(line).object().value(s("port")).toInt();
    ASSERT_GT(port, 0) << line.constData() << m_server->readAllStandardError().constData();
    Reply without = http(port, "GET", "/api/2.0/mlflow/experiments/get?experiment_id=0");
    EXPECT_EQ(without.status, 401);
    EXPECT_EQ(without.json().value(s("error_code")).toString(), s("UNAUTHENTICATED"));
    EXPECT_EQ(http(port, "GET", "/api/2.0/mlflow/experiments/get?experiment_id=0", {}, {{"Authorization", "Bearer a-long-random-token"}}).status, 200);
    const PythonRun script = runPythonFile(pythonScriptPath(s("mlflow_stdlib_logger.py")),
                                           {QStringLiteral("http://127.0.0.1:%1").arg(port), s("tokened"), s("r"), s("2000"), s("2"), s("a-long-random-token")});
    EXPECT_TRUE(script.ok()) << script.out.constData() << script.err.constData();
    stop();
}

} // namespace
} // namespace mlwb::test
