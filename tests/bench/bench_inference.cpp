// SPDX-License-Identifier: MIT
// Inference benchmark: single-row latency (p50, p99) and batch-32 throughput of the digits MLP
// through the InferenceEngine, against PyTorch's own TorchScript call of the same exported
// model.pt in python3-torch (/usr/bin/python3), same inputs and the same thread count, in the
// same run. Also what a raw row costs (the preprocessing included) and, for the digits CNN, how
// long `mlwb package create` and `mlwb package verify` take end to end.
//   bench_inference [--quick] [--threads N] [--requests N]

#include "bench_goal.h"
#include "data/csv_importer.h"
#include "data/preprocessing.h"
#include "inference/inference_engine.h"
#include "inference/loaded_model.h"
#include "inference/torch_runtime.h"
#include "model/model_compiler.h"
#include "model/model_templates.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

using Clock = std::chrono::steady_clock;

// PyTorch's own call of the exported file: one row per call, then batches of 32.
const char *kPython = R"PY(
import json, sys, time, torch
path, xs, n, width, threads, requests, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
shape = [int(d) for d in sys.argv[8].split(',')]
torch.set_num_threads(threads)
m = torch.jit.load(path)
m.eval()
x = torch.from_file(xs, size=n * width, dtype=torch.float32).reshape([n] + shape)
rows = [x[i:i + 1].clone() for i in range(n)]
lat = []
with torch.inference_mode():
    for i in range(200):
        m(rows[i % n])
    for i in range(requests):
        r = rows[i % n]
        t0 = time.perf_counter_ns()
        m(r)
        lat.append((time.perf_counter_ns() - t0) / 1e6)
    batches = [x[i:i + 32].clone() for i in range(0, n - 31, 32)]
    for b in batches[:20]:
        m(b)
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        m(batches[done % len(batches)])
        done += 1
    rate = done * 32 / (time.perf_counter() - t0)
lat.sort()
def pct(p):
    import math
    return lat[min(len(lat) - 1, max(0, math.ceil(p / 100 * len(lat)) - 1))]
print(json.dumps({"p50": pct(50), "p99": pct(99), "batch32_rows_per_s": rate, "torch": torch.__version__}))
)PY";

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    const size_t rank = size_t(std::ceil(p / 100.0 * double(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

QJsonObject runProcess(const QString &program, const QStringList &args, double *seconds = nullptr)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    const bool finished = p.waitForFinished(600000);
    if (seconds)
        *seconds = double(t.nsecsElapsed()) / 1e9;
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::fprintf(stderr, "%s %s failed: %s\n", qPrintable(program), qPrintable(args.join(QLatin1Char(' '))),
                     p.readAllStandardError().constData());
        return {};
    }
    const QByteArray out = p.readAllStandardOutput();
    return QJsonDocument::fromJson(out.mid(out.lastIndexOf("\n{") + 1)).object();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    auto intArg = [&](const char *name, int def) {
        const qsizetype i = args.indexOf(QString::fromLatin1(name));
        return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : def;
    };
    const int threads = intArg("--threads", 1);
    const int requests = intArg("--requests", quick ? 2000 : 20000);
    const double seconds = quick ? 0.5 : 3.0;
    const TorchRuntime::Info runtime = TorchRuntime::initialize(threads);
    std::printf("inference benchmark: threads: %d, %s, torch %s, %d single-row requests per side\n", runtime.threads,
                qPrintable(runtime.blasName), qPrintable(runtime.torchVersion), requests);

    const QString csv = QStringLiteral(MLWB_DATASETS_DIR "/digits.csv");
    ImportOptions options;
    options.target = QStringLiteral("digit");
    options.imageShape = std::array<int, 3>{1, 8, 8};
    auto data = CsvImporter::importFile(csv, options);
    if (!data) {
        std::fprintf(stderr, "%s\n", qPrintable(data.error()));
        return 1;
    }
    std::vector<qint64> rows(size_t(data->table.rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    auto pre = Preprocessing::fit(*data, rows);
    auto spec = ModelTemplates::make(QStringLiteral("mlp"), pre->inputShape(), pre->outputCount());
    auto compiled = ModelCompiler::compile(*spec, 1);
    if (!pre || !spec || !compiled) {
        std::fprintf(stderr, "cannot build the digits MLP\n");
        return 1;
    }
    compiled->setPreprocessing(*pre);
    const QByteArray archive = *compiled->toArchive();
    auto engine = InferenceEngine::fromArchive(archive, QStringLiteral("the digits MLP"));
    if (!engine) {
        std::fprintf(stderr, "%s\n", qPrintable(engine.error()));
        return 1;
    }
    std::printf("digits MLP %s: %lld inputs, %lld outputs, %s route for single rows\n",
                spec->toJson(QJsonDocument::Compact).constData(), qint64(engine->inputWidth()), qint64(engine->outputWidth()),
                engine->matrixVectorRoute() ? "matrix-vector" : "forward");

    const qint64 n = qint64(rows.size());
    const qint64 width = engine->inputWidth();
    const qint64 features = engine->featureCount();
    const std::vector<float> x = pre->transform(data->table, rows);
    const std::vector<float> raw = engine->rawRows(data->table, rows);

    // Ours: one row per call, timed one by one, after the same warm-up Python gets.
    InferenceEngine::Prediction p;
    const auto single = [&](bool rawRows) {
        std::vector<double> ms;
        ms.reserve(size_t(requests));
        for (int i = 0; i < 200 + requests; ++i) {
            const qint64 r = i % n;
            const auto t0 = Clock::now();
            const Status s = rawRows ? engine->predictRaw(std::span<const float>(raw).subspan(size_t(r * features), size_t(features)), 1, p)
                                     : engine->predictInputs(std::span<const float>(x).subspan(size_t(r * width), size_t(width)), 1, p);
            const double t = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            if (!s) {
                std::fprintf(stderr, "%s\n", qPrintable(s.error()));
                std::exit(1);
            }
            if (i >= 200)
                ms.push_back(t);
        }
        return ms;
    };
    const std::vector<double> ours = single(false);
    const std::vector<double> oursRaw = single(true);
    qint64 batches = 0;
    for (int i = 0; i < 20; ++i)
        (void)engine->predictInputs(std::span<const float>(x).subspan(0, size_t(32 * width)), 32, p);
    const auto t0 = Clock::now();
    while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
        const qint64 first = (batches * 32) % (n - 31);
        if (!engine->predictInputs(std::span<const float>(x).subspan(size_t(first * width), size_t(32 * width)), 32, p)) {
            std::fprintf(stderr, "a batch failed\n");
            return 1;
        }
        ++batches;
    }
    const double oursBatch = double(batches * 32) / std::chrono::duration<double>(Clock::now() - t0).count();

    // PyTorch's own call of the same file on the same preprocessed rows.
    QTemporaryDir tmp;
    const QString modelPath = QDir(tmp.path()).filePath(QStringLiteral("model.pt"));
    const QString xPath = QDir(tmp.path()).filePath(QStringLiteral("x.f32"));
    {
        QFile m(modelPath), fx(xPath);
        if (!m.open(QIODevice::WriteOnly) || m.write(archive) != archive.size() || !fx.open(QIODevice::WriteOnly) ||
            fx.write(reinterpret_cast<const char *>(x.data()), qint64(x.size() * 4)) != qint64(x.size() * 4)) {
            std::fprintf(stderr, "cannot write the benchmark inputs\n");
            return 1;
        }
    }
    const QJsonObject py = runProcess(QStringLiteral("/usr/bin/python3"),
                                      {QStringLiteral("-c"), QString::fromUtf8(kPython), modelPath, xPath, QString::number(n),
                                       QString::number(width), QString::number(runtime.threads), QString::number(requests),
                                       QString::number(seconds), QStringLiteral("1,8,8")});
    const double pyP50 = py.value(QStringLiteral("p50")).toDouble(NAN);
    const double pyP99 = py.value(QStringLiteral("p99")).toDouble(NAN);
    const double pyBatch = py.value(QStringLiteral("batch32_rows_per_s")).toDouble(NAN);

    std::printf("\n%-34s %12s %12s %16s\n", "single row, digits MLP", "p50 ms", "p99 ms", "batch-32 rows/s");
    std::printf("%-34s %12.4f %12.4f %16.0f\n", "InferenceEngine (inputs)", percentile(ours, 50), percentile(ours, 99), oursBatch);
    std::printf("%-34s %12.4f %12.4f %16s\n", "InferenceEngine (raw rows)", percentile(oursRaw, 50), percentile(oursRaw, 99), "");
    std::printf("%-34s %12.4f %12.4f %16.0f\n", qPrintable(QStringLiteral("python3-torch %1 jit.load").arg(py.value(QStringLiteral("torch")).toString())),
                pyP50, pyP99, pyBatch);

    BenchGoals goals(quick);
    goals.atLeast("single-row p50 speed-up over PyTorch (x)", pyP50 / percentile(ours, 50), 5.0, "x");
    goals.atLeast("single-row p99 speed-up over PyTorch (x)", pyP99 / percentile(ours, 99), 5.0, "x");
    goals.atLeast("single raw row (with preprocessing) p50 speed-up (x)", pyP50 / percentile(oursRaw, 50), 5.0, "x");
    goals.atLeast("batch-32 throughput over PyTorch (x)", oursBatch / pyBatch, 1.2, "x");

#ifdef MLWB_CLI
    // The digits CNN packaged and verified through the CLI, as a pipeline does it.
    const QString project = QDir(tmp.path()).filePath(QStringLiteral("cnn.mlwb"));
    const QString cli = QStringLiteral(MLWB_CLI);
    qputenv("MLWB_CONFIG_DIR", QDir(tmp.path()).filePath(QStringLiteral("config")).toUtf8());
    runProcess(cli, {QStringLiteral("init"), project});
    runProcess(cli, {QStringLiteral("dataset"), QStringLiteral("import"), project, csv, QStringLiteral("--name"),
                     QStringLiteral("digits"), QStringLiteral("--target"), QStringLiteral("digit"), QStringLiteral("--image"),
                     QStringLiteral("1x8x8"), QStringLiteral("--json")});
    runProcess(cli, {QStringLiteral("model"), QStringLiteral("create"), project, QStringLiteral("--name"), QStringLiteral("cnn"),
                     QStringLiteral("--dataset"), QStringLiteral("digits"), QStringLiteral("--template"), QStringLiteral("cnn"),
                     QStringLiteral("--json")});
    const QJsonObject trained = runProcess(cli, {QStringLiteral("train"), project, QStringLiteral("--model"), QStringLiteral("cnn"),
                                                 QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--json")});
    const QString run = QString::number(trained.value(QStringLiteral("run")).toInteger());
    const QString pkg = QDir(tmp.path()).filePath(QStringLiteral("cnn.mlwbpkg"));
    double create = NAN, verify = NAN, version = NAN;
    runProcess(cli, {QStringLiteral("--version")}, &version);
    const QJsonObject made = runProcess(cli, {QStringLiteral("package"), QStringLiteral("create"), project, QStringLiteral("--run"), run,
                                              QStringLiteral("--name"), QStringLiteral("digits-cnn"), QStringLiteral("--version"),
                                              QStringLiteral("1.0.0"), QStringLiteral("-o"), pkg, QStringLiteral("--json")},
                                        &create);
    const QJsonObject verified = runProcess(cli, {QStringLiteral("package"), QStringLiteral("verify"), pkg, QStringLiteral("--json")}, &verify);
    if (made.isEmpty())
        create = NAN;
    if (!verified.value(QStringLiteral("ok")).toBool())
        verify = NAN;
    std::printf("\ndigits CNN package (%lld bytes): mlwb package create %.3f s, mlwb package verify %.3f s; "
                "the CLI starting and stopping (mlwb --version) %.3f s\n",
                made.value(QStringLiteral("bytes")).toInteger(), create, verify, version);
    goals.atMost("digits CNN: package create + verify, end to end (s)", create + verify, 5.0, "s");
    goals.atMost("package verify beyond the CLI's own start (s)", verify - version, 0.5, "s");
#endif
    return goals.exitCode();
}
