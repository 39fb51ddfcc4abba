// SPDX-License-Identifier: MIT
#pragma once

// LocalAgent: the embedded default target, an mlwb-agent on 127.0.0.1 that the workbench and
// `mlwb agent start` run for the user, so deploying works on one machine with nothing else
// installed. Everything it keeps is the user's, never a project's:
//   DIR/state/        the agent's --state (packages, state.json, history.jsonl)
//   DIR/trusted/      its --trusted-keys: the user's own public key (KeyStore), as
//                     `mlwb key export -o DIR/trusted/me.pub` writes it
//   DIR/token         its --token-file, 32 random bytes in hex, mode 0600; the same token is
//                     kept in TokenStore under the target name `local`
//   DIR/agent.json    {"pid", "port", "url", "started"} of the running agent
//   DIR/agent.log     what the agent printed (appended)
// DIR is $MLWB_DATA_DIR/agent when that is set (tests, CI), else $XDG_DATA_HOME/mlwb/agent,
// else ~/.local/share/mlwb/agent.
//
// start() reuses a running agent (the recorded pid is alive and answers /v2/health/live on the
// recorded port), else starts one detached from the caller (it outlives the CLI), on the port
// it had before when that is free, else on one the kernel picks, and waits for it to answer.

#include "common/result.h"

#include <QDateTime>
#include <QString>

namespace mlwb {

class Database;

class LocalAgent {
public:
    static constexpr const char *kTargetName = "local";

    struct Running {
        qint64 pid = 0;
        int port = 0;
        QString url;
        QDateTime started;
        bool reused = false; // it was running already
    };

    explicit LocalAgent(QString directory = defaultDirectory());
    static QString defaultDirectory();
    const QString &directory() const { return m_dir; }
    QString logPath() const;

    // `agentBinary` empty: $MLWB_AGENT_BINARY, else mlwb-agent beside the running executable.
    Result<Running> start(const QString &agentBinary = {}) const;
    // The running agent, or NotFound when none runs (a stale agent.json is removed).
    Result<Running> status() const;
    // SIGTERM, then waits up to `timeoutMs` for it to finish its requests and exit. NotFound
    // when none runs.
    Status stop(int timeoutMs = 15000) const;

    // Registers the project's target `local` at `url`, or points it there when it exists.
    static Status registerTarget(Database &db, const QString &url);

private:
    Result<QByteArray> ensureToken() const;
    Status ensureTrustedKey() const;
    Result<Running> recorded() const;

    QString m_dir;
};

} // namespace mlwb
