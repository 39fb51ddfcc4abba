// SPDX-License-Identifier: MIT
// The tracking endpoint's API in-process (TrackingService::handle): MLflow's semantics (metrics
// append-only, params write-once, tags last-write-wins), its limits and error codes (a client's
// mistake is never a 5xx), what lands in the project file, search with filters, order and pages,
// artifacts, the workbench's own runs read-only, the token.
#include "tracking/tracking_service.h"

#include "eval/run_comparison.h"
#include "store/database.h"
#include "store/experiment_repository.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/run_repository.h"
#include "store/statement.h"

#include "temp_project_test.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <cmath>

namespace mlwb::test {
namespace {

struct Reply {
    int status = 0;
    QJsonObject json;
    std::string body;
};

class TrackingServiceTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        open({});
    }
    void open(TrackingService::Options options)
    {
        m_service.reset();
        auto s = TrackingService::open(m_path, options);
        ASSERT_OK(s);
        m_service = std::move(*s);
    }

    Reply call(const std::string &method, const std::string &path, const QByteArray &body = {},
               std::map<std::string, std::string> query = {}, std::map<std::string, std::string> headers = {})
    {
        HttpRequest r;
        r.method = method;
        r.path = path;
        r.body = body.toStdString();
        r.query = std::move(query);
        r.headers = std::move(headers);
        HttpResponse a = m_service->handle(r);
        Reply out{a.status, QJsonDocument::fromJson(QByteArray::fromStdString(a.body)).object(), a.body};
        EXPECT_LT(a.status, 500) << method << " " << path << " answered " << a.status << ": " << a.body;
        return out;
    }
    Reply post(const char *endpoint, const QJsonObject &body)
    {
        return call("POST", std::string("/api/2.0/mlflow/") + endpoint, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    Reply get(const char *endpoint, std::map<std::string, std::string> query)
    {
        return call("GET", std::string("/api/2.0/mlflow/") + endpoint, {}, std::move(query));
    }
    static qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }

    QString experiment(const char *name)
    {
        const Reply r = post("experiments/create", {{QStringLiteral("name"), QString::fromUtf8(name)}});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json.value(QLatin1String("experiment_id")).toString();
    }
    QString startRun(const QString &experimentId, const char *name = "baseline")
    {
        const Reply r = post("runs/create",
                             {{QStringLiteral("experiment_id"), experimentId},
                              {QStringLiteral("user_id"), QStringLiteral("alice")},
                              {QStringLiteral("start_time"), now()},
                              {QStringLiteral("run_name"), QString::fromUtf8(name)},
                              {QStringLiteral("tags"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("mlflow.user")},
                                                                              {QStringLiteral("value"), QStringLiteral("alice")}}}}});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json.value(QLatin1String("run")).toObject().value(QLatin1String("info")).toObject().value(QLatin1String("run_id")).toString();
    }
    static QJsonObject metric(const char *key, const QJsonValue &value, qint64 step, qint64 ts = 1'700'000'000'000)
    {
        return {{QStringLiteral("key"), QString::fromUtf8(key)}, {QStringLiteral("value"), value}, {QStringLiteral("timestamp"), ts},
                {QStringLiteral("step"), step}};
    }
    static void expectError(const Reply &r, int status, const char *code, const char *says = nullptr)
    {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.json.value(QLatin1String("error_code")).toString(), QString::fromLatin1(code)) << r.body;
        if (says)
            EXPECT_TRUE(r.json.value(QLatin1String("message")).toString().contains(QString::fromUtf8(says))) << r.body;
    }

    std::unique_ptr<TrackingService> m_service;
};

TEST_F(TrackingServiceTest, ExperimentsAreCreatedFoundRenamedDeletedAndRestored)
{
    // MLflow's Default experiment is there from the start, as "0".
    Reply d = get("experiments/get", {{"experiment_id", "0"}});
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.json.value(QLatin1String("experiment")).toObject().value(QLatin1String("name")).toString(), QStringLiteral("Default"));

    expectError(get("experiments/get-by-name", {{"experiment_name", "iris-script"}}), 404, "RESOURCE_DOES_NOT_EXIST", "iris-script");
    const QString id = experiment("iris-script");
    ASSERT_FALSE(id.isEmpty());
    expectError(post("experiments/create", {{QStringLiteral("name"), QStringLiteral("iris-script")}}), 409, "RESOURCE_ALREADY_EXISTS",
                "already exists");
    expectError(post("experiments/create", {{QStringLiteral("name"), QString()}}), 400, "INVALID_PARAMETER_VALUE", "'name'");

    Reply byName = get("experiments/get-by-name", {{"experiment_name", "iris-script"}});
    ASSERT_EQ(byName.status, 200) << byName.body;
    const QJsonObject e = byName.json.value(QLatin1String("experiment")).toObject();
    EXPECT_EQ(e.value(QLatin1String("experiment_id")).toString(), id);
    EXPECT_EQ(e.value(QLatin1String("lifecycle_stage")).toString(), QStringLiteral("active"));
    EXPECT_EQ(e.value(QLatin1String("artifact_location")).toString(), QStringLiteral("mlflow-artifacts:/") + id);
    EXPECT_GT(e.value(QLatin1String("creation_time")).toDouble(), 1.7e12);

    ASSERT_EQ(post("experiments/set-experiment-tag", {{QStringLiteral("experiment_id"), id}, {QStringLiteral("key"), QStringLiteral("team")},
                                                       {QStringLiteral("value"), QStringLiteral("vision")}})
                  .status,
              200);
    ASSERT_EQ(post("experiments/update", {{QStringLiteral("experiment_id"), id}, {QStringLiteral("new_name"), QStringLiteral("iris")}}).status, 200);
    Reply search = post("experiments/search", {{QStringLiteral("filter"), QStringLiteral("tags.team = 'vision'")}});
    ASSERT_EQ(search.status, 200) << search.body;
    const QJsonArray found = search.json.value(QLatin1String("experiments")).toArray();
    ASSERT_EQ(found.size(), 1) << search.body;
    EXPECT_EQ(found.at(0).toObject().value(QLatin1String("name")).toString(), QStringLiteral("iris"));

    expectError(post("experiments/delete", {{QStringLiteral("experiment_id"), QStringLiteral("0")}}), 400, "INVALID_PARAMETER_VALUE",
                "default experiment");
    ASSERT_EQ(post("experiments/delete", {{QStringLiteral("experiment_id"), id}}).status, 200);
    expectError(post("runs/create", {{QStringLiteral("experiment_id"), id}}), 400, "INVALID_PARAMETER_VALUE", "'active' state");
    Reply active = post("experiments/search", {});
    for (const QJsonValue &x : active.json.value(QLatin1String("experiments")).toArray())
        EXPECT_NE(x.toObject().value(QLatin1String("experiment_id")).toString(), id) << "a deleted experiment is not listed";
    Reply deleted = post("experiments/search", {{QStringLiteral("view_type"), QStringLiteral("DELETED_ONLY")}});
    ASSERT_EQ(deleted.json.value(QLatin1String("experiments")).toArray().size(), 1) << deleted.body;
    ASSERT_EQ(post("experiments/restore", {{QStringLiteral("experiment_id"), id}}).status, 200);
    expectError(get("experiments/get", {{"experiment_id", "999"}}), 404, "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(TrackingServiceTest, ARunsParamsAreWriteOnceTagsLastWriteWinsAndItEndsAsTheScriptSays)
{
    const QString exp = experiment("e");
    const QString run = startRun(exp);
    ASSERT_FALSE(run.isEmpty());
    auto withRun = [&](QJsonObject o) {
        o.insert(QStringLiteral("run_id"), run);
        o.insert(QStringLiteral("run_uuid"), run); // as MLflow's client sends both
        return o;
    };
    ASSERT_EQ(post("runs/log-parameter", withRun({{QStringLiteral("key"), QStringLiteral("lr")}, {QStringLiteral("value"), QStringLiteral("0.01")}})).status, 200);
    EXPECT_EQ(post("runs/log-parameter", withRun({{QStringLiteral("key"), QStringLiteral("lr")}, {QStringLiteral("value"), QStringLiteral("0.01")}})).status, 200)
        << "the same value again is fine";
    expectError(post("runs/log-parameter", withRun({{QStringLiteral("key"), QStringLiteral("lr")}, {QStringLiteral("value"), QStringLiteral("0.02")}})), 400,
                "INVALID_PARAMETER_VALUE", "Changing param values is not allowed");
    for (const char *v : {"vision", "platform"})
        ASSERT_EQ(post("runs/set-tag", withRun({{QStringLiteral("key"), QStringLiteral("team")}, {QStringLiteral("value"), QString::fromLatin1(v)}})).status, 200);
    ASSERT_EQ(post("runs/set-tag", withRun({{QStringLiteral("key"), QStringLiteral("tmp")}, {QStringLiteral("value"), QStringLiteral("x")}})).status, 200);
    ASSERT_EQ(post("runs/delete-tag", withRun({{QStringLiteral("key"), QStringLiteral("tmp")}})).status, 200);
    expectError(post("runs/delete-tag", withRun({{QStringLiteral("key"), QStringLiteral("tmp")}})), 404, "RESOURCE_DOES_NOT_EXIST", "tmp");
    // Values as MLflow sends them: NaN as a string, int64 as a string too.
    ASSERT_EQ(post("runs/log-metric", withRun(metric("loss", 0.5, 0))).status, 200);
    ASSERT_EQ(post("runs/log-metric", withRun(metric("loss", 0.25, 1))).status, 200);
    QJsonObject asStrings = metric("diverged", QStringLiteral("NaN"), 0);
    asStrings.insert(QStringLiteral("timestamp"), QStringLiteral("1700000000123"));
    asStrings.insert(QStringLiteral("step"), QStringLiteral("3"));
    ASSERT_EQ(post("runs/log-metric", withRun(asStrings)).status, 200);
    ASSERT_EQ(post("runs/log-metric", withRun(metric("big", QStringLiteral("Infinity"), 0))).status, 200);

    const qint64 end = now();
    Reply updated = post("runs/update", withRun({{QStringLiteral("status"), QStringLiteral("FINISHED")}, {QStringLiteral("end_time"), end}}));
    ASSERT_EQ(updated.status, 200) << updated.body;
    const QJsonObject info = updated.json.value(QLatin1String("run_info")).toObject();
    EXPECT_EQ(info.value(QLatin1String("status")).toString(), QStringLiteral("FINISHED"));
    EXPECT_EQ(qint64(info.value(QLatin1String("end_time")).toDouble()), end);

    Reply got = get("runs/get", {{"run_id", run.toStdString()}});
    ASSERT_EQ(got.status, 200) << got.body;
    const QJsonObject data = got.json.value(QLatin1String("run")).toObject().value(QLatin1String("data")).toObject();
    std::map<QString, QJsonValue> metrics, params, tags;
    for (const QJsonValue &m : data.value(QLatin1String("metrics")).toArray())
        metrics[m.toObject().value(QLatin1String("key")).toString()] = m.toObject().value(QLatin1String("value"));
    for (const QJsonValue &p : data.value(QLatin1String("params")).toArray())
        params[p.toObject().value(QLatin1String("key")).toString()] = p.toObject().value(QLatin1String("value"));
    for (const QJsonValue &t : data.value(QLatin1String("tags")).toArray())
        tags[t.toObject().value(QLatin1String("key")).toString()] = t.toObject().value(QLatin1String("value"));
    EXPECT_EQ(metrics[QStringLiteral("loss")].toDouble(), 0.25) << "the latest step's value";
    EXPECT_EQ(metrics[QStringLiteral("diverged")].toString(), QStringLiteral("NaN"));
    EXPECT_EQ(metrics[QStringLiteral("big")].toString(), QStringLiteral("Infinity"));
    EXPECT_EQ(params[QStringLiteral("lr")].toString(), QStringLiteral("0.01"));
    EXPECT_EQ(tags[QStringLiteral("team")].toString(), QStringLiteral("platform"));
    EXPECT_EQ(tags.count(QStringLiteral("tmp")), 0u);
    EXPECT_EQ(tags[QStringLiteral("mlflow.runName")].toString(), QStringLiteral("baseline"));

    // In the project file: a tracked run of the experiment, its hyperparameters, its series,
    // its summary (the final metrics, as a native run's), status finished.
    auto stored = RunRepository(db()).get(run.toLongLong());
    ASSERT_OK(stored);
    EXPECT_TRUE(stored->tracked);
    EXPECT_EQ(stored->experimentId.value_or(-1), exp.toLongLong());
    EXPECT_EQ(stored->experimentName, QStringLiteral("e"));
    EXPECT_EQ(stored->modelVersionId, 0);
    EXPECT_EQ(stored->status, RunStatus::Finished);
    EXPECT_EQ(stored->user, QStringLiteral("alice"));
    EXPECT_EQ(stored->name, QStringLiteral("baseline"));
    EXPECT_EQ(stored->hyperparams.value(QLatin1String("lr")).toString(), QStringLiteral("0.01"));
    EXPECT_EQ(stored->summary.value(QLatin1String("loss")).toDouble(), 0.25);
    EXPECT_TRUE(std::isnan(stored->summary.value(QLatin1String("diverged")).toDouble(0)));
    auto series = MetricReader(db()).series(stored->id, QStringLiteral("diverged"));
    ASSERT_OK(series);
    ASSERT_EQ(series->size(), 1u);
    EXPECT_EQ(series->front().step, 3);
    EXPECT_DOUBLE_EQ(series->front().wall, 1700000000.123);
    EXPECT_TRUE(std::isnan(series->front().value));
}

TEST_F(TrackingServiceTest, MetricsAreAppendOnlyEvenAtOneStep)
{
    const QString run = startRun(experiment("e"));
    // A script that logs without a step: MLflow's client sends step 0 every time.
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(post("runs/log-metric", QJsonObject{{QStringLiteral("run_id"), run},
                                                       {QStringLiteral("key"), QStringLiteral("loss")},
                                                       {QStringLiteral("value"), 1.0 / (i + 1)},
                                                       {QStringLiteral("timestamp"), qint64(1'700'000'000'000 + i)},
                                                       {QStringLiteral("step"), 0}})
                      .status,
                  200);
    ASSERT_EQ(post("runs/log-batch", QJsonObject{{QStringLiteral("run_id"), run},
                                                  {QStringLiteral("metrics"), QJsonArray{metric("loss", 0.1, 1), metric("loss", 0.05, 1, 1'700'000'000'010)}}})
                  .status,
              200);
    Reply h = get("metrics/get-history", {{"run_id", run.toStdString()}, {"run_uuid", run.toStdString()}, {"metric_key", "loss"}, {"max_results", "25000"}});
    ASSERT_EQ(h.status, 200) << h.body;
    const QJsonArray points = h.json.value(QLatin1String("metrics")).toArray();
    ASSERT_EQ(points.size(), 5) << h.body;
    const double expected[] = {1.0, 0.5, 1.0 / 3, 0.1, 0.05};
    const qint64 steps[] = {0, 0, 0, 1, 1};
    for (int i = 0; i < 5; ++i) {
        EXPECT_DOUBLE_EQ(points.at(i).toObject().value(QLatin1String("value")).toDouble(), expected[i]) << i;
        EXPECT_EQ(qint64(points.at(i).toObject().value(QLatin1String("step")).toDouble()), steps[i]) << i;
    }
    EXPECT_EQ(qint64(points.at(1).toObject().value(QLatin1String("timestamp")).toDouble()), 1'700'000'000'001);
    // The series (what charts read) keeps one value per step, the last logged.
    auto series = MetricReader(db()).series(run.toLongLong(), QStringLiteral("loss"));
    ASSERT_OK(series);
    ASSERT_EQ(series->size(), 2u);
    EXPECT_DOUBLE_EQ((*series)[0].value, 1.0 / 3);
    EXPECT_DOUBLE_EQ((*series)[1].value, 0.05);
    // Pages of the history.
    Reply first = get("metrics/get-history", {{"run_id", run.toStdString()}, {"metric_key", "loss"}, {"max_results", "2"}});
    ASSERT_EQ(first.json.value(QLatin1String("metrics")).toArray().size(), 2);
    const std::string token = first.json.value(QLatin1String("next_page_token")).toString().toStdString();
    ASSERT_FALSE(token.empty());
    Reply second = get("metrics/get-history", {{"run_id", run.toStdString()}, {"metric_key", "loss"}, {"max_results", "2"}, {"page_token", token}});
    EXPECT_DOUBLE_EQ(second.json.value(QLatin1String("metrics")).toArray().at(0).toObject().value(QLatin1String("value")).toDouble(), 1.0 / 3);
}

TEST_F(TrackingServiceTest, LimitsAndMalformedRequestsAreTheClientsMistakesAndWriteNothing)
{
    const QString run = startRun(experiment("e"));
    auto batch = [&](int metrics, int params, int tags) {
        QJsonArray m, p, t;
        for (int i = 0; i < metrics; ++i)
            m.append(metric("m", double(i), i));
        for (int i = 0; i < params; ++i)
            p.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("p%1").arg(i)}, {QStringLiteral("value"), QStringLiteral("v")}});
        for (int i = 0; i < tags; ++i)
            t.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("t%1").arg(i)}, {QStringLiteral("value"), QStringLiteral("v")}});
        return post("runs/log-batch", {{QStringLiteral("run_id"), run}, {QStringLiteral("metrics"), m}, {QStringLiteral("params"), p}, {QStringLiteral("tags"), t}});
    };
    expectError(batch(1001, 0, 0), 400, "INVALID_PARAMETER_VALUE", "at most 1000 metrics");
    expectError(batch(0, 101, 0), 400, "INVALID_PARAMETER_VALUE", "at most 100 params");
    expectError(batch(0, 0, 101), 400, "INVALID_PARAMETER_VALUE", "at most 100 tags");
    expectError(batch(950, 60, 0), 400, "INVALID_PARAMETER_VALUE", "in total");
    EXPECT_EQ(batch(1000, 0, 0).status, 200);
    // Over 1 MB (MLflow's 1e6 bytes) with entries each within their limits.
    QJsonArray bigTags, bigParams;
    for (int i = 0; i < 100; ++i) {
        bigTags.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("k%1").arg(i)}, {QStringLiteral("value"), QString(4999, u'x')}});
        bigParams.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("p%1").arg(i)}, {QStringLiteral("value"), QString(5999, u'y')}});
    }
    expectError(post("runs/log-batch", {{QStringLiteral("run_id"), run}, {QStringLiteral("tags"), bigTags}, {QStringLiteral("params"), bigParams}}), 400,
                "INVALID_PARAMETER_VALUE", "at most 1000000 bytes");

    // A batch with one bad entry writes none of it.
    expectError(post("runs/log-batch", {{QStringLiteral("run_id"), run},
                                        {QStringLiteral("params"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("good")}, {QStringLiteral("value"), QStringLiteral("1")}}}},
                                        {QStringLiteral("tags"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("../escape")}, {QStringLiteral("value"), QStringLiteral("1")}}}}}),
                400, "INVALID_PARAMETER_VALUE", "Invalid tag name");
    auto stored = RunRepository(db()).get(run.toLongLong());
    ASSERT_OK(stored);
    EXPECT_FALSE(stored->hyperparams.contains(QLatin1String("good")));

    expectError(post("runs/log-metric", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QString(251, u'k')}, {QStringLiteral("value"), 1.0},
                                         {QStringLiteral("timestamp"), now()}}),
                400, "INVALID_PARAMETER_VALUE", "exceeded length limit of 250");
    expectError(post("runs/log-metric", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QStringLiteral("x")}, {QStringLiteral("value"), QStringLiteral("high")},
                                         {QStringLiteral("timestamp"), now()}}),
                400, "INVALID_PARAMETER_VALUE", "valid double");
    expectError(post("runs/log-metric", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QStringLiteral("x")}, {QStringLiteral("value"), 1.0}}), 400,
                "INVALID_PARAMETER_VALUE", "timestamp");
    expectError(post("runs/log-parameter", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QStringLiteral("long")}, {QStringLiteral("value"), QString(6001, u'v')}}),
                400, "INVALID_PARAMETER_VALUE", "exceeded length limit of 6000");
    expectError(post("runs/log-metric", {{QStringLiteral("run_id"), QStringLiteral("424242")}, {QStringLiteral("key"), QStringLiteral("x")},
                                         {QStringLiteral("value"), 1.0}, {QStringLiteral("timestamp"), now()}}),
                404, "RESOURCE_DOES_NOT_EXIST", "Run with id=424242 not found");
    expectError(post("runs/log-metric", {{QStringLiteral("key"), QStringLiteral("x")}}), 400, "INVALID_PARAMETER_VALUE", "'run_id'");
    expectError(call("POST", "/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"1\", "), 400, "INVALID_PARAMETER_VALUE", "Malformed request body");
    expectError(call("POST", "/api/2.0/mlflow/runs/log-metric", "[1, 2]"), 400, "INVALID_PARAMETER_VALUE", "JSON object");
    expectError(call("POST", "/api/2.0/mlflow/runs/explode", "{}"), 404, "ENDPOINT_NOT_FOUND");
    expectError(call("GET", "/api/2.0/mlflow/runs/create"), 405, "ENDPOINT_NOT_FOUND");
    expectError(call("GET", "/nothing/here"), 404, "ENDPOINT_NOT_FOUND");
    expectError(post("runs/search", {{QStringLiteral("experiment_ids"), QJsonArray{QStringLiteral("0")}},
                                     {QStringLiteral("filter"), QStringLiteral("metrics.acc > 0.9 OR metrics.acc < 0.1")}}),
                400, "INVALID_PARAMETER_VALUE", "OR is not supported");
    expectError(post("runs/search", {{QStringLiteral("experiment_ids"), QJsonArray{QStringLiteral("0")}}, {QStringLiteral("page_token"), QStringLiteral("garbage")}}),
                400, "INVALID_PARAMETER_VALUE", "page token");
    // Unknown fields are ignored, no Content-Type needed.
    EXPECT_EQ(post("runs/set-tag", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QStringLiteral("k")}, {QStringLiteral("value"), QStringLiteral("v")},
                                    {QStringLiteral("some_future_field"), QJsonObject{{QStringLiteral("x"), 1}}}})
                  .status,
              200);
    // A deleted run takes no more writes, and is found again when restored.
    ASSERT_EQ(post("runs/delete", {{QStringLiteral("run_id"), run}}).status, 200);
    expectError(post("runs/set-tag", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QStringLiteral("k")}, {QStringLiteral("value"), QStringLiteral("w")}}), 400,
                "INVALID_PARAMETER_VALUE", "'active' state");
    ASSERT_EQ(post("runs/restore", {{QStringLiteral("run_id"), run}}).status, 200);
    EXPECT_EQ(post("runs/set-tag", {{QStringLiteral("run_id"), run}, {QStringLiteral("key"), QStringLiteral("k")}, {QStringLiteral("value"), QStringLiteral("w")}}).status, 200);
}

TEST_F(TrackingServiceTest, SearchFiltersOrdersAndPages)
{
    const QString exp = experiment("sweep");
    QStringList runs;
    const double acc[] = {0.55, 0.91, 0.72, 0.98, 0.40};
    const char *lr[] = {"0.1", "0.01", "0.01", "0.001", "0.1"};
    for (int i = 0; i < 5; ++i) {
        const QString run = startRun(exp, "trial");
        runs << run;
        ASSERT_EQ(post("runs/log-batch", {{QStringLiteral("run_id"), run},
                                          {QStringLiteral("metrics"), QJsonArray{metric("acc", acc[i], 10)}},
                                          {QStringLiteral("params"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("lr")}, {QStringLiteral("value"), QString::fromLatin1(lr[i])}}}}})
                      .status,
                  200);
        if (i % 2 == 0)
            ASSERT_EQ(post("runs/update", {{QStringLiteral("run_id"), run}, {QStringLiteral("status"), QStringLiteral("FINISHED")}, {QStringLiteral("end_time"), now()}}).status, 200);
    }
    auto search = [&](QJsonObject body) {
        body.insert(QStringLiteral("experiment_ids"), QJsonArray{exp});
        const Reply r = post("runs/search", body);
        EXPECT_EQ(r.status, 200) << r.body;
        QStringList ids;
        for (const QJsonValue &x : r.json.value(QLatin1String("runs")).toArray())
            ids << x.toObject().value(QLatin1String("info")).toObject().value(QLatin1String("run_id")).toString();
        return std::pair{ids, r.json.value(QLatin1String("next_page_token")).toString()};
    };
    EXPECT_EQ(search({{QStringLiteral("filter"), QStringLiteral("metrics.acc > 0.7")}, {QStringLiteral("order_by"), QJsonArray{QStringLiteral("metrics.acc DESC")}}}).first,
              (QStringList{runs[3], runs[1], runs[2]}));
    EXPECT_EQ(search({{QStringLiteral("filter"), QStringLiteral("params.lr = '0.01'")}, {QStringLiteral("order_by"), QJsonArray{QStringLiteral("metrics.acc ASC")}}}).first,
              (QStringList{runs[2], runs[1]}));
    EXPECT_EQ(search({{QStringLiteral("filter"), QStringLiteral("attributes.status = 'RUNNING' AND metrics.acc < 0.95")}}).first, (QStringList{runs[1]}));
    // Default order: the newest start first (ties by id).
    const QStringList all = search({}).first;
    ASSERT_EQ(all.size(), 5);
    // Pages of two.
    QStringList paged;
    QString token;
    int pages = 0;
    do {
        QJsonObject body{{QStringLiteral("max_results"), 2}, {QStringLiteral("order_by"), QJsonArray{QStringLiteral("metrics.acc DESC")}}};
        if (!token.isEmpty())
            body.insert(QStringLiteral("page_token"), token);
        auto [ids, next] = search(body);
        paged += ids;
        token = next;
        ++pages;
    } while (!token.isEmpty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(paged, (QStringList{runs[3], runs[1], runs[2], runs[0], runs[4]}));
    expectError(post("runs/search", {{QStringLiteral("experiment_ids"), QJsonArray{exp}}, {QStringLiteral("max_results"), 50001}}), 400, "INVALID_PARAMETER_VALUE",
                "max_results");
    expectError(post("runs/search", {{QStringLiteral("experiment_ids"), QJsonArray{QStringLiteral("77")}}}), 404, "RESOURCE_DOES_NOT_EXIST");
}

// Compared like the workbench's own runs: a script's params are the strings MLflow's client
// sends, and those that are numbers make numeric (log, for a learning rate) axes in Compare.
TEST_F(TrackingServiceTest, AScriptsRunsCompareOnNumericAxesWhereTheirParamsAreNumbers)
{
    const QString exp = experiment("sweep");
    QList<qint64> ids;
    const char *lr[] = {"0.1", "0.01", "0.001"};
    const char *optimizer[] = {"adam", "sgd", "adam"};
    for (int i = 0; i < 3; ++i) {
        const QString run = startRun(exp, "trial");
        ids << run.toLongLong();
        ASSERT_EQ(post("runs/log-batch", {{QStringLiteral("run_id"), run},
                                          {QStringLiteral("params"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("lr")}, {QStringLiteral("value"), QString::fromLatin1(lr[i])}},
                                                                                QJsonObject{{QStringLiteral("key"), QStringLiteral("optimizer")}, {QStringLiteral("value"), QString::fromLatin1(optimizer[i])}}}},
                                          {QStringLiteral("metrics"), QJsonArray{metric("val_accuracy", 0.8 + 0.05 * i, 10)}}})
                      .status,
                  200);
        ASSERT_EQ(post("runs/update", {{QStringLiteral("run_id"), run}, {QStringLiteral("status"), QStringLiteral("FINISHED")}}).status, 200);
    }
    RunRepository runs(db());
    MetricReader metrics(db());
    const RunComparison c = RunComparison::load(runs, metrics, ids);
    ASSERT_EQ(c.runs().size(), 3);
    const RunComparison::Axis axis = c.hyperparameterAxis(QStringLiteral("lr"));
    EXPECT_FALSE(axis.isCategorical()) << qPrintable(axis.categories.join(u','));
    EXPECT_TRUE(axis.log);
    EXPECT_LE(axis.min, 0.001);
    EXPECT_GE(axis.max, 0.1);
    EXPECT_DOUBLE_EQ(c.hyperparameterValue(c.runs().at(0), axis), c.runs().at(0).hyperparams.value(QLatin1String("lr")).toString().toDouble());
    EXPECT_TRUE(c.hyperparameterAxis(QStringLiteral("optimizer")).isCategorical());
    EXPECT_EQ(c.differingHyperparameters(), (QStringList{QStringLiteral("lr"), QStringLiteral("optimizer")}));
    EXPECT_TRUE(c.summaryKeys().contains(QStringLiteral("val_accuracy"))) << "the final metrics, summarised when the run ended";
}

TEST_F(TrackingServiceTest, TheWorkbenchsOwnRunsAreVisibleReadOnly)
{
    ModelRepository models(db());
    auto model = models.add({0, QStringLiteral("iris-mlp"), ModelKind::Spec, 0, {}, {}});
    ASSERT_OK(model);
    auto version = models.addVersion(*model, QByteArrayLiteral("{}"), {});
    ASSERT_OK(version);
    RunRecord native;
    native.modelVersionId = version->id;
    native.name = QStringLiteral("native");
    native.status = RunStatus::Finished;
    native.hyperparams = {{QStringLiteral("lr"), 0.01}, {QStringLiteral("epochs"), 30}};
    auto id = RunRepository(db()).create(native);
    ASSERT_OK(id);
    {
        auto logger = MetricLogger::open(m_path);
        ASSERT_OK(logger);
        (*logger)->log(*id, QStringLiteral("val_accuracy"), 29, 0.96);
        ASSERT_OK((*logger)->close());
    }
    const QString experimentId = QStringLiteral("model-%1").arg(*model);
    Reply experiments = post("experiments/search", {});
    bool listed = false;
    for (const QJsonValue &e : experiments.json.value(QLatin1String("experiments")).toArray())
        listed |= e.toObject().value(QLatin1String("experiment_id")).toString() == experimentId &&
                  e.toObject().value(QLatin1String("name")).toString() == QStringLiteral("workbench/iris-mlp");
    EXPECT_TRUE(listed) << experiments.body;
    Reply found = post("runs/search", {{QStringLiteral("experiment_ids"), QJsonArray{experimentId}}, {QStringLiteral("filter"), QStringLiteral("metrics.val_accuracy > 0.9")}});
    ASSERT_EQ(found.status, 200) << found.body;
    const QJsonArray runs = found.json.value(QLatin1String("runs")).toArray();
    ASSERT_EQ(runs.size(), 1) << found.body;
    const QJsonObject run = runs.at(0).toObject();
    EXPECT_EQ(run.value(QLatin1String("info")).toObject().value(QLatin1String("run_id")).toString(), QString::number(*id));
    EXPECT_EQ(run.value(QLatin1String("info")).toObject().value(QLatin1String("status")).toString(), QStringLiteral("FINISHED"));
    QStringList params;
    for (const QJsonValue &p : run.value(QLatin1String("data")).toObject().value(QLatin1String("params")).toArray())
        params << p.toObject().value(QLatin1String("key")).toString() + u'=' + p.toObject().value(QLatin1String("value")).toString();
    EXPECT_EQ(params, (QStringList{QStringLiteral("epochs=30"), QStringLiteral("lr=0.01")}));
    expectError(post("runs/log-metric", {{QStringLiteral("run_id"), QString::number(*id)}, {QStringLiteral("key"), QStringLiteral("x")}, {QStringLiteral("value"), 1.0},
                                         {QStringLiteral("timestamp"), now()}}),
                400, "INVALID_PARAMETER_VALUE", "read-only");
    expectError(post("runs/create", {{QStringLiteral("experiment_id"), experimentId}}), 400, "INVALID_PARAMETER_VALUE", "workbench's own model");
    expectError(post("runs/delete", {{QStringLiteral("run_id"), QString::number(*id)}}), 400, "INVALID_PARAMETER_VALUE");
}

TEST_F(TrackingServiceTest, ArtifactsAreStoredInTheProjectFile)
{
    const QString run = startRun(experiment("e"));
    Reply got = get("runs/get", {{"run_id", run.toStdString()}});
    const QString uri = got.json.value(QLatin1String("run")).toObject().value(QLatin1String("info")).toObject().value(QLatin1String("artifact_uri")).toString();
    ASSERT_TRUE(uri.startsWith(QStringLiteral("mlflow-artifacts:/"))) << qPrintable(uri);
    const std::string base = "/api/2.0/mlflow-artifacts/artifacts/" + uri.mid(QStringLiteral("mlflow-artifacts:/").size()).toStdString();
    ASSERT_EQ(call("PUT", base + "/notes.txt", "first notes").status, 200);
    ASSERT_EQ(call("PUT", base + "/model/MLmodel", "artifact_path: model").status, 200);
    ASSERT_EQ(call("PUT", base + "/model/data/model.pth", QByteArray(3000, '\x01')).status, 200);

    Reply top = get("artifacts/list", {{"run_id", run.toStdString()}});
    ASSERT_EQ(top.status, 200) << top.body;
    EXPECT_EQ(top.json.value(QLatin1String("root_uri")).toString(), uri);
    const QJsonArray files = top.json.value(QLatin1String("files")).toArray();
    ASSERT_EQ(files.size(), 2) << top.body;
    EXPECT_EQ(files.at(0).toObject().value(QLatin1String("path")).toString(), QStringLiteral("model"));
    EXPECT_TRUE(files.at(0).toObject().value(QLatin1String("is_dir")).toBool());
    EXPECT_EQ(files.at(1).toObject().value(QLatin1String("path")).toString(), QStringLiteral("notes.txt"));
    EXPECT_FALSE(files.at(1).toObject().value(QLatin1String("is_dir")).toBool());
    EXPECT_EQ(files.at(1).toObject().value(QLatin1String("file_size")).toInt(), 11);
    Reply sub = get("artifacts/list", {{"run_id", run.toStdString()}, {"path", "model"}});
    ASSERT_EQ(sub.json.value(QLatin1String("files")).toArray().size(), 2) << sub.body;
    EXPECT_EQ(sub.json.value(QLatin1String("files")).toArray().at(0).toObject().value(QLatin1String("path")).toString(), QStringLiteral("model/MLmodel"));

    // The artifact server's own listing: paths relative to the folder listed.
    Reply proxied = call("GET", "/api/2.0/mlflow-artifacts/artifacts", {}, {{"path", uri.mid(18).toStdString() + "/model"}});
    ASSERT_EQ(proxied.status, 200) << proxied.body;
    EXPECT_EQ(proxied.json.value(QLatin1String("files")).toArray().at(1).toObject().value(QLatin1String("path")).toString(), QStringLiteral("data"));

    Reply download = call("GET", base + "/notes.txt");
    ASSERT_EQ(download.status, 200);
    EXPECT_EQ(download.body, "first notes");
    ASSERT_EQ(call("PUT", base + "/notes.txt", "second notes").status, 200);
    EXPECT_EQ(call("GET", base + "/notes.txt").body, "second notes");
    auto stored = RunRepository(db()).artifact(run.toLongLong(), QStringLiteral("model/data/model.pth"));
    ASSERT_OK(stored);
    EXPECT_EQ(stored->size(), 3000);

    expectError(call("PUT", base + "/../escape.txt", "x"), 400, "INVALID_PARAMETER_VALUE", "..");
    expectError(call("GET", base + "/missing.txt"), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(call("PUT", "/api/2.0/mlflow-artifacts/artifacts/999/" + run.toStdString() + "/artifacts/x", "x"), 404, "RESOURCE_DOES_NOT_EXIST");
    ASSERT_EQ(call("DELETE", base + "/model").status, 200);
    EXPECT_EQ(get("artifacts/list", {{"run_id", run.toStdString()}}).json.value(QLatin1String("files")).toArray().size(), 1);
}

TEST_F(TrackingServiceTest, ATokenIsAskedOfEveryRequestWhenSet)
{
    TrackingService::Options o;
    o.token = QByteArrayLiteral("s3cret-token");
    open(o);
    expectError(get("experiments/get", {{"experiment_id", "0"}}), 401, "UNAUTHENTICATED", "MLFLOW_TRACKING_TOKEN");
    expectError(call("GET", "/api/2.0/mlflow/experiments/get", {}, {{"experiment_id", "0"}}, {{"authorization", "Bearer wrong"}}), 401, "UNAUTHENTICATED");
    EXPECT_EQ(call("GET", "/api/2.0/mlflow/experiments/get", {}, {{"experiment_id", "0"}}, {{"authorization", "Bearer s3cret-token"}}).status, 200);
}

TEST_F(TrackingServiceTest, LiveRunsCountsTheRunningRunsWhoseScriptsStillWrite)
{
    auto live = m_service->liveRuns();
    ASSERT_OK(live);
    EXPECT_EQ(*live, 0);
    const QString a = startRun(experiment("e"));
    const QString b = startRun(QStringLiteral("0"));
    EXPECT_EQ(*m_service->liveRuns(), 2);
    ASSERT_EQ(post("runs/update", {{QStringLiteral("run_id"), b}, {QStringLiteral("status"), QStringLiteral("KILLED")}}).status, 200);
    EXPECT_EQ(*m_service->liveRuns(), 1);
    auto killed = RunRepository(db()).get(b.toLongLong());
    ASSERT_OK(killed);
    EXPECT_EQ(killed->status, RunStatus::Interrupted);
    EXPECT_TRUE(killed->finishedAt.isValid());
    // A script that died: its run stays running, and shows when it last wrote.
    auto st = db().prepare(QStringLiteral("UPDATE run SET heartbeat_at = heartbeat_at - 3600 WHERE id = ?1"));
    ASSERT_OK(st);
    st->bind(1, a.toLongLong());
    ASSERT_OK(st->run());
    EXPECT_EQ(*m_service->liveRuns(), 0);
    auto stale = RunRepository(db()).get(a.toLongLong());
    ASSERT_OK(stale);
    EXPECT_EQ(stale->status, RunStatus::Running);
    EXPECT_LT(stale->heartbeatAt.secsTo(QDateTime::currentDateTimeUtc()), 3700);
    EXPECT_GT(stale->heartbeatAt.secsTo(QDateTime::currentDateTimeUtc()), 3500);
}

} // namespace
} // namespace mlwb::test
