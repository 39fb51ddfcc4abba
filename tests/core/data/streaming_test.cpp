// SPDX-License-Identifier: MIT
// Streaming: a generated 20 MB file imports with bounded reader memory, reports increasing
// progress and can be cancelled part way.

#include "data/csv_importer.h"
#include "data/csv_reader.h"

#include "test_support.h"

#include <QElapsedTimer>
#include <QFile>

using namespace mlwb;

namespace {

constexpr qint64 kTargetBytes = 20 * 1000 * 1000;

// One generated file for the whole suite: writing 20 MB per test would dominate its run time.
class StreamingTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_dir = new QTemporaryDir;
        ASSERT_TRUE(s_dir->isValid());
        s_path = s_dir->filePath(QStringLiteral("big.csv"));
        QFile f(s_path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("id,x,y,z,label\n");
        QByteArray chunk;
        chunk.reserve(1 << 20);
        qint64 written = 0;
        quint64 state = 12345;
        s_rows = 0;
        while (written < kTargetBytes) {
            chunk.clear();
            while (chunk.size() < (1 << 20) - 128) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                const int a = int((state >> 40) % 10000);
                const int b = int((state >> 20) % 1000);
                chunk += QByteArray::number(s_rows) + ',' + QByteArray::number(a / 100.0) + ','
                    + QByteArray::number(b) + ",\"q" + QByteArray::number(b % 7) + "\","
                    + (a % 3 == 0 ? "yes" : "no") + '\n';
                ++s_rows;
            }
            f.write(chunk);
            written += chunk.size();
        }
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }

    static inline QTemporaryDir *s_dir = nullptr;
    static inline QString s_path;
    static inline qint64 s_rows = 0;
};

} // namespace

TEST_F(StreamingTest, ReaderMemoryStaysBounded)
{
    QFile f(s_path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    CsvReader reader(&f, ',', s_path);
    qint64 records = 0;
    while (reader.next())
        ++records;
    ASSERT_FALSE(reader.hasError()) << qPrintable(reader.error());
    EXPECT_EQ(records, s_rows + 1);
    EXPECT_GE(reader.bytesRead(), kTargetBytes);
    EXPECT_LE(reader.bufferCapacity(), 1 << 20); // one block, never the file
}

TEST_F(StreamingTest, ImportReportsIncreasingProgress)
{
    std::vector<double> seen;
    ImportOptions o;
    o.excludeColumns = QStringList{QStringLiteral("id")};
    o.progress = [&seen](double f) {
        seen.push_back(f);
        return true;
    };
    QElapsedTimer timer;
    timer.start();
    auto d = CsvImporter::importFile(s_path, o);
    const qint64 ms = timer.elapsed();
    ASSERT_TRUE(d.ok()) << qPrintable(d.error());
    EXPECT_EQ(d->table.rowCount(), s_rows);
    EXPECT_EQ(d->table.columnCount(), 4);
    EXPECT_EQ(d->task, TaskKind::Classification);
    EXPECT_EQ(d->classNames, (QStringList{QStringLiteral("no"), QStringLiteral("yes")}));
    EXPECT_EQ(d->table.column(2).categories.size(), 7);
    ASSERT_GE(seen.size(), 20u);
    for (size_t i = 1; i < seen.size(); ++i)
        EXPECT_GE(seen[i], seen[i - 1]);
    EXPECT_LT(seen.front(), 0.1);
    EXPECT_DOUBLE_EQ(seen.back(), 1.0);
    RecordProperty("import_20mb_ms", int(ms));
    RecordProperty("mb_per_s", int(20000 / std::max<qint64>(ms, 1)));
}

TEST_F(StreamingTest, CancelStopsTheImport)
{
    int calls = 0;
    double last = 0;
    ImportOptions o;
    o.progress = [&](double f) {
        last = f;
        return ++calls < 5;
    };
    auto d = CsvImporter::importFile(s_path, o);
    ASSERT_FALSE(d.ok());
    EXPECT_TRUE(d.error().endsWith(QStringLiteral(": import cancelled"))) << qPrintable(d.error());
    EXPECT_EQ(calls, 5);
    EXPECT_LT(last, 0.5);
}
