// SPDX-License-Identifier: MIT
// ReportBuilder on a project made here, without training: real data sets (iris, diabetes), model
// specs from the templates, runs with chosen summaries and hyperparameters, metric series through
// the MetricLogger and evaluations from the evaluators. The claims are about values: the run
// names, the numbers and their digits, where emphasis falls, what a warning says.

#include "common/format.h"
#include "common/json_number.h"
#include "common/run_palette.h"
#include "data/dataset_catalog.h"
#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "model/model_catalog.h"
#include "report/report_builder.h"
#include "store/dataset_repository.h"
#include "store/deployment_repository.h"
#include "store/evaluation_repository.h"
#include "store/metric_logger.h"
#include "store/model_repository.h"
#include "store/package_repository.h"
#include "store/run_repository.h"
#include "store/target_repository.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

using namespace mlwb;
using namespace mlwb::test;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const ReportSection *section(const ReportDocument &d, const char *id)
{
    for (const ReportSection &s : d.sections)
        if (s.id == QLatin1String(id))
            return &s;
    return nullptr;
}

template <typename T>
std::vector<const T *> blocks(const ReportSection *s)
{
    std::vector<const T *> out;
    if (s)
        for (const ReportBlock &b : s->blocks)
            if (const T *t = std::get_if<T>(&b))
                out.push_back(t);
    return out;
}

QStringList warnings(const ReportSection *s)
{
    QStringList out;
    for (const ReportParagraph *p : blocks<ReportParagraph>(s))
        if (p->tone == ReportParagraph::Tone::Warning)
            out << p->text;
    return out;
}

// The table whose header names `column`, and the column's index.
std::pair<const ReportTable *, int> tableWith(const ReportSection *s, const QString &column)
{
    for (const ReportTable *t : blocks<ReportTable>(s))
        if (const qsizetype c = t->header.indexOf(column); c >= 0)
            return {t, int(c)};
    return {nullptr, -1};
}

int rowOf(const ReportTable *t, const QString &first)
{
    for (size_t r = 0; r < t->rows.size(); ++r)
        if (t->rows[r].value(0) == first)
            return int(r);
    return -1;
}

} // namespace

class ReportBuilderTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions iris;
        iris.target = QStringLiteral("species");
        auto d = DatasetCatalog(db()).importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), iris);
        ASSERT_OK(d);
        m_iris = *d;
        ImportOptions diabetes;
        diabetes.target = QStringLiteral("progression");
        d = DatasetCatalog(db()).importCsv(datasetPath(QStringLiteral("diabetes.csv")), QStringLiteral("diabetes"), diabetes);
        ASSERT_OK(d);
        m_diabetes = *d;
        auto m = ModelCatalog(db()).createFromTemplate(QStringLiteral("iris-mlp"), QStringLiteral("iris"), QStringLiteral("mlp"));
        ASSERT_OK(m);
        auto v = ModelRepository(db()).latestVersion(*m);
        ASSERT_OK(v);
        m_irisVersion = v->id;
        m = ModelCatalog(db()).createFromTemplate(QStringLiteral("diabetes-mlp"), QStringLiteral("diabetes"), QStringLiteral("mlp"));
        ASSERT_OK(m);
        v = ModelRepository(db()).latestVersion(*m);
        ASSERT_OK(v);
        m_diabetesVersion = v->id;
    }

    qint64 addRun(const QString &name, const QJsonObject &summary, const QJsonObject &hyper = {},
                  bool regression = false, RunStatus status = RunStatus::Finished, const QString &message = {})
    {
        RunRecord r;
        r.modelVersionId = regression ? m_diabetesVersion : m_irisVersion;
        r.datasetId = regression ? m_diabetes : m_iris;
        r.name = name;
        r.status = status;
        r.hyperparams = hyper;
        QJsonObject s = summary;
        s.insert(QStringLiteral("task"), regression ? QStringLiteral("regression") : QStringLiteral("classification"));
        r.summary = s;
        r.message = message;
        auto id = RunRepository(db()).create(r);
        EXPECT_OK(id);
        // create() keeps the summary as given, NaN as null: store it the way training does.
        EXPECT_OK(RunRepository(db()).setSummary(*id, JsonNumber::encode(s)));
        return id.ok() ? *id : 0;
    }

    // A classifier's test evaluation of 30 rows: `wrong` of them predicted as the next class.
    void addClassification(qint64 run, int wrong)
    {
        std::vector<float> p;
        std::vector<qint64> labels;
        for (int i = 0; i < 30; ++i) {
            const int label = i % 3;
            const int predicted = i < wrong ? (label + 1) % 3 : label;
            labels.push_back(label);
            for (int c = 0; c < 3; ++c)
                p.push_back(c == predicted ? 0.8f - 0.01f * float(i % 5) : 0.1f + 0.005f * float(i % 5));
        }
        auto result = ClassificationEvaluator::evaluate(p, labels, {QStringLiteral("setosa"), QStringLiteral("versicolor"),
                                                                    QStringLiteral("virginica")});
        ASSERT_OK(result);
        ASSERT_OK(EvaluationRepository(db()).save({0, run, m_iris, QStringLiteral("test"), {}, result->toJson()}));
    }

    void addRegression(qint64 run)
    {
        std::vector<double> pred, target;
        for (int i = 0; i < 3000; ++i) {
            target.push_back(50 + i % 250);
            pred.push_back(50 + i % 250 + std::sin(i) * 20);
        }
        auto result = RegressionEvaluator::evaluate(pred, target);
        ASSERT_OK(result);
        ASSERT_OK(EvaluationRepository(db()).save({0, run, m_diabetes, QStringLiteral("test"), {}, result->toJson()}));
    }

    Result<ReportDocument> build(const QList<qint64> &runs, const QStringList &sections = {})
    {
        ReportRequest request;
        request.runIds = runs;
        request.sections = sections;
        request.author = QStringLiteral("Ada");
        return ReportBuilder(db()).build(request);
    }

    qint64 m_iris = 0, m_diabetes = 0, m_irisVersion = 0, m_diabetesVersion = 0;
};

TEST_F(ReportBuilderTest, MetricsTableNamesTheRunsWithTheStoredValuesAndEmphasisesTheBest)
{
    const qint64 a = addRun(QStringLiteral("baseline"), {{QStringLiteral("test_accuracy"), 0.9333333333333333},
                                                         {QStringLiteral("val_loss"), 0.123456789},
                                                         {QStringLiteral("epochs_run"), 20}});
    const qint64 b = addRun(QStringLiteral("wider"), {{QStringLiteral("test_accuracy"), 0.9666666666666667},
                                                      {QStringLiteral("val_loss"), 0.2345678},
                                                      {QStringLiteral("epochs_run"), 30}});
    addClassification(a, 2);
    addClassification(b, 1);
    auto doc = build({a, b});
    ASSERT_OK(doc);
    ASSERT_EQ(doc->runs.size(), 2u);
    EXPECT_EQ(doc->runs[0].name, QStringLiteral("baseline"));
    EXPECT_EQ(doc->runs[1].color, RunPalette::color(b));
    EXPECT_EQ(doc->author, QStringLiteral("Ada"));
    EXPECT_EQ(doc->title, QStringLiteral("Report on 2 runs"));
    EXPECT_EQ(doc->project, QStringLiteral("test.mlwb"));

    const ReportSection *metrics = section(*doc, "metrics");
    ASSERT_NE(metrics, nullptr);
    EXPECT_TRUE(warnings(metrics).isEmpty()) << qPrintable(warnings(metrics).join(u'\n'));
    auto [t, acc] = tableWith(metrics, QStringLiteral("test_accuracy"));
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->header.first(), QStringLiteral("Run"));
    EXPECT_EQ(acc, 2) << "the main metric leads, after run and status";
    const int ra = rowOf(t, QStringLiteral("baseline")), rb = rowOf(t, QStringLiteral("wider"));
    ASSERT_GE(ra, 0);
    ASSERT_GE(rb, 0);
    EXPECT_EQ(t->rows[size_t(ra)][acc], QStringLiteral("0.9333"));
    EXPECT_EQ(t->rows[size_t(rb)][acc], QStringLiteral("0.9667"));
    EXPECT_EQ(t->values[size_t(ra)][size_t(acc)], 0.9333333333333333);
    EXPECT_EQ(t->rowRun[size_t(rb)], 1);
    EXPECT_FALSE(t->emphasis[size_t(ra)][size_t(acc)]);
    EXPECT_TRUE(t->emphasis[size_t(rb)][size_t(acc)]) << "higher accuracy is better";
    const int loss = int(t->header.indexOf(QStringLiteral("val_loss")));
    ASSERT_GT(loss, 0);
    EXPECT_EQ(t->rows[size_t(ra)][loss], QStringLiteral("0.1235"));
    EXPECT_TRUE(t->emphasis[size_t(ra)][size_t(loss)]) << "lower loss is better";
    EXPECT_FALSE(t->emphasis[size_t(rb)][size_t(loss)]);
    // Bookkeeping in its own table, never emphasised.
    auto [facts, epochs] = tableWith(metrics, QStringLiteral("epochs_run"));
    ASSERT_NE(facts, nullptr);
    EXPECT_NE(facts, t);
    EXPECT_EQ(facts->rows[size_t(rowOf(facts, QStringLiteral("wider")))][epochs], QStringLiteral("30"));
    for (const auto &row : facts->emphasis)
        for (bool e : row)
            EXPECT_FALSE(e);

    // Sections that apply are there, those that do not (no regression run, no package) are not.
    for (const char *id : {"dataset", "architecture", "hyperparameters", "metrics", "curves", "confusion", "roc", "pr",
                           "calibration", "environment", "lineage"})
        EXPECT_NE(section(*doc, id), nullptr) << id;
    for (const char *id : {"residuals", "checks", "deployment"})
        EXPECT_EQ(section(*doc, id), nullptr) << id;

    // Confusion matrices hold the evaluation's counts.
    const auto matrices = blocks<ReportMatrix>(section(*doc, "confusion"));
    ASSERT_EQ(matrices.size(), 2u);
    EXPECT_EQ(matrices[1]->run, 1);
    EXPECT_EQ(matrices[1]->labels, (QStringList{QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")}));
    EXPECT_EQ(matrices[1]->counts[0][0], 9.0) << "one of ten setosa rows predicted versicolor";
    EXPECT_EQ(matrices[1]->counts[0][1], 1.0);
}

TEST_F(ReportBuilderTest, DataSetAndArchitectureSayWhatTheStoreHolds)
{
    const qint64 a = addRun(QStringLiteral("a"), {{QStringLiteral("test_accuracy"), 0.9}});
    auto doc = build({a}, {QStringLiteral("dataset"), QStringLiteral("architecture")});
    ASSERT_OK(doc);
    ASSERT_EQ(doc->sections.size(), 2u);
    const ReportSection *data = section(*doc, "dataset");
    auto kv = blocks<ReportKeyValues>(data);
    ASSERT_FALSE(kv.empty());
    QHash<QString, QString> pairs;
    for (const auto &[k, v] : kv.front()->pairs)
        pairs.insert(k, v);
    auto record = DatasetRepository(db()).get(m_iris);
    ASSERT_OK(record);
    EXPECT_EQ(pairs.value(QStringLiteral("Content hash (SHA-256)")), record->contentHash);
    EXPECT_EQ(record->contentHash.size(), 64);
    EXPECT_EQ(pairs.value(QStringLiteral("Rows")), QStringLiteral("150"));
    auto [balance, rows] = tableWith(data, QStringLiteral("Share"));
    ASSERT_NE(balance, nullptr);
    auto [classes, count] = tableWith(data, QStringLiteral("Class"));
    ASSERT_NE(classes, nullptr);
    const int setosa = rowOf(classes, QStringLiteral("setosa"));
    ASSERT_GE(setosa, 0);
    EXPECT_EQ(classes->values[size_t(setosa)][1], 50.0);
    EXPECT_EQ(classes->rows[size_t(setosa)][2], QStringLiteral("33.3 %"));

    const ReportSection *arch = section(*doc, "architecture");
    auto [layers, params] = tableWith(arch, QStringLiteral("Parameters"));
    ASSERT_NE(layers, nullptr);
    double total = 0;
    for (const auto &row : layers->values)
        total += row[size_t(params)];
    EXPECT_GT(total, 0);
    auto akv = blocks<ReportKeyValues>(arch);
    ASSERT_FALSE(akv.empty());
    bool found = false;
    for (const auto &[k, v] : akv.front()->pairs)
        if (k == u"Parameters") {
            found = true;
            EXPECT_TRUE(v.startsWith(QString::number(qint64(total)) + QLatin1Char(' '))) << qPrintable(v);
        }
    EXPECT_TRUE(found);
}

TEST_F(ReportBuilderTest, HyperparameterDifferencesAreEmphasisedExactlyWhereValuesDiffer)
{
    const qint64 a = addRun(QStringLiteral("a"), {}, {{QStringLiteral("lr"), 0.01}, {QStringLiteral("epochs"), 5},
                                                      {QStringLiteral("optimizer"), QStringLiteral("adam")}});
    const qint64 b = addRun(QStringLiteral("b"), {}, {{QStringLiteral("lr"), 0.001}, {QStringLiteral("epochs"), 5},
                                                      {QStringLiteral("optimizer"), QStringLiteral("adam")},
                                                      {QStringLiteral("seed"), 3}});
    auto doc = build({a, b}, {QStringLiteral("hyperparameters")});
    ASSERT_OK(doc);
    const auto tables = blocks<ReportTable>(section(*doc, "hyperparameters"));
    ASSERT_EQ(tables.size(), 1u);
    const ReportTable *t = tables.front();
    EXPECT_EQ(t->header, (QStringList{QStringLiteral("Hyperparameter"), QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_EQ(t->columnRun, (std::vector<int>{-1, 0, 1}));
    const QSet<QString> differing{QStringLiteral("lr"), QStringLiteral("seed")};
    ASSERT_EQ(t->rows.size(), 4u);
    for (size_t r = 0; r < t->rows.size(); ++r) {
        const QString key = t->rows[r][0];
        EXPECT_FALSE(t->emphasis[r][0]) << qPrintable(key);
        for (size_t c = 1; c < 3; ++c)
            EXPECT_EQ(t->emphasis[r][c], differing.contains(key)) << qPrintable(key) << " column " << c;
    }
    const int lr = rowOf(t, QStringLiteral("lr"));
    EXPECT_EQ(t->rows[size_t(lr)][2], QStringLiteral("0.001"));
    EXPECT_EQ(t->values[size_t(lr)][2], 0.001);
    EXPECT_EQ(t->rows[size_t(rowOf(t, QStringLiteral("seed")))][1], QStringLiteral("\u2013")) << "missing in run a";
}

TEST_F(ReportBuilderTest, MissingEvaluationAndDivergedRunAreWarnedNotFailedAndNaNStaysNaN)
{
    const qint64 good = addRun(QStringLiteral("good"), {{QStringLiteral("test_accuracy"), 0.9}, {QStringLiteral("train_loss"), 0.25}});
    addClassification(good, 3);
    const qint64 none = addRun(QStringLiteral("unevaluated"), {{QStringLiteral("train_loss"), 0.5}});
    const qint64 nan = addRun(QStringLiteral("exploded"), {{QStringLiteral("train_loss"), kNaN}},
                              {}, false, RunStatus::Failed, QStringLiteral("loss became NaN at step 12 (epoch 1)"));
    auto doc = build({good, none, nan});
    ASSERT_OK(doc);
    const ReportSection *metrics = section(*doc, "metrics");
    const QStringList w = warnings(metrics);
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [](const QString &t) {
        return t.contains(QStringLiteral("unevaluated")) && t.contains(QStringLiteral("no stored evaluation"));
    })) << qPrintable(w.join(u'\n'));
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [](const QString &t) {
        return t.startsWith(QStringLiteral("exploded diverged: train_loss is not finite")) &&
               t.contains(QStringLiteral("loss became NaN at step 12"));
    })) << qPrintable(w.join(u'\n'));
    auto [t, loss] = tableWith(metrics, QStringLiteral("train_loss"));
    ASSERT_NE(t, nullptr);
    const int r = rowOf(t, QStringLiteral("exploded"));
    EXPECT_EQ(t->rows[size_t(r)][loss], QStringLiteral("NaN"));
    EXPECT_TRUE(std::isnan(t->values[size_t(r)][size_t(loss)]));
    EXPECT_FALSE(t->emphasis[size_t(r)][size_t(loss)]) << "NaN is never the best";
    EXPECT_TRUE(t->emphasis[size_t(rowOf(t, QStringLiteral("good")))][size_t(loss)]);

    for (const char *id : {"confusion", "roc", "pr", "calibration"}) {
        const QStringList ew = warnings(section(*doc, id));
        EXPECT_TRUE(std::any_of(ew.begin(), ew.end(), [](const QString &t) {
            return t.contains(QStringLiteral("No stored evaluation")) && t.contains(QStringLiteral("unevaluated")) &&
                   t.contains(QStringLiteral("exploded"));
        })) << id << ": " << qPrintable(ew.join(u'\n'));
    }
    EXPECT_EQ(blocks<ReportMatrix>(section(*doc, "confusion")).size(), 1u);
}

TEST_F(ReportBuilderTest, RunsOfDifferentTasksAreWarnedAndEachTaskGetsItsCharts)
{
    const qint64 cls = addRun(QStringLiteral("classifier"), {{QStringLiteral("test_accuracy"), 0.9}});
    addClassification(cls, 3);
    const qint64 reg = addRun(QStringLiteral("regressor"), {{QStringLiteral("test_rmse"), 14.25}}, {}, true);
    addRegression(reg);
    auto doc = build({cls, reg});
    ASSERT_OK(doc);
    const QStringList w = warnings(section(*doc, "metrics"));
    ASSERT_FALSE(w.isEmpty());
    EXPECT_TRUE(w.first().contains(QStringLiteral("different tasks (classification: classifier; regression: regressor)")))
        << qPrintable(w.first());
    const QStringList cw = warnings(section(*doc, "confusion"));
    EXPECT_TRUE(std::any_of(cw.begin(), cw.end(), [](const QString &t) {
        return t.contains(QStringLiteral("Only classification runs are shown here; left out: regressor."));
    })) << qPrintable(cw.join(u'\n'));
    const auto residuals = blocks<ReportChart>(section(*doc, "residuals"));
    ASSERT_EQ(residuals.size(), 1u);
    ASSERT_EQ(residuals.front()->series.size(), 2u);
    EXPECT_EQ(residuals.front()->series[0].run, -1) << "the zero line";
    const ReportSeries &points = residuals.front()->series[1];
    EXPECT_EQ(points.run, 1);
    EXPECT_EQ(points.style, ReportSeries::Style::Points);
    EXPECT_GT(points.x.size(), 100u);
    EXPECT_LE(points.x.size(), size_t(ReportBuilder::kResidualColumns * ReportBuilder::kResidualRows));
    const QStringList rw = warnings(section(*doc, "residuals"));
    EXPECT_TRUE(std::any_of(rw.begin(), rw.end(), [](const QString &t) { return t.contains(QStringLiteral("classifier")); }));
}

TEST_F(ReportBuilderTest, RocPrAndCalibrationHaveUnitAxesTheDiagonalAndTheStoredAuc)
{
    const qint64 a = addRun(QStringLiteral("a"), {});
    addClassification(a, 4);
    auto doc = build({a}, {QStringLiteral("roc"), QStringLiteral("pr"), QStringLiteral("calibration")});
    ASSERT_OK(doc);
    auto eval = EvaluationRepository(db()).get(a, m_iris, QStringLiteral("test"));
    ASSERT_OK(eval);
    auto stored = ClassificationResult::fromJson(eval->report);
    ASSERT_OK(stored);
    const auto roc = blocks<ReportChart>(section(*doc, "roc"));
    ASSERT_EQ(roc.size(), 3u) << "one chart per class of three";
    for (const ReportChart *c : roc) {
        EXPECT_EQ(c->xMin, 0.0);
        EXPECT_EQ(c->xMax, 1.0);
        EXPECT_EQ(c->yMin, 0.0);
        EXPECT_EQ(c->yMax, 1.0);
        ASSERT_EQ(c->series.size(), 2u);
        EXPECT_EQ(c->series[0].run, -1);
        EXPECT_EQ(c->series[0].x, (std::vector<double>{0.0, 1.0}));
        EXPECT_EQ(c->series[0].y, (std::vector<double>{0.0, 1.0}));
    }
    EXPECT_EQ(roc[1]->series[1].name, QStringLiteral("a (AUC %1)").arg(Format::metric(stored->perClass[1].rocAuc)));
    EXPECT_EQ(roc[1]->series[1].x, stored->perClass[1].roc.fpr) << "few points: kept as stored";
    const auto pr = blocks<ReportChart>(section(*doc, "pr"));
    ASSERT_EQ(pr.size(), 3u);
    EXPECT_TRUE(pr[0]->series[0].name.startsWith(QStringLiteral("Chance (prevalence 0.3333)"))) << qPrintable(pr[0]->series[0].name);
    EXPECT_EQ(pr[0]->series[1].y, stored->perClass[0].pr.precision);
    const auto cal = blocks<ReportChart>(section(*doc, "calibration"));
    ASSERT_EQ(cal.size(), 1u);
    EXPECT_EQ(cal[0]->series[0].name, QStringLiteral("Perfectly calibrated"));
    EXPECT_EQ(cal[0]->xMax, 1.0);
    EXPECT_EQ(cal[0]->series[1].name, QStringLiteral("a (ECE %1)").arg(Format::metric(stored->ece)));
}

// 20 runs of 5,000 logged steps each: every curve is read as at most kCurveBuckets buckets
// (two points each), whatever its length, and a spike survives the decimation.
TEST_F(ReportBuilderTest, TwentyRunCurvesStayBoundedInPointsAndKeepTheirSpikes)
{
    QList<qint64> runs;
    for (int i = 0; i < 20; ++i)
        runs << addRun(QStringLiteral("trial %1").arg(i), {{QStringLiteral("val_loss"), 0.5}});
    {
        auto logger = MetricLogger::open(m_path);
        ASSERT_OK(logger);
        for (int i = 0; i < 20; ++i) {
            for (qint64 step = 1; step <= 5000; ++step) {
                const double spike = (i == 7 && step == 2500) ? 100.0 : 0.0;
                (*logger)->log(runs[i], QStringLiteral("loss"), step, 1.0 / double(step) + spike);
                if (step % 100 == 0) {
                    (*logger)->log(runs[i], QStringLiteral("epoch"), step, double(step / 100));
                    (*logger)->log(runs[i], QStringLiteral("val_loss"), step, 2.0 / double(step));
                    (*logger)->log(runs[i], QStringLiteral("samples_per_sec"), step, 1000.0);
                }
            }
        }
        ASSERT_OK((*logger)->close());
    }
    auto doc = build(runs, {QStringLiteral("curves")});
    ASSERT_OK(doc);
    const auto charts = blocks<ReportChart>(section(*doc, "curves"));
    ASSERT_EQ(charts.size(), 1u) << "loss and val_loss share a chart; samples_per_sec is bookkeeping";
    const ReportChart *c = charts.front();
    EXPECT_EQ(c->xLabel, QStringLiteral("Epoch"));
    EXPECT_EQ(c->series.size(), 40u);
    size_t total = 0;
    for (const ReportSeries &s : c->series) {
        EXPECT_LE(s.x.size(), size_t(2 * ReportBuilder::kCurveBuckets)) << qPrintable(s.name);
        EXPECT_EQ(s.x.size(), s.y.size());
        total += s.x.size();
        if (s.name == u"trial 7 loss")
            EXPECT_EQ(*std::max_element(s.y.begin(), s.y.end()), 100.0 + 1.0 / 2500.0);
        if (s.name.endsWith(QStringLiteral("val_loss"))) {
            EXPECT_EQ(s.style, ReportSeries::Style::Dashed);
            EXPECT_EQ(s.x.size(), 50u) << "short series: every point";
            EXPECT_DOUBLE_EQ(s.x.back(), 50.0) << "on the epoch axis";
        }
    }
    EXPECT_LE(total, size_t(20 * (2 * ReportBuilder::kCurveBuckets + 50)));
    EXPECT_GT(total, size_t(20 * 300));
}

TEST_F(ReportBuilderTest, UnknownRunOrSectionIsAnErrorNamingIt)
{
    const qint64 a = addRun(QStringLiteral("a"), {});
    auto run = build({a, 999});
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(run.error().contains(QStringLiteral("run 999"))) << qPrintable(run.error());
    auto sec = build({a}, {QStringLiteral("metrics"), QStringLiteral("bogus")});
    ASSERT_FALSE(sec.ok());
    EXPECT_EQ(sec.kind(), ErrorKind::InvalidInput);
    EXPECT_TRUE(sec.error().contains(QStringLiteral("\"bogus\""))) << qPrintable(sec.error());
    auto empty = build({});
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.kind(), ErrorKind::InvalidInput);
    // Sections come in the report's order, not the request's; explicit ones are always there.
    auto some = build({a}, {QStringLiteral("lineage"), QStringLiteral("residuals"), QStringLiteral("metrics")});
    ASSERT_OK(some);
    ASSERT_EQ(some->sections.size(), 3u);
    EXPECT_EQ(some->sections[0].id, QStringLiteral("metrics"));
    EXPECT_EQ(some->sections[1].id, QStringLiteral("residuals"));
    EXPECT_EQ(some->sections[2].id, QStringLiteral("lineage"));
}

TEST_F(ReportBuilderTest, ChecksDeploymentAndLineageFollowTheRunsPackage)
{
    const qint64 a = addRun(QStringLiteral("shipped"), {{QStringLiteral("test_accuracy"), 0.95}});
    const qint64 b = addRun(QStringLiteral("kept"), {{QStringLiteral("test_accuracy"), 0.91}});
    PackageRecord p;
    p.modelId = ModelRepository(db()).byName(QStringLiteral("iris-mlp"))->id;
    p.runId = a;
    p.name = QStringLiteral("iris-mlp");
    p.version = QStringLiteral("1.2.0");
    p.manifestJson = "{}";
    p.archive = "not a real archive";
    p.state = PackageState::GateFailed;
    p.checks = QJsonObject{
        {QStringLiteral("format"), 1},
        {QStringLiteral("status"), QStringLiteral("failed")},
        {QStringLiteral("run_at"), QStringLiteral("2026-12-01T10:00:00Z")},
        {QStringLiteral("by"), QStringLiteral("ada@lab")},
        {QStringLiteral("items"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("gate.accuracy")},
                                {QStringLiteral("group"), QStringLiteral("quality")},
                                {QStringLiteral("name"), QStringLiteral("Test accuracy")},
                                {QStringLiteral("value"), 0.95},
                                {QStringLiteral("op"), QStringLiteral(">=")},
                                {QStringLiteral("threshold"), 0.9},
                                {QStringLiteral("passed"), true},
                                {QStringLiteral("gate"), true}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("latency.p99")},
                                {QStringLiteral("group"), QStringLiteral("latency")},
                                {QStringLiteral("name"), QStringLiteral("p99 latency")},
                                {QStringLiteral("value"), 12.5},
                                {QStringLiteral("op"), QStringLiteral("<=")},
                                {QStringLiteral("threshold"), 10.0},
                                {QStringLiteral("passed"), false},
                                {QStringLiteral("gate"), true},
                                {QStringLiteral("unit"), QStringLiteral("ms")}}}}};
    auto pid = PackageRepository(db()).add(p);
    ASSERT_OK(pid);
    TargetRecord target;
    target.name = QStringLiteral("edge-1");
    target.url = QStringLiteral("http://127.0.0.1:8080");
    target.createdBy = QStringLiteral("ada@lab");
    auto tid = TargetRepository(db()).add(target);
    ASSERT_OK(tid);
    DeploymentRecord d;
    d.targetId = *tid;
    d.packageId = *pid;
    d.model = QStringLiteral("iris-mlp");
    d.version = QStringLiteral("1.2.0");
    d.action = DeploymentAction::Canary;
    d.canaryPercent = 10;
    d.by = QStringLiteral("ada@lab");
    ASSERT_OK(DeploymentRepository(db()).add(d));

    auto doc = build({a, b});
    ASSERT_OK(doc);
    const ReportSection *checks = section(*doc, "checks");
    ASSERT_NE(checks, nullptr);
    const QStringList w = warnings(checks);
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [](const QString &t) { return t.startsWith(QStringLiteral("Gates failed: p99 latency")); }))
        << qPrintable(w.join(u'\n'));
    auto [items, value] = tableWith(checks, QStringLiteral("Value"));
    ASSERT_NE(items, nullptr);
    const int latency = rowOf(items, QStringLiteral("p99 latency"));
    EXPECT_EQ(items->rows[size_t(latency)][value], QStringLiteral("12.5 ms"));
    EXPECT_EQ(items->values[size_t(latency)][size_t(value)], 12.5);
    EXPECT_TRUE(items->emphasis[size_t(latency)][4]);
    EXPECT_EQ(items->rowRun[size_t(latency)], 0);

    const ReportSection *deployment = section(*doc, "deployment");
    ASSERT_NE(deployment, nullptr);
    auto [history, canary] = tableWith(deployment, QStringLiteral("Canary"));
    ASSERT_NE(history, nullptr);
    EXPECT_EQ(history->rows.at(0)[canary], QStringLiteral("10 %"));

    auto [lineage, pkgs] = tableWith(section(*doc, "lineage"), QStringLiteral("Packages"));
    ASSERT_NE(lineage, nullptr);
    const int shipped = rowOf(lineage, QStringLiteral("shipped"));
    EXPECT_EQ(lineage->rows[size_t(shipped)][pkgs], QStringLiteral("iris-mlp 1.2.0 (gate_failed)"));
    EXPECT_EQ(lineage->rows[size_t(shipped)][5], QStringLiteral("edge-1 (iris-mlp 1.2.0)"));
    EXPECT_EQ(lineage->rows[size_t(rowOf(lineage, QStringLiteral("kept")))][pkgs], QStringLiteral("\u2013"));
}
