// SPDX-License-Identifier: MIT
// The Open Inference Protocol v2 codec: requests in every form real clients send, the refusals
// with what is wrong and where, and answers read back the way the clients read them.

#include "serve/oip_request.h"
#include "serve/oip_response.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace mlwb {
namespace {

const OipRequest::InputSpec kSpec{QStringLiteral("INPUT__0"), 4};

Result<OipRequest> parse(const QByteArray &body)
{
    return OipRequest::parse(body, std::nullopt, kSpec);
}

QString refusal(const QByteArray &body)
{
    Result<OipRequest> r = parse(body);
    EXPECT_FALSE(r.ok()) << body.constData();
    return r ? QString() : r.error();
}

TEST(OipRequest, FlatAndNestedDataAreTheSameRows)
{
    auto flat = parse(R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7,8]}]})");
    auto nested = parse(R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","data":[[1,2,3,4],[5,6,7,8]]}]})");
    ASSERT_TRUE(flat) << qPrintable(flat.error());
    ASSERT_TRUE(nested) << qPrintable(nested.error());
    EXPECT_EQ(flat->rows(), 2);
    EXPECT_EQ(flat->values(), nested->values());
    EXPECT_EQ(flat->values(), (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_FALSE(flat->hasId());
}

TEST(OipRequest, KServeClientFormWithIdModelNameAndNoOutputs)
{
    // KServe's InferenceRESTClient adds model_name and a uuid id to every body.
    auto r = parse(R"({"id":"0f8fad5b-d9cb-469f-a165-70867728950e","model_name":"iris","parameters":{"x":1},)"
                   R"("inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2],"parameters":{}}]})");
    ASSERT_TRUE(r) << qPrintable(r.error());
    EXPECT_TRUE(r->hasId());
    EXPECT_EQ(r->id(), QStringLiteral("0f8fad5b-d9cb-469f-a165-70867728950e"));
    EXPECT_TRUE(r->outputs().empty());
    EXPECT_FLOAT_EQ(r->values()[0], 5.1f);
}

TEST(OipRequest, OneRowMayComeAsShapeF)
{
    auto r = parse(R"({"inputs":[{"name":"INPUT__0","shape":[4],"datatype":"FP32","data":[1,2,3,4]}]})");
    ASSERT_TRUE(r) << qPrintable(r.error());
    EXPECT_EQ(r->rows(), 1);
}

TEST(OipRequest, MissingValuesAreNaN)
{
    auto r = parse(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[null,"NaN",3,4]}]})");
    ASSERT_TRUE(r) << qPrintable(r.error());
    EXPECT_TRUE(std::isnan(r->values()[0]));
    EXPECT_TRUE(std::isnan(r->values()[1]));
}

TEST(OipRequest, BinaryTensorExtensionAsTritonclientSendsIt)
{
    const float rows[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const QByteArray header = R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}],)"
                              R"("outputs":[{"name":"probabilities","parameters":{"binary_data":true}}]})";
    QByteArray body = header;
    body.append(reinterpret_cast<const char *>(rows), sizeof rows);
    auto r = OipRequest::parse(body, header.size(), kSpec);
    ASSERT_TRUE(r) << qPrintable(r.error());
    EXPECT_EQ(r->values(), (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
    ASSERT_EQ(r->outputs().size(), 1u);
    EXPECT_EQ(r->outputs()[0].name, QStringLiteral("probabilities"));
    EXPECT_EQ(r->outputs()[0].binary, std::optional<bool>(true));

    auto truncated = OipRequest::parse(body.left(body.size() - 5), header.size(), kSpec);
    ASSERT_FALSE(truncated);
    EXPECT_TRUE(truncated.error().contains(QStringLiteral("truncated"))) << qPrintable(truncated.error());
    auto longer = OipRequest::parse(body + "xx", header.size(), kSpec);
    ASSERT_FALSE(longer);
    auto beyond = OipRequest::parse(body, body.size() + 1, kSpec);
    ASSERT_FALSE(beyond);
    EXPECT_TRUE(beyond.error().contains(QStringLiteral("Inference-Header-Content-Length"))) << qPrintable(beyond.error());
    auto noHeader = OipRequest::parse(body, std::nullopt, kSpec);
    ASSERT_FALSE(noHeader); // the binary part is not JSON
}

TEST(OipRequest, BinarySizeMustMatchTheShape)
{
    const QByteArray header = R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":16}}]})";
    QByteArray body = header + QByteArray(16, '\0');
    auto r = OipRequest::parse(body, header.size(), kSpec);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().contains(QStringLiteral("binary_data_size is 16 bytes"))) << qPrintable(r.error());
}

TEST(OipRequest, RefusalsNameWhatIsWrong)
{
    EXPECT_TRUE(refusal("{not json").contains(QStringLiteral("not valid JSON")));
    EXPECT_TRUE(refusal("[1,2]").contains(QStringLiteral("JSON object")));
    EXPECT_TRUE(refusal("{}").contains(QStringLiteral("\"inputs\"")));
    EXPECT_TRUE(refusal(R"({"inputs":[]})").contains(QStringLiteral("has 0")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})").contains(QStringLiteral("\"x\"")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"INT64","data":[1,2,3,4]}]})").contains(QStringLiteral("INT64")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]}]})").contains(QStringLiteral("[1, 5]")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3]}]})").contains(QStringLiteral("3 values")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4,5]}]})").contains(QStringLiteral("more values")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,"a",3,4]}]})").contains(QStringLiteral("data[1] is a string")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]}]})").contains(QStringLiteral("shape[0]")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[0,4],"datatype":"FP32","data":[]}]})").contains(QStringLiteral("no rows")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[[[[[[[[[1]]]]]]]]]}]})").contains(QStringLiteral("nested")));
    EXPECT_TRUE(refusal(R"({"id":7,"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})").contains(QStringLiteral("id")));
    EXPECT_TRUE(refusal(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{}]})").contains(QStringLiteral("outputs[0]")));
}

TEST(OipRequest, SpecLookupSeesTheIdAndItsErrorIsReturned)
{
    QString seen;
    auto r = OipRequest::parse(R"({"id":"abc","inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})",
                               std::nullopt, [&](const QString *id) -> Result<OipRequest::InputSpec> {
                                   seen = id ? *id : QStringLiteral("none");
                                   return notFound(QStringLiteral("no model"));
                               });
    ASSERT_FALSE(r);
    EXPECT_EQ(seen, QStringLiteral("abc"));
    EXPECT_EQ(r.kind(), ErrorKind::NotFound);
}

InferenceEngine::Prediction twoRows()
{
    InferenceEngine::Prediction p;
    p.rows = 2;
    p.width = 3;
    p.outputs = {1.5f, -2.f, 0.25f, NAN, INFINITY, -INFINITY};
    p.probabilities = {0.7f, 0.1f, 0.2f, 0.2f, 0.5f, 0.3f};
    p.classes = {0, 1};
    return p;
}

const OipResponse::Model kIris{QStringLiteral("iris"), QStringLiteral("1.2.0"),
                               {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")}, true};

TEST(OipResponse, JsonNamesTheModelVersionAndIdAndKeepsNonFiniteValues)
{
    auto request = parse(R"({"id":"r-1","inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7,8]}]})");
    ASSERT_TRUE(request);
    const OipResponse r = OipResponse::encode(*request, kIris, twoRows());
    EXPECT_EQ(r.jsonLength, -1);
    EXPECT_EQ(r.body.toStdString(),
              R"({"model_name":"iris","model_version":"1.2.0","id":"r-1","outputs":[)"
              R"({"name":"OUTPUT__0","datatype":"FP32","shape":[2,3],"data":[1.5,-2,0.25,NaN,Infinity,-Infinity]},)"
              R"({"name":"probabilities","datatype":"FP32","shape":[2,3],"data":[0.7,0.1,0.2,0.2,0.5,0.3]},)"
              R"({"name":"label","datatype":"BYTES","shape":[2],"data":["setosa","versicolor"]}]})");
}

TEST(OipResponse, RequestedBinaryOutputsFollowTheJsonHeader)
{
    const QByteArray header = R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7,8]}],)"
                              R"("outputs":[{"name":"probabilities","parameters":{"binary_data":true}},{"name":"label","parameters":{"binary_data":true}}]})";
    auto request = parse(header);
    ASSERT_TRUE(request) << qPrintable(request.error());
    const OipResponse r = OipResponse::encode(*request, kIris, twoRows());
    ASSERT_GT(r.jsonLength, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.body.left(r.jsonLength)).object();
    const QJsonArray outputs = json.value(QStringLiteral("outputs")).toArray();
    ASSERT_EQ(outputs.size(), 2); // only what was asked for
    EXPECT_EQ(outputs[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("probabilities"));
    const qint64 probBytes = outputs[0].toObject().value(QStringLiteral("parameters")).toObject().value(QStringLiteral("binary_data_size")).toInteger();
    ASSERT_EQ(probBytes, 24);
    float probs[6];
    std::memcpy(probs, r.body.constData() + r.jsonLength, sizeof probs);
    EXPECT_FLOAT_EQ(probs[0], 0.7f);
    EXPECT_FLOAT_EQ(probs[4], 0.5f);
    // BYTES: a little-endian length before each element.
    const QByteArray labels = r.body.mid(r.jsonLength + probBytes);
    quint32 n = 0;
    std::memcpy(&n, labels.constData(), 4);
    EXPECT_EQ(n, 6u);
    EXPECT_EQ(labels.mid(4, 6), QByteArray("setosa"));
    EXPECT_EQ(labels.mid(14, 10), QByteArray("versicolor"));
    EXPECT_EQ(labels.size(), 24);
}

TEST(OipResponse, UnknownOutputIsRefusedBeforeTheModelRuns)
{
    auto request = parse(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"logits"}]})");
    ASSERT_TRUE(request);
    Status s = OipResponse::checkOutputs(*request, true);
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().contains(QStringLiteral("\"logits\""))) << qPrintable(s.error());
    auto regression = parse(R"({"inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"label"}]})");
    ASSERT_TRUE(regression);
    EXPECT_FALSE(OipResponse::checkOutputs(*regression, false));
    EXPECT_TRUE(OipResponse::checkOutputs(*regression, true));
}

} // namespace
} // namespace mlwb

namespace mlwb {
namespace {

TEST(OipRequest, AShapeTheBodyCannotHoldIsRefusedBeforeAllocating)
{
    // 10^12 rows would be 16 TB of floats: refused by size, not by running out of memory.
    auto r = OipRequest::parse(R"({"inputs":[{"name":"INPUT__0","shape":[1000000000000,4],"datatype":"FP32","data":[1,2,3,4]}]})",
                               std::nullopt, OipRequest::InputSpec{QStringLiteral("INPUT__0"), 4});
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().contains(QStringLiteral("more values than"))) << qPrintable(r.error());
    auto overflow = OipRequest::parse(R"({"inputs":[{"name":"INPUT__0","shape":[4611686018427387904,4],"datatype":"FP32","data":[1,2,3,4]}]})",
                                      std::nullopt, OipRequest::InputSpec{QStringLiteral("INPUT__0"), 4});
    ASSERT_FALSE(overflow);
}

} // namespace
} // namespace mlwb
