// SPDX-License-Identifier: MIT
// Tracking endpoint benchmark (issue #15): metric points per second logged through
// runs/log-batch (1,000 metrics per request, as MLflow's client batches them) by one client and
// by four at once, each on its own run over a kept-alive connection, against a TrackingServer on
// 127.0.0.1; every request answered 200 only after its points are committed. Baseline in the
// same run: the native MetricLogger (what training uses) logging as many points and flushing.
// The request bodies are made before the clock starts: the figure is the server's. Goal: at
// least 100k points/s through HTTP (MLflow's own server manages about 7.7k/s with its bulk insert).
//   bench_tracking [--quick] [--requests N] [--dir DIR]

#include "bench_goal.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "tracking/tracking_server.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

[[noreturn]] void die(const std::string &what)
{
    std::fprintf(stderr, "bench_tracking: %s\n", what.c_str());
    std::exit(1);
}

// A kept-alive HTTP/1.1 connection to 127.0.0.1:port; one request at a time.
class Connection {
public:
    explicit Connection(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
            die("cannot connect");
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~Connection() { ::close(m_fd); }

    // The status and body of the answer to POST `path` with `body`.
    std::pair<int, std::string> post(const std::string &path, const std::string &body)
    {
        std::string req = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body;
        for (size_t sent = 0; sent < req.size();) {
            const ssize_t n = ::send(m_fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                die("send failed");
            sent += size_t(n);
        }
        std::string in;
        char buf[65536];
        size_t headerEnd = std::string::npos;
        size_t length = 0;
        for (;;) {
            if (headerEnd == std::string::npos) {
                headerEnd = in.find("\r\n\r\n");
                if (headerEnd != std::string::npos) {
                    std::string head = in.substr(0, headerEnd);
                    for (auto &c : head)
                        c = char(std::tolower(c));
                    const size_t cl = head.find("content-length:");
                    length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15));
                }
            }
            if (headerEnd != std::string::npos && in.size() >= headerEnd + 4 + length)
                break;
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                die("the server closed the connection");
            in.append(buf, size_t(n));
        }
        const int status = std::atoi(in.c_str() + 9);
        return {status, in.substr(headerEnd + 4, length)};
    }

private:
    int m_fd = -1;
};

std::string json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString(); }

// The bodies of `requests` log-batch calls of 1,000 points each on `runId`: 10 keys x 100 steps.
std::vector<std::string> batches(const QString &runId, int requests, qint64 t0)
{
    std::vector<std::string> out;
    out.reserve(size_t(requests));
    for (int r = 0; r < requests; ++r) {
        QJsonArray metrics;
        for (int s = 0; s < 100; ++s)
            for (int k = 0; k < 10; ++k) {
                const qint64 step = qint64(r) * 100 + s;
                metrics.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("loss_%1").arg(k)},
                                           {QStringLiteral("value"), std::exp(-double(step) / 1e4) + k},
                                           {QStringLiteral("timestamp"), t0 + step},
                                           {QStringLiteral("step"), step}});
            }
        out.push_back(json({{QStringLiteral("run_id"), runId}, {QStringLiteral("metrics"), metrics}}));
    }
    return out;
}

QString createRun(Connection &c, const QString &name)
{
    auto [status, body] = c.post("/api/2.0/mlflow/runs/create",
                                 json({{QStringLiteral("experiment_id"), QStringLiteral("0")},
                                       {QStringLiteral("run_name"), name},
                                       {QStringLiteral("start_time"), QDateTime::currentMSecsSinceEpoch()}}));
    if (status != 200)
        die("runs/create: " + body);
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object().value(QLatin1String("run")).toObject().value(QLatin1String("info")).toObject().value(QLatin1String("run_id")).toString();
}

// Points/s with `clients` clients, each sending `requests` batches on its own run.
double throughput(int port, int clients, int requests, std::vector<QString> &runIds)
{
    std::vector<std::unique_ptr<Connection>> connections;
    std::vector<std::vector<std::string>> bodies;
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
    for (int c = 0; c < clients; ++c) {
        connections.push_back(std::make_unique<Connection>(port));
        const QString run = createRun(*connections.back(), QStringLiteral("bench %1 of %2").arg(c + 1).arg(clients));
        runIds.push_back(run);
        bodies.push_back(batches(run, requests, t0));
    }
    std::atomic<int> failures{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            while (!go.load())
                std::this_thread::yield();
            for (const std::string &b : bodies[size_t(c)])
                if (connections[size_t(c)]->post("/api/2.0/mlflow/runs/log-batch", b).first != 200)
                    failures.fetch_add(1);
        });
    QElapsedTimer clock;
    clock.start();
    go.store(true);
    for (auto &t : threads)
        t.join();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    if (failures.load())
        die(std::to_string(failures.load()) + " log-batch requests failed");
    return double(clients) * requests * 1000.0 / seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    auto option = [&args](const char *name, qint64 fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i > 0 && i + 1 < args.size() ? args.at(i + 1).toLongLong() : fallback;
    };
    const int requests = int(option("--requests", quick ? 10 : 200));
    QTemporaryDir tmp;
    QString dir = tmp.path();
    if (const qsizetype i = args.indexOf(QStringLiteral("--dir")); i > 0 && i + 1 < args.size())
        dir = args.at(i + 1);
    const QString path = QDir(dir).filePath(QStringLiteral("tracking.mlwb"));
    QFile::remove(path);
    auto file = ProjectFile::create(path);
    if (!file)
        die(file.error().toStdString());

    // Baseline: the native logger, as many points as one client sends, flushed.
    double nativeRate = 0;
    {
        RunRecord r;
        r.tracked = true;
        r.experimentId = 0;
        r.status = RunStatus::Running;
        auto run = RunRepository((*file)->db()).create(r);
        if (!run)
            die(run.error().toStdString());
        auto logger = MetricLogger::open(path);
        if (!logger)
            die(logger.error().toStdString());
        std::vector<MetricLogger::Key> keys;
        for (int k = 0; k < 10; ++k)
            keys.push_back((*logger)->key(QStringLiteral("loss_%1").arg(k)));
        QElapsedTimer clock;
        clock.start();
        const double wall = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        for (qint64 step = 0; step < qint64(requests) * 100; ++step)
            for (int k = 0; k < 10; ++k)
                (*logger)->log(*run, keys[size_t(k)], step, std::exp(-double(step) / 1e4) + k, wall + double(step) / 1000.0);
        if (auto s = (*logger)->flush(); !s)
            die(s.error().toStdString());
        nativeRate = double(requests) * 1000.0 / (double(clock.nsecsElapsed()) / 1e9);
        if (auto s = (*logger)->close(); !s)
            die(s.error().toStdString());
    }

    std::vector<QString> runs;
    double one = 0, four = 0, fourShared = 0;
    for (const auto writers : {TrackingService::Writers::PerRun, TrackingService::Writers::Shared}) {
        TrackingServer::Options options;
        options.port = 0;
        options.writers = writers;
        auto server = TrackingServer::start(path, options);
        if (!server)
            die(server.error().toStdString());
        (void)throughput((*server)->port(), 1, 2, runs); // warm-up: connections, statements, pages
        if (writers == TrackingService::Writers::PerRun) { // the endpoint's own setting
            one = throughput((*server)->port(), 1, requests, runs);
            four = throughput((*server)->port(), 4, requests / 2, runs);
        } else {
            fourShared = throughput((*server)->port(), 4, requests / 2, runs);
        }
        if (auto s = (*server)->stop(); !s)
            die(s.error().toStdString());
    }

    // Every point is in the file.
    MetricReader reader((*file)->db());
    qint64 stored = 0;
    for (const QString &run : runs)
        for (int k = 0; k < 10; ++k)
            stored += qint64(reader.series(run.toLongLong(), QStringLiteral("loss_%1").arg(k))->size());
    const qint64 sent = qint64(2 + requests + 4 * (requests / 2) + 2 + 4 * (requests / 2)) * 1000;
    std::printf("log-batch of 1,000 metrics, %d requests per client run (%lld points sent, %lld stored)\n", requests,
                static_cast<long long>(sent), static_cast<long long>(stored));
    if (stored != sent)
        die("points missing from the file");
    std::printf("baseline: the native MetricLogger, %d points, flushed: %.0f points/s\n", requests * 1000, nativeRate);
    std::printf("one client:   %.0f points/s (%.2fx the native logger)\n", one, one / nativeRate);
    std::printf("four clients: %.0f points/s together (%.2fx the native logger)\n", four, four / nativeRate);
    std::printf("four clients, one writer for all instead of one per run: %.0f points/s (%.2fx)\n", fourShared, fourShared / four);
    BenchGoals goals(quick);
    goals.atLeast("log-batch points/s through HTTP, one client", one, 100000.0, "points/s");
    goals.atLeast("log-batch points/s through HTTP, four clients", four, 100000.0, "points/s");
    return goals.exitCode();
}
