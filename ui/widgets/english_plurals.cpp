// SPDX-License-Identifier: MIT
#include "widgets/english_plurals.h"

#include <QCoreApplication>
#include <QTranslator>

namespace mlwb {

bool EnglishPlurals::install()
{
    static QTranslator *translator = nullptr;
    if (translator)
        return true;
    auto *t = new QTranslator(QCoreApplication::instance());
    if (!t->load(QStringLiteral(":/i18n/mlwb_en.qm"))) {
        delete t;
        return false;
    }
    QCoreApplication::installTranslator(t);
    translator = t;
    return true;
}

} // namespace mlwb
