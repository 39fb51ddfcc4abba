// SPDX-License-Identifier: MIT
// Training benchmark: samples/s of our trainer against the same model, data, batch size,
// optimiser and thread count trained by PyTorch in Python (python3-torch, same libtorch),
// measured in the same run, for the digits MLP and the digits CNN; and the metric-logging
// overhead as a share of step time.
//   bench_train [--quick] [--epochs N] [--threads N]

#include "data/csv_importer.h"
#include "data/dataset_split.h"
#include "data/preprocessing.h"
#include "model/model_compiler.h"
#include "model/model_templates.h"
#include "store/metric_logger.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "train/model_runner.h"
#include "train/torch_runtime.h"
#include "train/trainer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <cstdio>

using namespace mlwb;

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
    TrainingTensors data;
};

double ourRate(const Setup &s, int epochs, int batch, MetricLogger *logger, qint64 run)
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
    auto outcome = Trainer(*module, s.data, config, hooks).run();
    if (!outcome) {
        std::fprintf(stderr, "%s\n", qPrintable(outcome.error()));
        std::exit(1);
    }
    return outcome->samplesPerSecond;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
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
    const qint64 modelId = *models.add({0, QStringLiteral("bench"), QStringLiteral("spec"), 0, {}, {}});
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

    int status = 0;
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
        s.data.xTrain = ModelRunner::inputs(*pre, data->table, rows);
        s.data.yTrain = ModelRunner::targets(*pre, data->table, rows);
        s.data.classes = pre->outputCount();

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
            fx.write(reinterpret_cast<const char *>(s.data.xTrain.data_ptr<float>()),
                     qint64(s.data.xTrain.numel() * 4));
            QFile fy(yPath);
            fy.open(QIODevice::WriteOnly);
            fy.write(reinterpret_cast<const char *>(s.data.yTrain.data_ptr<int64_t>()),
                     qint64(s.data.yTrain.numel() * 8));
        }

        std::vector<double> ours, python, pythonTuned, logged, overhead, writerCpu, trainSeconds;
        for (int r = 0; r < reps; ++r) {
            ours.push_back(ourRate(s, epochs, batch, nullptr, 0));
            RunRecord run;
            run.modelVersionId = versionId;
            const qint64 runId = *RunRepository((*project)->db()).create(run);
            const double cpuBefore = (*logger)->writerCpuSeconds();
            logged.push_back(ourRate(s, epochs, batch, logger->get(), runId));
            (void)(*logger)->flush();
            writerCpu.push_back((*logger)->writerCpuSeconds() - cpuBefore);
            trainSeconds.push_back(double(epochs) * double(s.data.xTrain.size(0)) / logged.back());
            // Logging overhead from back-to-back pairs: machine noise that lasts longer than a
            // pair affects both halves alike.
            overhead.push_back(ours.back() / logged.back() - 1.0);
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
                              QString::number(s.data.xTrain.size(0)),
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
        std::printf("\n%s (%s parameters)\n", qPrintable(kind),
                    qPrintable(QString::number(ModelCompiler::parameterCount(*ModelCompiler::compile(s.spec, 1)))));
        std::printf("  ours:            %9.0f samples/s\n", o);
        if (havePython) {
            const double p = median(python);
            const double pt = median(pythonTuned);
            const double goal = kind == u"mlp" ? 1.2 : 1.0;
            std::printf("  PyTorch/Python:  %9.0f samples/s (glibc malloc defaults, as users run it)\n", p);
            std::printf("  ratio:           %9.2fx (goal >= %.1fx)\n", o / p, goal);
            std::printf("  PyTorch/Python:  %9.0f samples/s (with our malloc settings in MALLOC_* variables)\n", pt);
            std::printf("  ratio:           %9.2fx (goal >= %.1fx)\n", o / pt, goal);
        } else {
            std::printf("  PyTorch/Python:  not available (/usr/bin/python3 has no torch)\n");
        }
        std::printf("  with metric logging (loss + lr every step): %.0f samples/s, overhead %.2f%% of step time\n",
                    l, std::max(0.0, median(overhead) * 100.0));
        // The same cost by accounting, free of run-to-run noise: the writer thread's CPU time
        // plus the trainer thread's queue pushes, against the CPU time training had.
        const double steps = std::ceil(double(s.data.xTrain.size(0)) / batch) * epochs;
        const double pushSeconds = 2 * steps * pushCost;
        const double share = (median(writerCpu) + pushSeconds) / (median(trainSeconds) * runtime.threads);
        std::printf("  logging CPU time: %.2f%% of the training's (writer thread %.1f ms + queue pushes %.2f ms "
                    "over %.2f s x %d threads)\n",
                    share * 100.0, median(writerCpu) * 1e3, pushSeconds * 1e3, median(trainSeconds),
                    runtime.threads);
    }
    (void)(*logger)->flush();
    return status;
}
