// SPDX-License-Identifier: MIT
#include "cli_context.h"

#include <QJsonDocument>

#include <cstdio>

namespace mlwb::cli {

QStringList Args::values(const QString &name) const
{
    QStringList v = options.values(name);
    std::reverse(v.begin(), v.end()); // QMultiHash returns the newest first
    return v;
}

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int usageError(const Verb &verb, const QString &message)
{
    err() << "mlwb " << verb.name << ": " << message << "\nusage: mlwb " << verb.usage << Qt::endl;
    return Usage;
}

int failure(const QString &message)
{
    out().flush();
    err() << "mlwb: error: " << message << Qt::endl;
    return Failure;
}

void printJson(const QJsonObject &object)
{
    out() << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    out().flush();
}

} // namespace mlwb::cli
