// SPDX-License-Identifier: MIT
#pragma once

// BearerToken: whether an Authorization header ("Bearer TOKEN") carries a token, in time that
// does not depend on where the two differ or how long the given one is: the agent's management
// API (issue #12) and the tracking endpoint (issue #15) compare their tokens with it.

#include <QByteArray>

#include <string>

namespace mlwb {

class BearerToken {
public:
    // False for an empty token, a header that is not "Bearer ...", or another token.
    static bool matches(const std::string &header, const QByteArray &token);
};

} // namespace mlwb
