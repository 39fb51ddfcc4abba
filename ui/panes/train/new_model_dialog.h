// SPDX-License-Identifier: MIT
#pragma once

// NewModelDialog: a new model for a data set from a template (ModelTemplates): template combo
// with its description, and a name. Accepting creates it with ModelCatalog::createFromTemplate;
// an error (a taken name, a template that does not fit the data) stays inline in the dialog.

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace mlwb {

class Project;

class NewModelDialog : public QDialog {
    Q_OBJECT
public:
    NewModelDialog(Project &project, qint64 datasetId, QWidget *parent = nullptr);

    QComboBox *templateCombo() const { return m_template; }
    QLineEdit *nameEdit() const { return m_name; }
    QString errorText() const;
    // The model made by the last accept, or 0.
    qint64 createdModelId() const { return m_created; }

    void accept() override;

private:
    void updateDescription();

    QPointer<Project> m_project;
    QString m_datasetName;
    QComboBox *m_template;
    QLineEdit *m_name;
    QLabel *m_description;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    qint64 m_created = 0;
};

} // namespace mlwb
