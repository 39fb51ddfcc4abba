// SPDX-License-Identifier: MIT
// PayloadLog: the CSV of answered rows, its rotation by size, and failures that are counted
// rather than fatal.
#include "serve/payload_log.h"

#include "test_support.h"

#include <QDir>
#include <QFile>

#include <gtest/gtest.h>

#include <cmath>

using namespace mlwb;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

std::vector<PackageManifest::Feature> features()
{
    return {{s("x"), s("numeric"), {}}, {s("city, state"), s("category"), {s("Paris"), s("Austin, TX"), s("say \"hi\"")}}};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

class PayloadLogTest : public test::TempDirTest {};

} // namespace

TEST_F(PayloadLogTest, FieldsAreQuotedOnlyWhenTheyMustBe)
{
    EXPECT_EQ(PayloadLog::field(s("plain")), QByteArray("plain"));
    EXPECT_EQ(PayloadLog::field(s("a,b")), QByteArray("\"a,b\""));
    EXPECT_EQ(PayloadLog::field(s("say \"hi\"")), QByteArray("\"say \"\"hi\"\"\""));
    EXPECT_EQ(PayloadLog::field(s("two\nlines")), QByteArray("\"two\nlines\""));
    EXPECT_EQ(PayloadLog::header(features()), QByteArray("time,request_id,version,x,\"city, state\",prediction\n"));
}

TEST_F(PayloadLogTest, RowsAreWrittenWithNamesEmptyMissingAndNineDigits)
{
    InferenceEngine::Prediction p;
    p.rows = 3;
    p.width = 2;
    p.outputs.assign(6, 0.0f);
    p.classes = {1, 0, 1};
    const std::vector<float> raw{0.1f, 0.0f, NAN, 1.0f, 1234567.0f, NAN};
    QByteArray out;
    PayloadLog::formatRows(out, 1700000000004, s("req,1"), s("1.0.0"), features(), raw, 3, p, {s("no"), s("yes")});
    EXPECT_EQ(out, QByteArray("2023-11-14T22:13:20.004Z,\"req,1\",1.0.0,0.100000001,Paris,yes\n"
                              "2023-11-14T22:13:20.004Z,\"req,1\",1.0.0,,\"Austin, TX\",no\n"
                              "2023-11-14T22:13:20.004Z,\"req,1\",1.0.0,1234567,,yes\n"));
    InferenceEngine::Prediction regression;
    regression.rows = 1;
    regression.width = 1;
    regression.outputs = {2.5f};
    QByteArray one;
    PayloadLog::formatRows(one, 1700000000004, QString(), s("2.0.0"), features(), std::vector<float>{-3.0f, 2.0f}, 1, regression, {});
    EXPECT_EQ(one, QByteArray("2023-11-14T22:13:20.004Z,,2.0.0,-3,\"say \"\"hi\"\"\",2.5\n"));
}

TEST_F(PayloadLogTest, RotatesBySizeKeepingWholeLinesAndTheHeader)
{
    auto errors = std::make_shared<MetricRegistry::Counter>(MetricRegistry::Counter::Config{});
    const QByteArray header = PayloadLog::header(features());
    QStringList written;
    {
        PayloadLog log(PayloadLog::Options{path(s("payloads")), 400, 2}, s("shop"), errors);
        EXPECT_EQ(log.path(), path(s("payloads/shop/payloads.csv")));
        for (int request = 0; request < 40; ++request) {
            QByteArray lines;
            for (int row = 0; row < 2; ++row) {
                const QByteArray line = "2026-01-01T00:00:00.000Z,r" + QByteArray::number(request) + ",1.0.0," +
                                        QByteArray::number(row) + ",Paris,yes\n";
                lines += line;
                written << QString::fromUtf8(line.chopped(1));
            }
            ASSERT_TRUE(log.write(header, lines)) << request;
        }
    }
    EXPECT_EQ(errors->value(), 0.0);
    const QString dir = path(s("payloads/shop"));
    EXPECT_TRUE(QFile::exists(dir + s("/payloads.csv")));
    EXPECT_TRUE(QFile::exists(dir + s("/payloads.1.csv")));
    EXPECT_TRUE(QFile::exists(dir + s("/payloads.2.csv")));
    EXPECT_FALSE(QFile::exists(dir + s("/payloads.3.csv"))); // past payload_log_files: deleted
    // Oldest to newest, each file with the header, none past the limit, and the lines kept are
    // exactly the last ones written, whole and in order.
    QStringList kept;
    for (const QString &name : {s("payloads.2.csv"), s("payloads.1.csv"), s("payloads.csv")}) {
        const QByteArray text = readAll(dir + u'/' + name);
        EXPECT_TRUE(text.startsWith(header)) << qPrintable(name);
        EXPECT_LE(text.size(), 400) << qPrintable(name);
        EXPECT_TRUE(text.endsWith('\n')) << qPrintable(name);
        const QStringList lines = QString::fromUtf8(text.mid(header.size())).split(u'\n', Qt::SkipEmptyParts);
        EXPECT_FALSE(lines.isEmpty()) << qPrintable(name);
        EXPECT_EQ(lines.size() % 2, 0) << qPrintable(name) << ": a request's lines are never split between files";
        kept << lines;
    }
    ASSERT_GT(kept.size(), 0);
    ASSERT_LT(kept.size(), written.size());
    EXPECT_EQ(kept, written.mid(written.size() - kept.size()));
    EXPECT_EQ(QDir(dir).entryList(QDir::Files).size(), 3);
}

TEST_F(PayloadLogTest, AppendsAfterARestartAndStartsANewFileWhenTheColumnsChange)
{
    auto errors = std::make_shared<MetricRegistry::Counter>(MetricRegistry::Counter::Config{});
    const QByteArray header = PayloadLog::header(features());
    const PayloadLog::Options options{path(s("p")), 1 << 20, 3};
    {
        PayloadLog log(options, s("m"), errors);
        ASSERT_TRUE(log.write(header, "a\n"));
    }
    PayloadLog log(options, s("m"), errors);
    ASSERT_TRUE(log.write(header, "b\n"));
    EXPECT_EQ(readAll(log.path()), header + "a\nb\n");
    const QByteArray other = "time,request_id,version,z,prediction\n";
    ASSERT_TRUE(log.write(other, "c\n"));
    EXPECT_EQ(readAll(log.path()), other + "c\n");
    EXPECT_EQ(readAll(log.path(1)), header + "a\nb\n");
}

TEST_F(PayloadLogTest, AFailingFolderIsCountedNotFatal)
{
    auto errors = std::make_shared<MetricRegistry::Counter>(MetricRegistry::Counter::Config{});
    QFile blocker(path(s("not-a-folder")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    PayloadLog log(PayloadLog::Options{path(s("not-a-folder")), 1 << 20, 2}, s("m"), errors);
    const QByteArray header = PayloadLog::header(features());
    EXPECT_FALSE(log.write(header, "a\n"));
    EXPECT_FALSE(log.write(header, "b\n"));
    EXPECT_EQ(errors->value(), 2.0);
    // The folder comes back: the next write succeeds.
    ASSERT_TRUE(QFile::remove(path(s("not-a-folder"))));
    EXPECT_TRUE(log.write(header, "c\n"));
    EXPECT_EQ(readAll(log.path()), header + "c\n");
    EXPECT_EQ(errors->value(), 2.0);
}
