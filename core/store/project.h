// SPDX-License-Identifier: MIT
#pragma once

// Project: the open project as the application sees it. Owns the ProjectFile and its
// repositories and turns every change, its own or another's (a colleague, the CLI, a training
// job), into changed(aggregate, ids): the ChangeFeed reports which items of which aggregate were
// written since the last look. Other connections' commits are noticed by polling PRAGMA
// data_version, this connection's own by SQLite's commit hook, so a view that writes never
// has to refresh by hand. Views listen; nothing else polls.

#include "common/result.h"
#include "store/change_feed.h"
#include "store/dataset_repository.h"
#include "store/deployment_repository.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/package_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "store/target_repository.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace mlwb {

class Project : public QObject {
    Q_OBJECT
public:
    static Result<std::unique_ptr<Project>> open(const QString &path,
                                                 const ProjectOpenOptions &options = {});
    static Result<std::unique_ptr<Project>> create(const QString &path,
                                                   const ProjectOpenOptions &options = {});
    explicit Project(std::unique_ptr<ProjectFile> file, QObject *parent = nullptr);
    ~Project() override;

    ProjectFile &file() { return *m_file; }
    Database &db() { return m_file->db(); }
    const QString &path() const { return m_file->path(); }
    bool isReadOnly() const { return m_file->isReadOnly(); }
    QString readOnlyReason() const { return m_file->readOnlyReason(); }

    DatasetRepository &datasets() { return m_datasets; }
    ModelRepository &models() { return m_models; }
    RunRepository &runs() { return m_runs; }
    PackageRepository &packages() { return m_packages; }
    TargetRepository &targets() { return m_targets; }
    DeploymentRepository &deployments() { return m_deployments; }
    MetricReader &metrics() { return m_metrics; }

    Result<QList<LeaseInfo>> leases() { return m_file->leases(); }
    // Takes the write lease when it is free (read-only open on a network file system).
    Status tryBecomeWriter();

    // How often other connections' commits are looked for (default 500 ms; 0 stops polling).
    void setPollInterval(int ms);
    // Reads the change feed now and emits what changed. Happens by itself after every commit
    // (this connection's within the event loop's next turn, others' within the poll interval).
    void refresh();

    // GUI-thread time spent in refresh(), the slots it runs included.
    struct RefreshStats {
        qint64 calls = 0;   // refreshes that found changes
        qint64 totalNs = 0;
        qint64 maxNs = 0;
    };
    RefreshStats refreshStats() const { return m_stats; }

Q_SIGNALS:
    // Items of an aggregate (Aggregate::Run, ...; see change_feed.h) were written, by anyone.
    // `ids` empty: any item may have changed (a file without change tracking). The typed
    // signals below follow from it.
    void changed(const QString &aggregate, const QList<qint64> &ids);
    // Another connection committed something (may be only a lease heartbeat).
    void externallyChanged();
    void datasetsChanged();
    // Models or their versions were added, removed or renamed.
    void modelsChanged();
    // Packages were added, checked or removed, or a failed gate was overridden.
    void packagesChanged();
    // Targets were added or removed, or something was deployed to one (its deployment records).
    void targetsChanged();
    // Runs or sweeps were added, removed or changed (name, status, summary, ...).
    void runsChanged();
    // Anything about one run changed: its row, new metric points, evaluations, artifacts.
    void runChanged(qint64 runId);
    // Someone opened or closed the file.
    void leasesChanged();
    void readOnlyChanged(bool readOnly);

private:
    void poll();
    void emitChanges(const ChangeSet &changes);
    static int onCommit(void *self);

    std::unique_ptr<ProjectFile> m_file;
    DatasetRepository m_datasets;
    ModelRepository m_models;
    RunRepository m_runs;
    PackageRepository m_packages;
    TargetRepository m_targets;
    DeploymentRepository m_deployments;
    MetricReader m_metrics;
    std::optional<ChangeFeed> m_feed;
    QTimer m_pollTimer;
    std::atomic<bool> m_ownCommit{false};
    std::atomic<bool> m_checkQueued{false};
    RefreshStats m_stats;
    bool m_readOnly = false;
};

} // namespace mlwb
