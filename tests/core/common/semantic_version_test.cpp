// SPDX-License-Identifier: MIT
// SemanticVersion: numbers compare as numbers; one spelling per version.
#include "common/semantic_version.h"

#include "test_support.h"

#include <algorithm>

using namespace mlwb;

namespace {

SemanticVersion v(const char *text)
{
    auto parsed = SemanticVersion::parse(QString::fromLatin1(text));
    EXPECT_OK(parsed);
    return parsed ? *parsed : SemanticVersion{};
}

} // namespace

TEST(SemanticVersion, ComparesByNumberNotByText)
{
    EXPECT_LT(v("1.9.0"), v("1.10.0"));
    EXPECT_LT(v("1.2.9"), v("1.2.10"));
    EXPECT_LT(v("1.99.99"), v("2.0.0"));
    EXPECT_LT(v("0.0.1"), v("0.1.0"));
    EXPECT_EQ(v("3.4.5"), (SemanticVersion{3, 4, 5}));
    EXPECT_EQ(v("3.4.5").toString(), QStringLiteral("3.4.5"));
    EXPECT_EQ(v("4294967295.0.0").major, 4294967295u);

    QList<SemanticVersion> sorted = {v("10.0.0"), v("1.10.0"), v("1.9.0"), v("1.9.10"), v("1.9.2")};
    std::sort(sorted.begin(), sorted.end());
    QStringList texts;
    for (const auto &s : sorted)
        texts << s.toString();
    EXPECT_EQ(texts.join(u' '), QStringLiteral("1.9.0 1.9.2 1.9.10 1.10.0 10.0.0"));
}

TEST(SemanticVersion, RefusesAnythingButThreePlainNumbers)
{
    for (const char *bad :
         {"",       "1",      "1.2",    "1.2.3.4", "1..3",           ".1.2",        "1.2.",
          "01.2.3", "1.02.3", "1.2.03", "v1.2.3",  "1.2.3-rc.1",     "1.2.3+build", " 1.2.3",
          "1.2.3 ", "+1.2.3", "-1.2.3", "1.x.3",   "4294967296.0.0", "1.2.3\n"}) {
        auto parsed = SemanticVersion::parse(QString::fromLatin1(bad));
        ASSERT_FALSE(parsed.ok()) << '"' << bad << '"';
        EXPECT_EQ(parsed.kind(), ErrorKind::InvalidInput);
        EXPECT_TRUE(
            parsed.error().contains(QStringLiteral("\"%1\" is not a version MAJOR.MINOR.PATCH")
                                        .arg(QString::fromLatin1(bad))))
            << qPrintable(parsed.error());
    }
    EXPECT_OK(SemanticVersion::parse(QStringLiteral("0.0.0")));
    EXPECT_OK(SemanticVersion::parse(QStringLiteral("10.200.3000")));
}
