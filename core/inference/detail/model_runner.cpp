// SPDX-License-Identifier: MIT
#include "inference/detail/model_runner.h"

#include "data/data_table.h"
#include "data/preprocessing.h"
#include "inference/torch_error.h"

#include <torch/torch.h>

#include <sstream>
#include <unordered_set>

namespace mlwb {

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
    const int64_t n = x.size(0);
    const int64_t chunk = 4096;
    std::vector<torch::Tensor> parts;
    for (int64_t i = 0; i < n; i += chunk)
        parts.push_back(module.forward({x.narrow(0, i, std::min(chunk, n - i))}).toTensor());
    return parts.empty() ? torch::empty({0}) : torch::cat(parts, 0);
}

LoadedModel ModelRunner::wrap(torch::jit::Module module, std::optional<Preprocessing> pre)
{
    module.eval();
    auto impl = std::make_unique<LoadedModel::Impl>();
    impl->module = std::move(module);
    impl->preprocessing = std::move(pre);
    return LoadedModel(std::move(impl));
}

torch::jit::Module &ModelRunner::module(LoadedModel &model) { return model.d->module; }

const torch::jit::Module &ModelRunner::module(const LoadedModel &model) { return model.d->module; }

Result<torch::jit::Module> ModelRunner::loadModule(const QByteArray &bytes, torch::jit::ExtraFilesMap *extra)
{
    if (!bytes.startsWith("PK\x03\x04"))
        return invalidInput(QStringLiteral("not a loadable TorchScript model: expected a zip archive as written by torch.jit.save"));
    try {
        std::istringstream is(std::string(bytes.constData(), size_t(bytes.size())));
        torch::jit::ExtraFilesMap none;
        return torch::jit::load(is, torch::kCPU, extra ? *extra : none);
    } catch (const std::exception &e) {
        return invalidInput(QStringLiteral("not a loadable TorchScript model: %1").arg(torchErrorMessage(e)));
    }
}

Result<QByteArray> ModelRunner::saveModule(const torch::jit::Module &module, torch::jit::ExtraFilesMap extra)
{
    try {
        if (const QByteArray spec = specJson(module); !spec.isEmpty())
            extra[kSpecFile] = spec.toStdString();
        std::ostringstream os;
        module.save(os, extra);
        const std::string s = os.str();
        return QByteArray(s.data(), qsizetype(s.size()));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("cannot save the TorchScript module: %1").arg(torchErrorMessage(e)));
    }
}

QByteArray ModelRunner::specJson(const torch::jit::Module &module)
{
    try {
        if (!module.hasattr(kSpecAttribute))
            return {};
        const auto value = module.attr(kSpecAttribute);
        if (!value.isString())
            return {};
        const std::string &json = value.toStringRef();
        return QByteArray(json.data(), qsizetype(json.size()));
    } catch (const std::exception &) {
        return {};
    }
}

std::vector<torch::Tensor> ModelRunner::trainableParameters(const torch::jit::Module &module)
{
    std::vector<torch::Tensor> out;
    std::unordered_set<const void *> seen;
    for (const auto &p : module.parameters(true)) {
        if (p.requires_grad() && seen.insert(p.unsafeGetTensorImpl()).second)
            out.push_back(p);
    }
    return out;
}

qint64 ModelRunner::parameterCount(const torch::jit::Module &module)
{
    qint64 n = 0;
    std::unordered_set<const void *> seen;
    for (const auto &p : module.parameters(true)) {
        if (seen.insert(p.unsafeGetTensorImpl()).second)
            n += p.numel();
    }
    return n;
}

} // namespace mlwb
