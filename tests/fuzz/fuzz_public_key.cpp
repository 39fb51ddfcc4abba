// SPDX-License-Identifier: MIT
// PublicKey::parse on any text, as a .pub file in an agent's --trusted-keys folder or the
// public_key field of a package's signature.json would hold it. A key it accepts has 32 bytes
// and reads back from its own text form with the same bytes, comment and id.

#include "fuzz_check.h"

#include "package/public_key.h"

#include <cstddef>
#include <cstdint>

using namespace mlwb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    auto key = PublicKey::parse(text, QStringLiteral("fuzz.pub"));
    if (!key) {
        MLWB_FUZZ_CHECK(!key.error().isEmpty(), QStringLiteral("a refusal without a message"));
        return 0;
    }
    MLWB_FUZZ_CHECK(key->bytes().size() == PublicKey::kBytes, QString::number(key->bytes().size()));
    MLWB_FUZZ_CHECK(key->id().size() == 16, key->id());

    const QByteArray written = key->toText();
    MLWB_FUZZ_CHECK(written.endsWith('\n') && written.count('\n') == 1, QString::fromUtf8(written));
    auto again = PublicKey::parse(written, QStringLiteral("fuzz.pub"));
    MLWB_FUZZ_CHECK(again, again ? QString() : again.error());
    MLWB_FUZZ_CHECK(*again == *key, QString::fromUtf8(written));
    MLWB_FUZZ_CHECK(again->comment() == key->comment(), again->comment() + QStringLiteral(" | ") + key->comment());
    MLWB_FUZZ_CHECK(again->id() == key->id(), again->id());

    // A signature of the wrong size never verifies.
    MLWB_FUZZ_CHECK(!key->verify(text, text.left(PublicKey::kSignatureBytes - 1)), QStringLiteral("short signature"));
    return 0;
}
