// SPDX-License-Identifier: MIT
#pragma once

// ImportTorchScriptDialog: File > Import TorchScript model... A .pt file made elsewhere, a model
// name and the data set it is for; OK stores it as a job, failures show in the window's
// message bar.

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLineEdit;

namespace mlwb {

class WorkbenchContext;
class MessageBar;

class ImportTorchScriptDialog : public QDialog {
    Q_OBJECT
public:
    ImportTorchScriptDialog(WorkbenchContext &workbench, const QString &path, QWidget *parent = nullptr);

    // The hook: opens the dialog (window-modal, deleted on close).
    static void start(WorkbenchContext &workbench, const QString &path);

    QLineEdit *pathEdit() const { return m_path; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *datasetCombo() const { return m_dataset; }
    MessageBar *messageBar() const { return m_message; }
    int jobId() const { return m_jobId; }

    void accept() override;

private:
    void browse();
    void updateOkButton();

    WorkbenchContext *m_workbench; // outlives the dialog (its window is the parent)
    QLineEdit *m_path;
    QLineEdit *m_name;
    QComboBox *m_dataset;
    MessageBar *m_message;
    QDialogButtonBox *m_buttons;
    bool m_nameEdited = false;
    int m_jobId = 0;
};

} // namespace mlwb
