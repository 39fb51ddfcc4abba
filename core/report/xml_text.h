// SPDX-License-Identifier: MIT
#pragma once

// XmlText: text made safe for XML and HTML markup (element content and double-quoted
// attributes). Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
// are dropped, so a stray byte in a run name cannot make a report unparseable.

#include <QString>

namespace mlwb {

class XmlText {
public:
    static QString escaped(const QString &text);
};

} // namespace mlwb
