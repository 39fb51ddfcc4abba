// SPDX-License-Identifier: MIT
// The package container refuses what a hostile or damaged archive holds, naming the entry.
// Hostile archives are made with Python's zipfile (which writes duplicate names, "../" and
// absolute paths that libzip would refuse to write).

#include "package/package_archive.h"

#include "test_support.h"

#include <QFile>

#include <gtest/gtest.h>

using namespace mlwb;
using namespace mlwb::test;

namespace {

// Python builds a zip from (name, size, byte) triples and prints it as hex.
QByteArray pythonZip(const QString &entries)
{
    const PythonRun run = runPython(QStringLiteral(
        "import io, sys, zipfile, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "buf = io.BytesIO()\n"
        "with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:\n"
        "    for name, size, byte in %1:\n"
        "        z.writestr(name, bytes([byte]) * size)\n"
        "sys.stdout.write(buf.getvalue().hex())\n").arg(entries));
    EXPECT_TRUE(run.ok()) << run.err.constData();
    return QByteArray::fromHex(run.out);
}

PackageArchive::Entry entry(const char *name, const QByteArray &data)
{
    return {QString::fromLatin1(name), data};
}

} // namespace

TEST(PackageArchiveTest, WhatIsWrittenReadsBackEntryForEntry)
{
    QByteArray model(300000, Qt::Uninitialized);
    for (qsizetype i = 0; i < model.size(); ++i)
        model[i] = char((i * 7919) >> 3);
    auto bytes = PackageArchive::write({entry("manifest.json", "{\"name\":\"digits\"}"), entry("model.pt", model),
                                        entry("empty", {})});
    ASSERT_TRUE(bytes) << bytes.error().toStdString();
    auto archive = PackageArchive::read(*bytes, QStringLiteral("p.mlwbpkg"));
    ASSERT_TRUE(archive) << archive.error().toStdString();
    ASSERT_EQ(archive->entries().size(), 3u);
    EXPECT_EQ(archive->entries()[0].name, QStringLiteral("manifest.json"));
    ASSERT_NE(archive->find(QStringLiteral("model.pt")), nullptr);
    EXPECT_EQ(*archive->find(QStringLiteral("model.pt")), model);
    EXPECT_TRUE(archive->find(QStringLiteral("empty"))->isEmpty());
    EXPECT_EQ(archive->find(QStringLiteral("nothing")), nullptr);
}

TEST(PackageArchiveTest, PythonReadsWhatWeWrite)
{
    MLWB_REQUIRE_PYTHON("zipfile");
    auto bytes = PackageArchive::write({entry("a/b.txt", "hello"), entry("c.bin", QByteArray(1000, 'x'))});
    ASSERT_TRUE(bytes);
    const PythonRun run = runPython(QStringLiteral(
        "import io, sys, zipfile\n"
        "z = zipfile.ZipFile(io.BytesIO(bytes.fromhex(sys.argv[1])))\n"
        "assert z.testzip() is None\n"
        "print(','.join('%s=%d' % (i.filename, i.file_size) for i in z.infolist()), z.read('a/b.txt').decode())\n"),
                                    {QString::fromLatin1(bytes->toHex())});
    ASSERT_TRUE(run.ok()) << run.err.constData();
    EXPECT_EQ(run.out.trimmed(), QByteArray("a/b.txt=5,c.bin=1000 hello"));
}

TEST(PackageArchiveTest, HostileNamesAreRefusedNamingTheEntry)
{
    MLWB_REQUIRE_PYTHON("zipfile");
    const struct {
        const char *entries;
        const char *message;
    } cases[] = {
        {"[('manifest.json', 3, 65), ('../../etc/cron.d/x', 3, 65)]", "entry \"../../etc/cron.d/x\" escapes the package's folder"},
        {"[('a/../../x', 3, 65)]", "entry \"a/../../x\" escapes"},
        {"[('/etc/passwd', 3, 65)]", "entry \"/etc/passwd\" has an absolute path"},
        {"[('model.pt', 3, 65), ('model.pt', 4, 66)]", "entry \"model.pt\" appears twice"},
        {"[('a\\\\b', 3, 65)]", "backslash"},
    };
    for (const auto &c : cases) {
        const QByteArray zip = pythonZip(QString::fromLatin1(c.entries));
        ASSERT_FALSE(zip.isEmpty());
        auto archive = PackageArchive::read(zip, QStringLiteral("evil.mlwbpkg"));
        ASSERT_FALSE(archive) << c.entries;
        EXPECT_EQ(archive.kind(), ErrorKind::Corrupt);
        EXPECT_TRUE(archive.error().startsWith(QStringLiteral("evil.mlwbpkg: "))) << archive.error().toStdString();
        EXPECT_TRUE(archive.error().contains(QString::fromLatin1(c.message))) << archive.error().toStdString();
    }
    // The writer refuses them too.
    EXPECT_FALSE(PackageArchive::write({entry("../x", "1")}));
    EXPECT_FALSE(PackageArchive::write({entry("/x", "1")}));
}

TEST(PackageArchiveTest, AZipBombIsRefusedBeforeItInflates)
{
    MLWB_REQUIRE_PYTHON("zipfile");
    // 64 MiB of zeros deflate to about 64 KiB: a ratio near 1000.
    const QByteArray bomb = pythonZip(QStringLiteral("[('model.pt', 64 * 1024 * 1024, 0)]"));
    ASSERT_LT(bomb.size(), 1 << 20);
    auto archive = PackageArchive::read(bomb, QStringLiteral("bomb.mlwbpkg"));
    ASSERT_FALSE(archive);
    EXPECT_TRUE(archive.error().contains(QStringLiteral("entry \"model.pt\" inflates"))) << archive.error().toStdString();
    EXPECT_TRUE(archive.error().contains(QStringLiteral("the limit is 200 times"))) << archive.error().toStdString();

    PackageArchive::Limits small;
    small.maxEntryBytes = 1000;
    auto big = PackageArchive::read(pythonZip(QStringLiteral("[('data', 2000, 1)]")), QStringLiteral("p"), small);
    ASSERT_FALSE(big);
    EXPECT_TRUE(big.error().contains(QStringLiteral("entry \"data\" inflates to 2000 bytes; the limit is 1000"))) << big.error().toStdString();
    small = {};
    small.maxEntries = 2;
    auto many = PackageArchive::read(pythonZip(QStringLiteral("[('a', 1, 1), ('b', 1, 1), ('c', 1, 1)]")), QStringLiteral("p"), small);
    ASSERT_FALSE(many);
    EXPECT_TRUE(many.error().contains(QStringLiteral("has 3 entries; a package has at most 2"))) << many.error().toStdString();
}

TEST(PackageArchiveTest, TruncatedOrAlteredArchivesAreRefused)
{
    QByteArray model(20000, Qt::Uninitialized);
    quint32 x = 1;
    for (char &c : model) {
        x = x * 1664525u + 1013904223u; // incompressible, so the stored data is 20000 bytes long
        c = char(x >> 24);
    }
    auto bytes = PackageArchive::write({entry("manifest.json", QByteArray(5000, 'm')), entry("model.pt", model)});
    ASSERT_TRUE(bytes);
    for (const qsizetype keep : {bytes->size() - 1, bytes->size() / 2, qsizetype(30), qsizetype(2)}) {
        auto cut = PackageArchive::read(bytes->left(keep), QStringLiteral("cut.mlwbpkg"));
        ASSERT_FALSE(cut) << keep;
        EXPECT_TRUE(cut.error().startsWith(QStringLiteral("cut.mlwbpkg"))) << cut.error().toStdString();
    }
    EXPECT_FALSE(PackageArchive::read("not a zip at all", QStringLiteral("x")));
    EXPECT_FALSE(PackageArchive::read({}, QStringLiteral("x")));

    // A flipped byte inside the stored data fails the entry's CRC (or its inflation).
    const qsizetype at = bytes->indexOf("model.pt") + 8 + 5000;
    ASSERT_GT(at, 5000);
    QByteArray flipped = *bytes;
    flipped[at] = char(flipped[at] ^ 0x55);
    auto bad = PackageArchive::read(flipped, QStringLiteral("flip.mlwbpkg"));
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().contains(QStringLiteral("model.pt"))) << bad.error().toStdString();
}

// Found by tests/fuzz (fuzz_package_archive; its input is in tests/fuzz/regressions/): read()
// accepted the 22-byte zip of no entries, but write({}) failed with "cannot read the written
// archive back", since libzip writes nothing for an empty archive.
TEST(PackageArchiveTest, AnArchiveWithoutEntriesWritesAndReadsBack)
{
    auto bytes = PackageArchive::write({});
    ASSERT_OK(bytes);
    EXPECT_EQ(*bytes, QByteArray("PK\x05\x06", 4) + QByteArray(18, '\0'));
    auto archive = PackageArchive::read(*bytes, QStringLiteral("empty.mlwbpkg"));
    ASSERT_OK(archive);
    EXPECT_TRUE(archive->entries().empty());
}

// Found by tests/fuzz (fuzz_package_seal): write() took an entry named "data/", which read()
// then skipped as a folder entry, data and all, so a package sealed with such a name listed an
// entry that was never there and failed its own verification.
TEST(PackageArchiveTest, AFolderNameIsRefusedWhenWriting)
{
    for (const char *name : {"data/", "a/b/"}) {
        auto bytes = PackageArchive::write({entry("manifest.json", "{}"), entry(name, "lost")});
        ASSERT_FALSE(bytes) << name;
        EXPECT_EQ(bytes.kind(), ErrorKind::InvalidInput);
        EXPECT_EQ(bytes.error(), QStringLiteral("entry \"%1\" is named like a folder; a package's entries are files")
                                     .arg(QString::fromLatin1(name)));
    }
    // A file inside a folder is fine, and comes back under its full name.
    auto bytes = PackageArchive::write({entry("data/x.csv", "a\n1\n")});
    ASSERT_OK(bytes);
    auto archive = PackageArchive::read(*bytes, QStringLiteral("p.mlwbpkg"));
    ASSERT_OK(archive);
    ASSERT_EQ(archive->entries().size(), 1u);
    EXPECT_EQ(archive->entries()[0].name, QStringLiteral("data/x.csv"));
}
