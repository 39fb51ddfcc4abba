// SPDX-License-Identifier: MIT
// PackageManifest::fromJson on any bytes, as a package's manifest.json holds them once its seal
// verified (a signed package from a careless or hostile colleague). A manifest it accepts has
// the fields its readers rely on, and reads back from its own JSON as the same manifest.

#include "fuzz_check.h"

#include "package/package_manifest.h"

#include <cstddef>
#include <cstdint>

using namespace mlwb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    auto m = PackageManifest::fromJson(json, QStringLiteral("fuzz.mlwbpkg"));
    if (!m) {
        MLWB_FUZZ_CHECK(m.error().startsWith(QStringLiteral("fuzz.mlwbpkg: ")), m.error());
        return 0;
    }
    MLWB_FUZZ_CHECK(PackageManifest::nameProblem(m->name).isEmpty(), m->name);
    MLWB_FUZZ_CHECK(m->input.shape.size() == 1 && m->input.shape[0] == qint64(m->input.features.size()),
                    QString::number(m->input.features.size()));
    MLWB_FUZZ_CHECK(!m->input.modelShape.empty(), QStringLiteral("no model shape"));
    MLWB_FUZZ_CHECK(m->output.task != QLatin1String("classification") ||
                        (m->output.shape.size() == 1 && m->output.shape[0] == m->output.labels.size()),
                    QString::number(m->output.labels.size()));
    MLWB_FUZZ_CHECK(m->created.isValid(), QStringLiteral("created"));
    auto again = PackageManifest::fromJson(m->toBytes(), QStringLiteral("fuzz.mlwbpkg"));
    MLWB_FUZZ_CHECK(again, again ? QString() : again.error());
    MLWB_FUZZ_CHECK(again->toJson() == m->toJson(), QString::fromUtf8(m->toBytes()));
    return 0;
}
