// SPDX-License-Identifier: MIT
#pragma once

// ClassificationEvaluator: turns a classifier's softmax outputs on a split into a
// ClassificationResult. Rows can be given in one call (evaluate) or batch by batch as the model
// produces them (addBatch, then finish). Curves sort each class's scores once, O(n log n), so a
// million rows take about a second. No libtorch here: callers hand over plain arrays.

#include "common/result.h"
#include "eval/binary_curves.h"
#include "eval/classification_result.h"

#include <QStringList>

#include <span>
#include <vector>

namespace mlwb {

struct ClassificationOptions {
    BinaryCurveOptions curves;  // drop_intermediate and the stored-points cap per curve
    int calibrationBins = 10;   // equal-width bins of top-class confidence
    // Rows must be probabilities: each in [0, 1] and summing to 1 within this tolerance. Catches
    // logits passed by mistake, which would make log loss and calibration meaningless.
    double rowSumTolerance = 1e-3;
};

class ClassificationEvaluator {
public:
    // classNames: k >= 2 names; label value i means classNames[i].
    explicit ClassificationEvaluator(QStringList classNames, ClassificationOptions options = {});

    // probabilities: row-major n x k; labels: n values in [0, k). Checked before anything is kept,
    // so a rejected batch leaves the evaluator unchanged. Errors name the row (counted over all
    // batches so far).
    Status addBatch(std::span<const float> probabilities, std::span<const qint64> labels);
    qint64 rowCount() const { return qint64(m_labels.size()); }
    // Computes the report over all rows added. Fails when no rows were added.
    Result<ClassificationResult> finish() const;

    // One-shot form, without copying the inputs.
    static Result<ClassificationResult> evaluate(std::span<const float> probabilities,
                                                 std::span<const qint64> labels,
                                                 const QStringList &classNames,
                                                 const ClassificationOptions &options = {});
    // A binary model with one sigmoid output: positiveProbabilities[i] = P(label 1). classNames
    // must hold two names (negative first). Expands to the two-column form.
    static Result<ClassificationResult> evaluateBinary(std::span<const float> positiveProbabilities,
                                                       std::span<const qint64> labels,
                                                       const QStringList &classNames,
                                                       const ClassificationOptions &options = {});

private:
    QStringList m_classNames;
    ClassificationOptions m_options;
    std::vector<float> m_probabilities;
    std::vector<qint64> m_labels;
};

} // namespace mlwb
