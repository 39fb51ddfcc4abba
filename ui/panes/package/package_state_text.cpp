// SPDX-License-Identifier: MIT
#include "panes/package/package_state_text.h"

#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>

namespace mlwb {

using text::tr;

QString PackageStateText::name(const PackageRecord &p)
{
    switch (p.state) {
    case PackageState::Built:
        return tr("built, not checked");
    case PackageState::Checked:
        return tr("checked");
    case PackageState::GateFailed:
        return p.overridden() ? tr("gate failed, overridden") : tr("gate failed");
    }
    return {};
}

QString PackageStateText::badge(const PackageRecord &p)
{
    switch (p.state) {
    case PackageState::Built:
        return tr("built");
    case PackageState::Checked:
        return tr("checked \u2713");
    case PackageState::GateFailed:
        return p.overridden() ? tr("overridden \u2717") : tr("gate failed \u2717");
    }
    return {};
}

QIcon PackageStateText::icon(const PackageRecord &p)
{
    switch (p.state) {
    case PackageState::Built:
        return Icons::themed(QStringLiteral("package-x-generic"));
    case PackageState::Checked:
        return Icons::themed(QStringLiteral("emblem-checked"));
    case PackageState::GateFailed:
        return Icons::themed(p.overridden() ? QStringLiteral("emblem-warning") : QStringLiteral("emblem-error"));
    }
    return {};
}

} // namespace mlwb
