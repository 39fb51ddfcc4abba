// SPDX-License-Identifier: MIT
#include "data/csv_importer.h"
#include "data/preprocessing.h"

#include "test_support.h"

#include <QCryptographicHash>
#include <QFile>

#include <numeric>

using namespace mlwb;

namespace {

QString csvPath(const char *name)
{
    return test::testDataPath(QStringLiteral("csv/") + QLatin1String(name));
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *s : items)
        out.append(QString::fromUtf8(s));
    return out;
}

ImportedDataset importOk(const QString &path, const ImportOptions &options = {})
{
    auto r = CsvImporter::importFile(path, options);
    EXPECT_TRUE(r.ok()) << qPrintable(r.error());
    return r.ok() ? std::move(*r) : ImportedDataset{};
}

QString sha256Of(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                   .toHex());
}

} // namespace

TEST(CsvImporter, Iris)
{
    const QString path = test::datasetPath(QStringLiteral("iris.csv"));
    const ImportedDataset d = importOk(path);
    EXPECT_EQ(d.table.rowCount(), 150);
    EXPECT_EQ(d.table.columnCount(), 5);
    EXPECT_EQ(d.task, TaskKind::Classification);
    EXPECT_EQ(d.targetColumn, 4);
    EXPECT_EQ(d.targetName(), QStringLiteral("species"));
    EXPECT_EQ(d.classNames, strings({"setosa", "versicolor", "virginica"}));
    EXPECT_EQ(d.delimiter, QLatin1Char(','));
    EXPECT_TRUE(d.hasHeader);
    EXPECT_EQ(d.droppedRows, 0);
    EXPECT_EQ(d.sourceRows, 150);
    EXPECT_EQ(d.sha256, sha256Of(path));
    EXPECT_EQ(d.sha256,
              QStringLiteral("d32f10723d055c863a7e257d933706ec4fb6e9ec60e9567f68e377bbc6ca9da9"));

    const ColumnInfo &sepal = d.table.column(0);
    EXPECT_EQ(sepal.name, QStringLiteral("sepal_length_cm"));
    EXPECT_EQ(sepal.type, ColumnType::Numeric);
    EXPECT_DOUBLE_EQ(sepal.min, 4.3);
    EXPECT_DOUBLE_EQ(sepal.max, 7.9);
    EXPECT_TRUE(test::nearlyEqual(sepal.mean, 5.843333333333334, 1e-12));
    EXPECT_TRUE(test::nearlyEqual(sepal.stddev, 0.8253012917851409, 1e-12));
    EXPECT_EQ(sepal.distinct, 35);
    EXPECT_EQ(sepal.missing, 0);

    const ColumnInfo &species = d.table.column(4);
    EXPECT_EQ(species.type, ColumnType::Categorical);
    EXPECT_EQ(species.categoryCounts, (QList<qint64>{50, 50, 50}));
    EXPECT_EQ(d.table.displayText(0, 4), QStringLiteral("setosa"));
    EXPECT_EQ(d.table.displayText(0, 0), QStringLiteral("5.1"));
    EXPECT_EQ(d.table.value(149, 4), 2.0);
}

TEST(CsvImporter, DigitsAsImage)
{
    ImportOptions o;
    o.imageShape = std::array<int, 3>{1, 8, 8};
    const ImportedDataset d = importOk(test::datasetPath(QStringLiteral("digits.csv")), o);
    EXPECT_EQ(d.table.rowCount(), 1797);
    EXPECT_EQ(d.table.columnCount(), 65);
    EXPECT_EQ(d.task, TaskKind::Classification);
    EXPECT_EQ(d.classNames, strings({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
    ASSERT_TRUE(d.imageShape.has_value());
    EXPECT_EQ((*d.imageShape)[2], 8);
    EXPECT_EQ(d.featureColumns().size(), 64u);
    // The target became categorical with codes in numeric order.
    EXPECT_EQ(d.table.column(64).type, ColumnType::Categorical);
    EXPECT_EQ(d.table.displayText(1, 64), QStringLiteral("1"));
    EXPECT_EQ(d.table.value(1, 64), 1.0);
    for (int c = 0; c < 64; ++c) {
        EXPECT_EQ(d.table.column(c).type, ColumnType::Numeric);
        EXPECT_GE(d.table.column(c).min, 0);
        EXPECT_LE(d.table.column(c).max, 16);
    }
    EXPECT_EQ(d.table.column(0).distinct, 1); // pixel_0 is always 0
}

TEST(CsvImporter, DiabetesIsRegression)
{
    const ImportedDataset d = importOk(test::datasetPath(QStringLiteral("diabetes.csv")));
    EXPECT_EQ(d.table.rowCount(), 442);
    EXPECT_EQ(d.table.columnCount(), 11);
    EXPECT_EQ(d.task, TaskKind::Regression);
    EXPECT_EQ(d.targetName(), QStringLiteral("progression"));
    EXPECT_TRUE(d.classNames.isEmpty());
    const ColumnInfo &target = d.table.column(10);
    EXPECT_EQ(target.type, ColumnType::Numeric);
    EXPECT_TRUE(test::nearlyEqual(target.mean, 152.13348416289594, 1e-12));
    EXPECT_EQ(target.distinct, 214);
    EXPECT_EQ(d.table.column(1).distinct, 2); // sex stays a number: it is a feature
    EXPECT_EQ(d.table.column(1).type, ColumnType::Numeric);
}

TEST(CsvImporter, ForcedTaskAndTarget)
{
    ImportOptions o;
    o.task = TaskKind::Regression;
    const ImportedDataset r = importOk(test::datasetPath(QStringLiteral("digits.csv")), o);
    EXPECT_EQ(r.task, TaskKind::Regression);
    EXPECT_EQ(r.table.column(64).type, ColumnType::Numeric);

    ImportOptions c;
    c.target = QStringLiteral("sex");
    const ImportedDataset s = importOk(test::datasetPath(QStringLiteral("diabetes.csv")), c);
    EXPECT_EQ(s.targetColumn, 1);
    EXPECT_EQ(s.task, TaskKind::Classification);
    EXPECT_EQ(s.classNames, strings({"1", "2"}));
}

TEST(CsvImporter, QuotedFieldsAndCrLf)
{
    ImportOptions o;
    o.missing = MissingPolicy::ImputeMode;
    const ImportedDataset d = importOk(csvPath("quoting.csv"), o);
    ASSERT_EQ(d.table.rowCount(), 4);
    EXPECT_EQ(d.table.columnNames(), strings({"name", "comment", "score", "label"}));
    const ColumnInfo &name = d.table.column(0);
    EXPECT_TRUE(name.categories.contains(QStringLiteral("Smith, Anna")));
    EXPECT_EQ(d.table.displayText(0, 0), QStringLiteral("Smith, Anna"));
    EXPECT_EQ(d.table.displayText(0, 1), QStringLiteral("said \"hello\""));
    EXPECT_EQ(d.table.displayText(1, 1), QStringLiteral("two\r\nlines"));
    EXPECT_EQ(name.missing, 1); // the quoted empty name
    EXPECT_EQ(d.table.column(2).type, ColumnType::Numeric);

    // The default policy drops the two rows with an empty cell.
    const ImportedDataset dropped = importOk(csvPath("quoting.csv"));
    EXPECT_EQ(dropped.table.rowCount(), 2);
    EXPECT_EQ(dropped.droppedRows, 2);
}

TEST(CsvImporter, BomSemicolonAndUnicode)
{
    const ImportedDataset d = importOk(csvPath("bom_semicolon.csv"));
    EXPECT_EQ(d.delimiter, QLatin1Char(';'));
    EXPECT_EQ(d.table.columnNames(), strings({"größe", "farbe", "klasse"}));
    EXPECT_EQ(d.table.column(1).categories, strings({"blau", "grün", "weiß"}));
    // ja/nein are not English boolean words: a two-class categorical target.
    EXPECT_EQ(d.classNames, strings({"ja", "nein"}));
    EXPECT_DOUBLE_EQ(d.table.column(0).mean, 3.0);
}

TEST(CsvImporter, TabsAndPipes)
{
    const ImportedDataset t = importOk(csvPath("tabs.tsv"));
    EXPECT_EQ(t.delimiter, QLatin1Char('\t'));
    EXPECT_EQ(t.table.columnNames(), strings({"x", "y, with comma", "label"}));
    EXPECT_EQ(t.table.rowCount(), 4);

    const ImportedDataset p = importOk(csvPath("pipe.csv"));
    EXPECT_EQ(p.delimiter, QLatin1Char('|'));
    EXPECT_EQ(p.table.columnCount(), 3);

    // Forced to commas, the header has two fields ("x\ty" and " with comma\tlabel") and the
    // rows one.
    ImportOptions forced;
    forced.delimiter = QLatin1Char(',');
    auto f = CsvImporter::importFile(csvPath("tabs.tsv"), forced);
    ASSERT_FALSE(f.ok());
    EXPECT_TRUE(
        f.error().contains(QStringLiteral(":2:6: wrong number of fields: expected 2, got 1")))
        << qPrintable(f.error());
}

TEST(CsvImporter, HeaderDetection)
{
    const ImportedDataset none = importOk(csvPath("no_header.csv"));
    EXPECT_FALSE(none.hasHeader);
    EXPECT_EQ(none.table.rowCount(), 5);
    EXPECT_EQ(none.table.columnNames(), strings({"column_1", "column_2", "column_3"}));
    EXPECT_EQ(none.classNames, strings({"0", "1", "2"}));

    const ImportedDataset text = importOk(csvPath("text_header.csv"));
    EXPECT_TRUE(text.hasHeader);
    EXPECT_EQ(text.table.rowCount(), 4);

    // "red" and "large" come back as values: the first line is data.
    const ImportedDataset textNoHeader = importOk(csvPath("text_no_header.csv"));
    EXPECT_FALSE(textNoHeader.hasHeader);
    EXPECT_EQ(textNoHeader.table.rowCount(), 4);

    ImportOptions forced;
    forced.header = 1;
    const ImportedDataset f = importOk(csvPath("no_header.csv"), forced);
    EXPECT_EQ(f.table.rowCount(), 4);
    EXPECT_EQ(f.table.column(0).name, QStringLiteral("5.1"));
}

TEST(CsvImporter, LineEndingVariants)
{
    for (const char *name : {"no_trailing_newline.csv", "blank_lines.csv", "cr_only.csv"}) {
        SCOPED_TRACE(name);
        ImportOptions o;
        o.task = TaskKind::Regression;
        const ImportedDataset d = importOk(csvPath(name), o);
        ASSERT_EQ(d.table.rowCount(), 2);
        EXPECT_EQ(d.table.value(1, 0), 3.0);
        EXPECT_EQ(d.table.value(1, 1), 4.0);
    }
}

TEST(CsvImporter, SpacesAroundValuesAndNames)
{
    const ImportedDataset d = importOk(csvPath("spaces.csv"));
    EXPECT_EQ(d.table.columnNames(), strings({"a", "b", "label"}));
    EXPECT_EQ(d.table.value(0, 1), 2.5);
    EXPECT_EQ(d.classNames, strings({"x", "y"}));
}

TEST(CsvImporter, MissingValuePolicies)
{
    // a: 1 NA 3 5 7 9 11 | b: 10 20 "" 40 NaN 60 70 | color: ? and null missing | label: N/A
    const QString path = csvPath("missing.csv");

    ImportOptions mean;
    mean.missing = MissingPolicy::ImputeMean;
    const ImportedDataset m = importOk(path, mean);
    EXPECT_EQ(m.table.rowCount(), 6); // the row without a label always goes
    EXPECT_EQ(m.droppedRows, 1);
    EXPECT_EQ(m.table.column(0).missing, 1);
    EXPECT_EQ(m.table.column(1).missing, 2);
    EXPECT_EQ(m.table.column(2).missing, 2);
    EXPECT_EQ(m.table.column(3).missing, 1);
    // Impute policies keep the cells missing in the table; Preprocessing fits the fill.
    EXPECT_TRUE(m.table.isMissing(1, 0));
    EXPECT_TRUE(m.table.isMissing(2, 1));
    EXPECT_TRUE(m.table.isMissing(3, 2));
    EXPECT_EQ(m.missingPolicy, MissingPolicy::ImputeMean);
    std::vector<qint64> all(size_t(m.table.rowCount()));
    std::iota(all.begin(), all.end(), 0);
    const auto fills = [&all](const ImportedDataset &d) {
        auto p = Preprocessing::fit(d, all);
        EXPECT_TRUE(p.ok()) << qPrintable(p.error());
        std::vector<double> out;
        for (const FeatureTransform &f : p->features())
            out.push_back(f.fill.value_or(-999));
        return out;
    };
    // Kept a values 1, -, 3, 5, 7, 11 -> mean 27/5; b 10 20 - 40 - 70 -> 35; colour: the most
    // frequent category (red, code 0) whatever the numeric policy.
    auto f = fills(m);
    ASSERT_EQ(f.size(), 3u);
    EXPECT_DOUBLE_EQ(f[0], 27.0 / 5.0);
    EXPECT_DOUBLE_EQ(f[1], 35.0);
    EXPECT_EQ(m.table.column(2).categories.value(int(f[2])), QStringLiteral("red"));

    ImportOptions median;
    median.missing = MissingPolicy::ImputeMedian;
    f = fills(importOk(path, median));
    EXPECT_DOUBLE_EQ(f[0], 5.0);  // 1 3 5 7 11
    EXPECT_DOUBLE_EQ(f[1], 30.0); // 10 20 40 70

    ImportOptions mode;
    mode.missing = MissingPolicy::ImputeMode;
    f = fills(importOk(path, mode));
    EXPECT_DOUBLE_EQ(f[0], 1.0); // all tie: the smallest

    // Only the first row is complete, so dropping leaves a single class.
    auto dr = CsvImporter::importFile(path);
    ASSERT_FALSE(dr.ok());
    EXPECT_TRUE(dr.error().contains(QStringLiteral("only class 'x' is left")))
        << qPrintable(dr.error());

    ImportOptions extra;
    extra.missing = MissingPolicy::ImputeMode;
    extra.missingTokens = QStringList{QStringLiteral("red")};
    const ImportedDataset ex = importOk(path, extra);
    EXPECT_EQ(ex.table.column(2).categories, QStringList{QStringLiteral("blue")});
    EXPECT_EQ(ex.table.column(2).missing, 5);
}

TEST(CsvImporter, BooleanColumns)
{
    const ImportedDataset d = importOk(csvPath("booleans.csv"));
    EXPECT_EQ(d.table.column(0).type, ColumnType::Boolean);
    EXPECT_EQ(d.table.column(0).categories, strings({"false", "TRUE"}));
    EXPECT_EQ(d.table.value(0, 0), 1.0);
    EXPECT_EQ(d.table.value(3, 0), 0.0);
    EXPECT_EQ(d.table.column(1).type, ColumnType::Boolean);
    EXPECT_EQ(d.table.column(1).categories, strings({"no", "yes"}));
    EXPECT_EQ(d.table.value(2, 1), 1.0); // "Yes"
    // 0/1 numbers stay numeric unless declared boolean.
    EXPECT_EQ(d.table.column(2).type, ColumnType::Numeric);
    EXPECT_EQ(d.task, TaskKind::Classification);
    EXPECT_EQ(d.classNames, strings({"False", "True"}));

    ImportOptions o;
    o.typeOverrides.insert(QStringLiteral("bits"), ColumnType::Boolean);
    const ImportedDataset b = importOk(csvPath("booleans.csv"), o);
    EXPECT_EQ(b.table.column(2).type, ColumnType::Boolean);
    EXPECT_EQ(b.table.column(2).categories, strings({"0", "1"}));
    EXPECT_EQ(b.table.value(1, 2), 1.0);
}

TEST(CsvImporter, TypeOverrides)
{
    ImportOptions o;
    o.typeOverrides.insert(QStringLiteral("zip"), ColumnType::Categorical);
    o.typeOverrides.insert(QStringLiteral("flag"), ColumnType::Boolean);
    const ImportedDataset d = importOk(csvPath("overrides.csv"), o);
    EXPECT_EQ(d.table.column(0).type, ColumnType::Categorical);
    EXPECT_EQ(d.table.column(0).categories, strings({"10115", "50667", "80331"}));
    EXPECT_EQ(d.table.displayText(1, 0), QStringLiteral("80331"));
    EXPECT_EQ(d.table.column(1).type, ColumnType::Boolean);

    const ImportedDataset plain = importOk(csvPath("overrides.csv"));
    EXPECT_EQ(plain.table.column(0).type, ColumnType::Numeric);

    ImportOptions unknown;
    unknown.typeOverrides.insert(QStringLiteral("nope"), ColumnType::Numeric);
    auto r = CsvImporter::importFile(csvPath("overrides.csv"), unknown);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(
        r.error().contains(QStringLiteral("column 'nope' given a type is not in the file")));
}

TEST(CsvImporter, MostlyTextColumnIsCategoricalWithNumericLabelsFirst)
{
    const ImportedDataset d = importOk(csvPath("mixed_categories.csv"));
    EXPECT_EQ(d.table.column(0).type, ColumnType::Categorical);
    EXPECT_EQ(d.table.column(0).categories, strings({"10", "large", "medium", "small"}));
    EXPECT_EQ(d.table.displayText(2, 0), QStringLiteral("10"));
}

TEST(CsvImporter, IntegerTargetsBecomeClassesOnlyWhenFew)
{
    const ImportedDataset few = importOk(csvPath("int_target_few.csv"));
    EXPECT_EQ(few.task, TaskKind::Classification);
    EXPECT_EQ(few.classNames, strings({"1", "2", "10"}));
    EXPECT_EQ(few.table.displayText(0, 1), QStringLiteral("10"));
    EXPECT_EQ(few.table.value(0, 1), 2.0);

    const ImportedDataset many = importOk(csvPath("int_target_many.csv"));
    EXPECT_EQ(many.task, TaskKind::Regression);

    ImportOptions o;
    o.maxInferredClasses = 2;
    EXPECT_EQ(importOk(csvPath("int_target_few.csv"), o).task, TaskKind::Regression);
}

TEST(CsvImporter, ExcludedColumns)
{
    ImportOptions o;
    o.excludeColumns = QStringList{QStringLiteral("name"), QStringLiteral("comment")};
    const ImportedDataset d = importOk(csvPath("quoting.csv"), o);
    EXPECT_EQ(d.table.columnNames(), strings({"score", "label"}));
    EXPECT_EQ(d.table.rowCount(), 4); // the empty cells were in excluded columns
    EXPECT_EQ(d.targetColumn, 1);

    o.target = QStringLiteral("name");
    auto r = CsvImporter::importFile(csvPath("quoting.csv"), o);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(QStringLiteral("target column 'name' is also excluded")));
}

TEST(CsvImporter, ImageShapeNeedsNumericFeatures)
{
    ImportOptions o;
    o.imageShape = std::array<int, 3>{1, 1, 3};
    auto r = CsvImporter::importFile(csvPath("quoting.csv"), o);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(QStringLiteral("image input needs numeric feature columns; "
                                                  "column 'name' is categorical")))
        << qPrintable(r.error());
}

TEST(CsvImporter, MissingFileAndDirectory)
{
    auto missing = CsvImporter::importFile(QStringLiteral("/nonexistent/x.csv"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error(), QStringLiteral("/nonexistent/x.csv: no such file"));
    auto dir = CsvImporter::importFile(test::testDataPath(QStringLiteral("csv")));
    ASSERT_FALSE(dir.ok());
    EXPECT_TRUE(dir.error().endsWith(QStringLiteral("is a directory, not a CSV file")));
}

TEST(CsvImporter, Preview)
{
    const auto p = CsvImporter::preview(test::datasetPath(QStringLiteral("iris.csv")), {}, 10);
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());
    EXPECT_EQ(p->delimiter, QLatin1Char(','));
    EXPECT_TRUE(p->hasHeader);
    EXPECT_EQ(p->columnNames.size(), 5);
    EXPECT_EQ(p->rows.size(), 10);
    EXPECT_EQ(p->rows[0], strings({"5.1", "3.5", "1.4", "0.2", "setosa"}));
    EXPECT_EQ(p->columnTypes,
              (QList<ColumnType>{ColumnType::Numeric, ColumnType::Numeric, ColumnType::Numeric,
                                 ColumnType::Numeric, ColumnType::Categorical}));
    EXPECT_EQ(p->targetColumn, 4);
    EXPECT_EQ(p->task, TaskKind::Classification);
    EXPECT_EQ(p->rowsScanned, 150);
    EXPECT_TRUE(p->wholeFile);
    EXPECT_TRUE(p->problem.isEmpty());
}

TEST(CsvImporter, PreviewShowsExcludedColumnsAndTypeProblems)
{
    ImportOptions o;
    o.excludeColumns = QStringList{QStringLiteral("label")};
    const auto p = CsvImporter::preview(
        test::testDataPath(QStringLiteral("csv/malformed/text_in_numeric_column.csv")), o);
    ASSERT_TRUE(p.ok()) << qPrintable(p.error());
    EXPECT_EQ(p->columnNames.size(), 3);
    EXPECT_EQ(p->targetColumn, 1); // the last column not excluded
    EXPECT_TRUE(p->problem.contains(QStringLiteral(":4:3: non-numeric value 'abc'")))
        << qPrintable(p->problem);
    EXPECT_EQ(p->rows.size(), 4);
}

class CsvImporterFiles : public test::TempDirTest {
protected:
    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString p = path(name);
        QFile f(p);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        return p;
    }
};

TEST_F(CsvImporterFiles, WideFileWhoseHeaderExceedsTheSniffSample)
{
    QByteArray text;
    const int columns = 6000;
    for (int c = 0; c < columns; ++c)
        text += "feature_" + QByteArray::number(c) + (c + 1 < columns ? "\t" : "\n");
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < columns; ++c)
            text += QByteArray::number((r * 7 + c) % 5) + (c + 1 < columns ? "\t" : "\n");
    }
    ASSERT_GT(text.indexOf('\n'), 64 * 1024);
    ImportOptions o;
    o.task = TaskKind::Regression;
    const ImportedDataset d = importOk(write(QStringLiteral("wide.tsv"), text), o);
    EXPECT_EQ(d.delimiter, QLatin1Char('\t'));
    EXPECT_TRUE(d.hasHeader);
    EXPECT_EQ(d.table.columnCount(), columns);
    EXPECT_EQ(d.table.rowCount(), 3);
}

TEST_F(CsvImporterFiles, QuotedFieldAcrossTheSniffSampleEnd)
{
    QByteArray text = "id,note,label\n1,\"" + QByteArray(100 * 1024, 'x') + "\nmore\",a\n2,b,b\n";
    const ImportedDataset d = importOk(write(QStringLiteral("long.csv"), text));
    EXPECT_EQ(d.table.rowCount(), 2);
    EXPECT_EQ(d.table.displayText(0, 1).size(), 100 * 1024 + 5);
}

TEST_F(CsvImporterFiles, ExtremeNumbersAndSigns)
{
    const QString p = write(QStringLiteral("numbers.csv"),
                            "x,y\n+1.5,1\n-0,2\n1e308,1\n.5,2\n123456789012345678,1\n"
                            "0.1000000000000000055511151231257827,2\n");
    ImportOptions o;
    o.task = TaskKind::Regression;
    const ImportedDataset d = importOk(p, o);
    EXPECT_EQ(d.table.value(0, 0), 1.5);
    EXPECT_EQ(d.table.value(1, 0), 0.0);
    EXPECT_EQ(d.table.value(2, 0), 1e308);
    EXPECT_EQ(d.table.value(3, 0), 0.5);
    EXPECT_EQ(d.table.value(4, 0), 123456789012345678.0);
    EXPECT_EQ(d.table.value(5, 0), 0.1);
    EXPECT_EQ(d.table.column(0).distinct, 6);

    // inf is not a number a model can use: it is text, here the only text, so an error.
    auto inf = CsvImporter::importFile(write(QStringLiteral("inf.csv"), "x,y\n1,1\ninf,2\n3,1\n"));
    ASSERT_FALSE(inf.ok());
    EXPECT_TRUE(inf.error().contains(QStringLiteral(":3:1: non-numeric value 'inf'")))
        << qPrintable(inf.error());
}

TEST_F(CsvImporterFiles, TooManyDistinctTextValues)
{
    QByteArray text = "name,label\n";
    for (int i = 0; i < 100001; ++i)
        text += "n" + QByteArray::number(i) + ',' + (i % 2 ? "a" : "b") + '\n';
    auto r = CsvImporter::importFile(write(QStringLiteral("ids.csv"), text));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(QStringLiteral(":100002:1: column 'name' has more than 100000 "
                                                  "distinct text values")))
        << qPrintable(r.error());
    ImportOptions o;
    o.excludeColumns = QStringList{QStringLiteral("name")};
    // Only the label is left, which is no data set.
    auto onlyTarget = CsvImporter::importFile(path(QStringLiteral("ids.csv")), o);
    ASSERT_FALSE(onlyTarget.ok());
    EXPECT_TRUE(onlyTarget.error().contains(QStringLiteral("no feature columns")));
}

TEST_F(CsvImporterFiles, PercentSignsInTheFileNameStayText)
{
    const QString p = write(QStringLiteral("odd%2name%1.csv"), "a,b,c\n1,2,3\n4,5\n");
    auto r = CsvImporter::importFile(p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), p + QStringLiteral(":3:4: wrong number of fields: expected 3, got 2"));
}
