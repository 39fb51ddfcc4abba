// SPDX-License-Identifier: MIT
#include "serve/agent_state.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <fcntl.h>
#include <unistd.h>

namespace mlwb {

namespace {

constexpr int kFormat = 1;

QString stateFile(const QString &dir)
{
    return dir + QStringLiteral("/state.json");
}

Status writeAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(bytes) != bytes.size())
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (!file.flush() || ::fsync(file.handle()) != 0)
        return ioError(QStringLiteral("cannot sync %1: %2").arg(path, file.errorString()));
    if (!file.commit())
        return ioError(QStringLiteral("cannot replace %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace

QJsonObject AgentState::Event::toJson() const
{
    return QJsonObject{{QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("model"), model},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("action"), action},
                       {QStringLiteral("by"), by},
                       {QStringLiteral("detail"), detail}};
}

Result<AgentState> AgentState::open(const QString &directory)
{
    AgentState s;
    s.m_dir = QDir(directory).absolutePath();
    if (!QDir().mkpath(s.m_dir + QStringLiteral("/packages")))
        return ioError(QStringLiteral("cannot make the state directory %1").arg(s.m_dir));
    QFile file(stateFile(s.m_dir));
    if (!file.exists())
        return s;
    if (!file.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return corrupt(QStringLiteral("%1 is damaged: %2").arg(file.fileName(), error.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toInt() != kFormat)
        return corrupt(QStringLiteral("%1 has format %2; this agent reads format %3")
                           .arg(file.fileName(), root.value(QStringLiteral("format")).toVariant().toString())
                           .arg(kFormat));
    const QJsonObject models = root.value(QStringLiteral("models")).toObject();
    for (auto it = models.begin(); it != models.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        Model m;
        for (const QJsonValue &v : o.value(QStringLiteral("versions")).toArray())
            m.versions << v.toString();
        for (const QJsonValue &v : o.value(QStringLiteral("active_before")).toArray())
            m.activeBefore << v.toString();
        m.active = o.value(QStringLiteral("active")).toString();
        const QJsonObject canary = o.value(QStringLiteral("canary")).toObject();
        m.canary = canary.value(QStringLiteral("version")).toString();
        m.canaryPercent = canary.value(QStringLiteral("percent")).toInt();
        const QJsonObject by = o.value(QStringLiteral("deployed_by")).toObject();
        for (auto b = by.begin(); b != by.end(); ++b)
            m.deployedBy[b.key()] = b.value().toString();
        if ((!m.active.isEmpty() && !m.versions.contains(m.active)) || (!m.canary.isEmpty() && !m.versions.contains(m.canary)))
            return corrupt(QStringLiteral("%1: model %2 names a version it does not hold").arg(file.fileName(), it.key()));
        s.m_models[it.key()] = std::move(m);
    }
    return s;
}

QString AgentState::packagePath(const QString &model, const QString &version) const
{
    return QStringLiteral("%1/packages/%2/%3.mlwbpkg").arg(m_dir, model, version);
}

Status AgentState::save() const
{
    QJsonObject models;
    for (const auto &[name, m] : m_models) {
        QJsonObject by;
        for (const auto &[version, user] : m.deployedBy)
            by.insert(version, user);
        QJsonObject o{{QStringLiteral("versions"), QJsonArray::fromStringList(m.versions)},
                      {QStringLiteral("active"), m.active},
                      {QStringLiteral("active_before"), QJsonArray::fromStringList(m.activeBefore)},
                      {QStringLiteral("deployed_by"), by}};
        if (!m.canary.isEmpty())
            o.insert(QStringLiteral("canary"), QJsonObject{{QStringLiteral("version"), m.canary},
                                                           {QStringLiteral("percent"), m.canaryPercent}});
        models.insert(name, o);
    }
    const QJsonObject root{{QStringLiteral("format"), kFormat}, {QStringLiteral("models"), models}};
    return writeAtomically(stateFile(m_dir), QJsonDocument(root).toJson());
}

Status AgentState::savePackage(const QString &model, const QString &version, const QByteArray &bytes) const
{
    const QString path = packagePath(model, version);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return ioError(QStringLiteral("cannot make the directory of %1").arg(path));
    return writeAtomically(path, bytes);
}

Status AgentState::append(const Event &event) const
{
    const QString path = m_dir + QStringLiteral("/history.jsonl");
    const QByteArray line = QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact) + '\n';
    const int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return ioError(QStringLiteral("cannot append to %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
    const ssize_t n = ::write(fd, line.constData(), size_t(line.size()));
    const bool synced = n == line.size() && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!synced)
        return ioError(QStringLiteral("cannot append to %1: %2").arg(path, QString::fromLocal8Bit(strerror(saved))));
    return {};
}

QList<AgentState::Event> AgentState::history(QStringList *problems) const
{
    QList<Event> events;
    QFile file(m_dir + QStringLiteral("/history.jsonl"));
    if (!file.open(QIODevice::ReadOnly))
        return events;
    int number = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++number;
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty()) {
            if (problems)
                *problems << QStringLiteral("history.jsonl line %1 is damaged").arg(number);
            continue;
        }
        events.append(Event{QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs),
                            o.value(QStringLiteral("model")).toString(), o.value(QStringLiteral("version")).toString(),
                            o.value(QStringLiteral("action")).toString(), o.value(QStringLiteral("by")).toString(),
                            o.value(QStringLiteral("detail")).toString()});
    }
    return events;
}

} // namespace mlwb
