// SPDX-License-Identifier: MIT
#include "demo/demo_tracked_script.h"

#include "data/dataset_catalog.h"
#include "jobs/job_feedback.h"
#include "store/database.h"
#include "store/worker_connection.h"
#include "tracking/tracking_service.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <vector>

namespace mlwb {

namespace {

// One request to the endpoint, as MLflow's client sends it; anything but 200 ends the script.
class Client {
public:
    explicit Client(TrackingService &service) : m_service(service) {}

    Result<QJsonObject> call(const char *method, const QString &path, const QJsonObject &body = {},
                             const std::map<std::string, std::string> &query = {}, int expect = 200)
    {
        HttpRequest r;
        r.method = method;
        r.path = path.toStdString();
        r.query = query;
        if (!body.isEmpty())
            r.body = QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString();
        const HttpResponse a = m_service.handle(r);
        ++requests;
        const QJsonObject answer = QJsonDocument::fromJson(QByteArray::fromStdString(a.body)).object();
        if (a.status != expect)
            return fail(QStringLiteral("the demo's script: %1 %2 answered %3: %4").arg(QLatin1String(method), path).arg(a.status).arg(QString::fromStdString(a.body)));
        return answer;
    }
    int requests = 0;

private:
    TrackingService &m_service;
};

const QString kApi = QStringLiteral("/api/2.0/mlflow/");

QJsonObject metric(const char *key, double value, qint64 ts, qint64 step)
{
    return {{QStringLiteral("key"), QLatin1String(key)}, {QStringLiteral("value"), value}, {QStringLiteral("timestamp"), ts}, {QStringLiteral("step"), step}};
}

struct Data {
    std::vector<std::vector<double>> x; // standardised by the training rows
    std::vector<int> y;
};

// Softmax regression: loss and accuracy of weights w (classes x (features + 1)).
std::pair<double, double> evaluate(const std::vector<std::vector<double>> &w, const Data &d)
{
    double loss = 0;
    int right = 0;
    const size_t classes = w.size();
    std::vector<double> z(classes);
    for (size_t i = 0; i < d.x.size(); ++i) {
        double top = -1e300;
        for (size_t c = 0; c < classes; ++c) {
            z[c] = w[c].back();
            for (size_t f = 0; f < d.x[i].size(); ++f)
                z[c] += w[c][f] * d.x[i][f];
            top = std::max(top, z[c]);
        }
        double sum = 0;
        for (double v : z)
            sum += std::exp(v - top);
        loss += -(z[size_t(d.y[i])] - top - std::log(sum));
        right += std::max_element(z.begin(), z.end()) - z.begin() == d.y[i];
    }
    return {loss / double(d.x.size()), double(right) / double(d.x.size())};
}

} // namespace

Result<DemoTrackedScript::Outcome> DemoTrackedScript::record(const QString &projectPath, const QString &dataset, JobFeedback *feedback)
{
    // The script's data: the training and validation rows of the data set, standardised.
    Data train, validation;
    int classes = 0;
    {
        Result<Database> db = WorkerConnection::open(projectPath, WorkerConnection::Access::Read);
        if (!db)
            return db.failure();
        Result<LoadedDataset> d = DatasetCatalog(*db).load(dataset);
        if (!d)
            return d.failure();
        const DataTable &t = d->data.table;
        const std::vector<int> features = d->data.featureColumns();
        classes = int(d->data.classNames.size());
        if (classes < 2)
            return invalidInput(QStringLiteral("the demo's script: data set %1 has no classes to learn").arg(dataset));
        auto take = [&](SplitPart part, Data &out) {
            for (qint64 r : d->rows(part)) {
                std::vector<double> row;
                for (int c : features)
                    row.push_back(t.value(r, c));
                out.x.push_back(row);
                out.y.push_back(int(t.value(r, d->data.targetColumn)));
            }
        };
        take(SplitPart::Train, train);
        take(SplitPart::Validation, validation);
        if (train.x.empty() || validation.x.empty())
            return invalidInput(QStringLiteral("the demo's script: data set %1 needs training and validation rows").arg(dataset));
        const size_t n = train.x.front().size();
        for (size_t f = 0; f < n; ++f) {
            double mean = 0, var = 0;
            for (const auto &row : train.x)
                mean += row[f];
            mean /= double(train.x.size());
            for (const auto &row : train.x)
                var += (row[f] - mean) * (row[f] - mean);
            const double sd = std::sqrt(var / double(train.x.size())) + 1e-12;
            for (Data *part : {&train, &validation})
                for (auto &row : part->x)
                    row[f] = (row[f] - mean) / sd;
        }
    }

    Result<std::unique_ptr<TrackingService>> service = TrackingService::open(projectPath, {});
    if (!service)
        return service.failure();
    Client client(**service);
    Outcome out;
    const QString experiment = QString::fromLatin1(kExperiment);
    // mlflow.set_experiment: not found, so created.
    if (auto found = client.call("GET", kApi + QStringLiteral("experiments/get-by-name"), {}, {{"experiment_name", kExperiment}}, 404); !found)
        return found.failure();
    auto created = client.call("POST", kApi + QStringLiteral("experiments/create"), {{QStringLiteral("name"), experiment}});
    if (!created)
        return created.failure();
    const QString experimentId = created->value(QLatin1String("experiment_id")).toString();
    out.experimentId = experimentId.toLongLong();

    const int epochs = 60;
    const double rates[] = {0.05, 0.5};
    for (const double lr : rates) {
        if (feedback && feedback->isCanceled())
            return cancelled(QStringLiteral("canceled"));
        const QString name = QStringLiteral("softmax lr=%1").arg(lr);
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        auto run = client.call("POST", kApi + QStringLiteral("runs/create"),
                               {{QStringLiteral("experiment_id"), experimentId},
                                {QStringLiteral("user_id"), QStringLiteral("demo")},
                                {QStringLiteral("start_time"), start},
                                {QStringLiteral("run_name"), name},
                                {QStringLiteral("tags"), QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("mlflow.user")}, {QStringLiteral("value"), QStringLiteral("demo")}},
                                                                    QJsonObject{{QStringLiteral("key"), QStringLiteral("mlflow.source.name")}, {QStringLiteral("value"), QStringLiteral("notebooks/iris_softmax.py")}},
                                                                    QJsonObject{{QStringLiteral("key"), QStringLiteral("mlflow.source.type")}, {QStringLiteral("value"), QStringLiteral("LOCAL")}},
                                                                    QJsonObject{{QStringLiteral("key"), QStringLiteral("mlflow.runName")}, {QStringLiteral("value"), name}}}}});
        if (!run)
            return run.failure();
        const QString runId = run->value(QLatin1String("run")).toObject().value(QLatin1String("info")).toObject().value(QLatin1String("run_id")).toString();
        const QString artifactRoot = run->value(QLatin1String("run")).toObject().value(QLatin1String("info")).toObject().value(QLatin1String("artifact_uri")).toString().mid(18);
        auto param = [](const char *k, const QString &v) { return QJsonObject{{QStringLiteral("key"), QLatin1String(k)}, {QStringLiteral("value"), v}}; };
        if (auto s = client.call("POST", kApi + QStringLiteral("runs/log-batch"),
                                 {{QStringLiteral("run_id"), runId},
                                  {QStringLiteral("params"), QJsonArray{param("model", QStringLiteral("softmax regression")), param("lr", QString::number(lr)),
                                                                        param("epochs", QString::number(epochs)), param("standardize", QStringLiteral("True"))}}});
            !s)
            return s.failure();
        if (auto s = client.call("POST", kApi + QStringLiteral("runs/log-inputs"),
                                 {{QStringLiteral("run_id"), runId},
                                  {QStringLiteral("datasets"), QJsonArray{QJsonObject{{QStringLiteral("dataset"), QJsonObject{{QStringLiteral("name"), dataset},
                                                                                                                              {QStringLiteral("digest"), QStringLiteral("train split")},
                                                                                                                              {QStringLiteral("source_type"), QStringLiteral("local")},
                                                                                                                              {QStringLiteral("source"), dataset + QStringLiteral(".csv")}}}}}}});
            !s)
            return s.failure();

        const size_t features = train.x.front().size();
        std::vector<std::vector<double>> w(size_t(classes), std::vector<double>(features + 1, 0.0));
        std::vector<double> z(static_cast<size_t>(classes), 0.0), p(static_cast<size_t>(classes), 0.0);
        for (int epoch = 1; epoch <= epochs; ++epoch) {
            std::vector<std::vector<double>> grad(size_t(classes), std::vector<double>(features + 1, 0.0));
            for (size_t i = 0; i < train.x.size(); ++i) {
                double top = -1e300;
                for (size_t c = 0; c < size_t(classes); ++c) {
                    z[c] = w[c].back();
                    for (size_t f = 0; f < features; ++f)
                        z[c] += w[c][f] * train.x[i][f];
                    top = std::max(top, z[c]);
                }
                double sum = 0;
                for (size_t c = 0; c < size_t(classes); ++c)
                    sum += p[c] = std::exp(z[c] - top);
                for (size_t c = 0; c < size_t(classes); ++c) {
                    const double g = p[c] / sum - (int(c) == train.y[i] ? 1.0 : 0.0);
                    for (size_t f = 0; f < features; ++f)
                        grad[c][f] += g * train.x[i][f];
                    grad[c].back() += g;
                }
            }
            for (size_t c = 0; c < size_t(classes); ++c)
                for (size_t f = 0; f <= features; ++f)
                    w[c][f] -= lr * grad[c][f] / double(train.x.size());
            const double trainLoss = evaluate(w, train).first;
            const auto [valLoss, valAcc] = evaluate(w, validation);
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            if (auto s = client.call("POST", kApi + QStringLiteral("runs/log-batch"),
                                     {{QStringLiteral("run_id"), runId},
                                      {QStringLiteral("metrics"), QJsonArray{metric("train_loss", trainLoss, now, epoch), metric("val_loss", valLoss, now, epoch),
                                                                             metric("val_accuracy", valAcc, now, epoch)}}});
                !s)
                return s.failure();
        }
        // mlflow.log_text: the weights it learned, as a script would keep them.
        QJsonArray weights;
        for (const auto &row : w) {
            QJsonArray r;
            for (double v : row)
                r.append(v);
            weights.append(r);
        }
        HttpRequest put;
        put.method = "PUT";
        put.path = QStringLiteral("/api/2.0/mlflow-artifacts/artifacts/%1/weights.json").arg(artifactRoot).toStdString();
        put.body = QJsonDocument(QJsonObject{{QStringLiteral("weights"), weights}, {QStringLiteral("classes"), classes}}).toJson().toStdString();
        if (const HttpResponse a = (*service)->handle(put); a.status != 200)
            return fail(QStringLiteral("the demo's script: uploading weights.json answered %1: %2").arg(a.status).arg(QString::fromStdString(a.body)));
        ++client.requests;
        if (auto s = client.call("POST", kApi + QStringLiteral("runs/update"),
                                 {{QStringLiteral("run_id"), runId}, {QStringLiteral("run_uuid"), runId}, {QStringLiteral("status"), QStringLiteral("FINISHED")},
                                  {QStringLiteral("end_time"), QDateTime::currentMSecsSinceEpoch()}});
            !s)
            return s.failure();
        out.runIds << runId.toLongLong();
    }
    if (Status s = (*service)->close(); !s)
        return s.failure();
    out.requests = client.requests;
    return out;
}

} // namespace mlwb
