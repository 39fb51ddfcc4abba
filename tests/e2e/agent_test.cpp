// SPDX-License-Identifier: MIT
// mlwb-agent end to end: real agent processes on 127.0.0.1 with ephemeral ports, pushed to,
// queried and attacked the way clients and networks do.

#include "agent_harness.h"

#include "common/prometheus_text.h"

#include <QDateTime>
#include <QJsonArray>
#include <QUuid>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <thread>

#include <sched.h>

namespace mlwb::test {
namespace {

inline QStringList strings(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << QString::fromUtf8(s);
    return out;
}


const QByteArray kInfer = "/v2/models/iris-mlp/infer";

QByteArray irisRequest(const std::vector<float> &rows, const QString &id = {})
{
    QJsonArray data;
    for (float v : rows)
        data.append(double(v));
    QJsonObject r{{QStringLiteral("inputs"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("INPUT__0")},
                                                                    {QStringLiteral("shape"), QJsonArray{qint64(rows.size() / 4), 4}},
                                                                    {QStringLiteral("datatype"), QStringLiteral("FP32")},
                                                                    {QStringLiteral("data"), data}}}}};
    if (!id.isEmpty())
        r.insert(QStringLiteral("id"), id);
    return QJsonDocument(r).toJson(QJsonDocument::Compact);
}

const std::vector<float> kRows{5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f, 5.9f, 3.0f, 4.2f, 1.5f};

class AgentTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        const AgentPackages &p = AgentPackages::get();
        ASSERT_TRUE(p.error.isEmpty()) << qPrintable(p.error);
        packages = &p;
        agent = std::make_unique<AgentProcess>(path(QStringLiteral("agent")), p.trustedKeys);
    }
    void startAgent(const QStringList &extra = {})
    {
        ASSERT_TRUE(agent->start(extra)) << qPrintable(agent->error());
    }
    void deploy(const QByteArray &package, const QByteArray &query = {}, int status = 200)
    {
        auto r = agent->upload(package, query);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, status) << r->body.constData();
    }
    QString answeredBy(const QByteArray &body)
    {
        auto r = call(agent->port(), "POST", kInfer, body);
        return r && r->status == 200 ? r->json().value(QStringLiteral("model_version")).toString() : QStringLiteral("error");
    }

    const AgentPackages *packages = nullptr;
    std::unique_ptr<AgentProcess> agent;
};

TEST_F(AgentTest, PushInferAndTheAnswersAreTheEnginesOwn)
{
    startAgent();
    auto live = call(agent->port(), "GET", "/v2/health/live");
    ASSERT_TRUE(live);
    EXPECT_EQ(live->status, 200);
    EXPECT_EQ(live->json().value(QStringLiteral("live")).toBool(), true);
    EXPECT_EQ(call(agent->port(), "POST", kInfer, irisRequest(kRows))->status, 404); // nothing deployed
    deploy(packages->v1);
    auto ready = call(agent->port(), "GET", "/v2/health/ready");
    EXPECT_EQ(ready->status, 200);
    EXPECT_EQ(ready->json().value(QStringLiteral("ready")).toBool(), true);

    auto meta = call(agent->port(), "GET", "/v2/models/iris-mlp");
    ASSERT_EQ(meta->status, 200) << meta->body.constData();
    const QJsonObject input = meta->json().value(QStringLiteral("inputs")).toArray().at(0).toObject();
    EXPECT_EQ(input.value(QStringLiteral("name")).toString(), QStringLiteral("INPUT__0"));
    EXPECT_EQ(input.value(QStringLiteral("shape")).toArray(), (QJsonArray{-1, 4}));
    EXPECT_EQ(call(agent->port(), "GET", "/v2/models/iris-mlp/versions/1.0.0/ready")->status, 200);
    EXPECT_EQ(call(agent->port(), "GET", "/v2/models/iris-mlp/versions/9.0.0")->status, 404);
    EXPECT_EQ(call(agent->port(), "GET", "/v2/models/nope")->status, 404);

    auto r = call(agent->port(), "POST", kInfer, irisRequest(kRows, QStringLiteral("abc-1")));
    ASSERT_EQ(r->status, 200) << r->body.constData();
    const QJsonObject answer = r->json();
    EXPECT_EQ(answer.value(QStringLiteral("model_name")).toString(), QStringLiteral("iris-mlp"));
    EXPECT_EQ(answer.value(QStringLiteral("model_version")).toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(answer.value(QStringLiteral("id")).toString(), QStringLiteral("abc-1"));
    auto expected = packages->engine->predictRaw(kRows, 3);
    ASSERT_TRUE(expected);
    const QJsonArray outputs = answer.value(QStringLiteral("outputs")).toArray();
    ASSERT_EQ(outputs.size(), 3);
    const QJsonArray probs = outputs[1].toObject().value(QStringLiteral("data")).toArray();
    ASSERT_EQ(probs.size(), qsizetype(expected->probabilities.size()));
    for (qsizetype i = 0; i < probs.size(); ++i)
        EXPECT_NEAR(probs[i].toDouble(), expected->probabilities[size_t(i)], 1e-6) << i;
    const QJsonArray labels = outputs[2].toObject().value(QStringLiteral("data")).toArray();
    const QStringList names = packages->engine->outputLabels();
    for (qint64 row = 0; row < 3; ++row)
        EXPECT_EQ(labels[row].toString(), names.at(expected->classes[size_t(row)]));
}

TEST_F(AgentTest, CanaryPromoteRollback)
{
    startAgent();
    deploy(packages->v1);
    deploy(packages->v2, "?canary=20&by=bob%40host");
    auto model = agent->manage("GET", "/mlwb/v1/models/iris-mlp");
    ASSERT_EQ(model->status, 200);
    EXPECT_EQ(model->json().value(QStringLiteral("canary")).toObject().value(QStringLiteral("percent")).toInt(), 20);

    // 1,000 requests with ids: about 20% reach the canary (binomial sd 12.6: 5 sd either side),
    // and an id always reaches the same version.
    int canary = 0;
    RawConnection c(agent->port());
    for (int i = 0; i < 1000; ++i) {
        ASSERT_TRUE(c.send(httpRequest("POST", kInfer, irisRequest(kRows, QStringLiteral("id-%1").arg(i)))));
        auto r = c.read();
        ASSERT_TRUE(r && r->status == 200);
        canary += r->json().value(QStringLiteral("model_version")).toString() == QStringLiteral("1.1.0");
    }
    EXPECT_GT(canary, 137);
    EXPECT_LT(canary, 263);
    const QByteArray same = irisRequest(kRows, QStringLiteral("sticky"));
    const QString first = answeredBy(same);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(answeredBy(same), first);

    EXPECT_EQ(agent->manage("POST", "/mlwb/v1/models/iris-mlp/promote?by=carol")->status, 200);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(answeredBy(irisRequest(kRows, QString::number(i))), QStringLiteral("1.1.0"));
    EXPECT_EQ(agent->manage("POST", "/mlwb/v1/models/iris-mlp/rollback?by=carol")->status, 200);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(answeredBy(irisRequest(kRows, QString::number(i))), QStringLiteral("1.0.0"));
    EXPECT_EQ(agent->manage("POST", "/mlwb/v1/models/iris-mlp/rollback")->status, 409);

    auto canaryAgain = agent->manage("PUT", "/mlwb/v1/models/iris-mlp/canary", R"({"version":"1.1.0","percent":100})");
    ASSERT_EQ(canaryAgain->status, 200) << canaryAgain->body.constData();
    EXPECT_EQ(answeredBy(irisRequest(kRows, QStringLiteral("x"))), QStringLiteral("1.1.0"));

    auto history = agent->manage("GET", "/mlwb/v1/history");
    const QJsonArray events = history->json().value(QStringLiteral("events")).toArray();
    QStringList actions;
    for (const QJsonValue &e : events)
        actions << e.toObject().value(QStringLiteral("action")).toString();
    EXPECT_EQ(actions, strings({"deploy", "canary", "promote", "rollback", "canary"}));
    EXPECT_EQ(events[1].toObject().value(QStringLiteral("by")).toString(), QStringLiteral("bob@host"));
}

TEST_F(AgentTest, RefusedPackagesNeverTakeTrafficAndTheOldVersionKeepsServing)
{
    startAgent();
    deploy(packages->v1);
    struct Case {
        const char *what;
        QByteArray bytes;
        int status;
    };
    const Case cases[] = {{"unsigned", packages->unsignedPackage, 403},
                          {"a stranger's signature", packages->strangerPackage, 403},
                          {"changed after signing", packages->tamperedPackage, 400},
                          {"a failing smoke test", packages->smokeFailPackage, 422},
                          {"not a package", QByteArray("PK\x03\x04 this is not a zip"), 400}};
    for (const Case &c : cases) {
        auto r = agent->upload(c.bytes);
        ASSERT_TRUE(r) << c.what;
        EXPECT_EQ(r->status, c.status) << c.what << ": " << r->body.constData();
        EXPECT_FALSE(r->json().value(QStringLiteral("error")).toString().isEmpty()) << c.what;
        EXPECT_EQ(answeredBy(irisRequest(kRows)), QStringLiteral("1.0.0")) << c.what;
    }
    auto list = agent->manage("GET", "/mlwb/v1/models");
    const QJsonArray versions = list->json().value(QStringLiteral("models")).toArray().at(0).toObject().value(QStringLiteral("versions")).toArray();
    EXPECT_EQ(versions.size(), 1);
}

TEST_F(AgentTest, ManagementNeedsTheToken)
{
    startAgent();
    EXPECT_EQ(call(agent->port(), "GET", "/mlwb/v1/models")->status, 401);
    EXPECT_EQ(call(agent->port(), "GET", "/mlwb/v1/models", {}, {"Authorization: Bearer wrong"})->status, 401);
    EXPECT_EQ(call(agent->port(), "GET", "/mlwb/v1/models", {}, {"Authorization: Basic eDp5"})->status, 401);
    EXPECT_EQ(call(agent->port(), "POST", "/mlwb/v1/models", packages->v1, {"Authorization: Bearer agent-test-token-012345678"})->status, 401);
    EXPECT_EQ(call(agent->port(), "GET", "/v2/models/iris-mlp")->status, 404); // the upload above never happened
    EXPECT_EQ(agent->manage("GET", "/mlwb/v1/models")->status, 200);
}

TEST_F(AgentTest, InferenceCanNeedTheTokenToo)
{
    startAgent({QStringLiteral("--inference-needs-token")});
    deploy(packages->v1);
    EXPECT_EQ(call(agent->port(), "POST", kInfer, irisRequest(kRows))->status, 401);
    EXPECT_EQ(call(agent->port(), "POST", kInfer, irisRequest(kRows), {agent->bearer()})->status, 200);
    EXPECT_EQ(call(agent->port(), "GET", "/v2/health/live")->status, 401);
}

TEST_F(AgentTest, StateSurvivesKillDashNine)
{
    startAgent();
    deploy(packages->v1);
    deploy(packages->v2, "?canary=30");
    const int port = agent->port();
    ::kill(pid_t(agent->pid()), SIGKILL);
    agent->kill();
    EXPECT_FALSE(call(port, "GET", "/v2/health/live"));
    startAgent();
    auto model = agent->manage("GET", "/mlwb/v1/models/iris-mlp");
    ASSERT_EQ(model->status, 200) << model->body.constData();
    EXPECT_EQ(model->json().value(QStringLiteral("active")).toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(model->json().value(QStringLiteral("canary")).toObject().value(QStringLiteral("version")).toString(), QStringLiteral("1.1.0"));
    EXPECT_EQ(model->json().value(QStringLiteral("canary")).toObject().value(QStringLiteral("percent")).toInt(), 30);
    EXPECT_EQ(call(agent->port(), "GET", "/v2/health/ready")->status, 200);
    EXPECT_EQ(answeredBy(irisRequest(kRows, QStringLiteral("after-restart"))).isEmpty(), false);
}

// The scheduling policy (SCHED_OTHER 0, SCHED_IDLE 5, ...) of each of a process's threads.
std::vector<int> threadPolicies(qint64 pid)
{
    std::vector<int> policies;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue; // the thread ended
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' '); // from field 3, the state
        if (fields.size() > 38)
            policies.push_back(fields[38].toInt()); // field 41, policy
    }
    return policies;
}

// An upload is verified, loaded and warmed up on the agent's one SCHED_IDLE thread. Nothing that
// serves may take that policy from it (a thread takes its maker's), or every request for the
// version waits for an idle core: a batch worker made there tripled a swap's p99 (bench_agent).
// ModelRegistryTest covers the same without CAP_SYS_NICE, as an unprivileged agent runs.
TEST_F(AgentTest, OnlyTheUploadThreadRunsAtIdlePriority)
{
    startAgent({QStringLiteral("--max-batch-size"), QStringLiteral("8")});
    deploy(packages->v1);
    deploy(packages->v2);
    ASSERT_EQ(call(agent->port(), "POST", kInfer, irisRequest(kRows))->status, 200);
    const std::vector<int> policies = threadPolicies(agent->pid());
    ASSERT_GE(policies.size(), 4u) << "main, two I/O threads, the upload thread, the batch workers";
    EXPECT_EQ(std::count(policies.begin(), policies.end(), SCHED_IDLE), 1) << "the upload thread alone";
    EXPECT_EQ(std::count(policies.begin(), policies.end(), SCHED_OTHER), qsizetype(policies.size()) - 1);
}

TEST_F(AgentTest, AVersionSwapUnderLoadLosesNoRequest)
{
    startAgent({QStringLiteral("--max-queue-delay-us"), QStringLiteral("200")});
    deploy(packages->v1);
    constexpr int kClients = 20, kEach = 1000;
    std::atomic<int> ok{0}, failed{0}, v1{0}, v2{0}, other{0}, sent{0};
    std::atomic<bool> v2AfterSwap{true};
    std::atomic<bool> swapped{false};
    std::vector<std::thread> clients;
    const QByteArray body = irisRequest(kRows);
    for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&] {
            RawConnection conn(agent->port());
            for (int i = 0; i < kEach; ++i) {
                const bool afterSwap = swapped.load();
                ++sent;
                if (!conn.send(httpRequest("POST", kInfer, body))) {
                    ++failed;
                    return;
                }
                auto r = conn.read(30000);
                if (!r || r->status != 200) {
                    ++failed;
                    continue;
                }
                ++ok;
                const QString v = r->json().value(QStringLiteral("model_version")).toString();
                if (v == QStringLiteral("1.0.0")) {
                    ++v1;
                    if (afterSwap)
                        v2AfterSwap = false; // sent after the switch was answered, yet the old version answered
                } else if (v == QStringLiteral("1.1.0")) {
                    ++v2;
                } else {
                    ++other;
                }
            }
        });
    while (sent.load() < kClients * kEach / 4)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto r = agent->upload(packages->v2);
    swapped = true;
    for (auto &t : clients)
        t.join();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body.constData();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(ok.load(), kClients * kEach);
    EXPECT_EQ(other.load(), 0);
    EXPECT_GT(v1.load(), 0);
    EXPECT_GT(v2.load(), 0);
    EXPECT_TRUE(v2AfterSwap.load());
}

TEST_F(AgentTest, TritonclientAndKServeRequestsInTheirExactForms)
{
    startAgent();
    deploy(packages->v1);
    auto expected = packages->engine->predictRaw(kRows, 3);
    ASSERT_TRUE(expected);

    // tritonclient.http InferenceServerClient.infer() with InferInput.set_data_from_numpy()
    // (binary_data=True, its default) and InferRequestedOutput("probabilities", binary_data=True).
    const QByteArray header = R"({"inputs":[{"name":"INPUT__0","shape":[3,4],"datatype":"FP32","parameters":{"binary_data_size":48}}],)"
                              R"("outputs":[{"name":"probabilities","parameters":{"binary_data":true}}]})";
    QByteArray body = header;
    body.append(reinterpret_cast<const char *>(kRows.data()), qsizetype(kRows.size() * sizeof(float)));
    auto r = call(agent->port(), "POST", kInfer, body,
                  {"Inference-Header-Content-Length: " + QByteArray::number(header.size()), "Content-Type: application/octet-stream",
                   "Accept-Encoding: gzip, deflate", "User-Agent: Python-urllib3"});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body.constData();
    const qint64 jsonLength = QByteArray::fromStdString(r->header("inference-header-content-length")).toLongLong();
    ASSERT_GT(jsonLength, 0);
    const QJsonObject json = QJsonDocument::fromJson(r->body.left(jsonLength)).object();
    EXPECT_EQ(json.value(QStringLiteral("model_version")).toString(), QStringLiteral("1.0.0"));
    ASSERT_EQ(r->body.size() - jsonLength, qint64(expected->probabilities.size() * sizeof(float)));
    std::vector<float> probs(expected->probabilities.size());
    std::memcpy(probs.data(), r->body.constData() + jsonLength, probs.size() * sizeof(float));
    for (size_t i = 0; i < probs.size(); ++i)
        EXPECT_NEAR(probs[i], expected->probabilities[i], 1e-6f);

    // tritonclient with binary_data=False: JSON in, JSON out, asking for one output.
    auto j = call(agent->port(), "POST", kInfer,
                  R"({"inputs":[{"name":"INPUT__0","shape":[3,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3,5.9,3.0,4.2,1.5]}],)"
                  R"("outputs":[{"name":"label","parameters":{"binary_data":false}}]})",
                  {"Content-Type: application/json"});
    ASSERT_EQ(j->status, 200) << j->body.constData();
    const QJsonArray outputs = j->json().value(QStringLiteral("outputs")).toArray();
    ASSERT_EQ(outputs.size(), 1);
    EXPECT_EQ(outputs[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("label"));

    // KServe's InferenceRESTClient: a uuid id and model_name in the body, nested data, no
    // Content-Type at all.
    const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray kserve = QStringLiteral(R"({"id": "%1", "model_name": "iris-mlp", "inputs": [{"name": "INPUT__0", "shape": [3, 4], )"
                                             R"("datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]}]})")
                                  .arg(uuid)
                                  .toUtf8();
    auto k = call(agent->port(), "POST", kInfer, kserve);
    ASSERT_EQ(k->status, 200) << k->body.constData();
    EXPECT_EQ(k->json().value(QStringLiteral("id")).toString(), uuid);
    const QJsonArray kOut = k->json().value(QStringLiteral("outputs")).toArray();
    const QJsonArray kProbs = kOut[1].toObject().value(QStringLiteral("data")).toArray();
    for (qsizetype i = 0; i < kProbs.size(); ++i)
        EXPECT_NEAR(kProbs[i].toDouble(), expected->probabilities[size_t(i)], 1e-6);
}

TEST_F(AgentTest, MalformedRequestsGet4xxAndTheAgentKeepsServing)
{
    // Small limits so the corpus reaches them quickly.
    QFile config(path(QStringLiteral("agent.json")));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write(R"({"limits": {"max_body_bytes": 4194304, "read_timeout_ms": 700, "keep_alive_ms": 700}})");
    config.close();
    startAgent({QStringLiteral("--config"), config.fileName()});
    deploy(packages->v1);
    const QByteArray ok = irisRequest(kRows);
    auto json = [](const char *text) { return QByteArray(text); };
    auto rawInfer = [&](const QByteArray &body, const QList<QByteArray> &headers = {}) { return httpRequest("POST", kInfer, body, headers); };
    const QByteArray binaryHeader = R"({"inputs":[{"name":"INPUT__0","shape":[3,4],"datatype":"FP32","parameters":{"binary_data_size":48}}]})";
    const QList<std::pair<const char *, QByteArray>> corpus = {
        {"not JSON", rawInfer("{\"inputs\": [")},
        {"JSON array", rawInfer("[1,2,3]")},
        {"empty body", rawInfer("")},
        {"no inputs", rawInfer("{}")},
        {"inputs not an array", rawInfer(R"({"inputs": 3})")},
        {"two inputs", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"wrong input name", rawInfer(R"({"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"INT64 datatype", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"INT64","data":[1,2,3,4]}]})")},
        {"BYTES datatype", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"BYTES","data":["a","b","c","d"]}]})")},
        {"no datatype", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"data":[1,2,3,4]}]})")},
        {"wrong width", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]}]})")},
        {"rank 3", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,1,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"negative shape", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"fractional shape", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1.5,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"huge shape", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1000000000000,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"too few values", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"too many values", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4,5,6]}]})")},
        {"a string value", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,"two",3,4]}]})")},
        {"an object value", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,{},3,4]}]})")},
        {"infinity", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,"Infinity",3,4]}]})")},
        {"deep nesting", rawInfer(QByteArray(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":)") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}]}")},
        {"unknown output", rawInfer(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"logits"}]})")},
        {"id not a string", rawInfer(R"({"id":5,"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})")},
        {"truncated binary body", rawInfer(binaryHeader + QByteArray(20, '\0'), {"Inference-Header-Content-Length: " + QByteArray::number(binaryHeader.size())})},
        {"binary header longer than the body", rawInfer(binaryHeader, {"Inference-Header-Content-Length: 99999"})},
        {"binary header length not a number", rawInfer(binaryHeader, {"Inference-Header-Content-Length: lots"})},
        {"binary size without the header", rawInfer(binaryHeader + QByteArray(48, '\0'))},
        {"unknown model", httpRequest("POST", "/v2/models/nope/infer", ok)},
        {"unknown version", httpRequest("POST", "/v2/models/iris-mlp/versions/7.0.0/infer", ok)},
        {"GET on infer", httpRequest("GET", kInfer)},
        {"unknown path", httpRequest("GET", "/v3/anything")},
        {"path traversal", httpRequest("GET", "/v2/models/../../etc/passwd")},
        {"not HTTP", QByteArray("HELLO THERE\r\n\r\n")},
        {"bad header line", QByteArray("POST /v2 HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n")},
        {"huge headers", QByteArray("GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: ") + QByteArray(64 * 1024, 'a') + "\r\n\r\n"},
        {"body over the limit", QByteArray("POST /v2/models/iris-mlp/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n") + QByteArray(1024, ' ')},
        {"bad content length", QByteArray("POST /v2/models/iris-mlp/infer HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")},
        {"upload without token", httpRequest("POST", "/mlwb/v1/models", packages->v1)},
        {"bad canary share", httpRequest("POST", "/mlwb/v1/models?canary=150", packages->v1, {agent->bearer()})},
        {"canary of an unknown version", httpRequest("PUT", "/mlwb/v1/models/iris-mlp/canary", R"({"version":"9.9.9","percent":10})", {agent->bearer()})},
        {"canary body not JSON", httpRequest("PUT", "/mlwb/v1/models/iris-mlp/canary", "percent=10", {agent->bearer()})},
    };
    ASSERT_GE(corpus.size(), 30);
    for (const auto &[what, bytes] : corpus) {
        RawConnection c(agent->port());
        ASSERT_TRUE(c.connected()) << what;
        c.send(bytes);
        auto r = c.read(10000);
        ASSERT_TRUE(r) << what << ": no answer";
        EXPECT_GE(r->status, 400) << what << ": " << r->body.constData();
        EXPECT_LT(r->status, 500) << what << ": " << r->body.constData();
        if (r->header("content-type") == "application/json")
            EXPECT_TRUE(r->json().contains(QStringLiteral("error"))) << what << ": " << r->body.constData();
        EXPECT_EQ(answeredBy(ok), QStringLiteral("1.0.0")) << "after " << what;
    }

    // Slow loris: headers that trickle in are cut off with 408; the agent serves meanwhile.
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < 50; ++i) {
        slow.push_back(std::make_unique<RawConnection>(agent->port()));
        slow.back()->send("POST /v2/models/iris-mlp/infer HTTP/1.1\r\nHost: x\r\n");
    }
    for (int tick = 0; tick < 4; ++tick) {
        for (auto &s : slow)
            s->send("X-Slow: 1\r\n");
        EXPECT_EQ(answeredBy(ok), QStringLiteral("1.0.0")) << "while slow clients trickle";
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    for (auto &s : slow) {
        auto r = s->read(5000);
        ASSERT_TRUE(r) << "a slow client was never cut off";
        EXPECT_EQ(r->status, 408);
    }
    // An idle connection that never sends a byte is closed.
    RawConnection idle(agent->port());
    EXPECT_TRUE(idle.closedWithin(5000));
    EXPECT_EQ(call(agent->port(), "GET", "/v2/health/live")->status, 200);
    EXPECT_TRUE(agent->running());
}

TEST_F(AgentTest, ConnectionsOverTheLimitGet503)
{
    QFile config(path(QStringLiteral("agent.json")));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write(R"({"limits": {"max_connections": 4}})");
    config.close();
    startAgent({QStringLiteral("--config"), config.fileName()});
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<RawConnection>(agent->port()));
        ASSERT_TRUE(held.back()->send(httpRequest("GET", "/v2/health/live")));
        auto r = held.back()->read();
        ASSERT_TRUE(r && r->status == 200) << i; // open, kept alive
    }
    auto refused = call(agent->port(), "GET", "/v2/health/live");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
    EXPECT_TRUE(refused->json().value(QStringLiteral("error")).toString().contains(QStringLiteral("connections")));
    held.pop_back(); // one closes: room for another
    std::optional<HttpReply> again;
    for (int attempt = 0; attempt < 50 && !(again && again->status == 200); ++attempt) {
        again = call(agent->port(), "GET", "/v2/health/live");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
}

TEST_F(AgentTest, MetricsAreValidPrometheusText)
{
    startAgent();
    deploy(packages->v1);
    for (int i = 0; i < 30; ++i)
        answeredBy(irisRequest(kRows));
    call(agent->port(), "POST", kInfer, "{bad");
    call(agent->port(), "POST", "/v2/models/nope/infer", irisRequest(kRows));
    auto m = call(agent->port(), "GET", "/metrics");
    ASSERT_EQ(m->status, 200);
    EXPECT_EQ(m->header("content-type").rfind("text/plain", 0), 0u);
    auto parsed = PrometheusText::parse(m->body, QStringLiteral("/metrics"));
    ASSERT_TRUE(parsed) << qPrintable(parsed.error());
    EXPECT_TRUE(parsed->histogramProblems().isEmpty()) << qPrintable(parsed->histogramProblems().join(QLatin1Char('\n')));
    EXPECT_TRUE(m->body.contains("mlwb_agent_requests_total{model=\"iris-mlp\",version=\"1.0.0\",status=\"200\"} 30")) << m->body.constData();
    EXPECT_TRUE(m->body.contains("status=\"400\"")) << m->body.constData();
    EXPECT_TRUE(m->body.contains("mlwb_agent_model_load_seconds{model=\"iris-mlp\",version=\"1.0.0\"}"));
    EXPECT_TRUE(m->body.contains("mlwb_agent_queue_depth{model=\"iris-mlp\"} 0"));

    QProcess promtool;
    promtool.start(QStringLiteral("/usr/bin/promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
    ASSERT_TRUE(promtool.waitForStarted()) << "promtool (Debian's prometheus package) is required";
    promtool.write(m->body);
    promtool.closeWriteChannel();
    ASSERT_TRUE(promtool.waitForFinished(30000));
    EXPECT_EQ(promtool.exitCode(), 0) << promtool.readAllStandardOutput().constData() << promtool.readAllStandardError().constData();
}

// The monitoring families (docs/monitoring.md) are recorded once an answer is written, so a
// scrape right after the last answer may be a moment early: wait for the rows to show.
std::optional<PrometheusText> scrapeWhen(int port, const std::function<bool(const PrometheusText &)> &done)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::optional<PrometheusText> last;
    while (std::chrono::steady_clock::now() < deadline) {
        auto m = call(port, "GET", "/metrics");
        if (m && m->status == 200)
            if (auto parsed = PrometheusText::parse(m->body, QStringLiteral("/metrics")))
                last = std::move(*parsed);
        if (last && done(*last))
            return last;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return last;
}

TEST_F(AgentTest, MonitoringCountsEveryAnsweredRowOnTheBaselinesBins)
{
    const QString payloads = path(QStringLiteral("payloads"));
    startAgent({QStringLiteral("--payload-log"), payloads});
    deploy(packages->v1);
    auto keys = KeyStore::readKeyDirectory(packages->trustedKeys);
    ASSERT_TRUE(keys) << qPrintable(keys.error());
    auto package = SealedPackage::open(packages->v1, QStringLiteral("v1"), *keys, true);
    ASSERT_TRUE(package) << qPrintable(package.error());
    const std::vector<PackageManifest::Feature> &features = package->manifest().input.features;
    ASSERT_EQ(features.size(), 4u);
    std::vector<std::vector<double>> edges;
    for (const QJsonValue &f : package->baseline().value(QStringLiteral("features")).toArray()) {
        std::vector<double> e;
        for (const QJsonValue &v : f.toObject().value(QStringLiteral("edges")).toArray())
            e.push_back(v.toDouble());
        ASSERT_GE(e.size(), 2u);
        edges.push_back(e);
    }
    ASSERT_EQ(edges.size(), 4u);
    const PrometheusText::Labels mv{{QStringLiteral("model"), QStringLiteral("iris-mlp")}, {QStringLiteral("version"), QStringLiteral("1.0.0")}};
    auto mvf = [&](const QString &feature) { return PrometheusText::Labels(mv) << std::pair{QStringLiteral("feature"), feature}; };
    auto bucketCounts = [&](const PrometheusText &t, const QString &feature) {
        std::vector<std::pair<QString, double>> out;
        for (const PrometheusText::Sample &sample : t.family(QStringLiteral("mlwb_agent_input_value"))->samples)
            if (sample.name.endsWith(QLatin1String("_bucket")) && sample.label(QStringLiteral("model")) == QStringLiteral("iris-mlp") &&
                sample.label(QStringLiteral("feature")) == feature)
                out.emplace_back(sample.label(QStringLiteral("le")).value_or(QString()), sample.value);
        return out;
    };

    // Before any request every feature and bin shows, at zero.
    auto before = scrapeWhen(agent->port(), [](const PrometheusText &) { return true; });
    ASSERT_TRUE(before);
    for (size_t k = 0; k < 4; ++k) {
        const auto b = bucketCounts(*before, features[k].name);
        ASSERT_EQ(b.size(), edges[k].size() + 1) << qPrintable(features[k].name);
        for (const auto &[le, count] : b)
            EXPECT_EQ(count, 0.0) << qPrintable(le);
    }

    // Rows with every edge exactly (as the FP32 a client sends), values between, under and
    // above the training range, and missing ones.
    std::vector<std::vector<float>> rows;
    for (size_t i = 0; i < 40; ++i) {
        std::vector<float> row;
        for (size_t k = 0; k < 4; ++k) {
            const std::vector<double> &e = edges[k];
            const size_t j = (i + k) % (e.size() + 3);
            float v;
            if (j < e.size())
                v = float(e[j]);
            else if (j == e.size())
                v = float(e.front() - 1.0);
            else if (j == e.size() + 1)
                v = float(e.back() + 1.0);
            else
                v = (i % 4 == 0) ? NAN : float((e.front() + e.back()) / 2);
            row.push_back(v);
        }
        rows.push_back(row);
    }
    std::vector<QString> sentIds;
    std::vector<QStringList> answeredLabels;
    QStringList labelsInOrder;
    size_t at = 0;
    for (int request = 0; at < rows.size(); ++request) {
        const size_t n = std::min<size_t>(rows.size() - at, size_t(request % 5 + 1));
        std::vector<float> flat;
        for (size_t r = at; r < at + n; ++r)
            flat.insert(flat.end(), rows[r].begin(), rows[r].end());
        const QString id = QStringLiteral("mon-%1").arg(request);
        auto reply = call(agent->port(), "POST", kInfer, irisRequest(flat, id));
        ASSERT_TRUE(reply && reply->status == 200) << (reply ? reply->body.constData() : "no answer");
        QStringList labels;
        for (const QJsonValue &l : reply->json().value(QStringLiteral("outputs")).toArray().at(2).toObject().value(QStringLiteral("data")).toArray())
            labels << l.toString();
        ASSERT_EQ(labels.size(), qsizetype(n));
        sentIds.push_back(id);
        answeredLabels.push_back(labels);
        labelsInOrder << labels;
        at += n;
    }

    const double total = double(rows.size());
    auto after = scrapeWhen(agent->port(), [&](const PrometheusText &t) {
        const PrometheusText::Sample *r = t.sample(QStringLiteral("mlwb_agent_rows_total"), mv);
        return r && r->value == total;
    });
    ASSERT_TRUE(after);
    ASSERT_TRUE(after->sample(QStringLiteral("mlwb_agent_rows_total"), mv));
    EXPECT_EQ(after->sample(QStringLiteral("mlwb_agent_rows_total"), mv)->value, total);
    for (size_t k = 0; k < 4; ++k) {
        // Expected from the rows and the edges as docs/monitoring.md cuts them: rounded to FP32,
        // as the rows are sent (iris' 5.1 arrives as 5.1f, under the double 5.1, and counts in
        // the bin 5.1 opens); no two of iris' edges share a float.
        std::vector<double> e;
        for (double x : edges[k])
            e.push_back(double(float(x)));
        for (size_t i = 1; i < e.size(); ++i)
            ASSERT_LT(e[i - 1], e[i]) << qPrintable(features[k].name);
        std::vector<double> expected(e.size() + 1, 0.0); // under, bin 0..n-1, above
        double missing = 0;
        for (const auto &row : rows) {
            const double v = row[k];
            if (std::isnan(v))
                ++missing;
            else if (v < e.front())
                ++expected[0];
            else if (v > e.back())
                ++expected[e.size()];
            else
                ++expected[std::min<size_t>(size_t(std::upper_bound(e.begin(), e.end(), v) - e.begin()), e.size() - 1)];
        }
        const auto b = bucketCounts(*after, features[k].name);
        ASSERT_EQ(b.size(), e.size() + 1);
        double previous = 0;
        for (size_t i = 0; i < b.size(); ++i) {
            EXPECT_EQ(b[i].second - previous, expected[i]) << qPrintable(features[k].name) << " bucket " << i << " le=" << qPrintable(b[i].first);
            previous = b[i].second;
            if (i + 1 < e.size())
                EXPECT_EQ(b[i].first.toDouble(), std::nextafter(e[i], -INFINITY)) << qPrintable(b[i].first);
        }
        EXPECT_EQ(b[e.size() - 1].first.toDouble(), e.back());
        EXPECT_EQ(b.back().first, QStringLiteral("+Inf"));
        const PrometheusText::Sample *m = after->sample(QStringLiteral("mlwb_agent_input_missing_total"), mvf(features[k].name));
        ASSERT_TRUE(m);
        EXPECT_EQ(m->value, missing) << qPrintable(features[k].name);
    }
    const QStringList classes = packages->engine->outputLabels();
    for (const QString &c : classes) {
        const PrometheusText::Sample *p = after->sample(QStringLiteral("mlwb_agent_prediction_total"),
                                                        PrometheusText::Labels(mv) << std::pair{QStringLiteral("class"), c});
        ASSERT_TRUE(p) << qPrintable(c);
        EXPECT_EQ(p->value, double(labelsInOrder.count(c))) << qPrintable(c);
    }
    EXPECT_TRUE(after->histogramProblems().isEmpty()) << qPrintable(after->histogramProblems().join(QLatin1Char('\n')));

    auto text = call(agent->port(), "GET", "/metrics");
    QProcess promtool;
    promtool.start(QStringLiteral("/usr/bin/promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
    ASSERT_TRUE(promtool.waitForStarted()) << "promtool (Debian's prometheus package) is required";
    promtool.write(text->body);
    promtool.closeWriteChannel();
    ASSERT_TRUE(promtool.waitForFinished(30000));
    EXPECT_EQ(promtool.exitCode(), 0) << promtool.readAllStandardOutput().constData() << promtool.readAllStandardError().constData();

    // The ring: the last requests, newest last, with their rows and answers.
    EXPECT_EQ(call(agent->port(), "GET", "/mlwb/v1/models/iris-mlp/recent")->status, 401);
    auto recent = agent->manage("GET", "/mlwb/v1/models/iris-mlp/recent?limit=3");
    ASSERT_EQ(recent->status, 200) << recent->body.constData();
    EXPECT_EQ(recent->json().value(QStringLiteral("model")).toString(), QStringLiteral("iris-mlp"));
    const QJsonArray last = recent->json().value(QStringLiteral("requests")).toArray();
    ASSERT_EQ(last.size(), 3);
    size_t firstRow = rows.size();
    for (size_t q = answeredLabels.size() - 3; q < answeredLabels.size(); ++q)
        firstRow -= size_t(answeredLabels[q].size());
    for (qsizetype i = 0; i < 3; ++i) {
        const size_t q = answeredLabels.size() - 3 + size_t(i);
        const QJsonObject e = last[i].toObject();
        EXPECT_EQ(e.value(QStringLiteral("id")).toString(), sentIds[q]);
        EXPECT_EQ(e.value(QStringLiteral("version")).toString(), QStringLiteral("1.0.0"));
        EXPECT_EQ(e.value(QStringLiteral("status")).toInt(), 200);
        EXPECT_GT(e.value(QStringLiteral("latency_ms")).toDouble(), 0.0);
        EXPECT_TRUE(QDateTime::fromString(e.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).isValid());
        EXPECT_EQ(e.value(QStringLiteral("rows")).toInt(), answeredLabels[q].size());
        const QJsonArray inputs = e.value(QStringLiteral("inputs")).toArray();
        ASSERT_EQ(inputs.size(), answeredLabels[q].size());
        for (qsizetype r = 0; r < inputs.size(); ++r)
            for (qsizetype k = 0; k < 4; ++k) {
                const float sent = rows[firstRow + size_t(r)][size_t(k)];
                const QJsonValue got = inputs[r].toArray().at(k);
                if (std::isnan(sent))
                    EXPECT_TRUE(got.isNull());
                else
                    EXPECT_EQ(float(got.toDouble()), sent);
            }
        QStringList predictions;
        for (const QJsonValue &p : e.value(QStringLiteral("predictions")).toArray())
            predictions << p.toString();
        EXPECT_EQ(predictions, answeredLabels[q]);
        firstRow += size_t(inputs.size());
    }
    EXPECT_EQ(agent->manage("GET", "/mlwb/v1/models/nope/recent")->status, 404);
    for (const char *bad : {"0", "-1", "abc", "1001"})
        EXPECT_EQ(agent->manage("GET", QByteArray("/mlwb/v1/models/iris-mlp/recent?limit=") + bad)->status, 400) << bad;
    EXPECT_EQ(agent->manage("GET", "/mlwb/v1/models/iris-mlp/recent")->json().value(QStringLiteral("requests")).toArray().size(),
              qsizetype(sentIds.size())); // under the default limit of 100: all of them

    // The payload log: every row sent, in order, with its request's id and answer.
    QFile csv(payloads + QStringLiteral("/iris-mlp/payloads.csv"));
    ASSERT_TRUE(csv.open(QIODevice::ReadOnly)) << qPrintable(csv.fileName());
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QByteArray header = "time,request_id,version";
    for (const auto &f : features)
        header += ',' + f.name.toUtf8();
    EXPECT_EQ(lines.value(0), header + ",prediction");
    ASSERT_EQ(lines.size(), qsizetype(rows.size()) + 2) << "the header, a line per row, and the last newline";
    size_t row = 0;
    for (size_t q = 0; q < answeredLabels.size(); ++q)
        for (const QString &label : answeredLabels[q]) {
            const QList<QByteArray> cells = lines[qsizetype(row) + 1].split(',');
            ASSERT_EQ(cells.size(), 8) << lines[qsizetype(row) + 1].constData();
            EXPECT_EQ(cells[1], sentIds[q].toUtf8());
            EXPECT_EQ(cells[2], "1.0.0");
            for (size_t k = 0; k < 4; ++k) {
                const float sent = rows[row][k];
                if (std::isnan(sent))
                    EXPECT_TRUE(cells[3 + qsizetype(k)].isEmpty());
                else
                    EXPECT_EQ(cells[3 + qsizetype(k)].toFloat(), sent) << cells[3 + qsizetype(k)].constData();
            }
            EXPECT_EQ(cells[7], label.toUtf8());
            ++row;
        }
}

TEST_F(AgentTest, SigtermFinishesTheRequestInFlight)
{
    // A long batching window holds the request in the agent while SIGTERM arrives.
    startAgent({QStringLiteral("--max-queue-delay-us"), QStringLiteral("1500000"), QStringLiteral("--max-batch-size"), QStringLiteral("64")});
    deploy(packages->v1);
    RawConnection c(agent->port());
    ASSERT_TRUE(c.send(httpRequest("POST", kInfer, irisRequest(kRows))));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_TRUE(agent->running()) << agent->stderrText().constData();
    std::thread stopper([&] { ::kill(pid_t(agent->pid()), SIGTERM); });
    auto r = c.read(20000);
    stopper.join();
    ASSERT_TRUE(r) << "the request in flight was dropped; the agent said: " << agent->stderrText().constData();
    EXPECT_EQ(r->status, 200) << r->body.constData();
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(agent->terminate(), 0);
}

TEST_F(AgentTest, Https)
{
    const QString cert = path(QStringLiteral("cert.pem")), key = path(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), strings({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                                                      "-addext", "subjectAltName=IP:127.0.0.1"}) +
                                                 QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
    ASSERT_TRUE(openssl.waitForFinished(60000));
    ASSERT_EQ(openssl.exitCode(), 0) << openssl.readAllStandardError().constData();
    startAgent({QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key});
    // Python's ssl with the test certificate as the only CA: verification is on.
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import http.client, ssl, sys\n"
                                 "ctx = ssl.create_default_context(cafile=sys.argv[1])\n"
                                 "c = http.client.HTTPSConnection('127.0.0.1', int(sys.argv[2]), context=ctx)\n"
                                 "c.request('GET', '/v2/health/live')\n"
                                 "r = c.getresponse()\n"
                                 "print(r.status, r.read().decode())\n"),
                  cert, QString::number(agent->port())});
    ASSERT_TRUE(python.waitForFinished(30000));
    EXPECT_EQ(python.readAllStandardOutput().trimmed(), QByteArray("200 {\"live\":true}")) << python.readAllStandardError().constData();
    // Plain HTTP to the HTTPS port gets no answer.
    auto plain = call(agent->port(), "GET", "/v2/health/live", {}, {}, 3000);
    EXPECT_FALSE(plain && plain->status == 200);
}

} // namespace
} // namespace mlwb::test
