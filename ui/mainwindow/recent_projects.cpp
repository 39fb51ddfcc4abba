// SPDX-License-Identifier: MIT
#include "mainwindow/recent_projects.h"

#include "settings/workbench_settings.h"

#include <QFileInfo>

namespace mlwb {

QStringList RecentProjects::paths()
{
    return settings::recentProjects.value();
}

QList<RecentProject> RecentProjects::entries()
{
    QList<RecentProject> out;
    for (const QString &path : paths()) {
        const QFileInfo fi(path);
        out << RecentProject{path, fi.completeBaseName(),
                             fi.exists() ? fi.lastModified() : QDateTime(), fi.exists()};
    }
    return out;
}

void RecentProjects::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(absolute);
    list.prepend(absolute);
    const int max = std::max(1, settings::recentProjectsMax.value());
    while (list.size() > max)
        list.removeLast();
    settings::recentProjects.setValue(list);
}

void RecentProjects::remove(const QString &path)
{
    QStringList list = paths();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    list.removeAll(path);
    settings::recentProjects.setValue(list);
}

void RecentProjects::clear()
{
    settings::recentProjects.setValue({});
}

} // namespace mlwb
