// SPDX-License-Identifier: MIT
#pragma once

// Runs the real `mlwb` executable and parses its --json output.

#include "test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

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

} // namespace mlwb::test
