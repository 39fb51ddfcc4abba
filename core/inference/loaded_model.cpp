// SPDX-License-Identifier: MIT
#include "inference/loaded_model.h"

#include "data/data_table.h"
#include "data/preprocessing.h"
#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "eval/scored_rows.h"
#include "inference/detail/model_runner.h"
#include "inference/torch_error.h"

#include <QJsonDocument>

#include <torch/torch.h>

#include <optional>

namespace mlwb {

namespace {
constexpr const char *kPreprocessingFile = ModelRunner::kPreprocessingFile;

LoadedModel::Outputs outputsOf(const torch::Tensor &out)
{
    const torch::Tensor flat = out.to(torch::kFloat).contiguous();
    LoadedModel::Outputs o;
    o.rows = flat.dim() == 0 ? 1 : flat.size(0);
    o.width = o.rows == 0 ? 0 : flat.numel() / o.rows;
    const float *p = flat.data_ptr<float>();
    o.values.assign(p, p + flat.numel());
    return o;
}
} // namespace

LoadedModel::LoadedModel(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
LoadedModel::LoadedModel(LoadedModel &&) noexcept = default;
LoadedModel &LoadedModel::operator=(LoadedModel &&) noexcept = default;
LoadedModel::~LoadedModel() = default;

Result<LoadedModel> LoadedModel::fromArchive(const QByteArray &bytes, const QString &sourceName)
{
    torch::jit::ExtraFilesMap extra{{kPreprocessingFile, std::string()}};
    auto module = ModelRunner::loadModule(bytes, &extra);
    if (!module)
        return module.failure().reworded(QStringLiteral("%1: %2").arg(sourceName, module.error()));
    const std::string &preJson = extra[kPreprocessingFile];
    std::optional<Preprocessing> pre;
    if (!preJson.empty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(preJson), &error);
        if (!doc.isObject())
            return corrupt(QStringLiteral("%1: %2 is not a JSON object (%3)")
                               .arg(sourceName, QLatin1StringView(kPreprocessingFile), error.errorString()));
        auto parsed = Preprocessing::fromJson(doc.object());
        if (!parsed)
            return parsed.failure().reworded(
                QStringLiteral("%1: the model's preprocessing: %2").arg(sourceName, parsed.error()));
        pre = std::move(*parsed);
    }
    return ModelRunner::wrap(std::move(*module), std::move(pre));
}

Result<QByteArray> LoadedModel::toArchive() const
{
    torch::jit::ExtraFilesMap extra;
    if (d->preprocessing)
        extra[kPreprocessingFile] =
            QJsonDocument(d->preprocessing->toJson()).toJson(QJsonDocument::Indented).toStdString();
    auto bytes = ModelRunner::saveModule(d->module, std::move(extra));
    if (!bytes)
        return bytes.failure().reworded(QStringLiteral("cannot save the model: %1").arg(bytes.error()));
    return bytes;
}

const Preprocessing *LoadedModel::preprocessing() const
{
    return d->preprocessing ? &*d->preprocessing : nullptr;
}

void LoadedModel::setPreprocessing(Preprocessing preprocessing)
{
    d->preprocessing = std::move(preprocessing);
}

qint64 LoadedModel::parameterCount() const
{
    return ModelRunner::parameterCount(d->module);
}

Result<LoadedModel::Outputs> LoadedModel::forward(std::span<const float> x,
                                                  const std::vector<qint64> &shape) const
{
    qint64 elements = 1;
    for (qint64 s : shape)
        elements *= s;
    if (shape.empty() || elements != qint64(x.size()))
        return invalidInput(QStringLiteral("forward: %1 input values do not fill the shape [%2]")
                                .arg(x.size())
                                .arg([&] {
                                    QStringList parts;
                                    for (qint64 s : shape)
                                        parts << QString::number(s);
                                    return parts.join(QStringLiteral(", "));
                                }()));
    try {
        const std::vector<int64_t> dims(shape.begin(), shape.end());
        // from_blob does not copy; predict() only reads it.
        const torch::Tensor input =
            torch::from_blob(const_cast<float *>(x.data()), dims, torch::kFloat);
        return outputsOf(ModelRunner::predict(d->module, input));
    } catch (const std::exception &e) {
        return invalidInput(QStringLiteral("forward failed: %1").arg(torchErrorMessage(e)));
    }
}

Result<LoadedModel::Outputs> LoadedModel::predict(const DataTable &table,
                                                  const std::vector<qint64> &rows) const
{
    if (!d->preprocessing)
        return invalidInput(QStringLiteral("the model has no preprocessing to read table rows with"));
    if (auto s = d->preprocessing->checkTable(table); !s)
        return s.failure();
    try {
        const torch::Tensor x = ModelRunner::inputs(*d->preprocessing, table, rows);
        return outputsOf(ModelRunner::predict(d->module, x));
    } catch (const std::exception &e) {
        return invalidInput(QStringLiteral("evaluation failed: %1").arg(torchErrorMessage(e)));
    }
}

Result<QJsonObject> LoadedModel::evaluate(const DataTable &table, const std::vector<qint64> &rows,
                                          ScoredRows *scored) const
{
    if (!d->preprocessing)
        return invalidInput(QStringLiteral("the model has no preprocessing to evaluate table rows with"));
    const Preprocessing &pre = *d->preprocessing;
    if (rows.empty())
        return invalidInput(QStringLiteral("nothing to evaluate: the split has no rows"));
    auto out = predict(table, rows);
    if (!out)
        return out.failure();
    if (pre.task() == TaskKind::Classification) {
        if (out->width != pre.outputCount())
            return invalidInput(QStringLiteral("the model gives %1 outputs per row; the data set has %2 "
                                               "classes")
                                    .arg(out->width)
                                    .arg(pre.outputCount()));
        // Softmax per row, as torch.softmax computes it (max subtracted, float accumulation).
        std::vector<float> probs(out->values.size());
        try {
            const torch::Tensor logits =
                torch::from_blob(out->values.data(), {out->rows, out->width}, torch::kFloat);
            const torch::Tensor p = torch::softmax(logits, 1).contiguous();
            std::copy(p.data_ptr<float>(), p.data_ptr<float>() + p.numel(), probs.begin());
        } catch (const std::exception &e) {
            return fail(QStringLiteral("evaluation failed: %1").arg(torchErrorMessage(e)));
        }
        const std::vector<qint64> y = pre.classTargets(table, rows);
        auto result = ClassificationEvaluator::evaluate(std::span<const float>(probs),
                                                        std::span<const qint64>(y), pre.classNames());
        if (!result)
            return result.failure();
        if (scored) {
            *scored = ScoredRows{};
            scored->rows = rows;
            scored->classNames = pre.classNames();
            scored->labels = y;
            scored->predicted = result->predictions;
            scored->logits = out->values;
            scored->probabilities = std::move(probs);
        }
        return result->toJson();
    }
    if (out->width != 1)
        return invalidInput(QStringLiteral("the model gives %1 outputs per row; regression needs 1")
                                .arg(out->width));
    std::vector<double> p(size_t(out->rows)), y(rows.size());
    for (size_t i = 0; i < p.size(); ++i)
        p[i] = pre.unscaleTarget(out->values[i]);
    // The stored targets themselves, not the standardised floats the model trains on: their
    // float rounding would put the error metrics off the true values by up to 1e-7.
    const std::vector<double> &stored = table.columnData(pre.targetColumn());
    for (size_t i = 0; i < y.size(); ++i)
        y[i] = stored[size_t(rows[i])];
    auto result = RegressionEvaluator::evaluate(std::span<const double>(p), std::span<const double>(y));
    if (!result)
        return result.failure();
    if (scored) {
        *scored = ScoredRows{};
        scored->rows = rows;
        scored->targets = std::move(y);
        scored->predictions = std::move(p);
    }
    return result->toJson();
}

} // namespace mlwb
