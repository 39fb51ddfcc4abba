// SPDX-License-Identifier: MIT
#pragma once

// JobListModel: every job of a JobManager as a table row (title, progress, ETA, status), updated
// from the manager's signals.

#include "jobs/job_manager.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace mlwb {

class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TitleColumn, ProgressColumn, EtaColumn, CancelColumn, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, ProgressRole, ActiveRole };

    explicit JobListModel(JobManager *manager, QObject *parent = nullptr);

    int jobId(int row) const;
    int rowOf(int jobId) const;
    JobState state(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString statusText(const JobState &state);
    static bool isActive(const JobState &state);

private:
    void reload();
    void onAdded(int id);
    void onChanged(int id);

    QPointer<JobManager> m_manager;
    QList<JobState> m_jobs;
};

} // namespace mlwb
