// SPDX-License-Identifier: MIT
#pragma once

// DatasetOverview: a data set's document tab: what was imported (rows, task, target, classes,
// source, hash) and one table row per column from the stored schema (type, missing values,
// range, mean, spread, distinct values or categories), the class balance of a classification
// target and a histogram of the column selected in that table, and the stored rows themselves
// in a virtualised table (loaded on the GUI thread's connection, up to kMaxLoadedCells cells).

#include "store/project.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace mlwb {

class DataTable;
class DataTableModel;
class DistributionChartView;

class DatasetOverview : public QWidget {
    Q_OBJECT
public:
    DatasetOverview(Project &project, qint64 datasetId, QWidget *parent = nullptr);

    static constexpr qint64 kMaxLoadedCells = 5'000'000;

    QTableWidget *columnTable() const { return m_columns; }
    QTableView *dataView() const { return m_dataView; }
    DataTableModel *dataModel() const { return m_dataModel; }
    DistributionChartView *classBalanceChart() const { return m_balance; }
    DistributionChartView *histogramChart() const { return m_histogram; }
    QTabWidget *tabs() const { return m_tabs; }
    void reload();

private:
    void loadData(const QString &contentHash, qint64 cells);
    void showHistogram(int column);

    QPointer<Project> m_project;
    qint64 m_id;
    QLabel *m_header;
    QTableWidget *m_columns;
    QTabWidget *m_tabs;
    QTableView *m_dataView;
    DataTableModel *m_dataModel;
    DistributionChartView *m_balance;
    DistributionChartView *m_histogram;
    QLabel *m_dataNote;
    std::shared_ptr<const DataTable> m_table;
    int m_target = -1;
    QString m_loadedHash;
};

} // namespace mlwb
