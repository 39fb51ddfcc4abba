// SPDX-License-Identifier: MIT
#pragma once

// ReportRepository: the project's stored report definitions (schema 9, issue #14), by name. A
// definition names runs and sections, not their content: rendering it again after more runs
// finished (or after a run was evaluated) gives the report of the project as it is then. A run
// removed since is reported as missing when the report is rendered, not here.

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb {

class Database;

// A stored report definition: what to put in the report, rendered again on demand.
struct ReportRecord {
    qint64 id = 0;
    QString name;   // unique in the project; names it in the explorer and `mlwb report --report`
    QString title;  // empty: the report's default title
    QString author; // empty: the user who renders it
    QList<qint64> runIds;
    QStringList sections; // section ids in order; empty: every section
    QString format = QStringLiteral("pdf"); // pdf, html, md, csv, json
    QString paper = QStringLiteral("a4");   // a4, letter
    QDateTime createdAt, updatedAt;
    QDateTime renderedAt; // invalid: never rendered
    QString renderedTo;   // where it was last written

    QJsonObject toJson() const;
};

class ReportRepository {
public:
    explicit ReportRepository(Database &db) : m_db(db) {}

    // The formats and papers a definition may name, as stored.
    static const QStringList &formats(); // pdf, html, md, csv, json
    static const QStringList &papers();  // a4, letter

    // Stores a new definition (created now). The name must be free (else a Conflict), at most
    // 200 characters, with at least one run; format and paper one of the above.
    Result<qint64> add(const ReportRecord &record);
    // Replaces the definition's runs, sections, title, author, format and paper (not its name).
    Status update(const ReportRecord &record);
    Status rename(qint64 id, const QString &name);
    Result<ReportRecord> get(qint64 id);
    Result<ReportRecord> find(const QString &name);
    Result<QList<ReportRecord>> list(); // by name
    // Notes that the definition was rendered to `path` now.
    Status markRendered(qint64 id, const QString &path);
    Status remove(qint64 id);

private:
    Database &m_db;
};

} // namespace mlwb
