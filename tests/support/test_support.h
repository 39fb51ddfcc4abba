// SPDX-License-Identifier: MIT
#pragma once

// Shared helpers for every test: a temporary directory per test, paths to data, float compare.

#include <QString>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cmath>
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

} // namespace mlwb::test
