// SPDX-License-Identifier: MIT
// The serving agent against in-process inference of the same model, in the same run:
//   1. the latency the agent adds to one row over loopback (p50, p99), batching off;
//   2. throughput with 64 concurrent clients sending single rows, batching off and on, and the
//      p99 at that load (the digits CNN, where one row alone costs most of its time in
//      TorchScript's per-call overhead: what dynamic batching is for);
//   3. p99 while a new version is uploaded, warmed up and switched to under load, against the
//      p99 of the same load without a swap.
// Real mlwb-agent processes on 127.0.0.1 with ephemeral ports; raw-socket clients.

#include "agent_harness.h"

#include "data/csv_importer.h"
#include "common/prometheus_text.h"
#include "inference/torch_runtime.h"

#include "bench_goal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include <sys/epoll.h>

using namespace mlwb;
using namespace mlwb::test;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

double micros(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::micro>(b - a).count();
}

// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return NAN;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' '); // after "(comm)"
    if (fields.size() < 13)
        return NAN;
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(::sysconf(_SC_CLK_TCK));
}

double cpuSecondsOfThisProcess()
{
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

struct Built {
    QByteArray mlp1, mlp2, cnn;
    QList<QByteArray> mlpLater; // 1.2.0 to 1.4.0: the further swaps of part 3
    QString trusted;
    std::shared_ptr<InferenceEngine> mlpEngine, cnnEngine;
    std::vector<float> rows; // raw test rows, 64 features each
    qint64 features = 0;
};

Result<Built> build(const QTemporaryDir &dir, bool quick)
{
    qputenv("MLWB_CONFIG_DIR", dir.filePath(QStringLiteral("config")).toUtf8());
    auto key = KeyStore().signingKey();
    if (!key)
        return key.failure();
    auto project = ProjectFile::create(dir.filePath(QStringLiteral("bench.mlwb")));
    if (!project)
        return project.failure();
    ImportOptions options;
    options.target = QStringLiteral("digit");
    options.imageShape = std::array<int, 3>{1, 8, 8};
    if (auto id = DatasetCatalog((*project)->db()).importCsv(QStringLiteral(MLWB_DATASETS_DIR "/digits.csv"), QStringLiteral("digits"), options); !id)
        return id.failure();
    Built b;
    auto trainAndPackage = [&](const QString &templ, const QStringList &versions) -> Result<QList<QByteArray>> {
        const QString model = QStringLiteral("digits-") + templ;
        if (auto m = ModelCatalog((*project)->db()).createFromTemplate(model, QStringLiteral("digits"), templ); !m)
            return m.failure();
        TrainRequest r;
        r.modelName = model;
        r.config.epochs = quick ? 1 : 2;
        r.config.batchSize = 64;
        r.config.seed = 7;
        r.config.threads = 2;
        r.ownerLease = (*project)->leaseId();
        auto trained = TrainingSession::run((*project)->path(), r, nullptr);
        if (!trained)
            return trained.failure();
        QList<QByteArray> out;
        for (const QString &version : versions) {
            PackageBuilder::Request p;
            p.runId = trained->runId;
            p.name = model;
            p.version = version;
            p.projectName = QStringLiteral("bench.mlwb");
            auto built = PackageBuilder((*project)->db()).build(p, &*key);
            if (!built)
                return built.failure();
            out << built->archive;
        }
        return out;
    };
    auto mlp = trainAndPackage(QStringLiteral("mlp"), {QStringLiteral("1.0.0"), QStringLiteral("1.1.0"), QStringLiteral("1.2.0"),
                                                       QStringLiteral("1.3.0"), QStringLiteral("1.4.0")});
    if (!mlp)
        return mlp.failure();
    auto cnn = trainAndPackage(QStringLiteral("cnn"), {QStringLiteral("1.0.0")});
    if (!cnn)
        return cnn.failure();
    b.mlp1 = mlp->at(0);
    b.mlp2 = mlp->at(1);
    b.mlpLater = mlp->mid(2);
    b.cnn = cnn->at(0);
    b.trusted = dir.filePath(QStringLiteral("trusted"));
    QDir().mkpath(b.trusted);
    QFile pub(b.trusted + QStringLiteral("/bench.pub"));
    if (!pub.open(QIODevice::WriteOnly) || pub.write(key->publicKey().toText()) <= 0)
        return ioError(QStringLiteral("cannot write the trusted key"));
    pub.close();
    auto opened = SealedPackage::open(b.mlp1, QStringLiteral("mlp"), {key->publicKey()}, true);
    if (!opened)
        return opened.failure();
    auto engine = InferenceEngine::fromArchive(opened->entry(QString::fromLatin1(SealedPackage::kModelEntry)), QStringLiteral("mlp"));
    if (!engine)
        return engine.failure();
    b.mlpEngine = std::make_shared<InferenceEngine>(std::move(*engine));
    auto cnnOpened = SealedPackage::open(b.cnn, QStringLiteral("cnn"), {key->publicKey()}, true);
    if (!cnnOpened)
        return cnnOpened.failure();
    auto cnnEngine = InferenceEngine::fromArchive(cnnOpened->entry(QString::fromLatin1(SealedPackage::kModelEntry)), QStringLiteral("cnn"));
    if (!cnnEngine)
        return cnnEngine.failure();
    b.cnnEngine = std::make_shared<InferenceEngine>(std::move(*cnnEngine));
    b.features = b.mlpEngine->featureCount();
    auto data = CsvImporter::importFile(QStringLiteral(MLWB_DATASETS_DIR "/digits.csv"), options);
    if (!data)
        return data.failure();
    std::vector<qint64> ids(size_t(std::min<qint64>(200, data->table.rowCount())));
    std::iota(ids.begin(), ids.end(), 0);
    b.rows = b.mlpEngine->rawRows(data->table, ids);
    return b;
}

QByteArray request(const std::string &model, const std::vector<float> &rows, qint64 features, size_t row)
{
    QByteArray data;
    for (qint64 k = 0; k < features; ++k) {
        if (k)
            data += ',';
        data += QByteArray::number(double(rows[row * size_t(features) + size_t(k)]), 'g', 9);
    }
    const QByteArray body = R"({"inputs":[{"name":"INPUT__0","shape":[1,)" + QByteArray::number(features) +
                            R"(],"datatype":"FP32","data":[)" + data + "]}]}";
    return httpRequest("POST", QByteArray("/v2/models/") + model.c_str() + "/infer", body);
}

struct Load {
    std::vector<std::pair<double, double>> samples; // (start, latency) in us since the load began
    double seconds = 0;
    int failures = 0;
};

// The load: `clients` keep-alive connections, each sending `each` single rows one after
// another (a closed loop, as perf_analyzer's concurrency mode), all driven by one thread with
// epoll. A thread per connection cost the 64 clients about as much CPU as the agent spent on the
// same 2 cores, and the measurement became one of the client's scheduling; the answer's status
// and Content-Length are read straight from the bytes, for the same reason.
Load runLoad(int port, const std::vector<QByteArray> &requests, int clients, int each)
{
    struct Client {
        int fd = -1;
        int index = 0;
        int sent = 0;
        QByteArray in;
        Clock::time_point t0;
        std::vector<std::pair<double, double>> samples;
    };
    Load load;
    const auto begin = Clock::now();
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<Client> all(static_cast<size_t>(clients));
    auto sendNext = [&](Client &c) -> bool {
        const QByteArray &r = requests[size_t(c.index * 31 + c.sent) % requests.size()];
        c.t0 = Clock::now();
        qsizetype done = 0;
        while (done < r.size()) { // a request of a few hundred bytes: one send in practice
            const ssize_t n = ::send(c.fd, r.constData() + done, size_t(r.size() - done), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            done += n;
        }
        ++c.sent;
        return true;
    };
    auto finish = [&](Client &c) {
        ::epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        c.fd = -1;
    };
    int open = 0;
    for (int i = 0; i < clients; ++i) {
        Client &c = all[size_t(i)];
        c.index = i;
        c.samples.reserve(size_t(each));
        c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
            ::close(c.fd);
            c.fd = -1;
            load.failures += each;
            continue;
        }
        int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u32 = uint32_t(i);
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, c.fd, &e);
        ++open;
    }
    for (Client &c : all)
        if (c.fd >= 0 && !sendNext(c)) {
            load.failures += each;
            finish(c);
            --open;
        }
    epoll_event events[128];
    char buffer[65536];
    while (open > 0) {
        const int n = ::epoll_wait(epoll, events, 128, 60000);
        if (n <= 0) { // a minute without any answer: what is outstanding is lost
            for (Client &c : all)
                if (c.fd >= 0) {
                    load.failures += each - int(c.samples.size());
                    finish(c);
                }
            break;
        }
        for (int k = 0; k < n; ++k) {
            Client &c = all[events[k].data.u32];
            if (c.fd < 0)
                continue;
            const ssize_t got = ::recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (got <= 0) {
                if (got < 0 && (errno == EAGAIN || errno == EINTR))
                    continue;
                load.failures += each - int(c.samples.size());
                finish(c);
                --open;
                continue;
            }
            c.in.append(buffer, got);
            for (;;) {
                const qsizetype headerEnd = c.in.indexOf("\r\n\r\n");
                if (headerEnd < 0)
                    break;
                const qsizetype at = c.in.indexOf("Content-Length: ");
                const qsizetype length = at >= 0 && at < headerEnd ? std::atoll(c.in.constData() + at + 16) : 0;
                if (c.in.size() < headerEnd + 4 + length)
                    break;
                const int status = c.in.size() > 12 ? std::atoi(c.in.constData() + 9) : 0;
                c.in.remove(0, headerEnd + 4 + length);
                const auto t1 = Clock::now();
                if (status == 200)
                    c.samples.emplace_back(micros(begin, c.t0), micros(c.t0, t1));
                else
                    ++load.failures;
                if (c.sent == each) {
                    finish(c);
                    --open;
                    break;
                }
                if (!sendNext(c)) {
                    load.failures += each - c.sent;
                    finish(c);
                    --open;
                    break;
                }
            }
        }
    }
    ::close(epoll);
    load.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    for (const Client &c : all)
        load.samples.insert(load.samples.end(), c.samples.begin(), c.samples.end());
    return load;
}

std::vector<double> latencies(const Load &l, double from = -1, double to = 1e18)
{
    std::vector<double> v;
    for (const auto &[start, latency] : l.samples)
        if (start >= from && start <= to)
            v.push_back(latency);
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    // --only N runs one part (1 latency, 2 throughput, 3 swap).
    const qsizetype onlyAt = app.arguments().indexOf(QStringLiteral("--only"));
    const int only = onlyAt >= 0 ? app.arguments().value(onlyAt + 1).toInt() : 0;
    auto part = [only](int n) { return only == 0 || only == n; };
    TorchRuntime::initialize(1);
    bench::BenchGoals goals(quick);
    QTemporaryDir dir;
    auto built = build(dir, quick);
    if (!built) {
        std::fprintf(stderr, "bench_agent: %s\n", qPrintable(built.error()));
        return 1;
    }
    const Built &b = *built;
    const size_t rowCount = b.rows.size() / size_t(b.features);
    std::vector<QByteArray> mlpRequests, cnnRequests;
    for (size_t r = 0; r < rowCount; ++r) {
        mlpRequests.push_back(request("digits-mlp", b.rows, b.features, r));
        cnnRequests.push_back(request("digits-cnn", b.rows, b.features, r));
    }
    std::printf("agent benchmark: digits MLP and CNN (64 raw features), %s\n", quick ? "--quick" : "full");

    // 1. One row at a time: the agent (batching off) against the engine in process.
    if (part(1)) {
    const int single = quick ? 500 : 10000;
    AgentProcess plain(dir.filePath(QStringLiteral("a1")), b.trusted);
    if (!plain.start({QStringLiteral("--max-batch-size"), QStringLiteral("1")})) {
        std::fprintf(stderr, "bench_agent: %s\n", qPrintable(plain.error()));
        return 1;
    }
    if (auto r = plain.upload(b.mlp1); !r || r->status != 200) {
        std::fprintf(stderr, "bench_agent: upload failed: %s\n", r ? r->body.constData() : "no answer");
        return 1;
    }
    std::vector<double> inProcess, overHttp;
    InferenceEngine::Prediction p;
    {
        RawConnection conn(plain.port());
        for (int i = 0; i < single + 500; ++i) {
            const size_t row = size_t(i) % rowCount;
            const auto t0 = Clock::now();
            if (Status s = b.mlpEngine->predictRaw(std::span(b.rows).subspan(row * size_t(b.features), size_t(b.features)), 1, p); !s) {
                std::fprintf(stderr, "bench_agent: the MLP in process: %s\n", qPrintable(s.error()));
                return 1;
            }
            const auto t1 = Clock::now();
            conn.send(mlpRequests[row]);
            auto r = conn.read();
            const auto t2 = Clock::now();
            if (i < 500)
                continue; // warm-up
            inProcess.push_back(micros(t0, t1));
            if (r && r->status == 200)
                overHttp.push_back(micros(t1, t2));
        }
    }
    const double addedP50 = percentile(overHttp, 0.5) - percentile(inProcess, 0.5);
    const double addedP99 = percentile(overHttp, 0.99) - percentile(inProcess, 0.99);
    std::printf("\none row, digits MLP (%zu requests)     p50 us    p99 us\n", overHttp.size());
    std::printf("  in process (InferenceEngine)     %8.1f  %8.1f\n", percentile(inProcess, 0.5), percentile(inProcess, 0.99));
    std::printf("  through the agent, loopback      %8.1f  %8.1f\n", percentile(overHttp, 0.5), percentile(overHttp, 0.99));
    std::printf("  added by the agent               %8.1f  %8.1f\n", addedP50, addedP99);
    goals.atMost("latency the agent adds to one row, p50 (us)", addedP50, 60, "us");
    plain.terminate();
    }

    // 2. 64 clients, single rows of the CNN, batching off and on.
    if (part(2)) {
    const int clients = 64, each = quick ? 10 : 150;
    auto throughput = [&](const QStringList &options, const char *what) -> double { // rows/s; its p99 is printed
        AgentProcess a(dir.filePath(QString::fromLatin1(what)), b.trusted);
        if (!a.start(options))
            return NAN;
        if (auto r = a.upload(b.cnn); !r || r->status != 200)
            return NAN;
        runLoad(a.port(), cnnRequests, 8, 5); // warm the connections' paths
        const double agentCpu0 = cpuSeconds(a.pid()), clientCpu0 = cpuSecondsOfThisProcess();
        const Load l = runLoad(a.port(), cnnRequests, clients, each);
        const double agentCpu = cpuSeconds(a.pid()) - agentCpu0, clientCpu = cpuSecondsOfThisProcess() - clientCpu0;
        // The batches the agent ran, from its own /metrics.
        double batches = NAN, batchRows = NAN;
        if (auto m = call(a.port(), "GET", "/metrics")) {
            auto text = PrometheusText::parse(m->body, QStringLiteral("/metrics"));
            if (text)
                for (const PrometheusText::Family &family : text->families())
                for (const PrometheusText::Sample &sample : family.samples) {
                    if (sample.name == QLatin1String("mlwb_agent_batch_size_count"))
                        batches = sample.value;
                    if (sample.name == QLatin1String("mlwb_agent_batch_size_sum"))
                        batchRows = sample.value;
                }
        }
        a.terminate();
        std::printf("  %-30s mean batch %.1f rows; CPU per answer: agent %.0f us, client %.0f us\n", what, batchRows / batches,
                    agentCpu / double(l.samples.size()) * 1e6, clientCpu / double(l.samples.size()) * 1e6);
        const double rate = l.failures ? NAN : double(l.samples.size()) / l.seconds;
        const double p99 = percentile(latencies(l), 0.99) / 1000;
        std::printf("  %-30s %10.0f rows/s  p99 %8.1f ms  (%zu answers, %d failed)\n", what, rate, p99, l.samples.size(), l.failures);
        return rate;
    };
    // What one row costs the CNN in process, alone and in batches, on one intra-op thread as the
    // agent runs it (training in build() left two): the model's own ceiling for batching, before
    // any cost a request has whether it is batched or not (HTTP, JSON, the client's side).
    double modelCeiling = NAN;
    {
        TorchRuntime::initialize(1);
        std::vector<float> batch(b.rows.begin(), b.rows.begin() + 64 * b.features);
        InferenceEngine::Prediction q;
        for (int i = 0; i < 20; ++i)
            if (Status s = b.cnnEngine->predictRaw(batch, 64, q); !s) {
                std::fprintf(stderr, "bench_agent: the CNN in process: %s\n", qPrintable(s.error()));
                return 1;
            }
        const std::vector<qint64> sizes{1, 8, 27, 64};
        std::vector<std::vector<double>> perRow(sizes.size());
        for (size_t k = 0; k < sizes.size(); ++k) // each size warm, one after another
            for (int i = 0; i < (quick ? 20 : 200); ++i) {
                const auto t0 = Clock::now();
                if (Status s = b.cnnEngine->predictRaw(std::span(batch).first(size_t(sizes[k] * b.features)), sizes[k], q); !s) {
                    std::fprintf(stderr, "bench_agent: the CNN in process, %lld rows: %s\n", sizes[k], qPrintable(s.error()));
                    return 1;
                }
                perRow[k].push_back(micros(t0, Clock::now()) / double(sizes[k]));
            }
        std::printf("\ndigits CNN in process, one thread, per row (p50):");
        for (size_t k = 0; k < sizes.size(); ++k)
            std::printf(" %s %.1f us%s", sizes[k] == 1 ? "alone" : qPrintable(QStringLiteral("in %1").arg(sizes[k])),
                        percentile(perRow[k], 0.5), k + 1 < sizes.size() ? "," : "\n");
        modelCeiling = percentile(perRow.front(), 0.5) / percentile(perRow.back(), 0.5);
        std::printf("  the model's own ceiling for batching (alone / in 64): %.2fx\n", modelCeiling);
    }
    std::printf("\n%d clients x %d single rows, digits CNN\n", clients, each);
    const double off = throughput({QStringLiteral("--max-batch-size"), QStringLiteral("1")}, "batching off");
    const double on = throughput({QStringLiteral("--max-batch-size"), QStringLiteral("64"), QStringLiteral("--max-queue-delay-us"),
                                         QStringLiteral("2000")},
                                        "batching on (64 rows, 2 ms)");
    // No window: a batch runs as soon as the worker is free, with whatever has queued while the
    // last one ran (under a closed loop of 64 clients, the batch fills while the model runs).
    const double now = throughput({QStringLiteral("--max-batch-size"), QStringLiteral("64"), QStringLiteral("--max-queue-delay-us"),
                                           QStringLiteral("0")},
                                          "batching on (64 rows, no wait)");
    // Two batch workers: one gathers the next batch while the other runs its own.
    QFile two(dir.filePath(QStringLiteral("two-workers.json")));
    if (!two.open(QIODevice::WriteOnly) ||
        two.write(R"({"batching": {"max_batch_size": 32, "max_queue_delay_microseconds": 1000, "instances": 2}})") <= 0 ||
        !two.flush()) {
        std::fprintf(stderr, "bench_agent: cannot write %s: %s\n", qPrintable(two.fileName()), qPrintable(two.errorString()));
        return 1;
    }
    two.close();
    const double on2 = throughput({QStringLiteral("--config"), two.fileName()}, "batching on (32 rows, 1 ms), 2 workers");
    // The goal takes the best of the three settings, as a user tuning max_batch_size, the
    // window and the instances would; each one's ratio is printed.
    std::printf("  over batching off: %.2fx (64 rows, 2 ms), %.2fx (no wait), %.2fx (2 workers); the model alone allows %.2fx\n",
                on / off, now / off, on2 / off, modelCeiling);
    const double best = std::max({on, now, on2});
    goals.atLeast("throughput with dynamic batching over without, 64 clients, best setting (x)", best / off, 3.0, "x");
    }

    // 3. p99 while a version is swapped in under load, against the same load without a swap.
    if (part(3)) {
    AgentProcess swap(dir.filePath(QStringLiteral("a4")), b.trusted);
    if (!swap.start() || !swap.upload(b.mlp1)) {
        std::fprintf(stderr, "bench_agent: %s\n", qPrintable(swap.error()));
        return 1;
    }
    const int swapClients = 16, swapEach = quick ? 300 : 3000;
    runLoad(swap.port(), mlpRequests, 4, 50);
    const Load steady = runLoad(swap.port(), mlpRequests, swapClients, swapEach);
    std::atomic<bool> started{false};
    // Four swaps in one load (1.1.0 to 1.4.0, each uploaded, verified, warmed up and switched
    // to), so the window holds a few thousand answers rather than a few hundred.
    std::vector<std::pair<double, double>> windows; // (from, to) in us of the steady clock
    QList<QByteArray> versions = {b.mlp2};
    versions += b.mlpLater;
    std::thread uploader([&] {
        if (qEnvironmentVariableIsSet("XIDLE")) { sched_param idle{}; ::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &idle); }
        while (!started)
            std::this_thread::yield();
        for (const QByteArray &next : versions) {
            std::this_thread::sleep_for(std::chrono::milliseconds(quick ? 50 : 300));
            const auto t0 = Clock::now();
            auto r = swap.upload(next);
            const auto t1 = Clock::now();
            if (!r || r->status != 200)
                std::fprintf(stderr, "bench_agent: a swap's upload failed: %s\n", r ? r->body.constData() : "no answer");
            windows.emplace_back(double(std::chrono::duration_cast<std::chrono::microseconds>(t0.time_since_epoch()).count()),
                                 double(std::chrono::duration_cast<std::chrono::microseconds>(t1.time_since_epoch()).count()));
        }
    });
    const auto loadBegin = Clock::now();
    started = true;
    const Load swapped = runLoad(swap.port(), mlpRequests, swapClients, swapEach);
    uploader.join();
    swap.terminate();
    const double begin = double(std::chrono::duration_cast<std::chrono::microseconds>(loadBegin.time_since_epoch()).count());
    std::vector<double> during;
    double swapMs = 0;
    for (const auto &[from, to] : windows) {
        const std::vector<double> in = latencies(swapped, from - begin, to - begin);
        during.insert(during.end(), in.begin(), in.end());
        swapMs += (to - from) / 1000;
    }
    // Where in each swap the slow answers (over twice the steady p99) fell: by tenth of the
    // upload's window (receiving and verifying first, the switch last), then the 20 ms after.
    // A count of 8 or 16 is one stall of one HTTP thread's connections or of both threads'.
    {
        const double slow = 2 * percentile(latencies(steady), 0.99);
        for (const auto &[from, to] : windows) {
            std::vector<int> tenths(11, 0);
            for (const auto &[start, latency] : swapped.samples) {
                const double at = start + begin;
                if (at >= from && at <= to + 20000 && latency > slow)
                    ++tenths[size_t(std::min(10.0, (at - from) / (to - from) * 10))];
            }
            std::printf("  a swap of %3.0f ms, slow answers by tenth, then after:", (to - from) / 1000);
            for (int n : tenths)
                std::printf(" %d", n);
            std::printf("\n");
        }
    }
    const double steadyP99 = percentile(latencies(steady), 0.99) / 1000;
    const double duringP99 = percentile(during, 0.99) / 1000;
    std::printf("\n%d clients, digits MLP single rows, %zu new versions uploaded and switched to under the load\n", swapClients,
                windows.size());
    std::printf("  without a swap            p99 %7.2f ms  (%zu answers, %d failed)\n", steadyP99, steady.samples.size(), steady.failures);
    std::printf("  while a swap ran (%.0f ms each) p99 %7.2f ms  (%zu answers in those windows; %d failed in the run)\n",
                swapMs / double(std::max<size_t>(1, windows.size())), duringP99, during.size(), swapped.failures);
    goals.atMost("p99 during a version swap over p99 without (x)", duringP99 / steadyP99, 2.0, "x");
    goals.atMost("requests lost during the swap", double(swapped.failures), 0, "");
    }
    return goals.exitCode();
}
