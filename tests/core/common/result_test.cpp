// SPDX-License-Identifier: MIT
#include "common/result.h"

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

Result<int> parsePositive(int v)
{
    if (v <= 0)
        return invalidInput(QStringLiteral("%1 is not positive").arg(v));
    return v;
}

// Passes a failure up twice, once with context: the kind survives both.
Result<QString> describe(int v)
{
    Result<int> parsed = parsePositive(v);
    if (!parsed)
        return parsed.failure().reworded(QStringLiteral("value: %1").arg(parsed.error()));
    return QString::number(*parsed);
}

Status check(int v)
{
    Result<QString> d = describe(v);
    if (!d)
        return d.failure();
    return {};
}

} // namespace

TEST(ResultTest, FailureKeepsItsKindThroughPropagationAndRewording)
{
    const Status s = check(-3);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.kind(), ErrorKind::InvalidInput);
    EXPECT_EQ(s.error(), QStringLiteral("value: -3 is not positive"));
    EXPECT_TRUE(check(4).ok());
}

TEST(ResultTest, PlainFailIsInternal)
{
    const Result<int> r = fail(QStringLiteral("boom"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.kind(), ErrorKind::Internal);
    EXPECT_EQ(r.failure().message, QStringLiteral("boom"));
}

TEST(ResultTest, EachKindHasANameAndAnHttpStatus)
{
    struct Case {
        Error error;
        const char *name;
        int status;
    };
    const Case cases[] = {
        {invalidInput({}), "invalid input", 400}, {unauthorized({}), "unauthorized", 401},
        {notFound({}), "not found", 404},         {conflict({}), "conflict", 409},
        {corrupt({}), "corrupt", 422},            {cancelled({}), "cancelled", 503},
        {ioError({}), "i/o", 500},                {fail({}), "internal", 500},
    };
    for (const Case &c : cases) {
        EXPECT_STREQ(errorKindName(c.error.kind), c.name);
        EXPECT_EQ(httpStatus(c.error.kind), c.status) << c.name;
    }
}
