// SPDX-License-Identifier: MIT
#include "panes/tracking/import_artifact_dialog.h"

#include "widgets/translate.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

using text::tr;

ImportArtifactDialog::ImportArtifactDialog(const QString &runName, const QStringList &artifacts, const QStringList &datasets,
                                           const QString &preferredDataset, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Import Model From Artifact"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A TorchScript file the script logged to %1 becomes a model of a data set: evaluate, package and deploy it like "
                                "any other.")
                                 .arg(runName),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_artifact = new QComboBox(this);
    // TorchScript files first: what torch.jit.save writes.
    QStringList ordered;
    for (const QString &a : artifacts)
        if (a.endsWith(QLatin1String(".pt")) || a.endsWith(QLatin1String(".pth")) || a.endsWith(QLatin1String(".ts")) ||
            a.endsWith(QLatin1String(".torchscript")))
            ordered << a;
    for (const QString &a : artifacts)
        if (!ordered.contains(a))
            ordered << a;
    m_artifact->addItems(ordered);
    form->addRow(tr("&Artifact:"), m_artifact);
    m_dataset = new QComboBox(this);
    m_dataset->addItems(datasets);
    if (const qsizetype i = datasets.indexOf(preferredDataset); i >= 0)
        m_dataset->setCurrentIndex(int(i));
    form->addRow(tr("&Data set:"), m_dataset);
    m_name = new QLineEdit(runName, this);
    form->addRow(tr("Model &name:"), m_name);
    layout->addLayout(form);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &ImportArtifactDialog::validate);
    validate();
}

QString ImportArtifactDialog::artifact() const { return m_artifact->currentText(); }
QString ImportArtifactDialog::dataset() const { return m_dataset->currentText(); }
QString ImportArtifactDialog::modelName() const { return m_name->text().trimmed(); }

void ImportArtifactDialog::validate()
{
    QString problem;
    if (m_artifact->count() == 0)
        problem = tr("The run has no artifacts: log the TorchScript file with mlflow.log_artifact first.");
    else if (m_dataset->count() == 0)
        problem = tr("The project has no data set: import the one the model takes first (File > Import Data Set).");
    else if (modelName().isEmpty())
        problem = tr("Name the model.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace mlwb
