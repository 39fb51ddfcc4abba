// SPDX-License-Identifier: MIT
#include "report/report_builder.h"

#include "checks/check_report.h"
#include "common/format.h"
#include "common/json_number.h"
#include "common/run_palette.h"
#include "data/column_info.h"
#include "data/data_table.h"
#include "eval/binary_curves.h"
#include "eval/classification_result.h"
#include "eval/metric_direction.h"
#include "eval/metric_order.h"
#include "eval/regression_result.h"
#include "eval/run_comparison.h"
#include "inference/torch_runtime.h"
#include "jobs/job_feedback.h"
#include "model/model_spec.h"
#include "model/shape_inference.h"
#include "store/database.h"
#include "store/dataset_repository.h"
#include "store/deployment_repository.h"
#include "store/evaluation_repository.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/package_repository.h"
#include "store/run_repository.h"
#include "store/target_repository.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSysInfo>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace mlwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Reference lines (chance, perfect calibration, zero residual): not a run's colour.
const QString kReferenceColor = QStringLiteral("#8c8c8c");
const QString kDash = QStringLiteral("\u2013");

struct SectionInfo {
    const char *id;
    const char *title;
};

constexpr SectionInfo kSections[] = {
    {"dataset", "Data set"},
    {"architecture", "Architecture"},
    {"hyperparameters", "Hyperparameters"},
    {"metrics", "Metrics"},
    {"curves", "Learning curves"},
    {"confusion", "Confusion matrices"},
    {"roc", "ROC curves"},
    {"pr", "Precision-recall curves"},
    {"calibration", "Calibration"},
    {"residuals", "Residuals"},
    {"checks", "Package checks"},
    {"deployment", "Deployment"},
    {"environment", "Environment"},
    {"lineage", "Lineage"},
};

// One run as the builder reads it once for every section.
struct RunData {
    RunRecord record;
    QString name;
    int index = 0; // into ReportDocument::runs
    MetricOrder::Task task = MetricOrder::Task::Unknown;
    std::optional<EvaluationRecord> evaluation;
    std::optional<ClassificationResult> classification;
    std::optional<RegressionResult> regression;
    QString evaluationError; // the stored report could not be read
    QStringList nonFinite;   // summary keys whose value is NaN or infinite
};

QString taskName(MetricOrder::Task task)
{
    switch (task) {
    case MetricOrder::Task::Classification:
        return QStringLiteral("classification");
    case MetricOrder::Task::Regression:
        return QStringLiteral("regression");
    case MetricOrder::Task::Unknown:
        break;
    }
    return QStringLiteral("unknown task");
}

// The evaluation the Run pane and the Compare pane show: the test split, else the newest.
std::optional<EvaluationRecord> pickEvaluation(const QList<EvaluationRecord> &all)
{
    for (const EvaluationRecord &r : all)
        if (r.split == u"test")
            return r;
    if (all.isEmpty())
        return std::nullopt;
    return all.last();
}

QString joinNames(const QStringList &names)
{
    return names.join(QStringLiteral(", "));
}

ReportParagraph paragraph(const QString &text, ReportParagraph::Tone tone = ReportParagraph::Tone::Normal)
{
    return ReportParagraph{text, tone};
}
ReportParagraph warning(const QString &text)
{
    return paragraph(text, ReportParagraph::Tone::Warning);
}
ReportParagraph note(const QString &text)
{
    return paragraph(text, ReportParagraph::Tone::Note);
}

// Rows added with every per-row vector kept the same shape as `rows`.
void addRow(ReportTable &table, const QStringList &cells, const std::vector<double> &values,
            const std::vector<bool> &emphasis = {}, int run = -1)
{
    table.rows.push_back(cells);
    std::vector<double> v = values;
    v.resize(size_t(cells.size()), kNaN);
    table.values.push_back(std::move(v));
    std::vector<bool> e = emphasis;
    e.resize(size_t(cells.size()), false);
    table.emphasis.push_back(std::move(e));
    table.rowRun.push_back(run);
}

ReportTable makeTable(const QString &caption, const QStringList &header,
                      const std::vector<ReportTable::Align> &align)
{
    ReportTable t;
    t.caption = caption;
    t.header = header;
    t.align = align;
    t.align.resize(size_t(header.size()), ReportTable::Align::Right);
    t.columnRun.assign(size_t(header.size()), -1);
    return t;
}

QString share(qint64 part, qint64 whole)
{
    return whole > 0 ? QStringLiteral("%1 %").arg(100.0 * double(part) / double(whole), 0, 'f', 1) : kDash;
}

// "val_loss" is drawn dashed, "test_accuracy" as points, the rest (train, per-step) as lines.
ReportSeries::Style styleOf(const QString &key)
{
    const QString k = key.toLower();
    for (const char *p : {"val_", "val/", "val.", "validation_", "valid_"})
        if (k.startsWith(QLatin1String(p)))
            return ReportSeries::Style::Dashed;
    for (const char *p : {"test_", "test/", "test.", "eval_"})
        if (k.startsWith(QLatin1String(p)))
            return ReportSeries::Style::Points;
    return ReportSeries::Style::Line;
}

// The epoch at a step from a run's "epoch" series (epoch e logged at the step that ends it),
// linear in between, as the Compare pane's epoch axis places it.
double epochAt(const std::vector<MetricPoint> &epochs, qint64 step)
{
    const auto after = std::lower_bound(epochs.begin(), epochs.end(), step,
                                        [](const MetricPoint &p, qint64 s) { return p.step < s; });
    if (after != epochs.end() && after->step == step)
        return after->value;
    double s0 = 0, e0 = 0, s1 = 0, e1 = 0;
    if (after == epochs.begin()) {
        s1 = double(after->step);
        e1 = after->value;
    } else if (after == epochs.end()) {
        const auto last = epochs.end() - 1;
        s1 = double(last->step);
        e1 = last->value;
        if (last != epochs.begin()) {
            s0 = double((last - 1)->step);
            e0 = (last - 1)->value;
        }
    } else {
        s0 = double((after - 1)->step);
        e0 = (after - 1)->value;
        s1 = double(after->step);
        e1 = after->value;
    }
    if (s1 <= s0)
        return e1;
    return e0 + (e1 - e0) * (double(step) - s0) / (s1 - s0);
}

ReportSeries reference(const QString &name, std::vector<double> x, std::vector<double> y)
{
    ReportSeries s;
    s.name = name;
    s.color = kReferenceColor;
    s.style = ReportSeries::Style::Dashed;
    s.x = std::move(x);
    s.y = std::move(y);
    return s;
}

ReportChart unitChart(const QString &title, const QString &xLabel, const QString &yLabel)
{
    ReportChart c;
    c.title = title;
    c.xLabel = xLabel;
    c.yLabel = yLabel;
    c.xMin = c.yMin = 0.0;
    c.xMax = c.yMax = 1.0;
    return c;
}

QString cpuName()
{
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    return QString::fromUtf8(line.mid(colon + 1)).trimmed();
            }
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

class Builder {
public:
    Builder(Database &db, JobFeedback *feedback) : m_db(db), m_feedback(feedback) {}

    Result<ReportDocument> build(const ReportRequest &request);

private:
    Status loadRuns(const QList<qint64> &ids);
    bool applies(const QString &id) const;

    void datasetSection(ReportSection &s);
    void architectureSection(ReportSection &s);
    void hyperparameterSection(ReportSection &s);
    void metricsSection(ReportSection &s);
    void curvesSection(ReportSection &s);
    void confusionSection(ReportSection &s);
    void rocSection(ReportSection &s, bool pr);
    void calibrationSection(ReportSection &s);
    void residualsSection(ReportSection &s);
    void checksSection(ReportSection &s);
    void deploymentSection(ReportSection &s);
    void environmentSection(ReportSection &s);
    void lineageSection(ReportSection &s);

    // Warnings shared by the evaluation sections: runs without (readable) evaluations, and runs
    // of the other task when the set is mixed.
    void evaluationWarnings(ReportSection &s, MetricOrder::Task wanted);
    bool mixedTasks() const;

    const QList<PackageRecord> &packages();
    const QList<std::pair<TargetRecord, QList<DeploymentRecord>>> &deployments();

    Database &m_db;
    JobFeedback *m_feedback;
    ReportDocument m_doc;
    std::vector<RunData> m_runs;
    RunComparison m_comparison;
    std::optional<QList<PackageRecord>> m_packages;
    std::optional<QList<std::pair<TargetRecord, QList<DeploymentRecord>>>> m_deployments;
    QStringList m_readErrors; // what could not be read, said in the section that needed it
};

Status Builder::loadRuns(const QList<qint64> &ids)
{
    RunRepository runs(m_db);
    EvaluationRepository evaluations(m_db);
    DatasetRepository datasets(m_db);
    QList<qint64> unique;
    for (qint64 id : ids) {
        if (unique.contains(id))
            continue;
        unique << id;
        auto record = runs.get(id);
        if (!record) {
            if (record.kind() == ErrorKind::NotFound)
                return notFound(QStringLiteral("run %1 is not in the project (see mlwb runs FILE)").arg(id));
            return record.failure().reworded(QStringLiteral("run %1: %2").arg(id).arg(record.error()));
        }
        RunData r;
        r.record = *record;
        r.name = Format::runName(record->name, id);
        r.index = int(m_runs.size());
        for (auto it = record->summary.begin(); it != record->summary.end(); ++it)
            if (it.value().isDouble() && !std::isfinite(it.value().toDouble()))
                r.nonFinite << it.key();
        r.task = MetricOrder::taskFromName(record->summary.value(QStringLiteral("task")).toString());
        if (auto all = evaluations.forRun(id); all.ok()) {
            r.evaluation = pickEvaluation(*all);
        } else {
            r.evaluationError = all.error();
        }
        if (r.evaluation) {
            const QString kind = r.evaluation->report.value(QStringLiteral("kind")).toString();
            if (kind == u"regression") {
                auto reg = RegressionResult::fromJson(r.evaluation->report);
                if (reg)
                    r.regression = std::move(*reg);
                else
                    r.evaluationError = reg.error();
                if (r.task == MetricOrder::Task::Unknown)
                    r.task = MetricOrder::Task::Regression;
            } else {
                auto cls = ClassificationResult::fromJson(r.evaluation->report);
                if (cls)
                    r.classification = std::move(*cls);
                else
                    r.evaluationError = cls.error();
                if (r.task == MetricOrder::Task::Unknown && kind == u"classification")
                    r.task = MetricOrder::Task::Classification;
            }
        }
        if (r.task == MetricOrder::Task::Unknown) {
            // A run that never finished has no task in its summary: its data set says it.
            if (auto d = datasets.get(record->datasetId); d.ok())
                r.task = MetricOrder::taskFromName(
                    QJsonDocument::fromJson(d->schemaJson).object().value(QStringLiteral("task")).toString());
        }
        m_doc.runs.push_back(ReportRun{id, r.name, RunPalette::color(id)});
        m_runs.push_back(std::move(r));
    }
    RunRepository comparisonRuns(m_db);
    MetricReader metrics(m_db);
    m_comparison = RunComparison::load(comparisonRuns, metrics, unique);
    return {};
}

bool Builder::mixedTasks() const
{
    QSet<int> tasks;
    for (const RunData &r : m_runs)
        tasks.insert(int(r.task));
    return tasks.size() > 1;
}

const QList<PackageRecord> &Builder::packages()
{
    if (!m_packages) {
        m_packages = QList<PackageRecord>();
        auto all = PackageRepository(m_db).list();
        if (!all) {
            m_readErrors << QStringLiteral("packages: %1").arg(all.error());
        } else {
            QSet<qint64> ids;
            for (const RunData &r : m_runs)
                ids.insert(r.record.id);
            for (const PackageRecord &p : *all)
                if (ids.contains(p.runId))
                    m_packages->append(p);
        }
    }
    return *m_packages;
}

const QList<std::pair<TargetRecord, QList<DeploymentRecord>>> &Builder::deployments()
{
    if (!m_deployments) {
        m_deployments = QList<std::pair<TargetRecord, QList<DeploymentRecord>>>();
        QSet<qint64> packageIds;
        for (const PackageRecord &p : packages())
            packageIds.insert(p.id);
        auto targets = TargetRepository(m_db).list();
        if (!targets) {
            m_readErrors << QStringLiteral("targets: %1").arg(targets.error());
        } else {
            DeploymentRepository repo(m_db);
            for (const TargetRecord &t : *targets) {
                auto records = repo.list(t.id);
                if (!records) {
                    m_readErrors << QStringLiteral("target %1: %2").arg(t.name, records.error());
                    continue;
                }
                QList<DeploymentRecord> ours;
                for (const DeploymentRecord &d : *records)
                    if (packageIds.contains(d.packageId))
                        ours << d;
                if (!ours.isEmpty())
                    m_deployments->append({t, *records});
            }
        }
    }
    return *m_deployments;
}

bool Builder::applies(const QString &id) const
{
    const auto any = [this](MetricOrder::Task task) {
        return std::any_of(m_runs.begin(), m_runs.end(), [task](const RunData &r) { return r.task == task; });
    };
    if (id == u"confusion" || id == u"roc" || id == u"pr" || id == u"calibration")
        return any(MetricOrder::Task::Classification);
    if (id == u"residuals")
        return any(MetricOrder::Task::Regression);
    return true;
}

Result<ReportDocument> Builder::build(const ReportRequest &request)
{
    if (request.runIds.isEmpty())
        return invalidInput(QStringLiteral("a report needs at least one run"));
    const QStringList known = ReportBuilder::sectionIds();
    QStringList wanted;
    for (const QString &raw : request.sections) {
        const QString id = raw.trimmed().toLower();
        if (id.isEmpty())
            continue;
        if (!known.contains(id))
            return invalidInput(QStringLiteral("unknown report section \"%1\"; sections are %2")
                                    .arg(raw, known.join(QStringLiteral(", "))));
        if (!wanted.contains(id))
            wanted << id;
    }
    if (auto s = loadRuns(request.runIds); !s)
        return s.failure();

    m_doc.author = request.author;
    m_doc.project = QFileInfo(m_db.path()).fileName();
    m_doc.created = QDateTime::currentDateTimeUtc();
    m_doc.title = !request.title.trimmed().isEmpty() ? request.title.trimmed()
                  : m_runs.size() == 1 ? QStringLiteral("Report on %1").arg(m_runs.front().name)
                                       : QStringLiteral("Report on %1 runs").arg(m_runs.size());

    const bool all = wanted.isEmpty();
    const QStringList ids = all ? known : wanted;
    int done = 0;
    for (const QString &id : known) {
        if (!ids.contains(id))
            continue;
        if (m_feedback) {
            if (m_feedback->isCanceled())
                return cancelled(QStringLiteral("the report was cancelled"));
            m_feedback->setProgress(double(done) / double(ids.size()),
                                    QStringLiteral("report: %1").arg(ReportBuilder::sectionTitle(id)));
        }
        ++done;
        if (all && !applies(id))
            continue;
        ReportSection section;
        section.id = id;
        section.title = ReportBuilder::sectionTitle(id);
        m_readErrors.clear();
        if (id == u"dataset")
            datasetSection(section);
        else if (id == u"architecture")
            architectureSection(section);
        else if (id == u"hyperparameters")
            hyperparameterSection(section);
        else if (id == u"metrics")
            metricsSection(section);
        else if (id == u"curves")
            curvesSection(section);
        else if (id == u"confusion")
            confusionSection(section);
        else if (id == u"roc")
            rocSection(section, false);
        else if (id == u"pr")
            rocSection(section, true);
        else if (id == u"calibration")
            calibrationSection(section);
        else if (id == u"residuals")
            residualsSection(section);
        else if (id == u"checks") {
            if (all && packages().isEmpty() && m_readErrors.isEmpty())
                continue;
            checksSection(section);
        } else if (id == u"deployment") {
            if (all && deployments().isEmpty() && m_readErrors.isEmpty())
                continue;
            deploymentSection(section);
        } else if (id == u"environment")
            environmentSection(section);
        else if (id == u"lineage")
            lineageSection(section);
        for (const QString &e : std::as_const(m_readErrors))
            section.blocks.push_back(warning(QStringLiteral("Could not be read: %1").arg(e)));
        m_doc.sections.push_back(std::move(section));
    }
    if (m_feedback)
        m_feedback->setProgress(1.0, QStringLiteral("report built"));
    return std::move(m_doc);
}

// --- data set -----------------------------------------------------------------------------

void Builder::datasetSection(ReportSection &s)
{
    DatasetRepository datasets(m_db);
    EvaluationRepository evaluations(m_db);
    QList<qint64> ids;
    for (const RunData &r : m_runs)
        if (!ids.contains(r.record.datasetId))
            ids << r.record.datasetId;
    for (qint64 id : std::as_const(ids)) {
        QStringList users;
        for (const RunData &r : m_runs)
            if (r.record.datasetId == id)
                users << r.name;
        auto d = datasets.get(id);
        if (!d) {
            s.blocks.push_back(warning(QStringLiteral("The data set of %1 cannot be read: %2").arg(joinNames(users), d.error())));
            continue;
        }
        s.blocks.push_back(ReportHeading{d->name, 2});
        if (ids.size() > 1)
            s.blocks.push_back(note(QStringLiteral("Used by %1.").arg(joinNames(users))));
        const QJsonObject schema = QJsonDocument::fromJson(d->schemaJson).object();
        const QString task = schema.value(QStringLiteral("task")).toString();
        const QString target = schema.value(QStringLiteral("target")).toString();
        ReportKeyValues kv;
        kv.caption = QStringLiteral("Summary");
        kv.pairs = {{QStringLiteral("Name"), d->name},
                    {QStringLiteral("Task"), task.isEmpty() ? kDash : task},
                    {QStringLiteral("Target column"), target.isEmpty() ? kDash : target},
                    {QStringLiteral("Rows"), QString::number(d->rowCount)},
                    {QStringLiteral("Columns"), QString::number(d->columnCount)},
                    {QStringLiteral("Content hash (SHA-256)"), d->contentHash},
                    {QStringLiteral("Source file"), d->sourcePath.isEmpty() ? kDash : d->sourcePath},
                    {QStringLiteral("Imported"), Format::dateTime(d->createdAt)}};
        if (const qint64 dropped = schema.value(QStringLiteral("droppedRows")).toInteger(); dropped > 0)
            kv.pairs.emplace_back(QStringLiteral("Rows dropped for missing values"), QString::number(dropped));
        s.blocks.push_back(std::move(kv));

        if (auto split = evaluations.split(id); split.ok()) {
            qint64 counts[3] = {0, 0, 0};
            for (quint8 part : split->assignment)
                if (part < 3)
                    ++counts[part];
            const qint64 total = counts[0] + counts[1] + counts[2];
            ReportTable t = makeTable(QStringLiteral("Split (seed %1%2)")
                                          .arg(split->seed)
                                          .arg(split->stratified ? QStringLiteral(", stratified") : QString()),
                                      {QStringLiteral("Part"), QStringLiteral("Rows"), QStringLiteral("Share")},
                                      {ReportTable::Align::Left});
            const char *names[] = {"train", "validation", "test"};
            for (int i = 0; i < 3; ++i)
                addRow(t, {QString::fromLatin1(names[i]), QString::number(counts[i]), share(counts[i], total)},
                       {kNaN, double(counts[i]), total > 0 ? double(counts[i]) / double(total) : kNaN});
            s.blocks.push_back(std::move(t));
        }

        auto columns = DataTable::columnsFromSchemaJson(schema);
        if (!columns) {
            s.blocks.push_back(warning(QStringLiteral("The schema of %1 cannot be read: %2").arg(d->name, columns.error())));
            continue;
        }
        if (task == u"classification") {
            for (const ColumnInfo &c : *columns) {
                if (c.name != target || c.categoryCounts.size() != c.categories.size())
                    continue;
                qint64 total = 0;
                for (qint64 n : c.categoryCounts)
                    total += n;
                ReportTable t = makeTable(QStringLiteral("Class balance (%1)").arg(target),
                                          {QStringLiteral("Class"), QStringLiteral("Rows"), QStringLiteral("Share")},
                                          {ReportTable::Align::Left});
                for (qsizetype i = 0; i < c.categories.size(); ++i)
                    addRow(t, {c.categories[i], QString::number(c.categoryCounts[i]), share(c.categoryCounts[i], total)},
                           {kNaN, double(c.categoryCounts[i]), total > 0 ? double(c.categoryCounts[i]) / double(total) : kNaN});
                s.blocks.push_back(std::move(t));
            }
        }
        ReportTable t = makeTable(QStringLiteral("Schema"),
                                  {QStringLiteral("Column"), QStringLiteral("Type"), QStringLiteral("Missing"),
                                   QStringLiteral("Min"), QStringLiteral("Max"), QStringLiteral("Mean"),
                                   QStringLiteral("Std. dev."), QStringLiteral("Distinct")},
                                  {ReportTable::Align::Left, ReportTable::Align::Left});
        for (const ColumnInfo &c : *columns) {
            const bool coded = c.isCoded();
            const QString type = columnTypeName(c.type) + (c.name == target ? QStringLiteral(" (target)") : QString());
            const auto cell = [coded](double v) { return coded ? kDash : Format::metric(v); };
            addRow(t, {c.name, type, QString::number(c.missing), cell(c.min), cell(c.max), cell(c.mean), cell(c.stddev),
                       QString::number(coded ? qint64(c.categories.size()) : c.distinct)},
                   {kNaN, kNaN, double(c.missing), coded ? kNaN : c.min, coded ? kNaN : c.max, coded ? kNaN : c.mean,
                    coded ? kNaN : c.stddev, double(coded ? qint64(c.categories.size()) : c.distinct)});
        }
        s.blocks.push_back(std::move(t));
    }
}

// --- architecture -------------------------------------------------------------------------

void Builder::architectureSection(ReportSection &s)
{
    ModelRepository models(m_db);
    QList<qint64> versions;
    for (const RunData &r : m_runs)
        if (!versions.contains(r.record.modelVersionId))
            versions << r.record.modelVersionId;
    for (qint64 versionId : std::as_const(versions)) {
        QStringList users;
        const RunData *first = nullptr;
        for (const RunData &r : m_runs)
            if (r.record.modelVersionId == versionId) {
                users << r.name;
                if (!first)
                    first = &r;
            }
        if (versionId == 0) { // runs training scripts logged through the tracking endpoint
            s.blocks.push_back(ReportHeading{QStringLiteral("Runs logged by scripts"), 2});
            s.blocks.push_back(note(QStringLiteral("%1 logged their metrics through the tracking endpoint; the model each script trained is "
                                                   "not in the project unless it was imported from the run's TorchScript artifact.")
                                        .arg(joinNames(users))));
            continue;
        }
        s.blocks.push_back(ReportHeading{QStringLiteral("%1 v%2").arg(first->record.modelName).arg(first->record.modelVersion), 2});
        s.blocks.push_back(note(QStringLiteral("Trained in %1.").arg(joinNames(users))));
        auto list = models.versions(first->record.modelId);
        const ModelVersionRecord *version = nullptr;
        if (list)
            for (const ModelVersionRecord &v : *list)
                if (v.id == versionId)
                    version = &v;
        if (!version) {
            s.blocks.push_back(warning(QStringLiteral("The model version cannot be read: %1")
                                           .arg(list ? QStringLiteral("it was removed") : list.error())));
            continue;
        }
        const QJsonValue trained = first->record.summary.value(QStringLiteral("parameters"));
        if (version->specJson.isEmpty()) {
            s.blocks.push_back(note(QStringLiteral("An imported TorchScript module: it has no layer spec to list.")));
            if (trained.isDouble())
                s.blocks.push_back(ReportKeyValues{QString(), {{QStringLiteral("Parameters"),
                                                                QString::number(trained.toInteger())}}});
            continue;
        }
        auto spec = ModelSpec::fromJson(version->specJson);
        if (!spec) {
            s.blocks.push_back(warning(QStringLiteral("The layer spec cannot be read: %1").arg(spec.error())));
            continue;
        }
        const ShapeReport shapes = ShapeInference::infer(*spec);
        if (!shapes.ok())
            s.blocks.push_back(warning(QStringLiteral("The layer spec does not check: %1").arg(shapes.error)));
        ReportTable t = makeTable(QStringLiteral("Layers"),
                                  {QStringLiteral("#"), QStringLiteral("Layer"), QStringLiteral("Output shape"),
                                   QStringLiteral("Parameters")},
                                  {ReportTable::Align::Right, ReportTable::Align::Left, ReportTable::Align::Left});
        for (const LayerShape &l : shapes.layers) {
            QStringList path;
            for (int i : l.path)
                path << QString::number(i);
            addRow(t, {path.join(u'.'), l.label.isEmpty() ? l.type : l.label,
                       l.output.empty() ? kDash : ShapeInference::shapeText(l.output), QString::number(l.parameters)},
                   {l.path.size() == 1 ? double(l.path.front()) : kNaN, kNaN, kNaN, double(l.parameters)});
        }
        s.blocks.push_back(std::move(t));
        ReportKeyValues kv;
        kv.pairs = {{QStringLiteral("Input shape"), ShapeInference::shapeText(shapes.input)},
                    {QStringLiteral("Output shape"), shapes.output.empty() ? kDash : ShapeInference::shapeText(shapes.output)},
                    {QStringLiteral("Parameters"), QStringLiteral("%1 (%2)").arg(shapes.totalParameters)
                                                       .arg(Format::count(shapes.totalParameters))}};
        s.blocks.push_back(std::move(kv));
    }
}

// --- hyperparameters ----------------------------------------------------------------------

void Builder::hyperparameterSection(ReportSection &s)
{
    const QStringList keys = m_comparison.hyperparameterKeys();
    if (keys.isEmpty()) {
        s.blocks.push_back(note(QStringLiteral("These runs record no hyperparameters.")));
        return;
    }
    const auto cellOf = [](const QJsonValue &v) {
        const QString text = RunComparison::valueText(v);
        return text.isEmpty() ? kDash : text;
    };
    const auto numberOf = [](const QJsonValue &v) {
        return v.isDouble() ? v.toDouble() : v.isBool() ? (v.toBool() ? 1.0 : 0.0) : kNaN;
    };
    const QList<RunComparison::Run> &runs = m_comparison.runs();
    const QStringList differing = m_comparison.differingHyperparameters();
    if (runs.size() <= ReportBuilder::kMaxRunColumns) {
        // One row per key, one column per run: a differing row is emphasised across its runs.
        QStringList header{QStringLiteral("Hyperparameter")};
        for (const RunComparison::Run &r : runs)
            header << r.name;
        ReportTable t = makeTable(runs.size() > 1 ? QStringLiteral("Hyperparameters (values that differ between runs emphasised)")
                                                  : QStringLiteral("Hyperparameters"),
                                  header, {ReportTable::Align::Left});
        for (int c = 0; c < runs.size(); ++c)
            t.columnRun[size_t(c) + 1] = c;
        for (const QString &key : keys) {
            const bool differs = differing.contains(key);
            QStringList cells{key};
            std::vector<double> values{kNaN};
            std::vector<bool> emphasis{false};
            for (const RunComparison::Run &r : runs) {
                const QJsonValue v = r.hyperparams.value(key);
                cells << cellOf(v);
                values.push_back(numberOf(v));
                emphasis.push_back(differs);
            }
            addRow(t, cells, values, emphasis);
        }
        s.blocks.push_back(std::move(t));
        if (runs.size() > 1)
            s.blocks.push_back(paragraph(differing.isEmpty()
                                             ? QStringLiteral("Every run has the same hyperparameters.")
                                             : QStringLiteral("Different between runs: %1.").arg(joinNames(differing))));
        return;
    }
    // Many runs (a sweep): one row per run with the keys that differ; the rest once.
    ReportKeyValues same;
    same.caption = QStringLiteral("The same in every run");
    for (const QString &key : keys)
        if (!differing.contains(key))
            same.pairs.emplace_back(key, cellOf(runs.first().hyperparams.value(key)));
    if (differing.isEmpty()) {
        s.blocks.push_back(std::move(same));
        s.blocks.push_back(paragraph(QStringLiteral("Every run has the same hyperparameters.")));
        return;
    }
    ReportTable t = makeTable(QStringLiteral("Hyperparameters that differ between runs"),
                              QStringList{QStringLiteral("Run")} + differing, {ReportTable::Align::Left});
    for (int row = 0; row < runs.size(); ++row) {
        QStringList cells{runs[row].name};
        std::vector<double> values{kNaN};
        std::vector<bool> emphasis{false};
        for (const QString &key : differing) {
            const QJsonValue v = runs[row].hyperparams.value(key);
            cells << cellOf(v);
            values.push_back(numberOf(v));
            emphasis.push_back(true);
        }
        addRow(t, cells, values, emphasis, row);
    }
    s.blocks.push_back(std::move(t));
    if (!same.pairs.empty())
        s.blocks.push_back(std::move(same));
}

// --- metrics ------------------------------------------------------------------------------

void Builder::metricsSection(ReportSection &s)
{
    if (mixedTasks()) {
        QStringList parts;
        for (MetricOrder::Task task : {MetricOrder::Task::Classification, MetricOrder::Task::Regression,
                                       MetricOrder::Task::Unknown}) {
            QStringList names;
            for (const RunData &r : m_runs)
                if (r.task == task)
                    names << r.name;
            if (!names.isEmpty())
                parts << QStringLiteral("%1: %2").arg(taskName(task), joinNames(names));
        }
        s.blocks.push_back(warning(QStringLiteral("These runs are of different tasks (%1): their metrics are not "
                                                  "comparable, and a column holds only the runs that have it.")
                                       .arg(parts.join(QStringLiteral("; ")))));
    }
    for (const RunData &r : m_runs) {
        if (!r.nonFinite.isEmpty())
            s.blocks.push_back(warning(QStringLiteral("%1 diverged: %2 %3 not finite%4. The values are shown as they are.")
                                           .arg(r.name, joinNames(r.nonFinite),
                                                r.nonFinite.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"),
                                                r.record.message.isEmpty() ? QString()
                                                                           : QStringLiteral(" (%1)").arg(r.record.message))));
        else if (r.record.status == RunStatus::Failed)
            s.blocks.push_back(warning(QStringLiteral("%1 failed%2.").arg(
                r.name, r.record.message.isEmpty() ? QString() : QStringLiteral(": %1").arg(r.record.message))));
        if (!r.evaluation)
            s.blocks.push_back(warning(QStringLiteral("%1 has no stored evaluation: its test metrics are missing.").arg(r.name)));
        else if (!r.evaluationError.isEmpty())
            s.blocks.push_back(warning(QStringLiteral("The evaluation of %1 cannot be read: %2").arg(r.name, r.evaluationError)));
        if (r.record.status == RunStatus::Running || r.record.status == RunStatus::Queued ||
            r.record.status == RunStatus::Interrupted)
            s.blocks.push_back(note(QStringLiteral("%1 is %2: its numbers are those it has so far.")
                                        .arg(r.name, runStatusName(r.record.status))));
    }

    const QList<RunComparison::Run> &runs = m_comparison.runs();
    QStringList quality, facts;
    for (const QString &k : m_comparison.summaryKeys())
        (MetricOrder::isBookkeeping(k) ? facts : quality) << k;
    quality = MetricOrder::forKeys(quality, MetricOrder::Lead::MainMetric).sorted(quality);
    if (quality.isEmpty() && facts.isEmpty()) {
        s.blocks.push_back(note(QStringLiteral("No run has final metrics yet.")));
        return;
    }
    // Tables of at most kMetricColumnsPerTable metrics, runs as rows.
    const auto addTables = [&](const QStringList &keys, const QString &caption, bool bests) {
        const int per = ReportBuilder::kMetricColumnsPerTable;
        const int chunks = int((keys.size() + per - 1) / per);
        for (int chunk = 0; chunk < chunks; ++chunk) {
            const QStringList cols = keys.mid(chunk * per, per);
            const bool status = chunk == 0 && bests;
            QStringList header{QStringLiteral("Run")};
            if (status)
                header << QStringLiteral("Status");
            header += cols;
            ReportTable t = makeTable(chunks > 1 ? QStringLiteral("%1 (%2 of %3)").arg(caption).arg(chunk + 1).arg(chunks)
                                                 : caption,
                                      header, {ReportTable::Align::Left});
            if (status)
                t.align[1] = ReportTable::Align::Left;
            // The best finite value of each column, in the metric's direction.
            std::vector<double> best(size_t(cols.size()), kNaN);
            std::vector<int> counts(size_t(cols.size()), 0);
            for (const RunComparison::Run &r : runs)
                for (int c = 0; c < cols.size(); ++c) {
                    const double v = r.summary.value(cols[c], kNaN);
                    if (std::isfinite(v)) {
                        ++counts[size_t(c)];
                        if (isImprovement(cols[c], v, best[size_t(c)]))
                            best[size_t(c)] = v;
                    }
                }
            for (int row = 0; row < runs.size(); ++row) {
                const RunComparison::Run &r = runs[row];
                QStringList cells{r.name};
                std::vector<double> values{kNaN};
                std::vector<bool> emphasis{false};
                if (status) {
                    cells << runStatusName(r.status);
                    values.push_back(kNaN);
                    emphasis.push_back(false);
                }
                for (int c = 0; c < cols.size(); ++c) {
                    const auto it = r.summary.constFind(cols[c]);
                    if (it == r.summary.constEnd()) {
                        cells << kDash;
                        values.push_back(kNaN);
                        emphasis.push_back(false);
                        continue;
                    }
                    cells << Format::metric(*it);
                    values.push_back(*it);
                    emphasis.push_back(bests && counts[size_t(c)] > 1 && std::isfinite(*it) && *it == best[size_t(c)]);
                }
                addRow(t, cells, values, emphasis, row);
            }
            s.blocks.push_back(std::move(t));
        }
    };
    if (!quality.isEmpty())
        addTables(quality, runs.size() > 1 ? QStringLiteral("Final metrics (best of each column emphasised)")
                                      : QStringLiteral("Final metrics"),
             true);
    if (!facts.isEmpty())
        addTables(MetricOrder().sorted(facts), QStringLiteral("Training facts"), false);
}

// --- learning curves ----------------------------------------------------------------------

void Builder::curvesSection(ReportSection &s)
{
    MetricReader reader(m_db);
    QHash<int, QStringList> keysOf;
    QHash<int, std::vector<MetricPoint>> epochsOf;
    QStringList all;
    QStringList silent;
    for (const RunData &r : m_runs) {
        auto keys = reader.keys(r.record.id);
        if (!keys) {
            m_readErrors << QStringLiteral("%1's metric series: %2").arg(r.name, keys.error());
            continue;
        }
        QStringList drawn;
        for (const QString &k : *keys)
            if (!MetricOrder::isBookkeeping(k))
                drawn << k;
        if (drawn.isEmpty()) {
            silent << r.name;
            continue;
        }
        keysOf.insert(r.index, drawn);
        for (const QString &k : std::as_const(drawn))
            if (!all.contains(k))
                all << k;
        if (keys->contains(QStringLiteral("epoch")))
            if (auto e = reader.series(r.record.id, QStringLiteral("epoch")); e.ok())
                epochsOf.insert(r.index, std::move(*e));
    }
    if (mixedTasks())
        s.blocks.push_back(warning(QStringLiteral("These runs are of different tasks: each chart shows the runs that "
                                                  "logged its metric.")));
    if (!silent.isEmpty())
        s.blocks.push_back(warning(QStringLiteral("No metric series logged: %1.").arg(joinNames(silent))));
    if (all.isEmpty())
        return;
    s.blocks.push_back(note(QStringLiteral("Each curve is read as %1 buckets over its steps and drawn through every "
                                           "bucket's minimum and maximum, as the Compare pane draws it: no spike is "
                                           "hidden. Dashed: validation; points: test.")
                                .arg(ReportBuilder::kCurveBuckets)));
    const MetricOrder order = MetricOrder::forKeys(all, MetricOrder::Lead::Loss);
    for (const QStringList &group : order.grouped(all)) {
        bool epochAxis = true;
        for (const RunData &r : m_runs) {
            const QStringList keys = keysOf.value(r.index);
            const bool uses = std::any_of(group.begin(), group.end(), [&](const QString &k) { return keys.contains(k); });
            if (uses && epochsOf.value(r.index).empty())
                epochAxis = false;
        }
        const QString base = MetricOrder::baseName(group.first());
        ReportChart chart;
        chart.title = base;
        chart.xLabel = epochAxis ? QStringLiteral("Epoch") : QStringLiteral("Step");
        chart.yLabel = base;
        if (MetricOrder::isUnitInterval(group.first())) {
            chart.yMin = 0.0;
            chart.yMax = 1.0;
        }
        QStringList nonFinite;
        for (const RunData &r : m_runs) {
            const QStringList keys = keysOf.value(r.index);
            for (const QString &key : group) {
                if (!keys.contains(key))
                    continue;
                auto buckets = reader.chartBuckets(r.record.id, key, ReportBuilder::kCurveBuckets);
                if (!buckets) {
                    m_readErrors << QStringLiteral("%1's %2: %3").arg(r.name, key, buckets.error());
                    continue;
                }
                ReportSeries series;
                series.name = group.size() > 1 ? QStringLiteral("%1 %2").arg(r.name, key) : r.name;
                series.color = m_doc.runs[size_t(r.index)].color;
                series.style = styleOf(key);
                series.run = r.index;
                const std::vector<MetricPoint> &epochs = epochsOf[r.index];
                bool noted = false;
                double previous = buckets->empty() ? 0.0 : buckets->front().last;
                for (const MetricBucket &b : *buckets) {
                    if (!b.allFinite() && !noted) {
                        nonFinite << QStringLiteral("%1's %2 is %3 from step %4")
                                         .arg(r.name, key, JsonNumber::nonFiniteName(b.firstNonFinite))
                                         .arg(b.firstNonFiniteStep);
                        noted = true;
                    }
                    // Both extremes of the bucket, the one nearer the previous point first (the
                    // Compare pane's trace); what is not finite cannot be drawn and is named above.
                    const bool lowFirst = std::fabs(previous - b.min) <= std::fabs(previous - b.max);
                    const double a = lowFirst ? b.min : b.max, c = lowFirst ? b.max : b.min;
                    const double x = epochAxis ? epochAt(epochs, b.lastStep) : double(b.lastStep);
                    if (std::isfinite(a)) {
                        series.x.push_back(x);
                        series.y.push_back(a);
                        previous = a;
                    }
                    if (c != a && std::isfinite(c)) {
                        series.x.push_back(x);
                        series.y.push_back(c);
                        previous = c;
                    }
                }
                if (!series.x.empty())
                    chart.series.push_back(std::move(series));
            }
        }
        if (!nonFinite.isEmpty())
            s.blocks.push_back(warning(QStringLiteral("%1: not drawn from there on.").arg(nonFinite.join(QStringLiteral("; ")))));
        if (!chart.series.empty())
            s.blocks.push_back(std::move(chart));
    }
}

// --- evaluation sections ------------------------------------------------------------------

void Builder::evaluationWarnings(ReportSection &s, MetricOrder::Task wanted)
{
    QStringList missing, other, unreadable;
    for (const RunData &r : m_runs) {
        if (r.task != wanted && r.task != MetricOrder::Task::Unknown) {
            other << r.name;
            continue;
        }
        if (!r.evaluation)
            missing << r.name;
        else if (!r.evaluationError.isEmpty())
            unreadable << QStringLiteral("%1 (%2)").arg(r.name, r.evaluationError);
    }
    if (!other.isEmpty())
        s.blocks.push_back(warning(QStringLiteral("Only %1 runs are shown here; left out: %2.")
                                       .arg(taskName(wanted), joinNames(other))));
    if (!missing.isEmpty())
        s.blocks.push_back(warning(QStringLiteral("No stored evaluation: %1.").arg(joinNames(missing))));
    if (!unreadable.isEmpty())
        s.blocks.push_back(warning(QStringLiteral("The stored evaluation cannot be read: %1.").arg(joinNames(unreadable))));
}

void Builder::confusionSection(ReportSection &s)
{
    evaluationWarnings(s, MetricOrder::Task::Classification);
    for (const RunData &r : m_runs) {
        if (!r.classification)
            continue;
        const ClassificationResult &c = *r.classification;
        ReportMatrix m;
        m.title = QStringLiteral("%1 \u2013 %2 split (%3 rows)").arg(r.name, r.evaluation->split).arg(c.n);
        m.labels = c.classNames;
        m.run = r.index;
        const int k = c.classCount();
        for (int i = 0; i < k; ++i) {
            std::vector<double> row;
            for (int j = 0; j < k; ++j)
                row.push_back(size_t(i * k + j) < c.confusion.size() ? double(c.confusionAt(i, j)) : kNaN);
            m.counts.push_back(std::move(row));
        }
        s.blocks.push_back(std::move(m));
    }
}

void Builder::rocSection(ReportSection &s, bool pr)
{
    evaluationWarnings(s, MetricOrder::Task::Classification);
    // Classes by name across runs (runs on other data sets may have others), in first-seen order.
    QStringList classes;
    bool binary = true;
    for (const RunData &r : m_runs) {
        if (!r.classification)
            continue;
        binary = binary && r.classification->classCount() == 2;
        for (const QString &name : r.classification->classNames)
            if (!classes.contains(name))
                classes << name;
    }
    if (classes.isEmpty())
        return;
    QStringList drawn;
    if (binary) {
        // Class 1 against class 0, as the run's ROC AUC and average precision are defined.
        QStringList positives;
        for (const RunData &r : m_runs)
            if (r.classification && !positives.contains(r.classification->classNames.value(1)))
                positives << r.classification->classNames.value(1);
        drawn = positives;
    } else {
        drawn = classes.mid(0, ReportBuilder::kMaxClassCharts);
        if (classes.size() > drawn.size())
            s.blocks.push_back(note(QStringLiteral("%1 classes: the first %2 are drawn.").arg(classes.size()).arg(drawn.size())));
    }
    QStringList undefined;
    for (const QString &cls : std::as_const(drawn)) {
        ReportChart chart = pr ? unitChart(binary ? QStringLiteral("Precision-recall: %1").arg(cls)
                                                  : QStringLiteral("Precision-recall: %1 against the rest").arg(cls),
                                           QStringLiteral("Recall"), QStringLiteral("Precision"))
                               : unitChart(binary ? QStringLiteral("ROC: %1").arg(cls)
                                                  : QStringLiteral("ROC: %1 against the rest").arg(cls),
                                           QStringLiteral("False positive rate"), QStringLiteral("True positive rate"));
        if (!pr)
            chart.series.push_back(reference(QStringLiteral("Chance"), {0.0, 1.0}, {0.0, 1.0}));
        std::optional<double> prevalence;
        bool samePrevalence = true;
        for (const RunData &r : m_runs) {
            if (!r.classification)
                continue;
            const ClassificationResult &c = *r.classification;
            const qsizetype i = c.classNames.indexOf(cls);
            if (i < 0 || size_t(i) >= c.perClass.size())
                continue;
            const ClassMetrics &m = c.perClass[size_t(i)];
            std::vector<double> x = pr ? m.pr.recall : m.roc.fpr;
            std::vector<double> y = pr ? m.pr.precision : m.roc.tpr;
            if (x.empty() || x.size() != y.size()) {
                undefined << QStringLiteral("%1 (%2)").arg(r.name, cls);
                continue;
            }
            if (c.n > 0) {
                const double p = double(m.support) / double(c.n);
                if (prevalence && *prevalence != p)
                    samePrevalence = false;
                prevalence = p;
            }
            std::vector<double> none;
            thinCurve(x, y, none, ReportBuilder::kMaxCurvePoints);
            ReportSeries series;
            series.name = pr ? QStringLiteral("%1 (AP %2)").arg(r.name, Format::metric(m.averagePrecision))
                             : QStringLiteral("%1 (AUC %2)").arg(r.name, Format::metric(m.rocAuc));
            series.color = m_doc.runs[size_t(r.index)].color;
            series.run = r.index;
            series.x = std::move(x);
            series.y = std::move(y);
            chart.series.push_back(std::move(series));
        }
        if (pr && prevalence && samePrevalence)
            chart.series.insert(chart.series.begin(),
                                reference(QStringLiteral("Chance (prevalence %1)").arg(Format::metric(*prevalence)),
                                          {0.0, 1.0}, {*prevalence, *prevalence}));
        if (std::any_of(chart.series.begin(), chart.series.end(), [](const ReportSeries &x) { return x.run >= 0; }))
            s.blocks.push_back(std::move(chart));
    }
    if (!undefined.isEmpty())
        s.blocks.push_back(warning(QStringLiteral("Undefined where the split holds no positive or no negative row: %1.")
                                       .arg(joinNames(undefined))));
}

void Builder::calibrationSection(ReportSection &s)
{
    evaluationWarnings(s, MetricOrder::Task::Classification);
    ReportChart chart = unitChart(QStringLiteral("Reliability diagram"), QStringLiteral("Mean confidence of the predicted class"),
                                  QStringLiteral("Accuracy"));
    chart.series.push_back(reference(QStringLiteral("Perfectly calibrated"), {0.0, 1.0}, {0.0, 1.0}));
    ReportTable t = makeTable(QStringLiteral("Expected calibration error (lower is better)"),
                              {QStringLiteral("Run"), QStringLiteral("Split"), QStringLiteral("ECE"), QStringLiteral("Bins")},
                              {ReportTable::Align::Left, ReportTable::Align::Left});
    for (const RunData &r : m_runs) {
        if (!r.classification)
            continue;
        const ClassificationResult &c = *r.classification;
        ReportSeries series;
        series.name = QStringLiteral("%1 (ECE %2)").arg(r.name, Format::metric(c.ece));
        series.color = m_doc.runs[size_t(r.index)].color;
        series.run = r.index;
        for (const CalibrationBin &b : c.calibration)
            if (b.count > 0 && std::isfinite(b.meanConfidence) && std::isfinite(b.accuracy)) {
                series.x.push_back(b.meanConfidence);
                series.y.push_back(b.accuracy);
            }
        addRow(t, {r.name, r.evaluation->split, Format::metric(c.ece), QString::number(c.calibration.size())},
               {kNaN, kNaN, c.ece, double(c.calibration.size())}, {}, r.index);
        if (!series.x.empty())
            chart.series.push_back(std::move(series));
    }
    if (chart.series.size() > 1) {
        s.blocks.push_back(std::move(chart));
        s.blocks.push_back(std::move(t));
    }
}

void Builder::residualsSection(ReportSection &s)
{
    evaluationWarnings(s, MetricOrder::Task::Regression);
    for (const RunData &r : m_runs) {
        if (!r.regression)
            continue;
        const RegressionResult &g = *r.regression;
        double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
        for (const ResidualPoint &p : g.residuals)
            if (std::isfinite(p.prediction) && std::isfinite(p.residual)) {
                x0 = std::min(x0, p.prediction);
                x1 = std::max(x1, p.prediction);
                y0 = std::min(y0, p.residual);
                y1 = std::max(y1, p.residual);
            }
        ReportChart chart;
        chart.title = QStringLiteral("Residuals versus prediction: %1 (%2 split)").arg(r.name, r.evaluation->split);
        chart.xLabel = QStringLiteral("Prediction");
        chart.yLabel = QStringLiteral("Residual (true \u2212 predicted)");
        if (x0 > x1) {
            s.blocks.push_back(warning(QStringLiteral("%1: the evaluation kept no residuals.").arg(r.name)));
            continue;
        }
        // One point per occupied cell of a fixed grid: the cloud keeps its shape and its
        // outliers, and a chart never holds more than kResidualColumns x kResidualRows points.
        const int cols = ReportBuilder::kResidualColumns, rows = ReportBuilder::kResidualRows;
        const double w = x1 > x0 ? (x1 - x0) / cols : 1.0, h = y1 > y0 ? (y1 - y0) / rows : 1.0;
        std::vector<bool> taken(size_t(cols * rows), false);
        ReportSeries series;
        series.name = r.name;
        series.color = m_doc.runs[size_t(r.index)].color;
        series.style = ReportSeries::Style::Points;
        series.run = r.index;
        for (const ResidualPoint &p : g.residuals) {
            if (!std::isfinite(p.prediction) || !std::isfinite(p.residual))
                continue;
            const int cx = std::clamp(int((p.prediction - x0) / w), 0, cols - 1);
            const int cy = std::clamp(int((p.residual - y0) / h), 0, rows - 1);
            if (taken[size_t(cy * cols + cx)])
                continue;
            taken[size_t(cy * cols + cx)] = true;
            series.x.push_back(p.prediction);
            series.y.push_back(p.residual);
        }
        const size_t drawn = series.x.size();
        chart.series.push_back(reference(QStringLiteral("Zero residual"), {x0, x1}, {0.0, 0.0}));
        chart.series.push_back(std::move(series));
        s.blocks.push_back(std::move(chart));
        s.blocks.push_back(note(QStringLiteral("%1: %2 of the %3 rows kept by the evaluation are drawn, one per occupied "
                                               "cell of a %4 \u00d7 %5 grid.")
                                    .arg(r.name)
                                    .arg(drawn)
                                    .arg(g.residuals.size())
                                    .arg(cols)
                                    .arg(rows)));
    }
}

// --- packages, deployments ----------------------------------------------------------------

void Builder::checksSection(ReportSection &s)
{
    const QList<PackageRecord> &list = packages();
    QStringList without;
    for (const RunData &r : m_runs)
        if (std::none_of(list.begin(), list.end(), [&](const PackageRecord &p) { return p.runId == r.record.id; }))
            without << r.name;
    for (const PackageRecord &p : list) {
        const auto run = std::find_if(m_runs.begin(), m_runs.end(), [&](const RunData &r) { return r.record.id == p.runId; });
        s.blocks.push_back(ReportHeading{QStringLiteral("%1 %2 (from %3)").arg(p.name, p.version, run->name), 2});
        if (p.checks.isEmpty()) {
            s.blocks.push_back(note(QStringLiteral("Not checked yet.")));
            continue;
        }
        auto report = CheckReport::fromJson(p.checks);
        if (!report && report.kind() == ErrorKind::NotFound) {
            s.blocks.push_back(note(QStringLiteral("Not checked yet.")));
            continue;
        }
        if (!report) {
            s.blocks.push_back(warning(QStringLiteral("The check report cannot be read: %1").arg(report.error())));
            continue;
        }
        if (report->passed())
            s.blocks.push_back(paragraph(QStringLiteral("Every gate passed (checked %1 by %2).")
                                             .arg(Format::dateTime(report->runAt), report->by)));
        else
            s.blocks.push_back(warning(QStringLiteral("Gates failed: %1 (checked %2 by %3).")
                                           .arg(joinNames(report->failedGates()), Format::dateTime(report->runAt), report->by)));
        for (const PackageOverrideRecord &o : p.overrides)
            s.blocks.push_back(warning(QStringLiteral("Released over the failed gate by %1 on %2: %3")
                                           .arg(o.author, Format::dateTime(o.createdAt), o.reason)));
        ReportTable t = makeTable(QStringLiteral("Checks"),
                                  {QStringLiteral("Check"), QStringLiteral("Group"), QStringLiteral("Value"),
                                   QStringLiteral("Threshold"), QStringLiteral("Result"), QStringLiteral("Gate")},
                                  {ReportTable::Align::Left, ReportTable::Align::Left, ReportTable::Align::Right,
                                   ReportTable::Align::Right, ReportTable::Align::Left, ReportTable::Align::Left});
        for (const CheckReport::Item &item : report->items) {
            const QString unit = item.unit.isEmpty() ? QString() : QString(QLatin1Char(' ')) + item.unit;
            const QString value = std::isnan(item.value) && item.op.isEmpty() ? kDash : Format::metric(item.value) + unit;
            const QString threshold = item.op.isEmpty() ? kDash : QStringLiteral("%1 %2%3").arg(item.op, Format::metric(item.threshold), unit);
            addRow(t, {item.name, item.group, value, threshold, item.passed ? QStringLiteral("passed") : QStringLiteral("FAILED"),
                       item.gate ? QStringLiteral("gate") : QStringLiteral("advisory")},
                   {kNaN, kNaN, item.value, item.op.isEmpty() ? kNaN : item.threshold},
                   {false, false, !item.passed, false, !item.passed, false}, run->index);
        }
        s.blocks.push_back(std::move(t));
    }
    if (list.isEmpty())
        s.blocks.push_back(note(QStringLiteral("None of these runs has a package.")));
    else if (!without.isEmpty())
        s.blocks.push_back(note(QStringLiteral("No package: %1.").arg(joinNames(without))));
}

void Builder::deploymentSection(ReportSection &s)
{
    const auto &targets = deployments();
    if (targets.isEmpty()) {
        s.blocks.push_back(note(packages().isEmpty() ? QStringLiteral("None of these runs has a package to deploy.")
                                                     : QStringLiteral("No package of these runs was deployed.")));
        return;
    }
    QHash<qint64, const PackageRecord *> byId;
    for (const PackageRecord &p : packages())
        byId.insert(p.id, &p);
    ReportKeyValues now;
    now.caption = QStringLiteral("What each target was last given");
    for (const auto &[target, records] : targets) {
        const DeploymentRecord &last = records.first(); // newest first
        const bool ours = byId.contains(last.packageId);
        now.pairs.emplace_back(target.name, QStringLiteral("%1 %2: %3%4, %5 by %6%7")
                                                .arg(last.model, last.version, deploymentActionName(last.action),
                                                     last.action == DeploymentAction::Canary
                                                         ? QStringLiteral(" (%1 %)").arg(last.canaryPercent)
                                                         : QString(),
                                                     Format::dateTime(last.at), last.by,
                                                     ours ? QString() : QStringLiteral(" (not a package of these runs)")));
    }
    s.blocks.push_back(std::move(now));
    for (const auto &[target, records] : targets) {
        ReportTable t = makeTable(QStringLiteral("%1 (%2)").arg(target.name, target.url),
                                  {QStringLiteral("When"), QStringLiteral("Action"), QStringLiteral("Package"),
                                   QStringLiteral("Canary"), QStringLiteral("By"), QStringLiteral("Detail")},
                                  {ReportTable::Align::Left, ReportTable::Align::Left, ReportTable::Align::Left,
                                   ReportTable::Align::Right, ReportTable::Align::Left, ReportTable::Align::Left});
        for (const DeploymentRecord &d : records) {
            const PackageRecord *p = byId.value(d.packageId);
            if (!p)
                continue;
            int run = -1;
            for (const RunData &r : m_runs)
                if (r.record.id == p->runId)
                    run = r.index;
            QString detail = d.detail;
            if (!d.overrideReason.isEmpty())
                detail += QStringLiteral("%1over a failed gate: %2").arg(detail.isEmpty() ? QString() : QStringLiteral("; "), d.overrideReason);
            addRow(t, {Format::dateTime(d.at), deploymentActionName(d.action), QStringLiteral("%1 %2").arg(d.model, d.version),
                       d.action == DeploymentAction::Canary ? QStringLiteral("%1 %").arg(d.canaryPercent) : kDash, d.by,
                       detail.isEmpty() ? kDash : detail},
                   {kNaN, kNaN, kNaN, d.action == DeploymentAction::Canary ? double(d.canaryPercent) : kNaN},
                   {false, d.action == DeploymentAction::Refused || d.action == DeploymentAction::Rollback}, run);
        }
        s.blocks.push_back(std::move(t));
    }
}

// --- environment, lineage -----------------------------------------------------------------

void Builder::environmentSection(ReportSection &s)
{
    const TorchRuntime::Info torch = TorchRuntime::info();
    ReportKeyValues kv;
    kv.caption = QStringLiteral("Where this report was made");
    kv.pairs = {{QStringLiteral("Application"), QStringLiteral("MLOps Workbench %1").arg(QStringLiteral(MLWB_VERSION))},
                {QStringLiteral("Qt"), QString::fromLatin1(qVersion())},
                {QStringLiteral("libtorch"), torch.torchVersion.isEmpty() ? kDash : torch.torchVersion},
                {QStringLiteral("BLAS"), torch.blasLibrary.isEmpty() ? torch.blasName
                                                                     : QStringLiteral("%1 (%2)").arg(torch.blasName, torch.blasLibrary)},
                {QStringLiteral("CPU"), QStringLiteral("%1, %2 logical cores").arg(cpuName()).arg(QThread::idealThreadCount())},
                {QStringLiteral("Intra-op threads"), QString::number(torch.threads)},
                {QStringLiteral("Operating system"), QSysInfo::prettyProductName()}};
    s.blocks.push_back(std::move(kv));
    ReportTable t = makeTable(QStringLiteral("How each run trained"),
                              {QStringLiteral("Run"), QStringLiteral("Threads"), QStringLiteral("Samples/s"),
                               QStringLiteral("Training time"), QStringLiteral("Started"), QStringLiteral("Finished")},
                              {ReportTable::Align::Left, ReportTable::Align::Right, ReportTable::Align::Right,
                               ReportTable::Align::Right, ReportTable::Align::Left, ReportTable::Align::Left});
    for (const RunData &r : m_runs) {
        const QJsonObject &sum = r.record.summary;
        const double threads = JsonNumber::toDouble(sum.value(QStringLiteral("threads")), kNaN);
        const double rate = JsonNumber::toDouble(sum.value(QStringLiteral("samples_per_sec")), kNaN);
        const double seconds = JsonNumber::toDouble(sum.value(QStringLiteral("train_seconds")), kNaN);
        addRow(t, {r.name, std::isnan(threads) ? kDash : Format::metric(threads),
                   std::isnan(rate) ? kDash : Format::metric(rate), std::isnan(seconds) ? kDash : Format::duration(seconds),
                   r.record.startedAt.isValid() ? Format::dateTime(r.record.startedAt) : kDash,
                   r.record.finishedAt.isValid() ? Format::dateTime(r.record.finishedAt) : kDash},
               {kNaN, threads, rate, seconds}, {}, r.index);
    }
    s.blocks.push_back(std::move(t));
}

void Builder::lineageSection(ReportSection &s)
{
    DatasetRepository datasets(m_db);
    QHash<qint64, DatasetRecord> dataOf;
    ReportTable t = makeTable(QStringLiteral("Data set \u2192 run \u2192 package \u2192 deployment"),
                              {QStringLiteral("Run"), QStringLiteral("Data set"), QStringLiteral("Content hash"),
                               QStringLiteral("Model"), QStringLiteral("Packages"), QStringLiteral("Deployed to")},
                              {ReportTable::Align::Left, ReportTable::Align::Left, ReportTable::Align::Left,
                               ReportTable::Align::Left, ReportTable::Align::Left, ReportTable::Align::Left});
    const auto &targets = deployments();
    for (const RunData &r : m_runs) {
        if (!dataOf.contains(r.record.datasetId))
            if (auto d = datasets.get(r.record.datasetId); d.ok())
                dataOf.insert(r.record.datasetId, *d);
        const DatasetRecord d = dataOf.value(r.record.datasetId);
        QStringList pkgs, deployed;
        for (const PackageRecord &p : packages()) {
            if (p.runId != r.record.id)
                continue;
            pkgs << QStringLiteral("%1 %2 (%3)").arg(p.name, p.version, packageStateName(p.state));
            for (const auto &[target, records] : targets)
                for (const DeploymentRecord &dep : records)
                    if (dep.packageId == p.id && dep.action != DeploymentAction::Refused) {
                        const QString text = QStringLiteral("%1 (%2 %3)").arg(target.name, p.name, p.version);
                        if (!deployed.contains(text))
                            deployed << text;
                    }
        }
        addRow(t, {r.name, d.name.isEmpty() ? kDash : d.name, d.contentHash.isEmpty() ? kDash : Format::shortHash(d.contentHash),
                   r.record.tracked ? QStringLiteral("experiment %1").arg(r.record.experimentName)
                                    : QStringLiteral("%1 v%2").arg(r.record.modelName).arg(r.record.modelVersion),
                   pkgs.isEmpty() ? kDash : joinNames(pkgs), deployed.isEmpty() ? kDash : joinNames(deployed)},
               {}, {}, r.index);
    }
    s.blocks.push_back(std::move(t));
}

} // namespace

ReportBuilder::ReportBuilder(Database &db) : m_db(db) {}

QStringList ReportBuilder::sectionIds()
{
    QStringList ids;
    for (const SectionInfo &s : kSections)
        ids << QString::fromLatin1(s.id);
    return ids;
}

QString ReportBuilder::sectionTitle(const QString &id)
{
    for (const SectionInfo &s : kSections)
        if (id == QLatin1String(s.id))
            return QString::fromLatin1(s.title);
    return {};
}

Result<ReportDocument> ReportBuilder::build(const ReportRequest &request, JobFeedback *feedback)
{
    return Builder(m_db, feedback).build(request);
}

} // namespace mlwb
