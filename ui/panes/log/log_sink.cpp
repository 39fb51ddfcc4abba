// SPDX-License-Identifier: MIT
#include "panes/log/log_sink.h"

#include <QMetaObject>

#include <atomic>
#include <mutex>

namespace mlwb {

namespace {
// The handler is a plain function: it finds the sink through this pointer, guarded so a sink
// being destroyed on the GUI thread never receives a message from a worker.
std::recursive_mutex g_sinkMutex;
LogSink *g_sink = nullptr;
QtMessageHandler g_previous = nullptr;
} // namespace

LogSink::LogSink(QObject *parent)
    : QObject(parent)
    , m_model(new LogModel(5000, this))
{
    m_flushTimer.setInterval(200);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogSink::flush);
    std::lock_guard lock(g_sinkMutex);
    m_previousSink = g_sink;
    g_sink = this;
    m_previous = qInstallMessageHandler(&LogSink::handler);
    if (!m_previousSink)
        g_previous = m_previous;
}

LogSink::~LogSink()
{
    std::lock_guard lock(g_sinkMutex);
    g_sink = m_previousSink;
    if (!m_previousSink)
        qInstallMessageHandler(g_previous);
}

void LogSink::handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        std::lock_guard lock(g_sinkMutex);
        const char *category = context.category ? context.category : "";
        if (g_sink && qstrncmp(category, "mlwb.", 5) == 0)
            g_sink->enqueue(LogEntry{QDateTime::currentDateTime(), type,
                                     QString::fromLatin1(category), message});
    }
    if (g_previous)
        g_previous(type, context, message);
}

void LogSink::enqueue(LogEntry entry)
{
    bool first;
    {
        QMutexLocker lock(&m_mutex);
        first = m_pending.isEmpty();
        m_pending << std::move(entry);
    }
    if (first)
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_flushTimer.isActive())
                    m_flushTimer.start();
            },
            Qt::QueuedConnection);
}

void LogSink::flush()
{
    QList<LogEntry> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
    }
    m_model->append(batch);
}

} // namespace mlwb
