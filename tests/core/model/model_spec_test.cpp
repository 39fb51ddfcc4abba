// SPDX-License-Identifier: MIT
// Spec parsing, the layer catalogue, shape inference and templates: everything torch-free.

#include "model/layer_catalog.h"
#include "model/model_spec.h"
#include "model/model_templates.h"
#include "model/shape_inference.h"


#include <gtest/gtest.h>

using namespace mlwb;

namespace {

ModelSpec parse(const char *json)
{
    auto spec = ModelSpec::fromJson(QByteArray(json));
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? std::string() : spec.error().toStdString());
    return spec.ok() ? *spec : ModelSpec{};
}

QString parseError(const char *json)
{
    auto spec = ModelSpec::fromJson(QByteArray(json));
    EXPECT_FALSE(spec.ok()) << "accepted: " << json;
    return spec.ok() ? QString() : spec.error();
}

ModelSpec templ(const char *kind, std::vector<qint64> input, qint64 outputs)
{
    auto spec = ModelTemplates::make(QString::fromLatin1(kind), std::move(input), outputs);
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? std::string() : spec.error().toStdString());
    return spec.ok() ? *spec : ModelSpec{};
}

std::vector<qint64> paramsPerRow(const ShapeReport &r)
{
    std::vector<qint64> out;
    for (const auto &l : r.layers)
        out.push_back(l.parameters);
    return out;
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_TRUE((haystack).contains(QStringLiteral(needle))) << "message: " << (haystack).toStdString()

} // namespace

TEST(ModelSpec, ParsesAndRoundTrips)
{
    const ModelSpec spec = parse(R"({"input":[64],"layers":[{"type":"Linear","out":128},{"type":"ReLU"},
        {"type":"Dropout","p":0.1},{"type":"Residual","projection":true,"layers":[{"type":"Linear","out":32},
        {"type":"GELU"}]},{"type":"Linear","out":10,"bias":false}]})");
    ASSERT_EQ(spec.inputShape, (std::vector<qint64>{64}));
    ASSERT_EQ(spec.layers.size(), 5u);
    EXPECT_EQ(spec.layers[3].type, QStringLiteral("Residual"));
    ASSERT_EQ(spec.layers[3].children.size(), 2u);
    EXPECT_EQ(spec.layers[3].children[1].type, QStringLiteral("GELU"));
    EXPECT_FALSE(spec.layers[3].params.contains(QStringLiteral("layers")));
    EXPECT_DOUBLE_EQ(LayerCatalog::realParam(spec.layers[2], QStringLiteral("p")), 0.1);
    EXPECT_FALSE(LayerCatalog::boolParam(spec.layers[4], QStringLiteral("bias")));

    auto again = ModelSpec::fromJson(spec.toJson());
    ASSERT_TRUE(again.ok()) << again.error().toStdString();
    EXPECT_EQ(*again, spec);
    auto indented = ModelSpec::fromJson(spec.toJson(QJsonDocument::Indented));
    ASSERT_TRUE(indented.ok());
    EXPECT_EQ(*indented, spec);
}

TEST(ModelSpec, DefaultsAreResolved)
{
    const ModelSpec spec = parse(R"({"input":[3,32,32],"layers":[{"type":"Conv2d","out":8,"kernel":3},
        {"type":"MaxPool2d","kernel":3},{"type":"BatchNorm2d"},{"type":"LeakyReLU"},{"type":"Dropout"}]})");
    EXPECT_EQ(LayerCatalog::intParam(spec.layers[0], QStringLiteral("stride")), 1);
    EXPECT_EQ(LayerCatalog::intParam(spec.layers[0], QStringLiteral("padding")), 0);
    EXPECT_TRUE(LayerCatalog::boolParam(spec.layers[0], QStringLiteral("bias")));
    EXPECT_EQ(LayerCatalog::intParam(spec.layers[1], QStringLiteral("stride")), 3);  // = kernel
    EXPECT_DOUBLE_EQ(LayerCatalog::realParam(spec.layers[2], QStringLiteral("eps")), 1e-5);
    EXPECT_DOUBLE_EQ(LayerCatalog::realParam(spec.layers[2], QStringLiteral("momentum")), 0.1);
    EXPECT_DOUBLE_EQ(LayerCatalog::realParam(spec.layers[3], QStringLiteral("slope")), 0.01);
    EXPECT_DOUBLE_EQ(LayerCatalog::realParam(spec.layers[4], QStringLiteral("p")), 0.5);
}

TEST(ModelSpec, CatalogListsRequiredTypes)
{
    for (const char *t : {"Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "Dropout", "BatchNorm1d",
                          "BatchNorm2d", "ReLU", "LeakyReLU", "GELU", "Tanh", "Sigmoid", "Residual"})
        EXPECT_NE(LayerCatalog::find(QString::fromLatin1(t)), nullptr) << t;
    EXPECT_EQ(LayerCatalog::find(QStringLiteral("Dense")), nullptr);
    const ParamInfo *p = LayerCatalog::findParam(QStringLiteral("Dropout"), QStringLiteral("p"));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->kind, ParamKind::Real);
    EXPECT_FALSE(p->maximumInclusive);
}

TEST(ModelSpec, UnknownLayerTypeNamesTheLayer)
{
    const QString e = parseError(R"({"input":[4],"layers":[{"type":"ReLU"},{"type":"Dense","out":3}]})");
    EXPECT_CONTAINS(e, "layer 1 (Dense)");
    EXPECT_CONTAINS(e, "unknown layer type");
    EXPECT_CONTAINS(e, "Linear");  // lists the known ones

    const QString lower = parseError(R"({"input":[4],"layers":[{"type":"linear","out":3}]})");
    EXPECT_CONTAINS(lower, "did you mean \"Linear\"");
}

TEST(ModelSpec, UnknownParameterNamesTheLayer)
{
    const QString e = parseError(R"({"input":[4],"layers":[{"type":"Linear","out":3,"units":5}]})");
    EXPECT_CONTAINS(e, "layer 0 (Linear): unknown parameter \"units\"");
    EXPECT_CONTAINS(e, "out, bias");
    const QString none = parseError(R"({"input":[4],"layers":[{"type":"ReLU","inplace":true}]})");
    EXPECT_CONTAINS(none, "layer 0 (ReLU): unknown parameter \"inplace\" (ReLU takes none)");
}

TEST(ModelSpec, BadValuesAreRejected)
{
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"Linear","out":-5}]})"),
                    "layer 0 (Linear): parameter \"out\" must be an integer >= 1, got -5");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"Linear","out":2.5}]})"), "got 2.5");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"Linear","out":"8"}]})"), "got \"8\"");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"Linear"}]})"),
                    "layer 0 (Linear): parameter \"out\" is required");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"ReLU"},{"type":"Dropout","p":1}]})"),
                    "layer 1 (Dropout): parameter \"p\" must be a number in [0, 1), got 1");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"Dropout","p":-0.1}]})"), "got -0.1");
    EXPECT_CONTAINS(parseError(R"({"input":[1,8,8],"layers":[{"type":"Conv2d","out":4,"kernel":0}]})"),
                    "layer 0 (Conv2d): parameter \"kernel\" must be an integer >= 1, got 0");
    EXPECT_CONTAINS(parseError(R"({"input":[1,8,8],"layers":[{"type":"Conv2d","out":4,"kernel":3,"padding":-1}]})"),
                    "parameter \"padding\" must be an integer >= 0");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"BatchNorm1d","eps":0}]})"),
                    "parameter \"eps\" must be a number > 0");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"BatchNorm1d","momentum":1.5}]})"),
                    "parameter \"momentum\" must be a number in [0, 1], got 1.5");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"type":"Linear","out":3,"bias":1}]})"),
                    "parameter \"bias\" must be true or false, got 1");
    EXPECT_CONTAINS(parseError(R"({"input":[1,8,8],"layers":[{"type":"MaxPool2d","kernel":2,"padding":2}]})"),
                    "layer 0 (MaxPool2d): parameter \"padding\" must be at most half the kernel (1), got 2");
}

TEST(ModelSpec, NestedErrorsCarryThePath)
{
    const QString e = parseError(R"({"input":[8],"layers":[{"type":"ReLU"},{"type":"Residual","layers":[
        {"type":"Linear","out":8},{"type":"Residual","layers":[{"type":"Tanh"},{"type":"Linear","out":0}]}]}]})");
    EXPECT_CONTAINS(e, "layer 1.1.1 (Linear)");
    EXPECT_CONTAINS(parseError(R"({"input":[8],"layers":[{"type":"Residual","layers":[]}]})"),
                    "layer 0 (Residual): a Residual block needs at least one layer");
    EXPECT_CONTAINS(parseError(R"({"input":[8],"layers":[{"type":"Linear","out":2,"layers":[{"type":"ReLU"}]}]})"),
                    "layer 0 (Linear): only Residual takes nested \"layers\"");
    EXPECT_CONTAINS(parseError(R"({"input":[8],"layers":[{"type":"Residual","layers":{"type":"ReLU"}}]})"),
                    "layer 0 (Residual): \"layers\" must be an array");
}

TEST(ModelSpec, DocumentLevelErrors)
{
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[)"), "not valid JSON");
    EXPECT_CONTAINS(parseError(R"([1,2])"), "must be a JSON object");
    EXPECT_CONTAINS(parseError(R"({"layers":[]})"), "\"input\" must be [features] or [channels, height, width]");
    EXPECT_CONTAINS(parseError(R"({"input":[4,4],"layers":[]})"), "got [4, 4]");
    EXPECT_CONTAINS(parseError(R"({"input":[0],"layers":[]})"), "\"input\"");
    EXPECT_CONTAINS(parseError(R"({"input":[4]})"), "\"layers\" must be an array");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[],"name":"x"})"), "unknown key \"name\"");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[{"out":3}]})"), "layer 0: \"type\" must be a string");
    EXPECT_CONTAINS(parseError(R"({"input":[4],"layers":[3]})"), "layer 0: expected an object");
}

TEST(ShapeInference, LinearParameterCountsByHand)
{
    const ModelSpec spec = parse(R"({"input":[64],"layers":[{"type":"Linear","out":128},{"type":"ReLU"},
        {"type":"Linear","out":10,"bias":false}]})");
    const ShapeReport r = ShapeInference::infer(spec);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    EXPECT_EQ(paramsPerRow(r), (std::vector<qint64>{8320, 0, 1280}));  // 64*128+128, -, 128*10
    EXPECT_EQ(r.totalParameters, 9600);
    EXPECT_EQ(r.output, (std::vector<qint64>{10}));
    EXPECT_EQ(r.layers[1].input, (std::vector<qint64>{128}));
    EXPECT_EQ(r.layers[0].label, QStringLiteral("Linear(128)"));
    EXPECT_EQ(r.layers[2].label, QStringLiteral("Linear(10, no bias)"));
}

TEST(ShapeInference, DigitsMlpTemplate)
{
    const ShapeReport r = ShapeInference::infer(templ("mlp", {64}, 10));
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    // Linear(256) ReLU Dropout Linear(128) ReLU Linear(10)
    EXPECT_EQ(paramsPerRow(r), (std::vector<qint64>{64 * 256 + 256, 0, 0, 256 * 128 + 128, 0, 128 * 10 + 10}));
    EXPECT_EQ(r.totalParameters, 50826);
    EXPECT_TRUE(ShapeInference::checkClassifierOutput(r, 10).ok());
}

TEST(ShapeInference, DigitsCnnTemplate)
{
    const ShapeReport r = ShapeInference::infer(templ("cnn", {1, 8, 8}, 10));
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    std::vector<std::pair<QString, std::vector<qint64>>> rows;
    for (const auto &l : r.layers)
        rows.push_back({l.type, l.output});
    using S = std::vector<qint64>;
    const std::vector<std::pair<QString, S>> expected{
        {QStringLiteral("Conv2d"), S{32, 8, 8}},      {QStringLiteral("BatchNorm2d"), S{32, 8, 8}},
        {QStringLiteral("ReLU"), S{32, 8, 8}},        {QStringLiteral("Conv2d"), S{64, 8, 8}},
        {QStringLiteral("BatchNorm2d"), S{64, 8, 8}}, {QStringLiteral("ReLU"), S{64, 8, 8}},
        {QStringLiteral("MaxPool2d"), S{64, 4, 4}},   {QStringLiteral("Flatten"), S{1024}},
        {QStringLiteral("Linear"), S{128}},           {QStringLiteral("ReLU"), S{128}},
        {QStringLiteral("Dropout"), S{128}},          {QStringLiteral("Linear"), S{10}}};
    EXPECT_EQ(rows, expected);
    // conv 1*32*9+32, bn 2*32, conv 32*64*9+64, bn 2*64, linear 1024*128+128, linear 128*10+10
    EXPECT_EQ(paramsPerRow(r), (std::vector<qint64>{320, 64, 0, 18496, 128, 0, 0, 0, 131200, 0, 0, 1290}));
    EXPECT_EQ(r.totalParameters, 151498);
}

TEST(ShapeInference, IrisAndDiabetesTemplates)
{
    const ShapeReport mlp = ShapeInference::infer(templ("mlp", {4}, 3));
    EXPECT_EQ(mlp.totalParameters, (4 * 256 + 256) + (256 * 128 + 128) + (128 * 3 + 3));
    const ShapeReport logistic = ShapeInference::infer(templ("logistic", {4}, 3));
    EXPECT_EQ(logistic.totalParameters, 15);
    EXPECT_TRUE(ShapeInference::checkClassifierOutput(logistic, 3).ok());
    const ShapeReport linear = ShapeInference::infer(templ("linear", {10}, 1));
    EXPECT_EQ(linear.totalParameters, 11);
    EXPECT_TRUE(ShapeInference::checkRegressionOutput(linear).ok());
    // A flat template over an image input flattens first.
    const ModelSpec flat = templ("mlp", {1, 8, 8}, 10);
    EXPECT_EQ(flat.layers.front().type, QStringLiteral("Flatten"));
    EXPECT_EQ(ShapeInference::infer(flat).totalParameters, 50826);
}

TEST(ShapeInference, TemplateErrors)
{
    auto cnn = ModelTemplates::make(QStringLiteral("cnn"), {64}, 10);
    ASSERT_FALSE(cnn.ok());
    EXPECT_CONTAINS(cnn.error(), "cnn template needs an image input");
    EXPECT_CONTAINS(cnn.error(), "[64]");
    EXPECT_FALSE(ModelTemplates::make(QStringLiteral("transformer"), {64}, 10).ok());
    EXPECT_FALSE(ModelTemplates::make(QStringLiteral("mlp"), {64}, 0).ok());
    EXPECT_FALSE(ModelTemplates::make(QStringLiteral("mlp"), {4, 4}, 2).ok());
    for (const QString &k : ModelTemplates::kinds())
        EXPECT_FALSE(ModelTemplates::description(k).isEmpty());
    // Bigger images get more pooling, so the head stays small.
    const ShapeReport big = ShapeInference::infer(templ("cnn", {3, 28, 28}, 10));
    ASSERT_TRUE(big.ok()) << big.error.toStdString();
    const auto flatten = std::find_if(big.layers.begin(), big.layers.end(),
                                      [](const LayerShape &l) { return l.type == QLatin1String("Flatten"); });
    ASSERT_NE(flatten, big.layers.end());
    EXPECT_EQ(flatten->input, (std::vector<qint64>{64, 3, 3}));
}

TEST(ShapeInference, RankMismatchMessage)
{
    const ModelSpec spec = parse(R"({"input":[1,8,8],"layers":[{"type":"Conv2d","out":16,"kernel":3,"padding":1},
        {"type":"MaxPool2d","kernel":2},{"type":"Linear","out":10},{"type":"ReLU"}]})");
    const ShapeReport r = ShapeInference::infer(spec);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error, QStringLiteral("layer 2 (Linear): expects input of rank 1 [features], got [16, 4, 4]; "
                                      "add a Flatten before it"));
    ASSERT_EQ(r.layers.size(), 4u);
    EXPECT_EQ(r.layers[1].output, (std::vector<qint64>{16, 4, 4}));
    EXPECT_EQ(r.layers[2].error, r.error);
    EXPECT_EQ(r.layers[2].input, (std::vector<qint64>{16, 4, 4}));
    EXPECT_TRUE(r.layers[2].output.empty());
    EXPECT_TRUE(r.layers[3].input.empty());
    EXPECT_TRUE(r.layers[3].error.isEmpty());
    EXPECT_TRUE(r.output.empty());
    EXPECT_EQ(ShapeInference::check(spec).error(), r.error);
    EXPECT_CONTAINS(ShapeInference::summary(r), "Error: layer 2 (Linear)");
}

TEST(ShapeInference, ImageLayersOnFlatInput)
{
    const ShapeReport conv = ShapeInference::infer(parse(R"({"input":[64],"layers":[{"type":"Conv2d","out":4,"kernel":3}]})"));
    EXPECT_CONTAINS(conv.error, "layer 0 (Conv2d): expects input of rank 3 [channels, height, width], got [64]");
    EXPECT_CONTAINS(conv.error, "[1, 8, 8]");
    const ShapeReport bn = ShapeInference::infer(parse(R"({"input":[64],"layers":[{"type":"BatchNorm2d"}]})"));
    EXPECT_CONTAINS(bn.error, "layer 0 (BatchNorm2d): expects input of rank 3");
    const ShapeReport bn1 = ShapeInference::infer(parse(R"({"input":[3,8,8],"layers":[{"type":"BatchNorm1d"}]})"));
    EXPECT_CONTAINS(bn1.error, "use BatchNorm2d for images");
    const ShapeReport big = ShapeInference::infer(parse(R"({"input":[1,3,3],"layers":[{"type":"Conv2d","out":4,"kernel":5}]})"));
    EXPECT_CONTAINS(big.error, "layer 0 (Conv2d): a kernel of 5 with padding 0 needs height and width of at least 5, got [1, 3, 3]");
    const ShapeReport pool = ShapeInference::infer(parse(R"({"input":[2,9,9],"layers":[{"type":"AvgPool2d","kernel":3,"stride":2,"padding":1}]})"));
    ASSERT_TRUE(pool.ok());
    EXPECT_EQ(pool.output, (std::vector<qint64>{2, 5, 5}));  // (9+2-3)/2+1
}

TEST(ShapeInference, ResidualBlocks)
{
    const ModelSpec plain = parse(R"({"input":[16],"layers":[{"type":"Residual","layers":[
        {"type":"Linear","out":16},{"type":"ReLU"}]},{"type":"Linear","out":2}]})");
    const ShapeReport r = ShapeInference::infer(plain);
    ASSERT_TRUE(r.ok()) << r.error.toStdString();
    ASSERT_EQ(r.layers.size(), 4u);
    EXPECT_EQ(r.layers[0].path, (std::vector<int>{0}));
    EXPECT_EQ(r.layers[1].path, (std::vector<int>{0, 0}));
    EXPECT_EQ(r.layers[2].path, (std::vector<int>{0, 1}));
    EXPECT_EQ(r.layers[3].path, (std::vector<int>{1}));
    EXPECT_EQ(r.totalParameters, 16 * 16 + 16 + 16 * 2 + 2);

    const ShapeReport bad = ShapeInference::infer(parse(R"({"input":[16],"layers":[{"type":"ReLU"},
        {"type":"Residual","layers":[{"type":"Linear","out":8}]}]})"));
    EXPECT_CONTAINS(bad.error, "layer 1 (Residual): the block's layers map [16] to [8]");
    EXPECT_CONTAINS(bad.error, "\"projection\": true");
    EXPECT_EQ(bad.layers[1].error, bad.error);
    EXPECT_TRUE(bad.layers[2].error.isEmpty());

    const ShapeReport linProj = ShapeInference::infer(parse(R"({"input":[16],"layers":[
        {"type":"Residual","projection":true,"layers":[{"type":"Linear","out":8}]}]})"));
    ASSERT_TRUE(linProj.ok()) << linProj.error.toStdString();
    EXPECT_EQ(linProj.layers[0].parameters, 16 * 8 + 8);
    EXPECT_EQ(linProj.totalParameters, 2 * (16 * 8 + 8));

    const ShapeReport convProj = ShapeInference::infer(parse(R"({"input":[8,8,8],"layers":[
        {"type":"Residual","projection":true,"layers":[{"type":"Conv2d","out":16,"kernel":3,"stride":2,"padding":1},
        {"type":"BatchNorm2d"}]}]})"));
    ASSERT_TRUE(convProj.ok()) << convProj.error.toStdString();
    EXPECT_EQ(convProj.output, (std::vector<qint64>{16, 4, 4}));
    EXPECT_EQ(convProj.layers[0].parameters, 8 * 16 + 16);
    EXPECT_EQ(ShapeInference::projectionStride({8, 8, 8}, {16, 4, 4}), 2);
    EXPECT_EQ(ShapeInference::projectionStride({8, 7, 7}, {16, 4, 4}), 2);
    EXPECT_EQ(ShapeInference::projectionStride({8, 8, 8}, {16, 8, 8}), 1);
    EXPECT_EQ(ShapeInference::projectionStride({8, 8, 8}, {16, 1, 1}), 8);
    EXPECT_FALSE(ShapeInference::projectionStride({8, 8, 8}, {16, 6, 6}).has_value());

    const ShapeReport rankProj = ShapeInference::infer(parse(R"({"input":[2,4,4],"layers":[
        {"type":"Residual","projection":true,"layers":[{"type":"Flatten"}]}]})"));
    EXPECT_CONTAINS(rankProj.error, "layer 0 (Residual): cannot project the shortcut [2, 4, 4] onto the body's output [32]");

    const ShapeReport nested = ShapeInference::infer(parse(R"({"input":[1,8,8],"layers":[{"type":"Residual","layers":[
        {"type":"Residual","layers":[{"type":"Linear","out":4}]}]}]})"));
    EXPECT_CONTAINS(nested.error, "layer 0.0.0 (Linear): expects input of rank 1");
}

TEST(ShapeInference, ParameterErrorsAppearOnTheirRow)
{
    ModelSpec spec;
    spec.inputShape = {4};
    spec.layers = {LayerSpec{QStringLiteral("Linear"), {{QStringLiteral("out"), 8}}, {}},
                   LayerSpec{QStringLiteral("Dropout"), {{QStringLiteral("p"), 2}}, {}},
                   LayerSpec{QStringLiteral("Linear"), {{QStringLiteral("out"), 2}}, {}}};
    const ShapeReport r = ShapeInference::infer(spec);
    EXPECT_EQ(r.error, QStringLiteral("layer 1 (Dropout): parameter \"p\" must be a number in [0, 1), got 2"));
    EXPECT_EQ(r.layers[0].output, (std::vector<qint64>{8}));
    EXPECT_EQ(r.layers[1].error, r.error);
    EXPECT_EQ(spec.validate().error(), r.error);

    spec.inputShape = {4, 4};
    EXPECT_CONTAINS(ShapeInference::infer(spec).error, "the model input must be");
}

TEST(ShapeInference, OutputChecks)
{
    const ShapeReport r = ShapeInference::infer(templ("mlp", {64}, 10));
    const Status cls = ShapeInference::checkClassifierOutput(r, 3);
    ASSERT_FALSE(cls.ok());
    EXPECT_CONTAINS(cls.error(), "outputs [10]");
    EXPECT_CONTAINS(cls.error(), "classification into 3 classes needs [3]");
    const Status reg = ShapeInference::checkRegressionOutput(r);
    EXPECT_CONTAINS(reg.error(), "regression needs [1]");
    const ShapeReport bad = ShapeInference::infer(parse(R"({"input":[1,8,8],"layers":[{"type":"Linear","out":1}]})"));
    EXPECT_EQ(ShapeInference::checkRegressionOutput(bad).error(), bad.error);
}

TEST(ShapeInference, AbsurdSizesAreErrorsNotOverflows)
{
    const ShapeReport r = ShapeInference::infer(parse(R"({"input":[1000000000],"layers":[{"type":"Linear","out":1000000000}]})"));
    EXPECT_CONTAINS(r.error, "too large");
}

// The spec the builder benchmark times per keystroke (bench_ui): a CNN plus 20 residual blocks.
TEST(ShapeInference, DeepResidualStackInfersEveryRow)
{
    ModelSpec spec = templ("cnn", {3, 32, 32}, 10);
    const size_t templateLayers = spec.layers.size();
    for (int i = 0; i < 20; ++i) {
        LayerSpec block{QStringLiteral("Residual"), {},
                        {LayerSpec{QStringLiteral("Linear"), {{QStringLiteral("out"), 10}}, {}},
                         LayerSpec{QStringLiteral("ReLU"), {}, {}}}};
        spec.layers.push_back(block);
    }
    const ShapeReport r = ShapeInference::infer(spec);
    ASSERT_TRUE(r.ok()) << qPrintable(r.error);
    EXPECT_EQ(r.output, (std::vector<qint64>{10}));
    // Every row has its shapes: each block is its own row plus its two layers.
    ASSERT_EQ(r.layers.size(), templateLayers + 20 * 3);
    for (const LayerShape &l : r.layers) {
        EXPECT_FALSE(l.output.empty()) << qPrintable(l.label);
        EXPECT_TRUE(l.error.isEmpty()) << qPrintable(l.error);
    }
    // Each block's Linear(10 -> 10): 110 parameters.
    EXPECT_EQ(r.layers.back().type, QStringLiteral("ReLU"));
    EXPECT_EQ(r.layers[r.layers.size() - 2].parameters, 110);
}
