// SPDX-License-Identifier: MIT
#include "store/filesystem_probe.h"

#include <QFileInfo>

#include <sys/vfs.h>

#include <cstdint>

namespace mlwb {

namespace {

struct Magic {
    std::uint32_t value;
    const char *name;
};

// statfs f_type values of network and cluster file systems (linux/magic.h and man statfs).
constexpr Magic kNetworkMagics[] = {
    {0x6969, "nfs"},           {0x517B, "smb"},        {0xFF534D42u, "cifs"},
    {0xFE534D42u, "smb2"},     {0x564C, "ncp"},        {0x5346414F, "afs"},
    {0x6B414653, "kafs"},      {0x00C36400, "ceph"},   {0x01161970, "gfs2"},
    {0x7461636F, "ocfs2"},     {0x47504653, "gpfs"},   {0x0BD00BD0, "lustre"},
    {0x65735546, "fuse"},      {0x01021997, "9p"},     {0x73757245, "coda"},
    {0xBEEFDEAD, "glusterfs"},
};

} // namespace

FilesystemProbe::Info FilesystemProbe::probe(const QString &path)
{
    if (qEnvironmentVariableIntValue("MLWB_ASSUME_NETWORK_FS") == 1)
        return {true, QStringLiteral("network (forced)")};
    const QFileInfo fi(path);
    const QByteArray dir = (fi.exists() ? fi.absoluteFilePath() : fi.absolutePath()).toLocal8Bit();
    struct statfs st {};
    if (statfs(dir.constData(), &st) != 0)
        return {false, QStringLiteral("unknown")};
    const auto type = static_cast<std::uint32_t>(st.f_type);
    for (const Magic &m : kNetworkMagics) {
        if (m.value == type)
            return {true, QString::fromLatin1(m.name)};
    }
    return {false, QStringLiteral("local")};
}

} // namespace mlwb
