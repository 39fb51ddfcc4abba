// SPDX-License-Identifier: MIT
#pragma once

// PackageCreateDialog: Create Package from a finished run: name (the model's by default),
// version (the next one for that name), description. Accepting starts a PackageCreateJob (the
// Jobs pane shows it); when it is done the new package's tab opens.

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace mlwb {
class MessageBar;
}

namespace mlwb {

class WorkbenchContext;

class PackageCreateDialog : public QDialog {
    Q_OBJECT
public:
    PackageCreateDialog(WorkbenchContext &workbench, qint64 runId, QWidget *parent = nullptr);
    // Shows the dialog for this run (not application-modal: the window stays usable).
    static PackageCreateDialog *start(WorkbenchContext &workbench, qint64 runId);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *versionEdit() const { return m_version; }
    QPlainTextEdit *descriptionEdit() const { return m_description; }
    QString problem() const; // why OK is disabled; empty when it is not

    void accept() override;

private:
    void validate();

    WorkbenchContext *m_workbench;
    qint64 m_runId;
    QLineEdit *m_name;
    QLineEdit *m_version;
    QPlainTextEdit *m_description;
    MessageBar *m_error;
    QDialogButtonBox *m_buttons;
    bool m_versionEdited = false;
};

} // namespace mlwb
