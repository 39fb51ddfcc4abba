// SPDX-License-Identifier: MIT
#include "model/torchscript_importer.h"

#include "inference/detail/model_runner.h"
#include "inference/torch_error.h"
#include "model/shape_inference.h"

#include <QFile>
#include <QFileInfo>

#include <torch/script.h>

#include <sstream>

namespace mlwb {

namespace {

constexpr int64_t kProbeBatch = 2;

QString typeText(const c10::IValue &v)
{
    return QString::fromStdString(v.type()->annotation_str());
}

// Runs forward in eval mode without gradients on zeros of [2, ...inputShape] and returns the
// per-sample output shape.
Result<std::vector<qint64>> probe(torch::jit::Module &module, const std::vector<qint64> &inputShape)
{
    std::vector<int64_t> batchShape{kProbeBatch};
    batchShape.insert(batchShape.end(), inputShape.begin(), inputShape.end());
    const QString batchText = ShapeInference::shapeText(std::vector<qint64>(batchShape.begin(), batchShape.end()));
    try {
        const auto forward = module.find_method("forward");
        if (!forward)
            return fail(QStringLiteral("the module has no forward method"));
        const auto &args = forward->function().getSchema().arguments();
        int required = 0;
        for (size_t i = 1; i < args.size(); ++i)  // argument 0 is self
            required += args[i].default_value() ? 0 : 1;
        if (args.size() < 2 || required > 1) {
            return fail(QStringLiteral("forward must take one tensor (a batch of inputs), but its signature is %1")
                            .arg(QString::fromStdString(c10::toString(forward->function().getSchema()))));
        }
        module.eval();
        torch::NoGradGuard noGrad;
        c10::IValue result;
        try {
            result = module.forward({torch::zeros(batchShape)});
        } catch (const std::exception &e) {
            return fail(QStringLiteral("forward fails on a zero batch of shape %1 (input %2 per sample): %3")
                            .arg(batchText, ShapeInference::shapeText(inputShape), torchErrorMessage(e)));
        }
        if (!result.isTensor()) {
            return fail(QStringLiteral("forward returns %1; the workbench needs a single tensor of outputs")
                            .arg(typeText(result)));
        }
        const torch::Tensor out = result.toTensor();
        if (!out.is_floating_point()) {
            return fail(QStringLiteral("forward returns a tensor of %1; the workbench needs floating-point outputs "
                                       "(logits or values)")
                            .arg(QString::fromLatin1(c10::toString(out.scalar_type()))));
        }
        std::vector<qint64> outShape(out.sizes().begin(), out.sizes().end());
        if (out.dim() < 1 || out.size(0) != kProbeBatch) {
            return fail(QStringLiteral("forward maps a batch of shape %1 to %2; the outputs must keep the batch "
                                       "dimension first")
                            .arg(batchText, ShapeInference::shapeText(outShape)));
        }
        outShape.erase(outShape.begin());
        return outShape;
    } catch (const std::exception &e) {
        return fail(QStringLiteral("cannot inspect the module: %1").arg(torchErrorMessage(e)));
    }
}

} // namespace

Result<ImportedModel> TorchScriptImporter::importFile(const QString &path, const std::vector<qint64> &inputShape)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    return importBytes(file.readAll(), inputShape, QFileInfo(path).fileName());
}

Result<ImportedModel> TorchScriptImporter::importBytes(const QByteArray &bytes, const std::vector<qint64> &inputShape,
                                                       const QString &sourceName)
{
    if (inputShape.empty())
        return fail(QStringLiteral("%1: the input shape per sample is required, e.g. [4] or [1, 8, 8]").arg(sourceName));
    for (qint64 d : inputShape) {
        if (d < 1)
            return fail(QStringLiteral("%1: the input shape %2 has a size below 1").arg(sourceName, ShapeInference::shapeText(inputShape)));
    }
    if (!bytes.startsWith("PK\x03\x04")) {
        return invalidInput(QStringLiteral("%1 is not a TorchScript file: expected a zip archive written by torch.jit.save "
                                   "(script or trace the model in Python, then save it with torch.jit.save)")
                        .arg(sourceName));
    }
    torch::jit::Module module;
    try {
        std::istringstream in(std::string(bytes.constData(), size_t(bytes.size())));
        module = torch::jit::load(in, torch::kCPU);
    } catch (const std::exception &e) {
        return invalidInput(QStringLiteral("%1 is not a loadable TorchScript module (a file from torch.save is not enough: use "
                                   "torch.jit.script or torch.jit.trace, then torch.jit.save): %2")
                        .arg(sourceName, torchErrorMessage(e)));
    }
    auto out = probe(module, inputShape);
    if (!out)
        return out.failure().reworded(QStringLiteral("%1: %2").arg(sourceName, out.error()));
    qint64 parameters = 0, trainable = 0;
    try {
        parameters = ModelRunner::parameterCount(module);
        for (const auto &p : ModelRunner::trainableParameters(module))
            trainable += p.numel();
    } catch (const std::exception &e) {
        return fail(QStringLiteral("%1: cannot read its parameters: %2").arg(sourceName, torchErrorMessage(e)));
    }
    std::optional<ModelSpec> spec;
    if (const QByteArray json = ModelRunner::specJson(module); !json.isEmpty()) {
        if (auto parsed = ModelSpec::fromJson(json))
            spec = std::move(*parsed);
    }
    ImportedModel model{ModelRunner::wrap(std::move(module), std::nullopt), inputShape, std::move(*out),
                        parameters, trainable, std::move(spec)};
    return model;
}

} // namespace mlwb
