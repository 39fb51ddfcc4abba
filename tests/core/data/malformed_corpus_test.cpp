// SPDX-License-Identifier: MIT
// Every file in tests/data/csv/malformed must fail to import with the error listed for it in
// expected.tsv, positioned at the listed line and column.

#include "data/csv_importer.h"

#include "test_support.h"

#include <QDir>
#include <QFile>

using namespace mlwb;

namespace {

struct Case {
    QString file;
    QString expected;
    QString options;
};

QList<Case> loadCases()
{
    QFile f(test::testDataPath(QStringLiteral("csv/malformed/expected.tsv")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<Case> cases;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> parts = line.split('\t');
        cases.append({QString::fromUtf8(parts.value(0)), QString::fromUtf8(parts.value(1)),
                      QString::fromUtf8(parts.value(2))});
    }
    return cases;
}

ImportOptions parseOptions(const QString &text)
{
    ImportOptions o;
    for (const QString &item : text.split(u';', Qt::SkipEmptyParts)) {
        const QString key = item.section(u'=', 0, 0);
        const QString value = item.section(u'=', 1);
        if (key == u"target") {
            o.target = value;
        } else if (key == u"task") {
            o.task = taskKindFromName(value);
        } else if (key == u"image") {
            const QStringList dims = value.split(u'x');
            o.imageShape = std::array<int, 3>{dims.value(0).toInt(), dims.value(1).toInt(),
                                              dims.value(2).toInt()};
        } else if (key.startsWith(u"type.")) {
            o.typeOverrides.insert(key.mid(5), *columnTypeFromName(value));
        } else {
            ADD_FAILURE() << "unknown option " << qPrintable(key);
        }
    }
    return o;
}

} // namespace

TEST(MalformedCorpus, EveryFileFailsWithItsExpectedError)
{
    const QList<Case> cases = loadCases();
    ASSERT_GE(cases.size(), 22);
    QStringList listed;
    for (const Case &c : cases) {
        SCOPED_TRACE(qPrintable(c.file));
        listed.append(c.file);
        const QString path = test::testDataPath(QStringLiteral("csv/malformed/") + c.file);
        ASSERT_TRUE(QFile::exists(path));
        const auto result = CsvImporter::importFile(path, parseOptions(c.options));
        ASSERT_FALSE(result.ok());
        const QString prefix = path + QLatin1Char(':');
        EXPECT_TRUE(result.error().startsWith(prefix)) << qPrintable(result.error());
        EXPECT_TRUE(result.error().mid(prefix.size()).trimmed().startsWith(c.expected))
            << "got:      " << qPrintable(result.error()) << "\nexpected: "
            << qPrintable(c.expected);
    }
    // A file added without an expectation would silently go untested.
    const QStringList files = QDir(test::testDataPath(QStringLiteral("csv/malformed")))
                                  .entryList({QStringLiteral("*.csv")}, QDir::Files);
    for (const QString &f : files)
        EXPECT_TRUE(listed.contains(f)) << qPrintable(f) << " has no line in expected.tsv";
}

TEST(MalformedCorpus, PreviewReportsTheSameStructuralProblem)
{
    const QString path = test::testDataPath(QStringLiteral("csv/malformed/too_many_fields.csv"));
    const auto preview = CsvImporter::preview(path);
    ASSERT_TRUE(preview.ok()) << qPrintable(preview.error());
    EXPECT_TRUE(preview->problem.contains(QStringLiteral(":3:7: wrong number of fields")))
        << qPrintable(preview->problem);
    EXPECT_EQ(preview->rows.size(), 1);
    EXPECT_EQ(preview->columnNames, (QStringList{QStringLiteral("a"), QStringLiteral("b"),
                                                 QStringLiteral("c")}));
}

TEST(MalformedCorpus, PreviewFailsWhenNothingCanBeRead)
{
    const auto preview = CsvImporter::preview(
        test::testDataPath(QStringLiteral("csv/malformed/utf16.csv")));
    ASSERT_FALSE(preview.ok());
    EXPECT_TRUE(preview.error().contains(QStringLiteral(":1:1: the file is UTF-16 encoded")));
}
