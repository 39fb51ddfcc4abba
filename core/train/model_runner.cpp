// SPDX-License-Identifier: MIT
#include "train/model_runner.h"

#include "data/data_table.h"
#include "data/preprocessing.h"
#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "eval/scored_rows.h"

#include <QJsonDocument>

#include <torch/torch.h>

#include <sstream>

namespace mlwb {

namespace {
constexpr const char *kPreprocessingFile = "mlwb/preprocessing.json";

QString firstLine(const std::exception &e)
{
    return QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0);
}
} // namespace

torch::Tensor ModelRunner::inputs(const Preprocessing &pre, const DataTable &table,
                                  const std::vector<qint64> &rows)
{
    std::vector<int64_t> shape{int64_t(rows.size())};
    for (qint64 d : pre.inputShape())
        shape.push_back(d);
    torch::Tensor x = torch::empty(shape, torch::kFloat);
    pre.transform(table, rows, x.data_ptr<float>());
    return x;
}

torch::Tensor ModelRunner::targets(const Preprocessing &pre, const DataTable &table,
                                   const std::vector<qint64> &rows)
{
    if (pre.task() == TaskKind::Classification) {
        const std::vector<qint64> y = pre.classTargets(table, rows);
        torch::Tensor t = torch::empty({int64_t(y.size())}, torch::kLong);
        std::copy(y.begin(), y.end(), t.data_ptr<int64_t>());
        return t;
    }
    const std::vector<float> y = pre.regressionTargets(table, rows);
    torch::Tensor t = torch::empty({int64_t(y.size())}, torch::kFloat);
    std::copy(y.begin(), y.end(), t.data_ptr<float>());
    return t;
}

torch::Tensor ModelRunner::predict(torch::jit::Module &module, const torch::Tensor &x)
{
    torch::NoGradGuard ng;
    module.eval();
    const int64_t n = x.size(0);
    const int64_t chunk = 4096;
    std::vector<torch::Tensor> parts;
    for (int64_t i = 0; i < n; i += chunk)
        parts.push_back(module.forward({x.narrow(0, i, std::min(chunk, n - i))}).toTensor());
    return parts.empty() ? torch::empty({0}) : torch::cat(parts, 0);
}

Result<QJsonObject> ModelRunner::evaluate(torch::jit::Module &module, const Preprocessing &pre,
                                          const DataTable &table, const std::vector<qint64> &rows,
                                          ScoredRows *scored)
{
    if (rows.empty())
        return fail(QStringLiteral("nothing to evaluate: the split has no rows"));
    if (auto s = pre.checkTable(table); !s)
        return s.failure();
    try {
        const torch::Tensor x = inputs(pre, table, rows);
        const torch::Tensor out = predict(module, x);
        if (pre.task() == TaskKind::Classification) {
            if (out.dim() != 2 || out.size(1) != pre.outputCount())
                return fail(QStringLiteral("the model gives %1 outputs per row; the data set has %2 "
                                           "classes")
                                .arg(out.dim() == 2 ? out.size(1) : out.numel() / std::max<int64_t>(1, out.size(0)))
                                .arg(pre.outputCount()));
            const torch::Tensor probs = torch::softmax(out, 1).contiguous();
            const std::vector<qint64> y = pre.classTargets(table, rows);
            const std::span<const float> p(probs.data_ptr<float>(), size_t(probs.numel()));
            auto report = ClassificationEvaluator::evaluate(p, std::span<const qint64>(y),
                                                            pre.classNames());
            if (!report)
                return report.failure();
            if (scored) {
                const torch::Tensor logits = out.to(torch::kFloat).contiguous();
                const float *l = logits.data_ptr<float>();
                *scored = ScoredRows{};
                scored->rows = rows;
                scored->classNames = pre.classNames();
                scored->labels = y;
                scored->predicted = report->predictions;
                scored->logits.assign(l, l + logits.numel());
                scored->probabilities.assign(p.begin(), p.end());
            }
            return report->toJson();
        }
        const torch::Tensor pred = out.reshape({-1}).contiguous();
        std::vector<double> p(size_t(pred.size(0))), y(rows.size());
        const float *pp = pred.data_ptr<float>();
        for (size_t i = 0; i < p.size(); ++i)
            p[i] = pre.unscaleTarget(pp[i]);
        // The stored targets themselves, not the standardised floats the model trains on: their
        // float rounding would put the error metrics off the true values by up to 1e-7.
        const std::vector<double> &stored = table.columnData(pre.targetColumn());
        for (size_t i = 0; i < y.size(); ++i)
            y[i] = stored[size_t(rows[i])];
        auto report = RegressionEvaluator::evaluate(std::span<const double>(p),
                                                    std::span<const double>(y));
        if (!report)
            return report.failure();
        if (scored) {
            *scored = ScoredRows{};
            scored->rows = rows;
            scored->targets = std::move(y);
            scored->predictions = std::move(p);
        }
        return report->toJson();
    } catch (const std::exception &e) {
        return fail(QStringLiteral("evaluation failed: %1").arg(firstLine(e)));
    }
}

Result<QByteArray> ModelRunner::saveWithPreprocessing(const torch::jit::Module &module,
                                                      const Preprocessing &pre)
{
    try {
        torch::jit::ExtraFilesMap extra;
        extra[kPreprocessingFile] =
            QJsonDocument(pre.toJson()).toJson(QJsonDocument::Indented).toStdString();
        std::ostringstream os;
        module.save(os, extra);
        const std::string s = os.str();
        return QByteArray(s.data(), qsizetype(s.size()));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("cannot save the model: %1").arg(firstLine(e)));
    }
}

Result<torch::jit::Module> ModelRunner::load(const QByteArray &bytes, QJsonObject *preprocessing)
{
    try {
        std::istringstream is(std::string(bytes.constData(), size_t(bytes.size())));
        torch::jit::ExtraFilesMap extra{{kPreprocessingFile, std::string()}};
        torch::jit::Module m = torch::jit::load(is, c10::nullopt, extra);
        if (preprocessing) {
            const std::string &json = extra[kPreprocessingFile];
            *preprocessing = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
        }
        return m;
    } catch (const std::exception &e) {
        return fail(QStringLiteral("not a loadable TorchScript model: %1").arg(firstLine(e)));
    }
}

} // namespace mlwb
