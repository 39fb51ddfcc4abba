// SPDX-License-Identifier: MIT
#pragma once

// PrometheusText: the Prometheus text exposition format 0.0.4 read into families and samples,
// for the workbench's monitor that scrapes an agent's /metrics, and for the tests that check
// what the agent writes. Stricter than Prometheus where our own output is concerned (a family's
// lines must form one group), and histogramProblems() checks what promtool does not: ordered
// buckets, a +Inf bucket equal to _count. The parser reads untrusted bytes: no recursion, and
// nothing allocated beyond what the input's own size bounds.

#include "common/result.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace mlwb {

class PrometheusText {
public:
    enum class Type { Untyped, Counter, Gauge, Histogram, Summary };
    using Labels = QList<std::pair<QString, QString>>;

    struct Sample {
        QString name;
        Labels labels;                     // in the order of the text
        double value = 0.0;                // NaN and +-Inf kept
        std::optional<qint64> timestampMs; // when the line had one
        int line = 0;                      // 1-based, for messages
        // The value of a label, or nullopt when the sample has none of that name.
        std::optional<QString> label(const QString &name) const;
    };

    struct Family {
        QString name;
        Type type = Type::Untyped;
        QString help;
        QList<Sample> samples;
    };

    // An InvalidInput error "SOURCE:LINE: what is wrong" on the first malformed line.
    static Result<PrometheusText> parse(QByteArrayView text, const QString &source);

    const QList<Family> &families() const { return m_families; }
    // nullptr when there is no family of that name.
    const Family *family(const QString &name) const;
    // The sample of that name with exactly these labels (in any order); nullptr when none.
    const Sample *sample(const QString &name, const Labels &labels = {}) const;

    // One message per problem, empty when every histogram is sound: per label set, buckets in
    // strictly ascending order of le, cumulative counts not decreasing, a +Inf bucket equal to
    // _count, _sum and _count present; and no series (name and labels) twice in the text.
    QStringList histogramProblems() const;

    static const char *typeName(Type type);
    // {a="x",b="y"} with the values escaped as in the format; "" for no labels.
    static QString labelsText(const Labels &labels);

private:
    QList<Family> m_families;
};

} // namespace mlwb
