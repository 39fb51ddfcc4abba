// SPDX-License-Identifier: MIT
#include "sample_content.h"

#include "store/dataset_repository.h"
#include "store/metric_logger.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>
#include <random>

namespace mlwb::test {

Result<qint64> SampleContent::addDataset(ProjectFile &project, const QString &csvPath,
                                         const QString &name)
{
    QFile f(csvPath);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("%1: %2").arg(csvPath, f.errorString()));
    const QByteArray bytes = f.readAll();
    const QList<QByteArray> lines = bytes.split('\n');
    if (lines.isEmpty())
        return fail(QStringLiteral("%1: empty").arg(csvPath));
    const QList<QByteArray> header = lines.first().trimmed().split(',');
    const int cols = int(header.size());
    const auto n = size_t(cols);
    std::vector<std::vector<double>> values(n);
    std::vector<QSet<QByteArray>> texts(n);
    std::vector<bool> numeric(n, true);
    qint64 rows = 0;
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split(',');
        for (int c = 0; c < cols && c < fields.size(); ++c) {
            bool ok = false;
            const double v = fields.at(c).toDouble(&ok);
            if (ok)
                values[size_t(c)].push_back(v);
            else
                numeric[size_t(c)] = false;
            texts[size_t(c)].insert(fields.at(c));
        }
        ++rows;
    }
    const bool classification = !numeric[size_t(cols - 1)] || texts[size_t(cols - 1)].size() <= 10;
    QJsonArray columns;
    QStringList classNames;
    for (int c = 0; c < cols; ++c) {
        QJsonObject o;
        o.insert(QStringLiteral("name"), QString::fromUtf8(header.at(c)));
        const auto &v = values[size_t(c)];
        const bool target = c == cols - 1;
        if (target && classification) {
            QStringList cats;
            for (const QByteArray &t : texts[size_t(c)])
                cats << QString::fromUtf8(t);
            cats.sort();
            classNames = cats;
            o.insert(QStringLiteral("type"), QStringLiteral("categorical"));
            o.insert(QStringLiteral("categories"), QJsonArray::fromStringList(cats));
        } else {
            o.insert(QStringLiteral("type"), QStringLiteral("numeric"));
            if (!v.empty()) {
                double lo = v[0], hi = v[0], sum = 0, sq = 0;
                for (double x : v) {
                    lo = std::min(lo, x);
                    hi = std::max(hi, x);
                    sum += x;
                }
                const double mean = sum / double(v.size());
                for (double x : v)
                    sq += (x - mean) * (x - mean);
                o.insert(QStringLiteral("min"), lo);
                o.insert(QStringLiteral("max"), hi);
                o.insert(QStringLiteral("mean"), mean);
                o.insert(QStringLiteral("stddev"),
                         std::sqrt(sq / double(std::max<size_t>(1, v.size() - 1))));
            }
        }
        o.insert(QStringLiteral("missing"), 0);
        o.insert(QStringLiteral("distinct"), qint64(texts[size_t(c)].size()));
        columns.append(o);
    }
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    QJsonObject schema{
        {QStringLiteral("format"), QStringLiteral("mlwb.table")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("rows"), rows},
        {QStringLiteral("columns"), columns},
        {QStringLiteral("task"),
         classification ? QStringLiteral("classification") : QStringLiteral("regression")},
        {QStringLiteral("target"), QString::fromUtf8(header.last())},
        {QStringLiteral("targetColumn"), cols - 1},
        {QStringLiteral("classNames"), QJsonArray::fromStringList(classNames)},
        {QStringLiteral("sha256"), hash},
        {QStringLiteral("sourcePath"), csvPath},
    };
    DatasetRecord record;
    record.name = name;
    record.sourcePath = csvPath;
    record.contentHash = hash;
    record.rowCount = rows;
    record.columnCount = cols;
    record.schemaJson = QJsonDocument(schema).toJson(QJsonDocument::Compact);
    // The real table blob comes from the CSV importer; the stand-in keeps the blob path tested.
    return DatasetRepository(project.db()).add(record, qCompress(bytes));
}

Result<SampleIds> SampleContent::fill(ProjectFile &project, const QString &datasetsDir,
                                      int metricPoints)
{
    SampleIds ids;
    const QDir dir(datasetsDir);
    for (const QString &name :
         {QStringLiteral("iris"), QStringLiteral("digits"), QStringLiteral("diabetes")}) {
        auto id = addDataset(project, dir.filePath(name + QStringLiteral(".csv")), name);
        if (!id)
            return id.failure();
        ids.datasets << *id;
    }

    struct ModelSpec {
        const char *name;
        int dataset;
        const char *spec;
        const char *description;
    };
    const ModelSpec specs[] = {
        {"iris-mlp", 0,
         R"({"input":[4],"layers":[{"type":"Linear","out":16},{"type":"ReLU"},{"type":"Linear","out":3}]})",
         "Two-layer MLP for the iris species"},
        {"digits-cnn", 1,
         R"({"input":[1,8,8],"layers":[{"type":"Conv2d","out":16,"kernel":3,"padding":1},{"type":"ReLU"},{"type":"MaxPool2d","kernel":2},{"type":"Flatten"},{"type":"Linear","out":10}]})",
         "Small CNN on the 8x8 digit images"},
        {"diabetes-linear", 2, R"({"input":[10],"layers":[{"type":"Linear","out":1}]})",
         "Linear regression baseline"},
    };
    ModelRepository models(project.db());
    RunRepository runs(project.db());
    auto logger = MetricLogger::open(project.path());
    if (!logger)
        return logger.failure();
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 1.0);

    struct RunPlan {
        int model;
        const char *name;
        RunStatus status;
        double lr;
        int epochs;
        double finalLoss;
    };
    const RunPlan plans[] = {
        {0, "baseline", RunStatus::Finished, 0.01, 60, 0.08},
        {0, "wider", RunStatus::Failed, 0.5, 20, 1.2},
        {1, "adam-1e-3", RunStatus::Finished, 0.001, 30, 0.05},
        {1, "adam-3e-3", RunStatus::Interrupted, 0.003, 30, 0.12},
        {1, "sweep-4", RunStatus::Queued, 0.002, 30, 0.0},
        {2, "ols", RunStatus::Finished, 0.05, 100, 2900},
    };
    for (int m = 0; m < 3; ++m) {
        ModelRecord record;
        record.name = QString::fromLatin1(specs[m].name);
        record.kind = ModelKind::Spec;
        record.datasetId = ids.datasets.at(specs[m].dataset);
        record.description = QString::fromLatin1(specs[m].description);
        auto id = models.add(record);
        if (!id)
            return id.failure();
        ids.models << *id;
        auto version = models.addVersion(*id, QByteArray(specs[m].spec), {});
        if (!version)
            return version.failure();
    }
    for (const RunPlan &plan : plans) {
        auto version = models.latestVersion(ids.models.at(plan.model));
        if (!version)
            return version.failure();
        RunRecord r;
        r.modelVersionId = version->id;
        r.datasetId = ids.datasets.at(specs[plan.model].dataset);
        r.name = QString::fromLatin1(plan.name);
        r.hyperparams = QJsonObject{{QStringLiteral("optimizer"), QStringLiteral("adam")},
                                    {QStringLiteral("learning_rate"), plan.lr},
                                    {QStringLiteral("batch_size"), 64},
                                    {QStringLiteral("epochs"), plan.epochs}};
        auto id = runs.create(r);
        if (!id)
            return id.failure();
        ids.runs << *id;
        if (plan.status == RunStatus::Queued)
            continue;
        const bool regression = plan.model == 2;
        const int points = plan.status == RunStatus::Finished ? metricPoints : metricPoints / 3;
        const double start = regression ? 28000.0 : 2.3;
        for (int s = 0; s < points; ++s) {
            const double t = double(s) / double(std::max(1, metricPoints - 1));
            const double loss = plan.finalLoss + (start - plan.finalLoss) * std::exp(-6.0 * t);
            const double jitter = 1.0 + 0.06 * noise(rng);
            (*logger)->log(*id, QStringLiteral("train/loss"), s, loss * jitter);
            if (s % 10 == 0) {
                const double val = loss * (1.08 + 0.04 * noise(rng));
                (*logger)->log(*id, QStringLiteral("val/loss"), s, val);
                if (!regression)
                    (*logger)->log(*id, QStringLiteral("val/accuracy"), s,
                                   std::min(1.0, 0.35 + 0.63 * (1.0 - std::exp(-5.0 * t)) +
                                                     0.01 * noise(rng)));
            }
        }
        QJsonObject summary;
        if (plan.status == RunStatus::Finished)
            summary = regression ? QJsonObject{{QStringLiteral("test/r2"), 0.47},
                                               {QStringLiteral("test/rmse"), 54.2}}
                                 : QJsonObject{{QStringLiteral("test/accuracy"),
                                                plan.model == 0 ? 0.9667 : 0.9722},
                                               {QStringLiteral("test/loss"), plan.finalLoss}};
        if (!summary.isEmpty())
            if (auto s = runs.setSummary(*id, summary); !s)
                return s.failure();
        if (auto s = runs.markRunning(*id, project.leaseId()); !s)
            return s.failure();
        const QString message =
            plan.status == RunStatus::Failed
                ? QStringLiteral("loss became NaN at epoch 7 (learning rate too high?)")
            : plan.status == RunStatus::Interrupted
                ? QStringLiteral("interrupted: the process running it stopped")
                : QString();
        if (auto s = runs.setStatus(*id, plan.status, message); !s)
            return s.failure();
        CheckpointRecord checkpoint;
        checkpoint.runId = *id;
        checkpoint.tag = QStringLiteral("best");
        checkpoint.step = points - 1;
        checkpoint.epoch = plan.epochs;
        checkpoint.data = QByteArray(4096, char(plan.model + 1));
        if (auto s = runs.saveCheckpoint(checkpoint); !s)
            return s.failure();
    }
    if (auto s = (*logger)->flush(); !s)
        return s.failure();
    return ids;
}

} // namespace mlwb::test
