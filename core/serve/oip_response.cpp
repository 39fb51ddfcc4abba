// SPDX-License-Identifier: MIT
#include "serve/oip_response.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstring>

namespace mlwb {

namespace {

void appendJsonString(QByteArray &out, const QString &text)
{
    out.append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
                out.append(buf);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

void appendFloat(QByteArray &out, float v)
{
    if (std::isnan(v)) {
        out.append("NaN");
    } else if (std::isinf(v)) {
        out.append(v > 0 ? "Infinity" : "-Infinity");
    } else {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, static_cast<qsizetype>(r.ptr - buf));
    }
}

struct Output {
    const char *name;
    const char *datatype;
    qint64 rows;
    qint64 width; // 0: shape [rows]
    bool binary;
};

} // namespace

QStringList OipResponse::outputNames(bool classification)
{
    if (!classification)
        return {QString::fromLatin1(kOutput)};
    return {QString::fromLatin1(kOutput), QString::fromLatin1(kProbabilities), QString::fromLatin1(kLabel)};
}

Status OipResponse::checkOutputs(const OipRequest &request, bool classification)
{
    const QStringList names = outputNames(classification);
    for (const OipRequest::RequestedOutput &o : request.outputs())
        if (!names.contains(o.name))
            return invalidInput(QStringLiteral("the model has no output \"%1\"; it has %2").arg(o.name, names.join(QStringLiteral(", "))));
    return {};
}

OipResponse OipResponse::encode(const OipRequest &request, const Model &model,
                                const InferenceEngine::Prediction &p)
{
    std::vector<Output> outputs;
    auto add = [&](const char *name, const char *datatype, qint64 width) {
        bool wanted = request.outputs().empty();
        bool binary = request.binaryOutputs();
        for (const OipRequest::RequestedOutput &o : request.outputs())
            if (o.name == QLatin1String(name)) {
                wanted = true;
                binary = o.binary.value_or(request.binaryOutputs());
            }
        if (wanted)
            outputs.push_back(Output{name, datatype, p.rows, width, binary});
    };
    add(kOutput, "FP32", p.width);
    if (model.classification) {
        add(kProbabilities, "FP32", p.width);
        add(kLabel, "BYTES", 0);
    }

    auto labelOf = [&](qint64 row) {
        const qint64 c = row < qint64(p.classes.size()) ? p.classes[size_t(row)] : -1;
        return c >= 0 && c < model.labels.size() ? model.labels.at(c) : QString::number(c);
    };

    QByteArray json;
    QByteArray binary;
    json.reserve(256 + p.rows * p.width * 24);
    json.append("{\"model_name\":");
    appendJsonString(json, model.name);
    json.append(",\"model_version\":");
    appendJsonString(json, model.version);
    if (request.hasId()) {
        json.append(",\"id\":");
        appendJsonString(json, request.id());
    }
    json.append(",\"outputs\":[");
    for (size_t i = 0; i < outputs.size(); ++i) {
        const Output &o = outputs[i];
        if (i)
            json.append(',');
        json.append("{\"name\":\"").append(o.name).append("\",\"datatype\":\"").append(o.datatype).append("\",\"shape\":[");
        json.append(QByteArray::number(o.rows));
        if (o.width)
            json.append(',').append(QByteArray::number(o.width));
        json.append(']');
        const bool isLabel = std::strcmp(o.name, kLabel) == 0;
        const std::vector<float> *values = std::strcmp(o.name, kProbabilities) == 0 ? &p.probabilities : &p.outputs;
        if (o.binary) {
            const qsizetype start = binary.size();
            if (isLabel) {
                for (qint64 r = 0; r < o.rows; ++r) {
                    const QByteArray utf8 = labelOf(r).toUtf8();
                    const quint32 n = static_cast<quint32>(utf8.size()); // little-endian length, then the bytes
                    binary.append(reinterpret_cast<const char *>(&n), sizeof n);
                    binary.append(utf8);
                }
            } else {
                binary.append(reinterpret_cast<const char *>(values->data()), qsizetype(values->size() * sizeof(float)));
            }
            json.append(",\"parameters\":{\"binary_data_size\":").append(QByteArray::number(binary.size() - start)).append("}}");
            continue;
        }
        json.append(",\"data\":[");
        if (isLabel) {
            for (qint64 r = 0; r < o.rows; ++r) {
                if (r)
                    json.append(',');
                appendJsonString(json, labelOf(r));
            }
        } else {
            for (size_t k = 0; k < values->size(); ++k) {
                if (k)
                    json.append(',');
                appendFloat(json, (*values)[k]);
            }
        }
        json.append("]}");
    }
    json.append("]}");

    OipResponse r;
    if (binary.isEmpty() && std::none_of(outputs.begin(), outputs.end(), [](const Output &o) { return o.binary; })) {
        r.body = std::move(json);
        return r;
    }
    r.jsonLength = json.size();
    r.body = std::move(json);
    r.body.append(binary);
    return r;
}

} // namespace mlwb
