// SPDX-License-Identifier: MIT
#pragma once

// PackageStateText: how a package's state reads and looks everywhere (explorer, Inspector,
// tab): built, checked ✓, gate failed ✗, overridden.

#include "store/records.h"

#include <QIcon>
#include <QString>

namespace mlwb {

class PackageStateText {
public:
    static QString name(const PackageRecord &p);  // "checked", "gate failed, overridden"
    static QString badge(const PackageRecord &p); // "checked ✓"
    static QIcon icon(const PackageRecord &p);
};

} // namespace mlwb
