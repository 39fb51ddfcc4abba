// SPDX-License-Identifier: MIT
#include "data/data_table.h"

#include "data/number_set.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include <zlib.h>

namespace mlwb {

namespace {

constexpr char kMagic[8] = {'M', 'L', 'W', 'B', 'T', 'A', 'B', 'L'};
constexpr quint32 kFormatVersion = 1;
constexpr qsizetype kHeaderSize = 8 + 4 + 4 + 8;
// qCompress records the uncompressed size in 32 bits.
constexpr quint64 kMaxPayload = 0xFFFFFFFFull;
// Small tables get zlib's better ratio; for large ones level 1 is several times faster and
// costs only a few percent in size on byte-planed doubles.
constexpr qsizetype kLargePayload = 8 << 20;
// Byte planes above this entropy (bits per byte) are stored uncompressed inside the zlib stream.
constexpr double kStoreEntropy = 7.9;

template <typename T>
void appendLE(QByteArray &out, T v)
{
    char bytes[sizeof(T)];
    qToLittleEndian(v, bytes);
    out.append(bytes, sizeof(T));
}

template <typename T>
T readLE(const char *p)
{
    return qFromLittleEndian<T>(p);
}

// Byte-plane order (all first bytes, then all second bytes, ...) lets zlib see the long runs in
// exponents and high mantissa bytes; it roughly halves the blob for typical numeric columns.
// Deflates into the end of a QByteArray as input arrives (zlib format, as qCompress writes it).
class ZlibWriter {
public:
    ZlibWriter(QByteArray &out, int level) : m_out(out), m_level(level)
    {
        m_ok = deflateInit(&m_z, level) == Z_OK;
    }
    ~ZlibWriter() { deflateEnd(&m_z); }
    ZlibWriter(const ZlibWriter &) = delete;
    ZlibWriter &operator=(const ZlibWriter &) = delete;

    void write(const char *data, qsizetype len) { pump(data, len, Z_NO_FLUSH); }
    // Switches the compression level for the data that follows (the stream stays one stream).
    void setLevel(int level)
    {
        if (!m_ok || level == m_level)
            return;
        m_level = level;
        // deflateParams may need output room to flush what it holds at the old level.
        int rc;
        do {
            qsizetype used = m_out.size();
            const qsizetype room = 1 << 16;
            m_out.resize(used + room);
            m_z.next_out = reinterpret_cast<Bytef *>(m_out.data() + used);
            m_z.avail_out = uInt(room);
            m_z.next_in = nullptr;
            m_z.avail_in = 0;
            rc = deflateParams(&m_z, level, Z_DEFAULT_STRATEGY);
            used += room - qsizetype(m_z.avail_out);
            m_out.resize(used);
        } while (rc == Z_BUF_ERROR && m_z.avail_out == 0);
        m_ok = rc == Z_OK || rc == Z_BUF_ERROR;
    }
    bool finish()
    {
        pump(nullptr, 0, Z_FINISH);
        return m_ok;
    }

private:
    void pump(const char *data, qsizetype len, int flush)
    {
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
        m_z.avail_in = uInt(len);
        while (m_ok) {
            qsizetype used = m_out.size();
            const qsizetype room = std::max<qsizetype>(1 << 16, used / 4);
            m_out.resize(used + room);
            m_z.next_out = reinterpret_cast<Bytef *>(m_out.data() + used);
            m_z.avail_out = uInt(room);
            const int rc = deflate(&m_z, flush);
            used += room - qsizetype(m_z.avail_out);
            m_out.resize(used);
            if (rc == Z_STREAM_END)
                return;
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                m_ok = false;
                return;
            }
            if (flush == Z_NO_FLUSH && m_z.avail_in == 0)
                return;
        }
    }

    QByteArray &m_out;
    z_stream m_z{};
    int m_level;
    bool m_ok = false;
};

// Shannon entropy of a byte sequence in bits per byte (8 = incompressible noise).
double byteEntropy(const unsigned char *data, size_t len)
{
    std::array<quint32, 256> counts{};
    for (size_t i = 0; i < len; ++i)
        ++counts[data[i]];
    double h = 0;
    for (quint32 c : counts) {
        if (c) {
            const double p = double(c) / double(len);
            h -= p * std::log2(p);
        }
    }
    return h;
}

// Inflates a zlib stream piece by piece into the caller's buffers.
class ZlibReader {
public:
    ZlibReader(const char *data, qsizetype size)
    {
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
        m_z.avail_in = uInt(std::min<qsizetype>(size, std::numeric_limits<uInt>::max()));
        m_ok = inflateInit(&m_z) == Z_OK;
    }
    ~ZlibReader() { inflateEnd(&m_z); }
    ZlibReader(const ZlibReader &) = delete;
    ZlibReader &operator=(const ZlibReader &) = delete;

    // Exactly len bytes, or false when the stream is damaged or ends first.
    bool read(void *dest, size_t len)
    {
        auto *out = static_cast<Bytef *>(dest);
        while (len > 0 && m_ok && !m_ended) {
            const uInt chunk = uInt(std::min<size_t>(len, size_t(1) << 30));
            m_z.next_out = out;
            m_z.avail_out = chunk;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            const size_t got = chunk - m_z.avail_out;
            out += got;
            len -= got;
            if (rc == Z_STREAM_END)
                m_ended = true;
            else if (rc != Z_OK || got == 0)
                m_ok = false;
        }
        return len == 0;
    }
    // The stream ended exactly here (no more data follows).
    bool atEnd()
    {
        unsigned char extra;
        if (!m_ended)
            (void)read(&extra, 1);
        return m_ended && m_ok;
    }

private:
    z_stream m_z{};
    bool m_ok = false;
    bool m_ended = false;
};

// Reads one column of n doubles stored as 8 byte planes.
bool readShuffled(ZlibReader &in, size_t n, std::vector<double> &values)
{
    std::vector<quint64> bits(n, 0);
    std::vector<unsigned char> plane(std::min<size_t>(n, 1 << 16));
    for (int b = 0; b < 8; ++b) {
        for (size_t start = 0; start < n; start += plane.size()) {
            const size_t len = std::min(plane.size(), n - start);
            if (!in.read(plane.data(), len))
                return false;
            for (size_t i = 0; i < len; ++i)
                bits[start + i] |= quint64(plane[i]) << (8 * b);
        }
    }
    values.resize(n);
    std::memcpy(values.data(), bits.data(), n * 8);
    return true;
}

// Distinct 64-bit keys by LSD radix sort: linear, and several times faster than std::sort on
// the million-row columns of a large import. Passes where every key has the same byte are
// skipped, which is most of them for the exponent bytes.
qint64 countDistinct(std::vector<quint64> &keys, std::vector<quint64> &scratch)
{
    if (keys.empty())
        return 0;
    std::array<std::array<size_t, 256>, 8> histograms{};
    for (quint64 k : keys) {
        for (int b = 0; b < 8; ++b)
            ++histograms[size_t(b)][(k >> (8 * b)) & 0xFF];
    }
    scratch.resize(keys.size());
    for (int b = 0; b < 8; ++b) {
        std::array<size_t, 256> &h = histograms[size_t(b)];
        if (std::find(h.begin(), h.end(), keys.size()) != h.end())
            continue;
        size_t offset = 0;
        for (size_t &count : h) {
            const size_t c = count;
            count = offset;
            offset += c;
        }
        for (quint64 k : keys)
            scratch[h[(k >> (8 * b)) & 0xFF]++] = k;
        keys.swap(scratch);
    }
    qint64 distinct = 1;
    for (size_t i = 1; i < keys.size(); ++i)
        distinct += keys[i] != keys[i - 1];
    return distinct;
}

} // namespace

QString formatNumber(double value)
{
    if (std::isnan(value))
        return {};
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return QString::fromLatin1(buf, r.ptr - buf);
}

DataTable::DataTable(QList<ColumnInfo> columns, std::vector<std::vector<double>> data)
    : m_columns(std::move(columns)), m_data(std::move(data))
{
    m_rows = m_data.empty() ? 0 : qint64(m_data.front().size());
}

Result<DataTable> DataTable::create(QList<ColumnInfo> columns,
                                    std::vector<std::vector<double>> data)
{
    if (Status s = validate(columns, data); !s)
        return s.failure();
    return DataTable(std::move(columns), std::move(data));
}

Status DataTable::validate(const QList<ColumnInfo> &columns,
                           const std::vector<std::vector<double>> &data)
{
    if (size_t(columns.size()) != data.size())
        return fail(QStringLiteral("table has %1 column descriptions for %2 columns of data")
                        .arg(columns.size())
                        .arg(data.size()));
    QSet<QString> names;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        const ColumnInfo &info = columns[c];
        const std::vector<double> &values = data[size_t(c)];
        if (info.name.isEmpty())
            return fail(QStringLiteral("column %1 has an empty name").arg(c + 1));
        if (names.contains(info.name))
            return fail(QStringLiteral("duplicate column name '%1'").arg(info.name));
        names.insert(info.name);
        if (values.size() != data.front().size())
            return fail(QStringLiteral("column '%1' has %2 rows, column '%3' has %4")
                            .arg(info.name, QString::number(values.size()),
                                 columns.front().name, QString::number(data.front().size())));
        if (info.type == ColumnType::Boolean && info.categories.size() != 2)
            return fail(QStringLiteral("boolean column '%1' needs 2 labels, has %2")
                            .arg(info.name, QString::number(info.categories.size())));
        if (!info.isCoded())
            continue;
        const double limit = double(info.categories.size());
        for (size_t r = 0; r < values.size(); ++r) {
            const double v = values[r];
            if (std::isnan(v))
                continue;
            if (v < 0 || v >= limit || v != std::floor(v))
                return fail(QStringLiteral("column '%1' row %2 holds code %3 outside its %4 "
                                           "categories")
                                .arg(info.name, QString::number(r + 1), formatNumber(v),
                                     QString::number(info.categories.size())));
        }
    }
    return {};
}

QStringList DataTable::columnNames() const
{
    QStringList names;
    names.reserve(m_columns.size());
    for (const ColumnInfo &c : m_columns)
        names.append(c.name);
    return names;
}

int DataTable::columnIndex(const QString &name) const
{
    for (qsizetype c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].name == name)
            return int(c);
    }
    return -1;
}

bool DataTable::isMissing(qint64 row, int col) const
{
    return std::isnan(value(row, col));
}

QString DataTable::displayText(qint64 row, int col) const
{
    const double v = value(row, col);
    if (std::isnan(v))
        return {};
    const ColumnInfo &info = m_columns[col];
    if (info.isCoded())
        return info.categories.value(qsizetype(v));
    return formatNumber(v);
}

DataTable DataTable::selectRows(const std::vector<qint64> &rows) const
{
    std::vector<std::vector<double>> data(m_data.size());
    for (size_t c = 0; c < m_data.size(); ++c) {
        data[c].reserve(rows.size());
        for (qint64 r : rows)
            data[c].push_back(m_data[c][size_t(r)]);
    }
    DataTable t(m_columns, std::move(data));
    t.updateStatistics();
    return t;
}

void DataTable::updateStatistics()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<quint64> keys;
    std::vector<quint64> scratch;
    for (qsizetype c = 0; c < m_columns.size(); ++c) {
        ColumnInfo &info = m_columns[c];
        const std::vector<double> &values = m_data[size_t(c)];
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        double sum = 0;
        qint64 n = 0;
        // Most numeric columns have few distinct values; only the others pay for a sort.
        NumberSet few(info.isCoded() ? 0 : 1024);
        for (double v : values) {
            if (std::isnan(v))
                continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            sum += v;
            ++n;
            few.insert(v);
        }
        if (n == 0) {
            info.min = info.max = info.mean = info.stddev = nan;
        } else {
            const double mean = sum / double(n);
            double sq = 0;
            for (double v : values) {
                if (!std::isnan(v))
                    sq += (v - mean) * (v - mean);
            }
            info.min = lo;
            info.max = hi;
            info.mean = mean;
            info.stddev = std::sqrt(sq / double(n));
        }
        if (info.isCoded()) {
            std::vector<qint64> counts(size_t(info.categories.size()), 0);
            for (double v : values) {
                if (!std::isnan(v))
                    ++counts[size_t(v)];
            }
            info.categoryCounts = QList<qint64>(counts.begin(), counts.end());
            info.distinct = std::count_if(counts.cbegin(), counts.cend(),
                                          [](qint64 k) { return k > 0; });
        } else if (!few.overflowed()) {
            info.distinct = few.size();
        } else {
            keys.clear();
            keys.reserve(size_t(n));
            for (double v : values) {
                if (!std::isnan(v)) {
                    quint64 bits;
                    const double zeroed = v == 0 ? 0.0 : v; // -0 equals 0
                    std::memcpy(&bits, &zeroed, 8);
                    keys.push_back(bits);
                }
            }
            info.distinct = countDistinct(keys, scratch);
        }
    }
}

QJsonObject DataTable::schemaJson() const
{
    QJsonArray cols;
    for (const ColumnInfo &c : m_columns)
        cols.append(c.toJson());
    QJsonObject o;
    o.insert(QStringLiteral("format"), QStringLiteral("mlwb.table"));
    o.insert(QStringLiteral("version"), int(kFormatVersion));
    o.insert(QStringLiteral("rows"), m_rows);
    o.insert(QStringLiteral("columns"), cols);
    return o;
}

Result<QList<ColumnInfo>> DataTable::columnsFromSchemaJson(const QJsonObject &schema)
{
    if (schema.value(QStringLiteral("format")).toString() != QLatin1String("mlwb.table"))
        return fail(QStringLiteral("table schema: field 'format' is not \"mlwb.table\""));
    const int version = schema.value(QStringLiteral("version")).toInt();
    if (version < 1 || version > int(kFormatVersion))
        return fail(QStringLiteral("table schema: version %1 is not supported (this build reads "
                                   "version %2)")
                        .arg(version)
                        .arg(kFormatVersion));
    const QJsonValue cols = schema.value(QStringLiteral("columns"));
    if (!cols.isArray())
        return fail(QStringLiteral("table schema: field 'columns' is not an array"));
    QList<ColumnInfo> columns;
    const QJsonArray array = cols.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto c = ColumnInfo::fromJson(array.at(i).toObject());
        if (!c)
            return c.failure().reworded(QStringLiteral("table schema: columns[%1]: %2").arg(i).arg(c.error()));
        columns.append(std::move(*c));
    }
    return columns;
}

QByteArray DataTable::serialize() const
{
    const QByteArray schema = QJsonDocument(schemaJson()).toJson(QJsonDocument::Compact);
    const quint64 rawSize = 4 + quint64(schema.size()) + 12 + quint64(m_data.size()) * quint64(m_rows) * 8;
    if (rawSize > kMaxPayload)
        return {};

    QByteArray blob(kMagic, sizeof kMagic);
    appendLE<quint32>(blob, kFormatVersion);
    appendLE<quint32>(blob, 0); // flags, none defined yet
    appendLE<quint64>(blob, rawSize);
    // The compressed part is what qCompress would make of the payload (its big-endian size, then
    // a zlib stream), deflated piece by piece so the payload never exists in memory as a whole.
    char size[4];
    qToBigEndian(quint32(rawSize), size);
    blob.append(size, 4);
    const int level = qsizetype(rawSize) > kLargePayload ? 1 : 6;
    ZlibWriter out(blob, level);

    QByteArray head;
    appendLE<quint32>(head, quint32(schema.size()));
    head.append(schema);
    appendLE<quint64>(head, quint64(m_rows));
    appendLE<quint32>(head, quint32(m_data.size()));
    out.write(head.constData(), head.size());
    std::vector<unsigned char> plane(std::min<size_t>(size_t(m_rows), 1 << 16));
    for (const std::vector<double> &col : m_data) {
        for (int b = 0; b < 8; ++b) {
            for (size_t start = 0; start < col.size(); start += plane.size()) {
                const size_t len = std::min(plane.size(), col.size() - start);
                for (size_t i = 0; i < len; ++i) {
                    quint64 bits;
                    std::memcpy(&bits, &col[start + i], 8);
                    plane[i] = static_cast<unsigned char>(bits >> (8 * b));
                }
                // The low mantissa bytes of measured values are noise that deflate cannot shrink
                // but spends most of its time on: store those pieces, compress the rest.
                out.setLevel(byteEntropy(plane.data(), len) > kStoreEntropy ? 0 : level);
                out.write(reinterpret_cast<const char *>(plane.data()), qsizetype(len));
            }
        }
    }
    if (!out.finish())
        return {};
    return blob;
}

Result<DataTable> DataTable::deserialize(const QByteArray &blob)
{
    const auto damaged = [](const QString &what) {
        return mlwb::corrupt(QStringLiteral("corrupt dataset blob: %1").arg(what));
    };
    if (blob.size() < kHeaderSize + 4)
        return mlwb::corrupt(QStringLiteral("not a dataset blob: %1 bytes is too short").arg(blob.size()));
    if (std::memcmp(blob.constData(), kMagic, sizeof kMagic) != 0)
        return mlwb::corrupt(QStringLiteral("not a dataset blob: it does not start with \"MLWBTABL\""));
    const char *p = blob.constData();
    const quint32 version = readLE<quint32>(p + 8);
    if (version != kFormatVersion)
        return mlwb::corrupt(QStringLiteral("dataset blob format version %1 is not supported (this build "
                                   "reads version %2)")
                        .arg(version)
                        .arg(kFormatVersion));
    const quint64 rawSize = readLE<quint64>(p + 16);
    const quint32 zlibDeclared = qFromBigEndian<quint32>(p + kHeaderSize);
    if (rawSize > kMaxPayload || rawSize != zlibDeclared)
        return damaged(QStringLiteral("size header %1 does not match the compressed stream's %2")
                           .arg(rawSize)
                           .arg(zlibDeclared));
    // Inflated piece by piece straight into the columns: the payload never exists whole.
    if (rawSize < 16)
        return damaged(QStringLiteral("a payload of %1 bytes is too short").arg(rawSize));
    ZlibReader in(p + kHeaderSize + 4, blob.size() - kHeaderSize - 4);
    const QString truncated = QStringLiteral("the compressed data does not decompress to %1 bytes").arg(rawSize);
    char fixed[12];
    if (!in.read(fixed, 4))
        return damaged(truncated);
    const quint64 schemaLen = readLE<quint32>(fixed);
    if (4 + schemaLen + 12 > rawSize)
        return damaged(QStringLiteral("schema length %1 runs past the end").arg(schemaLen));
    QByteArray schema(qsizetype(schemaLen), Qt::Uninitialized);
    if (!in.read(schema.data(), size_t(schemaLen)))
        return damaged(truncated);
    QJsonParseError jsonError;
    const QJsonDocument doc = QJsonDocument::fromJson(schema, &jsonError);
    if (jsonError.error != QJsonParseError::NoError || !doc.isObject())
        return damaged(QStringLiteral("schema is not a JSON object (%1 at offset %2)")
                           .arg(jsonError.errorString())
                           .arg(jsonError.offset));
    auto columns = columnsFromSchemaJson(doc.object());
    if (!columns)
        return damaged(columns.error());
    if (!in.read(fixed, 12))
        return damaged(truncated);
    const quint64 rows = readLE<quint64>(fixed);
    const quint32 cols = readLE<quint32>(fixed + 8);
    if (cols != quint64(columns->size()))
        return damaged(QStringLiteral("%1 columns of data for %2 described columns")
                           .arg(cols)
                           .arg(columns->size()));
    if (doc.object().value(QStringLiteral("rows")).toInteger() != qint64(rows))
        return damaged(QStringLiteral("row count %1 differs from the schema's %2")
                           .arg(rows)
                           .arg(doc.object().value(QStringLiteral("rows")).toInteger()));
    const quint64 dataBytes = rawSize - (4 + schemaLen + 12);
    if (cols != 0 && (rows > dataBytes / 8 / cols || rows * cols * 8 != dataBytes))
        return damaged(QStringLiteral("expected %1 bytes of column data, found %2")
                           .arg(rows * cols * 8)
                           .arg(dataBytes));
    std::vector<std::vector<double>> data(cols);
    for (quint32 c = 0; c < cols; ++c) {
        if (!readShuffled(in, size_t(rows), data[c]))
            return damaged(truncated);
    }
    if (!in.atEnd())
        return damaged(QStringLiteral("the compressed data runs past %1 bytes").arg(rawSize));
    if (Status s = validate(*columns, data); !s)
        return damaged(s.error());
    return DataTable(std::move(*columns), std::move(data));
}

} // namespace mlwb
