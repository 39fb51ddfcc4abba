// SPDX-License-Identifier: MIT
// The command line's parts on their own: the progress line in both modes, "did you mean".

#include "nearest_word.h"
#include "progress_line.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace mlwb::cli;

namespace {

// What a ProgressLine wrote into a temporary file.
QByteArray contents(std::FILE *f)
{
    std::fflush(f);
    std::rewind(f);
    QByteArray all;
    char buffer[4096];
    while (const size_t n = std::fread(buffer, 1, sizeof buffer, f))
        all.append(buffer, qsizetype(n));
    return all;
}

QString at(int percent)
{
    return QStringLiteral("train %1% epoch").arg(percent, 3);
}

} // namespace

// Into a pipe: whole lines, never "\r"; one per 5% at most once a second. 100 updates of one
// percent each, 0.1 s apart (10 s in all), give the first line and then one per second: 10 lines.
TEST(ProgressLineTest, PipedPrintsWholeLinesAtMostOncePerSecondAndPerFivePercent)
{
    std::FILE *f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    {
        ProgressLine line(f, false);
        for (int i = 0; i <= 100; ++i)
            line.update(at(i), i / 100.0, i * 100);
        EXPECT_EQ(line.linesPrinted(), 11);
    }
    const QByteArray out = contents(f);
    std::fclose(f);
    EXPECT_FALSE(out.contains('\r')) << out.constData();
    const QList<QByteArray> lines = out.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 11) << out.constData();
    EXPECT_EQ(lines.first(), at(0).toUtf8());
    EXPECT_EQ(lines[1], at(10).toUtf8());
    EXPECT_EQ(lines.last(), at(100).toUtf8());
    for (const QByteArray &l : lines)
        EXPECT_EQ(l, l.trimmed()) << "no padding";
}

// Slow progress: 1% a minute prints at 5% steps, and a message that changes while the fraction
// stands still (a long epoch) is repeated every 30 s, not every second.
TEST(ProgressLineTest, PipedSlowWorkPrintsOnStepsAndEveryThirtySeconds)
{
    std::FILE *f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    ProgressLine line(f, false);
    line.update(QStringLiteral("a"), 0.0, 0);
    for (int s = 1; s <= 120; ++s) // the same fraction, a new message every second
        line.update(QStringLiteral("step %1").arg(s), 0.01, s * 1000);
    EXPECT_EQ(line.linesPrinted(), 1 + 4); // at 30, 60, 90 and 120 s
    line.update(QStringLiteral("jump"), 0.06, 120500);
    EXPECT_EQ(line.linesPrinted(), 5) << "within a second of the last line";
    line.update(QStringLiteral("jump"), 0.06, 121000);
    EXPECT_EQ(line.linesPrinted(), 6);
    std::fclose(f);
}

// On a terminal: one line redrawn with "\r"; a note (a log line) clears it first, so the two
// never splice, and the line comes back with the next update.
TEST(ProgressLineTest, TerminalClearsTheLineBeforeANote)
{
    std::FILE *f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    {
        ProgressLine line(f, true);
        line.update(QStringLiteral("train  10%"), 0.1, 0);
        line.note(QStringLiteral("mlwb.train: warning"));
        line.update(QStringLiteral("train  10%"), 0.1, 100);
    }
    const QByteArray out = contents(f);
    std::fclose(f);
    EXPECT_EQ(out, QByteArray("train  10%\r          \rmlwb.train: warning\ntrain  10%\r          \r"));
}

// ProgressLine::print goes through the active line, and straight to stderr without one.
TEST(ProgressLineTest, PrintGoesThroughTheActiveLine)
{
    std::FILE *f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    {
        ProgressLine line(f, true);
        EXPECT_EQ(ProgressLine::current(), &line);
        line.update(QStringLiteral("x 5%"), 0.05, 0);
        ProgressLine::print(QStringLiteral("run 3 started"));
    }
    EXPECT_EQ(ProgressLine::current(), nullptr);
    EXPECT_EQ(contents(f), QByteArray("x 5%\r    \rrun 3 started\n"));
    std::fclose(f);
}

TEST(NearestWordTest, SuggestsCloseWordsOnly)
{
    const QStringList verbs{QStringLiteral("init"), QStringLiteral("info"), QStringLiteral("train"),
                            QStringLiteral("eval"), QStringLiteral("runs"), QStringLiteral("sweep"),
                            QStringLiteral("sweeps")};
    EXPECT_EQ(NearestWord::find(QStringLiteral("tran"), verbs), QStringLiteral("train"));
    EXPECT_EQ(NearestWord::find(QStringLiteral("trian"), verbs), QStringLiteral("train")) << "a swap is one edit";
    EXPECT_EQ(NearestWord::find(QStringLiteral("TRAIN"), verbs), QStringLiteral("train"));
    EXPECT_EQ(NearestWord::find(QStringLiteral("swep"), verbs), QStringLiteral("sweep"));
    EXPECT_EQ(NearestWord::find(QStringLiteral("frobnicate"), verbs), QString());
    EXPECT_EQ(NearestWord::find(QStringLiteral("xy"), verbs), QString());
    EXPECT_EQ(NearestWord::distance(QStringLiteral("epoch"), QStringLiteral("epochs")), 1);
    EXPECT_EQ(NearestWord::distance(QStringLiteral("ab"), QStringLiteral("ba")), 1);
    EXPECT_EQ(NearestWord::distance(QString(), QStringLiteral("abc")), 3);
}
