// SPDX-License-Identifier: MIT
#include "data/csv_importer.h"
#include "data/dataset_split.h"

#include "test_support.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace mlwb;

namespace {

ImportedDataset load(const char *name)
{
    auto d = CsvImporter::importFile(test::datasetPath(QLatin1String(name)));
    EXPECT_TRUE(d.ok()) << qPrintable(d.error());
    return d.ok() ? std::move(*d) : ImportedDataset{};
}

// Rows of each class in each part: counts[class][part].
std::vector<std::array<qint64, 3>> perClass(const ImportedDataset &d,
                                            const std::vector<quint8> &split)
{
    std::vector<std::array<qint64, 3>> counts(size_t(d.classNames.size()), {0, 0, 0});
    for (size_t r = 0; r < split.size(); ++r)
        ++counts[size_t(d.table.value(qint64(r), d.targetColumn))][split[r]];
    return counts;
}

} // namespace

TEST(DatasetSplit, ProportionsAndStratification)
{
    const ImportedDataset d = load("digits.csv");
    const auto split = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.7, 0.15, 42);
    ASSERT_EQ(split.size(), 1797u);
    const auto counts = DatasetSplit::counts(split);
    EXPECT_EQ(counts[0], 1258); // round(1797 * 0.7)
    EXPECT_EQ(counts[1], 270);  // round(1797 * 0.15)
    EXPECT_EQ(counts[2], 1797 - 1258 - 270);
    const ColumnInfo &target = d.table.column(d.targetColumn);
    const auto byClass = perClass(d, split);
    for (size_t c = 0; c < byClass.size(); ++c) {
        const double n = double(target.categoryCounts[qsizetype(c)]);
        EXPECT_LE(std::abs(double(byClass[c][0]) - n * 0.7), 1.0) << "class " << c;
        EXPECT_LE(std::abs(double(byClass[c][1]) - n * 0.15), 1.0) << "class " << c;
    }
}

TEST(DatasetSplit, IrisClassesSplitExactly)
{
    const ImportedDataset d = load("iris.csv");
    const auto split = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.6, 0.2, 7);
    for (const auto &c : perClass(d, split))
        EXPECT_EQ(c, (std::array<qint64, 3>{30, 10, 10}));
}

TEST(DatasetSplit, DeterministicForASeed)
{
    const ImportedDataset d = load("iris.csv");
    const auto a = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.7, 0.15, 123);
    const auto b = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.7, 0.15, 123);
    const auto c = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.7, 0.15, 124);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    // Pinned: std::mt19937_64 is specified exactly and the shuffle is our own, so this holds on
    // every platform and standard library.
    std::vector<qint64> test = DatasetSplit::rowsOf(a, SplitPart::Test);
    test.resize(8);
    EXPECT_EQ(test, (std::vector<qint64>{4, 8, 13, 26, 38, 40, 43, 51}));
}

TEST(DatasetSplit, RegressionIsNotStratified)
{
    const ImportedDataset d = load("diabetes.csv");
    const auto split = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.8, 0.0, 1);
    const auto counts = DatasetSplit::counts(split);
    EXPECT_EQ(counts[0], 354); // round(442 * 0.8)
    EXPECT_EQ(counts[1], 0);
    EXPECT_EQ(counts[2], 88);
}

TEST(DatasetSplit, FractionsAreClamped)
{
    const ImportedDataset d = load("iris.csv");
    const auto all = DatasetSplit::counts(
        DatasetSplit::make(d.table, d.targetColumn, d.task, 1.5, 0.5, 1));
    EXPECT_EQ(all, (std::array<qint64, 3>{150, 0, 0}));
    EXPECT_FALSE((SplitSpec{0.8, 0.3, 1}.validate().ok()));
    EXPECT_FALSE((SplitSpec{-0.1, 0.3, 1}.validate().ok()));
    EXPECT_TRUE((SplitSpec{0.8, 0.2, 1}.validate().ok()));
}

TEST(DatasetSplit, SerializeRoundTripAndGarbage)
{
    const ImportedDataset d = load("iris.csv");
    const auto split = DatasetSplit::make(d.table, d.targetColumn, d.task, 0.7, 0.15, 5);
    const QByteArray blob = DatasetSplit::serialize(split);
    auto back = DatasetSplit::deserialize(blob, 150);
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(*back, split);

    auto wrongRows = DatasetSplit::deserialize(blob, 151);
    ASSERT_FALSE(wrongRows.ok());
    EXPECT_TRUE(wrongRows.error().contains(QStringLiteral("split has 150 rows but the data set "
                                                          "has 151")));
    EXPECT_FALSE(DatasetSplit::deserialize(QByteArray("garbage garbage garbage")).ok());
    auto badPart = DatasetSplit::deserialize(DatasetSplit::serialize({0, 1, 2, 3}));
    ASSERT_FALSE(badPart.ok());
    EXPECT_TRUE(badPart.error().contains(QStringLiteral("row 4 has part 3")));

    const SplitSpec spec{0.6, 0.2, 18446744073709551557ull};
    const QJsonObject json =
        QJsonDocument::fromJson(QJsonDocument(spec.toJson()).toJson()).object();
    auto specBack = SplitSpec::fromJson(json);
    ASSERT_TRUE(specBack.ok()) << qPrintable(specBack.error());
    EXPECT_EQ(specBack->seed, spec.seed);
    EXPECT_DOUBLE_EQ(specBack->trainFraction, 0.6);
}

// The fingerprint runs keep of their split: equal assignments give equal fingerprints, a row that
// moves changes it; the first 16 hex digits of the assignment's SHA-256.
TEST(DatasetSplit, FingerprintIdentifiesTheAssignment)
{
    const std::vector<quint8> a = {0, 0, 1, 2, 0, 1};
    std::vector<quint8> b = a;
    EXPECT_EQ(DatasetSplit::fingerprint(a), DatasetSplit::fingerprint(b));
    b[1] = 2;
    EXPECT_NE(DatasetSplit::fingerprint(a), DatasetSplit::fingerprint(b));
    const QByteArray bytes(reinterpret_cast<const char *>(a.data()), qsizetype(a.size()));
    EXPECT_EQ(DatasetSplit::fingerprint(a),
              QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(16)));
}
