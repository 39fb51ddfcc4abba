// SPDX-License-Identifier: MIT
#include "deploy/keychain.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QMutex>
#include <QMutexLocker>
#include <QTimer>

#include <map>
#include <type_traits>

#include <qt6keychain/keychain.h>

namespace mlwb {

namespace {

struct Outcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QByteArray data;
};

// Starts the job and waits for it in a local event loop, at most timeoutMs. The job deletes
// itself when it finishes (autoDelete), even after a timeout: deleting it while its D-Bus call
// is pending would leave the backend's callback with a dangling pointer.
template <typename JobT> Outcome runJob(JobT *job, int timeoutMs)
{
    Outcome out;
    QEventLoop loop;
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&out, &loop, job] {
        out.finished = true;
        out.error = job->error();
        out.errorString = job->errorString();
        if constexpr (std::is_same_v<JobT, QKeychain::ReadPasswordJob>)
            out.data = job->binaryData();
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!out.finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return out;
}

QString describe(const Outcome &o, int timeoutMs)
{
    if (!o.finished)
        return QStringLiteral("no answer within %1 ms").arg(timeoutMs);
    return o.errorString.isEmpty() ? QStringLiteral("error %1").arg(int(o.error)) : o.errorString;
}

QMutex probeMutex;
std::map<QString, QString> probed; // service -> why it is unavailable ("" when it is usable)

} // namespace

Keychain::Keychain(QString service, int timeoutMs) : m_service(std::move(service)), m_timeoutMs(timeoutMs) {}

QString Keychain::name() const { return QStringLiteral("the keychain (service %1)").arg(m_service); }

QString Keychain::unavailable() const
{
    if (!QCoreApplication::instance())
        return QStringLiteral("no QCoreApplication runs the keychain's D-Bus calls");
    QMutexLocker lock(&probeMutex);
    if (auto it = probed.find(m_service); it != probed.end())
        return it->second;
    // Reading an entry that is never written tells whether a backend answers at all.
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(QStringLiteral("mlwb-keychain-probe"));
    job->setInsecureFallback(false);
    const Outcome o = runJob(job, m_timeoutMs);
    QString why;
    if (!o.finished || (o.error != QKeychain::NoError && o.error != QKeychain::EntryNotFound))
        why = QStringLiteral("no keychain answers (%1)").arg(describe(o, m_timeoutMs));
    probed[m_service] = why;
    return why;
}

Result<QByteArray> Keychain::read(const QString &key) const
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    const Outcome o = runJob(job, m_timeoutMs);
    if (o.finished && o.error == QKeychain::EntryNotFound)
        return notFound(QStringLiteral("%1 holds no entry %2").arg(name(), key));
    if (!o.finished || o.error != QKeychain::NoError)
        return ioError(QStringLiteral("cannot read the entry %1 from %2: %3").arg(key, name(), describe(o, m_timeoutMs)));
    return o.data;
}

Status Keychain::write(const QString &key, const QByteArray &secret) const
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setBinaryData(secret);
    const Outcome o = runJob(job, m_timeoutMs);
    if (!o.finished || o.error != QKeychain::NoError)
        return ioError(QStringLiteral("cannot write the entry %1 to %2: %3").arg(key, name(), describe(o, m_timeoutMs)));
    return {};
}

Status Keychain::remove(const QString &key) const
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    const Outcome o = runJob(job, m_timeoutMs);
    if (o.finished && o.error == QKeychain::EntryNotFound)
        return notFound(QStringLiteral("%1 holds no entry %2").arg(name(), key));
    if (!o.finished || o.error != QKeychain::NoError)
        return ioError(QStringLiteral("cannot delete the entry %1 from %2: %3").arg(key, name(), describe(o, m_timeoutMs)));
    return {};
}

} // namespace mlwb
