// SPDX-License-Identifier: MIT
#pragma once

// LogSink: installs a Qt message handler that keeps the mlwb.* category messages (from any
// thread) for the Log pane and passes every message on to the previous handler. Messages are
// queued and handed to the model in batches on the sink's thread, a few times a second at most.

#include "models/log_model.h"

#include <QMutex>
#include <QObject>
#include <QTimer>

namespace mlwb {

class LogSink : public QObject {
    Q_OBJECT
public:
    // Only one sink is installed at a time; a second one replaces the first until destroyed.
    explicit LogSink(QObject *parent = nullptr);
    ~LogSink() override;

    LogModel *model() const { return m_model; }
    // Hands queued messages to the model now.
    void flush();

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message);
    void enqueue(LogEntry entry);

    LogModel *m_model;
    QTimer m_flushTimer;
    QMutex m_mutex;
    QList<LogEntry> m_pending;
    QtMessageHandler m_previous = nullptr;
    LogSink *m_previousSink = nullptr;
};

} // namespace mlwb
