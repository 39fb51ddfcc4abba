// SPDX-License-Identifier: MIT
#pragma once

// DatasetSplit: assigns each row of a table to train, validation or test. Classification splits
// are stratified per class; the same table, fractions and seed give the same split on every
// platform (own Fisher-Yates over std::mt19937_64, no std::shuffle or distributions).

#include "common/result.h"
#include "data/column_info.h"

#include <QByteArray>
#include <QJsonObject>

#include <array>
#include <vector>

namespace mlwb {

class DataTable;

enum class SplitPart : quint8 { Train = 0, Validation = 1, Test = 2 };

struct SplitSpec {
    double trainFraction = 0.7;
    double validationFraction = 0.15; // the test part gets the rest
    quint64 seed = 42;

    QJsonObject toJson() const;
    static Result<SplitSpec> fromJson(const QJsonObject &json);
    // Both fractions in [0, 1] and their sum at most 1.
    Status validate() const;
};

class DatasetSplit {
public:
    // One SplitPart value per row. Fractions are clamped into range (see SplitSpec::validate).
    // Part sizes are round(n * fraction) overall; per class they differ from that share by less
    // than one row.
    static std::vector<quint8> make(const DataTable &table, int targetColumn, TaskKind task,
                                    double trainFraction, double validationFraction,
                                    quint64 seed);
    static std::vector<quint8> make(const DataTable &table, int targetColumn, TaskKind task,
                                    const SplitSpec &spec);

    static std::vector<qint64> rowsOf(const std::vector<quint8> &assignment, SplitPart part);
    static std::array<qint64, 3> counts(const std::vector<quint8> &assignment);

    // The first 16 hex digits of the assignment's SHA-256: which split a run trained on, kept in
    // its summary as "split_hash", so that a changed split tells the runs that used it from the
    // others.
    static QString fingerprint(const std::vector<quint8> &assignment);

    static QByteArray serialize(const std::vector<quint8> &assignment);
    // expectedRows < 0 accepts any length.
    static Result<std::vector<quint8>> deserialize(const QByteArray &blob,
                                                   qint64 expectedRows = -1);
};

} // namespace mlwb
