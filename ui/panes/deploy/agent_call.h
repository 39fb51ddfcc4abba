// SPDX-License-Identifier: MIT
#pragma once

// AgentCall: runs one blocking piece of work (AgentClient calls, which wait for the network)
// on the global thread pool and hands its result to `done` on the GUI thread, unless `context`
// was destroyed meanwhile. The work must make its own AgentClient and database connection: both
// belong to the thread that made them.

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace mlwb {

template <typename T>
void runAgentCall(QObject *context, std::function<T()> work, std::function<void(T)> done)
{
    QPointer<QObject> guard(context);
    QThreadPool::globalInstance()->start([guard, work = std::move(work), done = std::move(done)]() mutable {
        auto result = std::make_shared<T>(work());
        // qApp lives on the GUI thread and outlives every pane; the guard is checked there.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done = std::move(done), result] {
                if (guard)
                    done(std::move(*result));
            },
            Qt::QueuedConnection);
    });
}

} // namespace mlwb
