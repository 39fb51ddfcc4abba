// SPDX-License-Identifier: MIT
#include "data/csv_importer.h"
#include "data/dataset_split.h"
#include "data/preprocessing.h"

#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <numeric>

using namespace mlwb;

namespace {

ImportedDataset load(const QString &path, const ImportOptions &options = {})
{
    auto d = CsvImporter::importFile(path, options);
    EXPECT_TRUE(d.ok()) << qPrintable(d.error());
    return d.ok() ? std::move(*d) : ImportedDataset{};
}

std::vector<qint64> allRows(const DataTable &t)
{
    std::vector<qint64> rows(size_t(t.rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

} // namespace

TEST(Preprocessing, StatisticsComeFromTrainingRowsOnly)
{
    const ImportedDataset d = load(test::datasetPath(QStringLiteral("iris.csv")));
    const auto split = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.7, 0.15, 3);
    const auto train = DatasetSplit::rowsOf(split, SplitPart::Train);
    auto p = Preprocessing::fit(d, train);
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());

    double sum = 0;
    for (qint64 r : train)
        sum += d.table.value(r, 0);
    const double trainMean = sum / double(train.size());
    EXPECT_NEAR(p->features()[0].mean, trainMean, 1e-12);
    EXPECT_GT(std::abs(trainMean - d.table.column(0).mean), 1e-6); // differs from all rows

    // Standardised training inputs have mean 0 and std 1 per feature.
    const std::vector<float> x = p->transform(d.table, train);
    ASSERT_EQ(x.size(), train.size() * 4);
    for (int f = 0; f < 4; ++f) {
        double m = 0;
        double sq = 0;
        for (size_t i = 0; i < train.size(); ++i)
            m += x[i * 4 + size_t(f)];
        m /= double(train.size());
        for (size_t i = 0; i < train.size(); ++i)
            sq += (x[i * 4 + size_t(f)] - m) * (x[i * 4 + size_t(f)] - m);
        EXPECT_NEAR(m, 0.0, 1e-5);
        EXPECT_NEAR(std::sqrt(sq / double(train.size())), 1.0, 1e-5);
    }
    EXPECT_EQ(p->featureCount(), 4);
    EXPECT_EQ(p->inputShape(), (std::vector<qint64>{4}));
    EXPECT_EQ(p->outputCount(), 3);
    const auto y = p->classTargets(d.table, {0, 50, 149});
    EXPECT_EQ(y, (std::vector<qint64>{0, 1, 2}));
}

TEST(Preprocessing, DigitsImageUsesOneStatisticPerChannel)
{
    ImportOptions o;
    o.imageShape = std::array<int, 3>{1, 8, 8};
    const ImportedDataset d = load(test::datasetPath(QStringLiteral("digits.csv")), o);
    const auto train = DatasetSplit::rowsOf(
        DatasetSplit::make(d.table, d.targetColumn, d.task, 0.8, 0.1, 9), SplitPart::Train);
    auto p = Preprocessing::fit(d, train);
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());
    EXPECT_TRUE(p->isImage());
    EXPECT_EQ(p->inputShape(), (std::vector<qint64>{1, 8, 8}));
    EXPECT_EQ(p->featureCount(), 64);
    double sum = 0;
    for (qint64 r : train) {
        for (int c = 0; c < 64; ++c)
            sum += d.table.value(r, c);
    }
    const double mean = sum / double(train.size() * 64);
    for (const FeatureTransform &f : p->features()) {
        EXPECT_NEAR(f.mean, mean, 1e-9);
        EXPECT_DOUBLE_EQ(f.std, p->features()[0].std);
    }
    // pixel_0 is constant 0, yet it is scaled like its channel, not divided by zero.
    const std::vector<float> x = p->transform(d.table, {0});
    EXPECT_NEAR(x[0], float(-mean / p->features()[0].std), 1e-5);
}

TEST(Preprocessing, RegressionTargetsAreStandardisedAndUnscaled)
{
    const ImportedDataset d = load(test::datasetPath(QStringLiteral("diabetes.csv")));
    const auto train = DatasetSplit::rowsOf(
        DatasetSplit::make(d.table, d.targetColumn, d.task, 0.8, 0.0, 11), SplitPart::Train);
    auto p = Preprocessing::fit(d, train);
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());
    EXPECT_EQ(p->outputCount(), 1);
    const auto y = p->regressionTargets(d.table, train);
    double m = 0;
    for (float v : y)
        m += v;
    EXPECT_NEAR(m / double(y.size()), 0.0, 1e-5);
    EXPECT_NEAR(p->unscaleTarget(double(y[0])), d.table.value(train[0], d.targetColumn), 1e-3);
}

TEST(Preprocessing, OneHotBinaryAndMissingInputs)
{
    ImportOptions o;
    o.missing = MissingPolicy::ImputeMode;
    const ImportedDataset d = load(test::testDataPath(QStringLiteral("csv/booleans.csv")), o);
    // flag(bool) answer(bool) bits(num) x(num) -> 4 inputs; then one-hot for a categorical.
    auto p = Preprocessing::fit(d, allRows(d.table));
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());
    EXPECT_EQ(p->features()[0].encoding, FeatureEncoding::Binary);
    EXPECT_EQ(p->featureCount(), 4);
    const auto x = p->transform(d.table, {0});
    EXPECT_EQ(x[0], 1.0f); // TRUE
    EXPECT_EQ(x[1], 1.0f); // yes

    const ImportedDataset m = load(test::testDataPath(QStringLiteral("csv/missing.csv")), o);
    auto q = Preprocessing::fit(m, allRows(m.table));
    ASSERT_TRUE(q.ok()) << qPrintable(q.error());
    // a, b standardised; color one-hot over blue, red.
    EXPECT_EQ(q->featureCount(), 4);
    EXPECT_EQ(q->features()[2].encoding, FeatureEncoding::OneHot);
    EXPECT_EQ(q->features()[2].offset, 2);
    const auto row = q->transform(m.table, {1}); // color blue
    EXPECT_EQ(row[2], 1.0f);
    EXPECT_EQ(row[3], 0.0f);

    // Serving a raw record: labels, numbers as text, and null for missing.
    QJsonObject record{{QStringLiteral("a"), QJsonValue()},
                       {QStringLiteral("b"), QStringLiteral("35")},
                       {QStringLiteral("color"), QStringLiteral("red")}};
    std::vector<float> out(4, -9.0f);
    ASSERT_TRUE(q->transformRecord(record, out.data()).ok());
    // missing -> the mode policy's fill (1: every value ties, the smallest wins), standardised
    const FeatureTransform &a = q->features()[0];
    ASSERT_TRUE(a.fill.has_value());
    EXPECT_FLOAT_EQ(out[0], float((*a.fill - a.mean) / a.std));
    EXPECT_EQ(out[2], 0.0f);
    EXPECT_EQ(out[3], 1.0f);
    record.insert(QStringLiteral("color"), QStringLiteral("green"));
    const Status unknown = q->transformRecord(record, out.data());
    ASSERT_FALSE(unknown.ok());
    EXPECT_TRUE(unknown.error().contains(QStringLiteral("unknown category 'green' (known: blue, "
                                                        "red)")))
        << qPrintable(unknown.error());
    record.remove(QStringLiteral("b"));
    EXPECT_TRUE(q->transformRecord(record, out.data()).error().contains(
        QStringLiteral("no value for feature 'b'")));
}

// Imputed values are fitted on the training rows: values only validation or test rows hold never
// reach the fill, and the fill travels in the JSON to serving.
TEST(Preprocessing, ImputationIsFittedOnTrainingRowsOnly)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("leak.csv"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("x,colour,label\n1,red,a\n2,red,b\n10,blue,a\nNA,,b\n1000,blue,a\n1000,blue,b\nNA,,a\n");
    f.close();
    ImportOptions o;
    o.missing = MissingPolicy::ImputeMedian;
    const ImportedDataset d = load(path, o);
    ASSERT_EQ(d.table.rowCount(), 7);
    EXPECT_TRUE(d.table.isMissing(3, 0)); // stored as missing, not filled at import

    const std::vector<qint64> train{0, 1, 2, 3};
    auto p = Preprocessing::fit(d, train);
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());
    const FeatureTransform &x = p->features()[0];
    ASSERT_TRUE(x.fill.has_value());
    EXPECT_DOUBLE_EQ(*x.fill, 2.0); // median of 1, 2, 10; the 1000s are not training rows
    const FeatureTransform &colour = p->features()[1];
    ASSERT_TRUE(colour.fill.has_value());
    EXPECT_EQ(colour.categories.value(int(*colour.fill)), QStringLiteral("red"));

    // A missing test cell takes the training fill.
    const auto row = p->transform(d.table, {6});
    EXPECT_FLOAT_EQ(row[0], float((2.0 - x.mean) / x.std));
    EXPECT_EQ(row[colour.offset + int(*colour.fill)], 1.0f);

    auto back = Preprocessing::fromJson(p->toJson());
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    ASSERT_TRUE(back->features()[0].fill.has_value());
    EXPECT_DOUBLE_EQ(*back->features()[0].fill, 2.0);
    std::vector<float> served(size_t(p->featureCount()));
    ASSERT_TRUE(back->transformRecord({{QStringLiteral("x"), QJsonValue()},
                                       {QStringLiteral("colour"), QJsonValue()}},
                                      served.data())
                    .ok());
    EXPECT_FLOAT_EQ(served[0], row[0]);
    EXPECT_EQ(served[size_t(colour.offset) + size_t(*colour.fill)], 1.0f);
}

TEST(Preprocessing, JsonRoundTripIsSelfDescribing)
{
    const ImportedDataset d = load(test::datasetPath(QStringLiteral("iris.csv")));
    auto p = Preprocessing::fit(d, allRows(d.table));
    ASSERT_TRUE(p.ok());
    const QJsonObject json = p->toJson();
    EXPECT_EQ(json.value(QStringLiteral("format")).toString(),
              QStringLiteral("mlwb.preprocessing"));
    EXPECT_EQ(json.value(QStringLiteral("target")).toObject().value(QStringLiteral("classes"))
                  .toArray()
                  .size(),
              3);
    EXPECT_EQ(json.value(QStringLiteral("features")).toArray().at(0).toObject()
                  .value(QStringLiteral("name"))
                  .toString(),
              QStringLiteral("sepal_length_cm"));

    const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    auto back = Preprocessing::fromJson(reread);
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_TRUE(back->checkTable(d.table).ok());
    EXPECT_EQ(back->transform(d.table, {0, 77}), p->transform(d.table, {0, 77}));
    EXPECT_EQ(back->classNames(), p->classNames());
    EXPECT_EQ(back->toJson(), json);

    QJsonObject broken = json;
    QJsonObject input = broken.value(QStringLiteral("input")).toObject();
    input.insert(QStringLiteral("featureCount"), 5);
    broken.insert(QStringLiteral("input"), input);
    auto bad = Preprocessing::fromJson(broken);
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().contains(QStringLiteral("'input.featureCount'")));
}

TEST(Preprocessing, CheckTableCatchesAnotherDataset)
{
    const ImportedDataset iris = load(test::datasetPath(QStringLiteral("iris.csv")));
    const ImportedDataset diabetes = load(test::datasetPath(QStringLiteral("diabetes.csv")));
    auto p = Preprocessing::fit(iris, allRows(iris.table));
    ASSERT_TRUE(p.ok());
    const Status s = p->checkTable(diabetes.table);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().contains(QStringLiteral("column 0 is 'age', expected 'sepal_length_cm'")))
        << qPrintable(s.error());
}

TEST(Preprocessing, FitErrors)
{
    const ImportedDataset d = load(test::datasetPath(QStringLiteral("iris.csv")));
    EXPECT_TRUE(Preprocessing::fit(d, {}).error().contains(QStringLiteral("no training rows")));
    EXPECT_TRUE(Preprocessing::fit(d.table, 4, TaskKind::Regression, {0, 1})
                    .error()
                    .contains(QStringLiteral("regression target 'species' is categorical")));
    EXPECT_TRUE(Preprocessing::fit(d.table, 4, TaskKind::Classification, {0, 1},
                                   std::array<int, 3>{1, 2, 3})
                    .error()
                    .contains(QStringLiteral("image shape 1x2x3 does not match the 4 feature")));
}
