// SPDX-License-Identifier: MIT
#include "common/bearer_token.h"

#include "common/sha256.h"

namespace mlwb {

bool BearerToken::matches(const std::string &header, const QByteArray &token)
{
    static const std::string bearer = "Bearer ";
    if (token.isEmpty() || header.size() <= bearer.size() || header.compare(0, bearer.size(), bearer) != 0)
        return false;
    // Digests of equal length, compared in constant time: neither the length nor the first
    // differing byte of the token shows in the time taken.
    auto digest = [](const char *data, qsizetype size) {
        Sha256 h;
        h.addData(data, size);
        return h.result();
    };
    const QByteArray given = digest(header.data() + bearer.size(), qsizetype(header.size() - bearer.size()));
    const QByteArray expected = digest(token.constData(), token.size());
    if (given.size() != expected.size())
        return false;
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        difference = difference | static_cast<unsigned char>(given[i] ^ expected[i]);
    return difference == 0;
}

} // namespace mlwb
