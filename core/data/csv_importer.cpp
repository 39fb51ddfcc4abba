// SPDX-License-Identifier: MIT
#include "data/csv_importer.h"

#include "common/logging.h"
#include "data/csv_reader.h"
#include "data/csv_sniffer.h"
#include "data/csv_values.h"
#include "data/number_set.h"
#include "common/sha256.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <unordered_map>

namespace mlwb {

namespace {

// A text column with more distinct values than this is an identifier or free text, not a
// category; holding them all would also defeat the bounded memory of streaming.
constexpr qsizetype kMaxTextValues = 100000;
// Distinct numbers remembered per column: enough to turn integer targets and mixed columns into
// categories, small enough to stay cheap for real-valued columns (they overflow and stop).
constexpr qsizetype kMaxNumberValues = 1000;
constexpr qint64 kPreviewScanRows = 1000;

// Distinct texts of a column; the deque keeps the strings (and views of them) in place.
class TextSet {
public:
    // The index of t, added if new; -1 when the set is full and t is new.
    int insert(std::string_view t)
    {
        if (const auto it = m_index.find(t); it != m_index.end())
            return it->second;
        if (qsizetype(m_store.size()) >= kMaxTextValues)
            return -1;
        m_store.emplace_back(t);
        m_index.emplace(m_store.back(), int(m_store.size() - 1));
        return int(m_store.size() - 1);
    }
    const std::deque<std::string> &values() const { return m_store; }

private:
    std::deque<std::string> m_store;
    std::unordered_map<std::string_view, int> m_index;
};

struct ColumnScan {
    qint64 numbers = 0;
    qint64 texts = 0;
    qint64 missing = 0;
    bool integral = true;
    NumberSet numberSet{kMaxNumberValues};
    TextSet textSet;
    std::optional<CsvPosition> firstText;
    QString firstTextValue;
    std::optional<CsvPosition> firstNonBoolean; // a text that is no boolean word
    QString firstNonBooleanValue;
    std::optional<CsvPosition> firstNonBit; // a number other than 0 or 1
    QString firstNonBitValue;
    QString falseLabel;
    QString trueLabel;
};

// The single pass over the file stores each cell in its column's final vector before the
// column's type is known: a number as itself, a missing cell as the plain quiet NaN, and a text
// as its TextSet index inside a NaN payload. Once types are decided, the texts are replaced by
// their codes in place, so the file is read once and no second copy of the table is made.
constexpr quint64 kTextTag = 0x7FFC000000000000ull;
constexpr quint64 kTagMask = 0xFFFF000000000000ull;

double boxText(int index)
{
    const quint64 bits = kTextTag | quint64(index);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
}

// The TextSet index of a boxed text, or -1 for a number or a missing cell.
int unboxText(double v)
{
    quint64 bits;
    std::memcpy(&bits, &v, 8);
    return (bits & kTagMask) == kTextTag ? int(bits & ~kTagMask) : -1;
}

// How a stored cell becomes its final value.
enum class Conversion { Number, Text, Boolean, NumberClass };

struct Column {
    int fileIndex = 0;
    QString name;
    std::optional<ColumnType> declared;
    bool textOnly = false; // declared categorical: numbers are labels like any text
    ColumnScan scan;

    ColumnType type = ColumnType::Numeric;
    Conversion conversion = Conversion::Number;
    QStringList categories;
    std::vector<double> textValues; // final value of each scan.textSet entry
    std::unordered_map<double, int> numberCodes;
};

// Large columns are written once, front to back: with 4 KiB pages that is one page fault per
// 512 cells, which costs more than parsing them on virtual machines. Transparent huge pages (when
// the system offers them on request) cut the faults 512-fold.
void adviseHugePages(void *data, size_t bytes)
{
#if defined(Q_OS_LINUX) && defined(MADV_HUGEPAGE)
    constexpr size_t kHuge = 2 << 20;
    if (bytes < 2 * kHuge)
        return;
    const auto begin = (reinterpret_cast<quintptr>(data) + kHuge - 1) & ~quintptr(kHuge - 1);
    const auto end = (reinterpret_cast<quintptr>(data) + bytes) & ~quintptr(kHuge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#else
    Q_UNUSED(data);
    Q_UNUSED(bytes);
#endif
}

QString matchCase(const QString &word, const QString &like)
{
    if (like.size() > 1 && like == like.toUpper())
        return word.toUpper();
    if (!like.isEmpty() && like.front().isUpper())
        return word.left(1).toUpper() + word.mid(1);
    return word;
}

QString shapeText(const std::array<int, 3> &s)
{
    return QStringLiteral("%1x%2x%3").arg(s[0]).arg(s[1]).arg(s[2]);
}

QString quoted(const QString &text)
{
    constexpr qsizetype kMax = 40;
    return QLatin1Char('\'') + (text.size() > kMax ? text.left(kMax) + QStringLiteral("...") : text)
        + QLatin1Char('\'');
}

class ImportRun {
public:
    ImportRun(const QString &path, const ImportOptions &options)
        : m_path(path), m_opt(options)
    {
        for (const QString &token : options.missingTokens)
            m_extraMissing.push_back(token.trimmed().toStdString());
    }

    Result<ImportedDataset> run();
    Result<CsvPreview> preview(int maxRows);

private:
    QString at(CsvPosition pos, const QString &what) const
    {
        return QStringLiteral("%1:%2:%3: %4")
            .arg(m_path, QString::number(pos.line), QString::number(pos.column), what);
    }
    QString whole(const QString &what) const { return QStringLiteral("%1: %2").arg(m_path, what); }

    Status open();
    Status readHeader(CsvReader &reader, bool &haveData);
    Status chooseColumns(bool everyColumn);
    Status scan(qint64 rowLimit, QList<QStringList> *rows, int maxRows, bool &wholeFile,
                std::vector<std::vector<double>> *store);
    Status decideColumn(Column &c);
    Status decideTarget();
    Status checkImageShape() const;
    Status finishColumns(std::vector<std::vector<double>> &data);
    Status checkImputable(const std::vector<std::vector<double>> &data) const;
    Status checkFieldCount(const CsvReader &reader) const;
    double scanValue(Column &c, const CsvReader &reader);
    bool isMissing(std::string_view trimmedText) const;
    void startReading(CsvReader &reader, bool hash);
    void report(double fraction);
    Error cancelled() const { return mlwb::cancelled(whole(QStringLiteral("import cancelled"))); }

    QString m_path;
    ImportOptions m_opt;
    std::vector<std::string> m_extraMissing;
    QFile m_file;
    qint64 m_size = 0;
    CsvDialect m_dialect;
    QStringList m_names;
    int m_fieldCount = 0;
    std::vector<Column> m_columns; // the imported ones, in file order
    int m_target = -1;             // index into m_columns
    qint64 m_rows = 0;
    qint64 m_dropped = 0;
    TaskKind m_task = TaskKind::Classification;
    Sha256 m_hash;
    qint64 m_bytesDone = 0;
    bool m_cancelled = false;
};

Status ImportRun::open()
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return notFound(whole(QStringLiteral("no such file")));
    if (info.isDir())
        return invalidInput(whole(QStringLiteral("is a directory, not a CSV file")));
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::ReadOnly))
        return ioError(whole(QStringLiteral("cannot open: %1").arg(m_file.errorString())));
    m_size = m_file.size();

    char delimiter = 0;
    if (!m_opt.delimiter.isNull()) {
        const char16_t d = m_opt.delimiter.unicode();
        if (d >= 0x80 || d == u'"' || d == u'\n' || d == u'\r')
            return invalidInput(whole(QStringLiteral("the delimiter must be an ASCII character other "
                                             "than a quote or line break")));
        delimiter = char(d);
    }
    QByteArray sample = m_file.read(CsvSniffer::kSampleBytes);
    // Very wide files need more than the usual sample to show a few whole records.
    while (sample.count('\n') < 4 && sample.size() < CsvSniffer::kMaxSampleBytes
           && !m_file.atEnd())
        sample += m_file.read(sample.size());
    m_dialect = CsvSniffer::detect(sample, m_file.atEnd(), delimiter, m_opt.header);
    m_file.seek(0);
    return {};
}

void ImportRun::report(double fraction)
{
    if (m_opt.progress && !m_cancelled && !m_opt.progress(std::clamp(fraction, 0.0, 1.0)))
        m_cancelled = true;
}

void ImportRun::startReading(CsvReader &reader, bool hash)
{
    m_bytesDone = 0;
    m_file.seek(0);
    // A small file needs no 1 MiB buffer (whose pages would all be faulted in).
    reader.setBlockSize(qsizetype(std::clamp<qint64>(m_size + 64, 4096, 1 << 20)));
    reader.setBlockObserver([this, hash](const char *data, qsizetype size) {
        if (hash)
            m_hash.addData(data, size);
        m_bytesDone += size;
        report(double(m_bytesDone) / double(std::max<qint64>(m_size, 1)));
    });
}

Status ImportRun::readHeader(CsvReader &reader, bool &haveData)
{
    if (!reader.next()) {
        if (reader.hasError())
            return invalidInput(reader.error());
        return invalidInput(at({1, 1}, QStringLiteral("the file is empty")));
    }
    m_fieldCount = reader.fieldCount();
    m_names.clear();
    if (!m_dialect.hasHeader) {
        for (int i = 0; i < m_fieldCount; ++i)
            m_names.append(QStringLiteral("column_%1").arg(i + 1));
        haveData = true;
        return {};
    }
    QHash<QString, int> seen;
    for (int i = 0; i < m_fieldCount; ++i) {
        const QString name = csv::toQString(reader.field(i)).trimmed();
        if (name.isEmpty())
            return invalidInput(at(reader.fieldPosition(i),
                           QStringLiteral("empty column name in the header (column %1)")
                               .arg(i + 1)));
        if (seen.contains(name))
            return invalidInput(at(reader.fieldPosition(i),
                           QStringLiteral("duplicate column name %1 (also column %2)")
                               .arg(quoted(name), QString::number(seen.value(name) + 1))));
        seen.insert(name, i);
        m_names.append(name);
    }
    haveData = reader.next();
    if (!haveData && reader.hasError())
        return invalidInput(reader.error());
    if (!haveData)
        return invalidInput(at({reader.endPosition().line + 1, 1},
                       QStringLiteral("no data rows after the header")));
    return {};
}

Status ImportRun::chooseColumns(bool everyColumn)
{
    const auto list = [this] {
        constexpr qsizetype kShown = 12; // a 6000-column file must not make a 6000-name message
        if (m_names.size() <= kShown)
            return m_names.join(QStringLiteral(", "));
        return m_names.first(kShown).join(QStringLiteral(", "))
            + QStringLiteral(" and %1 more").arg(m_names.size() - kShown);
    };
    QSet<QString> excluded;
    for (const QString &name : m_opt.excludeColumns) {
        if (!m_names.contains(name))
            return invalidInput(whole(QStringLiteral("excluded column %1 not found; columns are: %2")
                                  .arg(quoted(name), list())));
        excluded.insert(name);
    }
    for (auto it = m_opt.typeOverrides.cbegin(); it != m_opt.typeOverrides.cend(); ++it) {
        if (!m_names.contains(it.key()))
            return invalidInput(whole(QStringLiteral("column %1 given a type is not in the file; "
                                             "columns are: %2")
                                  .arg(quoted(it.key()), list())));
    }
    QString target = m_opt.target;
    if (target.isEmpty()) {
        for (qsizetype i = m_names.size() - 1; i >= 0 && target.isEmpty(); --i) {
            if (!excluded.contains(m_names[i]))
                target = m_names[i];
        }
    } else if (!m_names.contains(target)) {
        return invalidInput(whole(QStringLiteral("target column %1 not found; columns are: %2")
                              .arg(quoted(target), list())));
    }
    if (excluded.contains(target))
        return invalidInput(whole(QStringLiteral("target column %1 is also excluded").arg(quoted(target))));

    m_columns.clear();
    // Column holds containers whose moves may throw, so growing the vector would copy them.
    m_columns.reserve(size_t(m_names.size()));
    for (int i = 0; i < m_names.size(); ++i) {
        if (!everyColumn && excluded.contains(m_names[i]))
            continue;
        Column c;
        c.fileIndex = i;
        c.name = m_names[i];
        if (m_opt.typeOverrides.contains(c.name))
            c.declared = m_opt.typeOverrides.value(c.name);
        c.textOnly = c.declared == ColumnType::Categorical;
        if (c.name == target)
            m_target = int(m_columns.size());
        m_columns.push_back(std::move(c));
    }
    if (!everyColumn && m_columns.size() < 2)
        return invalidInput(whole(QStringLiteral("no feature columns: only the target %1 is left")
                              .arg(quoted(target))));
    return {};
}

Status ImportRun::checkFieldCount(const CsvReader &reader) const
{
    const int got = reader.fieldCount();
    if (got == m_fieldCount)
        return {};
    const CsvPosition pos = got > m_fieldCount ? reader.fieldPosition(m_fieldCount)
                                               : reader.endPosition();
    return invalidInput(at(pos, QStringLiteral("wrong number of fields: expected %1, got %2")
                            .arg(m_fieldCount)
                            .arg(got)));
}

bool ImportRun::isMissing(std::string_view t) const
{
    if (csv::isMissingToken(t))
        return true;
    for (const std::string &token : m_extraMissing) {
        if (t == token)
            return true;
    }
    return false;
}

double ImportRun::scanValue(Column &c, const CsvReader &reader)
{
    ColumnScan &s = c.scan;
    const std::string_view t = csv::trimmed(reader.field(c.fileIndex));
    if (isMissing(t)) {
        ++s.missing;
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (!c.textOnly) {
        if (const auto number = csv::parseNumber(t)) {
            ++s.numbers;
            // Doubles from 2^52 up are all whole numbers.
            s.integral = s.integral
                && (std::fabs(*number) >= 4503599627370496.0 || double(qint64(*number)) == *number);
            s.numberSet.insert(*number);
            if (c.declared == ColumnType::Boolean && *number != 0 && *number != 1
                && !s.firstNonBit) {
                s.firstNonBit = reader.fieldPosition(c.fileIndex);
                s.firstNonBitValue = csv::toQString(t);
            }
            return *number;
        }
    }
    ++s.texts;
    if (!s.firstText) {
        s.firstText = reader.fieldPosition(c.fileIndex);
        s.firstTextValue = csv::toQString(t);
    }
    if (c.declared == ColumnType::Numeric)
        return boxText(0); // an error once the scan is done; no need to remember the text
    if (!s.firstNonBoolean) {
        const int b = csv::parseBooleanWord(t);
        if (b < 0 && !(c.textOnly && (t == "0" || t == "1"))) {
            s.firstNonBoolean = reader.fieldPosition(c.fileIndex);
            s.firstNonBooleanValue = csv::toQString(t);
        } else if (b == 0 && s.falseLabel.isEmpty()) {
            s.falseLabel = csv::toQString(t);
        } else if (b == 1 && s.trueLabel.isEmpty()) {
            s.trueLabel = csv::toQString(t);
        }
    }
    const int index = s.textSet.insert(t);
    if (index < 0) {
        // Reported at once: keeping on would hold every distinct text in memory.
        s.firstText = reader.fieldPosition(c.fileIndex);
        s.firstTextValue = csv::toQString(t);
        s.texts = -1;
        return 0;
    }
    return boxText(index);
}

Status ImportRun::scan(qint64 rowLimit, QList<QStringList> *rows, int maxRows, bool &wholeFile,
                       std::vector<std::vector<double>> *store)
{
    CsvReader reader(&m_file, m_dialect.delimiter, m_path);
    startReading(reader, store != nullptr);
    bool have = false;
    if (Status s = readHeader(reader, have); !s)
        return s;
    if (Status s = chooseColumns(rows != nullptr); !s)
        return s;
    m_rows = 0;
    wholeFile = false;
    if (store)
        store->assign(m_columns.size(), {});
    constexpr qint64 kRowsForEstimate = 256;
    while (have) {
        if (m_cancelled)
            return cancelled();
        if (Status s = checkFieldCount(reader); !s)
            return s;
        ++m_rows;
        for (size_t k = 0; k < m_columns.size(); ++k) {
            Column &c = m_columns[k];
            const double cell = scanValue(c, reader);
            if (store)
                (*store)[k].push_back(cell);
            if (c.scan.texts < 0)
                return invalidInput(at(*c.scan.firstText,
                               QStringLiteral("column %1 has more than %2 distinct text values; "
                                              "it looks like an identifier or free text: "
                                              "exclude it")
                                   .arg(quoted(c.name), QString::number(kMaxTextValues))));
        }
        if (rows && rows->size() < maxRows) {
            QStringList fields;
            fields.reserve(reader.fieldCount());
            for (int i = 0; i < reader.fieldCount(); ++i)
                fields.append(csv::toQString(reader.field(i)));
            rows->append(std::move(fields));
        }
        if (rowLimit > 0 && m_rows >= rowLimit)
            return {};
        if (store && m_rows == kRowsForEstimate) {
            // Room for the rows the file's size suggests, so the columns rarely reallocate.
            const double perRow = double(reader.consumedBytes()) / double(m_rows + 1);
            const auto expected = size_t(double(m_size) / std::max(perRow, 1.0) * 1.05) + 64;
            for (std::vector<double> &col : *store) {
                col.reserve(expected);
                adviseHugePages(col.data(), col.capacity() * sizeof(double));
            }
        }
        have = reader.next();
    }
    if (reader.hasError())
        return invalidInput(reader.error());
    wholeFile = true;
    return {};
}

Status ImportRun::decideColumn(Column &c)
{
    const ColumnScan &s = c.scan;
    const QString name = quoted(c.name);
    const auto textCategories = [&c, &s] {
        // Numbers sort numerically and before words, so "2" < "10" < "apple".
        struct Label {
            std::optional<double> number;
            QString text;
            int textIndex; // -1 for a label that came from a number
        };
        std::vector<Label> labels;
        int index = 0;
        for (const std::string &t : s.textSet.values())
            labels.push_back({csv::parseNumber(t), csv::toQString(t), index++});
        for (double v : s.numberSet.sortedValues())
            labels.push_back({v, formatNumber(v), -1});
        std::sort(labels.begin(), labels.end(), [](const Label &a, const Label &b) {
            if (a.number && b.number && *a.number != *b.number)
                return *a.number < *b.number;
            if (a.number.has_value() != b.number.has_value())
                return a.number.has_value();
            return a.text < b.text;
        });
        c.categories.clear();
        c.textValues.assign(s.textSet.values().size(), 0);
        for (const Label &l : labels) {
            const int code = int(c.categories.size());
            c.categories.append(l.text);
            if (l.textIndex < 0)
                c.numberCodes.emplace(*l.number, code);
            else
                c.textValues[size_t(l.textIndex)] = code;
        }
    };

    if (s.numbers == 0 && s.texts == 0)
        return invalidInput(whole(QStringLiteral("column %1 has no values (every cell is missing); "
                                         "exclude it")
                              .arg(name)));
    ColumnType type;
    if (c.declared) {
        type = *c.declared;
    } else if (s.texts == 0) {
        type = ColumnType::Numeric;
    } else if (s.numbers == 0) {
        type = s.firstNonBoolean ? ColumnType::Categorical : ColumnType::Boolean;
    } else if (s.numbers >= s.texts) {
        // Mostly numbers: the text is far more likely a typo or an unlisted missing marker than
        // a reason to turn the column into categories.
        return invalidInput(at(*s.firstText,
                       QStringLiteral("non-numeric value %1 in column %2, whose other values are "
                                      "numbers (declare the column categorical, or add %1 to the "
                                      "missing-value tokens)")
                           .arg(quoted(s.firstTextValue), name)));
    } else {
        type = ColumnType::Categorical;
    }

    c.type = type;
    switch (type) {
    case ColumnType::Numeric:
        if (s.texts > 0)
            return invalidInput(at(*s.firstText,
                           QStringLiteral("non-numeric value %1 in column %2, which is declared "
                                          "numeric")
                               .arg(quoted(s.firstTextValue), name)));
        c.conversion = Conversion::Number;
        return {};
    case ColumnType::Boolean: {
        if (s.firstNonBoolean)
            return invalidInput(at(*s.firstNonBoolean,
                           QStringLiteral("value %1 in boolean column %2 is not true/false, "
                                          "yes/no, t/f, y/n or 1/0")
                               .arg(quoted(s.firstNonBooleanValue), name)));
        if (s.numbers > 0 && s.firstNonBit)
            return invalidInput(at(*s.firstNonBit,
                           QStringLiteral("value %1 in boolean column %2 is not true/false, "
                                          "yes/no, t/f, y/n or 1/0")
                               .arg(quoted(s.firstNonBitValue), name)));
        QString no = s.falseLabel;
        QString yes = s.trueLabel;
        if (no.isEmpty() && !yes.isEmpty())
            no = matchCase(csv::booleanPartner(yes.toStdString()), yes);
        if (yes.isEmpty() && !no.isEmpty())
            yes = matchCase(csv::booleanPartner(no.toStdString()), no);
        if (no.isEmpty()) {
            no = QStringLiteral("0");
            yes = QStringLiteral("1");
        }
        c.categories = {no, yes};
        c.textValues.clear();
        for (const std::string &t : s.textSet.values())
            c.textValues.push_back(csv::parseBooleanWord(t) == 1 || t == "1" ? 1 : 0);
        c.conversion = Conversion::Boolean;
        return {};
    }
    case ColumnType::Categorical:
        if (s.numbers > 0 && s.numberSet.overflowed())
            return invalidInput(at(*s.firstText,
                           QStringLiteral("column %1 mixes text such as %2 with more than %3 "
                                          "distinct numbers")
                               .arg(name, quoted(s.firstTextValue),
                                    QString::number(kMaxNumberValues))));
        textCategories();
        c.conversion = Conversion::Text;
        return {};
    }
    return {};
}

Status ImportRun::decideTarget()
{
    Column &t = m_columns[size_t(m_target)];
    const QString name = quoted(t.name);
    const bool coded = t.type != ColumnType::Numeric;
    if (m_opt.task == TaskKind::Regression) {
        if (coded)
            return invalidInput(whole(QStringLiteral("target column %1 is %2 (values like %3); regression "
                                             "needs a numeric target")
                                  .arg(name, columnTypeName(t.type),
                                       quoted(t.categories.value(0)))));
        m_task = TaskKind::Regression;
        return {};
    }
    const ColumnScan &s = t.scan;
    const bool fewWholeNumbers = s.integral && !s.numberSet.overflowed()
        && s.numberSet.size() <= m_opt.maxInferredClasses;
    const bool classify = m_opt.task == TaskKind::Classification || coded || fewWholeNumbers;
    if (!classify) {
        m_task = TaskKind::Regression;
        return {};
    }
    m_task = TaskKind::Classification;
    if (!coded) {
        if (s.numberSet.overflowed())
            return invalidInput(whole(QStringLiteral("target column %1 has more than %2 distinct values: "
                                             "too many classes for classification")
                                  .arg(name, QString::number(kMaxNumberValues))));
        t.type = ColumnType::Categorical;
        t.conversion = Conversion::NumberClass;
        t.categories.clear();
        for (double v : s.numberSet.sortedValues()) {
            t.numberCodes.emplace(v, int(t.categories.size()));
            t.categories.append(formatNumber(v));
        }
    }
    if (t.categories.size() < 2)
        return invalidInput(whole(QStringLiteral("target column %1 has a single class (%2); "
                                         "classification needs at least two")
                              .arg(name, quoted(t.categories.value(0)))));
    return {};
}

Status ImportRun::checkImageShape() const
{
    if (!m_opt.imageShape)
        return {};
    const std::array<int, 3> &s = *m_opt.imageShape;
    if (s[0] <= 0 || s[1] <= 0 || s[2] <= 0)
        return invalidInput(whole(QStringLiteral("image shape %1 must be positive").arg(shapeText(s))));
    const qint64 features = qint64(m_columns.size()) - 1;
    if (qint64(s[0]) * s[1] * s[2] != features)
        return invalidInput(whole(QStringLiteral("image shape %1 needs %2 feature columns, the file has %3")
                              .arg(shapeText(s))
                              .arg(qint64(s[0]) * s[1] * s[2])
                              .arg(features)));
    for (size_t i = 0; i < m_columns.size(); ++i) {
        if (int(i) != m_target && m_columns[i].type == ColumnType::Categorical)
            return invalidInput(whole(QStringLiteral("image input needs numeric feature columns; column "
                                             "%1 is categorical")
                                  .arg(quoted(m_columns[i].name))));
    }
    return {};
}

Status ImportRun::finishColumns(std::vector<std::vector<double>> &data)
{
    // A row goes when its label is missing, or under DropRow when any cell is.
    const size_t rows = size_t(m_rows);
    std::vector<char> keep(rows, 1);
    const bool dropIncomplete = m_opt.missing == MissingPolicy::DropRow;
    const quint64 missingBits = [] {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        quint64 bits;
        std::memcpy(&bits, &nan, 8);
        return bits;
    }();
    const auto isMissingCell = [missingBits](double v) {
        quint64 bits;
        std::memcpy(&bits, &v, 8);
        return bits == missingBits;
    };
    for (size_t k = 0; k < data.size(); ++k) {
        if (!dropIncomplete && int(k) != m_target)
            continue;
        const std::vector<double> &col = data[k];
        for (size_t r = 0; r < rows; ++r) {
            if (isMissingCell(col[r]))
                keep[r] = 0;
        }
    }
    m_dropped = qint64(rows) - std::count(keep.begin(), keep.end(), 1);

    for (size_t k = 0; k < data.size(); ++k) {
        const Column &c = m_columns[k];
        std::vector<double> &col = data[k];
        size_t w = 0;
        for (size_t r = 0; r < rows; ++r) {
            if (!keep[r])
                continue;
            double v = col[r];
            if (c.conversion != Conversion::Number && !isMissingCell(v)) {
                const int text = unboxText(v);
                if (text >= 0) {
                    v = c.textValues[size_t(text)];
                } else if (c.conversion != Conversion::Boolean) {
                    const auto it = c.numberCodes.find(v == 0 ? 0.0 : v);
                    if (it == c.numberCodes.end())
                        return fail(whole(QStringLiteral("internal error: value %1 of column %2 "
                                                         "has no category")
                                              .arg(formatNumber(v), quoted(c.name))));
                    v = it->second;
                }
            }
            col[w++] = v;
        }
        col.resize(w);
    }
    return {};
}

Status ImportRun::checkImputable(const std::vector<std::vector<double>> &data) const
{
    // Missing cells stay missing in the stored table: the fill (mean, median, mode) is fitted
    // on the training split by Preprocessing, so test rows never leak into it. A column with no
    // value at all has nothing to fit on.
    for (size_t k = 0; k < m_columns.size(); ++k) {
        const std::vector<double> &col = data[k];
        if (!col.empty() && std::all_of(col.begin(), col.end(), [](double v) { return std::isnan(v); }))
            return invalidInput(whole(QStringLiteral("column %1 has no values left to impute from")
                                  .arg(quoted(m_columns[k].name))));
    }
    return {};
}

Result<ImportedDataset> ImportRun::run()
{
    QElapsedTimer timer;
    timer.start();
    if (Status s = open(); !s)
        return s.failure();
    bool wholeFile = false;
    std::vector<std::vector<double>> data;
    if (Status s = scan(0, nullptr, 0, wholeFile, &data); !s)
        return s.failure();
    for (Column &c : m_columns) {
        if (Status s = decideColumn(c); !s)
            return s.failure();
    }
    if (Status s = decideTarget(); !s)
        return s.failure();
    if (Status s = checkImageShape(); !s)
        return s.failure();

    if (Status s = finishColumns(data); !s)
        return s.failure();
    const qint64 kept = data.empty() ? 0 : qint64(data.front().size());
    if (kept == 0) {
        const auto worst = std::max_element(m_columns.begin(), m_columns.end(),
                                            [](const Column &a, const Column &b) {
                                                return a.scan.missing < b.scan.missing;
                                            });
        return invalidInput(whole(QStringLiteral("no rows left after dropping rows with missing values "
                                         "(column %1 is missing in %2 of %3 rows); choose an "
                                         "impute policy or exclude the column")
                              .arg(quoted(worst->name), QString::number(worst->scan.missing),
                                   QString::number(m_rows))));
    }
    if (m_opt.missing != MissingPolicy::DropRow) {
        if (Status s = checkImputable(data); !s)
            return s.failure();
    }

    QList<ColumnInfo> infos;
    for (const Column &c : m_columns) {
        ColumnInfo info;
        info.name = c.name;
        info.type = c.type;
        info.categories = c.categories;
        info.missing = c.scan.missing;
        infos.append(std::move(info));
    }
    ImportedDataset d;
    d.table = DataTable(std::move(infos), std::move(data));
    d.table.updateStatistics();
    d.sha256 = QString::fromLatin1(m_hash.result().toHex());
    d.sourcePath = m_path;
    d.task = m_task;
    d.targetColumn = m_target;
    if (m_task == TaskKind::Classification) {
        const ColumnInfo &target = d.table.column(m_target);
        d.classNames = target.categories;
        if (target.distinct < 2) {
            const auto present = std::find_if(target.categoryCounts.cbegin(),
                                              target.categoryCounts.cend(),
                                              [](qint64 n) { return n > 0; });
            const QString only = quoted(target.categories.value(
                present - target.categoryCounts.cbegin()));
            if (m_dropped > 0)
                return invalidInput(whole(QStringLiteral("after dropping rows with missing values only "
                                                 "class %1 is left in target column %2")
                                      .arg(only, quoted(target.name))));
            return invalidInput(whole(QStringLiteral("target column %1 has a single class (%2); "
                                             "classification needs at least two")
                                  .arg(quoted(target.name), only)));
        }
    }
    d.imageShape = m_opt.imageShape;
    d.sourceRows = m_rows;
    d.droppedRows = m_dropped;
    d.delimiter = QLatin1Char(m_dialect.delimiter);
    d.hasHeader = m_dialect.hasHeader;
    d.missingPolicy = m_opt.missing;
    report(1.0);
    if (m_cancelled)
        return cancelled();
    const double ms = double(std::max<qint64>(timer.nsecsElapsed(), 1)) / 1e6;
    qCDebug(lcData, "imported %s: %lld rows x %d columns in %.1f ms (%.0f MB/s)",
            qUtf8Printable(m_path), qlonglong(kept), d.table.columnCount(), ms,
            double(m_size) / 1e3 / ms);
    return d;
}

Result<CsvPreview> ImportRun::preview(int maxRows)
{
    if (Status s = open(); !s)
        return s.failure();
    CsvPreview p;
    p.delimiter = QLatin1Char(m_dialect.delimiter);
    p.hasHeader = m_dialect.hasHeader;
    p.fileSize = m_size;
    bool wholeFile = false;
    const Status scanned = scan(std::max<qint64>(maxRows, kPreviewScanRows), &p.rows,
                                std::max(maxRows, 0), wholeFile, nullptr);
    // Without column names there is nothing to preview.
    if (m_names.isEmpty() || (!scanned && m_columns.empty()))
        return scanned.failure();
    p.columnNames = m_names;
    p.rowsScanned = m_rows;
    p.wholeFile = wholeFile;
    if (!scanned)
        p.problem = scanned.error();
    for (Column &c : m_columns) {
        const Status s = decideColumn(c);
        if (!s) {
            c.type = c.declared.value_or(ColumnType::Categorical);
            if (p.problem.isEmpty())
                p.problem = s.error();
        }
        p.columnTypes.append(c.type);
    }
    p.targetColumn = m_target >= 0 ? m_columns[size_t(m_target)].fileIndex : -1;
    if (m_target >= 0) {
        if (Status s = decideTarget(); !s) {
            if (p.problem.isEmpty())
                p.problem = s.error();
        } else {
            p.task = m_task;
            if (m_task == TaskKind::Classification)
                p.classNames = m_columns[size_t(m_target)].categories;
        }
    }
    return p;
}

} // namespace

Result<ImportedDataset> CsvImporter::importFile(const QString &path, const ImportOptions &options)
{
    ImportRun run(path, options);
    return run.run();
}

Result<CsvPreview> CsvImporter::preview(const QString &path, const ImportOptions &options,
                                        int maxRows)
{
    ImportRun run(path, options);
    return run.preview(maxRows);
}

} // namespace mlwb
