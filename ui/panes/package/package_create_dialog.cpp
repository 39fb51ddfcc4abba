// SPDX-License-Identifier: MIT
#include "panes/package/package_create_dialog.h"

#include "common/format.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "package/package_catalog.h"
#include "package/package_create_job.h"
#include "package/package_manifest.h"
#include "store/project.h"
#include "widgets/dialog_fit.h"
#include "widgets/message_bar.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace mlwb {

PackageCreateDialog::PackageCreateDialog(WorkbenchContext &workbench, qint64 runId, QWidget *parent)
    : QDialog(parent), m_workbench(&workbench), m_runId(runId), m_name(new QLineEdit(this)),
      m_version(new QLineEdit(this)), m_description(new QPlainTextEdit(this)), m_error(new MessageBar(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("PackageCreateDialog"));
    setWindowTitle(tr("Create Package"));
    resize(520, 260);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    auto *run = new QLabel(this);
    form->addRow(tr("Run:"), run);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Version:"), m_version);
    m_version->setPlaceholderText(tr("MAJOR.MINOR.PATCH"));
    m_description->setTabChangesFocus(true);
    m_description->setPlaceholderText(tr("What this package is for (optional)"));
    m_description->setFixedHeight(m_description->fontMetrics().lineSpacing() * 4 + 12);
    form->addRow(tr("&Description:"), m_description);
    layout->addLayout(form);
    m_error->setObjectName(QStringLiteral("packageCreateError"));
    m_error->setClosable(false);
    m_error->clear();
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));

    if (Project *p = workbench.project()) {
        if (auto r = p->runs().get(runId)) {
            run->setText(tr("%1 of %2, version %3").arg(Format::runName(r->name, r->id), r->modelName).arg(r->modelVersion));
            m_name->setText(r->modelName);
        }
        if (auto v = PackageCatalog(p->db()).nextVersion(m_name->text()))
            m_version->setText(*v);
    }
    connect(m_name, &QLineEdit::textChanged, this, [this] {
        // The version follows the name until it is typed in.
        if (!m_versionEdited && m_workbench->project())
            if (auto v = PackageCatalog(m_workbench->project()->db()).nextVersion(m_name->text().trimmed()))
                m_version->setText(*v);
        validate();
    });
    connect(m_version, &QLineEdit::textEdited, this, [this] { m_versionEdited = true; });
    connect(m_version, &QLineEdit::textChanged, this, &PackageCreateDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PackageCreateDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PackageCreateDialog::reject);
    validate();
}

PackageCreateDialog *PackageCreateDialog::start(WorkbenchContext &workbench, qint64 runId)
{
    auto *dialog = new PackageCreateDialog(workbench, runId, workbench.dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

QString PackageCreateDialog::problem() const
{
    const QString name = m_name->text().trimmed();
    const QString version = m_version->text().trimmed();
    if (name.isEmpty())
        return tr("Enter a name for the package.");
    if (const QString why = PackageManifest::nameProblem(name); !why.isEmpty())
        return why;
    static const QRegularExpression semver(QStringLiteral("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$"));
    if (!semver.match(version).hasMatch())
        return tr("The version must be MAJOR.MINOR.PATCH, such as 1.0.0.");
    Project *p = m_workbench->project();
    if (!p || p->isReadOnly())
        return tr("The project is not open for writing.");
    if (p->packages().find(name, version).ok())
        return tr("%1:%2 exists already; choose another version.").arg(name, version);
    return {};
}

void PackageCreateDialog::validate()
{
    const QString why = problem();
    const bool changed = m_error->isHidden() != why.isEmpty() || (!why.isEmpty() && m_error->text() != why);
    if (why.isEmpty())
        m_error->clear();
    else if (m_error->text() != why || m_error->isHidden())
        m_error->showMessage(why, MessageBar::Type::Error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    if (changed && isVisible())
        DialogFit::toContents(this);
}

void PackageCreateDialog::accept()
{
    validate();
    if (!problem().isEmpty())
        return;
    Project *project = m_workbench->project();
    PackageBuilder::Request request;
    request.runId = m_runId;
    request.name = m_name->text().trimmed();
    request.version = m_version->text().trimmed();
    request.description = m_description->toPlainText().trimmed();
    request.projectName = QFileInfo(project->path()).fileName();
    QPointer<QWidget> alive = m_workbench->dialogParent();
    WorkbenchContext *workbench = m_workbench;
    const QString reference = request.name + QLatin1Char(':') + request.version;
    workbench->jobManager()->submit(
        std::make_unique<PackageCreateJob>(project->path(), request),
        [alive, workbench, request, reference, projectPath = project->path()](const Status &status) {
            if (!alive)
                return;
            if (!status)
                return workbench->showError(tr("Creating package %1 failed: %2").arg(reference, status.error()));
            Project *now = workbench->project();
            if (now && now->path() == projectPath) {
                now->refresh();
                if (auto p = now->packages().find(request.name, request.version)) {
                    workbench->revealItem({kPackageKind, p->id});
                    workbench->documents()->open({kPackageKind, p->id});
                }
            }
            workbench->showMessage(tr("Created package %1.").arg(reference), MessageBar::Type::Positive);
        });
    workbench->updateActions();
    QDialog::accept();
}

} // namespace mlwb
