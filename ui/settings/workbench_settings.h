// SPDX-License-Identifier: MIT
#pragma once

// Every setting the workbench persists, declared once. Call sites use these, never a key string.

#include "common/setting.h"

#include <QByteArray>
#include <QStringList>

namespace mlwb::settings {

inline const Setting<QByteArray> windowGeometry{"window/geometry", {}};
inline const Setting<QByteArray> windowState{"window/state", {}};
inline const Setting<QStringList> recentProjects{"projects/recent", {}};
inline const Setting<int> recentProjectsMax{"projects/recentMax", 10};
inline const Setting<QString> lastDirectory{"projects/lastDirectory", {}};
// "system", "light" or "dark"
inline const Setting<QString> colorScheme{"appearance/colorScheme", QStringLiteral("system")};
inline const Setting<QString> logFilter{"log/filter", {}};
// Tools > Tracking Server (issue #15): where it listens, the token file off loopback.
inline const Setting<QString> trackingListen{"tracking/listen", QStringLiteral("127.0.0.1:5000")};
inline const Setting<QString> trackingTokenFile{"tracking/tokenFile", {}};

} // namespace mlwb::settings
