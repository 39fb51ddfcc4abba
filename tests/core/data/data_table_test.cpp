// SPDX-License-Identifier: MIT
#include "data/csv_importer.h"
#include "data/data_table.h"

#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstring>
#include <random>

using namespace mlwb;

namespace {

ColumnInfo column(const char *name, ColumnType type = ColumnType::Numeric,
                  QStringList categories = {})
{
    ColumnInfo c;
    c.name = QLatin1String(name);
    c.type = type;
    c.categories = std::move(categories);
    return c;
}

DataTable smallTable()
{
    ColumnInfo x = column("x");
    x.missing = 1;
    const ColumnInfo color = column("color", ColumnType::Categorical,
                                    {QStringLiteral("blue"), QStringLiteral("red")});
    const ColumnInfo flag = column("flag", ColumnType::Boolean,
                                   {QStringLiteral("no"), QStringLiteral("yes")});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto t = DataTable::create({x, color, flag},
                               {{1.5, nan, -2.0, 1e300}, {1, 0, 1, 1}, {0, 1, nan, 1}});
    EXPECT_TRUE(t.ok()) << qPrintable(t.error());
    DataTable table = std::move(*t);
    table.updateStatistics();
    return table;
}

} // namespace

TEST(DataTable, AccessAndStatistics)
{
    const DataTable t = smallTable();
    EXPECT_EQ(t.rowCount(), 4);
    EXPECT_EQ(t.columnCount(), 3);
    EXPECT_EQ(t.columnIndex(QStringLiteral("color")), 1);
    EXPECT_EQ(t.columnIndex(QStringLiteral("nope")), -1);
    EXPECT_TRUE(t.isMissing(1, 0));
    EXPECT_EQ(t.displayText(0, 0), QStringLiteral("1.5"));
    EXPECT_EQ(t.displayText(3, 0), QStringLiteral("1e+300"));
    EXPECT_EQ(t.displayText(1, 0), QString());
    EXPECT_EQ(t.displayText(0, 1), QStringLiteral("red"));
    EXPECT_EQ(t.displayText(1, 2), QStringLiteral("yes"));
    const ColumnInfo &x = t.column(0);
    EXPECT_EQ(x.missing, 1); // a source count, kept as given
    EXPECT_DOUBLE_EQ(x.min, -2.0);
    EXPECT_DOUBLE_EQ(x.max, 1e300);
    EXPECT_EQ(x.distinct, 3);
    EXPECT_EQ(t.column(1).categoryCounts, (QList<qint64>{1, 3}));
    EXPECT_EQ(t.column(2).categoryCounts, (QList<qint64>{1, 2}));
    EXPECT_EQ(t.column(1).distinct, 2);
}

TEST(DataTable, CreateRejectsInconsistentData)
{
    auto bad = DataTable::create(
        {column("color", ColumnType::Categorical, {QStringLiteral("a")})}, {{0, 1}});
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().contains(QStringLiteral("column 'color' row 2 holds code 1 outside "
                                                    "its 1 categories")))
        << qPrintable(bad.error());
    const ColumnInfo x = column("x");
    const ColumnInfo y = column("y");
    EXPECT_FALSE(DataTable::create({x, y}, {{1, 2}, {3}}).ok());
    EXPECT_FALSE(DataTable::create({x, x}, {{1}, {2}}).ok());
}

TEST(DataTable, SerializeRoundTrip)
{
    const DataTable t = smallTable();
    const QByteArray blob = t.serialize();
    auto back = DataTable::deserialize(blob);
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    ASSERT_EQ(back->rowCount(), t.rowCount());
    ASSERT_EQ(back->columnCount(), t.columnCount());
    for (int c = 0; c < t.columnCount(); ++c) {
        EXPECT_EQ(back->column(c).toJson(), t.column(c).toJson());
        for (qint64 r = 0; r < t.rowCount(); ++r) {
            if (t.isMissing(r, c))
                EXPECT_TRUE(back->isMissing(r, c));
            else
                EXPECT_EQ(back->value(r, c), t.value(r, c));
        }
    }
    EXPECT_EQ(back->serialize(), blob);
}

TEST(DataTable, DigitsBlobIsCompactAndExact)
{
    auto d = CsvImporter::importFile(test::datasetPath(QStringLiteral("digits.csv")));
    ASSERT_TRUE(d.ok()) << qPrintable(d.error());
    const QByteArray blob = d->table.serialize();
    // 1797 x 65 doubles are 934 KB raw; the byte-plane layout lets zlib shrink small integers.
    EXPECT_LT(blob.size(), 120 * 1024);
    auto back = DataTable::deserialize(blob);
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    for (int c = 0; c < 65; ++c)
        EXPECT_EQ(back->columnData(c), d->table.columnData(c));
    EXPECT_EQ(back->column(64).categories, d->table.column(64).categories);
}

// Large tables switch deflate between storing noisy byte planes and compressing the rest inside
// one stream; the blob must still round-trip exactly and shrink the compressible columns.
TEST(DataTable, LargeMixedEntropyBlobRoundTrips)
{
    const qint64 rows = 400'000; // 4 columns x 400k doubles: above the large-payload level switch
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> noise(-1e3, 1e3);
    std::vector<std::vector<double>> data(4, std::vector<double>(size_t(rows)));
    for (qint64 r = 0; r < rows; ++r) {
        data[0][size_t(r)] = noise(rng);                 // every byte plane noisy
        data[1][size_t(r)] = double(r % 17);             // small integers: highly compressible
        data[2][size_t(r)] = r % 1000 == 0 ? std::nan("") : std::round(noise(rng)) / 4;
        data[3][size_t(r)] = 42.0;
    }
    auto t = DataTable::create({column("noise"), column("small"), column("quarters"), column("constant")},
                               data);
    ASSERT_TRUE(t.ok()) << qPrintable(t.error());
    const QByteArray blob = t->serialize();
    ASSERT_FALSE(blob.isEmpty());
    // Raw: 12.8 MB. The noise column stays ~3.2 MB; the others shrink to a fraction.
    EXPECT_LT(blob.size(), 5 * 1024 * 1024);
    auto back = DataTable::deserialize(blob);
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    for (int c = 0; c < 4; ++c) {
        const auto &a = back->columnData(c);
        const auto &b = t->columnData(c);
        ASSERT_EQ(a.size(), b.size());
        EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0) << "column " << c;
    }
}

TEST(DataTable, DeserializeRejectsGarbage)
{
    const QByteArray blob = smallTable().serialize();
    const auto rejects = [](const QByteArray &bytes, const char *expected) {
        auto r = DataTable::deserialize(bytes);
        ASSERT_FALSE(r.ok()) << expected;
        EXPECT_TRUE(r.error().contains(QLatin1String(expected))) << qPrintable(r.error());
    };
    rejects(QByteArray(), "too short");
    rejects(QByteArray("hello world, this is not a table at all"), "does not start with");
    QByteArray version = blob;
    version[8] = 7;
    rejects(version, "format version 7 is not supported");
    QByteArray size = blob;
    size[16] = char(size[16] + 1);
    rejects(size, "corrupt dataset blob: size header");
    rejects(blob.left(blob.size() - 5), "corrupt dataset blob");
    QByteArray flipped = blob;
    flipped[flipped.size() - 10] = char(flipped[flipped.size() - 10] ^ 0x55);
    rejects(flipped, "corrupt dataset blob");
}

TEST(DataTable, SchemaJson)
{
    const DataTable t = smallTable();
    const QJsonObject schema = t.schemaJson();
    EXPECT_EQ(schema.value(QStringLiteral("rows")).toInteger(), 4);
    const QJsonObject color = schema.value(QStringLiteral("columns")).toArray().at(1).toObject();
    EXPECT_EQ(color.value(QStringLiteral("type")).toString(), QStringLiteral("categorical"));
    EXPECT_EQ(color.value(QStringLiteral("categories")).toArray().size(), 2);
    // Through text and back, NaN statistics included.
    const QJsonDocument doc = QJsonDocument::fromJson(QJsonDocument(schema).toJson());
    auto columns = DataTable::columnsFromSchemaJson(doc.object());
    ASSERT_TRUE(columns.ok()) << qPrintable(columns.error());
    ASSERT_EQ(columns->size(), 3);
    EXPECT_EQ((*columns)[2].type, ColumnType::Boolean);
    EXPECT_DOUBLE_EQ((*columns)[0].max, 1e300);

    QJsonObject broken = schema;
    QJsonArray cols = broken.value(QStringLiteral("columns")).toArray();
    QJsonObject first = cols.at(0).toObject();
    first.insert(QStringLiteral("type"), QStringLiteral("text"));
    cols.replace(0, first);
    broken.insert(QStringLiteral("columns"), cols);
    auto bad = DataTable::columnsFromSchemaJson(broken);
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().contains(QStringLiteral("column 'x': unknown type 'text'")))
        << qPrintable(bad.error());
}

TEST(DataTable, SelectRows)
{
    const DataTable t = smallTable();
    const DataTable s = t.selectRows({3, 0});
    EXPECT_EQ(s.rowCount(), 2);
    EXPECT_EQ(s.value(0, 0), 1e300);
    EXPECT_EQ(s.displayText(1, 1), QStringLiteral("red"));
    EXPECT_EQ(s.column(1).categoryCounts, (QList<qint64>{0, 2}));
}

TEST(ImportedDataset, SchemaAndBlobRestoreTheDataset)
{
    ImportOptions o;
    o.imageShape = std::array<int, 3>{1, 8, 8};
    auto d = CsvImporter::importFile(test::datasetPath(QStringLiteral("digits.csv")), o);
    ASSERT_TRUE(d.ok());
    const QJsonObject schema = d->schemaJson();
    EXPECT_EQ(schema.value(QStringLiteral("task")).toString(), QStringLiteral("classification"));
    EXPECT_EQ(schema.value(QStringLiteral("target")).toString(), QStringLiteral("digit"));
    auto back = ImportedDataset::restore(schema, d->serializeTable());
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(back->classNames, d->classNames);
    EXPECT_EQ(back->imageShape, d->imageShape);
    EXPECT_EQ(back->sha256, d->sha256);
    EXPECT_EQ(back->targetColumn, 64);
    EXPECT_EQ(back->table.rowCount(), 1797);

    QJsonObject wrong = schema;
    wrong.insert(QStringLiteral("imageShape"), QJsonArray{1, 8, 7});
    auto bad = ImportedDataset::restore(wrong, d->serializeTable());
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().contains(QStringLiteral("1x8x7 does not cover the 64 feature columns")))
        << qPrintable(bad.error());
}
