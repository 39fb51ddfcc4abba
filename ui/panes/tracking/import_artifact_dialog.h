// SPDX-License-Identifier: MIT
#pragma once

// ImportArtifactDialog: Import Model From Artifact… on a run a script logged (issue #15). The
// user picks the run's TorchScript artifact, the data set the model takes (the one the run
// logged through log-inputs, when the project has it) and the model's name; the model is then
// evaluated, packaged and deployed like any other.

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace mlwb {

class ImportArtifactDialog : public QDialog {
    Q_OBJECT
public:
    ImportArtifactDialog(const QString &runName, const QStringList &artifacts, const QStringList &datasets,
                         const QString &preferredDataset, QWidget *parent = nullptr);

    QString artifact() const;
    QString dataset() const;
    QString modelName() const;

    QComboBox *artifactBox() const { return m_artifact; }
    QComboBox *datasetBox() const { return m_dataset; }
    QLineEdit *nameEdit() const { return m_name; }
    QDialogButtonBox *buttons() const { return m_buttons; }

private:
    void validate();

    QComboBox *m_artifact;
    QComboBox *m_dataset;
    QLineEdit *m_name;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace mlwb
