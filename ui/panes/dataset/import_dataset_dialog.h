// SPDX-License-Identifier: MIT
#pragma once

// ImportDatasetDialog: File > Import dataset... A live preview of the first rows as the importer
// parses them, the delimiter and header (detected or chosen, as `mlwb dataset import` takes
// them), a type per column (changeable), the target column and task, the missing-value policy,
// split fractions and seed, an optional image shape and the name. Problems found in the preview
// are shown inline (file:line:column) and block OK, so nothing is written for a file that would
// fail; a split without a test part is explained and has to be confirmed. OK runs the import as
// a job; the dialog then closes, and the new data set opens in its tab once it is stored.

#include "data/csv_importer.h"
#include "data/dataset_split.h"
#include "data/import_options.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace mlwb {

class WorkbenchContext;
class MessageBar;

class ImportDatasetDialog : public QDialog {
    Q_OBJECT
public:
    ImportDatasetDialog(WorkbenchContext &workbench, const QString &path, QWidget *parent = nullptr);

    // The hook behind File > Import dataset... and .csv drops: asks for a file when `path` is
    // empty, then opens the dialog (window-modal, deleted on close).
    static void start(WorkbenchContext &workbench, const QString &path);

    void setPath(const QString &path);
    QString path() const;
    // What OK would import with.
    ImportOptions options() const;
    SplitSpec split() const;
    QString datasetName() const;
    const CsvPreview &preview() const { return m_preview; }
    bool previewOk() const { return m_previewOk; }
    // The id of the job started by OK, or 0.
    int jobId() const { return m_jobId; }

    QTableWidget *previewTable() const { return m_table; }
    QTableWidget *columnTable() const { return m_columns; }
    QComboBox *targetCombo() const { return m_target; }
    MessageBar *messageBar() const { return m_message; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *delimiterCombo() const { return m_delimiter; }
    QComboBox *headerCombo() const { return m_header; }
    QComboBox *taskCombo() const { return m_task; }
    QSpinBox *seedBox() const { return m_seed; }
    QDoubleSpinBox *trainBox() const { return m_train; }
    QDoubleSpinBox *validationBox() const { return m_validation; }
    // Train and validation take every row.
    bool noTestPart() const;
    // Shown while the test part is empty; OK needs noTestConfirm() ticked then.
    QLabel *noTestWarning() const { return m_noTest; }
    QCheckBox *noTestConfirm() const { return m_noTestConfirm; }

    void accept() override;

private:
    void browse();
    void refreshPreview();
    void updateOkButton();
    void updateTestPart();
    void fitColumnTable();
    // The delimiter, header and task as chosen (unset: detect or infer).
    ImportOptions chosenOptions() const;
    std::optional<std::array<int, 3>> imageShape(bool *valid) const;

    WorkbenchContext *m_workbench; // outlives the dialog (its window is the parent)
    QLineEdit *m_path;
    QLineEdit *m_name;
    QLabel *m_detected;
    QTableWidget *m_table;
    QTableWidget *m_columns;
    QComboBox *m_target;
    QComboBox *m_missing;
    QComboBox *m_delimiter;
    QComboBox *m_header;
    QComboBox *m_task;
    QSpinBox *m_seed;
    QLabel *m_testLabel;
    QLabel *m_noTest;
    QCheckBox *m_noTestConfirm;
    QDoubleSpinBox *m_train;
    QDoubleSpinBox *m_validation;
    QLineEdit *m_shape;
    MessageBar *m_message;
    QDialogButtonBox *m_buttons;
    CsvPreview m_preview;
    bool m_previewOk = false;
    bool m_updating = false;
    bool m_nameEdited = false;
    QHash<QString, ColumnType> m_overrides;
    QString m_targetChoice;
    QString m_loadedPath;
    int m_jobId = 0;
};

} // namespace mlwb
