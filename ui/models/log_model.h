// SPDX-License-Identifier: MIT
#pragma once

// LogModel: the newest log messages of the mlwb.* categories (time, level, category, message),
// capped so a chatty subsystem cannot grow it without bound.

#include <QAbstractTableModel>
#include <QDateTime>

namespace mlwb {

struct LogEntry {
    QDateTime time;
    QtMsgType level = QtDebugMsg;
    QString category;
    QString message;
};

class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, LevelColumn, CategoryColumn, MessageColumn, ColumnCount };
    enum Role { LevelRole = Qt::UserRole + 1 };

    explicit LogModel(int capacity = 5000, QObject *parent = nullptr);

    void append(const QList<LogEntry> &entries);
    void clear();
    const LogEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString levelName(QtMsgType level);

private:
    QList<LogEntry> m_entries;
    int m_capacity;
};

} // namespace mlwb
