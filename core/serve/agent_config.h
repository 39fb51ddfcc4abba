// SPDX-License-Identifier: MIT
#pragma once

// AgentConfig: how one mlwb-agent runs, from its command line and an optional JSON config file
// (packaging/mlwb-agent.json is the annotated example); an option on the command line wins over
// the file. Every value is checked, and a refusal names the option or the file's key.
//
//   {"listen": "127.0.0.1:8500", "state": DIR, "token_file": F, "trusted_keys": DIR,
//    "tls": {"cert": F, "key": F},
//    "inference_needs_token": false,
//    "limits": {"max_body_bytes", "max_connections", "read_timeout_ms", "write_timeout_ms",
//               "keep_alive_ms", "request_timeout_ms"},
//    "batching": {"max_batch_size", "max_queue_delay_microseconds", "max_queue_length",
//                 "instances"},
//    "models": {NAME: {"batching": {...}}},
//    "monitoring": {"recent_requests": 1000, "payload_log": DIR, "payload_log_max_bytes",
//                   "payload_log_files"},
//    "threads": N}

#include "common/result.h"
#include "serve/dynamic_batcher.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <map>

namespace mlwb {

class AgentConfig {
public:
    struct Limits {
        qint64 maxBodyBytes = 64ll << 20;
        int maxConnections = 256;
        int readTimeoutMs = 5000;   // a request's headers and body, from its first byte
        int writeTimeoutMs = 5000;
        int keepAliveMs = 5000;     // an idle connection between requests
    };

    // docs/monitoring.md: the ring of recent requests and the payload log.
    struct Monitoring {
        int recentRequests = 1000; // per model; 0 turns the ring off
        QString payloadLog;        // DIR; empty: no payload log
        qint64 payloadLogMaxBytes = 64ll << 20;
        int payloadLogFiles = 5;   // rotated files kept
    };

    QString host = QStringLiteral("127.0.0.1");
    int port = 8500;
    QString stateDir;
    QString tokenFile;
    QString trustedKeysDir;
    QString tlsCert;
    QString tlsKey;
    bool inferenceNeedsToken = false;
    Limits limits;
    DynamicBatcher::Options batching;
    std::map<QString, DynamicBatcher::Options> batchingByModel;
    Monitoring monitoring;
    int threads = 0; // 0: one per core

    // `arguments` without the program name. An error is InvalidInput with the option named.
    static Result<AgentConfig> fromArguments(const QStringList &arguments);
    static QString usage();

    // The token, read from tokenFile: its first line, which must not be empty; the file must
    // not be readable by others.
    Result<QByteArray> readToken() const;
    bool tls() const { return !tlsCert.isEmpty(); }

private:
    Status readFile(const QString &path);
};

} // namespace mlwb
