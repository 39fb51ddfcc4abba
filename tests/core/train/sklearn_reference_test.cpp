// SPDX-License-Identifier: MIT
// The evaluation metrics of real runs against the reference implementation: scikit-learn
// (python3-sklearn) recomputes every metric from the very numbers our evaluator scored, with the
// true labels and values read from the raw CSV files, and each metric, per-class value and
// confusion-matrix cell must agree within 1e-9 (relative above 1).

#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "eval/scored_rows.h"
#include "store/evaluation_repository.h"
#include "store/project_file.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "inference/run_evaluator.h"
#include "train/training_session.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace mlwb;
using namespace mlwb::test;

namespace {

constexpr double kTolerance = 1e-9;

struct RunCase {
    QString dataset;
    QString csv;    // the raw file the data set was imported from
    QString target; // its target column
};

} // namespace

class SklearnReferenceTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
    }

    RunCase importCsv(const QString &csv, const QString &name, const QString &target,
                      ImportOptions options = {}, SplitSpec split = {})
    {
        options.target = target;
        auto id = DatasetCatalog(m_project->db()).importCsv(csv, name, options, split);
        EXPECT_TRUE(id.ok()) << qPrintable(id.error());
        return {name, csv, target};
    }

    qint64 train(const RunCase &data, const QString &templ, int epochs, int batchSize,
                 double lr = 1e-3)
    {
        const QString model = data.dataset + QStringLiteral("-") + templ;
        auto m = ModelCatalog(m_project->db()).createFromTemplate(model, data.dataset, templ);
        EXPECT_TRUE(m.ok()) << qPrintable(m.error());
        TrainRequest r;
        r.modelName = model;
        r.config.epochs = epochs;
        r.config.batchSize = batchSize;
        r.config.learningRate = lr;
        r.config.seed = 7;
        r.config.threads = 2;
        r.ownerLease = m_project->leaseId();
        auto result = TrainingSession::run(m_project->path(), r, nullptr);
        EXPECT_TRUE(result.ok()) << qPrintable(result.error());
        if (!result.ok())
            return 0;
        EXPECT_EQ(result->status, RunStatus::Finished) << qPrintable(result->message);
        return result->runId;
    }

    // Evaluates the run on a split, checks the stored report is the one computed from the scored
    // rows, has sklearn recompute everything from those rows and compares.
    void compareWithSklearn(qint64 run, const RunCase &data, const QString &split)
    {
        SCOPED_TRACE(QStringLiteral("run %1 (%2) on %3").arg(run).arg(data.dataset, split).toStdString());
        ScoredRows scored;
        auto record = RunEvaluator(m_project->db()).evaluate(run, QString(), split, &scored);
        ASSERT_TRUE(record.ok()) << qPrintable(record.error());
        const QJsonObject &report = record->report;
        ASSERT_EQ(scored.size(), report.value(QStringLiteral("n")).toInteger());
        ASSERT_GT(scored.size(), 20);

        // What is stored is what these rows give: they are the evaluator's input.
        auto stored = EvaluationRepository(m_project->db()).get(run, record->datasetId, record->split);
        ASSERT_TRUE(stored.ok()) << qPrintable(stored.error());
        EXPECT_EQ(stored->report, report);
        if (scored.isClassification()) {
            auto again = ClassificationEvaluator::evaluate(scored.probabilities, scored.labels,
                                                           scored.classNames);
            ASSERT_TRUE(again.ok()) << qPrintable(again.error());
            EXPECT_EQ(again->toJson(), report);
        } else {
            auto again = RegressionEvaluator::evaluate(std::span<const double>(scored.predictions),
                                                       std::span<const double>(scored.targets));
            ASSERT_TRUE(again.ok()) << qPrintable(again.error());
            EXPECT_EQ(again->toJson(), report);
        }

        const QString rowsCsv = path(QStringLiteral("run%1-%2.csv").arg(run).arg(split));
        QFile f(rowsCsv);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(scored.toCsv());
        f.close();
        const PythonRun py = runPythonFile(pythonScriptPath(QStringLiteral("sklearn_metrics.py")),
                                           {rowsCsv, data.csv, data.target});
        ASSERT_TRUE(py.ok()) << py.err.constData();
        QJsonParseError parseError;
        const QJsonObject ref = QJsonDocument::fromJson(py.out, &parseError).object();
        ASSERT_EQ(parseError.error, QJsonParseError::NoError) << py.out.constData();
        EXPECT_EQ(ref.value(QStringLiteral("rows")).toInteger(), scored.size());
        EXPECT_EQ(ref.value(QStringLiteral("target_mismatches")).toInt(-1), 0)
            << "the labels we scored are the CSV's";

        const QJsonObject ours = report.value(QStringLiteral("metrics")).toObject();
        const auto expectAgree = [](const QJsonValue &mine, const QJsonValue &theirs,
                                    const QString &what) {
            ASSERT_TRUE(theirs.isDouble()) << what.toStdString() << ": sklearn gave "
                                           << QJsonDocument(QJsonArray{theirs}).toJson().constData();
            ASSERT_TRUE(mine.isDouble()) << what.toStdString() << " is missing in our report";
            EXPECT_TRUE(nearlyEqual(mine.toDouble(), theirs.toDouble(), kTolerance))
                << what.toStdString() << ": ours " << mine.toDouble() << ", sklearn "
                << theirs.toDouble() << ", difference " << mine.toDouble() - theirs.toDouble();
        };

        if (!scored.isClassification()) {
            for (const char *k : {"mse", "rmse", "mae", "r2", "max_error"})
                expectAgree(ours.value(QLatin1String(k)), ref.value(QLatin1String(k)), QLatin1String(k));
            return;
        }

        EXPECT_EQ(ref.value(QStringLiteral("argmax_mismatches")).toInt(-1), 0);
        for (const char *k : {"accuracy", "balanced_accuracy", "precision_macro", "recall_macro",
                              "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted",
                              "log_loss", "roc_auc", "average_precision"})
            expectAgree(ours.value(QLatin1String(k)), ref.value(QLatin1String(k)), QLatin1String(k));

        const QJsonArray ourClasses = report.value(QStringLiteral("per_class")).toArray();
        const QJsonArray refClasses = ref.value(QStringLiteral("per_class")).toArray();
        ASSERT_EQ(ourClasses.size(), scored.classNames.size());
        ASSERT_EQ(refClasses.size(), ourClasses.size());
        for (qsizetype c = 0; c < ourClasses.size(); ++c) {
            const QJsonObject mine = ourClasses[c].toObject();
            const QJsonObject theirs = refClasses[c].toObject();
            const QString name = mine.value(QStringLiteral("name")).toString();
            EXPECT_EQ(theirs.value(QStringLiteral("name")).toString(), name);
            EXPECT_EQ(mine.value(QStringLiteral("support")).toInteger(),
                      theirs.value(QStringLiteral("support")).toInteger()) << name.toStdString();
            for (const char *k : {"precision", "recall", "f1", "roc_auc", "average_precision"})
                expectAgree(mine.value(QLatin1String(k)), theirs.value(QLatin1String(k)),
                            name + QLatin1Char('.') + QLatin1String(k));
        }
        EXPECT_EQ(report.value(QStringLiteral("confusion_matrix")).toArray(),
                  ref.value(QStringLiteral("confusion_matrix")).toArray());
    }
};

TEST_F(SklearnReferenceTest, IrisMlpThreeClasses)
{
    MLWB_REQUIRE_PYTHON("sklearn.metrics");
    SplitSpec split;
    split.trainFraction = 0.6;
    split.validationFraction = 0.2;
    const RunCase iris = importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"),
                                   QStringLiteral("species"), {}, split);
    const qint64 run = train(iris, QStringLiteral("mlp"), 60, 16);
    ASSERT_GT(run, 0);
    compareWithSklearn(run, iris, QStringLiteral("test"));
    compareWithSklearn(run, iris, QStringLiteral("all"));
}

TEST_F(SklearnReferenceTest, DigitsMlpTenClassesAfterTwoEpochs)
{
    // Two epochs leave a model that is still wrong often: confident mistakes, uneven classes.
    MLWB_REQUIRE_PYTHON("sklearn.metrics");
    const RunCase digits = importCsv(datasetPath(QStringLiteral("digits.csv")),
                                     QStringLiteral("digits"), QStringLiteral("digit"));
    const qint64 run = train(digits, QStringLiteral("mlp"), 2, 64);
    ASSERT_GT(run, 0);
    compareWithSklearn(run, digits, QStringLiteral("test"));
}

TEST_F(SklearnReferenceTest, BinaryMixedFeaturesFromDiabetes)
{
    MLWB_REQUIRE_PYTHON("sklearn.metrics");
    ImportOptions options;
    options.missing = MissingPolicy::ImputeMedian;
    const RunCase mixed = importCsv(testDataPath(QStringLiteral("interop/diabetes_mixed.csv")),
                                    QStringLiteral("mixed"), QStringLiteral("risk"), options);
    const qint64 run = train(mixed, QStringLiteral("mlp"), 30, 32);
    ASSERT_GT(run, 0);
    compareWithSklearn(run, mixed, QStringLiteral("test"));
    compareWithSklearn(run, mixed, QStringLiteral("all"));
}

TEST_F(SklearnReferenceTest, DiabetesRegression)
{
    MLWB_REQUIRE_PYTHON("sklearn.metrics");
    const RunCase diabetes = importCsv(datasetPath(QStringLiteral("diabetes.csv")),
                                       QStringLiteral("diabetes"), QStringLiteral("progression"));
    const qint64 run = train(diabetes, QStringLiteral("linear"), 100, 32, 0.01);
    ASSERT_GT(run, 0);
    compareWithSklearn(run, diabetes, QStringLiteral("test"));
    compareWithSklearn(run, diabetes, QStringLiteral("all"));
}
