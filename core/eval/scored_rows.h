// SPDX-License-Identifier: MIT
#pragma once

// ScoredRows: the per-row numbers an evaluation scored, in split order. `mlwb eval --predictions`
// writes them so every metric can be recomputed elsewhere (scikit-learn, a notebook) from exactly
// what the evaluator saw, and so an exported model can be checked row by row.

#include <QByteArray>
#include <QStringList>

#include <vector>

namespace mlwb {

struct ScoredRows {
    std::vector<qint64> rows; // the data set row of each entry (0-based, as stored)

    // Classification (classNames not empty): n x k, row-major.
    QStringList classNames;
    std::vector<qint64> labels;          // true class
    std::vector<qint64> predicted;       // the evaluator's argmax (first on ties)
    std::vector<float> logits;           // the model's raw outputs
    std::vector<float> probabilities;    // softmax of the logits: what the metrics score

    // Regression: in target units.
    std::vector<double> targets;
    std::vector<double> predictions;

    bool isClassification() const { return !classNames.isEmpty(); }
    qint64 size() const { return qint64(rows.size()); }

    // One header line, then one line per row:
    //   classification: row,target,predicted,p_<class>...,logit_<class>...
    //   regression:     row,target,predicted
    // Labels are class names. Numbers are written in their shortest form that reads back to the
    // same double (a float's exact value), so a reader gets the very numbers that were scored.
    QByteArray toCsv() const;
};

} // namespace mlwb
