// SPDX-License-Identifier: MIT
#pragma once

// HttpResponse: AgentService's answer, for the HTTP front end to send: status, body, its content
// type and any further headers.
//
// `complete`, when set, makes the rest of the answer where it is written (the connection's I/O
// thread) rather than where it was decided: a batch worker hands over the predictions of a whole
// batch and goes back to the model, while each connection's thread encodes its own answer.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mlwb {

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::function<void(HttpResponse &)> complete;
    // When set, run on the I/O thread once the answer is handed to the connection: the
    // bookkeeping of an answered request (monitoring) that the client need not wait for.
    std::function<void()> written;

    static HttpResponse json(int status, const QJsonObject &object)
    {
        return HttpResponse{status, QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString(), "application/json", {}, {}, {}};
    }
    // The protocol's error form: {"error": "..."}.
    static HttpResponse error(int status, const QString &message)
    {
        return json(status, QJsonObject{{QStringLiteral("error"), message}});
    }
};

} // namespace mlwb
