// SPDX-License-Identifier: MIT
#include "store/project.h"

#include "common/logging.h"
#include "store/statement.h"

namespace mlwb {

namespace {

// Runs a query and hands each row, its columns joined as text, to `row`. Values are compared,
// never parsed, so text is enough.
template <typename RowFn>
Status forEachRow(Database &db, const QString &sql, int columns, RowFn row)
{
    auto st = db.prepare(sql);
    if (!st)
        return st.failure();
    for (;;) {
        auto more = st->step();
        if (!more)
            return more.failure();
        if (!*more)
            return {};
        QByteArray text;
        for (int c = 0; c < columns; ++c) {
            text += st->columnText(c).toUtf8();
            text += '\x1f';
        }
        row(st->columnInt(0), text);
    }
}

} // namespace

Result<std::unique_ptr<Project>> Project::open(const QString &path,
                                               const ProjectOpenOptions &options)
{
    auto file = ProjectFile::open(path, options);
    if (!file)
        return file.failure();
    return std::make_unique<Project>(std::move(*file));
}

Result<std::unique_ptr<Project>> Project::create(const QString &path,
                                                 const ProjectOpenOptions &options)
{
    auto file = ProjectFile::create(path, options);
    if (!file)
        return file.failure();
    return std::make_unique<Project>(std::move(*file));
}

Project::Project(std::unique_ptr<ProjectFile> file, QObject *parent)
    : QObject(parent)
    , m_file(std::move(file))
    , m_datasets(m_file->db())
    , m_models(m_file->db())
    , m_runs(m_file->db())
    , m_metrics(m_file->db())
    , m_readOnly(m_file->isReadOnly())
{
    if (auto f = fingerprints())
        m_seen = std::move(*f);
    else
        qCWarning(lcStore) << "reading" << path() << "failed:" << f.error();
    m_pollTimer.setInterval(500);
    connect(&m_pollTimer, &QTimer::timeout, this, &Project::poll);
    m_pollTimer.start();
}

Project::~Project() = default;

void Project::setPollInterval(int ms)
{
    if (ms <= 0) {
        m_pollTimer.stop();
        return;
    }
    m_pollTimer.setInterval(ms);
    m_pollTimer.start();
}

Status Project::tryBecomeWriter()
{
    const Status s = m_file->tryBecomeWriter();
    if (m_file->isReadOnly() != m_readOnly) {
        m_readOnly = m_file->isReadOnly();
        Q_EMIT readOnlyChanged(m_readOnly);
    }
    refresh();
    return s;
}

void Project::poll()
{
    if (!m_file->changedSinceLastCheck())
        return;
    Q_EMIT externallyChanged();
    refresh();
}

Result<Project::Fingerprints> Project::fingerprints()
{
    Fingerprints f;
    Database &db = m_file->db();
    auto append = [](QByteArray &into) {
        return [&into](qint64, const QByteArray &row) { into += row + '\n'; };
    };
    Status s = forEachRow(db,
                          // The split is part of a data set's state (its tab shows it).
                          QStringLiteral("SELECT d.id, d.name, d.row_count, d.column_count, d.content_hash, "
                                         "IFNULL(s.seed || '/' || s.train || '/' || s.validation, '') "
                                         "FROM dataset d LEFT JOIN dataset_split s ON s.dataset_id = d.id "
                                         "ORDER BY d.id"),
                          6, append(f.datasets));
    if (s)
        s = forEachRow(db,
                       QStringLiteral("SELECT m.id, m.name, m.kind, m.description, m.dataset_id, "
                                      "(SELECT count(*) FROM model_version v "
                                      "WHERE v.model_id = m.id) FROM model m ORDER BY m.id"),
                       6, append(f.models));
    if (s)
        s = forEachRow(db,
                       QStringLiteral("SELECT id, name, status, model_version_id FROM run "
                                      "ORDER BY id"),
                       4, append(f.runList));
    if (s)
        s = forEachRow(
            db,
            QStringLiteral("SELECT r.id, r.name, r.status, r.model_version_id, r.dataset_id, "
                           "r.message, r.hyperparams_json, r.summary_json, r.started_at, "
                           "r.finished_at, (SELECT max(wall) || '/' || count(*) "
                           "FROM metric_latest l WHERE l.run_id = r.id) FROM run r"),
            11, [&f](qint64 id, const QByteArray &row) { f.runs.insert(id, row); });
    if (s)
        s = forEachRow(db,
                       QStringLiteral("SELECT id, user, host, pid, mode, program FROM lease "
                                      "ORDER BY id"),
                       6, append(f.leases));
    if (!s)
        return s.failure();
    return f;
}

void Project::refresh()
{
    auto now = fingerprints();
    if (!now) {
        qCWarning(lcStore) << "refreshing" << path() << "failed:" << now.error();
        return;
    }
    Fingerprints before = std::exchange(m_seen, std::move(*now));
    const Fingerprints &after = m_seen;
    if (before.datasets != after.datasets)
        Q_EMIT datasetsChanged();
    if (before.models != after.models)
        Q_EMIT modelsChanged();
    if (before.runList != after.runList)
        Q_EMIT runsChanged();
    for (auto it = after.runs.cbegin(); it != after.runs.cend(); ++it) {
        if (before.runs.value(it.key()) != it.value())
            Q_EMIT runChanged(it.key());
    }
    for (auto it = before.runs.cbegin(); it != before.runs.cend(); ++it) {
        if (!after.runs.contains(it.key()))
            Q_EMIT runChanged(it.key());
    }
    if (before.leases != after.leases)
        Q_EMIT leasesChanged();
}

} // namespace mlwb
