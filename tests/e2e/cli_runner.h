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

// Runs /usr/bin/python3 (Debian's interpreter, the one with python3-torch) on a script.
inline CliResult runPython(const QString &script, const QStringList &args = {})
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), QStringList{QStringLiteral("-c"), script} + args);
    CliResult r;
    if (!p.waitForFinished(300000)) {
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

inline bool pythonHasTorch()
{
    return runPython(QStringLiteral("import torch")).exitCode == 0;
}

} // namespace mlwb::test
