// SPDX-License-Identifier: MIT
#include "common/sha256.h"

#include "test_support.h"

#include <QCryptographicHash>

#include <random>

using namespace mlwb;

namespace {

QByteArray reference(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QByteArray pseudoRandom(qsizetype size, quint64 seed)
{
    std::mt19937_64 rng(seed);
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char(rng() & 0xFF);
    return out;
}

} // namespace

TEST(Sha256, KnownVectors)
{
    Sha256 empty;
    EXPECT_EQ(empty.result().toHex(),
              QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    Sha256 abc;
    abc.addData("abc", 3);
    EXPECT_EQ(abc.result().toHex(),
              QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(Sha256, MatchesQtForEveryLengthAndSplit)
{
    const QByteArray data = pseudoRandom(300, 1);
    for (qsizetype n = 0; n <= data.size(); ++n) {
        const QByteArray part = data.left(n);
        Sha256 whole;
        whole.addData(part.constData(), part.size());
        ASSERT_EQ(whole.result(), reference(part)) << "length " << n;
        Sha256 split;
        const qsizetype cut = n / 3;
        split.addData(part.constData(), cut);
        split.addData(part.constData() + cut, n - cut);
        ASSERT_EQ(split.result(), reference(part)) << "length " << n << " split at " << cut;
    }
}

TEST(Sha256, MatchesQtOnLargeIrregularBlocks)
{
    const QByteArray data = pseudoRandom(3 * 1000 * 1000 + 17, 2);
    Sha256 h;
    std::mt19937_64 rng(3);
    for (qsizetype at = 0; at < data.size();) {
        const qsizetype n = std::min<qsizetype>(qsizetype(rng() % 70000), data.size() - at);
        h.addData(data.constData() + at, n);
        at += n;
    }
    EXPECT_EQ(h.result(), reference(data));
    RecordProperty("sha_hardware", Sha256::hardwareAccelerated() ? 1 : 0);
}
