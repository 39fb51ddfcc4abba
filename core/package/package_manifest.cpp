// SPDX-License-Identifier: MIT
#include "package/package_manifest.h"

#include "common/semantic_version.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>
#include <optional>

namespace mlwb {

namespace {

// The integer a JSON number holds exactly, if it holds one.
std::optional<qint64> exactInteger(double v)
{
    if (!std::isfinite(v) || v != std::floor(v) || std::abs(v) > 9007199254740992.0)
        return std::nullopt;
    return qint64(v);
}

QJsonArray shapeJson(const std::vector<qint64> &shape)
{
    QJsonArray a;
    for (qint64 d : shape)
        a.append(d);
    return a;
}

// Reads one manifest's fields, naming the first that is wrong as "field.path".
class Reader {
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    Error wrong(const QString &field, const QString &why) const
    {
        return corrupt(QStringLiteral("%1: manifest.json: %2 %3").arg(m_source, field, why));
    }

    Result<QJsonObject> object(const QJsonObject &parent, const QString &key, const QString &path) const
    {
        const QJsonValue v = parent.value(key);
        if (!v.isObject())
            return wrong(path, v.isUndefined() ? QStringLiteral("is missing") : QStringLiteral("must be an object"));
        return v.toObject();
    }

    Result<QString> string(const QJsonObject &parent, const QString &key, const QString &path,
                           bool required = true) const
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() && !required)
            return QString();
        if (!v.isString())
            return wrong(path, v.isUndefined() ? QStringLiteral("is missing") : QStringLiteral("must be a string"));
        if (required && v.toString().isEmpty())
            return wrong(path, QStringLiteral("is empty"));
        return v.toString();
    }

    Result<qint64> integer(const QJsonObject &parent, const QString &key, const QString &path,
                           qint64 min, qint64 max) const
    {
        const QJsonValue v = parent.value(key);
        const std::optional<qint64> n = v.isDouble() ? exactInteger(v.toDouble()) : std::nullopt;
        if (!n || *n < min || *n > max)
            return wrong(path, QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max));
        return *n;
    }

    Result<std::vector<qint64>> shape(const QJsonObject &parent, const QString &key, const QString &path) const
    {
        const QJsonValue v = parent.value(key);
        if (!v.isArray() || v.toArray().isEmpty() || v.toArray().size() > 8)
            return wrong(path, QStringLiteral("must be an array of 1 to 8 positive dimensions"));
        std::vector<qint64> out;
        qint64 elements = 1;
        for (const QJsonValue &d : v.toArray()) {
            const std::optional<qint64> n = d.isDouble() ? exactInteger(d.toDouble()) : std::nullopt;
            if (!n || *n < 1 || *n > (qint64(1) << 24))
                return wrong(path, QStringLiteral("must hold positive integer dimensions up to 2^24"));
            elements *= *n;
            if (elements > (qint64(1) << 28))
                return wrong(path, QStringLiteral("describes more than 2^28 elements per sample"));
            out.push_back(*n);
        }
        return out;
    }

    Result<QStringList> strings(const QJsonObject &parent, const QString &key, const QString &path) const
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined())
            return QStringList();
        if (!v.isArray())
            return wrong(path, QStringLiteral("must be an array of strings"));
        QStringList out;
        for (const QJsonValue &s : v.toArray()) {
            if (!s.isString())
                return wrong(path, QStringLiteral("must be an array of strings"));
            out << s.toString();
        }
        return out;
    }

private:
    QString m_source;
};

} // namespace

QString PackageManifest::nameProblem(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    if (re.match(name).hasMatch())
        return {};
    return QStringLiteral("a package name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter "
                          "or digit");
}

QJsonObject PackageManifest::toJson() const
{
    QJsonArray features;
    for (const Feature &f : input.features) {
        QJsonObject o{{QStringLiteral("name"), f.name}, {QStringLiteral("kind"), f.kind},
                      {QStringLiteral("datatype"), QStringLiteral("FP32")}};
        if (!f.categories.isEmpty())
            o.insert(QStringLiteral("categories"), QJsonArray::fromStringList(f.categories));
        features.append(o);
    }
    const QJsonObject in{{QStringLiteral("name"), input.name},
                         {QStringLiteral("datatype"), input.datatype},
                         {QStringLiteral("shape"), shapeJson(input.shape)},
                         {QStringLiteral("features"), features},
                         {QStringLiteral("model_shape"), shapeJson(input.modelShape)},
                         {QStringLiteral("preprocessing"), input.preprocessing}};
    const QJsonObject out{{QStringLiteral("name"), output.name},
                          {QStringLiteral("datatype"), output.datatype},
                          {QStringLiteral("task"), output.task},
                          {QStringLiteral("shape"), shapeJson(output.shape)},
                          {QStringLiteral("labels"), QJsonArray::fromStringList(output.labels)},
                          {QStringLiteral("target"), output.target}};
    const QJsonObject lin{
        {QStringLiteral("project"), lineage.project},
        {QStringLiteral("run"), QJsonObject{{QStringLiteral("id"), lineage.runId}, {QStringLiteral("name"), lineage.runName}}},
        {QStringLiteral("model"), QJsonObject{{QStringLiteral("id"), lineage.modelId},
                                              {QStringLiteral("name"), lineage.modelName},
                                              {QStringLiteral("version"), lineage.modelVersion}}},
        {QStringLiteral("dataset"), QJsonObject{{QStringLiteral("id"), lineage.datasetId},
                                                {QStringLiteral("name"), lineage.datasetName},
                                                {QStringLiteral("sha256"), lineage.datasetSha256}}},
        {QStringLiteral("metrics"), lineage.metrics}};
    return QJsonObject{{QStringLiteral("format"), kFormat},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("author"), author},
                       {QStringLiteral("description"), description},
                       {QStringLiteral("input"), in},
                       {QStringLiteral("output"), out},
                       {QStringLiteral("lineage"), lin},
                       {QStringLiteral("runtime"), QJsonObject{{QStringLiteral("libtorch"), libtorchVersion},
                                                               {QStringLiteral("mlwb"), mlwbVersion}}}};
}

QByteArray PackageManifest::toBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

Result<PackageManifest> PackageManifest::fromJson(const QByteArray &json, const QString &source)
{
    const Reader r(source);
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError)
        return corrupt(QStringLiteral("%1: manifest.json is not valid JSON: %2 at offset %3")
                           .arg(source, perr.errorString())
                           .arg(perr.offset));
    if (!doc.isObject())
        return corrupt(QStringLiteral("%1: manifest.json is not a JSON object").arg(source));
    const QJsonObject root = doc.object();
    const QJsonValue format = root.value(QStringLiteral("format"));
    const std::optional<qint64> fmt = format.isDouble() ? exactInteger(format.toDouble()) : std::nullopt;
    if (!fmt)
        return r.wrong(QStringLiteral("format"), QStringLiteral("must be the manifest's format number"));
    if (*fmt != kFormat)
        return corrupt(QStringLiteral("%1: manifest.json has format %2; this mlwb reads format %3 (a newer "
                                      "mlwb made the package?)")
                           .arg(source)
                           .arg(*fmt)
                           .arg(kFormat));

    PackageManifest m;
    auto text = [&](const QJsonObject &o, const char *key, const QString &path, QString &into, bool required) -> Status {
        auto s = r.string(o, QString::fromLatin1(key), path, required);
        if (!s)
            return s.failure();
        into = *s;
        return {};
    };
    if (auto s = text(root, "name", QStringLiteral("name"), m.name, true); !s)
        return s.failure();
    if (const QString problem = nameProblem(m.name); !problem.isEmpty())
        return r.wrong(QStringLiteral("name"), QStringLiteral("\"%1\" is not allowed: %2").arg(m.name, problem));
    if (auto s = text(root, "version", QStringLiteral("version"), m.version, true); !s)
        return s.failure();
    if (auto v = SemanticVersion::parse(m.version); !v)
        return r.wrong(QStringLiteral("version"), QStringLiteral("\"%1\" is not a semantic version").arg(m.version));
    QString created;
    if (auto s = text(root, "created", QStringLiteral("created"), created, true); !s)
        return s.failure();
    m.created = QDateTime::fromString(created, Qt::ISODateWithMs);
    if (!m.created.isValid())
        return r.wrong(QStringLiteral("created"), QStringLiteral("\"%1\" is not an ISO 8601 time").arg(created));
    if (auto s = text(root, "author", QStringLiteral("author"), m.author, false); !s)
        return s.failure();
    if (auto s = text(root, "description", QStringLiteral("description"), m.description, false); !s)
        return s.failure();

    // input
    auto in = r.object(root, QStringLiteral("input"), QStringLiteral("input"));
    if (!in)
        return in.failure();
    if (auto s = text(*in, "name", QStringLiteral("input.name"), m.input.name, true); !s)
        return s.failure();
    if (auto s = text(*in, "datatype", QStringLiteral("input.datatype"), m.input.datatype, true); !s)
        return s.failure();
    if (m.input.datatype != QLatin1String("FP32"))
        return r.wrong(QStringLiteral("input.datatype"), QStringLiteral("\"%1\" is not FP32").arg(m.input.datatype));
    auto inShape = r.shape(*in, QStringLiteral("shape"), QStringLiteral("input.shape"));
    if (!inShape)
        return inShape.failure();
    m.input.shape = *inShape;
    const QJsonValue features = in->value(QStringLiteral("features"));
    if (!features.isArray() || features.toArray().isEmpty())
        return r.wrong(QStringLiteral("input.features"), QStringLiteral("must be a non-empty array of features"));
    const QJsonArray featureArray = features.toArray();
    if (featureArray.size() > (1 << 20))
        return r.wrong(QStringLiteral("input.features"), QStringLiteral("holds more than 2^20 features"));
    for (qsizetype i = 0; i < featureArray.size(); ++i) {
        const QString path = QStringLiteral("input.features[%1]").arg(i);
        if (!featureArray.at(i).isObject())
            return r.wrong(path, QStringLiteral("must be an object"));
        const QJsonObject fo = featureArray.at(i).toObject();
        Feature f;
        if (auto s = text(fo, "name", path + QStringLiteral(".name"), f.name, true); !s)
            return s.failure();
        if (auto s = text(fo, "kind", path + QStringLiteral(".kind"), f.kind, true); !s)
            return s.failure();
        if (f.kind != QLatin1String("numeric") && f.kind != QLatin1String("category") &&
            f.kind != QLatin1String("boolean"))
            return r.wrong(path + QStringLiteral(".kind"),
                           QStringLiteral("\"%1\" is not numeric, category or boolean").arg(f.kind));
        auto cats = r.strings(fo, QStringLiteral("categories"), path + QStringLiteral(".categories"));
        if (!cats)
            return cats.failure();
        f.categories = *cats;
        if (f.kind == QLatin1String("category") && f.categories.isEmpty())
            return r.wrong(path + QStringLiteral(".categories"), QStringLiteral("must list the feature's categories"));
        m.input.features.push_back(std::move(f));
    }
    if (m.input.shape != std::vector<qint64>{qint64(m.input.features.size())})
        return r.wrong(QStringLiteral("input.shape"),
                       QStringLiteral("must be [%1], one value per feature").arg(m.input.features.size()));
    auto modelShape = r.shape(*in, QStringLiteral("model_shape"), QStringLiteral("input.model_shape"));
    if (!modelShape)
        return modelShape.failure();
    m.input.modelShape = *modelShape;
    auto pre = r.object(*in, QStringLiteral("preprocessing"), QStringLiteral("input.preprocessing"));
    if (!pre)
        return pre.failure();
    m.input.preprocessing = *pre;

    // output
    auto out = r.object(root, QStringLiteral("output"), QStringLiteral("output"));
    if (!out)
        return out.failure();
    if (auto s = text(*out, "name", QStringLiteral("output.name"), m.output.name, true); !s)
        return s.failure();
    if (auto s = text(*out, "datatype", QStringLiteral("output.datatype"), m.output.datatype, true); !s)
        return s.failure();
    if (auto s = text(*out, "task", QStringLiteral("output.task"), m.output.task, true); !s)
        return s.failure();
    const bool classification = m.output.task == QLatin1String("classification");
    if (!classification && m.output.task != QLatin1String("regression"))
        return r.wrong(QStringLiteral("output.task"),
                       QStringLiteral("\"%1\" is not classification or regression").arg(m.output.task));
    auto outShape = r.shape(*out, QStringLiteral("shape"), QStringLiteral("output.shape"));
    if (!outShape)
        return outShape.failure();
    m.output.shape = *outShape;
    auto labels = r.strings(*out, QStringLiteral("labels"), QStringLiteral("output.labels"));
    if (!labels)
        return labels.failure();
    m.output.labels = *labels;
    if (classification && (m.output.shape.size() != 1 || m.output.shape[0] != m.output.labels.size()))
        return r.wrong(QStringLiteral("output.labels"),
                       QStringLiteral("must name every one of the %1 classes of output.shape")
                           .arg(m.output.shape.size() == 1 ? m.output.shape[0] : 0));
    if (auto s = text(*out, "target", QStringLiteral("output.target"), m.output.target, false); !s)
        return s.failure();

    // lineage
    auto lin = r.object(root, QStringLiteral("lineage"), QStringLiteral("lineage"));
    if (!lin)
        return lin.failure();
    if (auto s = text(*lin, "project", QStringLiteral("lineage.project"), m.lineage.project, false); !s)
        return s.failure();
    constexpr qint64 kMaxId = qint64(1) << 53;
    auto run = r.object(*lin, QStringLiteral("run"), QStringLiteral("lineage.run"));
    if (!run)
        return run.failure();
    auto runId = r.integer(*run, QStringLiteral("id"), QStringLiteral("lineage.run.id"), 0, kMaxId);
    if (!runId)
        return runId.failure();
    m.lineage.runId = *runId;
    if (auto s = text(*run, "name", QStringLiteral("lineage.run.name"), m.lineage.runName, false); !s)
        return s.failure();
    auto model = r.object(*lin, QStringLiteral("model"), QStringLiteral("lineage.model"));
    if (!model)
        return model.failure();
    auto modelId = r.integer(*model, QStringLiteral("id"), QStringLiteral("lineage.model.id"), 0, kMaxId);
    if (!modelId)
        return modelId.failure();
    m.lineage.modelId = *modelId;
    if (auto s = text(*model, "name", QStringLiteral("lineage.model.name"), m.lineage.modelName, false); !s)
        return s.failure();
    auto modelVersion = r.integer(*model, QStringLiteral("version"), QStringLiteral("lineage.model.version"), 0, 1 << 30);
    if (!modelVersion)
        return modelVersion.failure();
    m.lineage.modelVersion = int(*modelVersion);
    auto dataset = r.object(*lin, QStringLiteral("dataset"), QStringLiteral("lineage.dataset"));
    if (!dataset)
        return dataset.failure();
    auto datasetId = r.integer(*dataset, QStringLiteral("id"), QStringLiteral("lineage.dataset.id"), 0, kMaxId);
    if (!datasetId)
        return datasetId.failure();
    m.lineage.datasetId = *datasetId;
    if (auto s = text(*dataset, "name", QStringLiteral("lineage.dataset.name"), m.lineage.datasetName, false); !s)
        return s.failure();
    if (auto s = text(*dataset, "sha256", QStringLiteral("lineage.dataset.sha256"), m.lineage.datasetSha256, false); !s)
        return s.failure();
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    if (!m.lineage.datasetSha256.isEmpty() && !hex64.match(m.lineage.datasetSha256).hasMatch())
        return r.wrong(QStringLiteral("lineage.dataset.sha256"), QStringLiteral("must be 64 lowercase hex digits"));
    const QJsonValue metrics = lin->value(QStringLiteral("metrics"));
    if (!metrics.isUndefined() && !metrics.isObject())
        return r.wrong(QStringLiteral("lineage.metrics"), QStringLiteral("must be an object"));
    m.lineage.metrics = metrics.toObject();

    // runtime
    auto runtime = r.object(root, QStringLiteral("runtime"), QStringLiteral("runtime"));
    if (!runtime)
        return runtime.failure();
    if (auto s = text(*runtime, "libtorch", QStringLiteral("runtime.libtorch"), m.libtorchVersion, true); !s)
        return s.failure();
    if (auto s = text(*runtime, "mlwb", QStringLiteral("runtime.mlwb"), m.mlwbVersion, false); !s)
        return s.failure();
    return m;
}

} // namespace mlwb
