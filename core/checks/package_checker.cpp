// SPDX-License-Identifier: MIT
#include "checks/package_checker.h"

#include "common/json_number.h"
#include "data/data_table.h"
#include "data/preprocessing.h"
#include "eval/metric_direction.h"
#include "inference/inference_engine.h"
#include "inference/loaded_model.h"
#include "jobs/job_feedback.h"
#include "package/key_store.h"
#include "package/sealed_package.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <thread>
#include <unistd.h>

namespace mlwb {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CheckReport::Item item(const QString &id, const QString &group, const QString &name, bool passed,
                       const QString &detail, bool gate = true)
{
    CheckReport::Item i;
    i.id = id;
    i.group = group;
    i.name = name;
    i.passed = passed;
    i.detail = detail;
    i.gate = gate;
    return i;
}

CheckReport::Item measured(const QString &id, const QString &group, const QString &name, double value,
                           const QString &op, double threshold, const QString &unit, const QString &detail = {})
{
    CheckReport::Item i = item(id, group, name, false, detail);
    i.value = value;
    i.op = op;
    i.threshold = threshold;
    i.unit = unit;
    // NaN passes nothing.
    i.passed = op == QLatin1String(">=") ? value >= threshold : value <= threshold;
    return i;
}

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return kNaN;
    std::sort(sorted.begin(), sorted.end());
    const size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

QString number(double v, int precision = 4)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    return QString::number(v, 'g', precision);
}

struct Context {
    const PackageChecker::Inputs &in;
    const InferenceEngine &engine;
    const Preprocessing &pre;
    std::vector<float> raw; // the test rows, raw
    qint64 rows = 0;
    qint64 features = 0;
    CheckReport &report;
    JobFeedback *feedback;

    std::span<const float> row(qint64 i) const
    {
        return std::span<const float>(raw).subspan(size_t((i % rows) * features), size_t(features));
    }
    std::span<const float> batch(qint64 first, qint64 n) const
    {
        return std::span<const float>(raw).subspan(size_t(first * features), size_t(n * features));
    }
};

Status quality(Context &c)
{
    auto evaluation = c.engine.evaluateRaw(*c.in.table, c.in.testRows);
    if (!evaluation)
        return evaluation.failure().reworded(QStringLiteral("the test split through the engine: %1").arg(evaluation.error()));
    QJsonObject metrics = evaluation->value(QStringLiteral("metrics")).toObject();
    metrics.insert(QStringLiteral("rows"), c.rows);
    c.report.metrics = metrics;
    for (const CheckConfig::Gate &g : c.in.config.gates) {
        const double value = JsonNumber::toDouble(metrics.value(g.metric), kNaN);
        const QString name = QStringLiteral("%1 on the test split").arg(g.metric);
        if (!metrics.contains(g.metric)) {
            c.report.items.push_back(item(QStringLiteral("gate.") + g.metric, QStringLiteral("quality"), name, false,
                                          QStringLiteral("the evaluation has no metric \"%1\"").arg(g.metric)));
            continue;
        }
        if (g.min)
            c.report.items.push_back(measured(QStringLiteral("gate.") + g.metric, QStringLiteral("quality"), name,
                                              value, QStringLiteral(">="), *g.min, {}));
        if (g.max)
            c.report.items.push_back(measured(QStringLiteral("gate.") + g.metric + QStringLiteral(".max"),
                                              QStringLiteral("quality"), name, value, QStringLiteral("<="), *g.max, {}));
    }
    return {};
}

void regression(Context &c)
{
    if (!c.in.previous) {
        c.report.items.push_back(item(QStringLiteral("regression.previous"), QStringLiteral("regression"),
                                      QStringLiteral("no regression against the previous version"), true,
                                      c.in.previousVersion.isEmpty()
                                          ? QStringLiteral("this is the first version")
                                          : QStringLiteral("version %1 has no check results").arg(c.in.previousVersion),
                                      false));
        return;
    }
    const double tolerance = c.in.config.regressionTolerance;
    for (const CheckConfig::Gate &g : c.in.config.gates) {
        const double now = JsonNumber::toDouble(c.report.metrics.value(g.metric), kNaN);
        const double before = JsonNumber::toDouble(c.in.previous->metrics.value(g.metric), kNaN);
        const double worse = higherIsBetter(g.metric) ? before - now : now - before;
        c.report.items.push_back(measured(
            QStringLiteral("regression.") + g.metric, QStringLiteral("regression"),
            QStringLiteral("%1 against %2").arg(g.metric, c.in.previousVersion), worse, QStringLiteral("<="), tolerance, {},
            QStringLiteral("%1 now, %2 in %3 (difference %4)")
                .arg(number(now), number(before), c.in.previousVersion, number(now - before))));
    }
}

Status latency(Context &c)
{
    const double budget = c.in.config.latencySeconds;
    QJsonArray batches;
    InferenceEngine::Prediction p;
    for (qint64 batch : {qint64(1), qint64(8), qint64(32)}) {
        if (c.feedback && c.feedback->isCanceled())
            return fail(QStringLiteral("canceled"), ErrorKind::Cancelled);
        // The batch's rows, cycled from the test split.
        std::vector<float> x;
        for (qint64 i = 0; i < batch; ++i) {
            const auto r = c.row(i);
            x.insert(x.end(), r.begin(), r.end());
        }
        for (int warm = 0; warm < 20; ++warm) {
            if (auto s = c.engine.predictRaw(x, batch, p); !s)
                return s;
        }
        std::vector<double> ms;
        const auto end = Clock::now() + std::chrono::duration<double>(budget);
        while ((Clock::now() < end || ms.size() < 20) && ms.size() < 200000) {
            const auto t0 = Clock::now();
            if (auto s = c.engine.predictRaw(x, batch, p); !s)
                return s;
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
        double total = 0;
        for (double v : ms)
            total += v;
        const double p99 = percentile(ms, 99);
        batches.append(QJsonObject{{QStringLiteral("batch"), batch},
                                   {QStringLiteral("p50_ms"), percentile(ms, 50)},
                                   {QStringLiteral("p95_ms"), percentile(ms, 95)},
                                   {QStringLiteral("p99_ms"), p99},
                                   {QStringLiteral("rows_per_s"), double(batch) * double(ms.size()) / (total / 1000.0)},
                                   {QStringLiteral("samples"), qint64(ms.size())}});
        if (batch == 1)
            c.report.items.push_back(measured(QStringLiteral("latency.p99"), QStringLiteral("latency"),
                                              QStringLiteral("p99 latency of one row"), p99, QStringLiteral("<="),
                                              c.in.config.latencyP99Ms, QStringLiteral("ms"),
                                              QStringLiteral("p50 %1 ms over %2 requests")
                                                  .arg(number(percentile(ms, 50), 3))
                                                  .arg(ms.size())));
        if (c.feedback)
            c.feedback->setProgress(c.feedback->progress() + 0.08);
    }
    // Throughput of single rows from one thread to all cores.
    QJsonArray threads;
    const int cores = std::max(1, int(std::thread::hardware_concurrency()));
    for (int n = 1; n <= cores; ++n) {
        std::atomic<qint64> done{0};
        std::atomic<bool> failed{false};
        const auto end = Clock::now() + std::chrono::duration<double>(budget / 2);
        const auto t0 = Clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < n; ++t) {
            pool.emplace_back([&, t] {
                InferenceEngine::Prediction mine;
                qint64 i = t;
                while (Clock::now() < end) {
                    if (!c.engine.predictRaw(c.row(i++), 1, mine)) {
                        failed = true;
                        return;
                    }
                    ++done;
                }
            });
        }
        for (auto &t : pool)
            t.join();
        if (failed)
            return fail(QStringLiteral("a single-row request failed while measuring throughput"));
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        threads.append(QJsonObject{{QStringLiteral("threads"), n},
                                   {QStringLiteral("rows_per_s"), double(done.load()) / seconds}});
    }
    c.report.latency = QJsonObject{{QStringLiteral("batches"), batches}, {QStringLiteral("threads"), threads}};
    return {};
}

Status memory(Context &c, qint64 loadKb)
{
    InferenceEngine::Prediction p;
    auto runs = [&](int n) -> Status {
        for (int i = 0; i < n; ++i) {
            if (auto s = c.engine.predictRaw(c.row(i), 1, p); !s)
                return s;
        }
        return {};
    };
    if (auto s = runs(2000); !s)
        return s;
    const qint64 before = PackageChecker::residentKb();
    if (auto s = runs(3000); !s)
        return s;
    const double growth = double(PackageChecker::residentKb() - before) / 3.0;
    c.report.memory = QJsonObject{{QStringLiteral("load_kb"), loadKb},
                                  {QStringLiteral("growth_kb_per_1000"), growth}};
    c.report.items.push_back(measured(QStringLiteral("memory.growth"), QStringLiteral("memory"),
                                      QStringLiteral("resident growth per 1,000 inferences"), growth,
                                      QStringLiteral("<="), c.in.config.memoryGrowthKbPer1000, QStringLiteral("KiB"),
                                      QStringLiteral("loading the model took %1 KiB").arg(loadKb)));
    return {};
}

void robustness(Context &c)
{
    struct Case {
        QString name;
        QString expected; // "error" or "result"
        std::function<Status()> run;
    };
    const qint64 f = c.features;
    const std::vector<float> good(c.row(0).begin(), c.row(0).end());
    InferenceEngine::Prediction p;
    auto raw = [&](std::vector<float> values) {
        return [&, values] { return c.engine.predictRaw(values, qint64(values.size()) / std::max<qint64>(1, f), p); };
    };
    auto withEach = [&](float v, bool numericOnly) {
        std::vector<float> x = good;
        for (qint64 k = 0; k < f; ++k) {
            if (!numericOnly || c.pre.features()[size_t(k)].encoding == FeatureEncoding::Standardize)
                x[size_t(k)] = v;
        }
        return x;
    };
    QJsonObject record;
    for (qint64 k = 0; k < f; ++k) {
        const FeatureTransform &t = c.pre.features()[size_t(k)];
        record.insert(t.name, t.encoding == FeatureEncoding::OneHot && !t.categories.isEmpty() ? QJsonValue(t.categories.first())
                                                                                               : QJsonValue(good[size_t(k)]));
    }
    auto records = [&](QJsonObject r) {
        return [&, r]() -> Status {
            auto out = c.engine.predictRecords(QJsonArray{r});
            return out ? Status() : Status(out.failure());
        };
    };
    QJsonObject missingKey = record;
    missingKey.remove(c.pre.features().front().name);
    QJsonObject allNull;
    for (const FeatureTransform &t : c.pre.features())
        allNull.insert(t.name, QJsonValue::Null);
    QJsonObject wrongType = record;
    wrongType.insert(c.pre.features().front().name, QJsonArray{1, 2});
    std::vector<float> wrongShape = good;
    wrongShape.pop_back();
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<Case> cases{
        {QStringLiteral("NaN in every feature (missing values, imputed)"), QStringLiteral("result"),
         raw(withEach(std::numeric_limits<float>::quiet_NaN(), false))},
        {QStringLiteral("+infinity in the numeric features"), QStringLiteral("error"), raw(withEach(inf, true))},
        {QStringLiteral("-infinity in the numeric features"), QStringLiteral("error"), raw(withEach(-inf, true))},
        {QStringLiteral("extreme values (3e38) in the numeric features"), QStringLiteral("result"), raw(withEach(3e38f, true))},
        {QStringLiteral("extreme values (-3e38) in the numeric features"), QStringLiteral("result"), raw(withEach(-3e38f, true))},
        {QStringLiteral("a record without a feature"), QStringLiteral("error"), records(missingKey)},
        {QStringLiteral("a record of nulls (missing values, imputed)"), QStringLiteral("result"), records(allNull)},
        {QStringLiteral("a row one value short (wrong shape)"), QStringLiteral("error"), raw(wrongShape)},
        {QStringLiteral("an array where a number belongs (wrong type)"), QStringLiteral("error"), records(wrongType)},
        {QStringLiteral("no rows at all"), QStringLiteral("error"), raw({})},
    };
    int failed = 0;
    QJsonArray list;
    for (const Case &k : cases) {
        QString outcome;
        bool passed = false;
        try {
            const Status s = k.run();
            if (s) {
                outcome = QStringLiteral("a result");
                passed = k.expected == QLatin1String("result");
            } else {
                outcome = QStringLiteral("error (%1): %2").arg(QString::fromLatin1(errorKindName(s.kind())), s.error());
                passed = k.expected == QLatin1String("error") && s.kind() == ErrorKind::InvalidInput;
            }
        } catch (const std::exception &e) {
            outcome = QStringLiteral("an exception escaped: %1").arg(QString::fromLocal8Bit(e.what()));
        }
        failed += passed ? 0 : 1;
        list.append(QJsonObject{{QStringLiteral("case"), k.name},
                                {QStringLiteral("expected"), k.expected},
                                {QStringLiteral("outcome"), outcome},
                                {QStringLiteral("passed"), passed}});
    }
    c.report.robustness = list;
    c.report.items.push_back(item(QStringLiteral("robustness"), QStringLiteral("robustness"),
                                  QStringLiteral("bad input gets a clean error or its documented result"), failed == 0,
                                  QStringLiteral("%1 of %2 cases as documented").arg(cases.size() - size_t(failed)).arg(cases.size())));
}

void determinism(Context &c)
{
    const qint64 n = std::min<qint64>(32, c.rows);
    InferenceEngine::Prediction a, b, one, again;
    const bool ran = c.engine.predictRaw(c.batch(0, n), n, a) && c.engine.predictRaw(c.batch(0, n), n, b) &&
                     c.engine.predictRaw(c.row(0), 1, one) && c.engine.predictRaw(c.row(0), 1, again);
    const auto same = [](const std::vector<float> &x, const std::vector<float> &y) {
        return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
    };
    const bool passed = ran && same(a.outputs, b.outputs) && same(one.outputs, again.outputs);
    c.report.items.push_back(item(QStringLiteral("determinism"), QStringLiteral("determinism"),
                                  QStringLiteral("the same input twice gives the same bits"), passed,
                                  passed ? QStringLiteral("%1 rows as a batch and one row alone, twice each").arg(n)
                                         : QStringLiteral("the outputs differ between two identical requests")));
}

void inputExample(Context &c)
{
    const QJsonObject example = c.in.package->inputExample();
    const QJsonObject input = example.value(QStringLiteral("inputs")).toArray().at(0).toObject();
    const QJsonArray shape = input.value(QStringLiteral("shape")).toArray();
    const QJsonArray data = input.value(QStringLiteral("data")).toArray();
    std::vector<float> raw;
    for (const QJsonValue &v : data)
        raw.push_back(float(JsonNumber::toDouble(v, kNaN)));
    const qint64 rows = shape.at(0).toInteger();
    InferenceEngine::Prediction fromExample, fromTable;
    QString detail;
    bool passed = false;
    if (input.value(QStringLiteral("datatype")).toString() != QLatin1String("FP32") || shape.size() != 2 ||
        shape.at(1).toInteger() != c.features) {
        detail = QStringLiteral("input_example.json is not an FP32 [rows, %1] request").arg(c.features);
    } else if (auto s = c.engine.predictRaw(raw, rows, fromExample); !s) {
        detail = s.error();
    } else if (auto t = c.engine.predictRaw(c.batch(0, std::min(rows, c.rows)), std::min(rows, c.rows), fromTable); !t) {
        detail = t.error();
    } else {
        double worst = 0;
        for (size_t i = 0; i < fromExample.outputs.size() && i < fromTable.outputs.size(); ++i)
            worst = std::max(worst, double(std::abs(fromExample.outputs[i] - fromTable.outputs[i])));
        passed = fromExample.outputs.size() == fromTable.outputs.size() && worst <= 1e-6;
        detail = QStringLiteral("%1 rows replayed; largest difference from the test rows %2").arg(rows).arg(number(worst));
    }
    c.report.items.push_back(item(QStringLiteral("input_example"), QStringLiteral("determinism"),
                                  QStringLiteral("the input example round-trips"), passed, detail));
}

void pythonRoundTrip(Context &c)
{
    const QString name = QStringLiteral("model.pt in python3-torch");
    if (!c.in.config.pythonRoundTrip) {
        c.report.items.push_back(item(QStringLiteral("interop.python"), QStringLiteral("interop"), name, true,
                                      QStringLiteral("turned off in the check configuration"), false));
        return;
    }
    QTemporaryDir dir;
    const qint64 n = std::min<qint64>(256, c.rows);
    std::vector<float> x(size_t(n * c.engine.inputWidth()));
    if (!c.pre.transformRaw(c.batch(0, n).data(), n, x.data())) {
        c.report.items.push_back(item(QStringLiteral("interop.python"), QStringLiteral("interop"), name, false,
                                      QStringLiteral("the test rows do not preprocess")));
        return;
    }
    InferenceEngine::Prediction ours;
    const Status ran = c.engine.predictInputsByForward(x, n, ours);
    const auto write = [&](const QString &file, const char *data, qint64 size) {
        QFile f(dir.filePath(file));
        return f.open(QIODevice::WriteOnly) && f.write(data, size) == size && f.flush();
    };
    const QByteArray model = c.in.package->entry(QString::fromLatin1(SealedPackage::kModelEntry));
    if (!dir.isValid() || !ran || !write(QStringLiteral("model.pt"), model.constData(), model.size()) ||
        !write(QStringLiteral("x.f32"), reinterpret_cast<const char *>(x.data()), qint64(x.size() * sizeof(float)))) {
        c.report.items.push_back(item(QStringLiteral("interop.python"), QStringLiteral("interop"), name, false,
                                      ran ? QStringLiteral("cannot write the model and inputs to %1").arg(dir.path())
                                          : ran.error()));
        return;
    }
    QStringList shape;
    for (qint64 d : c.pre.inputShape())
        shape << QString::number(d);
    const QString script = QStringLiteral(
        "import sys, torch, numpy\n"
        "torch.set_num_threads(1)\n"
        "m = torch.jit.load(sys.argv[1]); m.eval()\n"
        "shape = [int(sys.argv[3])] + [int(d) for d in sys.argv[4].split(',')]\n"
        "x = torch.from_numpy(numpy.fromfile(sys.argv[2], dtype='<f4').reshape(shape))\n"
        "with torch.no_grad():\n"
        "    y = m(x).float().contiguous()\n"
        "y.numpy().astype('<f4').tofile(sys.argv[5])\n"
        "print(torch.__version__)\n");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), script, dir.filePath(QStringLiteral("model.pt")), dir.filePath(QStringLiteral("x.f32")),
                  QString::number(n), shape.join(QLatin1Char(',')), dir.filePath(QStringLiteral("y.f32"))});
    const bool finished = python.waitForFinished(120000);
    if (!finished || python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
        const QString why = python.error() == QProcess::FailedToStart
            ? QStringLiteral("/usr/bin/python3 is not there")
            : QString::fromLocal8Bit(python.readAllStandardError()).trimmed().split(QLatin1Char('\n')).last();
        // Without python3-torch on this machine the check cannot run: shown, not a gate.
        const bool missing = python.error() == QProcess::FailedToStart || why.contains(QLatin1String("No module named"));
        c.report.items.push_back(item(QStringLiteral("interop.python"), QStringLiteral("interop"), name, false,
                                      missing ? QStringLiteral("not run: %1 (install python3-torch)").arg(why)
                                              : QStringLiteral("python3-torch failed: %1").arg(why),
                                      !missing));
        return;
    }
    QFile y(dir.filePath(QStringLiteral("y.f32")));
    const QByteArray bytes = y.open(QIODevice::ReadOnly) ? y.readAll() : QByteArray();
    std::vector<float> theirs(size_t(bytes.size()) / sizeof(float));
    std::memcpy(theirs.data(), bytes.constData(), theirs.size() * sizeof(float));
    double worst = 0;
    const bool regressionTask = !c.engine.isClassification();
    for (size_t i = 0; i < theirs.size() && i < ours.outputs.size(); ++i) {
        // Regression outputs are standardised in the module; the engine gives the target's units.
        const double t = regressionTask ? c.pre.unscaleTarget(theirs[i]) : theirs[i];
        const double scale = regressionTask ? std::max(1.0, std::abs(double(ours.outputs[i]))) : 1.0;
        worst = std::max(worst, std::abs(t - double(ours.outputs[i])) / scale);
    }
    CheckReport::Item i = measured(QStringLiteral("interop.python"), QStringLiteral("interop"), name,
                                   theirs.size() == ours.outputs.size() ? worst : kNaN, QStringLiteral("<="), 1e-5, {},
                                   QStringLiteral("%1 test rows in torch %2; largest difference%3")
                                       .arg(n)
                                       .arg(QString::fromLatin1(python.readAllStandardOutput()).trimmed(),
                                            regressionTask ? QStringLiteral(" (relative)") : QString()));
    c.report.items.push_back(i);
}

void seal(Context &c)
{
    const PackageSeal::Verified &v = c.in.package->seal();
    c.report.items.push_back(item(QStringLiteral("seal"), QStringLiteral("seal"),
                                  QStringLiteral("hashes and signature verify"), v.isSigned,
                                  v.isSigned ? QStringLiteral("every entry matches hashes.json; signed by %1 (%2)").arg(v.keyId, v.signer)
                                             : QStringLiteral("every entry matches hashes.json, but the package is not signed")));
    const bool samePre = c.in.package->manifest().input.preprocessing == c.pre.toJson();
    c.report.items.push_back(item(QStringLiteral("seal.manifest"), QStringLiteral("seal"),
                                  QStringLiteral("the manifest describes the model"), samePre,
                                  samePre ? QStringLiteral("the manifest's preprocessing is the one inside model.pt")
                                          : QStringLiteral("the manifest's preprocessing differs from model.pt's")));
}

} // namespace

qint64 PackageChecker::residentKb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * (sysconf(_SC_PAGESIZE) / 1024) : 0;
}

Result<CheckReport> PackageChecker::run(const Inputs &in, JobFeedback *feedback)
{
    if (!in.package || !in.table)
        return invalidInput(QStringLiteral("the checks need a package and its data set"));
    if (in.testRows.empty())
        return invalidInput(QStringLiteral("the data set has no test rows to check the package on"));
    auto step = [feedback](double progress, const QString &message) -> Status {
        if (!feedback)
            return {};
        if (feedback->isCanceled())
            return fail(QStringLiteral("canceled"), ErrorKind::Cancelled);
        feedback->setProgress(progress, message);
        return {};
    };
    const PackageManifest &manifest = in.package->manifest();
    const QString source = QStringLiteral("package %1").arg(manifest.reference());
    if (auto s = step(0.02, QStringLiteral("loading the model")); !s)
        return s.failure();
    const qint64 before = residentKb();
    auto engine = InferenceEngine::fromArchive(in.package->entry(QString::fromLatin1(SealedPackage::kModelEntry)), source);
    if (!engine)
        return engine.failure();
    const qint64 loadKb = residentKb() - before;
    const Preprocessing &pre = engine->preprocessing();
    if (auto s = pre.checkTable(*in.table); !s)
        return s.failure().reworded(QStringLiteral("the data set does not match %1: %2").arg(source, s.error()));

    CheckReport report;
    report.runAt = QDateTime::currentDateTimeUtc();
    report.by = KeyStore::userAtHost();
    report.route = engine->matrixVectorRoute() ? QStringLiteral("matrix-vector") : QStringLiteral("forward");
    report.config = in.config.toJson();
    Context c{in, *engine, pre, engine->rawRows(*in.table, in.testRows), qint64(in.testRows.size()),
              qint64(pre.features().size()), report, feedback};

    if (auto s = step(0.05, QStringLiteral("quality gates on the test split")); !s)
        return s.failure();
    if (auto s = quality(c); !s)
        return s.failure();
    regression(c);
    if (auto s = step(0.1, QStringLiteral("latency and throughput")); !s)
        return s.failure();
    if (auto s = latency(c); !s)
        return s.failure();
    if (auto s = step(0.6, QStringLiteral("memory")); !s)
        return s.failure();
    if (auto s = memory(c, loadKb); !s)
        return s.failure();
    if (auto s = step(0.7, QStringLiteral("robustness and determinism")); !s)
        return s.failure();
    robustness(c);
    determinism(c);
    inputExample(c);
    if (auto s = step(0.8, QStringLiteral("model.pt in python3-torch")); !s)
        return s.failure();
    pythonRoundTrip(c);
    seal(c);
    if (auto s = step(1.0, report.passed() ? QStringLiteral("every gate passed")
                                           : QStringLiteral("failed: %1").arg(report.failedGates().join(QStringLiteral(", "))));
        !s)
        return s.failure();
    return report;
}

} // namespace mlwb
