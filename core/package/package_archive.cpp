// SPDX-License-Identifier: MIT
#include "package/package_archive.h"

#include <QSet>

#include <zip.h>

#include <memory>

namespace mlwb {

namespace {

struct ZipCloser {
    void operator()(zip_t *z) const { zip_discard(z); }
};
struct FileCloser {
    void operator()(zip_file_t *f) const { zip_fclose(f); }
};
struct SourceFree {
    void operator()(zip_source_t *s) const { zip_source_free(s); }
};

QString zipErrorText(zip_error_t *error)
{
    return QString::fromUtf8(zip_error_strerror(error));
}

quint16 le16(const QByteArray &b, qsizetype at)
{
    return quint16(uchar(b[at]) | (uchar(b[at + 1]) << 8));
}

// The first name two central-directory records share, for the message when libzip refuses the
// archive for a duplicate name (it does not say which). A scan for the record signature: only
// used to word an error, so a false match in stored data can only change the wording.
QString duplicateName(const QByteArray &bytes)
{
    QSet<QByteArray> seen;
    for (qsizetype at = bytes.indexOf("PK\x01\x02"); at >= 0 && at + 46 <= bytes.size();
         at = bytes.indexOf("PK\x01\x02", at + 4)) {
        const qsizetype length = le16(bytes, at + 28);
        if (at + 46 + length > bytes.size())
            break;
        const QByteArray name = bytes.mid(at + 46, length);
        if (seen.contains(name))
            return QString::fromUtf8(name);
        seen.insert(name);
    }
    return {};
}

} // namespace

QString PackageArchive::nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("an entry has an empty name");
    if (name.startsWith(u'/') || (name.size() >= 2 && name[1] == u':'))
        return QStringLiteral("entry \"%1\" has an absolute path").arg(name);
    if (name.contains(u'\\'))
        return QStringLiteral("entry \"%1\" has a backslash in its name").arg(name);
    if (name.contains(QChar(0)))
        return QStringLiteral("entry \"%1\" has a NUL in its name").arg(name);
    for (const QStringView part : QStringView(name).split(u'/')) {
        if (part == u"..")
            return QStringLiteral("entry \"%1\" escapes the package's folder (\"..\")").arg(name);
    }
    return {};
}

const QByteArray *PackageArchive::find(const QString &name) const
{
    for (const Entry &e : m_entries) {
        if (e.name == name)
            return &e.data;
    }
    return nullptr;
}

Result<PackageArchive> PackageArchive::read(const QByteArray &bytes, const QString &source, const Limits &limits)
{
    if (!bytes.startsWith("PK"))
        return invalidInput(QStringLiteral("%1 is not a package (not a zip archive)").arg(source));
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFree> src(zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &error));
    if (!src) {
        const QString why = zipErrorText(&error);
        zip_error_fini(&error);
        return fail(QStringLiteral("%1: %2").arg(source, why));
    }
    std::unique_ptr<zip_t, ZipCloser> zip(zip_open_from_source(src.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
    if (!zip) {
        const bool duplicate = zip_error_code_zip(&error) == ZIP_ER_EXISTS;
        const QString why = zipErrorText(&error);
        zip_error_fini(&error);
        if (duplicate) {
            const QString name = duplicateName(bytes);
            return corrupt(name.isEmpty() ? QStringLiteral("%1: two entries have the same name").arg(source)
                                          : QStringLiteral("%1: entry \"%2\" appears twice").arg(source, name));
        }
        return corrupt(QStringLiteral("%1 is truncated or damaged: %2").arg(source, why));
    }
    zip_source_keep(src.get()); // the archive holds a reference now; ours goes with `src`
    zip_error_fini(&error);

    const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
    if (count < 0 || count > limits.maxEntries)
        return corrupt(QStringLiteral("%1 has %2 entries; a package has at most %3").arg(source).arg(count).arg(limits.maxEntries));

    PackageArchive archive;
    QSet<QString> names;
    qint64 total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        const char *raw = zip_get_name(zip.get(), zip_uint64_t(i), ZIP_FL_ENC_RAW);
        if (!raw)
            return corrupt(QStringLiteral("%1: entry %2 has no readable name").arg(source).arg(i));
        const QString name = QString::fromUtf8(raw);
        if (const QString problem = nameProblem(name); !problem.isEmpty())
            return corrupt(QStringLiteral("%1: %2").arg(source, problem));
        if (names.contains(name))
            return corrupt(QStringLiteral("%1: entry \"%2\" appears twice").arg(source, name));
        names.insert(name);
        if (name.endsWith(u'/'))
            continue; // a folder entry carries no data
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip.get(), zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
            !(st.valid & ZIP_STAT_COMP_SIZE))
            return corrupt(QStringLiteral("%1: entry \"%2\" has no readable header").arg(source, name));
        const auto declared = qint64(st.size);
        if (declared < 0 || declared > limits.maxEntryBytes)
            return corrupt(QStringLiteral("%1: entry \"%2\" inflates to %3 bytes; the limit is %4")
                               .arg(source, name).arg(quint64(st.size)).arg(limits.maxEntryBytes));
        if (declared > (qint64(1) << 20) && double(declared) > limits.maxRatio * double(std::max<zip_uint64_t>(st.comp_size, 1)))
            return corrupt(QStringLiteral("%1: entry \"%2\" inflates %3 times (%4 bytes from %5); the limit is %6 times")
                               .arg(source, name)
                               .arg(double(declared) / double(std::max<zip_uint64_t>(st.comp_size, 1)), 0, 'f', 0)
                               .arg(declared).arg(quint64(st.comp_size)).arg(limits.maxRatio));
        if (total + declared > limits.maxTotalBytes)
            return corrupt(QStringLiteral("%1: the entries inflate to more than %2 bytes together (at \"%3\")")
                               .arg(source).arg(limits.maxTotalBytes).arg(name));
        std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(zip.get(), zip_uint64_t(i), 0));
        if (!file)
            return corrupt(QStringLiteral("%1: cannot open entry \"%2\": %3")
                               .arg(source, name, QString::fromUtf8(zip_strerror(zip.get()))));
        // Read one byte more than declared: an entry that inflates beyond its header is refused.
        QByteArray data(qsizetype(declared + 1), Qt::Uninitialized);
        qint64 got = 0;
        while (got < declared + 1) {
            const zip_int64_t n = zip_fread(file.get(), data.data() + got, zip_uint64_t(declared + 1 - got));
            if (n < 0)
                return corrupt(QStringLiteral("%1: entry \"%2\" is damaged: %3")
                                   .arg(source, name, QString::fromUtf8(zip_file_strerror(file.get()))));
            if (n == 0)
                break;
            got += n;
        }
        if (got != declared)
            return corrupt(QStringLiteral("%1: entry \"%2\" holds %3 bytes, its header says %4")
                               .arg(source, name).arg(got).arg(declared));
        data.truncate(qsizetype(got));
        total += got;
        archive.m_entries.push_back({name, std::move(data)});
    }
    return archive;
}

Result<QByteArray> PackageArchive::write(const std::vector<Entry> &entries)
{
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFree> out(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!out) {
        const QString why = zipErrorText(&error);
        zip_error_fini(&error);
        return fail(QStringLiteral("cannot make a zip archive: %1").arg(why));
    }
    zip_t *zip = zip_open_from_source(out.get(), ZIP_TRUNCATE, &error);
    if (!zip) {
        const QString why = zipErrorText(&error);
        zip_error_fini(&error);
        return fail(QStringLiteral("cannot make a zip archive: %1").arg(why));
    }
    zip_source_keep(out.get());
    zip_error_fini(&error);
    if (entries.empty()) {
        // libzip writes nothing for an archive without entries (it removes the file): the empty
        // zip is its end record alone, which read() accepts (found by fuzz_package_archive).
        zip_discard(zip);
        return QByteArray("PK\x05\x06", 4) + QByteArray(18, '\0');
    }
    for (const Entry &e : entries) {
        if (const QString problem = nameProblem(e.name); !problem.isEmpty()) {
            zip_discard(zip);
            return invalidInput(problem);
        }
        // read() keeps no folder entry, so data written under such a name would vanish (and a
        // sealed package listing it would never verify; found by fuzz_package_seal).
        if (e.name.endsWith(u'/')) {
            zip_discard(zip);
            return invalidInput(QStringLiteral("entry \"%1\" is named like a folder; a package's entries are files").arg(e.name));
        }
        zip_source_t *data = zip_source_buffer(zip, e.data.constData(), zip_uint64_t(e.data.size()), 0);
        const QByteArray name = e.name.toUtf8();
        if (!data || zip_file_add(zip, name.constData(), data, ZIP_FL_ENC_UTF_8) < 0) {
            const QString why = QString::fromUtf8(zip_strerror(zip));
            if (data)
                zip_source_free(data);
            zip_discard(zip);
            return fail(QStringLiteral("cannot add \"%1\" to the archive: %2").arg(e.name, why));
        }
    }
    if (zip_close(zip) != 0) {
        const QString why = QString::fromUtf8(zip_strerror(zip));
        zip_discard(zip);
        return fail(QStringLiteral("cannot write the archive: %1").arg(why));
    }
    // zip_close wrote the archive into `out`: read it back.
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(out.get(), &st) != 0 || zip_source_open(out.get()) != 0)
        return fail(QStringLiteral("cannot read the written archive back"));
    QByteArray bytes(qsizetype(st.size), Qt::Uninitialized);
    const zip_int64_t n = zip_source_read(out.get(), bytes.data(), st.size);
    zip_source_close(out.get());
    if (n < 0 || zip_uint64_t(n) != st.size)
        return fail(QStringLiteral("cannot read the written archive back"));
    return bytes;
}

} // namespace mlwb
