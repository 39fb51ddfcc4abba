// SPDX-License-Identifier: MIT
#include "deploy/local_agent.h"

#include "deploy/agent_client.h"
#include "deploy/token_store.h"
#include "package/key_store.h"
#include "store/database.h"
#include "store/target_repository.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QThread>

#include <sodium.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlwb {

namespace {

// Alive but not answering, or not starting: an operating-system-level failure to the caller.
Error unavailable(QString message)
{
    return fail(std::move(message), ErrorKind::Io);
}

// Whether `pid` runs: a zombie (killed, not yet reaped by an init that may never reap it) does
// not.
bool alive(qint64 pid)
{
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno != EPERM))
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || close + 2 >= line.size() || (line[close + 2] != 'Z' && line[close + 2] != 'X');
}

// Writes `bytes` to `path` with mode 0600 from the start (a token is never readable by others,
// not even for a moment).
Status writePrivate(const QString &path, const QByteArray &bytes)
{
    const QByteArray name = QFile::encodeName(path);
    const QByteArray temp = name + ".tmp";
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            return ioError(QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(e))));
        }
        done += n;
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.constData(), name.constData()) != 0)
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    return {};
}

bool answersHealth(const QString &url, const QByteArray &token)
{
    TargetRecord t;
    t.name = QString::fromLatin1(LocalAgent::kTargetName);
    t.url = url;
    AgentClient client(t, token);
    auto h = client.health();
    return h && h->live;
}

} // namespace

LocalAgent::LocalAgent(QString directory) : m_dir(std::move(directory)) {}

QString LocalAgent::defaultDirectory()
{
    if (const QByteArray dir = qgetenv("MLWB_DATA_DIR"); !dir.isEmpty())
        return QFile::decodeName(dir) + QStringLiteral("/agent");
    if (const QByteArray xdg = qgetenv("XDG_DATA_HOME"); !xdg.isEmpty())
        return QFile::decodeName(xdg) + QStringLiteral("/mlwb/agent");
    return QDir::homePath() + QStringLiteral("/.local/share/mlwb/agent");
}

QString LocalAgent::logPath() const
{
    return m_dir + QStringLiteral("/agent.log");
}

Result<QByteArray> LocalAgent::ensureToken() const
{
    const QString path = m_dir + QStringLiteral("/token");
    const TokenStore tokens;
    const QString target = QString::fromLatin1(kTargetName);
    if (QFileInfo::exists(path)) {
        Result<QByteArray> token = TokenStore::readTokenFile(path);
        if (!token)
            return token.failure().reworded(QStringLiteral("the local agent's token %1: %2").arg(path, token.error()));
        // The workbench and the CLI find it where they find every target's token.
        Result<QByteArray> kept = tokens.token(target);
        if (!kept || *kept != *token)
            if (Status s = tokens.save(target, *token); !s)
                return s.failure();
        return token;
    }
    QByteArray raw(32, '\0');
    randombytes_buf(raw.data(), size_t(raw.size()));
    const QByteArray token = raw.toHex();
    if (Status s = writePrivate(path, token + '\n'); !s)
        return s.failure();
    if (Status s = tokens.save(target, token); !s)
        return s.failure();
    return token;
}

Status LocalAgent::ensureTrustedKey() const
{
    const QString dir = m_dir + QStringLiteral("/trusted");
    if (!QDir().mkpath(dir))
        return ioError(QStringLiteral("cannot make %1").arg(dir));
    auto key = KeyStore().signingKey(); // made on first use, as `mlwb key show` does
    if (!key)
        return key.failure().reworded(QStringLiteral("the local agent trusts your signing key: %1").arg(key.error()));
    QSaveFile pub(dir + QStringLiteral("/me.pub"));
    if (!pub.open(QIODevice::WriteOnly) || pub.write(key->publicKey().toText()) < 0 || !pub.commit())
        return ioError(QStringLiteral("cannot write %1: %2").arg(pub.fileName(), pub.errorString()));
    return {};
}

Result<LocalAgent::Running> LocalAgent::recorded() const
{
    QFile file(m_dir + QStringLiteral("/agent.json"));
    if (!file.exists())
        return notFound(QStringLiteral("no local agent runs (nothing in %1)").arg(m_dir));
    if (!file.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    QJsonParseError e{};
    const QJsonObject o = QJsonDocument::fromJson(file.readAll(), &e).object();
    if (e.error != QJsonParseError::NoError)
        return corrupt(QStringLiteral("%1: %2 at byte %3").arg(file.fileName(), e.errorString()).arg(e.offset));
    Running r;
    r.pid = o.value(QStringLiteral("pid")).toInteger();
    r.port = o.value(QStringLiteral("port")).toInt();
    r.url = o.value(QStringLiteral("url")).toString();
    r.started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODate);
    return r;
}

Result<LocalAgent::Running> LocalAgent::status() const
{
    Result<Running> r = recorded();
    if (!r)
        return r;
    Result<QByteArray> token = TokenStore::readTokenFile(m_dir + QStringLiteral("/token"));
    if (alive(r->pid) && token && answersHealth(r->url, *token))
        return r;
    if (!alive(r->pid)) {
        // Gone (killed, a reboot): what is recorded no longer runs. Its port is remembered in
        // the next start's attempt through the record itself, so keep the file but say so.
        return notFound(QStringLiteral("no local agent runs (pid %1 from %2 is gone)").arg(r->pid).arg(m_dir + QStringLiteral("/agent.json")));
    }
    return unavailable(QStringLiteral("the local agent (pid %1) does not answer on %2").arg(r->pid).arg(r->url));
}

Result<LocalAgent::Running> LocalAgent::start(const QString &agentBinary) const
{
    if (Result<Running> running = status()) {
        running->reused = true;
        return running;
    }
    else if (running.kind() == ErrorKind::Io)
        return running.failure().reworded(running.error() + QStringLiteral(": stop it first (mlwb agent stop)"));

    for (const char *sub : {"", "/state"})
        if (!QDir().mkpath(m_dir + QString::fromLatin1(sub)))
            return ioError(QStringLiteral("cannot make %1").arg(m_dir + QString::fromLatin1(sub)));
    ::chmod(QFile::encodeName(m_dir).constData(), 0700);
    Result<QByteArray> token = ensureToken();
    if (!token)
        return token.failure();
    if (Status s = ensureTrustedKey(); !s)
        return s.failure();

    QString binary = agentBinary;
    if (binary.isEmpty())
        binary = QFile::decodeName(qgetenv("MLWB_AGENT_BINARY"));
    if (binary.isEmpty())
        binary = QCoreApplication::applicationDirPath() + QStringLiteral("/mlwb-agent");
    if (!QFileInfo(binary).isExecutable())
        return notFound(QStringLiteral("no mlwb-agent at %1 (set MLWB_AGENT_BINARY to where it is)").arg(binary));

    // The port it had before, so the projects' `local` target stays right; else any free one.
    QList<int> ports;
    if (Result<Running> before = recorded(); before && before->port > 0)
        ports << before->port;
    ports << 0;
    QString lastError;
    for (const int port : ports) {
        QFile log(logPath());
        const qint64 from = log.exists() ? log.size() : 0;
        QProcess p;
        p.setProgram(binary);
        p.setArguments({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--state"),
                        m_dir + QStringLiteral("/state"), QStringLiteral("--token-file"), m_dir + QStringLiteral("/token"),
                        QStringLiteral("--trusted-keys"), m_dir + QStringLiteral("/trusted")});
        p.setStandardOutputFile(logPath(), QIODevice::Append);
        p.setStandardErrorFile(logPath(), QIODevice::Append);
        p.setStandardInputFile(QProcess::nullDevice());
        qint64 pid = 0;
        if (!p.startDetached(&pid))
            return ioError(QStringLiteral("cannot start %1: %2").arg(binary, p.errorString()));
        // It says "listening on http://127.0.0.1:PORT" once it serves (after restoring what it
        // served before, warm-ups included).
        static const QRegularExpression listening(QStringLiteral("listening on (https?://127\\.0\\.0\\.1:(\\d+))"));
        for (int waited = 0; waited < 60000; waited += 50) {
            QThread::msleep(50);
            QByteArray said;
            if (log.open(QIODevice::ReadOnly)) {
                log.seek(from);
                said = log.readAll();
                log.close();
            }
            const auto m = listening.match(QString::fromUtf8(said));
            if (m.hasMatch()) {
                Running r;
                r.pid = pid;
                r.url = m.captured(1);
                r.port = m.captured(2).toInt();
                r.started = QDateTime::currentDateTimeUtc();
                const QJsonObject o{{QStringLiteral("pid"), r.pid},
                                    {QStringLiteral("port"), r.port},
                                    {QStringLiteral("url"), r.url},
                                    {QStringLiteral("started"), r.started.toString(Qt::ISODateWithMs)}};
                QSaveFile record(m_dir + QStringLiteral("/agent.json"));
                if (!record.open(QIODevice::WriteOnly) || record.write(QJsonDocument(o).toJson()) < 0 || !record.commit()) {
                    ::kill(pid_t(pid), SIGTERM);
                    return ioError(QStringLiteral("cannot write %1: %2 (the agent was stopped)").arg(record.fileName(), record.errorString()));
                }
                if (!answersHealth(r.url, *token)) {
                    ::kill(pid_t(pid), SIGTERM);
                    return unavailable(QStringLiteral("the local agent said it listens on %1 but does not answer there (see %2)")
                                           .arg(r.url, logPath()));
                }
                return r;
            }
            if (!alive(pid)) {
                lastError = QString::fromUtf8(said).trimmed();
                break;
            }
        }
        if (alive(pid)) {
            ::kill(pid_t(pid), SIGTERM);
            return unavailable(QStringLiteral("the local agent (pid %1) did not start serving within 60 s (see %2)").arg(pid).arg(logPath()));
        }
    }
    return unavailable(QStringLiteral("the local agent exited at start: %1 (see %2)")
                           .arg(lastError.isEmpty() ? QStringLiteral("no output") : lastError.section(QLatin1Char('\n'), -3), logPath()));
}

Status LocalAgent::stop(int timeoutMs) const
{
    Result<Running> r = recorded();
    if (!r)
        return r.failure();
    const QString record = m_dir + QStringLiteral("/agent.json");
    if (!alive(r->pid))
        return notFound(QStringLiteral("no local agent runs (pid %1 from %2 is gone)").arg(r->pid).arg(record));
    if (::kill(pid_t(r->pid), SIGTERM) != 0)
        return ioError(QStringLiteral("cannot stop the local agent (pid %1): %2").arg(r->pid).arg(QString::fromLocal8Bit(std::strerror(errno))));
    for (int waited = 0; waited < timeoutMs; waited += 50) {
        if (!alive(r->pid))
            return {};
        QThread::msleep(50);
    }
    return unavailable(QStringLiteral("the local agent (pid %1) is still finishing after %2 s").arg(r->pid).arg(timeoutMs / 1000));
}

Status LocalAgent::registerTarget(Database &db, const QString &url)
{
    const QString name = QString::fromLatin1(kTargetName);
    TargetRepository targets(db);
    Result<TargetRecord> existing = targets.find(name);
    if (existing) {
        if (existing->url == url)
            return {};
        return targets.setUrl(existing->id, url);
    }
    if (existing.kind() != ErrorKind::NotFound)
        return existing.failure();
    TargetRecord t;
    t.name = name;
    t.url = url;
    t.createdBy = KeyStore::userAtHost();
    Result<qint64> id = targets.add(t);
    if (!id)
        return id.failure();
    return {};
}

} // namespace mlwb
