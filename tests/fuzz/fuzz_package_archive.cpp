// SPDX-License-Identifier: MIT
// PackageArchive::read on any bytes, as an upload to an agent would hand them over; what it
// accepts goes through PackageSeal::verify. Beyond the sanitizers, every archive read must keep
// read()'s promises (names pass nameProblem, no duplicates, the limits hold) and survive a
// write/read round trip unchanged.

#include "fuzz_check.h"

#include "package/package_archive.h"
#include "package/package_seal.h"

#include <QSet>

#include <cstddef>
#include <cstdint>

using namespace mlwb;

namespace {

// Small, so that no input makes the fuzzer allocate gigabytes; maxEntryBytes is above 1 MiB
// so that the zip-bomb ratio check stays reachable.
PackageArchive::Limits fuzzLimits()
{
    PackageArchive::Limits limits;
    limits.maxEntries = 16;
    limits.maxEntryBytes = qint64(2) << 20;
    limits.maxTotalBytes = qint64(4) << 20;
    limits.maxRatio = 200;
    return limits;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const PackageArchive::Limits limits = fuzzLimits();
    const QString source = QStringLiteral("fuzz.mlwbpkg");
    auto archive = PackageArchive::read(bytes, source, limits);
    if (!archive) {
        MLWB_FUZZ_CHECK(!archive.error().isEmpty(), QStringLiteral("a refusal without a message"));
        return 0;
    }

    const auto &entries = archive->entries();
    MLWB_FUZZ_CHECK(qint64(entries.size()) <= limits.maxEntries, QString::number(entries.size()));
    QSet<QString> names;
    qint64 total = 0;
    for (const auto &e : entries) {
        MLWB_FUZZ_CHECK(PackageArchive::nameProblem(e.name).isEmpty(), PackageArchive::nameProblem(e.name));
        MLWB_FUZZ_CHECK(!names.contains(e.name), e.name);
        names.insert(e.name);
        MLWB_FUZZ_CHECK(e.data.size() <= limits.maxEntryBytes, e.name);
        total += e.data.size();
        MLWB_FUZZ_CHECK(archive->find(e.name) == &e.data, e.name);
        (void)PackageSeal::sha256Hex(e.data);
    }
    MLWB_FUZZ_CHECK(total <= limits.maxTotalBytes, QString::number(total));

    auto verified = PackageSeal::verify(*archive, {}, false, source);
    if (verified) {
        // Nothing is trusted here: only an unsigned package can pass.
        MLWB_FUZZ_CHECK(!verified->isSigned, verified->keyId);
        MLWB_FUZZ_CHECK(archive->find(QString::fromLatin1(PackageSeal::kHashesEntry)), QStringLiteral("no hashes.json"));
    } else {
        MLWB_FUZZ_CHECK(!verified.error().isEmpty(), QStringLiteral("a refusal without a message"));
    }

    // What was read can be written and reads back the same (write() deflates, so a few entries'
    // worth of data at most, to stay fast).
    if (total <= 64 * 1024) {
        auto rewritten = PackageArchive::write(entries);
        MLWB_FUZZ_CHECK(rewritten, rewritten ? QString() : rewritten.error());
        auto again = PackageArchive::read(*rewritten, source, limits);
        MLWB_FUZZ_CHECK(again, again ? QString() : again.error());
        MLWB_FUZZ_CHECK(again->entries().size() == entries.size(), QString::number(again->entries().size()));
        for (size_t i = 0; i < entries.size(); ++i) {
            MLWB_FUZZ_CHECK(again->entries()[i].name == entries[i].name, entries[i].name);
            MLWB_FUZZ_CHECK(again->entries()[i].data == entries[i].data, entries[i].name);
        }
    }
    return 0;
}
