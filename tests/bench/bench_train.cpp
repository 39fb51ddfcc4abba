// SPDX-License-Identifier: MIT
// Training benchmark: samples/s of our trainer against the same model, data, batch size,
// optimiser and thread count trained by PyTorch in Python (python3-torch, same libtorch),
// measured in the same run, for the digits MLP and the digits CNN; the metric-logging overhead,
// signed, as a share of the training's measured CPU time; and `mlwb train` end to end (process
// start, data load, validation, checkpoints, logging, final evaluation), what a user waits for.
// Prints a PASS/FAIL line per goal.
//   bench_train [--quick] [--epochs N] [--threads N]

#include "bench_goal.h"
#include "data/csv_importer.h"
#include "data/dataset_split.h"
#include "data/preprocessing.h"
#include "model/model_compiler.h"
#include "model/model_templates.h"
#include "store/metric_logger.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "inference/detail/model_runner.h"
#include "inference/torch_runtime.h"
#include "train/trainer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <cstdio>
#include <ctime>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

const char *kPython = R"PY(
import json, sys, time, torch
spec = json.load(open(sys.argv[1]))
x = torch.from_file(sys.argv[2], size=int(sys.argv[4]) * int(sys.argv[5]), dtype=torch.float32)
y = torch.from_file(sys.argv[3], size=int(sys.argv[4]), dtype=torch.int64)
n, f = int(sys.argv[4]), int(sys.argv[5])
epochs, batch, threads = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
torch.set_num_threads(threads)
torch.manual_seed(1)
x = x.reshape([n] + spec["input"])
layers, shape = [], list(spec["input"])
for l in spec["layers"]:
    t = l["type"]
    if t == "Linear":
        layers.append(torch.nn.Linear(shape[0], l["out"])); shape = [l["out"]]
    elif t == "Conv2d":
        k, p, s = l["kernel"], l.get("padding", 0), l.get("stride", 1)
        layers.append(torch.nn.Conv2d(shape[0], l["out"], k, stride=s, padding=p))
        shape = [l["out"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
    elif t == "BatchNorm2d":
        layers.append(torch.nn.BatchNorm2d(shape[0]))
    elif t == "BatchNorm1d":
        layers.append(torch.nn.BatchNorm1d(shape[0]))
    elif t == "MaxPool2d":
        k = l["kernel"]; layers.append(torch.nn.MaxPool2d(k)); shape = [shape[0], shape[1] // k, shape[2] // k]
    elif t == "Flatten":
        layers.append(torch.nn.Flatten()); shape = [shape[0] * shape[1] * shape[2]]
    elif t == "ReLU":
        layers.append(torch.nn.ReLU())
    elif t == "Dropout":
        layers.append(torch.nn.Dropout(l.get("p", 0.5)))
    else:
        raise SystemExit("unsupported layer " + t)
model = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = torch.nn.CrossEntropyLoss()
model.train()
def epoch():
    perm = torch.randperm(n)
    xs, ys = x[perm], y[perm]
    for i in range(0, n, batch):
        xb, yb = xs[i:i + batch], ys[i:i + batch]
        opt.zero_grad()
        loss = lossf(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()
epoch()  # warm-up
t = time.perf_counter()
for _ in range(epochs):
    epoch()
print(n * epochs / (time.perf_counter() - t))
)PY";

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Setup {
    ModelSpec spec;
    TrainingData data;      // what the Trainer learns from
    torch::Tensor x, y;     // the same rows as tensors, for Python
};

// CPU time of the whole process (every thread: trainer, OpenMP workers, the metric writer).
double processCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

struct Measured {
    double rate = 0;       // samples/s of the training loop (Trainer's own figure)
    double cpuSeconds = 0; // process CPU time from the first measured epoch until logged points are committed
};

Measured ourRun(const Setup &s, int epochs, int batch, MetricLogger *logger, qint64 run)
{
    auto module = ModelCompiler::compile(s.spec, 1);
    if (!module) {
        std::fprintf(stderr, "%s\n", qPrintable(module.error()));
        std::exit(1);
    }
    TrainingConfig config;
    config.batchSize = batch;
    config.epochs = 1;
    Trainer::Hooks hooks;
    // Warm-up epoch, then the measured ones (as in the Python script).
    (void)Trainer(*module, s.data, config, hooks).run();
    config.epochs = epochs;
    hooks.logger = logger;
    hooks.runId = run;
    const double cpuBefore = processCpuSeconds();
    auto outcome = Trainer(*module, s.data, config, hooks).run();
    if (logger) {
        if (auto flushed = logger->flush(); !flushed) {
            std::fprintf(stderr, "%s\n", qPrintable(flushed.error()));
            std::exit(1);
        }
    }
    const double cpu = processCpuSeconds() - cpuBefore;
    if (!outcome) {
        std::fprintf(stderr, "%s\n", qPrintable(outcome.error()));
        std::exit(1);
    }
    return {outcome->samplesPerSecond, cpu};
}

// Runs the built `mlwb` with arguments; exits the benchmark if it fails.
QJsonObject runMlwb(const QStringList &args, double *seconds = nullptr)
{
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(MLWB_CLI), args);
    const bool finished = p.waitForFinished(-1);
    if (seconds)
        *seconds = double(clock.nsecsElapsed()) / 1e9;
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        std::fprintf(stderr, "mlwb %s failed: %s\n", qPrintable(args.join(u' ')),
                     p.readAllStandardError().constData());
        std::exit(1);
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The figures, not the core's debug lines (one per import, per evaluation).
    QLoggingCategory::setFilterRules(QStringLiteral("mlwb.*.debug=false"));
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    int epochs = quick ? 1 : 20;
    int threads = 0;
    const int reps = quick ? 1 : 5;
    if (int i = int(args.indexOf(QStringLiteral("--epochs"))); i > 0)
        epochs = args.value(i + 1).toInt();
    if (int i = int(args.indexOf(QStringLiteral("--threads"))); i > 0)
        threads = args.value(i + 1).toInt();
    const auto runtime = TorchRuntime::initialize(threads);
    const int batch = 64;
    std::printf("threads %d, %s, malloc %s, batch %d, %d epochs x %d repetitions (median)\n", runtime.threads,
                qPrintable(runtime.blasName), runtime.allocatorTuned ? "tuned" : "glibc defaults", batch, epochs, reps);

    QTemporaryDir tmp;
    const QString csv = QDir(QStringLiteral(MLWB_DATASETS_DIR)).filePath(QStringLiteral("digits.csv"));
    const bool havePython = QProcess::execute(QStringLiteral("/usr/bin/python3"),
                                              {QStringLiteral("-c"), QStringLiteral("import torch")}) == 0;

    // The logger writes into a real project file, as in a training run.
    const QString projectPath = QDir(tmp.path()).filePath(QStringLiteral("bench.mlwb"));
    auto project = ProjectFile::create(projectPath);
    ModelRepository models((*project)->db());
    const qint64 modelId = *models.add({0, QStringLiteral("bench"), ModelKind::Spec, 0, {}, {}});
    const qint64 versionId = models.addVersion(modelId, QByteArrayLiteral("{}"), {})->id;
    auto logger = MetricLogger::open(projectPath);

    // What one log() call costs the training thread (a queue push), averaged over many.
    double pushCost = 0;
    {
        RunRecord run;
        run.modelVersionId = versionId;
        const qint64 runId = *RunRepository((*project)->db()).create(run);
        const auto key = (*logger)->key(QStringLiteral("push_cost"));
        const int n = 200'000;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < n; ++i)
            (*logger)->log(runId, key, i, double(i));
        pushCost = double(t.nsecsElapsed()) / 1e9 / n;
        (void)(*logger)->flush();
        std::printf("one log() call: %.0f ns on the calling thread\n", pushCost * 1e9);
    }

    BenchGoals goals(quick);
    // `mlwb train` end to end, in a project of its own made by the CLI as a user would.
    const QString cliProject = QDir(tmp.path()).filePath(QStringLiteral("cli.mlwb"));
    runMlwb({QStringLiteral("init"), cliProject});
    for (const QString kind : {QStringLiteral("mlp"), QStringLiteral("cnn")}) {
        ImportOptions options;
        options.target = QStringLiteral("digit");
        if (kind == u"cnn")
            options.imageShape = std::array<int, 3>{1, 8, 8};
        auto data = CsvImporter::importFile(csv, options);
        if (!data) {
            std::fprintf(stderr, "%s\n", qPrintable(data.error()));
            return 1;
        }
        std::vector<qint64> rows(size_t(data->table.rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        auto pre = Preprocessing::fit(*data, rows);
        Setup s;
        s.spec = *ModelTemplates::make(kind, pre->inputShape(), pre->outputCount());
        s.data = TrainingData{&data->table, &*pre, rows, {}};
        s.x = ModelRunner::inputs(*pre, data->table, rows);
        s.y = ModelRunner::targets(*pre, data->table, rows);

        // Python gets the very same tensors and architecture.
        const QString specPath = QDir(tmp.path()).filePath(kind + QStringLiteral(".json"));
        const QString xPath = QDir(tmp.path()).filePath(kind + QStringLiteral(".x"));
        const QString yPath = QDir(tmp.path()).filePath(kind + QStringLiteral(".y"));
        {
            QFile f(specPath);
            f.open(QIODevice::WriteOnly);
            f.write(s.spec.toJson());
            QFile fx(xPath);
            fx.open(QIODevice::WriteOnly);
            fx.write(reinterpret_cast<const char *>(s.x.data_ptr<float>()),
                     qint64(s.x.numel() * 4));
            QFile fy(yPath);
            fy.open(QIODevice::WriteOnly);
            fy.write(reinterpret_cast<const char *>(s.y.data_ptr<int64_t>()),
                     qint64(s.y.numel() * 8));
        }

        // The same data set and template through the CLI (its default split: the training rows
        // are a part of the data set, so rates are per sample).
        const QJsonObject imported = runMlwb(
            QStringList{QStringLiteral("dataset"), QStringLiteral("import"), cliProject, csv,
                        QStringLiteral("--name"), kind, QStringLiteral("--target"), QStringLiteral("digit"),
                        QStringLiteral("--json")} +
            (kind == u"cnn" ? QStringList{QStringLiteral("--image"), QStringLiteral("1x8x8")} : QStringList{}));
        const qint64 cliTrainRows =
            imported.value(QStringLiteral("split")).toObject().value(QStringLiteral("train")).toInteger();
        runMlwb({QStringLiteral("model"), QStringLiteral("create"), cliProject, QStringLiteral("--name"), kind,
              QStringLiteral("--dataset"), kind, QStringLiteral("--template"), kind, QStringLiteral("--json")});

        std::vector<double> ours, python, pythonTuned, logged, overhead, cpuOverhead, loggingShare;
        std::vector<double> endToEnd, cliLoop, cliTrainPhase, cliWall;
        for (int r = 0; r < reps; ++r) {
            const Measured plain = ourRun(s, epochs, batch, nullptr, 0);
            ours.push_back(plain.rate);
            RunRecord run;
            run.modelVersionId = versionId;
            const qint64 runId = *RunRepository((*project)->db()).create(run);
            const double writerBefore = (*logger)->writerCpuSeconds();
            const Measured withLog = ourRun(s, epochs, batch, logger->get(), runId);
            logged.push_back(withLog.rate);
            const double writerCpu = (*logger)->writerCpuSeconds() - writerBefore;
            // Logging overhead from back-to-back pairs, signed: machine noise that lasts longer
            // than a pair affects both halves alike, shorter noise shows up on either side.
            overhead.push_back(plain.rate / withLog.rate - 1.0);
            cpuOverhead.push_back(withLog.cpuSeconds / plain.cpuSeconds - 1.0);
            // The same cost by accounting, free of run-to-run noise: the writer thread's CPU time
            // plus the trainer thread's queue pushes, against the process CPU time of the run.
            const double steps = std::ceil(double(s.x.size(0)) / batch) * epochs;
            loggingShare.push_back((writerCpu + 2 * steps * pushCost) / withLog.cpuSeconds);

            double wall = 0;
            const QJsonObject t = runMlwb({QStringLiteral("train"), cliProject, QStringLiteral("--model"), kind,
                                        QStringLiteral("--epochs"), QString::number(epochs),
                                        QStringLiteral("--batch_size"), QString::number(batch),
                                        QStringLiteral("--threads"), QString::number(runtime.threads),
                                        QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--json")},
                                       &wall);
            const QJsonObject m = t.value(QStringLiteral("metrics")).toObject();
            cliWall.push_back(wall);
            endToEnd.push_back(double(cliTrainRows) * epochs / wall);
            cliLoop.push_back(m.value(QStringLiteral("samples_per_sec")).toDouble());
            cliTrainPhase.push_back(m.value(QStringLiteral("train_seconds")).toDouble());
            if (havePython) {
                // As users run it (glibc defaults), and with the allocator settings our runtime uses.
                for (const bool tuned : {false, true}) {
                    QProcess py;
                    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
                    if (tuned) {
                        env.insert(QStringLiteral("MALLOC_MMAP_THRESHOLD_"), QString::number(64 << 20));
                        env.insert(QStringLiteral("MALLOC_TRIM_THRESHOLD_"), QString::number(256 << 20));
                        env.insert(QStringLiteral("MALLOC_TOP_PAD_"), QString::number(64 << 20));
                    }
                    py.setProcessEnvironment(env);
                    py.start(QStringLiteral("/usr/bin/python3"),
                             {QStringLiteral("-c"), QString::fromUtf8(kPython), specPath, xPath, yPath,
                              QString::number(s.x.size(0)),
                              QString::number(pre->featureCount()), QString::number(epochs),
                              QString::number(batch), QString::number(runtime.threads)});
                    py.waitForFinished(-1);
                    const double rate = py.readAllStandardOutput().trimmed().toDouble();
                    if (rate <= 0) {
                        std::fprintf(stderr, "python failed: %s\n", py.readAllStandardError().constData());
                        return 1;
                    }
                    (tuned ? pythonTuned : python).push_back(rate);
                }
            }
        }
        const double o = median(ours), l = median(logged);
        const std::string name = kind.toStdString();
        std::printf("\n%s (%s parameters)\n", qPrintable(kind),
                    qPrintable(QString::number(ModelCompiler::compile(s.spec, 1)->parameterCount())));
        std::printf("  ours, the bare loop:  %9.0f samples/s (Trainer on tensors in memory, no logging)\n", o);
        const double goal = kind == u"mlp" ? 1.2 : 1.0;
        if (havePython) {
            const double p = median(python);
            const double pt = median(pythonTuned);
            std::printf("  PyTorch/Python:       %9.0f samples/s (glibc malloc defaults, as users run it)\n", p);
            std::printf("  PyTorch/Python:       %9.0f samples/s (with our malloc settings in MALLOC_* variables)\n", pt);
            goals.atLeast(name + ": bare loop / PyTorch in Python", o / p, goal, "x");
            goals.atLeast(name + ": bare loop / PyTorch in Python, same malloc", o / pt, goal, "x");
        } else {
            std::printf("  PyTorch/Python:       not available (/usr/bin/python3 has no torch)\n");
            goals.atLeast(name + ": bare loop / PyTorch in Python", std::nan(""), goal, "x");
        }
        std::printf("  with metric logging (loss + lr every step): %.0f samples/s; overhead, signed, "
                    "median of %d back-to-back pairs: %+.2f%% of wall time, %+.2f%% of process CPU time\n",
                    l, reps, median(overhead) * 100.0, median(cpuOverhead) * 100.0);
        goals.atMost(name + ": logging CPU (writer + pushes) / run's CPU", median(loggingShare) * 100.0, 1.0, "%");
        const double e2e = median(endToEnd);
        std::printf("  `mlwb train` end to end: %9.0f samples/s (%lld training rows x %d epochs in %.2f s of "
                    "wall time) = %.2fx the bare loop\n",
                    e2e, static_cast<long long>(cliTrainRows), epochs, median(cliWall), e2e / o);
        std::printf("    of which training (epochs, validation, checkpoints, logging) %.2f s, its loop %.0f "
                    "samples/s; start, data load, final evaluation and model save %.2f s\n",
                    median(cliTrainPhase), median(cliLoop), median(cliWall) - median(cliTrainPhase));
    }
    (void)(*logger)->flush();
    return goals.exitCode();
}
