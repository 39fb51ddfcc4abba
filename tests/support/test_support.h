// SPDX-License-Identifier: MIT
#pragma once

// Shared helpers for every test: a temporary directory per test, paths to data, float compare,
// and runs of the Python reference implementations that fail rather than skip on CI.

#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <memory>

namespace mlwb::test {

// Directory of the real data sets (iris.csv, digits.csv, diabetes.csv).
QString datasetPath(const QString &fileName);
// tests/data/<relative>
QString testDataPath(const QString &relative);
// Path of a built executable (mlwb, mlwb-workbench) in the build tree.
QString executablePath(const QString &name);

// Fixture giving each test its own temporary directory.
class TempDirTest : public ::testing::Test {
protected:
    void SetUp() override;
    QString path(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

inline bool nearlyEqual(double a, double b, double tol = 1e-9)
{
    return std::fabs(a - b) <= tol * std::max({1.0, std::fabs(a), std::fabs(b)});
}

// --- Python reference implementations (python3-torch, python3-sklearn) ---
// Only Debian's own interpreter, /usr/bin/python3, imports them; the python3 first on PATH may
// be another build without them.

struct PythonRun {
    int exitCode = -1; // -1: did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
};

// /usr/bin/python3 -c code args...
PythonRun runPython(const QString &code, const QStringList &args = {}, int timeoutMs = 300000);
// /usr/bin/python3 script args...
PythonRun runPythonFile(const QString &script, const QStringList &args = {},
                        int timeoutMs = 300000);
// tests/support/python/<name>
QString pythonScriptPath(const QString &name);

// Empty when /usr/bin/python3 imports every module (checked once per module and process),
// otherwise a message naming what is missing and the Debian package that provides it.
QString missingPythonModules(std::initializer_list<const char *> modules);
// Set CI (to anything but "", "0" or "false") or MLWB_REQUIRE_ALL=1 and a missing test dependency
// fails the test instead of skipping it: dev.sh installs them all, so a skip there hides a broken
// setup.
bool requireAllDependencies();

} // namespace mlwb::test

// Skips the test when /usr/bin/python3 cannot import the modules, or fails it under CI or
// MLWB_REQUIRE_ALL=1. Use at the top of a test body: MLWB_REQUIRE_PYTHON("torch", "sklearn").
#define MLWB_REQUIRE_PYTHON(...)                                                                   \
    do {                                                                                           \
        const QString mlwbMissing = ::mlwb::test::missingPythonModules({__VA_ARGS__});             \
        if (!mlwbMissing.isEmpty()) {                                                              \
            if (::mlwb::test::requireAllDependencies())                                            \
                FAIL() << mlwbMissing.toStdString()                                                \
                       << " (a failure, not a skip: CI or MLWB_REQUIRE_ALL=1 is set)";             \
            GTEST_SKIP() << mlwbMissing.toStdString();                                             \
        }                                                                                          \
    } while (0)

// ASSERT_OK(result) / EXPECT_OK(result): a Result or Status that must be ok; the failure prints
// its error message and kind.
#define MLWB_RESULT_OK_(expr, fatal)                                                               \
    if (const auto &mlwbResult = (expr); mlwbResult.ok()) {                                        \
    } else                                                                                         \
        fatal() << #expr << " failed (" << ::mlwb::errorKindName(mlwbResult.kind())                \
                << "): " << mlwbResult.error().toStdString()
#define ASSERT_OK(expr) MLWB_RESULT_OK_(expr, FAIL)
#define EXPECT_OK(expr) MLWB_RESULT_OK_(expr, ADD_FAILURE)
