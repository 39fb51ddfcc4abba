// SPDX-License-Identifier: MIT
#pragma once

// NewModelDialog: a new model for a data set from a template (ModelTemplates): template combo
// with its description, and a name that follows the template until the user types one.
// Templates that cannot fit the data set (a cnn on tabular features) stay in the list disabled,
// with the reason under it; the data set's shape is read on a worker thread as the dialog
// opens. Accepting creates the model with ModelCatalog::createFromTemplate; an error (a taken
// name) stays inline in the dialog.

#include <QDialog>
#include <QHash>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace mlwb {

class Project;
struct ModelIo;

class NewModelDialog : public QDialog {
    Q_OBJECT
public:
    NewModelDialog(Project &project, qint64 datasetId, QWidget *parent = nullptr);

    QComboBox *templateCombo() const { return m_template; }
    QLineEdit *nameEdit() const { return m_name; }
    QString errorText() const;
    // Why the templates that do not fit are disabled ("cnn: ..."), empty when all fit.
    QString unfitText() const;
    // The template kinds offered and enabled.
    QStringList fittingTemplates() const;
    // The model made by the last accept, or 0.
    qint64 createdModelId() const { return m_created; }
    // True until the data set's shape has been read.
    bool isReadingDataSet() const { return m_reading; }

    void accept() override;

Q_SIGNALS:
    void dataSetRead();

private:
    void templateChanged();
    void dataSetArrived(bool ok, const ModelIo &io, const QString &error);
    QString templateKind() const;

    QPointer<Project> m_project;
    QString m_datasetName;
    QComboBox *m_template;
    QLineEdit *m_name;
    QLabel *m_description;
    QLabel *m_unfit;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    qint64 m_created = 0;
    bool m_reading = false;
    bool m_nameTyped = false;
};

} // namespace mlwb
