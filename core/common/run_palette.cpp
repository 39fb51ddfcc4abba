// SPDX-License-Identifier: MIT
#include "common/run_palette.h"

#include <array>

namespace mlwb {

namespace {

// A qualitative palette readable on light and dark backgrounds (the Compare pane's since #6).
constexpr std::array<quint32, 8> kColors = {0x209fdf, 0x99ca53, 0xf6a625, 0x6d5fd5,
                                            0xbf593e, 0x17becf, 0xe377c2, 0x7f7f7f};

} // namespace

quint32 RunPalette::rgb(qint64 runId)
{
    // Ids are positive; a negative one (never stored) still gets a colour.
    const quint64 i = runId < 0 ? quint64(-(runId + 1)) : quint64(runId);
    return kColors[size_t(i % kColors.size())];
}

QString RunPalette::color(qint64 runId)
{
    return QStringLiteral("#%1").arg(rgb(runId), 6, 16, QLatin1Char('0'));
}

int RunPalette::size()
{
    return int(kColors.size());
}

} // namespace mlwb
