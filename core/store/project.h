// SPDX-License-Identifier: MIT
#pragma once

// Project: the open project as the application sees it. Owns the ProjectFile and its
// repositories, notices commits made by other connections (a colleague, the CLI, a training job)
// by polling PRAGMA data_version, and turns every change, its own or another's, into typed
// signals by comparing cheap fingerprints of each aggregate. Views listen; nothing else polls.

#include "common/result.h"
#include "store/dataset_repository.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

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
    MetricReader &metrics() { return m_metrics; }

    Result<QList<LeaseInfo>> leases() { return m_file->leases(); }
    // Takes the write lease when it is free (read-only open on a network file system).
    Status tryBecomeWriter();

    // How often other connections' commits are looked for (default 500 ms; 0 stops polling).
    void setPollInterval(int ms);
    // Compares the aggregates with what was last seen and emits the typed signals for what
    // differs. Call after own writes: data_version does not move for this connection's commits.
    void refresh();

Q_SIGNALS:
    // Another connection committed something (may be only a lease heartbeat).
    void externallyChanged();
    void datasetsChanged();
    // Models or their versions were added, removed or renamed.
    void modelsChanged();
    // Runs were added or removed, or one changed its name, status or model.
    void runsChanged();
    // Anything about one run changed: status, summary, hyperparameters, new metric points.
    void runChanged(qint64 runId);
    // Someone opened or closed the file.
    void leasesChanged();
    void readOnlyChanged(bool readOnly);

private:
    struct Fingerprints {
        QByteArray datasets;
        QByteArray models;
        QByteArray runList;
        QHash<qint64, QByteArray> runs;
        QByteArray leases;
    };
    void poll();
    Result<Fingerprints> fingerprints();

    std::unique_ptr<ProjectFile> m_file;
    DatasetRepository m_datasets;
    ModelRepository m_models;
    RunRepository m_runs;
    MetricReader m_metrics;
    QTimer m_pollTimer;
    Fingerprints m_seen;
    bool m_readOnly = false;
};

} // namespace mlwb
