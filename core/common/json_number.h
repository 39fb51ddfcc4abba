// SPDX-License-Identifier: MIT
#pragma once

// JsonNumber: how a double that may be NaN or infinite travels in JSON. JSON has no such
// numbers and QJsonDocument writes them as null, which reads back as 0: a diverged run would
// report loss 0. We write them as the strings "NaN", "Infinity" and "-Infinity" (the spelling
// MLflow's clients and JavaScript use) and read those, the older "inf"/"-inf" and null back.

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace mlwb {

class JsonNumber {
public:
    // A number, or one of the three strings when it is not finite.
    static QJsonValue from(double value);
    // The number a value holds: a JSON number, "NaN", "Infinity", "-Infinity", "inf", "-inf",
    // or null (NaN). Anything else is not a number.
    static std::optional<double> to(const QJsonValue &value);
    // to(), or fallback when the value holds no number (absent, text, ...).
    static double toDouble(const QJsonValue &value, double fallback);
    // "NaN", "inf" or "-inf" for tables; empty for a finite value.
    static QString nonFiniteName(double value);

    // Every non-finite double in the tree becomes its string, so the document keeps it.
    static QJsonValue encode(const QJsonValue &value);
    static QJsonObject encode(const QJsonObject &object);
    // The inverse of encode() for the values of one flat object (a run's summary): the three
    // strings become doubles again.
    static QJsonObject decodeFlat(const QJsonObject &object);
};

} // namespace mlwb
