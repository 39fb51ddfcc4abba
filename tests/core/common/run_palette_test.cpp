// SPDX-License-Identifier: MIT
// RunPalette: the Compare pane's run colours, now shared with reports, unchanged and by run id.

#include "common/run_palette.h"

#include <gtest/gtest.h>

using namespace mlwb;

TEST(RunPaletteTest, ARunKeepsTheCompareColoursByItsId)
{
    // The colours CompareView::colorOf drew with before the palette moved into core.
    const char *expected[] = {"#209fdf", "#99ca53", "#f6a625", "#6d5fd5",
                              "#bf593e", "#17becf", "#e377c2", "#7f7f7f"};
    ASSERT_EQ(RunPalette::size(), 8);
    for (int id = 0; id < 24; ++id) {
        EXPECT_EQ(RunPalette::color(id), QLatin1String(expected[id % 8])) << id;
        EXPECT_EQ(RunPalette::color(id), QStringLiteral("#%1").arg(RunPalette::rgb(id), 6, 16, QLatin1Char('0')));
    }
    EXPECT_EQ(RunPalette::rgb(1), 0x99ca53u);
    EXPECT_EQ(RunPalette::color(-1).size(), 7) << "never out of range";
}
