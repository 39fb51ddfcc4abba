// SPDX-License-Identifier: MIT
// OipRequest::parse on any bytes, as the agent's /v2/models/NAME/infer reads them from anyone
// who can reach it, in both forms: JSON alone, and Triton's binary extension with the
// Inference-Header-Content-Length header. An accepted request holds the rows its shape says and
// no more values than the body could carry; its answer (OipResponse::encode, on a made-up
// prediction with NaN and infinities) is JSON the Python clients read, and its binary parts add
// up to the body.
//
// Input: FLAGS FEATURES LEN[4, little-endian] BODY...
//   FLAGS bit 0: the request carries Inference-Header-Content-Length
//         bit 1: LEN is that value as it is (a signed 32-bit number, maybe negative or beyond
//                the body); otherwise LEN modulo (body size + 1), so mutations stay in range
//         bit 2: parse through the SpecLookup overload, which refuses the id "unknown"
//         bit 3: the response's model is a regression (one output)
//   FEATURES: the model's feature count, 1 + FEATURES % 64

#include "fuzz_check.h"

#include "serve/oip_request.h"
#include "serve/oip_response.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

using namespace mlwb;

namespace {

// NaN, Infinity and -Infinity outside strings become 0, so that QJsonDocument (strict JSON)
// reads what Python's json module reads. Inside strings nothing changes.
QByteArray withoutNonFiniteTokens(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size());
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size())
                out += json[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
            continue;
        }
        const QByteArrayView rest = QByteArrayView(json).sliced(i);
        for (const char *token : {"-Infinity", "Infinity", "NaN"}) {
            if (rest.startsWith(token)) {
                out += '0';
                i += qsizetype(std::strlen(token)) - 1;
                goto next;
            }
        }
        out += c;
    next:;
    }
    return out;
}

InferenceEngine::Prediction fakePrediction(const OipRequest &r, const OipResponse::Model &model)
{
    InferenceEngine::Prediction p;
    p.rows = r.rows();
    p.width = model.classification ? 3 : 1;
    const size_t n = size_t(p.rows * p.width);
    const float special[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(), -0.0f, 3.4e38f, 1e-45f};
    for (size_t i = 0; i < n; ++i) {
        const float v = r.values()[i % r.values().size()]; // the client's own values, NaN and all
        p.outputs.push_back(i % 5 == 4 ? special[(i / 5) % std::size(special)] : v);
        if (model.classification)
            p.probabilities.push_back(i % 7 == 3 ? std::numeric_limits<float>::quiet_NaN() : 1.0f / 3);
    }
    if (model.classification) {
        // Some rows' classes beyond the labels (-1, 3, 7): encode names them by number.
        for (qint64 row = 0; row < p.rows; ++row)
            p.classes.push_back(row % 4 == 3 ? (row % 8 == 3 ? -1 : 3 + row % 5) : row % 3);
    }
    return p;
}

void checkAnswer(const OipRequest &request, bool classification)
{
    const OipResponse::Model model{QStringLiteral("iris \"mlp\"\n"), QStringLiteral("1.2.0"),
                                   {QStringLiteral("setosa"), QStringLiteral("vers\\icolor\t"), QStringLiteral("virgínica\x01")},
                                   classification};
    const InferenceEngine::Prediction p = fakePrediction(request, model);
    const OipResponse answer = OipResponse::encode(request, model, p);
    MLWB_FUZZ_CHECK(answer.jsonLength >= -1 && answer.jsonLength <= answer.body.size(), QString::number(answer.jsonLength));
    const QByteArray header = answer.jsonLength >= 0 ? answer.body.left(answer.jsonLength) : answer.body;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(withoutNonFiniteTokens(header), &error);
    MLWB_FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject(),
                    error.errorString() + QStringLiteral(" at %1 in ").arg(error.offset) + QString::fromUtf8(header));
    const QJsonObject root = doc.object();
    MLWB_FUZZ_CHECK(root.value(QLatin1String("model_name")).toString() == model.name, QString::fromUtf8(header));
    MLWB_FUZZ_CHECK(!request.hasId() || root.value(QLatin1String("id")).toString() == QString::fromUtf8(request.id().toUtf8()),
                    QString::fromUtf8(header));
    qint64 binaryBytes = 0;
    bool anyBinary = false;
    for (const QJsonValue &v : root.value(QLatin1String("outputs")).toArray()) {
        const QJsonObject o = v.toObject();
        const QJsonArray shape = o.value(QLatin1String("shape")).toArray();
        MLWB_FUZZ_CHECK(!shape.isEmpty() && shape.at(0).toInteger() == request.rows(), QString::fromUtf8(header));
        qint64 elements = 1;
        for (const QJsonValue &d : shape)
            elements *= d.toInteger();
        const QJsonValue size = o.value(QLatin1String("parameters")).toObject().value(QLatin1String("binary_data_size"));
        if (size.isDouble()) {
            anyBinary = true;
            MLWB_FUZZ_CHECK(size.toInteger() >= 0, QString::fromUtf8(header));
            if (o.value(QLatin1String("datatype")).toString() == QLatin1String("FP32"))
                MLWB_FUZZ_CHECK(size.toInteger() == elements * 4, QString::fromUtf8(header));
            binaryBytes += size.toInteger();
        } else {
            MLWB_FUZZ_CHECK(o.value(QLatin1String("data")).toArray().size() == elements, QString::fromUtf8(header));
        }
    }
    MLWB_FUZZ_CHECK(anyBinary == (answer.jsonLength >= 0), QString::fromUtf8(header));
    MLWB_FUZZ_CHECK(binaryBytes == answer.body.size() - header.size(),
                    QStringLiteral("binary parts of %1 bytes, %2 after the header").arg(binaryBytes).arg(answer.body.size() - header.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)
        return 0;
    const uint8_t flags = data[0];
    const qint64 features = 1 + data[1] % 64;
    int32_t len;
    std::memcpy(&len, data + 2, sizeof len); // little-endian, as x86-64
    const QByteArrayView body(reinterpret_cast<const char *>(data + 6), qsizetype(size - 6));
    std::optional<qint64> jsonLength;
    if (flags & 1)
        jsonLength = (flags & 2) ? qint64(len) : qint64(uint32_t(len) % uint64_t(body.size() + 1));

    const OipRequest::InputSpec spec{QStringLiteral("INPUT__0"), features};
    Result<OipRequest> r = [&] {
        if (!(flags & 4))
            return OipRequest::parse(body, jsonLength, spec);
        return OipRequest::parse(body, jsonLength, [&](const QString *id) -> Result<OipRequest::InputSpec> {
            if (id && *id == QLatin1String("unknown"))
                return Error{QStringLiteral("no version for id unknown"), ErrorKind::NotFound};
            return spec;
        });
    }();
    if (!r) {
        MLWB_FUZZ_CHECK(!r.error().isEmpty(), QStringLiteral("an empty refusal"));
        return 0;
    }
    MLWB_FUZZ_CHECK(r->rows() >= 1, QString::number(r->rows()));
    MLWB_FUZZ_CHECK(qint64(r->values().size()) == r->rows() * features,
                    QStringLiteral("%1 values for %2 rows of %3").arg(r->values().size()).arg(r->rows()).arg(features));
    MLWB_FUZZ_CHECK(r->rows() * features <= body.size(),
                    QStringLiteral("%1 x %2 values from %3 bytes").arg(r->rows()).arg(features).arg(body.size()));
    MLWB_FUZZ_CHECK(!(flags & 4) || !r->hasId() || r->id() != QLatin1String("unknown"), r->id());
    for (const OipRequest::RequestedOutput &o : r->outputs())
        MLWB_FUZZ_CHECK(!o.name.isEmpty(), QStringLiteral("an output without a name"));

    checkAnswer(*r, !(flags & 8));
    return 0;
}
