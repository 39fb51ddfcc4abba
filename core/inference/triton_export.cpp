// SPDX-License-Identifier: MIT
#include "inference/triton_export.h"

#include "data/data_table.h"
#include "data/preprocessing.h"
#include "inference/detail/model_runner.h"
#include "inference/loaded_model.h"
#include "inference/torch_error.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStringList>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <algorithm>

namespace mlwb {

namespace {

constexpr const char *kLabelsFile = "labels.txt";
constexpr const char *kInputName = "INPUT__0";

torch::Tensor doubles(const std::vector<double> &values)
{
    return torch::from_blob(const_cast<double *>(values.data()), {int64_t(values.size())},
                            torch::kDouble)
        .clone();
}

// The wrapper Triton runs: raw rows -> Preprocessing::transform's arithmetic -> the model.
// Computed in double like transform() ((v - mean) * (1 / std), then a cast to float), so a raw
// value equal to the table's gives the very float transform() gives; the float32 input itself
// rounds values such as 5.1 by up to 6e-8 relative.
torch::jit::Module buildWrapper(const torch::jit::Module &model, const Preprocessing &pre)
{
    const std::vector<FeatureTransform> &features = pre.features();
    const auto rawWidth = int64_t(features.size());
    const auto width = int64_t(pre.featureCount());
    std::vector<double> fill, shift, scale;
    std::vector<int64_t> source(size_t(width), -1);
    std::vector<double> code(size_t(width), -1.0);
    std::vector<uint8_t> oneHot(size_t(width), 0);
    for (int64_t i = 0; i < rawWidth; ++i) {
        const FeatureTransform &f = features[size_t(i)];
        // What Preprocessing::transform puts in for a missing cell: the fitted fill, else the
        // training mean (0 once standardised; the true share for a boolean) or code -1, which
        // matches no category and leaves the one-hot block all zero.
        fill.push_back(f.fill ? *f.fill : f.encoding == FeatureEncoding::OneHot ? -1.0 : f.mean);
        const bool standardize = f.encoding == FeatureEncoding::Standardize;
        shift.push_back(standardize ? f.mean : 0.0);
        scale.push_back(standardize ? 1.0 / f.std : 1.0);
        if (f.offset < 0 || f.width < 1 || f.offset + f.width > width)
            throw std::logic_error("feature '" + f.name.toStdString() + "' lies outside the input");
        for (int k = 0; k < f.width; ++k) {
            const auto column = size_t(f.offset + k);
            source[column] = i;
            if (f.encoding == FeatureEncoding::OneHot) {
                code[column] = double(k);
                oneHot[column] = 1;
            }
        }
    }
    // Without one-hot blocks every feature is one input column, in order.
    const bool identity = std::find(oneHot.begin(), oneHot.end(), 1) == oneHot.end();

    torch::jit::Module wrapper(c10::QualifiedName("MlwbTritonModel"));
    wrapper.register_attribute("training", c10::BoolType::get(), false);
    wrapper.register_buffer("fill", doubles(fill));
    wrapper.register_buffer("shift", doubles(shift));
    wrapper.register_buffer("scale", doubles(scale));
    if (!identity) {
        wrapper.register_buffer("source", torch::tensor(source, torch::kLong));
        wrapper.register_buffer("code", doubles(code));
        wrapper.register_buffer(
            "one_hot", torch::from_blob(oneHot.data(), {width}, torch::kUInt8).to(torch::kBool));
    }
    const bool regression = pre.task() == TaskKind::Regression;
    if (regression) {
        wrapper.register_buffer("target_mean",
                                torch::scalar_tensor(pre.targetMean(), torch::kDouble));
        wrapper.register_buffer("target_std",
                                torch::scalar_tensor(pre.targetStd(), torch::kDouble));
    }
    wrapper.register_module("model", model.clone());

    QStringList src;
    const auto line = [&src](const QString &text) { src << QStringLiteral("    ") + text; };
    src << QStringLiteral("def forward(self, %1: Tensor) -> Tensor:")
               .arg(QLatin1String(kInputName));
    line(QStringLiteral(
             "assert %1.dim() == 2 and %1.size(1) == %2, \"%1 takes raw rows [batch, %2]\"")
             .arg(QLatin1String(kInputName))
             .arg(rawWidth));
    line(QStringLiteral("x = %1.double()").arg(QLatin1String(kInputName)));
    line(QStringLiteral("x = torch.where(torch.isnan(x), self.fill, x)"));
    line(QStringLiteral("x = (x - self.shift) * self.scale"));
    if (!identity) {
        // Every model input column takes its raw feature; one-hot column k of a block then
        // becomes floor(v) == k, which is transform()'s "0 <= v < width and int(v) == k" (code
        // -1, NaN, out-of-range codes match no column).
        line(QStringLiteral("x = torch.index_select(x, 1, self.source)"));
        line(QStringLiteral(
            "x = torch.where(self.one_hot, (torch.floor(x) == self.code).double(), x)"));
    }
    line(QStringLiteral("x = x.float()"));
    if (pre.isImage()) {
        QStringList dims{QStringLiteral("x.size(0)")};
        for (qint64 d : pre.inputShape())
            dims << QString::number(d);
        line(QStringLiteral("x = x.reshape([%1])").arg(dims.join(QStringLiteral(", "))));
    }
    line(QStringLiteral("y = self.model.forward(x)"));
    if (regression)
        line(QStringLiteral("y = (y.double() * self.target_std + self.target_mean).float()"));
    line(QStringLiteral("return y"));
    wrapper.define((src.join(QLatin1Char('\n')) + QLatin1Char('\n')).toStdString());
    wrapper.eval();
    return wrapper;
}

QString quoted(const QString &text)
{
    QString s = text;
    s.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

Status checkOptions(const TritonExport::Options &options)
{
    static const QRegularExpression name(QStringLiteral("\\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z"));
    if (!name.match(options.name).hasMatch())
        return invalidInput(
            QStringLiteral("Triton model name '%1': use 1 to 64 letters, digits, '.', '_' "
                           "or '-', starting with a letter or digit")
                .arg(options.name));
    if (options.maxBatchSize < 1)
        return invalidInput(QStringLiteral("Triton max_batch_size must be at least 1, not %1")
                                .arg(options.maxBatchSize));
    if (options.maxQueueDelayMicroseconds < 0)
        return invalidInput(
            QStringLiteral("Triton max_queue_delay_microseconds must not be negative, not %1")
                .arg(options.maxQueueDelayMicroseconds));
    if (options.instances < 1)
        return invalidInput(QStringLiteral("Triton needs at least 1 model instance, not %1")
                                .arg(options.instances));
    return {};
}

// What a Triton user must know to fill INPUT__0 and read OUTPUT__0: the config cannot say it.
QString readme(const TritonExport::Options &options, const Preprocessing &pre,
               const QString &source)
{
    const auto cell = [](QString text) {
        return text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    };
    QStringList out;
    out << QStringLiteral("# %1").arg(options.name) << QString()
        << QStringLiteral(
               "A Triton model (platform pytorch_libtorch) written by MLOps Workbench from %1.")
               .arg(source)
        << QString()
        << QStringLiteral("## Input %1: FP32 [batch, %2]")
               .arg(QLatin1String(kInputName))
               .arg(pre.features().size())
        << QString()
        << QStringLiteral(
               "One raw value per feature, in the order below: a number in the column's units, a "
               "category as its code, a boolean as 0 or 1, NaN for a missing value. The "
               "preprocessing the model was trained with (missing values, standardising, "
               "one-hot encoding%1) runs inside 1/model.pt.")
               .arg(pre.isImage() ? QStringLiteral(", the image layout") : QString())
        << QString() << QStringLiteral("| # | feature | type | value | a missing value becomes |")
        << QStringLiteral("|---|---|---|---|---|");
    for (size_t i = 0; i < pre.features().size(); ++i) {
        const FeatureTransform &f = pre.features()[i];
        QStringList codes;
        for (qsizetype k = 0; k < f.categories.size(); ++k)
            codes << QStringLiteral("%1 = %2").arg(k).arg(f.categories[k]);
        QString value = f.type == ColumnType::Numeric ? QStringLiteral("a number")
                                                      : codes.join(QStringLiteral(", "));
        QString missing;
        if (f.fill)
            missing = f.type == ColumnType::Numeric
                          ? formatNumber(*f.fill)
                          : f.categories.value(qsizetype(*f.fill), formatNumber(*f.fill));
        else if (f.encoding == FeatureEncoding::OneHot)
            missing = QStringLiteral("no category (all zero)");
        else
            missing = QStringLiteral("the training mean, %1").arg(formatNumber(f.mean));
        out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |")
                   .arg(QString::number(i), cell(f.name), columnTypeName(f.type), cell(value),
                        cell(missing));
    }
    out << QString()
        << QStringLiteral("## Output OUTPUT__0: FP32 [batch, %1]").arg(pre.outputCount())
        << QString();
    if (pre.task() == TaskKind::Classification)
        out << QStringLiteral(
                   "Logits, one per class in the order of labels.txt (%1): apply softmax for the "
                   "probabilities; the largest logit is the predicted class.")
                   .arg(pre.classNames().join(QStringLiteral(", ")));
    else
        out << QStringLiteral("The predicted %1 in its own units (the model's standardised output "
                              "times %2, plus %3).")
                   .arg(pre.targetName(), formatNumber(pre.targetStd()),
                        formatNumber(pre.targetMean()));
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

Status writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    if (f.write(bytes) != bytes.size() || !f.commit())
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

Result<QByteArray> TritonExport::rawInputModule(const LoadedModel &model, const QString &source)
{
    const Preprocessing *pre = model.preprocessing();
    if (!pre)
        return invalidInput(
            QStringLiteral("%1 has no preprocessing: a Triton model takes raw rows, so it "
                           "needs the one the model was trained with")
                .arg(source));
    if (pre->features().empty())
        return invalidInput(QStringLiteral("%1 has no input features").arg(source));
    try {
        torch::jit::Module wrapper = buildWrapper(ModelRunner::module(model), *pre);
        auto bytes = ModelRunner::saveModule(wrapper);
        if (!bytes)
            return bytes.failure().reworded(QStringLiteral("%1: %2").arg(source, bytes.error()));
        return bytes;
    } catch (const std::exception &e) {
        return fail(QStringLiteral("%1: cannot build the Triton model around it: %2")
                        .arg(source, torchErrorMessage(e)));
    }
}

QString TritonExport::config(const Options &options, qint64 features, qint64 outputs,
                             const QString &labelsFile)
{
    const QString labels = labelsFile.isEmpty()
                               ? QString()
                               : QStringLiteral("    label_filename: %1\n").arg(quoted(labelsFile));
    // One arg() call with every value, so nothing substituted is read as a placeholder again.
    return QStringLiteral(
               R"(# Written by MLOps Workbench. model.pt takes raw feature rows and runs the preprocessing itself;
# README.md lists the features in input order and what OUTPUT__0 holds.
name: %1
platform: "pytorch_libtorch"
max_batch_size: %2
input [
  {
    name: "%3"
    data_type: TYPE_FP32
    dims: [ %4 ]
  }
]
output [
  {
    name: "OUTPUT__0"
    data_type: TYPE_FP32
    dims: [ %5 ]
%6  }
]
dynamic_batching {
  max_queue_delay_microseconds: %7
}
instance_group [
  {
    count: %8
    kind: KIND_CPU
  }
]
)")
        .arg(quoted(options.name), QString::number(options.maxBatchSize), QLatin1String(kInputName),
             QString::number(features), QString::number(outputs), labels,
             QString::number(options.maxQueueDelayMicroseconds),
             QString::number(options.instances));
}

Status TritonExport::write(const QString &directory, const Options &options,
                           const LoadedModel &model, const QString &source)
{
    if (auto s = checkOptions(options); !s)
        return s;
    if (directory.isEmpty())
        return invalidInput(QStringLiteral("no folder to write the Triton model repository into"));
    const Preprocessing *pre = model.preprocessing();
    if (pre && pre->task() == TaskKind::Classification) {
        for (const QString &c : pre->classNames()) {
            if (c.contains(QLatin1Char('\n')) || c.contains(QLatin1Char('\r')))
                return invalidInput(
                    QStringLiteral("%1: class name '%2' spans lines; labels.txt has one per line")
                        .arg(source, c));
        }
    }
    // The module first: a model that cannot be exported leaves the file system untouched.
    auto module = rawInputModule(model, source);
    if (!module)
        return module.failure();

    const QDir root(directory);
    const QString target = root.filePath(options.name);
    const QFileInfo existing(target);
    bool replaceEmpty = false;
    if (existing.exists() || existing.isSymLink()) {
        if (!existing.isDir() || existing.isSymLink())
            return conflict(QStringLiteral("%1 exists and is not a folder").arg(target));
        if (!QDir(target).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden |
                                  QDir::System))
            return conflict(
                QStringLiteral("%1 exists and is not empty: choose another name or remove it")
                    .arg(target));
        replaceEmpty = true;
    }
    if (!QDir().mkpath(directory))
        return ioError(QStringLiteral("cannot create the folder %1").arg(directory));

    // Staged beside the target (same file system, so the rename is atomic) and removed on failure.
    QTemporaryDir stage(root.filePath(QStringLiteral(".%1.partial-XXXXXX").arg(options.name)));
    if (!stage.isValid())
        return ioError(
            QStringLiteral("cannot create a folder in %1: %2").arg(directory, stage.errorString()));
    const QString versionDir = stage.filePath(QStringLiteral("1"));
    if (!QDir().mkdir(versionDir))
        return ioError(QStringLiteral("cannot create the folder %1").arg(versionDir));
    if (auto s = writeFile(QDir(versionDir).filePath(QStringLiteral("model.pt")), *module); !s)
        return s;
    QString labels;
    if (pre->task() == TaskKind::Classification) {
        labels = QLatin1String(kLabelsFile);
        const QByteArray lines =
            (pre->classNames().join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8();
        if (auto s = writeFile(stage.filePath(labels), lines); !s)
            return s;
    }
    const QByteArray about = readme(options, *pre, source).toUtf8();
    if (auto s = writeFile(stage.filePath(QStringLiteral("README.md")), about); !s)
        return s;
    // The config last: it is what makes a folder a model for Triton.
    const QByteArray text =
        config(options, qint64(pre->features().size()), pre->outputCount(), labels).toUtf8();
    if (auto s = writeFile(stage.filePath(QStringLiteral("config.pbtxt")), text); !s)
        return s;
    // QTemporaryDir makes its folder private (0700); Triton often runs as another user.
    const QFile::Permissions dirMode = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                       QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                       QFile::ExeOther;
    if (!QFile::setPermissions(stage.path(), dirMode) ||
        !QFile::setPermissions(versionDir, dirMode))
        return ioError(QStringLiteral("cannot set the permissions of %1").arg(stage.path()));

    if (replaceEmpty && !QDir().rmdir(target))
        return ioError(QStringLiteral("cannot replace the empty folder %1").arg(target));
    if (!QDir().rename(stage.path(), target))
        return ioError(QStringLiteral("cannot rename %1 to %2").arg(stage.path(), target));
    return {};
}

} // namespace mlwb
