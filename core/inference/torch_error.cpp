// SPDX-License-Identifier: MIT
#include "inference/torch_error.h"

#include <QStringList>

#include <c10/util/Exception.h>

namespace mlwb {

QString torchErrorMessage(const std::exception &e)
{
    const auto *c10 = dynamic_cast<const c10::Error *>(&e);
    QString text = QString::fromUtf8(c10 ? c10->what_without_backtrace() : e.what()).trimmed();
    if (text.contains(QLatin1String("Traceback of TorchScript"))) {
        // The interesting part is the last line, e.g. "RuntimeError: mat1 and mat2 shapes cannot
        // be multiplied (2x5 and 4x8)"; the rest is a source listing.
        const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        text = lines.isEmpty() ? text : lines.last().trimmed();
    } else {
        // c10 appends "Exception raised from ... (most recent call first):" on some builds.
        const qsizetype cut = text.indexOf(QLatin1String("\nException raised from"));
        if (cut > 0)
            text.truncate(cut);
    }
    return text;
}

} // namespace mlwb
