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

struct Built {
    QByteArray mlp1, mlp2, cnn;
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
    auto mlp = trainAndPackage(QStringLiteral("mlp"), {QStringLiteral("1.0.0"), QStringLiteral("1.1.0")});
    if (!mlp)
        return mlp.failure();
    auto cnn = trainAndPackage(QStringLiteral("cnn"), {QStringLiteral("1.0.0")});
    if (!cnn)
        return cnn.failure();
    b.mlp1 = mlp->at(0);
    b.mlp2 = mlp->at(1);
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

// A lean keep-alive client for the load: the prebuilt request out, the answer's status and
// Content-Length read straight from the bytes (parsing every header into a map cost the 64
// client threads about as much CPU as the agent spent, on the same 2 cores).
class LeanClient {
public:
    explicit LeanClient(int port) : m_conn(port) {}
    // The status of the answer, or 0 when the connection failed.
    int exchange(const QByteArray &request)
    {
        if (!m_conn.send(request))
            return 0;
        return m_conn.readStatus(60000);
    }

private:
    RawConnection m_conn;
};

// `clients` connections, each sending `each` single rows one after another.
Load runLoad(int port, const std::vector<QByteArray> &requests, int clients, int each)
{
    Load load;
    std::mutex mutex;
    std::atomic<int> failures{0};
    const auto begin = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            LeanClient conn(port);
            std::vector<std::pair<double, double>> mine;
            mine.reserve(size_t(each));
            for (int i = 0; i < each; ++i) {
                const auto t0 = Clock::now();
                const int status = conn.exchange(requests[size_t(c * 31 + i) % requests.size()]);
                const auto t1 = Clock::now();
                if (status != 200) {
                    ++failures;
                    if (status == 0)
                        return;
                    continue;
                }
                mine.emplace_back(micros(begin, t0), micros(t0, t1));
            }
            std::lock_guard lock(mutex);
            load.samples.insert(load.samples.end(), mine.begin(), mine.end());
        });
    for (auto &t : threads)
        t.join();
    load.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    load.failures = failures;
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
            (void)b.mlpEngine->predictRaw(std::span(b.rows).subspan(row * size_t(b.features), size_t(b.features)), 1, p);
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
    const int clients = 64, each = quick ? 10 : 60;
    auto throughput = [&](const QStringList &options, const char *what) -> std::pair<double, double> {
        AgentProcess a(dir.filePath(QString::fromLatin1(what)), b.trusted);
        if (!a.start(options))
            return {NAN, NAN};
        if (auto r = a.upload(b.cnn); !r || r->status != 200)
            return {NAN, NAN};
        runLoad(a.port(), cnnRequests, 8, 5); // warm the connections' paths
        const Load l = runLoad(a.port(), cnnRequests, clients, each);
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
        std::printf("  %-30s mean batch %.1f rows\n", what, batchRows / batches);
        const double rate = l.failures ? NAN : double(l.samples.size()) / l.seconds;
        const double p99 = percentile(latencies(l), 0.99) / 1000;
        std::printf("  %-30s %10.0f rows/s  p99 %8.1f ms  (%zu answers, %d failed)\n", what, rate, p99, l.samples.size(), l.failures);
        return {rate, p99};
    };
    // What one row costs the CNN in process, alone and in a batch of 64: the ceiling of batching.
    {
        std::vector<float> batch(b.rows.begin(), b.rows.begin() + 64 * b.features);
        InferenceEngine::Prediction q;
        for (int i = 0; i < 20; ++i)
            (void)b.cnnEngine->predictRaw(batch, 64, q);
        std::vector<double> one, many;
        for (int i = 0; i < (quick ? 50 : 500); ++i) {
            const auto t0 = Clock::now();
            (void)b.cnnEngine->predictRaw(std::span(batch).first(size_t(b.features)), 1, q);
            const auto t1 = Clock::now();
            (void)b.cnnEngine->predictRaw(batch, 64, q);
            const auto t2 = Clock::now();
            one.push_back(micros(t0, t1));
            many.push_back(micros(t1, t2) / 64);
        }
        std::printf("\ndigits CNN in process, per row: alone %.1f us, in a batch of 64 %.1f us (p50)\n", percentile(one, 0.5),
                    percentile(many, 0.5));
    }
    std::printf("\n%d clients x %d single rows, digits CNN\n", clients, each);
    const auto [off, offP99] = throughput({QStringLiteral("--max-batch-size"), QStringLiteral("1")}, "batching off");
    const auto [on, onP99] = throughput({QStringLiteral("--max-batch-size"), QStringLiteral("64"), QStringLiteral("--max-queue-delay-us"),
                                         QStringLiteral("2000")},
                                        "batching on (64 rows, 2 ms)");
    // Two batch workers: one gathers the next batch while the other runs its own.
    QFile two(dir.filePath(QStringLiteral("two-workers.json")));
    if (two.open(QIODevice::WriteOnly)) {
        two.write(R"({"batching": {"max_batch_size": 64, "max_queue_delay_microseconds": 2000, "instances": 2}})");
        two.close();
    }
    const auto [on2, on2P99] = throughput({QStringLiteral("--config"), two.fileName()}, "batching on, 2 workers");
    (void)offP99;
    (void)onP99;
    (void)on2P99;
    std::printf("  two workers over none: %.2fx\n", on2 / off);
    goals.atLeast("throughput with dynamic batching over without, 64 clients (x)", on / off, 3.0, "x");
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
    double swapFrom = 0, swapTo = 0;
    std::thread uploader([&] {
        while (!started)
            std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(quick ? 100 : 500));
        const auto t0 = Clock::now();
        auto r = swap.upload(b.mlp2);
        const auto t1 = Clock::now();
        if (!r || r->status != 200)
            std::fprintf(stderr, "bench_agent: the swap's upload failed: %s\n", r ? r->body.constData() : "no answer");
        swapFrom = double(std::chrono::duration_cast<std::chrono::microseconds>(t0.time_since_epoch()).count());
        swapTo = double(std::chrono::duration_cast<std::chrono::microseconds>(t1.time_since_epoch()).count());
    });
    const auto loadBegin = Clock::now();
    started = true;
    const Load swapped = runLoad(swap.port(), mlpRequests, swapClients, swapEach);
    uploader.join();
    swap.terminate();
    const double begin = double(std::chrono::duration_cast<std::chrono::microseconds>(loadBegin.time_since_epoch()).count());
    const std::vector<double> during = latencies(swapped, swapFrom - begin, swapTo - begin);
    const double steadyP99 = percentile(latencies(steady), 0.99) / 1000;
    const double duringP99 = percentile(during, 0.99) / 1000;
    std::printf("\n%d clients, digits MLP single rows, a new version uploaded and switched to under the load\n", swapClients);
    std::printf("  without a swap            p99 %7.2f ms  (%zu answers, %d failed)\n", steadyP99, steady.samples.size(), steady.failures);
    std::printf("  while the swap ran (%.0f ms) p99 %7.2f ms  (%zu answers in that window; %d failed in the run)\n",
                (swapTo - swapFrom) / 1000, duringP99, during.size(), swapped.failures);
    goals.atMost("p99 during a version swap over p99 without (x)", duringP99 / steadyP99, 2.0, "x");
    goals.atMost("requests lost during the swap", double(swapped.failures), 0, "");
    }
    return goals.exitCode();
}
