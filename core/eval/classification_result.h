// SPDX-License-Identifier: MIT
#pragma once

// ClassificationResult: everything the workbench shows about a classifier on one split. It is
// stored per run and split as JSON; the flat "metrics" names are the contract shared with the CLI,
// comparison tables and early stopping. Definitions follow scikit-learn (see each field).

#include "common/result.h"
#include "eval/binary_curves.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <limits>
#include <utility>
#include <vector>

namespace mlwb {

// One class against the rest. Precision, recall and F1 are 0 where undefined (sklearn
// zero_division=0); AUC and AP are NaN where undefined (class absent from the labels).
struct ClassMetrics {
    QString name;
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    qint64 support = 0; // rows whose true label is this class
    double rocAuc = std::numeric_limits<double>::quiet_NaN();
    double averagePrecision = std::numeric_limits<double>::quiet_NaN();
    RocCurve roc; // empty when AUC is undefined
    PrCurve pr;   // empty when AP is undefined
};

// One equal-width bin of top-class confidence, (lower, upper] (the first also holds 0).
// meanConfidence and accuracy are NaN for an empty bin: draw only bins with count > 0.
struct CalibrationBin {
    double lower = 0.0;
    double upper = 0.0;
    double meanConfidence = std::numeric_limits<double>::quiet_NaN();
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    qint64 count = 0;
};

// Whether toJson writes the per-row predictions, which can be millions of entries.
enum class ResultRows { Omit, Include };

struct ClassificationResult {
    static constexpr int kJsonVersion = 1;

    qint64 n = 0;
    QStringList classNames; // k = classNames.size(); index = label value

    double accuracy = 0.0;
    double balancedAccuracy = 0.0; // mean recall over classes present in the labels
    // Unweighted mean over the classes present in the labels or the predictions, as sklearn's
    // precision/recall/f1_score(average="macro") with its default labels (unique_labels of both).
    double precisionMacro = 0.0;
    double recallMacro = 0.0;
    double f1Macro = 0.0;
    double precisionWeighted = 0.0; // weighted by support
    double recallWeighted = 0.0;
    double f1Weighted = 0.0;
    // sklearn's log_loss on float64 probabilities: each clipped to [eps, 1 - eps] (eps = 2^-52),
    // rows renormalised, mean of -ln(true-class probability).
    double logLoss = 0.0;
    // Binary: class 1 against class 0, sklearn's roc_auc_score(y, p[:, 1]). Multiclass:
    // roc_auc_score(y, p, multi_class="ovr", average="macro"), the unweighted mean of the
    // one-vs-rest AUCs. A class absent from the labels has no AUC and is left out of the mean
    // (sklearn refuses to compute it then). NaN if defined for no class.
    double rocAuc = std::numeric_limits<double>::quiet_NaN();
    // Binary: average_precision_score(y, p[:, 1]). Multiclass: the unweighted mean of the
    // one-vs-rest APs, average_precision_score(label_binarize(y), p, average="macro") when every
    // class occurs in the labels. A class absent from the labels has no AP and is left out
    // (sklearn 1.2 scores it 0 with a warning; there is no positive to rank).
    double averagePrecision = std::numeric_limits<double>::quiet_NaN();
    double ece = 0.0; // expected calibration error over `calibration`

    std::vector<ClassMetrics> perClass;          // k entries
    std::vector<qint64> confusion;               // k x k row-major, rows = true, columns = predicted
    std::vector<CalibrationBin> calibration;     // equal-width bins over [0, 1]

    // Per row, in input order: argmax class (first on ties) and its probability. Not in the JSON
    // unless asked for (ResultRows::Include).
    std::vector<qint64> predictions;
    std::vector<float> confidences;

    int classCount() const { return int(classNames.size()); }
    qint64 confusionAt(int trueClass, int predictedClass) const
    {
        return confusion[size_t(trueClass) * size_t(classCount()) + size_t(predictedClass)];
    }

    // The flat metrics in a stable order (the order of metricNames()).
    std::vector<std::pair<QString, double>> flatMetrics() const;
    static QStringList metricNames();

    QJsonObject toJson(ResultRows rows = ResultRows::Omit) const;
    static Result<ClassificationResult> fromJson(const QJsonObject &json);
};

} // namespace mlwb
