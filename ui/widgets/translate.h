// SPDX-License-Identifier: MIT
#pragma once

// tr() for code outside a QObject (item kinds, explorer branches, Inspector rows): the strings
// share the "mlwb" translation context.

#include <QCoreApplication>
#include <QString>

namespace mlwb::text {

inline QString tr(const char *text) { return QCoreApplication::translate("mlwb", text); }

} // namespace mlwb::text
