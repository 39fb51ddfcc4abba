// SPDX-License-Identifier: MIT
#include "widgets/icons.h"

#include <QHash>

// Q_INIT_RESOURCE must be called outside any namespace; the resources live in a static library.
static void initUiResources()
{
    Q_INIT_RESOURCE(icons);
    Q_INIT_RESOURCE(about);
    Q_INIT_RESOURCE(tour);
}

namespace mlwb {

namespace {
QHash<QString, QIcon> &cache()
{
    static QHash<QString, QIcon> icons;
    return icons;
}
} // namespace

void Icons::initialize(bool dark)
{
    initUiResources();
    cache().clear();
    const QString current = QIcon::themeName();
    if (current.isEmpty() || current == QLatin1String("hicolor") ||
        current.startsWith(QLatin1String("breeze")))
        QIcon::setThemeName(dark ? QStringLiteral("breeze-dark") : QStringLiteral("breeze"));
}

QIcon Icons::themed(const QString &name)
{
    auto &c = cache();
    auto it = c.constFind(name);
    if (it != c.cend())
        return *it;
    QIcon icon = QIcon::fromTheme(name);
    c.insert(name, icon);
    return icon;
}

QIcon Icons::own(const QString &name)
{
    const QString key = QLatin1String(":own:") + name;
    auto &c = cache();
    auto it = c.constFind(key);
    if (it != c.cend())
        return *it;
    QIcon icon(QStringLiteral(":/mlwb/icons/%1.svg").arg(name));
    c.insert(key, icon);
    return icon;
}

QIcon Icons::runStatus(RunStatus status)
{
    return own(QStringLiteral("run-") + runStatusName(status));
}

} // namespace mlwb
