// SPDX-License-Identifier: MIT
// SemanticVersion: semver.org 2.0's grammar and precedence (its own example chain).

#include "common/semantic_version.h"

#include <gtest/gtest.h>

using namespace mlwb;

namespace {
SemanticVersion v(const char *text)
{
    auto parsed = SemanticVersion::parse(QString::fromLatin1(text));
    EXPECT_TRUE(parsed.ok()) << text << ": " << qPrintable(parsed.error());
    return parsed.ok() ? *parsed : SemanticVersion();
}
} // namespace

TEST(SemanticVersionTest, PrecedenceFollowsSemverOrg)
{
    const char *chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                           "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1",
                           "1.9.0", "1.10.0", "2.0.0"};
    for (size_t i = 0; i + 1 < std::size(chain); ++i) {
        EXPECT_LT(v(chain[i]), v(chain[i + 1])) << chain[i] << " < " << chain[i + 1];
        EXPECT_GT(v(chain[i + 1]), v(chain[i]));
    }
    EXPECT_EQ(v("1.2.3+build.5"), v("1.2.3"));
    EXPECT_EQ(v("1.10.2").minor(), 10u);
    EXPECT_EQ(v("1.10.2").text(), QStringLiteral("1.10.2"));
}

TEST(SemanticVersionTest, MalformedVersionsAreRefused)
{
    for (const char *bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "v1.2.3", "1.2.3-",
                            "1.2.3-01", "1.2.3+", " 1.2.3", "1.2.-3", "1.2.x"}) {
        auto parsed = SemanticVersion::parse(QString::fromLatin1(bad), QStringLiteral("the package version"));
        ASSERT_FALSE(parsed.ok()) << bad;
        EXPECT_EQ(parsed.kind(), ErrorKind::InvalidInput);
        EXPECT_TRUE(parsed.error().startsWith(QStringLiteral("the package version"))) << qPrintable(parsed.error());
    }
}
