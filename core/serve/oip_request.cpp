// SPDX-License-Identifier: MIT
#include "serve/oip_request.h"

#include "common/json_number.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <cstring>
#include <limits>

namespace mlwb {

namespace {

// Nested data deeper than this is not a tensor of this model's rank.
constexpr int kMaxDataDepth = 8;

Result<qint64> nonNegativeInteger(const QJsonValue &v, const QString &where)
{
    if (!v.isDouble())
        return invalidInput(QStringLiteral("%1 must be a non-negative integer").arg(where));
    const double d = v.toDouble();
    if (!(d >= 0) || d != std::floor(d) || d > 9.0e15)
        return invalidInput(QStringLiteral("%1 must be a non-negative integer, not %2").arg(where).arg(d));
    return static_cast<qint64>(d);
}

// Flattens `data` (nested or flat, row-major) into `out`, at most `expected` values.
Status flattenData(const QJsonArray &data, qint64 expected, std::vector<float> &out, const QString &where)
{
    struct Frame {
        QJsonArray array;
        qsizetype next = 0;
    };
    std::vector<Frame> stack;
    stack.push_back(Frame{data, 0});
    while (!stack.empty()) {
        Frame &top = stack.back();
        if (top.next == top.array.size()) {
            stack.pop_back();
            continue;
        }
        const QJsonValue v = top.array.at(top.next++);
        if (v.isArray()) {
            if (static_cast<int>(stack.size()) >= kMaxDataDepth)
                return invalidInput(QStringLiteral("%1 is nested more than %2 deep").arg(where).arg(kMaxDataDepth));
            stack.push_back(Frame{v.toArray(), 0});
            continue;
        }
        if (static_cast<qint64>(out.size()) >= expected)
            return invalidInput(QStringLiteral("%1 holds more values than its shape's %2").arg(where).arg(expected));
        if (v.isNull()) {
            out.push_back(std::numeric_limits<float>::quiet_NaN()); // missing: imputed as in training
        } else if (v.isDouble()) {
            out.push_back(static_cast<float>(v.toDouble()));
        } else if (const std::optional<double> d = v.isString() ? JsonNumber::to(v) : std::nullopt) {
            out.push_back(static_cast<float>(*d)); // "NaN", "Infinity": how our own JSON writes them
        } else {
            return invalidInput(QStringLiteral("%1[%2] is %3, not a number (FP32)")
                                    .arg(where)
                                    .arg(out.size())
                                    .arg(v.isString() ? QStringLiteral("a string") : v.isBool() ? QStringLiteral("a boolean") : QStringLiteral("an object")));
        }
    }
    if (static_cast<qint64>(out.size()) != expected)
        return invalidInput(QStringLiteral("%1 holds %2 values; its shape needs %3").arg(where).arg(out.size()).arg(expected));
    return {};
}

} // namespace

Result<OipRequest> OipRequest::parse(QByteArrayView body, std::optional<qint64> jsonLength, const InputSpec &spec)
{
    return parse(body, jsonLength, [&spec](const QString *) -> Result<InputSpec> { return spec; });
}

Result<OipRequest> OipRequest::parse(QByteArrayView body, std::optional<qint64> jsonLength, const SpecLookup &specFor)
{
    QByteArrayView header = body;
    QByteArrayView binary;
    if (jsonLength) {
        if (*jsonLength < 0 || *jsonLength > body.size())
            return invalidInput(QStringLiteral("Inference-Header-Content-Length is %1, but the body has %2 bytes")
                                    .arg(*jsonLength)
                                    .arg(body.size()));
        header = body.first(*jsonLength);
        binary = body.sliced(*jsonLength);
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(header.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalidInput(QStringLiteral("the request is not valid JSON: %1 at byte %2")
                                .arg(parseError.errorString())
                                .arg(parseError.offset));
    if (!doc.isObject())
        return invalidInput(QStringLiteral("the request must be a JSON object"));
    const QJsonObject root = doc.object();

    OipRequest r;
    if (const QJsonValue id = root.value(QLatin1String("id")); !id.isUndefined()) {
        if (!id.isString())
            return invalidInput(QStringLiteral("id must be a string"));
        r.m_id = id.toString();
        r.m_hasId = true;
    }
    if (const QJsonValue p = root.value(QLatin1String("parameters")); !p.isUndefined()) {
        if (!p.isObject())
            return invalidInput(QStringLiteral("parameters must be an object"));
        const QJsonValue b = p.toObject().value(QLatin1String("binary_data_output"));
        if (!b.isUndefined() && !b.isBool())
            return invalidInput(QStringLiteral("parameters.binary_data_output must be true or false"));
        r.m_binaryOutputs = b.toBool(false);
    }
    Result<InputSpec> found = specFor(r.m_hasId ? &r.m_id : nullptr);
    if (!found)
        return found.failure();
    const InputSpec spec = *found;

    const QJsonValue inputsValue = root.value(QLatin1String("inputs"));
    if (!inputsValue.isArray())
        return invalidInput(QStringLiteral("the request has no \"inputs\" array"));
    const QJsonArray inputs = inputsValue.toArray();
    if (inputs.size() != 1)
        return invalidInput(QStringLiteral("the model takes one input, %1; the request has %2")
                                .arg(spec.name)
                                .arg(inputs.size()));
    if (!inputs.at(0).isObject())
        return invalidInput(QStringLiteral("inputs[0] must be an object"));
    const QJsonObject input = inputs.at(0).toObject();
    const QString where = QStringLiteral("inputs[0]");
    const QString name = input.value(QLatin1String("name")).toString();
    if (name != spec.name)
        return invalidInput(name.isEmpty() ? QStringLiteral("%1 has no name; the model's input is %2").arg(where, spec.name)
                                           : QStringLiteral("%1 is named \"%2\"; the model's input is %3").arg(where, name, spec.name));
    const QString datatype = input.value(QLatin1String("datatype")).toString();
    if (datatype != QLatin1String("FP32"))
        return invalidInput(QStringLiteral("%1 (%2) has datatype \"%3\"; the model takes FP32")
                                .arg(where, name, datatype.isEmpty() ? input.value(QLatin1String("datatype")).toVariant().toString() : datatype));
    const QJsonValue shapeValue = input.value(QLatin1String("shape"));
    if (!shapeValue.isArray())
        return invalidInput(QStringLiteral("%1 (%2) has no shape array").arg(where, name));
    const QJsonArray shape = shapeValue.toArray();
    std::vector<qint64> dims;
    for (qsizetype i = 0; i < shape.size(); ++i) {
        Result<qint64> d = nonNegativeInteger(shape.at(i), QStringLiteral("%1.shape[%2]").arg(where).arg(i));
        if (!d)
            return d.failure();
        dims.push_back(*d);
    }
    const QString shapeText = [&] {
        QStringList parts;
        for (qint64 d : dims)
            parts << QString::number(d);
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }();
    if (dims.size() == 2 && dims[1] == spec.features)
        r.m_rows = dims[0];
    else if (dims.size() == 1 && dims[0] == spec.features)
        r.m_rows = 1;
    else
        return invalidInput(QStringLiteral("%1 (%2) has shape %3; the model takes [rows, %4]")
                                .arg(where, name, shapeText)
                                .arg(spec.features));
    if (r.m_rows == 0)
        return invalidInput(QStringLiteral("%1 (%2) has no rows").arg(where, name));
    // Every value takes at least one byte of the body, so a shape the body cannot hold is refused
    // before anything is allocated for it (and before rows x features could overflow).
    if (spec.features > 0 && r.m_rows > qint64(body.size()) / spec.features)
        return invalidInput(QStringLiteral("%1 (%2) has shape %3, more values than the %4-byte body can hold")
                                .arg(where, name, shapeText)
                                .arg(body.size()));
    const qint64 count = r.m_rows * spec.features;

    qint64 binarySize = -1;
    if (const QJsonValue p = input.value(QLatin1String("parameters")); p.isObject()) {
        const QJsonValue size = p.toObject().value(QLatin1String("binary_data_size"));
        if (!size.isUndefined()) {
            Result<qint64> s = nonNegativeInteger(size, where + QStringLiteral(".parameters.binary_data_size"));
            if (!s)
                return s.failure();
            binarySize = *s;
        }
    } else if (!p.isUndefined()) {
        return invalidInput(QStringLiteral("%1.parameters must be an object").arg(where));
    }

    if (binarySize >= 0) {
        if (!jsonLength)
            return invalidInput(QStringLiteral("%1 has binary_data_size but the request has no Inference-Header-Content-Length header").arg(where));
        if (input.contains(QLatin1String("data")))
            return invalidInput(QStringLiteral("%1 has both data and binary_data_size").arg(where));
        if (binarySize != count * qint64(sizeof(float)))
            return invalidInput(QStringLiteral("%1.parameters.binary_data_size is %2 bytes; shape %3 of FP32 needs %4")
                                    .arg(where)
                                    .arg(binarySize)
                                    .arg(shapeText)
                                    .arg(count * qint64(sizeof(float))));
        if (binary.size() < binarySize)
            return invalidInput(QStringLiteral("the binary body of %1 is truncated: %2 of %3 bytes").arg(where).arg(binary.size()).arg(binarySize));
        if (binary.size() > binarySize)
            return invalidInput(QStringLiteral("the body holds %1 bytes after the JSON header; the inputs take %2")
                                    .arg(binary.size())
                                    .arg(binarySize));
        r.m_values.resize(static_cast<size_t>(count));
        std::memcpy(r.m_values.data(), binary.data(), static_cast<size_t>(binarySize)); // little-endian, as x86-64
    } else {
        if (jsonLength && !binary.isEmpty())
            return invalidInput(QStringLiteral("the body holds %1 bytes after the JSON header but no input has binary_data_size").arg(binary.size()));
        const QJsonValue data = input.value(QLatin1String("data"));
        if (!data.isArray())
            return invalidInput(QStringLiteral("%1 (%2) has no data array").arg(where, name));
        r.m_values.reserve(static_cast<size_t>(count));
        if (Status s = flattenData(data.toArray(), count, r.m_values, where + QStringLiteral(".data")); !s)
            return s.failure();
    }

    if (const QJsonValue outputs = root.value(QLatin1String("outputs")); !outputs.isUndefined()) {
        if (!outputs.isArray())
            return invalidInput(QStringLiteral("outputs must be an array"));
        const QJsonArray list = outputs.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonObject o = list.at(i).toObject();
            RequestedOutput out;
            out.name = o.value(QLatin1String("name")).toString();
            if (out.name.isEmpty())
                return invalidInput(QStringLiteral("outputs[%1] has no name").arg(i));
            const QJsonValue b = o.value(QLatin1String("parameters")).toObject().value(QLatin1String("binary_data"));
            if (b.isBool())
                out.binary = b.toBool();
            else if (!b.isUndefined())
                return invalidInput(QStringLiteral("outputs[%1].parameters.binary_data must be true or false").arg(i));
            r.m_outputs.push_back(std::move(out));
        }
    }
    return r;
}

} // namespace mlwb
