// SPDX-License-Identifier: MIT
#pragma once

// ModelOverview: a model's document tab: its versions, the layer spec of the newest version and
// the runs trained from it. The model builder replaces it through the ItemKindRegistry.

#include "store/project.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace mlwb {

class ModelOverview : public QWidget {
    Q_OBJECT
public:
    ModelOverview(Project &project, qint64 modelId, QWidget *parent = nullptr);
    void reload();

private:
    QPointer<Project> m_project;
    qint64 m_id;
    QLabel *m_header;
    QTableWidget *m_versions;
    QPlainTextEdit *m_spec;
    QTableWidget *m_runs;
};

} // namespace mlwb
