// SPDX-License-Identifier: MIT
#pragma once

// Runs the real `mlwb` executable and parses its --json output.

#include "test_support.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <functional>

#include <signal.h>

namespace mlwb::test {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

inline CliResult runCli(const QStringList &args, int timeoutMs = 600000)
{
    QProcess p;
    p.start(executablePath(QStringLiteral("mlwb")), args);
    CliResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Starts `mlwb ARGS`, reads its stderr until `ready(everything read so far)` holds, then sends
// it `signal` and waits for it to end. A process that ends first is returned as it ended (the
// signal never sent); `signaled` says whether it was.
struct SignaledCliResult : CliResult {
    bool signaled = false;
};
inline SignaledCliResult runCliAndSignal(const QStringList &args,
                                         const std::function<bool(const QByteArray &)> &ready,
                                         int signal, int timeoutMs = 600000)
{
    QProcess p;
    p.setReadChannel(QProcess::StandardError);
    p.start(executablePath(QStringLiteral("mlwb")), args);
    SignaledCliResult r;
    if (!p.waitForStarted()) {
        r.err = "did not start";
        return r;
    }
    const QDeadlineTimer deadline(timeoutMs);
    while (!ready(r.err) && p.state() == QProcess::Running && !deadline.hasExpired()) {
        p.waitForReadyRead(50);
        r.err += p.readAllStandardError();
    }
    if (p.state() == QProcess::Running && ready(r.err))
        r.signaled = ::kill(pid_t(p.processId()), signal) == 0;
    if (!p.waitForFinished(int(std::max<qint64>(deadline.remainingTime(), 1)))) {
        p.kill();
        p.waitForFinished();
        r.err += "\ntimed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    return r;
}

} // namespace mlwb::test
