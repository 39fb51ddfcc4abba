// SPDX-License-Identifier: MIT
#include "models/job_list_model.h"

#include "common/format.h"

namespace mlwb {

JobListModel::JobListModel(JobManager *manager, QObject *parent)
    : QAbstractTableModel(parent)
    , m_manager(manager)
{
    connect(manager, &JobManager::jobAdded, this, &JobListModel::onAdded);
    connect(manager, &JobManager::jobChanged, this, &JobListModel::onChanged);
    connect(manager, &JobManager::jobsCleared, this, &JobListModel::reload);
    m_jobs = manager->jobs();
}

void JobListModel::reload()
{
    beginResetModel();
    m_jobs = m_manager ? m_manager->jobs() : QList<JobState>();
    endResetModel();
}

void JobListModel::onAdded(int id)
{
    if (!m_manager || rowOf(id) >= 0)
        return;
    const int row = int(m_jobs.size());
    beginInsertRows({}, row, row);
    m_jobs << m_manager->job(id);
    endInsertRows();
}

void JobListModel::onChanged(int id)
{
    const int row = rowOf(id);
    if (row < 0 || !m_manager) {
        onAdded(id);
        return;
    }
    m_jobs[row] = m_manager->job(id);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int JobListModel::jobId(int row) const
{
    return row >= 0 && row < m_jobs.size() ? m_jobs.at(row).id : 0;
}

int JobListModel::rowOf(int jobId) const
{
    for (int i = 0; i < m_jobs.size(); ++i)
        if (m_jobs.at(i).id == jobId)
            return i;
    return -1;
}

JobState JobListModel::state(int row) const
{
    return row >= 0 && row < m_jobs.size() ? m_jobs.at(row) : JobState();
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool JobListModel::isActive(const JobState &s)
{
    return s.status == JobState::Status::Queued || s.status == JobState::Status::Running;
}

QString JobListModel::statusText(const JobState &s)
{
    switch (s.status) {
    case JobState::Status::Queued:
        return tr("Waiting");
    case JobState::Status::Running:
        return s.message.isEmpty()
                   ? tr("%1%").arg(qRound(s.progress * 100))
                   : tr("%1% \u2013 %2").arg(qRound(s.progress * 100)).arg(s.message);
    case JobState::Status::Finished:
        return s.message.isEmpty() ? tr("Done") : s.message;
    case JobState::Status::Failed:
        return tr("Failed: %1").arg(s.error);
    case JobState::Status::Canceled:
        return tr("Canceled");
    }
    return {};
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size())
        return {};
    const JobState &s = m_jobs.at(index.row());
    if (role == JobIdRole)
        return s.id;
    if (role == ProgressRole)
        return s.progress;
    if (role == ActiveRole)
        return isActive(s);
    switch (index.column()) {
    case TitleColumn:
        if (role == Qt::DisplayRole)
            return s.title;
        if (role == Qt::ToolTipRole)
            return s.error.isEmpty() ? s.title : s.title + QLatin1Char('\n') + s.error;
        break;
    case ProgressColumn:
        if (role == Qt::DisplayRole)
            return statusText(s);
        if (role == Qt::ToolTipRole)
            return statusText(s);
        break;
    case EtaColumn:
        if (role == Qt::DisplayRole)
            return s.status == JobState::Status::Running ? Format::duration(s.etaSeconds)
                                                         : QString();
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TitleColumn:
        return tr("Job");
    case ProgressColumn:
        return tr("Progress");
    case EtaColumn:
        return tr("ETA");
    case CancelColumn:
        return QString();
    }
    return {};
}

} // namespace mlwb
