// SPDX-License-Identifier: MIT
#pragma once

// TempProjectTest: the one temporary-project fixture. Each test gets a fresh project file in
// its own temporary directory (m_path), open read-write (m_project). Header-only: a test that
// uses it links mlwb::store.

#include "store/project_file.h"
#include "test_support.h"

#include <memory>

namespace mlwb::test {

class TempProjectTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        m_path = path(QStringLiteral("test.mlwb"));
        auto p = ProjectFile::create(m_path);
        ASSERT_OK(p);
        m_project = std::move(*p);
    }
    Database &db() { return m_project->db(); }

    QString m_path;
    std::unique_ptr<ProjectFile> m_project;
};

} // namespace mlwb::test
