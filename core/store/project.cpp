// SPDX-License-Identifier: MIT
#include "store/project.h"

#include "common/logging.h"
#include "store/statement.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include <sqlite3.h>

namespace mlwb {

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
    , m_packages(m_file->db())
    , m_targets(m_file->db())
    , m_deployments(m_file->db())
    , m_metrics(m_file->db())
    , m_readOnly(m_file->isReadOnly())
{
    if (auto feed = ChangeFeed::open(m_file->db()))
        m_feed = std::move(*feed);
    else
        qCWarning(lcStore) << "reading" << path() << "failed:" << feed.error();
    sqlite3_commit_hook(m_file->db().handle(), &Project::onCommit, this);
    m_pollTimer.setInterval(500);
    connect(&m_pollTimer, &QTimer::timeout, this, &Project::poll);
    m_pollTimer.start();
}

Project::~Project()
{
    if (m_file && m_file->db().handle())
        sqlite3_commit_hook(m_file->db().handle(), nullptr, nullptr);
}

int Project::onCommit(void *self)
{
    // Inside SQLite's COMMIT: no queries here, only a note and a check on the next turn.
    auto *project = static_cast<Project *>(self);
    project->m_ownCommit = true;
    if (!project->m_checkQueued.exchange(true))
        QMetaObject::invokeMethod(project, &Project::poll, Qt::QueuedConnection);
    return 0; // let the commit proceed
}

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
    m_checkQueued = false;
    const bool external = m_file->changedSinceLastCheck();
    if (external)
        Q_EMIT externallyChanged();
    if (external || m_ownCommit.exchange(false))
        refresh();
}

void Project::refresh()
{
    QElapsedTimer clock;
    clock.start();
    if (!m_feed || !m_feed->tracked()) {
        // Not open yet, or a file without change tracking that someone may have upgraded.
        auto feed = ChangeFeed::open(m_file->db());
        if (!feed) {
            qCWarning(lcStore) << "reading" << path() << "failed:" << feed.error();
            return;
        }
        const bool wasUntracked = m_feed && !m_feed->tracked();
        m_feed = std::move(*feed);
        if (m_feed->tracked() && !wasUntracked)
            return; // starts from now
        if (m_feed->tracked()) {
            // Upgraded meanwhile: what it wrote is unknown, so everything may have changed.
            ChangeSet all;
            for (const QString &a : ChangeFeed::aggregates())
                all.items.insert(a, {});
            emitChanges(all);
            return;
        }
    }
    auto changes = m_feed->read();
    if (!changes) {
        qCWarning(lcStore) << "refreshing" << path() << "failed:" << changes.error();
        return;
    }
    if (changes->isEmpty())
        return;
    emitChanges(*changes);
    const qint64 ns = clock.nsecsElapsed();
    ++m_stats.calls;
    m_stats.totalNs += ns;
    m_stats.maxNs = std::max(m_stats.maxNs, ns);
}

void Project::emitChanges(const ChangeSet &changes)
{
    for (auto it = changes.items.cbegin(); it != changes.items.cend(); ++it)
        Q_EMIT changed(it.key(), it.value());

    const auto has = [&](const QString &aggregate) { return changes.contains(aggregate); };
    if (has(Aggregate::Dataset))
        Q_EMIT datasetsChanged();
    if (has(Aggregate::Model))
        Q_EMIT modelsChanged();
    if (has(Aggregate::Package))
        Q_EMIT packagesChanged();
    if (has(Aggregate::Target))
        Q_EMIT targetsChanged();
    if (has(Aggregate::Run) || has(Aggregate::Sweep))
        Q_EMIT runsChanged();
    // One runChanged per run, whatever about it changed. No ids: every run.
    QList<qint64> runs;
    bool everyRun = false;
    for (const QString &a : {Aggregate::Run, Aggregate::Metrics, Aggregate::Evaluation, Aggregate::Artifact}) {
        if (!has(a))
            continue;
        const QList<qint64> &ids = changes.items.value(a);
        everyRun = everyRun || ids.isEmpty();
        runs += ids;
    }
    if (everyRun) {
        runs.clear();
        auto st = m_file->db().prepare(QStringLiteral("SELECT id FROM run ORDER BY id"));
        if (st) {
            while (true) {
                auto row = st->step();
                if (!row || !*row)
                    break;
                runs << st->columnInt(0);
            }
        }
    }
    std::sort(runs.begin(), runs.end());
    runs.erase(std::unique(runs.begin(), runs.end()), runs.end());
    for (qint64 id : runs)
        Q_EMIT runChanged(id);
    if (has(Aggregate::Lease))
        Q_EMIT leasesChanged();
}

} // namespace mlwb
