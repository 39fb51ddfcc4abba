// SPDX-License-Identifier: MIT
#pragma once

// ImportDatasetDialog: File > Import dataset... A live preview of the first rows as the importer
// parses them, the detected delimiter and header, a type per column (changeable), the target
// column, the missing-value policy, split fractions, an optional image shape and the name.
// Problems found in the preview are shown inline (file:line:column) and block OK, so nothing is
// written for a file that would fail. OK runs the import as a job; the dialog then closes.

#include "data/csv_importer.h"
#include "data/dataset_split.h"
#include "data/import_options.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
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

    void accept() override;

private:
    void browse();
    void refreshPreview();
    void updateOkButton();
    std::optional<std::array<int, 3>> imageShape(bool *valid) const;

    WorkbenchContext *m_workbench; // outlives the dialog (its window is the parent)
    QLineEdit *m_path;
    QLineEdit *m_name;
    QLabel *m_detected;
    QTableWidget *m_table;
    QTableWidget *m_columns;
    QComboBox *m_target;
    QComboBox *m_missing;
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
