// SPDX-License-Identifier: MIT
// ModelRegistry, ServedModel and DynamicBatcher on real packages: verification before loading,
// the smoke test, the switch, the canary split, rollback, and the state after a restart.

#include "../checks/checks_fixture.h"

#include "package/package_archive.h"
#include "package/package_seal.h"
#include "serve/agent_state.h"
#include "serve/model_registry.h"
#include "serve/serve_metrics.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <future>
#include <cmath>
#include <thread>

#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace mlwb::test {
namespace {

inline QStringList strings(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << QString::fromUtf8(s);
    return out;
}


// `package` with one byte of its manifest changed and nothing sealed anew.
inline QByteArray tamperedCopy(const QByteArray &package)
{
    auto archive = PackageArchive::read(package, QStringLiteral("package"));
    if (!archive)
        return {};
    std::vector<PackageArchive::Entry> entries = archive->entries();
    for (PackageArchive::Entry &e : entries)
        if (e.name == QLatin1String("manifest.json"))
            e.data.replace("setosa", "Setosa");
    auto bytes = PackageArchive::write(entries);
    return bytes ? *bytes : QByteArray();
}

class ModelRegistryTest : public ChecksFixture {
protected:
    void SetUp() override
    {
        ChecksFixture::SetUp();
        if (HasFatalFailure())
            return;
        run = trainRun(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), QStringLiteral("species"),
                       QStringLiteral("mlp"), 5);
        ASSERT_GT(run, 0);
        auto a = build(run, QStringLiteral("iris-mlp"), QStringLiteral("1.0.0"));
        auto b = build(run, QStringLiteral("iris-mlp"), QStringLiteral("1.1.0"));
        ASSERT_TRUE(a) << qPrintable(a.error());
        ASSERT_TRUE(b) << qPrintable(b.error());
        v1 = a->archive;
        v2 = b->archive;
        options.trusted = {key->publicKey()};
        options.batching.maxBatchSize = 8;
        options.batching.maxQueueDelay = std::chrono::microseconds(2000);
        options.warmupRuns = 2;
    }

    std::unique_ptr<ModelRegistry> registry(const QString &dir = {})
    {
        auto state = AgentState::open(dir.isEmpty() ? path(QStringLiteral("agent")) : dir);
        EXPECT_TRUE(state) << qPrintable(state.error());
        auto r = std::make_unique<ModelRegistry>(std::move(*state), options, &metrics);
        EXPECT_TRUE(r->restore().isEmpty());
        return r;
    }

    static QJsonObject deployed(std::variant<QJsonObject, ModelRegistry::Refusal> outcome)
    {
        if (auto *refusal = std::get_if<ModelRegistry::Refusal>(&outcome)) {
            ADD_FAILURE() << qPrintable(refusal->error.message);
            return {};
        }
        return std::get<QJsonObject>(outcome);
    }

    QString answering(const ModelRegistry &r, const QString &id)
    {
        auto routed = r.route(QStringLiteral("iris-mlp"), QString(), &id);
        return routed.model ? routed.model->version() : QStringLiteral("none");
    }

    qint64 run = 0;
    QByteArray v1, v2;
    ServedModel::LoadOptions options;
    ServeMetrics metrics;
};

TEST_F(ModelRegistryTest, DeployCanaryPromoteRollback)
{
    auto r = registry();
    EXPECT_EQ(r->route(QStringLiteral("iris-mlp"), {}, nullptr).status, 404);
    QJsonObject first = deployed(r->deploy(v1, 0, QStringLiteral("alice@host")));
    EXPECT_EQ(first.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
    EXPECT_TRUE(first.value(QStringLiteral("previous")).isNull());
    EXPECT_GT(first.value(QStringLiteral("warmup_ms")).toDouble(), 0);
    EXPECT_TRUE(r->ready());

    QJsonObject canary = deployed(r->deploy(v2, 20, QStringLiteral("bob@host")));
    EXPECT_EQ(canary.value(QStringLiteral("state")).toString(), QStringLiteral("canary"));
    // By id: the same id always reaches the same version, and about 20% reach the canary.
    int toCanary = 0;
    for (int i = 0; i < 2000; ++i) {
        const QString id = QStringLiteral("request-%1").arg(i);
        const QString v = answering(*r, id);
        EXPECT_EQ(v, answering(*r, id));
        toCanary += v == QStringLiteral("1.1.0");
    }
    // Binomial(2000, 0.2): mean 400, sd 17.9; 5 sd either side.
    EXPECT_GT(toCanary, 310);
    EXPECT_LT(toCanary, 490);
    // A version in the path is that version.
    EXPECT_EQ(r->route(QStringLiteral("iris-mlp"), QStringLiteral("1.1.0"), nullptr).model->version(), QStringLiteral("1.1.0"));
    EXPECT_EQ(r->route(QStringLiteral("iris-mlp"), QStringLiteral("9.9.9"), nullptr).status, 404);

    auto promoted = r->promote(QStringLiteral("iris-mlp"), QStringLiteral("carol@host"));
    ASSERT_TRUE(promoted) << qPrintable(promoted.error());
    EXPECT_EQ(promoted->value(QStringLiteral("active")).toString(), QStringLiteral("1.1.0"));
    EXPECT_TRUE(promoted->value(QStringLiteral("canary")).isNull());
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(answering(*r, QString::number(i)), QStringLiteral("1.1.0"));
    EXPECT_FALSE(r->promote(QStringLiteral("iris-mlp"), {})); // no canary now

    auto back = r->rollback(QStringLiteral("iris-mlp"), QStringLiteral("carol@host"));
    ASSERT_TRUE(back) << qPrintable(back.error());
    EXPECT_EQ(back->value(QStringLiteral("active")).toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(r->rollback(QStringLiteral("iris-mlp"), {}).kind(), ErrorKind::Conflict); // nothing before 1.0.0

    const QJsonArray history = r->historyJson();
    QStringList actions;
    for (const QJsonValue &e : history)
        actions << e.toObject().value(QStringLiteral("action")).toString();
    EXPECT_EQ(actions, strings({"deploy", "canary", "promote", "rollback"}));
    EXPECT_EQ(history[1].toObject().value(QStringLiteral("by")).toString(), QStringLiteral("bob@host"));
}

TEST_F(ModelRegistryTest, TheStateComesBackAfterARestart)
{
    {
        auto r = registry();
        deployed(r->deploy(v1, 0, {}));
        deployed(r->deploy(v2, 30, {}));
    }
    auto again = registry(); // a new registry on the same directory: the process restarted
    auto m = again->modelJson(QStringLiteral("iris-mlp"));
    ASSERT_TRUE(m) << qPrintable(m.error());
    EXPECT_EQ(m->value(QStringLiteral("active")).toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(m->value(QStringLiteral("canary")).toObject().value(QStringLiteral("version")).toString(), QStringLiteral("1.1.0"));
    EXPECT_EQ(m->value(QStringLiteral("canary")).toObject().value(QStringLiteral("percent")).toInt(), 30);
    EXPECT_EQ(again->loaded().size(), 2u);
}

TEST_F(ModelRegistryTest, AVersionThatFailedToLoadAtRestartCanBeUploadedAgain)
{
    {
        auto r = registry();
        deployed(r->deploy(v1, 0, {}));
    }
    // The package file is damaged while the agent is down: the restart cannot load 1.0.0.
    auto state = AgentState::open(path(QStringLiteral("agent")));
    ASSERT_TRUE(state) << qPrintable(state.error());
    {
        QFile damaged(state->packagePath(QStringLiteral("iris-mlp"), QStringLiteral("1.0.0")));
        ASSERT_TRUE(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("not a package");
    }
    ModelRegistry again(std::move(*state), options, &metrics);
    EXPECT_EQ(again.restore().size(), 1);
    EXPECT_EQ(again.route(QStringLiteral("iris-mlp"), {}, nullptr).status, 503);

    // The same bytes uploaded again repair it: served, active as before, and recorded.
    QJsonObject repaired = deployed(again.deploy(v1, 0, QStringLiteral("alice@host")));
    EXPECT_EQ(repaired.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
    auto routed = again.route(QStringLiteral("iris-mlp"), {}, nullptr);
    ASSERT_TRUE(routed.model);
    EXPECT_EQ(routed.model->version(), QStringLiteral("1.0.0"));
    const QJsonArray history = again.historyJson();
    EXPECT_EQ(history.last().toObject().value(QStringLiteral("action")).toString(), QStringLiteral("reload"));
    // And the next restart loads it from the rewritten file.
    auto third = registry();
    EXPECT_EQ(third->loaded().size(), 1u);
}

TEST_F(ModelRegistryTest, ADamagedStateFileIsAnErrorNotAnEmptyAgent)
{
    const QString dir = path(QStringLiteral("agent"));
    QDir().mkpath(dir);
    QFile f(dir + QStringLiteral("/state.json"));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{\"format\": 1, \"models\": {\"m\": {\"versions\": [\"1.0.0\"], \"active\": \"2.0.0\"}}}");
    f.close();
    auto state = AgentState::open(dir);
    ASSERT_FALSE(state);
    EXPECT_EQ(state.kind(), ErrorKind::Corrupt);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("{\"format\": 2}");
    f.close();
    EXPECT_FALSE(AgentState::open(dir));
}

TEST_F(ModelRegistryTest, RefusedPackagesNeverTakeTraffic)
{
    auto r = registry();
    deployed(r->deploy(v1, 0, {}));

    // Unsigned.
    auto unsignedBuilt = build(run, QStringLiteral("iris-mlp"), QStringLiteral("2.0.0"), false);
    ASSERT_TRUE(unsignedBuilt);
    auto outcome = r->deploy(unsignedBuilt->archive, 0, {});
    ASSERT_TRUE(std::holds_alternative<ModelRegistry::Refusal>(outcome));
    EXPECT_EQ(std::get<ModelRegistry::Refusal>(outcome).error.kind, ErrorKind::Unauthorized);

    // Signed by a key the agent does not trust.
    auto stranger = SigningKey::generate(QStringLiteral("mallory@elsewhere"));
    ASSERT_TRUE(stranger);
    auto opened = SealedPackage::open(unsignedBuilt->archive, QStringLiteral("p"), {}, false);
    ASSERT_TRUE(opened);
    auto foreign = opened->resealed(&*stranger);
    ASSERT_TRUE(foreign);
    outcome = r->deploy(*foreign, 0, {});
    ASSERT_TRUE(std::holds_alternative<ModelRegistry::Refusal>(outcome));
    EXPECT_EQ(std::get<ModelRegistry::Refusal>(outcome).error.kind, ErrorKind::Unauthorized);
    EXPECT_TRUE(std::get<ModelRegistry::Refusal>(outcome).error.message.contains(QStringLiteral("not trusted")));

    // A byte changed after signing.
    const QByteArray tampered = tamperedCopy(v2);
    ASSERT_FALSE(tampered.isEmpty());
    ASSERT_NE(tampered, v2);
    outcome = r->deploy(tampered, 0, {});
    ASSERT_TRUE(std::holds_alternative<ModelRegistry::Refusal>(outcome));
    EXPECT_EQ(std::get<ModelRegistry::Refusal>(outcome).error.kind, ErrorKind::Corrupt);
    EXPECT_TRUE(std::get<ModelRegistry::Refusal>(outcome).error.message.contains(QStringLiteral("was changed")))
        << qPrintable(std::get<ModelRegistry::Refusal>(outcome).error.message);

    // A smoke test that fails: an input example the model cannot take, sealed and signed by a
    // trusted key.
    auto second = SealedPackage::open(v2, QStringLiteral("p"), {key->publicKey()}, true);
    ASSERT_TRUE(second);
    const QByteArray badExample = R"({"inputs":[{"name":"INPUT__0","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]})";
    auto smoky = second->resealed(&*key, QString::fromLatin1(SealedPackage::kInputExampleEntry), badExample);
    ASSERT_TRUE(smoky) << qPrintable(smoky.error());
    outcome = r->deploy(*smoky, 0, {});
    ASSERT_TRUE(std::holds_alternative<ModelRegistry::Refusal>(outcome));
    EXPECT_TRUE(std::get<ModelRegistry::Refusal>(outcome).smokeFailed);
    EXPECT_TRUE(std::get<ModelRegistry::Refusal>(outcome).error.message.contains(QStringLiteral("smoke test"))) << qPrintable(std::get<ModelRegistry::Refusal>(outcome).error.message);

    // Through all of it 1.0.0 served, and nothing else was kept.
    auto m = r->modelJson(QStringLiteral("iris-mlp"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->value(QStringLiteral("active")).toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(m->value(QStringLiteral("versions")).toArray().size(), 1);
    EXPECT_EQ(r->loaded().size(), 1u);

    // The same version with other bytes is a conflict; the same bytes again are not an error.
    auto other = build(run, QStringLiteral("iris-mlp"), QStringLiteral("1.0.0"));
    ASSERT_TRUE(other);
    outcome = r->deploy(other->archive, 0, {});
    if (other->archive != v1) {
        ASSERT_TRUE(std::holds_alternative<ModelRegistry::Refusal>(outcome));
        EXPECT_EQ(std::get<ModelRegistry::Refusal>(outcome).error.kind, ErrorKind::Conflict);
    }
    EXPECT_TRUE(std::holds_alternative<QJsonObject>(r->deploy(v1, 0, {})));
}

TEST_F(ModelRegistryTest, BatchedAnswersEqualOneRowAnswers)
{
    auto r = registry();
    deployed(r->deploy(v1, 0, {}));
    std::shared_ptr<ServedModel> m = r->route(QStringLiteral("iris-mlp"), {}, nullptr).model;
    ASSERT_TRUE(m && m->batcher());
    const qint64 f = m->engine().featureCount();
    constexpr int kThreads = 8, kEach = 100;
    std::atomic<int> mismatches{0}, answered{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                std::vector<float> row(static_cast<size_t>(f));
                for (qint64 k = 0; k < f; ++k)
                    row[size_t(k)] = float(1 + (t * 7 + i * 3 + k) % 50) / 10.f;
                auto alone = m->engine().predictRaw(row, 1);
                std::promise<void> done;
                const bool queued = m->batcher()->submit(row, 1, [&](Result<InferenceEngine::Prediction> p, qint64) {
                    if (!p || !alone || p->outputs.size() != alone->outputs.size())
                        ++mismatches;
                    else
                        for (size_t k = 0; k < p->outputs.size(); ++k)
                            if (std::abs(p->outputs[k] - alone->outputs[k]) > 1e-5f)
                                ++mismatches;
                    ++answered;
                    done.set_value();
                });
                ASSERT_TRUE(queued);
                done.get_future().wait();
            }
        });
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(answered.load(), kThreads * kEach);
    EXPECT_EQ(mismatches.load(), 0);
    // Eight threads at once with a 2 ms window: batches of more than one row were run.
    const QByteArray text = metrics.render();
    EXPECT_TRUE(text.contains("mlwb_agent_batch_size_bucket{model=\"iris-mlp\",version=\"1.0.0\",le=\"1\"}")) << text.constData();
    EXPECT_FALSE(text.contains("mlwb_agent_batch_size_count{model=\"iris-mlp\",version=\"1.0.0\"} 800")) << "every request ran alone";
}

// The agent loads an upload on its SCHED_IDLE thread. A thread takes its maker's policy, and an
// unprivileged one (no CAP_SYS_NICE) cannot go back from SCHED_IDLE: a batch worker made there
// would leave every request for the version waiting for an idle core. The workers start with
// the first request, on the thread that serves it.
TEST_F(ModelRegistryTest, ABatchWorkerRunsAtNormalPriorityThoughItsVersionLoadedAtIdlePriority)
{
    std::shared_ptr<ServedModel> loaded;
    QString error;
    std::thread uploader([&] {
        // As an unprivileged agent: this thread (and what it starts) without CAP_SYS_NICE.
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct caps[2]{};
        if (::syscall(SYS_capget, &header, caps) != 0) {
            error = QStringLiteral("capget: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        caps[CAP_SYS_NICE / 32].effective &= ~(1u << (CAP_SYS_NICE % 32));
        caps[CAP_SYS_NICE / 32].permitted &= ~(1u << (CAP_SYS_NICE % 32));
        if (::syscall(SYS_capset, &header, caps) != 0) {
            error = QStringLiteral("capset: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        sched_param idle{};
        if (const int e = ::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &idle); e != 0) {
            error = QStringLiteral("SCHED_IDLE: %1").arg(QString::fromLocal8Bit(std::strerror(e)));
            return;
        }
        auto m = ServedModel::load(v1, QStringLiteral("v1"), options);
        if (!m)
            error = m.error();
        else
            loaded = *m;
    });
    uploader.join();
    ASSERT_TRUE(error.isEmpty()) << qPrintable(error);
    ASSERT_TRUE(loaded && loaded->batcher());

    std::promise<bool> answered;
    const std::vector<float> row{5.1f, 3.5f, 1.4f, 0.2f};
    ASSERT_TRUE(loaded->batcher()->submit(row, 1, [&](Result<InferenceEngine::Prediction> p, qint64) { answered.set_value(p.ok()); }));
    ASSERT_TRUE(answered.get_future().get());

    int workers = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "mlwb-batch")
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' '); // from field 3, the state
        ASSERT_GT(fields.size(), 38);
        EXPECT_EQ(fields[38].toInt(), SCHED_OTHER) << "batch worker " << qPrintable(tid) << " (field 41, policy)";
        ++workers;
    }
    EXPECT_EQ(workers, options.batching.instances);
    loaded->batcher()->stop();
}

TEST_F(ModelRegistryTest, ABadRowFailsOnlyItsOwnRequestInABatch)
{
    auto r = registry();
    deployed(r->deploy(v1, 0, {}));
    std::shared_ptr<ServedModel> m = r->route(QStringLiteral("iris-mlp"), {}, nullptr).model;
    const qint64 f = m->engine().featureCount();
    std::vector<std::promise<Result<InferenceEngine::Prediction>>> answers(4);
    for (int i = 0; i < 4; ++i) {
        std::vector<float> row(static_cast<size_t>(f), 1.f);
        if (i == 2)
            row[0] = INFINITY;
        ASSERT_TRUE(m->batcher()->submit(row, 1, [&answers, i](Result<InferenceEngine::Prediction> p, qint64) {
            answers[size_t(i)].set_value(std::move(p));
        }));
    }
    for (int i = 0; i < 4; ++i) {
        auto p = answers[size_t(i)].get_future().get();
        EXPECT_EQ(p.ok(), i != 2) << i;
        if (i == 2)
            EXPECT_EQ(p.kind(), ErrorKind::InvalidInput);
    }
}

TEST_F(ModelRegistryTest, AFullQueueRefusesInsteadOfGrowing)
{
    options.batching.maxQueueLength = 2;
    options.batching.maxQueueDelay = std::chrono::microseconds(200000); // a long window keeps them queued
    options.batching.maxBatchSize = 64;
    auto r = registry();
    deployed(r->deploy(v1, 0, {}));
    std::shared_ptr<ServedModel> m = r->route(QStringLiteral("iris-mlp"), {}, nullptr).model;
    std::vector<float> row(size_t(m->engine().featureCount()), 1.f);
    std::atomic<int> answered{0};
    auto done = [&](Result<InferenceEngine::Prediction>, qint64) { ++answered; };
    EXPECT_TRUE(m->batcher()->submit(row, 1, done));
    EXPECT_TRUE(m->batcher()->submit(row, 1, done));
    EXPECT_FALSE(m->batcher()->submit(row, 1, done));
    m->batcher()->stop(); // finishes what was queued
    EXPECT_EQ(answered.load(), 2);
    EXPECT_FALSE(m->batcher()->submit(row, 1, done));
}

} // namespace
} // namespace mlwb::test
