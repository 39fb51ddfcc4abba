// SPDX-License-Identifier: MIT
#pragma once

// DatasetOverview: a data set's document tab: what was imported (rows, task, target, classes,
// source, hash) and one table row per column from the stored schema (type, missing values,
// range, mean, spread, distinct values or categories).

#include "store/project.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace mlwb {

class DatasetOverview : public QWidget {
    Q_OBJECT
public:
    DatasetOverview(Project &project, qint64 datasetId, QWidget *parent = nullptr);

    QTableWidget *columnTable() const { return m_columns; }
    void reload();

private:
    QPointer<Project> m_project;
    qint64 m_id;
    QLabel *m_header;
    QTableWidget *m_columns;
};

} // namespace mlwb
