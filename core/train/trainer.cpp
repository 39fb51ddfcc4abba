// SPDX-License-Identifier: MIT
#include "train/trainer.h"

#include "common/logging.h"
#include "data/preprocessing.h"
#include "eval/metric_direction.h"
#include "inference/detail/model_runner.h"
#include "jobs/job_feedback.h"
#include "store/metric_logger.h"

#include <QDataStream>
#include <QElapsedTimer>
#include <QIODevice>
#include <QJsonDocument>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace mlwb {

namespace {

constexpr double kPi = 3.14159265358979323846;

// The tensors of a TrainingData, built once at the start of a run.
struct TrainingTensors {
    torch::Tensor xTrain, yTrain; // y: int64 class codes, or float [N] for regression
    torch::Tensor xVal, yVal;     // undefined: no validation
    bool classification = true;
    int classes = 0;
    double targetStd = 1.0; // regression: report val_mse/val_mae in target units
};

TrainingTensors tensorsOf(const TrainingData &data)
{
    const Preprocessing &pre = *data.preprocessing;
    TrainingTensors t;
    t.xTrain = ModelRunner::inputs(pre, *data.table, data.trainRows);
    t.yTrain = ModelRunner::targets(pre, *data.table, data.trainRows);
    if (!data.valRows.empty()) {
        t.xVal = ModelRunner::inputs(pre, *data.table, data.valRows);
        t.yVal = ModelRunner::targets(pre, *data.table, data.valRows);
    }
    t.classification = pre.task() == TaskKind::Classification;
    t.classes = pre.outputCount();
    t.targetStd = pre.targetStd();
    return t;
}

// A checkpoint blob: trainer state (JSON), module archive, optimiser archive.
QByteArray packCheckpoint(const QJsonObject &state, const QByteArray &module,
                          const QByteArray &optimizer)
{
    QByteArray out;
    QDataStream ds(&out, QIODevice::WriteOnly);
    ds << quint32(0x4D4C4350) << quint32(1) << QJsonDocument(state).toJson(QJsonDocument::Compact)
       << module << optimizer;
    return out;
}

Status unpackCheckpoint(const QByteArray &blob, QJsonObject &state, QByteArray &module,
                        QByteArray &optimizer)
{
    QDataStream ds(blob);
    quint32 magic = 0, version = 0;
    QByteArray stateJson;
    ds >> magic >> version >> stateJson >> module >> optimizer;
    if (ds.status() != QDataStream::Ok || magic != 0x4D4C4350 || version != 1)
        return fail(QStringLiteral("not a training checkpoint (damaged or from another program)"));
    state = QJsonDocument::fromJson(stateJson).object();
    return {};
}

// Dropout inside a TorchScript module draws from libtorch's one process-wide CPU generator, and
// TorchScript gives no way to hand it another. Runs side by side (sweep trials, two jobs in the
// workbench) would interleave their draws, so each run keeps its own stream and lends it to the
// process-wide generator for its forward pass, under one lock. Only modules that draw random
// numbers in forward pay for that (the forward passes of such runs then take turns).
std::mutex &randomForwardMutex()
{
    static std::mutex m;
    return m;
}

bool drawsRandomNumbers(const torch::jit::Block *block)
{
    static const std::unordered_set<std::string> kinds = {
        "aten::dropout",   "aten::dropout_",   "aten::feature_dropout", "aten::feature_dropout_",
        "aten::alpha_dropout", "aten::alpha_dropout_", "aten::feature_alpha_dropout",
        "aten::bernoulli", "aten::bernoulli_", "aten::rand",            "aten::rand_like",
        "aten::randn",     "aten::randn_like", "aten::randint",         "aten::randint_like",
        "aten::randperm",  "aten::normal",     "aten::normal_",         "aten::uniform_",
        "aten::multinomial", "aten::rrelu",    "aten::rrelu_",          "aten::exponential_"};
    for (const torch::jit::Node *node : block->nodes()) {
        if (kinds.count(node->kind().toQualString()))
            return true;
        for (const torch::jit::Block *inner : node->blocks())
            if (drawsRandomNumbers(inner))
                return true;
    }
    return false;
}

bool drawsRandomNumbers(const torch::jit::Module &module)
{
    for (const torch::jit::Module &m : module.modules())
        for (const torch::jit::Method &method : m.get_methods())
            if (drawsRandomNumbers(method.graph()->block()))
                return true;
    return false;
}

// While alive, libtorch's default CPU generator produces the run's own stream.
class LentGenerator {
public:
    explicit LentGenerator(at::Generator &own)
        : m_lock(randomForwardMutex()), m_own(own), m_default(at::detail::getDefaultCPUGenerator())
    {
        std::lock_guard g(m_default.mutex());
        m_default.set_state(m_own.get_state());
    }
    ~LentGenerator()
    {
        std::lock_guard g(m_default.mutex());
        m_own.set_state(m_default.get_state());
    }
    LentGenerator(const LentGenerator &) = delete;
    LentGenerator &operator=(const LentGenerator &) = delete;

private:
    std::lock_guard<std::mutex> m_lock;
    at::Generator &m_own;
    at::Generator m_default;
};

QString generatorStateText(const at::Generator &gen)
{
    const at::Tensor state = gen.get_state().contiguous();
    return QString::fromLatin1(
        QByteArray(static_cast<const char *>(state.data_ptr()), qsizetype(state.nbytes())).toBase64());
}

void setGeneratorState(at::Generator &gen, const QString &text)
{
    const QByteArray bytes = QByteArray::fromBase64(text.toLatin1());
    at::Tensor state = torch::empty({bytes.size()}, torch::kUInt8);
    std::memcpy(state.data_ptr(), bytes.constData(), size_t(bytes.size()));
    std::lock_guard g(gen.mutex());
    gen.set_state(state); // throws on a state of the wrong size
}

// The dropout stream's seed: not the shuffle's, so masks and batch order are not correlated.
constexpr quint64 kDropoutSeedSalt = 0x9E3779B97F4A7C15ull;

} // namespace

struct Trainer::Impl {
    torch::jit::Module &module;
    TrainingData source;
    TrainingTensors data; // from `source`, at the start of run()
    TrainingConfig config;
    Hooks hooks;

    std::vector<torch::Tensor> params;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    torch::Tensor classWeights;

    int startEpoch = 0;
    qint64 step = 0;
    double bestMetric = std::nan("");
    int bestEpoch = -1;
    int sinceBest = 0;
    double plateauBest = std::nan("");
    int plateauWait = 0;
    double plateauFactor = 1.0;
    std::vector<torch::Tensor> bestState;

    MetricLogger::Key kLoss = 0, kLr = 0;

    // The run's own random stream for dropout (see LentGenerator); saved in checkpoints.
    at::Generator dropoutGen;
    bool randomForward = false;

    Impl(torch::jit::Module &m, TrainingData d, TrainingConfig c, Hooks h)
        : module(m), source(std::move(d)), config(std::move(c)), hooks(std::move(h)),
          dropoutGen(at::detail::createCPUGenerator(config.seed ^ kDropoutSeedSalt)),
          randomForward(drawsRandomNumbers(module))
    {
    }

    void buildOptimizer()
    {
        params.clear();
        for (const auto &p : module.parameters()) {
            if (p.requires_grad())
                params.push_back(p);
        }
        const auto &c = config;
        if (c.optimizer == u"sgd") {
            optimizer = std::make_unique<torch::optim::SGD>(
                params, torch::optim::SGDOptions(c.learningRate)
                            .momentum(c.momentum)
                            .nesterov(c.nesterov)
                            .weight_decay(c.weightDecay));
        } else if (c.optimizer == u"adamw") {
            optimizer = std::make_unique<torch::optim::AdamW>(
                params, torch::optim::AdamWOptions(c.learningRate)
                            .betas({c.beta1, c.beta2})
                            .weight_decay(c.weightDecay));
        } else {
            optimizer = std::make_unique<torch::optim::Adam>(
                params, torch::optim::AdamOptions(c.learningRate)
                            .betas({c.beta1, c.beta2})
                            .weight_decay(c.weightDecay));
        }
    }

    // A trailing batch of one row is dropped: BatchNorm cannot train on a single sample.
    qint64 stepsPerEpoch() const
    {
        const qint64 n = data.xTrain.size(0);
        if (n > 1 && n % config.batchSize == 1)
            return n / config.batchSize;
        return (n + config.batchSize - 1) / config.batchSize;
    }

    // Learning rate at a global step (step-wise schedules) within an epoch (epoch-wise ones).
    double learningRateAt(qint64 globalStep, int epoch) const
    {
        const auto &c = config;
        const double base = c.learningRate;
        const double total = double(stepsPerEpoch() * c.epochs);
        const double t = std::min(1.0, double(globalStep) / std::max(1.0, total));
        if (c.schedule == u"step")
            return std::max(c.minLearningRate, base * std::pow(c.gamma, epoch / c.stepSize));
        if (c.schedule == u"cosine")
            return c.minLearningRate + (base - c.minLearningRate) * 0.5 * (1.0 + std::cos(kPi * t));
        if (c.schedule == u"onecycle") {
            // Warm up from base/25 to base over 30% of the steps, then anneal to base/1e4.
            constexpr double warm = 0.3;
            const double start = base / 25.0, end = base / 1e4;
            if (t < warm)
                return start + (base - start) * 0.5 * (1.0 - std::cos(kPi * t / warm));
            const double u = (t - warm) / (1.0 - warm);
            return end + (base - end) * 0.5 * (1.0 + std::cos(kPi * u));
        }
        if (c.schedule == u"plateau")
            return std::max(c.minLearningRate, base * plateauFactor);
        return base;
    }

    void setLearningRate(double lr)
    {
        for (auto &group : optimizer->param_groups())
            group.options().set_lr(lr);
    }

    torch::Tensor lossOf(const torch::Tensor &out, const torch::Tensor &y) const
    {
        if (data.classification)
            return torch::nn::functional::cross_entropy(
                out, y, torch::nn::functional::CrossEntropyFuncOptions().weight(classWeights));
        const torch::Tensor pred = out.reshape({-1});
        if (config.loss == u"huber")
            return torch::nn::functional::huber_loss(
                pred, y, torch::nn::functional::HuberLossFuncOptions().delta(config.huberDelta));
        return torch::mse_loss(pred, y);
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        return module.forward({x}).toTensor();
    }

    // The training forward pass: the only one that draws random numbers (dropout).
    torch::Tensor trainingForward(const torch::Tensor &x)
    {
        if (!randomForward)
            return forward(x);
        LentGenerator lent(dropoutGen);
        return forward(x);
    }

    void snapshotBest()
    {
        bestState.clear();
        for (const auto &p : module.parameters())
            bestState.push_back(p.detach().clone());
        for (const auto &b : module.buffers())
            bestState.push_back(b.detach().clone());
    }

    void restoreBest()
    {
        torch::NoGradGuard ng;
        size_t i = 0;
        for (const auto &p : module.parameters())
            p.copy_(bestState[i++]);
        for (const auto &b : module.buffers())
            b.copy_(bestState[i++]);
    }

    // Validation pass in eval mode: loss plus accuracy or regression errors.
    QJsonObject validate()
    {
        QJsonObject m;
        if (!data.xVal.defined() || data.xVal.size(0) == 0)
            return m;
        torch::NoGradGuard ng;
        module.eval();
        const qint64 n = data.xVal.size(0);
        const qint64 chunk = 4096;
        double lossSum = 0, correct = 0, se = 0, ae = 0;
        std::vector<double> preds;
        for (qint64 i = 0; i < n; i += chunk) {
            const qint64 len = std::min(chunk, n - i);
            auto x = data.xVal.narrow(0, i, len);
            auto y = data.yVal.narrow(0, i, len);
            auto out = forward(x);
            lossSum += lossOf(out, y).item<double>() * double(len);
            if (data.classification) {
                correct += out.argmax(1).eq(y).sum().item<double>();
            } else {
                auto diff = out.reshape({-1}) - y;
                se += diff.pow(2).sum().item<double>();
                ae += diff.abs().sum().item<double>();
            }
        }
        module.train();
        m.insert(QStringLiteral("val_loss"), lossSum / double(n));
        if (data.classification) {
            m.insert(QStringLiteral("val_accuracy"), correct / double(n));
        } else {
            const double var = data.yVal.var(/*unbiased=*/false).item<double>();
            const double s2 = data.targetStd * data.targetStd;
            m.insert(QStringLiteral("val_mse"), se / double(n) * s2);
            m.insert(QStringLiteral("val_rmse"), std::sqrt(se / double(n) * s2));
            m.insert(QStringLiteral("val_mae"), ae / double(n) * data.targetStd);
            m.insert(QStringLiteral("val_r2"), var > 0 ? 1.0 - (se / double(n)) / var : 0.0);
        }
        return m;
    }

    QJsonObject state(int nextEpoch) const
    {
        return {{QStringLiteral("next_epoch"), nextEpoch},
                {QStringLiteral("step"), step},
                {QStringLiteral("best_metric"), std::isnan(bestMetric) ? QJsonValue() : bestMetric},
                {QStringLiteral("best_epoch"), bestEpoch},
                {QStringLiteral("since_best"), sinceBest},
                {QStringLiteral("plateau_best"),
                 std::isnan(plateauBest) ? QJsonValue() : plateauBest},
                {QStringLiteral("plateau_wait"), plateauWait},
                {QStringLiteral("plateau_factor"), plateauFactor},
                {QStringLiteral("dropout_rng"), generatorStateText(dropoutGen)}};
    }

    Status saveCheckpoint(const QString &tag, int nextEpoch)
    {
        if (!hooks.checkpoint)
            return {};
        std::ostringstream os;
        torch::serialize::OutputArchive archive;
        optimizer->save(archive);
        archive.save_to(os);
        const std::string opt = os.str();
        auto moduleBytes = ModelRunner::saveModule(module);
        if (!moduleBytes)
            return moduleBytes.failure();
        const QByteArray blob = packCheckpoint(state(nextEpoch), *moduleBytes,
                                               QByteArray(opt.data(), qsizetype(opt.size())));
        return hooks.checkpoint(tag, nextEpoch, step, blob);
    }
};

Trainer::Trainer(LoadedModel &model, TrainingData data, TrainingConfig config, Hooks hooks)
    : d(std::make_unique<Impl>(ModelRunner::module(model), std::move(data), std::move(config),
                               std::move(hooks)))
{
}

Trainer::~Trainer() = default;

Status Trainer::resumeFrom(const QByteArray &checkpoint)
{
    QJsonObject state;
    QByteArray moduleBytes, optimizerBytes;
    if (auto s = unpackCheckpoint(checkpoint, state, moduleBytes, optimizerBytes); !s)
        return s;
    try {
        // Copy the saved weights into our module (same architecture), then the optimiser state.
        auto loaded = ModelRunner::loadModule(moduleBytes);
        if (!loaded)
            return loaded.failure().reworded(QStringLiteral("cannot resume from the checkpoint: %1").arg(loaded.error()));
        const torch::jit::Module &saved = *loaded;
        torch::NoGradGuard ng;
        std::unordered_map<std::string, torch::Tensor> values;
        for (const auto &p : saved.named_parameters())
            values[p.name] = p.value;
        for (const auto &b : saved.named_buffers())
            values[b.name] = b.value;
        auto copyInto = [&](const std::string &name, const torch::Tensor &dst) {
            auto it = values.find(name);
            if (it == values.end() || !it->second.sizes().equals(dst.sizes()))
                throw std::runtime_error("the checkpoint does not match the model (" + name + ")");
            dst.copy_(it->second);
        };
        for (const auto &p : d->module.named_parameters())
            copyInto(p.name, p.value);
        for (const auto &b : d->module.named_buffers())
            copyInto(b.name, b.value);
        d->buildOptimizer();
        torch::serialize::InputArchive archive;
        std::istringstream is(std::string(optimizerBytes.constData(), size_t(optimizerBytes.size())));
        archive.load_from(is);
        d->optimizer->load(archive);
    } catch (const std::exception &e) {
        return fail(QStringLiteral("cannot resume from the checkpoint: %1")
                        .arg(QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0)));
    }
    d->startEpoch = state.value(QStringLiteral("next_epoch")).toInt();
    d->step = qint64(state.value(QStringLiteral("step")).toDouble());
    const QJsonValue best = state.value(QStringLiteral("best_metric"));
    d->bestMetric = best.isDouble() ? best.toDouble() : std::nan("");
    d->bestEpoch = state.value(QStringLiteral("best_epoch")).toInt(-1);
    d->sinceBest = state.value(QStringLiteral("since_best")).toInt();
    const QJsonValue pb = state.value(QStringLiteral("plateau_best"));
    d->plateauBest = pb.isDouble() ? pb.toDouble() : std::nan("");
    d->plateauWait = state.value(QStringLiteral("plateau_wait")).toInt();
    d->plateauFactor = state.value(QStringLiteral("plateau_factor")).toDouble(1.0);
    // Checkpoints written before the dropout stream was saved resume with a fresh stream.
    if (const QString rng = state.value(QStringLiteral("dropout_rng")).toString(); !rng.isEmpty()) {
        try {
            setGeneratorState(d->dropoutGen, rng);
        } catch (const std::exception &e) {
            return fail(QStringLiteral("cannot resume from the checkpoint: its random state is "
                                       "damaged (%1)")
                            .arg(QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0)));
        }
    }
    d->snapshotBest();
    return {};
}

Result<TrainingOutcome> Trainer::run()
{
    Impl &s = *d;
    const TrainingConfig &c = s.config;
    TrainingOutcome outcome;
    try {
        s.data = tensorsOf(s.source);
    } catch (const std::exception &e) {
        return fail(QStringLiteral("cannot build tensors: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    try {
        // No torch::manual_seed: reseeding the process-wide generator would change the streams
        // of runs beside this one. Initial weights come from the compiler's seeded generator,
        // batch order from `gen` below, dropout from the run's own stream.
        if (!s.optimizer)
            s.buildOptimizer();
        if (s.params.empty())
            return fail(QStringLiteral("the model has no trainable parameters"));
        if (s.data.classification && c.classWeights == u"balanced") {
            auto counts = torch::bincount(s.data.yTrain, {}, s.data.classes).to(torch::kFloat);
            s.classWeights = (double(s.data.yTrain.size(0)) / (double(s.data.classes) * counts.clamp_min(1.0)));
        }
        if (s.hooks.logger) {
            s.kLoss = s.hooks.logger->key(QStringLiteral("loss"));
            s.kLr = s.hooks.logger->key(QStringLiteral("lr"));
        }
        const bool hasVal = s.data.xVal.defined() && s.data.xVal.size(0) > 0;
        const QString stopMetric = hasVal ? c.earlyStoppingMetric : QStringLiteral("train_loss");
        const bool earlyStopping = c.patience > 0;
        if (s.bestState.empty())
            s.snapshotBest();

        const qint64 n = s.data.xTrain.size(0);
        const qint64 perEpoch = s.stepsPerEpoch();
        auto gen = at::detail::createCPUGenerator(c.seed);
        // Skip the permutations of epochs already done, so a resumed run shuffles like a fresh one.
        for (int e = 0; e < s.startEpoch; ++e)
            (void)torch::randperm(n, gen);

        s.module.train();
        double totalSamples = 0, totalSeconds = 0;
        for (int epoch = s.startEpoch; epoch < c.epochs; ++epoch) {
            QElapsedTimer epochClock;
            epochClock.start();
            // One gather per epoch; batches are then views, no per-batch copies.
            const auto perm = torch::randperm(n, gen);
            const auto xs = s.data.xTrain.index_select(0, perm);
            const auto ys = s.data.yTrain.index_select(0, perm);
            double lossSum = 0, correct = 0;
            torch::Tensor correctAcc = torch::zeros({}, torch::kLong);
            for (qint64 b = 0; b < perEpoch; ++b) {
                if (s.hooks.feedback && s.hooks.feedback->isCanceled()) {
                    outcome.canceled = true;
                    break;
                }
                const qint64 start = b * c.batchSize;
                const qint64 len = std::min<qint64>(c.batchSize, n - start);
                const auto x = xs.narrow(0, start, len);
                const auto y = ys.narrow(0, start, len);
                const double lr = s.learningRateAt(s.step, epoch);
                s.setLearningRate(lr);
                s.optimizer->zero_grad();
                const auto out = s.trainingForward(x);
                const auto loss = s.lossOf(out, y);
                const double lossValue = loss.item<double>();
                if (!std::isfinite(lossValue) && c.onNonFinite != u"continue") {
                    // Stop before the step: NaN gradients would only spoil the weights. The point
                    // is logged, so the chart shows where the run diverged.
                    if (s.hooks.logger)
                        s.hooks.logger->log(s.hooks.runId, s.kLoss, s.step, lossValue);
                    outcome.diverged = true;
                    outcome.divergedStep = s.step;
                    outcome.divergedEpoch = epoch + 1;
                    outcome.divergedLoss = lossValue;
                    break;
                }
                loss.backward();
                if (c.gradientClip > 0)
                    torch::nn::utils::clip_grad_norm_(s.params, c.gradientClip);
                s.optimizer->step();
                lossSum += lossValue * double(len);
                if (s.data.classification)
                    correctAcc += out.detach().argmax(1).eq(y).sum();
                if (s.hooks.logger && s.step % c.logEverySteps == 0) {
                    s.hooks.logger->log(s.hooks.runId, s.kLoss, s.step, lossValue);
                    s.hooks.logger->log(s.hooks.runId, s.kLr, s.step, lr);
                }
                ++s.step;
                if (s.hooks.feedback && (b % 8 == 0 || b + 1 == perEpoch)) {
                    const double frac = (double(epoch) + double(b + 1) / double(perEpoch)) / c.epochs;
                    s.hooks.feedback->setProgress(
                        frac, QStringLiteral("epoch %1/%2, loss %3")
                                  .arg(epoch + 1)
                                  .arg(c.epochs)
                                  .arg(lossValue, 0, 'g', 4));
                }
            }
            if (outcome.canceled || outcome.diverged)
                break;
            const double trainSeconds = double(epochClock.nsecsElapsed()) / 1e9;
            totalSamples += double(n);
            totalSeconds += trainSeconds;
            correct = double(correctAcc.item<int64_t>());

            QJsonObject m = s.validate();
            m.insert(QStringLiteral("epoch"), epoch + 1);
            m.insert(QStringLiteral("train_loss"), lossSum / double(n));
            if (s.data.classification)
                m.insert(QStringLiteral("train_accuracy"), correct / double(n));
            m.insert(QStringLiteral("samples_per_sec"), double(n) / trainSeconds);
            m.insert(QStringLiteral("epoch_time"), double(epochClock.nsecsElapsed()) / 1e9);
            m.insert(QStringLiteral("lr"), s.learningRateAt(s.step, epoch));
            if (s.hooks.logger) {
                // A run whose curves cannot be stored stops here, not after its last epoch.
                if (Status h = s.hooks.logger->health(); !h)
                    return h.failure().reworded(QStringLiteral("metric points could not be written: %1").arg(h.error()));
                for (auto it = m.begin(); it != m.end(); ++it) {
                    // Per-epoch series are logged at the global step, so every key shares the
                    // step axis; "epoch" maps steps to epochs for charts.
                    const QString key = it.key() == u"lr" ? QStringLiteral("epoch_lr") : it.key();
                    s.hooks.logger->log(s.hooks.runId, key, s.step, it.value().toDouble());
                }
            }
            outcome.lastEpoch = m;
            outcome.epochsRun = epoch + 1;
            if (s.hooks.feedback) {
                // The epoch's numbers as an event (the run tab, later a sweep's table) and a
                // line for the log.
                s.hooks.feedback->post(QStringLiteral("epoch"), m);
                QString line = QStringLiteral("epoch %1/%2: train_loss %3").arg(epoch + 1).arg(c.epochs)
                                   .arg(m.value(QStringLiteral("train_loss")).toDouble(), 0, 'g', 4);
                if (m.contains(QStringLiteral("val_loss")))
                    line += QStringLiteral(", val_loss %1").arg(m.value(QStringLiteral("val_loss")).toDouble(), 0, 'g', 4);
                s.hooks.feedback->log(line);
            }

            // Plateau schedule and early stopping watch the chosen metric.
            const double metric = m.value(stopMetric).toDouble(std::nan(""));
            if (c.schedule == u"plateau") {
                const QString pm = hasVal ? QStringLiteral("val_loss") : QStringLiteral("train_loss");
                const double v = m.value(pm).toDouble();
                if (std::isnan(s.plateauBest) || v < s.plateauBest - 1e-12) {
                    s.plateauBest = v;
                    s.plateauWait = 0;
                } else if (++s.plateauWait >= c.plateauPatience) {
                    s.plateauFactor *= c.gamma;
                    s.plateauWait = 0;
                }
            }
            bool improved = false;
            if (!std::isnan(metric) &&
                (std::isnan(s.bestMetric) || isImprovement(stopMetric, metric, s.bestMetric))) {
                s.bestMetric = metric;
                s.bestEpoch = epoch + 1;
                s.sinceBest = 0;
                improved = true;
                if (earlyStopping && c.restoreBestWeights)
                    s.snapshotBest();
            } else {
                ++s.sinceBest;
            }
            if (improved) {
                if (auto st = s.saveCheckpoint(QStringLiteral("best"), epoch + 1); !st)
                    return st.failure();
            }
            if (auto st = s.saveCheckpoint(QStringLiteral("latest"), epoch + 1); !st)
                return st.failure();
            if (earlyStopping && s.sinceBest >= c.patience) {
                outcome.stoppedEarly = true;
                break;
            }
        }
        if (earlyStopping && c.restoreBestWeights && s.bestEpoch > 0 && !outcome.canceled &&
            !outcome.diverged)
            s.restoreBest();
        s.module.eval();
        outcome.bestEpoch = s.bestEpoch;
        outcome.bestMetric = s.bestMetric;
        outcome.steps = s.step;
        outcome.samplesPerSecond = totalSeconds > 0 ? totalSamples / totalSeconds : 0;
    } catch (const std::exception &e) {
        return fail(QStringLiteral("training failed: %1")
                        .arg(QString::fromLocal8Bit(e.what()).section(u'\n', 0, 1)));
    }
    return outcome;
}

} // namespace mlwb
