// SPDX-License-Identifier: MIT
#include "models/log_model.h"

#include "widgets/icons.h"

namespace mlwb {

LogModel::LogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

void LogModel::append(const QList<LogEntry> &entries)
{
    if (entries.isEmpty())
        return;
    const qsizetype overflow = m_entries.size() + entries.size() - m_capacity;
    if (overflow > 0) {
        const int drop = int(std::min(overflow, m_entries.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_entries.remove(0, drop);
            endRemoveRows();
        }
    }
    const QList<LogEntry> tail =
        entries.size() > m_capacity ? entries.mid(entries.size() - m_capacity) : entries;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(tail.size()) - 1);
    m_entries << tail;
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LogModel::levelName(QtMsgType level)
{
    switch (level) {
    case QtDebugMsg:
        return tr("debug");
    case QtInfoMsg:
        return tr("info");
    case QtWarningMsg:
        return tr("warning");
    case QtCriticalMsg:
        return tr("critical");
    case QtFatalMsg:
        return tr("fatal");
    }
    return {};
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const LogEntry &e = m_entries.at(index.row());
    if (role == LevelRole)
        return int(e.level);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn:
            return e.time.toString(QStringLiteral("HH:mm:ss.zzz"));
        case LevelColumn:
            return levelName(e.level);
        case CategoryColumn:
            return e.category;
        case MessageColumn:
            return e.message;
        }
    }
    if (role == Qt::ToolTipRole && index.column() == MessageColumn)
        return e.message;
    if (role == Qt::DecorationRole && index.column() == LevelColumn) {
        switch (e.level) {
        case QtWarningMsg:
            return Icons::themed(QStringLiteral("dialog-warning"));
        case QtCriticalMsg:
        case QtFatalMsg:
            return Icons::themed(QStringLiteral("dialog-error"));
        default:
            return Icons::themed(QStringLiteral("dialog-information"));
        }
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case CategoryColumn:
        return tr("Category");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace mlwb
