// SPDX-License-Identifier: MIT
#include "inference/detail/model_runner.h"

#include "data/data_table.h"
#include "data/preprocessing.h"
#include "model/torch_error.h"

#include <torch/torch.h>

#include <sstream>

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

Result<torch::jit::Module> ModelRunner::loadModule(const QByteArray &bytes)
{
    try {
        std::istringstream is(std::string(bytes.constData(), size_t(bytes.size())));
        return torch::jit::load(is);
    } catch (const std::exception &e) {
        return invalidInput(QStringLiteral("not a loadable TorchScript model: %1").arg(torchErrorMessage(e)));
    }
}

} // namespace mlwb
