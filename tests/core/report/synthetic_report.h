// SPDX-License-Identifier: MIT
#pragma once

// A ReportDocument made up in code for the writers' tests and bench_report: `runs` runs with
// learning curves of `points` points each (as the builder hands them over, decimated), a metrics
// table with one diverged run (NaN), a warning, a confusion matrix, a calibration chart of
// points, and a table of `longRows` rows that has to break across PDF pages.

#include "report/report_document.h"

namespace mlwb::test {

struct SyntheticReport {
    int runs = 3;
    int points = 1000;
    int longRows = 200;
};

ReportDocument syntheticReport(const SyntheticReport &spec = {});

// What the tests look for in every rendering.
inline constexpr const char *kWarningText =
    "Run cnn-wide #2 diverged at step 412: its validation loss is NaN from there on.";
inline constexpr const char *kBestAccuracy = "0.9731";
inline constexpr const char *kLongTableCaption = "Misclassified test samples";
inline constexpr const char *kLongTableLastColumn = "Reviewer comment";

} // namespace mlwb::test
