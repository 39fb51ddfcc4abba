// SPDX-License-Identifier: MIT
// PackageSeal::verify past the zip layer. Random bytes rarely make a zip whose CRCs hold, so
// here the input describes the entries and the harness zips them:
//     FLAGS NAME \0 DATA \0 NAME \0 DATA ...
// FLAGS bit 0: seal the entries (hashes.json made by PackageSeal::seal, an input hashes.json
// dropped); bit 1: require a signature; bit 2: with bit 0, sign with the harness's key (an
// input signature.json dropped); bit 3: trust that key. Besides the sanitizers, verify must
// agree with what the flags promise: an honestly sealed package passes, exactly when it should.

#include "fuzz_check.h"

#include "package/package_archive.h"
#include "package/package_seal.h"
#include "package/signing_key.h"

#include <cstddef>
#include <cstdint>
#include <optional>

using namespace mlwb;

namespace {

enum Flag : uint8_t { Seal = 1, RequireSignature = 2, SignHere = 4, TrustHere = 8 };

const SigningKey &harnessKey()
{
    static const SigningKey key = [] {
        auto k = SigningKey::generate(QStringLiteral("fuzz@harness"));
        MLWB_FUZZ_CHECK(k, k ? QString() : k.error());
        return *k;
    }();
    return key;
}

bool isSealEntry(const QString &name)
{
    return name == QLatin1String(PackageSeal::kHashesEntry) || name == QLatin1String(PackageSeal::kSignatureEntry);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t flags = data[0];
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QList<QByteArray> fields = rest.split('\0');
    if (fields.size() > 2 * 16)
        return 0;
    std::vector<PackageArchive::Entry> entries;
    for (qsizetype i = 0; i < fields.size(); i += 2)
        entries.push_back({QString::fromUtf8(fields[i]), fields.value(i + 1)});

    const SigningKey &key = harnessKey();
    const bool seal = flags & Seal;
    const bool signHere = seal && (flags & SignHere);
    bool inputSignature = false;
    if (seal) {
        std::vector<PackageArchive::Entry> plain;
        std::optional<PackageArchive::Entry> signature;
        for (auto &e : entries) {
            if (!isSealEntry(e.name))
                plain.push_back(std::move(e));
            else if (e.name == QLatin1String(PackageSeal::kSignatureEntry) && !signHere && !signature)
                signature = std::move(e);
        }
        auto sealed = PackageSeal::seal(std::move(plain), signHere ? &key : nullptr);
        if (!sealed)
            return 0; // two entries with one name
        entries = std::move(*sealed);
        if (signature) {
            entries.push_back(std::move(*signature));
            inputSignature = true;
        }
    }

    auto bytes = PackageArchive::write(entries);
    if (!bytes)
        return 0; // a name write() refuses, or a duplicate
    const QString source = QStringLiteral("fuzz.mlwbpkg");
    auto archive = PackageArchive::read(*bytes, source);
    MLWB_FUZZ_CHECK(archive, archive ? QString() : archive.error());

    QList<PublicKey> trusted;
    if (flags & TrustHere)
        trusted << key.publicKey();
    const bool requireSignature = flags & RequireSignature;
    auto verified = PackageSeal::verify(*archive, trusted, requireSignature, source);
    const QString why = verified ? QString() : verified.error();
    MLWB_FUZZ_CHECK(verified || !why.isEmpty(), QStringLiteral("a refusal without a message"));
    if (verified && verified->isSigned) {
        // Only the harness's key is trusted, and only it can sign.
        MLWB_FUZZ_CHECK(flags & TrustHere, verified->keyId);
        MLWB_FUZZ_CHECK(verified->keyId == key.publicKey().id(), verified->keyId);
    }
    if (verified && !verified->isSigned)
        MLWB_FUZZ_CHECK(!requireSignature, QStringLiteral("an unsigned package passed where a signature is required"));
    if (signHere) {
        if (flags & TrustHere) {
            MLWB_FUZZ_CHECK(verified && verified->isSigned, why);
        } else {
            MLWB_FUZZ_CHECK(!verified && verified.kind() == ErrorKind::Unauthorized, why);
        }
    } else if (seal && !inputSignature) {
        MLWB_FUZZ_CHECK(bool(verified) == !requireSignature, why);
    }
    return 0;
}
