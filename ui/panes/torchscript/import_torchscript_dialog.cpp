// SPDX-License-Identifier: MIT
#include "panes/torchscript/import_torchscript_dialog.h"

#include "jobs/job_manager.h"
#include "mainwindow/workbench_context.h"
#include "model/import_torchscript_job.h"
#include "mainwindow/document_area.h"
#include "store/project.h"
#include "widgets/message_bar.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

ImportTorchScriptDialog::ImportTorchScriptDialog(WorkbenchContext &workbench, const QString &path,
                                                 QWidget *parent)
    : QDialog(parent)
    , m_workbench(&workbench)
    , m_path(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_dataset(new QComboBox(this))
    , m_message(new MessageBar(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("ImportTorchScriptDialog"));
    setWindowTitle(tr("Import TorchScript Model"));
    resize(560, 200);
    auto *layout = new QVBoxLayout(this);
    m_message->setClosable(false);
    m_message->clear();
    layout->addWidget(m_message);
    auto *form = new QFormLayout;
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    auto *browseButton = new QPushButton(tr("Browse\u2026"), this);
    fileRow->addWidget(browseButton);
    m_path->setPlaceholderText(tr("a TorchScript file (torch.jit.save), *.pt"));
    form->addRow(tr("&File:"), fileRow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Data set:"), m_dataset);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));

    if (Project *p = workbench.project()) {
        if (auto list = p->datasets().list()) {
            for (const DatasetRecord &d : *list)
                m_dataset->addItem(d.name, d.id);
        }
    }
    if (m_dataset->count() == 0)
        m_message->showMessage(tr("Import a data set first: a model is made for a data set."),
                               MessageBar::Type::Warning);

    connect(browseButton, &QPushButton::clicked, this, &ImportTorchScriptDialog::browse);
    connect(m_path, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (!m_nameEdited)
            m_name->setText(QFileInfo(text).completeBaseName());
        updateOkButton();
    });
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    connect(m_name, &QLineEdit::textChanged, this, &ImportTorchScriptDialog::updateOkButton);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ImportTorchScriptDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportTorchScriptDialog::reject);
    m_path->setText(path);
    updateOkButton();
}

void ImportTorchScriptDialog::start(WorkbenchContext &workbench, const QString &path)
{
    auto *dialog = new ImportTorchScriptDialog(workbench, path, workbench.dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    if (path.isEmpty())
        dialog->browse();
}

void ImportTorchScriptDialog::browse()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Import TorchScript Model"), QFileInfo(m_path->text()).absolutePath(),
        tr("TorchScript files (*.pt *.pth *.ts);;All files (*)"));
    if (!file.isEmpty())
        m_path->setText(file);
}

void ImportTorchScriptDialog::updateOkButton()
{
    QString why;
    const QString file = m_path->text().trimmed();
    if (file.isEmpty())
        why = tr("Choose a TorchScript file.");
    else if (!QFileInfo(file).isFile())
        why = tr("%1 does not exist.").arg(file);
    else if (m_name->text().trimmed().isEmpty())
        why = tr("Enter a name for the model.");
    else if (m_dataset->currentIndex() < 0)
        why = tr("Choose the data set the model is for.");
    else if (!m_workbench->project() || m_workbench->project()->isReadOnly())
        why = tr("The project is not open for writing.");
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(why.isEmpty());
    ok->setToolTip(why);
}

void ImportTorchScriptDialog::accept()
{
    updateOkButton();
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    Project *project = m_workbench->project();
    const QString name = m_name->text().trimmed();
    if (project->models().byName(name).ok()) {
        m_message->showMessage(
            tr("A model named \u201c%1\u201d exists already; choose another name.")
                .arg(name.toHtmlEscaped()),
            MessageBar::Type::Error);
        return;
    }
    // The job may end after this dialog is gone; the workbench lives as long as its window.
    QPointer<QWidget> alive = m_workbench->dialogParent();
    WorkbenchContext *workbench = m_workbench;
    m_jobId = m_workbench->jobManager()->submit(
        std::make_unique<ImportTorchScriptJob>(project->path(), m_path->text().trimmed(), name,
                                               m_dataset->currentText()),
        [alive, workbench, name, projectPath = project->path()](const Status &status) {
            if (!alive)
                return;
            if (status) {
                // The new model opens in its tab, unless another project was opened since.
                Project *now = workbench->project();
                if (now && now->path() == projectPath) {
                    if (auto m = now->models().byName(name))
                        workbench->documents()->open(ItemRef{ItemKind::Model, m->id});
                }
                workbench->showMessage(tr("Imported model \u201c%1\u201d.").arg(name),
                                       MessageBar::Type::Positive);
            } else
                workbench->showError(
                    tr("Importing model \u201c%1\u201d failed: %2").arg(name, status.error()));
        });
    QDialog::accept();
}

} // namespace mlwb
