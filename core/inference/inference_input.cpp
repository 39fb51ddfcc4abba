// SPDX-License-Identifier: MIT
#include "inference/inference_input.h"

#include "common/json_number.h"
#include "data/csv_reader.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <functional>

namespace mlwb {

namespace {
constexpr qint64 kMaxBytes = qint64(512) << 20;
}

Result<InferenceInput> InferenceInput::fromFile(const QString &path, const QStringList &features)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    if (f.size() > kMaxBytes)
        return invalidInput(QStringLiteral("%1 is %2 bytes; predict reads at most %3").arg(path).arg(f.size()).arg(kMaxBytes));
    const QByteArray bytes = f.readAll();
    if (bytes.size() != f.size())
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    const QString name = QFileInfo(path).fileName();
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return fromJson(bytes, name, features);
    return fromCsv(bytes, name, features);
}

Result<InferenceInput> InferenceInput::fromCsv(const QByteArray &csv, const QString &name, const QStringList &features)
{
    QBuffer buffer;
    buffer.setData(csv);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, ',', name);
    if (!reader.next())
        return invalidInput(reader.hasError() ? reader.error() : QStringLiteral("%1 is empty: expected a header naming the features").arg(name));
    QStringList header;
    for (int i = 0; i < reader.fieldCount(); ++i)
        header << QString::fromUtf8(reader.field(i).data(), qsizetype(reader.field(i).size())).trimmed();
    std::vector<int> columns;
    for (const QString &feature : features) {
        const qsizetype at = header.indexOf(feature);
        if (at < 0)
            return invalidInput(QStringLiteral("%1: the header has no column \"%2\" (the model's features: %3)")
                                    .arg(name, feature, features.join(QStringLiteral(", "))));
        columns.push_back(int(at));
    }
    InferenceInput in;
    while (reader.next()) {
        if (reader.fieldCount() != header.size())
            return invalidInput(reader.message(reader.endPosition(), QStringLiteral("%1 fields; the header has %2")
                                                                         .arg(reader.fieldCount())
                                                                         .arg(header.size())));
        QJsonObject record;
        for (qsizetype k = 0; k < features.size(); ++k) {
            const std::string_view cell = reader.field(columns[size_t(k)]);
            const QString text = QString::fromUtf8(cell.data(), qsizetype(cell.size())).trimmed();
            record.insert(features[k], text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text));
        }
        in.records.append(record);
    }
    if (reader.hasError())
        return invalidInput(reader.error());
    in.rows = in.records.size();
    if (in.rows == 0)
        return invalidInput(QStringLiteral("%1 has a header but no rows").arg(name));
    return in;
}

Result<InferenceInput> InferenceInput::fromJson(const QByteArray &json, const QString &name, const QStringList &features)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return invalidInput(QStringLiteral("%1 is not valid JSON: %2 at offset %3").arg(name, error.errorString()).arg(error.offset));
    InferenceInput in;
    QJsonArray records;
    if (doc.isArray()) {
        records = doc.array();
    } else if (doc.object().value(QStringLiteral("records")).isArray()) {
        records = doc.object().value(QStringLiteral("records")).toArray();
    } else if (doc.object().value(QStringLiteral("inputs")).isArray()) {
        const QJsonObject o = doc.object();
        in.requestId = o.value(QStringLiteral("id")).toString();
        const QJsonObject input = o.value(QStringLiteral("inputs")).toArray().at(0).toObject();
        const QJsonArray shape = input.value(QStringLiteral("shape")).toArray();
        if (input.value(QStringLiteral("datatype")).toString() != QLatin1String("FP32"))
            return invalidInput(QStringLiteral("%1: inputs[0].datatype must be FP32").arg(name));
        if (shape.size() != 2 || shape.at(1).toInteger(-1) != features.size() || shape.at(0).toInteger(-1) < 1)
            return invalidInput(QStringLiteral("%1: inputs[0].shape must be [rows, %2]").arg(name).arg(features.size()));
        in.rows = shape.at(0).toInteger();
        // "data" may be flat (row-major) or nested rows.
        std::function<Status(const QJsonArray &)> flatten = [&](const QJsonArray &a) -> Status {
            for (const QJsonValue &v : a) {
                if (v.isArray()) {
                    if (auto s = flatten(v.toArray()); !s)
                        return s;
                    continue;
                }
                const std::optional<double> x = JsonNumber::to(v);
                if (!x)
                    return invalidInput(QStringLiteral("%1: inputs[0].data[%2] is not a number").arg(name).arg(in.raw.size()));
                in.raw.push_back(float(*x));
            }
            return {};
        };
        if (auto s = flatten(input.value(QStringLiteral("data")).toArray()); !s)
            return s.failure();
        if (qint64(in.raw.size()) != in.rows * features.size())
            return invalidInput(QStringLiteral("%1: inputs[0].data holds %2 values; shape [%3, %4] needs %5")
                                    .arg(name)
                                    .arg(in.raw.size())
                                    .arg(in.rows)
                                    .arg(features.size())
                                    .arg(in.rows * features.size()));
        return in;
    } else {
        return invalidInput(QStringLiteral("%1: expected an array of records, {\"records\": [...]} or an Open Inference "
                                           "Protocol request {\"inputs\": [...]}")
                                .arg(name));
    }
    in.records = records;
    in.rows = records.size();
    if (in.rows == 0)
        return invalidInput(QStringLiteral("%1 holds no records").arg(name));
    return in;
}

} // namespace mlwb
