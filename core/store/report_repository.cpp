// SPDX-License-Identifier: MIT
#include "store/report_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

namespace mlwb {

namespace {

constexpr const char *kColumns = "id, name, title, author, run_ids, sections, format, paper, created_at, updated_at, "
                                 "coalesce(rendered_at, 0), rendered_to";

// SQLite reads a null QString as NULL: the columns are NOT NULL, '' when empty.
QString text(const QString &s) { return s.isNull() ? QStringLiteral("") : s; }

QString runsJson(const QList<qint64> &ids)
{
    QJsonArray a;
    for (const qint64 id : ids)
        a.append(id);
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QString sectionsJson(const QStringList &sections)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(sections)).toJson(QJsonDocument::Compact));
}

Result<QList<ReportRecord>> selectReports(Database &db, const QString &where, const std::function<void(Statement &)> &bind)
{
    auto st = db.prepare(QStringLiteral("SELECT %1 FROM report %2 ORDER BY name").arg(QLatin1String(kColumns), where));
    if (!st)
        return st.failure();
    bind(*st);
    QList<ReportRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        ReportRecord r;
        r.id = st->columnInt(0);
        r.name = st->columnText(1);
        r.title = st->columnText(2);
        r.author = st->columnText(3);
        for (const QJsonValue &v : QJsonDocument::fromJson(st->columnText(4).toUtf8()).array())
            r.runIds << qint64(v.toDouble());
        for (const QJsonValue &v : QJsonDocument::fromJson(st->columnText(5).toUtf8()).array())
            r.sections << v.toString();
        r.format = st->columnText(6);
        r.paper = st->columnText(7);
        r.createdAt = fromSeconds(st->columnDouble(8));
        r.updatedAt = fromSeconds(st->columnDouble(9));
        r.renderedAt = fromSeconds(st->columnDouble(10));
        r.renderedTo = st->columnText(11);
        out << r;
    }
    return out;
}

Result<ReportRecord> selectOne(Database &db, const QString &where, const std::function<void(Statement &)> &bind,
                               const QString &missing)
{
    auto rows = selectReports(db, where, bind);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(missing);
    return rows->first();
}

Status validate(const ReportRecord &r)
{
    const QString name = r.name.trimmed();
    if (name.isEmpty())
        return invalidInput(QStringLiteral("a report needs a name"));
    if (name.size() > 200)
        return invalidInput(QStringLiteral("report name \"%1…\" is longer than 200 characters").arg(name.left(40)));
    if (r.runIds.isEmpty())
        return invalidInput(QStringLiteral("report %1: it names no run").arg(name));
    if (!ReportRepository::formats().contains(r.format))
        return invalidInput(QStringLiteral("report %1: \"%2\" is not a format (%3)")
                                .arg(name, r.format, ReportRepository::formats().join(QLatin1String(", "))));
    if (!ReportRepository::papers().contains(r.paper))
        return invalidInput(QStringLiteral("report %1: \"%2\" is not a paper size (%3)")
                                .arg(name, r.paper, ReportRepository::papers().join(QLatin1String(", "))));
    return {};
}

QJsonValue timeText(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject ReportRecord::toJson() const
{
    QJsonArray runs;
    for (const qint64 id : runIds)
        runs.append(id);
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("title"), title},
            {QStringLiteral("author"), author},
            {QStringLiteral("runs"), runs},
            {QStringLiteral("sections"), QJsonArray::fromStringList(sections)},
            {QStringLiteral("format"), format},
            {QStringLiteral("paper"), paper},
            {QStringLiteral("created"), timeText(createdAt)},
            {QStringLiteral("updated"), timeText(updatedAt)},
            {QStringLiteral("rendered"), timeText(renderedAt)},
            {QStringLiteral("rendered_to"), renderedTo}};
}

const QStringList &ReportRepository::formats()
{
    static const QStringList all = {QStringLiteral("pdf"), QStringLiteral("html"), QStringLiteral("md"), QStringLiteral("csv"),
                                    QStringLiteral("json")};
    return all;
}

const QStringList &ReportRepository::papers()
{
    static const QStringList all = {QStringLiteral("a4"), QStringLiteral("letter")};
    return all;
}

Result<qint64> ReportRepository::add(const ReportRecord &r)
{
    if (auto s = validate(r); !s)
        return s.failure();
    const QString name = r.name.trimmed();
    auto st = m_db.prepare(QStringLiteral("INSERT INTO report(name, title, author, run_ids, sections, format, paper, created_at, "
                                          "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"));
    if (!st)
        return st.failure();
    st->bind(1, name).bind(2, text(r.title)).bind(3, text(r.author)).bind(4, runsJson(r.runIds)).bind(5, sectionsJson(r.sections));
    st->bind(6, r.format).bind(7, r.paper).bind(8, nowSeconds());
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("UNIQUE")))
            return conflict(QStringLiteral("report %1 already exists in this project").arg(name));
        return s.failure().reworded(QStringLiteral("adding report %1: %2").arg(name, s.error()));
    }
    return m_db.lastInsertId();
}

Status ReportRepository::update(const ReportRecord &r)
{
    if (auto s = validate(r); !s)
        return s;
    auto st = m_db.prepare(QStringLiteral("UPDATE report SET title = ?2, author = ?3, run_ids = ?4, sections = ?5, format = ?6, "
                                          "paper = ?7, updated_at = ?8 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, r.id).bind(2, text(r.title)).bind(3, text(r.author)).bind(4, runsJson(r.runIds)).bind(5, sectionsJson(r.sections));
    st->bind(6, r.format).bind(7, r.paper).bind(8, nowSeconds());
    if (auto s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("changing report %1: %2").arg(r.name, s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no report with id %1").arg(r.id));
    return {};
}

Status ReportRepository::rename(qint64 id, const QString &name)
{
    const QString n = name.trimmed();
    if (n.isEmpty() || n.size() > 200)
        return invalidInput(QStringLiteral("a report's name is 1 to 200 characters"));
    return execChecked(m_db, QStringLiteral("UPDATE report SET name = ?2, updated_at = %1 WHERE id = ?1").arg(nowSeconds(), 0, 'f', 3),
                       id, n, QStringLiteral("report"));
}

Result<ReportRecord> ReportRepository::get(qint64 id)
{
    return selectOne(
        m_db, QStringLiteral("WHERE id = ?1"), [id](Statement &st) { st.bind(1, id); },
        QStringLiteral("no report with id %1").arg(id));
}

Result<ReportRecord> ReportRepository::find(const QString &name)
{
    return selectOne(
        m_db, QStringLiteral("WHERE name = ?1"), [&](Statement &st) { st.bind(1, name); },
        QStringLiteral("no report %1 in this project (see mlwb report FILE --list)").arg(name));
}

Result<QList<ReportRecord>> ReportRepository::list()
{
    return selectReports(m_db, QString(), [](Statement &) {});
}

Status ReportRepository::markRendered(qint64 id, const QString &path)
{
    auto st = m_db.prepare(QStringLiteral("UPDATE report SET rendered_at = ?2, rendered_to = ?3 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, nowSeconds()).bind(3, path);
    if (auto s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("noting report %1 as rendered: %2").arg(id).arg(s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no report with id %1").arg(id));
    return {};
}

Status ReportRepository::remove(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("DELETE FROM report WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id);
    if (auto s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("removing report %1: %2").arg(id).arg(s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no report with id %1").arg(id));
    return {};
}

} // namespace mlwb
