// SPDX-License-Identifier: MIT
#pragma once

// HttpRequest: one request as the agent's HTTP front end hands it to AgentService, independent
// of the HTTP library: method, path (decoded, without the query), query parameters, headers
// (names in lower case) and the whole body.

#include <QByteArray>
#include <QString>

#include <map>
#include <optional>
#include <string>

namespace mlwb {

struct HttpRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string remote;

    std::optional<std::string> header(const std::string &lowerName) const
    {
        const auto it = headers.find(lowerName);
        return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    QString queryValue(const std::string &name) const
    {
        const auto it = query.find(name);
        return it == query.end() ? QString() : QString::fromStdString(it->second);
    }
};

} // namespace mlwb
