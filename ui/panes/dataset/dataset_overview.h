// SPDX-License-Identifier: MIT
#pragma once

// DatasetOverview: a data set's document tab: what was imported (rows, task, target, classes,
// image shape, source, hash) and one table row per column from the stored schema (type, missing
// values, range, mean and spread of numeric columns, rows per category of coded ones), the class
// balance of a classification target (a chart, and a table of rows per class and split part) or
// the histogram of a regression target, a histogram of the column selected in that table, the
// stored rows themselves in a
// virtualised table (read and decompressed on a worker thread with its own connection, up to
// kMaxLoadedCells cells), and the split editor (changes are undoable commands).

#include "commands/command_context.h"
#include "store/project.h"
#include "data/dataset_catalog.h"
#include "store/evaluation_repository.h"

#include <QPointer>
#include "commands/undo_document.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTableView;
class QTableWidget;
class QTabWidget;
class QUndoStack;

namespace mlwb {

class DataTable;
class DataTableModel;
class DistributionChartView;
class SplitEditor;

class DatasetOverview : public QWidget, public UndoDocument {
    Q_OBJECT
public:
    DatasetOverview(Project &project, qint64 datasetId, QWidget *parent = nullptr);

    // 64 M cells are 512 MB of doubles: a million rows of 64 columns.
    static constexpr qint64 kMaxLoadedCells = 64'000'000;

    // Split changes go through this stack as undoable commands; without one they apply directly.
    void setUndoStack(QUndoStack *stack, CommandContext context);
    QUndoStack *undoStack() const { return m_undo; }
    QUndoStack *documentUndoStack() const override { return m_undo; }
    // Stores a new split (undoably when a stack is set).
    void applySplit(const SplitSpec &spec);

    QTableWidget *columnTable() const { return m_columns; }
    QTableView *dataView() const { return m_dataView; }
    DataTableModel *dataModel() const { return m_dataModel; }
    DistributionChartView *classBalanceChart() const { return m_balance; }
    DistributionChartView *histogramChart() const { return m_histogram; }
    // Rows per class: one row per class, columns train, validation, test and all.
    QTableWidget *classCountsTable() const { return m_classCounts; }
    QLabel *headerLabel() const { return m_header; }
    QTabWidget *tabs() const { return m_tabs; }
    SplitEditor *splitEditor() const { return m_split; }
    // True while the rows are being read on the worker thread.
    bool isLoading() const { return m_loading; }
    void reload();

Q_SIGNALS:
    // The rows (or the reason they could not be read) are shown.
    void rowsLoaded();

private:
    void loadData(const QString &contentHash, qint64 cells);
    void showLoaded(Result<LoadedDataset> &loaded);
    void refreshSplit();
    void showHistogram(int column);
    void showClassCounts(const SplitRecord *split);

    QPointer<Project> m_project;
    qint64 m_id;
    QLabel *m_header;
    QTableWidget *m_columns;
    QTabWidget *m_tabs;
    QTableView *m_dataView;
    DataTableModel *m_dataModel;
    DistributionChartView *m_balance;
    DistributionChartView *m_histogram;
    QTableWidget *m_classCounts;
    QLabel *m_dataNote;
    SplitEditor *m_split;
    QUndoStack *m_undo = nullptr;
    CommandContext m_context;
    quint64 m_generation = 0;
    bool m_loading = false;
    QStringList m_classNames;
    std::shared_ptr<const DataTable> m_table;
    int m_target = -1;
    QString m_loadedHash;
};

} // namespace mlwb
