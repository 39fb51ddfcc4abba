// SPDX-License-Identifier: MIT
#pragma once

// HttpServer: the agent's HTTP/1.1 front end (Boost.Beast on asio; bench_http measured it
// against cpp-httplib). A few threads serve every connection asynchronously, so a slow client
// holds a socket, never a thread. It enforces the limits nothing a client sends may pass:
//   - a request's headers must arrive within keepAliveMs of the connection falling idle and its
//     body within readTimeoutMs (a slow-loris client is cut off with 408), headers over 16 KiB
//     get 431, a body over maxBodyBytes 413, a malformed request 400;
//   - at most maxConnections connections: one more is answered 503 and closed;
//   - an answer must be written within writeTimeoutMs.
// HTTPS when a certificate and key are given (OpenSSL, TLS 1.2 and later). stop() is graceful:
// the listening socket closes, idle connections close, requests in flight are answered (with
// Connection: close) before it returns.

#include "common/result.h"
#include "serve/agent_config.h"
#include "serve/http_request.h"
#include "serve/http_response.h"

#include <functional>
#include <memory>

namespace mlwb {

class AgentService;

class HttpServer {
public:
    using Done = std::function<void(HttpResponse)>;
    // Answers a request now or later (done may be called from any thread), as AgentService does.
    // The request is the handler's: a body it keeps (an upload) is moved, not copied.
    using Handler = std::function<void(HttpRequest, Done)>;

    HttpServer(AgentService &service, const AgentConfig &config);
    // Any other service on the same front end and limits (the tracking endpoint, issue #15).
    HttpServer(Handler handler, const AgentConfig &config);
    ~HttpServer();

    // Binds and listens; the port it got (config.port 0 picks a free one).
    Result<int> listen();
    // Serves on config.threads threads (0: one per core) until stop(); returns at once.
    void start();
    // Graceful: returns when every connection is closed, or after `graceMs`.
    void stop(int graceMs = 10000);
    int connections() const;

    struct Impl; // the sessions see it

private:
    std::unique_ptr<Impl> d;
};

} // namespace mlwb
