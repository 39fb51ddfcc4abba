// SPDX-License-Identifier: MIT
#pragma once

// RecentProjects: the most recently opened project files, newest first, persisted through the
// typed settings.

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb {

struct RecentProject {
    QString path;
    QString name;          // file name without .mlwb
    QDateTime lastChanged; // of the file; invalid when it is gone
    bool exists = false;
};

class RecentProjects {
public:
    static QStringList paths();
    static QList<RecentProject> entries();
    static void add(const QString &path);
    static void remove(const QString &path);
    static void clear();
};

} // namespace mlwb
