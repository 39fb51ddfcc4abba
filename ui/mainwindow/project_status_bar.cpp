// SPDX-License-Identifier: MIT
#include "mainwindow/project_status_bar.h"

#include "store/project.h"

#include <QLabel>
#include <QRegularExpression>

namespace mlwb {

ProjectStatusBar::ProjectStatusBar(QWidget *parent)
    : QStatusBar(parent)
    , m_path(new QLabel(this))
    , m_access(new QLabel(this))
    , m_runtime(new QLabel(this))
{
    m_path->setObjectName(QStringLiteral("StatusPath"));
    m_access->setObjectName(QStringLiteral("StatusAccess"));
    m_runtime->setObjectName(QStringLiteral("StatusRuntime"));
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_path->setMinimumWidth(120);
    addWidget(m_path, 1);
    addPermanentWidget(m_access);
    addPermanentWidget(m_runtime);
    update();
}

void ProjectStatusBar::setProject(Project *project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    if (project) {
        connect(project, &Project::readOnlyChanged, this, &ProjectStatusBar::update);
        connect(project, &Project::leasesChanged, this, &ProjectStatusBar::update);
    }
    update();
}

void ProjectStatusBar::setRuntime(const RuntimeSummary &r)
{
    if (r.blasName.isEmpty()) {
        m_runtime->clear();
        return;
    }
    // OpenBLAS names itself with its build flags; the version is what a reader needs here.
    QString name = r.blasName;
    const auto m = QRegularExpression(QStringLiteral("OpenBLAS\\s+(\\d+(\\.\\d+)*)")).match(name);
    if (m.hasMatch())
        name = QStringLiteral("OpenBLAS ") + m.captured(1);
    else if (name.size() > 32)
        name = name.left(32) + QStringLiteral("\u2026");
    m_runtime->setText(r.threads == 1 ? tr("%1 \u00b7 1 thread").arg(name)
                                      : tr("%1 \u00b7 %2 threads").arg(name).arg(r.threads));
    m_runtime->setToolTip(tr("BLAS: %1\n%2\nlibtorch %3, %4 intra-op threads")
                              .arg(r.blasName, r.blasLibrary, r.torchVersion)
                              .arg(r.threads));
}

void ProjectStatusBar::update()
{
    if (!m_project) {
        m_path->setText(tr("No project open"));
        m_access->clear();
        return;
    }
    m_path->setText(m_project->path());
    m_path->setToolTip(m_project->path());
    if (m_project->isReadOnly()) {
        const QString reason = m_project->readOnlyReason();
        m_access->setText(reason.isEmpty() ? tr("read-only") : tr("read-only: %1").arg(reason));
    } else {
        m_access->setText(tr("read-write"));
    }
}

QString ProjectStatusBar::pathText() const
{
    return m_path->text();
}
QString ProjectStatusBar::accessText() const
{
    return m_access->text();
}
QString ProjectStatusBar::runtimeText() const
{
    return m_runtime->text();
}

} // namespace mlwb
