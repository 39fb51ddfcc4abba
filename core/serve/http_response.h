// SPDX-License-Identifier: MIT
#pragma once

// HttpResponse: AgentService's answer, for the HTTP front end to send: status, body, its content
// type and any further headers.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace mlwb {

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    static HttpResponse json(int status, const QJsonObject &object)
    {
        return HttpResponse{status, QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString(), "application/json", {}};
    }
    // The protocol's error form: {"error": "..."}.
    static HttpResponse error(int status, const QString &message)
    {
        return json(status, QJsonObject{{QStringLiteral("error"), message}});
    }
};

} // namespace mlwb
