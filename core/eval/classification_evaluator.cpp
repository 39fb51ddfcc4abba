// SPDX-License-Identifier: MIT
#include "eval/classification_evaluator.h"

#include "common/logging.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

namespace {

// sklearn's log_loss clip (eps="auto": the machine epsilon of the probabilities' dtype) for the
// float64 arrays a notebook reads our numbers into: a confidently wrong row costs about 36 nats,
// not infinity.
constexpr double kLogLossEpsilon = std::numeric_limits<double>::epsilon();

Status checkClasses(const QStringList &classNames)
{
    if (classNames.size() < 2)
        return fail(QStringLiteral("classification needs at least 2 class names, got %1")
                        .arg(classNames.size()));
    return {};
}

Status checkRows(std::span<const float> probabilities, std::span<const qint64> labels, int k,
                 double tolerance, qint64 firstRow)
{
    const size_t n = labels.size();
    if (probabilities.size() != n * size_t(k))
        return fail(QStringLiteral("expected %1 x %2 = %3 probabilities for %1 labels, got %4")
                        .arg(n)
                        .arg(k)
                        .arg(n * size_t(k))
                        .arg(probabilities.size()));
    for (size_t i = 0; i < n; ++i) {
        const qint64 row = firstRow + qint64(i);
        if (labels[i] < 0 || labels[i] >= k)
            return fail(QStringLiteral("row %1: label %2 is outside 0..%3 (%4 classes)")
                            .arg(row)
                            .arg(labels[i])
                            .arg(k - 1)
                            .arg(k));
        double sum = 0.0;
        for (int c = 0; c < k; ++c) {
            const float p = probabilities[i * size_t(k) + size_t(c)];
            // Written so NaN fails too.
            if (!(p >= -tolerance && p <= 1.0 + tolerance))
                return fail(QStringLiteral("row %1: probability of class %2 is %3, expected a "
                                           "value in [0, 1] (softmax outputs, not logits)")
                                .arg(row)
                                .arg(c)
                                .arg(double(p)));
            sum += p;
        }
        if (std::fabs(sum - 1.0) > tolerance)
            return fail(QStringLiteral("row %1: probabilities sum to %2, expected 1 (softmax "
                                       "outputs, not logits)")
                            .arg(row)
                            .arg(sum));
    }
    return {};
}

double meanOfDefined(const std::vector<ClassMetrics> &classes, double ClassMetrics::*field)
{
    double sum = 0.0;
    int count = 0;
    for (const ClassMetrics &c : classes) {
        if (!std::isnan(c.*field)) {
            sum += c.*field;
            ++count;
        }
    }
    return count ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

// Inputs are already checked.
ClassificationResult compute(std::span<const float> probabilities, std::span<const qint64> labels,
                             const QStringList &classNames, const ClassificationOptions &options)
{
    QElapsedTimer timer;
    timer.start();

    const int k = int(classNames.size());
    const size_t n = labels.size();
    const int bins = std::max(1, options.calibrationBins);

    ClassificationResult r;
    r.n = qint64(n);
    r.classNames = classNames;
    r.confusion.assign(size_t(k) * size_t(k), 0);
    r.predictions.resize(n);
    r.confidences.resize(n);

    std::vector<double> binConfidence(size_t(bins), 0.0);
    std::vector<qint64> binCorrect(size_t(bins), 0);
    std::vector<qint64> binCount(size_t(bins), 0);
    double logLossSum = 0.0;
    qint64 correct = 0;

    for (size_t i = 0; i < n; ++i) {
        const float *row = probabilities.data() + i * size_t(k);
        int best = 0;
        for (int c = 1; c < k; ++c) {
            if (row[c] > row[best])
                best = c;
        }
        const qint64 label = labels[i];
        const float confidence = row[best];
        r.predictions[i] = best;
        r.confidences[i] = confidence;
        ++r.confusion[size_t(label) * size_t(k) + size_t(best)];
        const bool hit = best == label;
        correct += hit;

        // As sklearn's log_loss: clip every probability, then renormalise the row, so a softmax
        // row that sums to 1 only within float rounding scores the same as there.
        double rowSum = 0.0;
        for (int c = 0; c < k; ++c)
            rowSum += std::clamp(double(row[c]), kLogLossEpsilon, 1.0 - kLogLossEpsilon);
        const double pTrue =
            std::clamp(double(row[label]), kLogLossEpsilon, 1.0 - kLogLossEpsilon) / rowSum;
        logLossSum -= std::log(pTrue);

        // Bins are (lower, upper] like the usual ECE definition; 0 goes to the first.
        const int bin = std::clamp(int(std::ceil(double(confidence) * bins)) - 1, 0, bins - 1);
        binConfidence[size_t(bin)] += confidence;
        binCorrect[size_t(bin)] += hit;
        ++binCount[size_t(bin)];
    }

    r.accuracy = double(correct) / double(n);
    r.logLoss = logLossSum / double(n);

    r.ece = 0.0;
    for (int b = 0; b < bins; ++b) {
        CalibrationBin bin;
        bin.lower = double(b) / bins;
        bin.upper = double(b + 1) / bins;
        bin.count = binCount[size_t(b)];
        if (bin.count > 0) {
            bin.meanConfidence = binConfidence[size_t(b)] / double(bin.count);
            bin.accuracy = double(binCorrect[size_t(b)]) / double(bin.count);
            r.ece += double(bin.count) / double(n) * std::fabs(bin.accuracy - bin.meanConfidence);
        }
        r.calibration.push_back(bin);
    }

    // Macro averages run over the classes that occur in the labels or the predictions: what
    // sklearn's precision/recall/f1_score(average="macro") and classification_report do by default
    // (labels=None, i.e. unique_labels(y_true, y_pred)). A class absent from both says nothing
    // about this split; counting it as 0, as sklearn does only when handed labels=all classes
    // (with an UndefinedMetricWarning), would pull the average down for a test split that merely
    // lacks a rare class. perClass still lists every class, absent ones with 0 and support 0.
    r.perClass.resize(size_t(k));
    double recallOfPresent = 0.0;
    int present = 0;
    int averaged = 0;
    double precisionSum = 0.0;
    double recallSum = 0.0;
    double f1Sum = 0.0;
    for (int c = 0; c < k; ++c) {
        qint64 predicted = 0;
        qint64 support = 0;
        for (int o = 0; o < k; ++o) {
            predicted += r.confusionAt(o, c);
            support += r.confusionAt(c, o);
        }
        const qint64 tp = r.confusionAt(c, c);
        const qint64 fp = predicted - tp;
        const qint64 fn = support - tp;

        ClassMetrics &m = r.perClass[size_t(c)];
        m.name = classNames.at(c);
        m.support = support;
        // zero_division=0, as sklearn's classification_report with zero_division=0.
        m.precision = predicted ? double(tp) / double(predicted) : 0.0;
        m.recall = support ? double(tp) / double(support) : 0.0;
        m.f1 = tp ? 2.0 * double(tp) / double(2 * tp + fp + fn) : 0.0;

        if (support > 0 || predicted > 0) {
            precisionSum += m.precision;
            recallSum += m.recall;
            f1Sum += m.f1;
            ++averaged;
        }
        r.precisionWeighted += m.precision * double(support) / double(n);
        r.recallWeighted += m.recall * double(support) / double(n);
        r.f1Weighted += m.f1 * double(support) / double(n);
        if (support > 0) {
            recallOfPresent += m.recall;
            ++present;
        }

        BinaryCurves curves = computeOneVsRestCurves(probabilities, k, c, labels, options.curves);
        m.rocAuc = curves.auc;
        m.averagePrecision = curves.averagePrecision;
        m.roc = std::move(curves.roc);
        m.pr = std::move(curves.pr);
    }
    // n > 0, so at least one class is labelled.
    r.precisionMacro = precisionSum / averaged;
    r.recallMacro = recallSum / averaged;
    r.f1Macro = f1Sum / averaged;
    // sklearn's balanced_accuracy_score: classes that never occur in y_true do not count.
    r.balancedAccuracy = present ? recallOfPresent / present : 0.0;

    if (k == 2) {
        r.rocAuc = r.perClass[1].rocAuc;
        r.averagePrecision = r.perClass[1].averagePrecision;
    } else {
        r.rocAuc = meanOfDefined(r.perClass, &ClassMetrics::rocAuc);
        r.averagePrecision = meanOfDefined(r.perClass, &ClassMetrics::averagePrecision);
    }

    qCDebug(lcEval) << "classification report:" << n << "rows," << k << "classes in"
                    << timer.elapsed() << "ms";
    return r;
}

} // namespace

ClassificationEvaluator::ClassificationEvaluator(QStringList classNames,
                                                 ClassificationOptions options)
    : m_classNames(std::move(classNames)), m_options(options)
{
}

Status ClassificationEvaluator::addBatch(std::span<const float> probabilities,
                                         std::span<const qint64> labels)
{
    if (Status s = checkClasses(m_classNames); !s)
        return s;
    if (Status s = checkRows(probabilities, labels, int(m_classNames.size()),
                             m_options.rowSumTolerance, rowCount());
        !s)
        return s;
    m_probabilities.insert(m_probabilities.end(), probabilities.begin(), probabilities.end());
    m_labels.insert(m_labels.end(), labels.begin(), labels.end());
    return {};
}

Result<ClassificationResult> ClassificationEvaluator::finish() const
{
    if (Status s = checkClasses(m_classNames); !s)
        return s.failure();
    if (m_labels.empty())
        return fail(QStringLiteral("no rows to evaluate"));
    return compute(m_probabilities, m_labels, m_classNames, m_options);
}

Result<ClassificationResult> ClassificationEvaluator::evaluate(std::span<const float> probabilities,
                                                               std::span<const qint64> labels,
                                                               const QStringList &classNames,
                                                               const ClassificationOptions &options)
{
    if (Status s = checkClasses(classNames); !s)
        return s.failure();
    if (labels.empty())
        return fail(QStringLiteral("no rows to evaluate"));
    if (Status s = checkRows(probabilities, labels, int(classNames.size()),
                             options.rowSumTolerance, 0);
        !s)
        return s.failure();
    return compute(probabilities, labels, classNames, options);
}

Result<ClassificationResult>
ClassificationEvaluator::evaluateBinary(std::span<const float> positiveProbabilities,
                                        std::span<const qint64> labels,
                                        const QStringList &classNames,
                                        const ClassificationOptions &options)
{
    if (classNames.size() != 2)
        return fail(QStringLiteral("binary evaluation needs 2 class names, got %1")
                        .arg(classNames.size()));
    if (positiveProbabilities.size() != labels.size())
        return fail(QStringLiteral("expected one positive-class probability per label: %1 "
                                   "probabilities for %2 labels")
                        .arg(positiveProbabilities.size())
                        .arg(labels.size()));
    std::vector<float> both(positiveProbabilities.size() * 2);
    for (size_t i = 0; i < positiveProbabilities.size(); ++i) {
        both[2 * i] = 1.0f - positiveProbabilities[i];
        both[2 * i + 1] = positiveProbabilities[i];
    }
    return evaluate(both, labels, classNames, options);
}

} // namespace mlwb
