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

#include <omp.h>

namespace mlwb {

namespace {

// The two BLAS routines the plan calls, from the library libtorch itself uses (libblas.so.3:
// OpenBLAS here, see TorchRuntime); declared here because Debian ships cblas.h only with the
// -dev packages of the BLAS implementations.
namespace blas {
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
extern "C" {
void cblas_sgemv(int order, int trans, int m, int n, float alpha, const float *a, int lda, const float *x, int incx,
                 float beta, float *y, int incy);
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
}
inline constexpr auto sgemv = cblas_sgemv;
inline constexpr auto sgemm = cblas_sgemm;
} // namespace blas

// For the length of a scope, OpenMP (and so OpenBLAS, which asks omp_get_max_threads() on every
// call) uses one thread on this thread; the setting is per thread.
class SingleThreadedBlas {
public:
    SingleThreadedBlas() : m_before(omp_get_max_threads())
    {
        if (m_before != 1)
            omp_set_num_threads(1);
    }
    ~SingleThreadedBlas()
    {
        if (m_before != 1)
            omp_set_num_threads(m_before);
    }
    SingleThreadedBlas(const SingleThreadedBlas &) = delete;
    SingleThreadedBlas &operator=(const SingleThreadedBlas &) = delete;

private:
    int m_before;
};

// One layer of the matrix-vector route.
struct Step {
    enum class Kind { Linear, Relu, LeakyRelu, Tanh, Sigmoid, Gelu };
    Kind kind = Kind::Linear;
    at::Tensor weight; // [out, in], contiguous float, the module's own
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
            if (s.bias.defined() && (s.bias.dim() != 1 || s.bias.size(0) != s.width || s.bias.scalar_type() != at::kFloat))
                return {};
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

// Batches up to this size take the plan too (addmm into buffers kept per thread); larger ones,
// such as a whole split, take forward, which holds no buffers between calls.
constexpr int64_t kMaxPlanRows = 256;

// Activations of the plan for one batch size: the input and one output per Linear and GELU step.
struct Buffers {
    int64_t rows = 0;
    std::vector<float> input; // rows x inputWidth
    std::vector<std::vector<float>> outputs;
};

// One thread's buffers: single rows, the last batch size seen, and a batch's model inputs for
// forward.
struct Scratch {
    Buffers single;
    Buffers batch;
    std::vector<float> inputs; // rows x inputWidth, grown as needed
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

    Buffers makeBuffers(int64_t rows) const
    {
        Buffers b;
        b.rows = rows;
        b.input.resize(size_t(rows * inputWidth));
        for (const Step &step : plan) {
            if (step.kind == Step::Kind::Linear || step.kind == Step::Kind::Gelu)
                b.outputs.emplace_back(size_t(rows * step.width));
        }
        return b;
    }

    std::unique_ptr<Scratch> makeScratch() const
    {
        auto s = std::make_unique<Scratch>();
        if (!plan.empty())
            s->single = makeBuffers(1);
        return s;
    }

    // The plan's buffers for `rows` (made anew only when the batch size changes).
    Buffers &buffers(Scratch &s, int64_t rows) const
    {
        if (rows == 1)
            return s.single;
        if (s.batch.rows != rows)
            s.batch = makeBuffers(rows);
        return s.batch;
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

    // The plan on rows already in b.input; returns the last activation (rows x outputWidth).
    // Straight to BLAS, as addmv and addmm reach it (sgemv for one row, sgemm for a batch, on
    // the same OpenBLAS libtorch uses), so the results are the ones forward gives; the
    // activations run in place on the Linear outputs. No dispatcher, interpreter or tensor is
    // involved: that is what a single row costs there.
    const float *runPlan(Buffers &b) const
    {
        // OpenBLAS (its OpenMP build) splits a matrix-vector product over the calling thread's
        // OpenMP team once the matrix passes a few thousand elements; for a request that hand-off
        // costs more than the product, and from a server's worker threads it starts a team per
        // thread. A request's BLAS calls run on the thread that makes it.
        const SingleThreadedBlas singleThreaded;
        const float *x = b.input.data();
        int64_t in = inputWidth;
        size_t buffer = 0;
        const int64_t rows = b.rows;
        for (const Step &step : plan) {
            const int64_t n = rows * step.width;
            switch (step.kind) {
            case Step::Kind::Linear: {
                float *y = b.outputs[buffer++].data();
                const float *w = step.weight.data_ptr<float>();
                if (step.bias.defined()) {
                    const float *bias = step.bias.data_ptr<float>();
                    for (int64_t r = 0; r < rows; ++r)
                        std::copy(bias, bias + step.width, y + r * step.width);
                }
                const float beta = step.bias.defined() ? 1.0f : 0.0f;
                if (rows == 1)
                    blas::sgemv(blas::kRowMajor, blas::kNoTrans, int(step.width), int(in), 1.0f, w, int(in), x, 1, beta, y, 1);
                else
                    blas::sgemm(blas::kRowMajor, blas::kNoTrans, blas::kTrans, int(rows), int(step.width), int(in), 1.0f, x,
                                int(in), w, int(in), beta, y, int(step.width));
                x = y;
                in = step.width;
                break;
            }
            case Step::Kind::Relu:
                for (float *v = const_cast<float *>(x), *end = v + n; v != end; ++v)
                    *v = *v > 0 || std::isnan(*v) ? *v : 0.0f;
                break;
            case Step::Kind::LeakyRelu:
                for (float *v = const_cast<float *>(x), *end = v + n; v != end; ++v)
                    *v = *v > 0 ? *v : float(*v * step.slope);
                break;
            case Step::Kind::Tanh:
                for (float *v = const_cast<float *>(x), *end = v + n; v != end; ++v)
                    *v = std::tanh(*v);
                break;
            case Step::Kind::Sigmoid:
                for (float *v = const_cast<float *>(x), *end = v + n; v != end; ++v)
                    *v = 1.0f / (1.0f + std::exp(-*v));
                break;
            case Step::Kind::Gelu: {
                float *y = b.outputs[buffer++].data();
                for (int64_t i = 0; i < n; ++i)
                    y[i] = float(0.5 * x[i] * (1.0 + std::erf(x[i] * M_SQRT1_2)));
                x = y;
                break;
            }
            }
        }
        return x;
    }

    Status finish(const float *values, int64_t rows, int64_t width, Prediction &out) const
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
        for (int64_t r = 0; r < rows; ++r) {
            const float *logit = out.outputs.data() + r * width;
            float *p = out.probabilities.data() + r * width;
            // Softmax with the maximum subtracted, in float as torch.softmax computes it. NaN
            // anywhere makes the row's probabilities NaN; so does +inf (inf - inf), as in torch.
            float top = logit[0];
            int64_t best = 0;
            bool nan = std::isnan(top);
            for (int64_t c = 1; c < width; ++c) {
                nan = nan || std::isnan(logit[c]);
                if (logit[c] > top) {
                    top = logit[c];
                    best = c;
                }
            }
            float sum = 0;
            for (int64_t c = 0; c < width; ++c) {
                p[c] = nan ? std::numeric_limits<float>::quiet_NaN() : std::exp(logit[c] - top);
                sum += p[c];
            }
            for (int64_t c = 0; c < width; ++c)
                p[c] /= sum;
            // A row of NaN names class 0 and shows its NaN probabilities.
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
            return finish(flat.data_ptr<float>(), rows, width, out);
        } catch (const std::exception &e) {
            return invalidInput(QStringLiteral("%1: forward failed: %2").arg(source, torchErrorMessage(e)));
        }
    }

    Status byPlan(Buffers &b, Prediction &out) const { return finish(runPlan(b), b.rows, outputWidth, out); }

    bool planTakes(int64_t rows) const { return !plan.empty() && rows <= kMaxPlanRows; }
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

    // Probe rows through forward (which also warms TorchScript's executor: its first calls are
    // far slower than later ones) and, when there is one, through the plan, one row and a batch.
    const int64_t probeRows = 3;
    std::vector<float> probe(size_t(probeRows * impl->inputWidth));
    for (size_t i = 0; i < probe.size(); ++i)
        probe[i] = float(std::sin(double(i) * 1.7 + 0.3) * 1.5);
    Prediction byForward;
    for (int i = 0; i < 3; ++i) {
        if (auto s = impl->forward(probe.data(), probeRows, byForward); !s)
            return s.failure();
    }
    if (!impl->plan.empty()) {
        auto scratch = impl->lease();
        bool same = true;
        for (int64_t rows : {int64_t(1), probeRows}) {
            Buffers &b = impl->buffers(*scratch.scratch, rows);
            std::copy(probe.begin(), probe.begin() + rows * impl->inputWidth, b.input.begin());
            Prediction byPlan;
            same = same && bool(impl->byPlan(b, byPlan)) && byPlan.outputs.size() == size_t(rows * impl->outputWidth);
            for (size_t i = 0; same && i < byPlan.outputs.size(); ++i) {
                const double a = byPlan.outputs[i], f = byForward.outputs[i];
                same = std::abs(a - f) <= 1e-4 * (1 + std::abs(f));
            }
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
    if (d->planTakes(rows)) {
        Buffers &b = d->buffers(*scratch.scratch, rows);
        if (auto s = d->pre->transformRaw(raw.data(), rows, b.input.data()); !s)
            return s;
        return d->byPlan(b, out);
    }
    std::vector<float> &x = scratch->inputs;
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
    if (d->planTakes(rows)) {
        auto scratch = d->lease();
        Buffers &b = d->buffers(*scratch.scratch, rows);
        std::copy(x.begin(), x.end(), b.input.begin());
        return d->byPlan(b, out);
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
