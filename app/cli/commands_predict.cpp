// SPDX-License-Identifier: MIT
// mlwb predict: a run's model on rows from a file, through the InferenceEngine the checks and
// the agent use: CSV or JSON records, or an Open Inference Protocol request of raw values.

#include "cli_context.h"
#include "text_table.h"

#include "inference/inference_engine.h"
#include "inference/inference_input.h"
#include "inference/run_evaluator.h"
#include "inference/torch_runtime.h"
#include "store/project_file.h"

#include <QJsonArray>

namespace mlwb::cli {

namespace {

int predict(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    bool ok = false;
    const qint64 run = a.value(QStringLiteral("run")).toLongLong(&ok);
    if (!ok || run <= 0)
        return usageError(verb, QStringLiteral("--run takes a run id (see mlwb runs FILE)"));
    const QString inputPath = a.value(QStringLiteral("input"));
    if (inputPath.isEmpty())
        return usageError(verb, QStringLiteral("--input rows.csv|rows.json is required"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb predict"), true);
    if (!project)
        return Failure;
    auto bytes = RunEvaluator(project->db()).trainedModel(run);
    if (!bytes)
        return failure(bytes.failure());
    TorchRuntime::initialize();
    auto engine = InferenceEngine::fromArchive(*bytes, QStringLiteral("run %1's model").arg(run));
    if (!engine)
        return failure(engine.failure());
    auto input = InferenceInput::fromFile(inputPath, engine->featureNames());
    if (!input)
        return failure(input.failure());
    auto prediction = input->raw.empty() ? engine->predictRecords(input->records)
                                         : engine->predictRaw(input->raw, input->rows);
    if (!prediction)
        return failure(prediction.failure());

    if (a.has(QStringLiteral("json"))) {
        QJsonArray rows;
        for (qint64 r = 0; r < prediction->rows; ++r)
            rows.append(engine->rowJson(*prediction, r));
        printJson({{QStringLiteral("run"), run},
                   {QStringLiteral("task"), engine->isClassification() ? QStringLiteral("classification")
                                                                       : QStringLiteral("regression")},
                   {QStringLiteral("labels"), QJsonArray::fromStringList(engine->outputLabels())},
                   {QStringLiteral("predictions"), rows}});
        return Ok;
    }
    using Align = TextTable::Align;
    if (engine->isClassification()) {
        TextTable table({{QStringLiteral("row"), Align::Right}, {QStringLiteral("label")}, {QStringLiteral("probability"), Align::Right}});
        const QStringList labels = engine->outputLabels();
        for (qint64 r = 0; r < prediction->rows; ++r) {
            const qint64 c = prediction->classes[size_t(r)];
            table.addRow({QString::number(r), labels.value(int(c)),
                          fmt(prediction->probabilities[size_t(r * prediction->width + c)])});
        }
        out() << table.text();
    } else {
        TextTable table({{QStringLiteral("row"), Align::Right}, {engine->outputLabels().value(0), Align::Right}});
        for (qint64 r = 0; r < prediction->rows; ++r)
            table.addRow({QString::number(r), fmt(prediction->outputs[size_t(r)])});
        out() << table.text();
    }
    out().flush();
    return Ok;
}

} // namespace

QList<Verb> predictVerbs()
{
    Verb v{QStringLiteral("predict"),
           QStringLiteral("predict FILE --run RUN --input rows.csv|rows.json [--json]"),
           QStringLiteral("predict rows with a run's model through the serving engine: a CSV with a header naming "
                          "the features, JSON records, or an Open Inference Protocol request of raw values; prints "
                          "each row's label and probability (or the predicted value), --json also every class's "
                          "probability and the logits"),
           {},
           {QStringLiteral("json")},
           {}};
    v.run = [v](const Args &a) { return predict(v, a); };
    return {v};
}

} // namespace mlwb::cli
