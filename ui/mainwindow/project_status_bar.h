// SPDX-License-Identifier: MIT
#pragma once

// ProjectStatusBar: project path | read-write or "read-only: alice@host is writing (...)" |
// BLAS and thread count.

#include "mainwindow/runtime_summary.h"
#include "store/project.h"

#include <QPointer>
#include <QStatusBar>

class QLabel;

namespace mlwb {

class ProjectStatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit ProjectStatusBar(QWidget *parent = nullptr);
    void setProject(Project *project);
    void setRuntime(const RuntimeSummary &runtime);

    QString pathText() const;
    QString accessText() const;
    QString runtimeText() const;

private:
    void update();

    QPointer<Project> m_project;
    QLabel *m_path;
    QLabel *m_access;
    QLabel *m_runtime;
};

} // namespace mlwb
