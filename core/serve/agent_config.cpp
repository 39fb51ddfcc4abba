// SPDX-License-Identifier: MIT
#include "serve/agent_config.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/stat.h>

#include <functional>

namespace mlwb {

namespace {

Status parseListen(const QString &text, QString &host, int &port, const QString &where)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const int p = colon > 0 ? text.mid(colon + 1).toInt(&ok) : 0;
    if (colon <= 0 || !ok || p < 0 || p > 65535)
        return invalidInput(QStringLiteral("%1 must be HOST:PORT (port 0 picks a free one), not \"%2\"").arg(where, text));
    host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    port = p;
    return {};
}

Result<qint64> positive(const QJsonObject &o, const char *key, qint64 fallback, const QString &where, qint64 min = 1)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < double(min) || d != qint64(d))
        return invalidInput(QStringLiteral("%1.%2 must be an integer of at least %3").arg(where, QLatin1String(key)).arg(min));
    return qint64(d);
}

Status readBatching(const QJsonObject &o, DynamicBatcher::Options &b, const QString &where)
{
    Result<qint64> size = positive(o, "max_batch_size", b.maxBatchSize, where);
    Result<qint64> delay = positive(o, "max_queue_delay_microseconds", b.maxQueueDelay.count(), where, 0);
    Result<qint64> length = positive(o, "max_queue_length", b.maxQueueLength, where);
    Result<qint64> instances = positive(o, "instances", b.instances, where);
    for (const Result<qint64> *r : {&size, &delay, &length, &instances})
        if (!*r)
            return r->failure();
    b.maxBatchSize = *size;
    b.maxQueueDelay = std::chrono::microseconds(*delay);
    b.maxQueueLength = *length;
    b.instances = int(*instances);
    return {};
}

Status readMonitoring(const QJsonValue &value, AgentConfig::Monitoring &m, const QString &path,
                      const std::function<QString(const QJsonValue &)> &pathValue)
{
    if (value.isUndefined())
        return {};
    const QString where = path + QStringLiteral(": monitoring");
    if (!value.isObject())
        return invalidInput(QStringLiteral("%1 must be an object").arg(where));
    const QJsonObject o = value.toObject();
    static const QStringList known{QStringLiteral("recent_requests"), QStringLiteral("payload_log"),
                                   QStringLiteral("payload_log_max_bytes"), QStringLiteral("payload_log_files")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            return invalidInput(QStringLiteral("%1.%2 is not a key of monitoring (%3)").arg(where, it.key(), known.join(QStringLiteral(", "))));
    Result<qint64> recent = positive(o, "recent_requests", m.recentRequests, where, 0);
    Result<qint64> maxBytes = positive(o, "payload_log_max_bytes", m.payloadLogMaxBytes, where, 1024);
    Result<qint64> files = positive(o, "payload_log_files", m.payloadLogFiles, where, 1);
    for (const Result<qint64> *r : {&recent, &maxBytes, &files})
        if (!*r)
            return r->failure();
    if (*recent > 1000000)
        return invalidInput(QStringLiteral("%1.recent_requests must be at most 1000000 (each keeps up to 64 rows)").arg(where));
    if (*files > 1000)
        return invalidInput(QStringLiteral("%1.payload_log_files must be at most 1000").arg(where));
    if (o.contains(QStringLiteral("payload_log"))) {
        const QJsonValue dir = o.value(QStringLiteral("payload_log"));
        if (!dir.isString() || dir.toString().isEmpty())
            return invalidInput(QStringLiteral("%1.payload_log must be a folder's path").arg(where));
        m.payloadLog = pathValue(dir);
    }
    m.recentRequests = int(*recent);
    m.payloadLogMaxBytes = *maxBytes;
    m.payloadLogFiles = int(*files);
    return {};
}

} // namespace

QString AgentConfig::usage()
{
    return QStringLiteral(
        "usage: mlwb-agent --listen HOST:PORT --state DIR --token-file F --trusted-keys DIR\n"
        "                  [--tls-cert C --tls-key K] [--config F] [--threads N]\n"
        "                  [--max-batch-size N] [--max-queue-delay-us N] [--max-queue-length N]\n"
        "                  [--inference-needs-token] [--payload-log DIR]\n"
        "Serves sealed packages over the Open Inference Protocol v2 (docs/agent.md).\n");
}

Status AgentConfig::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalidInput(QStringLiteral("--config %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return invalidInput(QStringLiteral("%1 is not a JSON object: %2 at byte %3").arg(path, error.errorString()).arg(error.offset));
    const QJsonObject o = doc.object();
    const QString dir = QFileInfo(path).absolutePath();
    auto pathValue = [&](const QJsonValue &v) {
        const QString p = v.toString();
        return p.isEmpty() || QFileInfo(p).isAbsolute() ? p : dir + QLatin1Char('/') + p; // relative to the file
    };
    if (o.contains(QStringLiteral("listen")))
        if (Status s = parseListen(o.value(QStringLiteral("listen")).toString(), host, port, path + QStringLiteral(": listen")); !s)
            return s;
    if (o.contains(QStringLiteral("state")))
        stateDir = pathValue(o.value(QStringLiteral("state")));
    if (o.contains(QStringLiteral("token_file")))
        tokenFile = pathValue(o.value(QStringLiteral("token_file")));
    if (o.contains(QStringLiteral("trusted_keys")))
        trustedKeysDir = pathValue(o.value(QStringLiteral("trusted_keys")));
    const QJsonObject tlsObject = o.value(QStringLiteral("tls")).toObject();
    if (tlsObject.contains(QStringLiteral("cert")))
        tlsCert = pathValue(tlsObject.value(QStringLiteral("cert")));
    if (tlsObject.contains(QStringLiteral("key")))
        tlsKey = pathValue(tlsObject.value(QStringLiteral("key")));
    inferenceNeedsToken = o.value(QStringLiteral("inference_needs_token")).toBool(inferenceNeedsToken);
    const QJsonObject l = o.value(QStringLiteral("limits")).toObject();
    const QString lw = path + QStringLiteral(": limits");
    Result<qint64> body = positive(l, "max_body_bytes", limits.maxBodyBytes, lw);
    Result<qint64> conns = positive(l, "max_connections", limits.maxConnections, lw);
    Result<qint64> read = positive(l, "read_timeout_ms", limits.readTimeoutMs, lw);
    Result<qint64> write = positive(l, "write_timeout_ms", limits.writeTimeoutMs, lw);
    Result<qint64> keep = positive(l, "keep_alive_ms", limits.keepAliveMs, lw);
    Result<qint64> threadCount = positive(o, "threads", threads, path, 0);
    for (const Result<qint64> *r : {&body, &conns, &read, &write, &keep, &threadCount})
        if (!*r)
            return r->failure();
    limits = Limits{*body, int(*conns), int(*read), int(*write), int(*keep)};
    threads = int(*threadCount);
    if (Status s = readBatching(o.value(QStringLiteral("batching")).toObject(), batching, path + QStringLiteral(": batching")); !s)
        return s;
    if (Status s = readMonitoring(o.value(QStringLiteral("monitoring")), monitoring, path, pathValue); !s)
        return s;
    const QJsonObject models = o.value(QStringLiteral("models")).toObject();
    for (auto it = models.begin(); it != models.end(); ++it) {
        DynamicBatcher::Options b = batching;
        if (Status s = readBatching(it.value().toObject().value(QStringLiteral("batching")).toObject(), b,
                                    QStringLiteral("%1: models.%2.batching").arg(path, it.key()));
            !s)
            return s;
        batchingByModel[it.key()] = b;
    }
    return {};
}

Result<AgentConfig> AgentConfig::fromArguments(const QStringList &arguments)
{
    AgentConfig c;
    // The config file first, so that the command line wins.
    if (const qsizetype i = arguments.indexOf(QStringLiteral("--config")); i >= 0) {
        if (i + 1 >= arguments.size())
            return invalidInput(QStringLiteral("--config needs a file"));
        if (Status s = c.readFile(arguments[i + 1]); !s)
            return s.failure();
    }
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString a = arguments[i];
        if (a == QLatin1String("--inference-needs-token")) {
            c.inferenceNeedsToken = true;
            continue;
        }
        if (!a.startsWith(QLatin1String("--")))
            return invalidInput(QStringLiteral("unexpected argument \"%1\"").arg(a));
        if (i + 1 >= arguments.size())
            return invalidInput(QStringLiteral("%1 needs a value").arg(a));
        const QString v = arguments[++i];
        auto number = [&](qint64 min) -> Result<qint64> {
            bool ok = false;
            const qint64 n = v.toLongLong(&ok);
            if (!ok || n < min)
                return invalidInput(QStringLiteral("%1 must be an integer of at least %2, not \"%3\"").arg(a).arg(min).arg(v));
            return n;
        };
        if (a == QLatin1String("--listen")) {
            if (Status s = parseListen(v, c.host, c.port, a); !s)
                return s.failure();
        } else if (a == QLatin1String("--state")) {
            c.stateDir = v;
        } else if (a == QLatin1String("--token-file")) {
            c.tokenFile = v;
        } else if (a == QLatin1String("--trusted-keys")) {
            c.trustedKeysDir = v;
        } else if (a == QLatin1String("--tls-cert")) {
            c.tlsCert = v;
        } else if (a == QLatin1String("--tls-key")) {
            c.tlsKey = v;
        } else if (a == QLatin1String("--payload-log")) {
            if (v.isEmpty())
                return invalidInput(QStringLiteral("--payload-log needs a folder"));
            c.monitoring.payloadLog = v;
        } else if (a == QLatin1String("--config")) {
            // read above
        } else if (a == QLatin1String("--threads")) {
            Result<qint64> n = number(0);
            if (!n)
                return n.failure();
            c.threads = int(*n);
        } else if (a == QLatin1String("--max-batch-size") || a == QLatin1String("--max-queue-delay-us") ||
                   a == QLatin1String("--max-queue-length")) {
            Result<qint64> n = number(a == QLatin1String("--max-queue-delay-us") ? 0 : 1);
            if (!n)
                return n.failure();
            if (a == QLatin1String("--max-batch-size"))
                c.batching.maxBatchSize = *n;
            else if (a == QLatin1String("--max-queue-delay-us"))
                c.batching.maxQueueDelay = std::chrono::microseconds(*n);
            else
                c.batching.maxQueueLength = *n;
        } else {
            return invalidInput(QStringLiteral("unknown option %1").arg(a));
        }
    }
    for (const auto &[option, value] : {std::pair{"--state", &c.stateDir}, std::pair{"--token-file", &c.tokenFile},
                                        std::pair{"--trusted-keys", &c.trustedKeysDir}})
        if (value->isEmpty())
            return invalidInput(QStringLiteral("%1 is required (or its key in --config)").arg(QLatin1String(option)));
    if (c.tlsCert.isEmpty() != c.tlsKey.isEmpty())
        return invalidInput(QStringLiteral("--tls-cert and --tls-key go together"));
    return c;
}

Result<QByteArray> AgentConfig::readToken() const
{
    QFile file(tokenFile);
    if (!file.open(QIODevice::ReadOnly))
        return invalidInput(QStringLiteral("--token-file %1: %2").arg(tokenFile, file.errorString()));
    struct stat st {};
    if (::fstat(file.handle(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        return invalidInput(QStringLiteral("--token-file %1 is readable by others (mode %2): chmod 600 it")
                                .arg(tokenFile)
                                .arg(st.st_mode & 0777, 3, 8, QLatin1Char('0')));
    const QByteArray token = file.readLine().trimmed();
    if (token.isEmpty())
        return invalidInput(QStringLiteral("--token-file %1 holds no token").arg(tokenFile));
    return token;
}

} // namespace mlwb
