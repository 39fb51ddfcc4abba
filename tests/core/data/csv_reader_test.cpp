// SPDX-License-Identifier: MIT
#include "data/csv_reader.h"

#include "test_support.h"

#include <QBuffer>
#include <QFile>

#include <string>
#include <vector>

using namespace mlwb;

namespace {

using Records = std::vector<std::vector<std::string>>;

struct Parsed {
    Records records;
    std::vector<qint64> lines;
    QString error;
    CsvPosition errorPos;
};

Parsed parse(const QByteArray &text, char delimiter = ',', qsizetype blockSize = 1 << 20)
{
    QByteArray copy = text;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, delimiter, QStringLiteral("t.csv"));
    reader.setBlockSize(blockSize);
    Parsed out;
    while (reader.next()) {
        std::vector<std::string> fields;
        for (int i = 0; i < reader.fieldCount(); ++i)
            fields.emplace_back(reader.field(i));
        out.records.push_back(std::move(fields));
        out.lines.push_back(reader.recordLine());
    }
    out.error = reader.error();
    out.errorPos = reader.errorPosition();
    return out;
}

} // namespace

TEST(CsvReader, Rfc4180Quoting)
{
    const Parsed p = parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",,\"\"\r\n");
    ASSERT_TRUE(p.error.isEmpty()) << qPrintable(p.error);
    ASSERT_EQ(p.records.size(), 2u);
    EXPECT_EQ(p.records[0], (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
    EXPECT_EQ(p.records[1], (std::vector<std::string>{"multi\r\nline", "", ""}));
    EXPECT_EQ(p.lines, (std::vector<qint64>{1, 2}));
}

TEST(CsvReader, LineEndingsBlankLinesAndMissingFinalNewline)
{
    const Parsed p = parse("\na,b\r\n\r\n1,2\r3,4\n\n5,6");
    ASSERT_TRUE(p.error.isEmpty()) << qPrintable(p.error);
    ASSERT_EQ(p.records.size(), 4u);
    EXPECT_EQ(p.records[3], (std::vector<std::string>{"5", "6"}));
    EXPECT_EQ(p.lines, (std::vector<qint64>{2, 4, 5, 7}));
}

TEST(CsvReader, TrailingDelimiterMakesAnEmptyField)
{
    const Parsed p = parse("a,b,\n1,2,");
    ASSERT_EQ(p.records.size(), 2u);
    EXPECT_EQ(p.records[0].size(), 3u);
    EXPECT_EQ(p.records[1], (std::vector<std::string>{"1", "2", ""}));
}

TEST(CsvReader, SkipsUtf8ByteOrderMark)
{
    const Parsed p = parse("\xEF\xBB\xBFname;x\n\xC3\xA4;1\n", ';');
    ASSERT_EQ(p.records.size(), 2u);
    EXPECT_EQ(p.records[0][0], "name");
    EXPECT_EQ(p.records[1][0], "\xC3\xA4");
}

TEST(CsvReader, TinyBlocksGiveTheSameRecords)
{
    // Every record and multi-byte character straddles block boundaries somewhere.
    QByteArray text = "id,text,\"quoted \"\"x\"\"\"\r\n";
    for (int i = 0; i < 200; ++i)
        text += QByteArray::number(i) + ",\"gr\xC3\xBC\xC3\x9F\r\nzwei\",\xE2\x82\xAC" +
                QByteArray::number(i * 7) + "\r\n";
    const Parsed big = parse(text);
    ASSERT_TRUE(big.error.isEmpty()) << qPrintable(big.error);
    ASSERT_EQ(big.records.size(), 201u);
    for (qsizetype block : {16, 17, 31, 64, 1000}) {
        const Parsed small = parse(text, ',', block);
        ASSERT_TRUE(small.error.isEmpty()) << block << qPrintable(small.error);
        EXPECT_EQ(small.records, big.records) << "block " << block;
        EXPECT_EQ(small.lines, big.lines) << "block " << block;
    }
    EXPECT_EQ(big.lines.back(), 2 + 2 * 199);
}

TEST(CsvReader, ErrorColumnsCountCharactersNotBytes)
{
    const Parsed p = parse("h\xC3\xA4llo,\xE2\x82\xAC\"x\n");
    EXPECT_EQ(p.errorPos.line, 1);
    EXPECT_EQ(p.errorPos.column, 8);
    EXPECT_TRUE(p.error.startsWith(QStringLiteral("t.csv:1:8: quote inside an unquoted field")))
        << qPrintable(p.error);
}

TEST(CsvReader, InvalidUtf8IsFoundInLaterBlocks)
{
    QByteArray text;
    for (int i = 0; i < 5000; ++i)
        text += "1,2\n";
    text += "3,\xFF\n";
    const Parsed p = parse(text, ',', 64);
    EXPECT_EQ(p.records.size(), 5000u);
    EXPECT_TRUE(p.error.contains(QStringLiteral("5001:3: invalid UTF-8 (byte 0xFF)")))
        << qPrintable(p.error);
}

TEST(CsvReader, UnterminatedQuoteStopsAtTheRecordLimit)
{
    QByteArray text = "a,\"never closed\n";
    text += QByteArray(4 << 20, 'x');
    QBuffer buffer(&text);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, ',', QStringLiteral("big.csv"));
    reader.setBlockSize(64 << 10);
    reader.setMaxRecordBytes(1 << 20);
    EXPECT_FALSE(reader.next());
    EXPECT_TRUE(reader.error().startsWith(QStringLiteral("big.csv:1:3: unterminated quoted field")))
        << qPrintable(reader.error());
    EXPECT_LE(reader.bufferCapacity(), 1 << 20);
}

TEST(CsvReader, FieldAndEndPositions)
{
    QByteArray text = "a,b\n\"x\ny\",\xC3\xA9,z\n";
    QBuffer buffer(&text);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, ',', QStringLiteral("p.csv"));
    ASSERT_TRUE(reader.next());
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.recordLine(), 2);
    EXPECT_TRUE(reader.fieldWasQuoted(0));
    EXPECT_EQ(reader.fieldPosition(1).line, 3);
    EXPECT_EQ(reader.fieldPosition(1).column, 4);
    EXPECT_EQ(reader.fieldPosition(2).column, 6);
    EXPECT_EQ(reader.endPosition().column, 7);
    EXPECT_FALSE(reader.next());
    EXPECT_FALSE(reader.hasError());
}
