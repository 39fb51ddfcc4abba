// SPDX-License-Identifier: MIT
// TrackingService::handle on any request, as the tracking endpoint reads them from any script
// that reaches it (issue #15), over a real project file (made once, with an experiment, a
// tracked run and a workbench run in it; every input may change it further). Whatever comes in,
// the answer is one a client's mistake deserves: 200, 400, 401, 404, 405 or 409, never a 5xx
// (MLflow's client retries those with back-off, stalling the script); an error is a JSON object
// with string error_code and message; every API answer is a JSON object.
//
// Input: METHOD ENDPOINT BODY...
//   METHOD   GET, POST, PUT, DELETE by METHOD % 4
//   ENDPOINT one of the API's paths by ENDPOINT % count; the last few take the first line of
//            BODY as the path's rest (artifact paths) or the whole path

#include "fuzz_check.h"

#include "store/database.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "tracking/tracking_service.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace mlwb;

namespace {

const char *kEndpoints[] = {
    "/api/2.0/mlflow/experiments/create",   "/api/2.0/mlflow/experiments/get",         "/api/2.0/mlflow/experiments/get-by-name",
    "/api/2.0/mlflow/experiments/search",   "/api/2.0/mlflow/experiments/list",        "/api/2.0/mlflow/experiments/update",
    "/api/2.0/mlflow/experiments/delete",   "/api/2.0/mlflow/experiments/restore",     "/api/2.0/mlflow/experiments/set-experiment-tag",
    "/api/2.0/mlflow/runs/create",          "/api/2.0/mlflow/runs/get",                "/api/2.0/mlflow/runs/update",
    "/api/2.0/mlflow/runs/delete",          "/api/2.0/mlflow/runs/restore",            "/api/2.0/mlflow/runs/search",
    "/api/2.0/mlflow/runs/log-metric",      "/api/2.0/mlflow/runs/log-parameter",      "/api/2.0/mlflow/runs/set-tag",
    "/api/2.0/mlflow/runs/delete-tag",      "/api/2.0/mlflow/runs/log-batch",          "/api/2.0/mlflow/runs/log-inputs",
    "/api/2.0/mlflow/runs/log-model",       "/api/2.0/mlflow/metrics/get-history",     "/api/2.0/mlflow/artifacts/list",
    "/api/2.0/mlflow-artifacts/artifacts",  // + the body's first line
    "",                                     // the body's first line is the path
};
constexpr size_t kEndpointCount = sizeof kEndpoints / sizeof *kEndpoints;

struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<ProjectFile> project;
    std::unique_ptr<TrackingService> service;
};

Fixture &fixture()
{
    static Fixture *f = [] {
        auto *x = new Fixture;
        const QString path = QDir(x->dir.path()).filePath(QStringLiteral("fuzz.mlwb"));
        auto p = ProjectFile::create(path);
        MLWB_FUZZ_CHECK(p.ok(), p.ok() ? QString() : p.error());
        x->project = std::move(*p);
        // A workbench run, read-only through the API.
        ModelRepository models(x->project->db());
        auto model = models.add({0, QStringLiteral("native"), ModelKind::Spec, 0, {}, {}});
        MLWB_FUZZ_CHECK(model.ok(), QString());
        auto version = models.addVersion(*model, QByteArrayLiteral("{}"), {});
        MLWB_FUZZ_CHECK(version.ok(), QString());
        RunRecord r;
        r.modelVersionId = version->id;
        r.status = RunStatus::Finished;
        MLWB_FUZZ_CHECK(RunRepository(x->project->db()).create(r).ok(), QString());
        auto s = TrackingService::open(path, {});
        MLWB_FUZZ_CHECK(s.ok(), s.ok() ? QString() : s.error());
        x->service = std::move(*s);
        // An experiment and a tracked run for the inputs to name ("1", "2").
        HttpRequest create;
        create.method = "POST";
        create.path = "/api/2.0/mlflow/experiments/create";
        create.body = R"({"name": "fuzz"})";
        MLWB_FUZZ_CHECK(x->service->handle(create).status == 200, QString());
        create.path = "/api/2.0/mlflow/runs/create";
        create.body = R"({"experiment_id": "1", "run_name": "r"})";
        MLWB_FUZZ_CHECK(x->service->handle(create).status == 200, QString());
        return x;
    }();
    return *f;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    Fixture &f = fixture();
    static const char *kMethods[] = {"GET", "POST", "PUT", "DELETE"};
    HttpRequest r;
    r.method = kMethods[data[0] % 4];
    const size_t endpoint = data[1] % kEndpointCount;
    std::string body(reinterpret_cast<const char *>(data + 2), size - 2);
    r.path = kEndpoints[endpoint];
    if (endpoint >= kEndpointCount - 2) {
        const size_t newline = body.find('\n');
        const std::string line = body.substr(0, newline);
        r.path += endpoint == kEndpointCount - 2 ? "/" + line : line;
        body = newline == std::string::npos ? std::string() : body.substr(newline + 1);
    }
    if (r.method == std::string("GET") && !body.empty() && body[0] != '{') {
        // A query string instead of a body: key=value&...
        for (size_t start = 0; start < body.size();) {
            const size_t amp = std::min(body.find('&', start), body.size());
            const std::string pair = body.substr(start, amp - start);
            const size_t eq = pair.find('=');
            r.query[pair.substr(0, eq)] = eq == std::string::npos ? std::string() : pair.substr(eq + 1);
            start = amp + 1;
        }
    } else {
        r.body = body;
    }
    const HttpResponse a = f.service->handle(r);
    const QString where = QStringLiteral("%1 %2 -> %3 %4")
                              .arg(QString::fromStdString(r.method), QString::fromStdString(r.path))
                              .arg(a.status)
                              .arg(QString::fromStdString(a.body.substr(0, 300)));
    MLWB_FUZZ_CHECK(a.status == 200 || a.status == 400 || a.status == 401 || a.status == 404 || a.status == 405 || a.status == 409, where);
    const bool download = a.status == 200 && a.contentType != "application/json";
    if (!download) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(a.body), &error);
        MLWB_FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject(), where);
        if (a.status != 200) {
            MLWB_FUZZ_CHECK(doc.object().value(QLatin1String("error_code")).isString(), where);
            MLWB_FUZZ_CHECK(doc.object().value(QLatin1String("message")).isString(), where);
        }
    }
    return 0;
}
