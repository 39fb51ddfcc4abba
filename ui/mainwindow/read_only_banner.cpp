// SPDX-License-Identifier: MIT
#include "mainwindow/read_only_banner.h"

#include "store/project.h"
#include "widgets/icons.h"

#include <QAction>

namespace mlwb {

ReadOnlyBanner::ReadOnlyBanner(QWidget *parent)
    : MessageBar(parent)
    , m_tryEdit(
          new QAction(Icons::themed(QStringLiteral("document-edit")), tr("Try to edit"), this))
{
    setObjectName(QStringLiteral("MessageBar"));
    setProperty("banner", QStringLiteral("read-only"));
    setClosable(false);
    m_tryEdit->setObjectName(QStringLiteral("TryToEdit"));
    m_tryEdit->setToolTip(tr("Take the write lease if nobody else holds it now"));
    connect(m_tryEdit, &QAction::triggered, this, [this] {
        if (!m_project)
            return;
        if (const Status s = m_project->tryBecomeWriter(); !s)
            Q_EMIT errorOccurred(tr("Could not open the project for writing: %1").arg(s.error()));
        update();
    });
}

void ReadOnlyBanner::setProject(Project *project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    if (project) {
        connect(project, &Project::readOnlyChanged, this, &ReadOnlyBanner::update);
        connect(project, &Project::leasesChanged, this, &ReadOnlyBanner::update);
    }
    update();
}

void ReadOnlyBanner::update()
{
    if (!m_project || !m_project->isReadOnly()) {
        clear();
        return;
    }
    QString reason = m_project->readOnlyReason();
    bool writerPresent = true;
    if (auto leases = m_project->leases()) {
        writerPresent = std::any_of(leases->cbegin(), leases->cend(), [](const LeaseInfo &l) {
            return l.mode == QLatin1String("write") && !l.self;
        });
    }
    QString text;
    if (reason.isEmpty())
        text = tr("<b>Read-only.</b> Changes are disabled.");
    else if (writerPresent)
        text = tr("<b>Read-only:</b> %1. You see their changes as they are saved.")
                   .arg(reason.toHtmlEscaped());
    else if (!m_project->file().schemaNote().isEmpty()) {
        // An older file read as it is: only opening it for writing upgrades it.
        showMessage(tr("<b>Read-only:</b> %1.").arg(reason.toHtmlEscaped()), Type::Information);
        return;
    } else
        text = tr("<b>Read-only.</b> The writer has closed the project; you can edit it now.");
    showMessage(text, writerPresent ? Type::Warning : Type::Information, {m_tryEdit});
}

} // namespace mlwb
