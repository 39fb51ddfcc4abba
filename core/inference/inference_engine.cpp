// SPDX-License-Identifier: MIT
#include "inference/inference_engine.h"

#include "common/logging.h"
#include "data/data_table.h"
#include "data/preprocessing.h"
#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "inference/detail/model_runner.h"
#include "inference/loaded_model.h"
#include "inference/torch_error.h"

#include <QJsonDocument>

#include <torch/torch.h>

#include <cmath>
#include <mutex>

namespace mlwb {

namespace {

// One layer of the matrix-vector route.
struct Step {
    enum class Kind { Linear, Relu, LeakyRelu, Tanh, Sigmoid, Gelu };
    Kind kind = Kind::Linear;
    at::Tensor weight; // [out, in], contiguous
    at::Tensor bias;   // [out], or undefined
    int64_t width = 0; // outputs of this step
    double slope = 0;
};

// The route for a module compiled from a spec whose layers are all Linear, element-wise
// activations, or no-ops in eval mode (Dropout, Flatten); empty when any layer is something
// else. The parameters are the module's own tensors ("l<i>_weight", "l<i>_bias").
std::vector<Step> matrixVectorPlan(const torch::jit::Module &module, int64_t inputWidth)
{
    const QByteArray specJson = ModelRunner::specJson(module);
    if (specJson.isEmpty())
        return {};
    const QJsonObject spec = QJsonDocument::fromJson(specJson).object();
    std::vector<Step> plan;
    int64_t width = inputWidth;
    const QJsonArray layers = spec.value(QStringLiteral("layers")).toArray();
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QJsonObject layer = layers.at(i).toObject();
        const QString type = layer.value(QStringLiteral("type")).toString();
        Step s;
        if (type == QLatin1String("Linear")) {
            const std::string prefix = "l" + std::to_string(i);
            if (!module.hasattr(prefix + "_weight"))
                return {};
            s.weight = module.attr(prefix + "_weight").toTensor().detach().contiguous();
            if (module.hasattr(prefix + "_bias"))
                s.bias = module.attr(prefix + "_bias").toTensor().detach().contiguous();
            if (s.weight.dim() != 2 || s.weight.size(1) != width || s.weight.scalar_type() != at::kFloat)
                return {};
            s.width = s.weight.size(0);
        } else if (type == QLatin1String("ReLU")) {
            s.kind = Step::Kind::Relu;
        } else if (type == QLatin1String("LeakyReLU") && layer.value(QStringLiteral("slope")).isDouble()) {
            s.kind = Step::Kind::LeakyRelu;
            s.slope = layer.value(QStringLiteral("slope")).toDouble();
        } else if (type == QLatin1String("Tanh")) {
            s.kind = Step::Kind::Tanh;
        } else if (type == QLatin1String("Sigmoid")) {
            s.kind = Step::Kind::Sigmoid;
        } else if (type == QLatin1String("GELU")) {
            s.kind = Step::Kind::Gelu;
        } else if (type == QLatin1String("Dropout") || type == QLatin1String("Flatten")) {
            continue;
        } else {
            return {};
        }
        if (s.kind != Step::Kind::Linear)
            s.width = width;
        width = s.width;
        plan.push_back(std::move(s));
    }
    if (plan.empty() || plan.front().kind != Step::Kind::Linear)
        return {};
    return plan;
}

// One thread's buffers: the matrix-vector route's activations and a batch's model inputs.
struct Scratch {
    at::Tensor input;                // [inputWidth]
    std::vector<at::Tensor> outputs; // one per Linear and GELU step
    at::Tensor probabilities;        // [outputWidth]
    std::vector<float> batch;        // rows x inputWidth, grown as needed
};

} // namespace

struct InferenceEngine::Impl {
    LoadedModel model;
    const Preprocessing *pre = nullptr;
    QString source;
    std::vector<int64_t> inputShape;
    int64_t inputWidth = 0;
    int64_t outputWidth = 0;
    std::vector<Step> plan; // empty: every request through forward

    mutable std::mutex poolMutex;
    mutable std::vector<std::unique_ptr<Scratch>> pool;

    explicit Impl(LoadedModel m) : model(std::move(m)) {}

    // An eval-mode module runs from several threads at once (LoadedModel::Impl).
    torch::jit::Module &module() const { return ModelRunner::module(const_cast<LoadedModel &>(model)); }

    std::unique_ptr<Scratch> makeScratch() const
    {
        auto s = std::make_unique<Scratch>();
        s->input = at::empty({inputWidth}, at::kFloat);
        for (const Step &step : plan) {
            if (step.kind == Step::Kind::Linear || step.kind == Step::Kind::Gelu)
                s->outputs.push_back(at::empty({step.width}, at::kFloat));
        }
        s->probabilities = at::empty({outputWidth}, at::kFloat);
        return s;
    }

    // A thread's buffers for the length of one request.
    struct Lease {
        const Impl *impl;
        std::unique_ptr<Scratch> scratch;
        Lease(const Impl *i, std::unique_ptr<Scratch> s) : impl(i), scratch(std::move(s)) {}
        Lease(Lease &&) noexcept = default;
        ~Lease()
        {
            if (!scratch)
                return;
            std::lock_guard lock(impl->poolMutex);
            impl->pool.push_back(std::move(scratch));
        }
        Scratch *operator->() const { return scratch.get(); }
    };
    Lease lease() const
    {
        {
            std::lock_guard lock(poolMutex);
            if (!pool.empty()) {
                Lease l{this, std::move(pool.back())};
                pool.pop_back();
                return l;
            }
        }
        return Lease{this, makeScratch()};
    }

    // The route for one preprocessed row already in s.input; returns the last activation.
    const at::Tensor &runPlan(Scratch &s) const
    {
        const at::Tensor *x = &s.input;
        size_t buffer = 0;
        for (const Step &step : plan) {
            switch (step.kind) {
            case Step::Kind::Linear: {
                at::Tensor &out = s.outputs[buffer++];
                if (step.bias.defined())
                    at::addmv_out(out, step.bias, step.weight, *x);
                else
                    at::mv_out(out, step.weight, *x);
                x = &out;
                break;
            }
            // The in-place forms change the previous Linear's output, which nothing reads again.
            case Step::Kind::Relu:
                at::relu_(const_cast<at::Tensor &>(*x));
                break;
            case Step::Kind::LeakyRelu:
                at::leaky_relu_(const_cast<at::Tensor &>(*x), step.slope);
                break;
            case Step::Kind::Tanh:
                at::tanh_(const_cast<at::Tensor &>(*x));
                break;
            case Step::Kind::Sigmoid:
                at::sigmoid_(const_cast<at::Tensor &>(*x));
                break;
            case Step::Kind::Gelu: {
                at::Tensor &out = s.outputs[buffer++];
                at::gelu_out(out, *x);
                x = &out;
                break;
            }
            }
        }
        return *x;
    }

    Status finish(const float *values, int64_t rows, int64_t width, Prediction &out,
                  Scratch *scratch) const
    {
        if (width != outputWidth)
            return invalidInput(QStringLiteral("%1 gives %2 outputs per row; its preprocessing expects %3")
                                    .arg(source)
                                    .arg(width)
                                    .arg(outputWidth));
        out.rows = rows;
        out.width = width;
        const size_t n = size_t(rows * width);
        out.outputs.resize(n);
        if (pre->task() != TaskKind::Classification) {
            for (size_t i = 0; i < n; ++i)
                out.outputs[i] = float(pre->unscaleTarget(values[i]));
            out.probabilities.clear();
            out.classes.clear();
            return {};
        }
        std::copy(values, values + n, out.outputs.begin());
        out.probabilities.resize(n);
        out.classes.resize(size_t(rows));
        // torch.softmax's own arithmetic, as evaluation computes it.
        const at::Tensor logits = at::from_blob(out.outputs.data(), {rows, width}, at::kFloat);
        if (rows == 1 && scratch) {
            at::_softmax_out(scratch->probabilities, logits.view({width}), 0, false);
            const float *p = scratch->probabilities.data_ptr<float>();
            std::copy(p, p + n, out.probabilities.begin());
        } else {
            const at::Tensor p = at::softmax(logits, 1).contiguous();
            std::copy(p.data_ptr<float>(), p.data_ptr<float>() + n, out.probabilities.begin());
        }
        for (int64_t r = 0; r < rows; ++r) {
            const float *row = out.outputs.data() + r * width;
            int64_t best = 0;
            for (int64_t c = 1; c < width; ++c) {
                // NaN never wins; a row of NaN names class 0 and shows its NaN probabilities.
                if (row[c] > row[best] || std::isnan(row[best]))
                    best = c;
            }
            out.classes[size_t(r)] = best;
        }
        return {};
    }

    Status forward(const float *x, int64_t rows, Prediction &out) const
    {
        try {
            c10::InferenceMode guard;
            std::vector<int64_t> shape{rows};
            shape.insert(shape.end(), inputShape.begin(), inputShape.end());
            const at::Tensor input = at::from_blob(const_cast<float *>(x), shape, at::kFloat);
            const at::Tensor y = module().forward({input}).toTensor();
            const at::Tensor flat = y.to(at::kFloat).contiguous();
            const int64_t width = rows == 0 ? 0 : flat.numel() / rows;
            if (flat.dim() == 0 || flat.size(0) != rows)
                return invalidInput(QStringLiteral("%1 returned %2 rows for %3").arg(source).arg(flat.dim() ? flat.size(0) : 1).arg(rows));
            return finish(flat.data_ptr<float>(), rows, width, out, nullptr);
        } catch (const std::exception &e) {
            return invalidInput(QStringLiteral("%1: forward failed: %2").arg(source, torchErrorMessage(e)));
        }
    }

    Status byPlan(Scratch &s, Prediction &out) const
    {
        try {
            c10::InferenceMode guard;
            const at::Tensor &y = runPlan(s);
            return finish(y.data_ptr<float>(), 1, y.size(0), out, &s);
        } catch (const std::exception &e) {
            return invalidInput(QStringLiteral("%1: inference failed: %2").arg(source, torchErrorMessage(e)));
        }
    }
};

InferenceEngine::InferenceEngine(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
InferenceEngine::InferenceEngine(InferenceEngine &&) noexcept = default;
InferenceEngine &InferenceEngine::operator=(InferenceEngine &&) noexcept = default;
InferenceEngine::~InferenceEngine() = default;

Result<InferenceEngine> InferenceEngine::fromArchive(const QByteArray &bytes, const QString &source)
{
    auto model = LoadedModel::fromArchive(bytes, source);
    if (!model)
        return model.failure();
    return create(std::move(*model), source);
}

Result<InferenceEngine> InferenceEngine::create(LoadedModel model, const QString &source)
{
    if (!model.preprocessing())
        return invalidInput(QStringLiteral("%1 has no preprocessing: only models trained in the workbench "
                                           "(or exported by it) can serve raw rows")
                                .arg(source));
    auto impl = std::make_unique<Impl>(std::move(model));
    impl->pre = impl->model.preprocessing();
    impl->source = source;
    for (qint64 s : impl->pre->inputShape())
        impl->inputShape.push_back(s);
    impl->inputWidth = impl->pre->featureCount();
    impl->outputWidth = impl->pre->outputCount();
    if (impl->inputWidth < 1)
        return invalidInput(QStringLiteral("%1: the preprocessing has no input features").arg(source));
    try {
        impl->plan = matrixVectorPlan(impl->module(), impl->inputWidth);
        if (!impl->plan.empty() && impl->plan.back().width != impl->outputWidth)
            impl->plan.clear();
    } catch (const std::exception &e) {
        qCWarning(lcModel).noquote() << QStringLiteral("%1: no matrix-vector route (%2)").arg(source, torchErrorMessage(e));
        impl->plan.clear();
    }

    // A probe row through forward (which also warms TorchScript's executor: its first calls are
    // far slower than later ones) and, when there is one, through the matrix-vector route.
    std::vector<float> probe(size_t(impl->inputWidth));
    for (size_t i = 0; i < probe.size(); ++i)
        probe[i] = float(std::sin(double(i) * 1.7 + 0.3) * 1.5);
    Prediction byForward;
    for (int i = 0; i < 3; ++i) {
        if (auto s = impl->forward(probe.data(), 1, byForward); !s)
            return s.failure();
    }
    if (!impl->plan.empty()) {
        auto scratch = impl->lease();
        std::copy(probe.begin(), probe.end(), scratch->input.data_ptr<float>());
        Prediction byPlan;
        bool same = bool(impl->byPlan(*scratch.scratch, byPlan)) &&
                    byPlan.outputs.size() == byForward.outputs.size();
        for (size_t i = 0; same && i < byPlan.outputs.size(); ++i) {
            const double a = byPlan.outputs[i], b = byForward.outputs[i];
            same = std::abs(a - b) <= 1e-4 * (1 + std::abs(b));
        }
        if (!same) {
            qCWarning(lcModel).noquote()
                << QStringLiteral("%1: the matrix-vector route disagrees with forward on a probe row; "
                                  "serving every request through forward")
                       .arg(source);
            impl->plan.clear();
        }
    }
    return InferenceEngine(std::move(impl));
}

const Preprocessing &InferenceEngine::preprocessing() const { return *d->pre; }
const LoadedModel &InferenceEngine::model() const { return d->model; }
qint64 InferenceEngine::featureCount() const { return qint64(d->pre->features().size()); }
qint64 InferenceEngine::inputWidth() const { return d->inputWidth; }
qint64 InferenceEngine::outputWidth() const { return d->outputWidth; }
bool InferenceEngine::isClassification() const { return d->pre->task() == TaskKind::Classification; }
bool InferenceEngine::matrixVectorRoute() const { return !d->plan.empty(); }

QStringList InferenceEngine::featureNames() const
{
    QStringList names;
    for (const FeatureTransform &f : d->pre->features())
        names << f.name;
    return names;
}

QStringList InferenceEngine::outputLabels() const
{
    return isClassification() ? d->pre->classNames() : QStringList{d->pre->targetName()};
}

Status InferenceEngine::predictRaw(std::span<const float> raw, qint64 rows, Prediction &out) const
{
    const qint64 features = featureCount();
    if (rows < 1)
        return invalidInput(QStringLiteral("no rows to predict"));
    if (qint64(raw.size()) != rows * features)
        return invalidInput(QStringLiteral("%1 values for %2 rows of %3 features: expected %4")
                                .arg(raw.size())
                                .arg(rows)
                                .arg(features)
                                .arg(rows * features));
    auto scratch = d->lease();
    if (rows == 1 && !d->plan.empty()) {
        if (auto s = d->pre->transformRaw(raw.data(), 1, scratch->input.data_ptr<float>()); !s)
            return s;
        return d->byPlan(*scratch.scratch, out);
    }
    std::vector<float> &x = scratch->batch;
    x.resize(size_t(rows * d->inputWidth));
    if (auto s = d->pre->transformRaw(raw.data(), rows, x.data()); !s)
        return s;
    return d->forward(x.data(), rows, out);
}

Result<InferenceEngine::Prediction> InferenceEngine::predictRaw(std::span<const float> raw, qint64 rows) const
{
    Prediction p;
    if (auto s = predictRaw(raw, rows, p); !s)
        return s.failure();
    return p;
}

Status InferenceEngine::predictInputs(std::span<const float> x, qint64 rows, Prediction &out) const
{
    if (rows < 1)
        return invalidInput(QStringLiteral("no rows to predict"));
    if (qint64(x.size()) != rows * d->inputWidth)
        return invalidInput(QStringLiteral("%1 inputs for %2 rows of width %3: expected %4")
                                .arg(x.size())
                                .arg(rows)
                                .arg(d->inputWidth)
                                .arg(rows * d->inputWidth));
    if (rows == 1 && !d->plan.empty()) {
        auto scratch = d->lease();
        std::copy(x.begin(), x.end(), scratch->input.data_ptr<float>());
        return d->byPlan(*scratch.scratch, out);
    }
    return d->forward(x.data(), rows, out);
}

Status InferenceEngine::predictInputsByForward(std::span<const float> x, qint64 rows, Prediction &out) const
{
    if (rows < 1 || qint64(x.size()) != rows * d->inputWidth)
        return invalidInput(QStringLiteral("%1 inputs do not make %2 rows of width %3")
                                .arg(x.size())
                                .arg(rows)
                                .arg(d->inputWidth));
    return d->forward(x.data(), rows, out);
}

Result<InferenceEngine::Prediction> InferenceEngine::predictRecords(const QJsonArray &records) const
{
    if (records.isEmpty())
        return invalidInput(QStringLiteral("no records to predict"));
    std::vector<float> x(size_t(records.size() * d->inputWidth));
    for (qsizetype i = 0; i < records.size(); ++i) {
        if (!records.at(i).isObject())
            return invalidInput(QStringLiteral("record %1 is not a JSON object of feature values").arg(i));
        if (auto s = d->pre->transformRecord(records.at(i).toObject(), x.data() + i * d->inputWidth); !s)
            return s.failure().reworded(QStringLiteral("record %1: %2").arg(i).arg(s.error()));
    }
    Prediction p;
    if (auto s = predictInputs(x, records.size(), p); !s)
        return s.failure();
    return p;
}

std::vector<float> InferenceEngine::rawRows(const DataTable &table, const std::vector<qint64> &rows) const
{
    std::vector<float> raw;
    raw.reserve(rows.size() * d->pre->features().size());
    for (qint64 r : rows) {
        for (const FeatureTransform &f : d->pre->features())
            raw.push_back(float(table.columnData(f.column)[size_t(r)]));
    }
    return raw;
}

Result<QJsonObject> InferenceEngine::evaluateRaw(const DataTable &table, const std::vector<qint64> &rows) const
{
    if (rows.empty())
        return invalidInput(QStringLiteral("nothing to evaluate: no rows"));
    if (auto s = d->pre->checkTable(table); !s)
        return s.failure();
    Prediction p;
    if (auto s = predictRaw(rawRows(table, rows), qint64(rows.size()), p); !s)
        return s.failure();
    if (isClassification()) {
        const std::vector<qint64> labels = d->pre->classTargets(table, rows);
        auto result = ClassificationEvaluator::evaluate(p.probabilities, labels, d->pre->classNames());
        if (!result)
            return result.failure();
        return result->toJson();
    }
    const std::vector<double> &stored = table.columnData(d->pre->targetColumn());
    std::vector<double> predictions(p.outputs.begin(), p.outputs.end()), targets;
    for (qint64 r : rows)
        targets.push_back(stored[size_t(r)]);
    auto result = RegressionEvaluator::evaluate(std::span<const double>(predictions), std::span<const double>(targets));
    if (!result)
        return result.failure();
    return result->toJson();
}

QJsonObject InferenceEngine::rowJson(const Prediction &p, qint64 row) const
{
    QJsonObject o;
    // JSON has no NaN or infinity: they are shown as the strings JavaScript prints for them.
    const auto number = [](double v) {
        return std::isfinite(v) ? QJsonValue(v)
            : std::isnan(v)     ? QJsonValue(QStringLiteral("NaN"))
                                : QJsonValue(v > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity"));
    };
    if (!isClassification()) {
        o.insert(QStringLiteral("prediction"), number(p.outputs[size_t(row)]));
        return o;
    }
    const QStringList labels = d->pre->classNames();
    const qint64 c = p.classes[size_t(row)];
    o.insert(QStringLiteral("class"), c);
    o.insert(QStringLiteral("label"), labels.value(int(c)));
    QJsonObject probs;
    QJsonArray logits;
    for (qint64 k = 0; k < p.width; ++k) {
        const size_t i = size_t(row * p.width + k);
        probs.insert(labels.value(int(k), QString::number(k)), number(p.probabilities[i]));
        logits.append(number(p.outputs[i]));
    }
    o.insert(QStringLiteral("probabilities"), probs);
    o.insert(QStringLiteral("logits"), logits);
    return o;
}

} // namespace mlwb
