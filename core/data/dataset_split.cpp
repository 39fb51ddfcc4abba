// SPDX-License-Identifier: MIT
#include "data/dataset_split.h"

#include "common/sha256.h"
#include "data/data_table.h"

#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>

namespace mlwb {

namespace {

constexpr char kMagic[8] = {'M', 'L', 'W', 'B', 'S', 'P', 'L', 'T'};
constexpr quint32 kVersion = 1;
constexpr qsizetype kHeaderSize = 8 + 4 + 8;

// Uniform in [0, n) by rejection, identical on every standard library.
quint64 uniformBelow(std::mt19937_64 &rng, quint64 n)
{
    const quint64 threshold = (0 - n) % n; // 2^64 mod n
    for (;;) {
        const quint64 r = rng();
        if (r >= threshold)
            return r % n;
    }
}

void fisherYates(std::vector<qint64> &v, std::mt19937_64 &rng)
{
    for (size_t i = v.size(); i > 1; --i) {
        const size_t j = size_t(uniformBelow(rng, i));
        std::swap(v[i - 1], v[j]);
    }
}

// Splits `total` over groups in proportion to exact shares: floors first, then one more to the
// groups with the largest remainders (earlier group on ties), never above a group's capacity.
std::vector<qint64> apportion(const std::vector<double> &exact, const std::vector<qint64> &capacity,
                              qint64 total)
{
    const size_t n = exact.size();
    std::vector<qint64> out(n);
    qint64 assigned = 0;
    for (size_t g = 0; g < n; ++g) {
        out[g] = std::min<qint64>(qint64(std::floor(exact[g] + 1e-9)), capacity[g]);
        assigned += out[g];
    }
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return exact[a] - double(out[a]) > exact[b] - double(out[b]);
    });
    while (assigned < total) {
        bool progressed = false;
        for (size_t g : order) {
            if (assigned == total)
                break;
            if (out[g] < capacity[g]) {
                ++out[g];
                ++assigned;
                progressed = true;
            }
        }
        if (!progressed)
            break;
    }
    return out;
}

} // namespace

QJsonObject SplitSpec::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("train"), trainFraction);
    o.insert(QStringLiteral("validation"), validationFraction);
    o.insert(QStringLiteral("test"), std::max(0.0, 1.0 - trainFraction - validationFraction));
    // A string: JSON numbers are doubles and would lose seeds above 2^53.
    o.insert(QStringLiteral("seed"), QString::number(seed));
    return o;
}

Result<SplitSpec> SplitSpec::fromJson(const QJsonObject &json)
{
    SplitSpec s;
    s.trainFraction = json.value(QStringLiteral("train")).toDouble(-1);
    s.validationFraction = json.value(QStringLiteral("validation")).toDouble(-1);
    bool ok = false;
    s.seed = json.value(QStringLiteral("seed")).toString().toULongLong(&ok);
    if (!ok)
        return invalidInput(QStringLiteral("split: field 'seed' is not an unsigned integer string"));
    if (Status v = s.validate(); !v)
        return v.failure();
    return s;
}

Status SplitSpec::validate() const
{
    if (!(trainFraction >= 0 && trainFraction <= 1))
        return invalidInput(QStringLiteral("split: train fraction %1 is not between 0 and 1")
                        .arg(trainFraction));
    if (!(validationFraction >= 0 && validationFraction <= 1))
        return invalidInput(QStringLiteral("split: validation fraction %1 is not between 0 and 1")
                        .arg(validationFraction));
    if (trainFraction + validationFraction > 1 + 1e-9)
        return invalidInput(QStringLiteral("split: train %1 + validation %2 exceed 1")
                        .arg(trainFraction)
                        .arg(validationFraction));
    return {};
}

std::vector<quint8> DatasetSplit::make(const DataTable &table, int targetColumn, TaskKind task,
                                       const SplitSpec &spec)
{
    return make(table, targetColumn, task, spec.trainFraction, spec.validationFraction, spec.seed);
}

std::vector<quint8> DatasetSplit::make(const DataTable &table, int targetColumn, TaskKind task,
                                       double trainFraction, double validationFraction,
                                       quint64 seed)
{
    const qint64 n = table.rowCount();
    const double train = std::clamp(std::isnan(trainFraction) ? 0.0 : trainFraction, 0.0, 1.0);
    const double val = std::clamp(std::isnan(validationFraction) ? 0.0 : validationFraction, 0.0,
                                  1.0 - train);

    // Groups in a fixed order (by class code; missing labels last) so the random stream is
    // consumed the same way every time.
    std::map<qint64, std::vector<qint64>> byClass;
    const bool stratify = task == TaskKind::Classification && targetColumn >= 0
        && targetColumn < table.columnCount() && table.column(targetColumn).isCoded();
    for (qint64 r = 0; r < n; ++r) {
        qint64 key = 0;
        if (stratify) {
            const double v = table.value(r, targetColumn);
            key = std::isnan(v) ? std::numeric_limits<qint64>::max() : qint64(v);
        }
        byClass[key].push_back(r);
    }
    std::vector<std::vector<qint64>> groups;
    for (auto &entry : byClass)
        groups.push_back(std::move(entry.second));

    std::mt19937_64 rng(seed);
    for (std::vector<qint64> &g : groups)
        fisherYates(g, rng);

    const size_t ng = groups.size();
    std::vector<double> exactTrain(ng);
    std::vector<double> exactVal(ng);
    std::vector<qint64> sizes(ng);
    for (size_t g = 0; g < ng; ++g) {
        sizes[g] = qint64(groups[g].size());
        exactTrain[g] = double(sizes[g]) * train;
        exactVal[g] = double(sizes[g]) * val;
    }
    const qint64 trainTotal = std::llround(double(n) * train);
    const qint64 valTotal = std::min<qint64>(std::llround(double(n) * val), n - trainTotal);
    const std::vector<qint64> trainCount = apportion(exactTrain, sizes, trainTotal);
    std::vector<qint64> room(ng);
    for (size_t g = 0; g < ng; ++g)
        room[g] = sizes[g] - trainCount[g];
    const std::vector<qint64> valCount = apportion(exactVal, room, valTotal);

    std::vector<quint8> out(size_t(n), quint8(SplitPart::Test));
    for (size_t g = 0; g < ng; ++g) {
        const std::vector<qint64> &rows = groups[g];
        for (qint64 i = 0; i < qint64(rows.size()); ++i) {
            SplitPart part = SplitPart::Test;
            if (i < trainCount[g])
                part = SplitPart::Train;
            else if (i < trainCount[g] + valCount[g])
                part = SplitPart::Validation;
            out[size_t(rows[size_t(i)])] = quint8(part);
        }
    }
    return out;
}

std::vector<qint64> DatasetSplit::rowsOf(const std::vector<quint8> &assignment, SplitPart part)
{
    std::vector<qint64> rows;
    for (size_t r = 0; r < assignment.size(); ++r) {
        if (assignment[r] == quint8(part))
            rows.push_back(qint64(r));
    }
    return rows;
}

std::array<qint64, 3> DatasetSplit::counts(const std::vector<quint8> &assignment)
{
    std::array<qint64, 3> c{0, 0, 0};
    for (quint8 a : assignment) {
        if (a < 3)
            ++c[a];
    }
    return c;
}

QString DatasetSplit::fingerprint(const std::vector<quint8> &assignment)
{
    Sha256 hash;
    hash.addData(reinterpret_cast<const char *>(assignment.data()), qsizetype(assignment.size()));
    return QString::fromLatin1(hash.result().toHex().left(16));
}

QByteArray DatasetSplit::serialize(const std::vector<quint8> &assignment)
{
    QByteArray blob(kMagic, sizeof kMagic);
    char word[8];
    qToLittleEndian<quint32>(kVersion, word);
    blob.append(word, 4);
    qToLittleEndian<quint64>(quint64(assignment.size()), word);
    blob.append(word, 8);
    blob.append(qCompress(reinterpret_cast<const uchar *>(assignment.data()),
                          qsizetype(assignment.size()), 9));
    return blob;
}

Result<std::vector<quint8>> DatasetSplit::deserialize(const QByteArray &blob, qint64 expectedRows)
{
    if (blob.size() < kHeaderSize + 4 || std::memcmp(blob.constData(), kMagic, 8) != 0)
        return invalidInput(QStringLiteral("not a split blob: it does not start with \"MLWBSPLT\""));
    const char *p = blob.constData();
    const quint32 version = qFromLittleEndian<quint32>(p + 8);
    if (version != kVersion)
        return invalidInput(QStringLiteral("split blob version %1 is not supported (this build reads "
                                   "version %2)")
                        .arg(version)
                        .arg(kVersion));
    const quint64 rows = qFromLittleEndian<quint64>(p + 12);
    if (rows != qFromBigEndian<quint32>(p + kHeaderSize))
        return invalidInput(QStringLiteral("corrupt split blob: size header mismatch"));
    if (expectedRows >= 0 && rows != quint64(expectedRows))
        return invalidInput(QStringLiteral("split has %1 rows but the data set has %2")
                        .arg(rows)
                        .arg(expectedRows));
    const QByteArray raw = qUncompress(reinterpret_cast<const uchar *>(p + kHeaderSize),
                                       blob.size() - kHeaderSize);
    if (quint64(raw.size()) != rows)
        return invalidInput(QStringLiteral("corrupt split blob: the data does not decompress"));
    std::vector<quint8> out(raw.cbegin(), raw.cend());
    for (size_t r = 0; r < out.size(); ++r) {
        if (out[r] > 2)
            return invalidInput(QStringLiteral("corrupt split blob: row %1 has part %2 (0..2 expected)")
                            .arg(r + 1)
                            .arg(out[r]));
    }
    return out;
}

} // namespace mlwb
