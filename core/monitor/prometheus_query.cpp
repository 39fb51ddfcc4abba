// SPDX-License-Identifier: MIT
#include "monitor/prometheus_query.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace mlwb {

namespace {

bool deltaByName(const QString &name)
{
    return name.endsWith(QLatin1String("_total")) || name.endsWith(QLatin1String("_bucket"))
           || name.endsWith(QLatin1String("_sum")) || name.endsWith(QLatin1String("_count"));
}

Result<double> parseValue(const QJsonValue &v)
{
    if (!v.isString())
        return Error{QStringLiteral("a sample value that is not a string"), ErrorKind::InvalidInput};
    const QString s = v.toString();
    if (s == QLatin1String("NaN"))
        return std::numeric_limits<double>::quiet_NaN();
    if (s == QLatin1String("+Inf"))
        return std::numeric_limits<double>::infinity();
    if (s == QLatin1String("-Inf"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double d = s.toDouble(&ok);
    if (!ok)
        return Error{QStringLiteral("the sample value \"%1\" is not a number").arg(s.left(40)), ErrorKind::InvalidInput};
    return d;
}

} // namespace

PrometheusQuery::PrometheusQuery(QUrl base, int timeoutMs) : m_base(std::move(base)), m_timeoutMs(timeoutMs) {}

qint64 PrometheusQuery::stepFor(qint64 fromMs, qint64 toMs, qint64 wantedMs)
{
    const qint64 range = std::max<qint64>(0, toMs - fromMs);
    qint64 step = std::max<qint64>(1000, wantedMs);
    // points = floor(range / step) + 1 <= max
    const qint64 minStep = (range + kMaxPointsPerSeries - 2) / (kMaxPointsPerSeries - 1);
    step = std::max(step, minStep);
    return (step + 999) / 1000 * 1000; // whole seconds, never narrower
}

Result<QList<PrometheusQuery::Series>> PrometheusQuery::parseMatrix(const QByteArray &body, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (!doc.isObject())
        return Error{QStringLiteral("%1: the answer is not a JSON object (%2)").arg(source, parseError.errorString()),
                     ErrorKind::InvalidInput};
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("status")).toString() != QLatin1String("success"))
        return Error{QStringLiteral("%1: Prometheus answered %2: %3")
                         .arg(source, o.value(QLatin1String("errorType")).toString(QStringLiteral("an error")),
                              o.value(QLatin1String("error")).toString(QStringLiteral("(no message)"))),
                     ErrorKind::InvalidInput};
    const QJsonObject data = o.value(QLatin1String("data")).toObject();
    if (data.value(QLatin1String("resultType")).toString() != QLatin1String("matrix"))
        return Error{QStringLiteral("%1: the result is \"%2\", not a matrix").arg(source, data.value(QLatin1String("resultType")).toString()),
                     ErrorKind::InvalidInput};
    QList<Series> out;
    const QJsonArray result = data.value(QLatin1String("result")).toArray();
    for (qsizetype i = 0; i < result.size(); ++i) {
        const QJsonObject r = result[i].toObject();
        Series s;
        const QJsonObject metric = r.value(QLatin1String("metric")).toObject();
        for (auto it = metric.begin(); it != metric.end(); ++it)
            s.labels.append({it.key(), it.value().toString()});
        const QJsonArray values = r.value(QLatin1String("values")).toArray();
        s.points.reserve(values.size());
        for (qsizetype j = 0; j < values.size(); ++j) {
            const QJsonArray pair = values[j].toArray();
            if (pair.size() != 2 || !pair[0].isDouble())
                return Error{QStringLiteral("%1: result %2, value %3 is not [time, \"value\"]").arg(source).arg(i).arg(j),
                             ErrorKind::InvalidInput};
            Result<double> v = parseValue(pair[1]);
            if (!v)
                return v.failure().reworded(QStringLiteral("%1: result %2, value %3: %4").arg(source).arg(i).arg(j).arg(v.error()));
            s.points.emplace_back(qint64(std::llround(pair[0].toDouble() * 1000.0)), *v);
        }
        out.append(std::move(s));
    }
    return out;
}

QUrl PrometheusQuery::rangeUrl(const QString &query, qint64 fromMs, qint64 toMs, qint64 stepMs) const
{
    QUrl url = m_base;
    QString path = m_base.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/v1/query_range"));
    const auto item = [](const char *key, const QString &value) {
        return QString::fromLatin1(key) + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value));
    };
    const auto seconds = [](qint64 ms) { return QString::number(double(ms) / 1000.0, 'f', 3); };
    url.setQuery(QStringList{item("query", query), item("start", seconds(fromMs)), item("end", seconds(toMs)), item("step", seconds(stepMs))}
                     .join(QLatin1Char('&')),
                 QUrl::StrictMode);
    return url;
}

Result<QList<PrometheusQuery::Series>> PrometheusQuery::queryRange(const QString &query, qint64 fromMs, qint64 toMs,
                                                                   qint64 stepMs) const
{
    const QUrl url = rangeUrl(query, fromMs, toMs, stepMs);
    const QString source = QStringLiteral("Prometheus %1, query %2").arg(m_base.toString(), query);

    // Qt's network stack needs the application object: without it the event loop below would
    // never see the reply finish and spin for ever.
    if (!QCoreApplication::instance())
        return Error{QStringLiteral("%1: cannot ask without a QCoreApplication in this process (Qt's network stack needs its event loop)")
                         .arg(source),
                     ErrorKind::Internal};
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    // The transfer timeout covers a stalled transfer; this covers everything else (a connect
    // that never completes, a reply that never finishes).
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(m_timeoutMs + 1000);
    if (!reply->isFinished())
        loop.exec();
    if (!reply->isFinished()) {
        reply->abort();
        reply->deleteLater();
        return Error{QStringLiteral("%1: no answer within %2 s").arg(source).arg(double(m_timeoutMs + 1000) / 1000.0), ErrorKind::Io};
    }
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError netError = reply->error();
    const QString netText = reply->errorString();
    reply->deleteLater();
    if (status == 0)
        return Error{QStringLiteral("%1: no answer (%2)").arg(source, netText), ErrorKind::Io};
    Result<QList<Series>> parsed = parseMatrix(body, source);
    if (!parsed && netError != QNetworkReply::NoError)
        return parsed.failure().reworded(QStringLiteral("%1 (HTTP %2)").arg(parsed.error()).arg(status));
    return parsed;
}

Result<QList<MetricSnapshot>> PrometheusQuery::snapshots(const QString &job, qint64 fromMs, qint64 toMs,
                                                         qint64 stepMs) const
{
    QString selector = QStringLiteral("{__name__=~\"mlwb_agent_.+\"");
    if (!job.isEmpty()) {
        QString escaped = job;
        escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        selector += QStringLiteral(",job=\"%1\"").arg(escaped);
    }
    selector += QLatin1Char('}');
    Result<QList<Series>> series = queryRange(selector, fromMs, toMs, stepFor(fromMs, toMs, stepMs));
    if (!series)
        return series.failure();
    std::map<qint64, MetricSnapshot> byTime;
    for (const Series &s : *series) {
        QString name;
        QList<std::pair<QString, QString>> labels;
        for (const auto &[k, v] : s.labels) {
            if (k == QLatin1String("__name__"))
                name = v;
            else if (k != QLatin1String("job") && k != QLatin1String("instance"))
                labels.append({k, v});
        }
        if (name.isEmpty())
            continue;
        const MetricSnapshot::Key key{name, MetricSnapshot::canonicalLabels(labels)};
        const MetricSnapshot::Kind kind = deltaByName(name) ? MetricSnapshot::Kind::Delta : MetricSnapshot::Kind::Gauge;
        for (const auto &[t, v] : s.points) {
            auto it = byTime.find(t);
            if (it == byTime.end())
                it = byTime.emplace(t, MetricSnapshot(t)).first;
            it->second.set(key, kind, v);
        }
    }
    QList<MetricSnapshot> out;
    for (auto &[t, snap] : byTime)
        out.append(std::move(snap));
    return out;
}

} // namespace mlwb
