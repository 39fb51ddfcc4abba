// SPDX-License-Identifier: MIT
#pragma once

// PackageChecker: the pre-deployment check suite of one package, every number through the
// InferenceEngine the serving agent runs:
//   quality     the configured gates on the test split's metrics (raw rows through the engine);
//   regression  each gated metric against the previous version's, within the tolerance;
//   latency     p50 / p95 / p99 at batch 1, 8 and 32, throughput from one thread to all cores;
//   memory      resident growth on load and per 1,000 single-row inferences once warm;
//   robustness  NaN, infinity, extreme values, missing features, wrong shape and wrong type each
//               get a clean error or their documented result;
//   determinism the same rows twice give the same bits; the input example round-trips;
//   interop     model.pt in python3-torch gives the engine's outputs within 1e-5;
//   seal        every hash matches and the signature is a trusted key's.
// Torch stays behind the engine; the caller supplies the test rows of the package's data set.

#include "checks/check_config.h"
#include "checks/check_report.h"
#include "common/result.h"

#include <QString>

#include <optional>
#include <vector>

namespace mlwb {

class DataTable;
class JobFeedback;
class SealedPackage;

class PackageChecker {
public:
    struct Inputs {
        const SealedPackage *package = nullptr;
        const DataTable *table = nullptr; // the package's data set
        std::vector<qint64> testRows;
        CheckConfig config;
        // The previous version of the package (its version and check report), if there is one.
        QString previousVersion;
        std::optional<CheckReport> previous;
    };

    static Result<CheckReport> run(const Inputs &inputs, JobFeedback *feedback = nullptr);

    // Resident set size of this process, in KiB (/proc/self/statm).
    static qint64 residentKb();
};

} // namespace mlwb
