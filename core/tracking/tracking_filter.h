// SPDX-License-Identifier: MIT
#pragma once

// TrackingFilter: MLflow's run search language as runs/search takes it (issue #15), over a run
// as the tracking endpoint shows it (TrackingFilter::Run).
//
//   filter   := clause ( AND clause )*
//   clause   := identifier comparator value
//   identifier := [ metrics | metric | params | param | parameters | tags | tag | attributes |
//                   attribute | attr | run ] "." key      (no prefix: an attribute)
//   key      := a bare name (letters, digits, _ - . / :) | `any` | "any"
//   value    := number | 'string' | "string" | ( 'a', 'b', ... )    (the last for IN / NOT IN)
//
// Metrics compare as numbers (= != < <= > >=), params and tags as strings (= != LIKE ILIKE),
// attributes by kind: start_time, end_time (and created) as numbers in epoch milliseconds;
// run_id (also IN / NOT IN), run_name, status, user_id, artifact_uri, lifecycle_stage as strings.
// A run without the metric, param or tag a clause names does not match it (MLflow's rule).
// OR is refused, as MLflow refuses it; an error names the position and what was expected.
//
// order_by entries: identifier [ ASC | DESC ]; runs lacking the key sort last either way.

#include "common/result.h"

#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace mlwb {

class TrackingFilter {
public:
    enum class Entity { Metric, Param, Tag, Attribute };
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Like, ILike, In, NotIn };

    struct Clause {
        Entity entity = Entity::Attribute;
        QString key;
        Op op = Op::Eq;
        bool numeric = false; // the value is a number
        double number = 0;
        QString text;
        QStringList list; // IN, NOT IN
    };

    // What a filter reads of a run.
    struct Run {
        QString runId, runName, status, userId, artifactUri, lifecycleStage;
        qint64 startTime = 0;
        std::optional<qint64> endTime;
        std::map<QString, double> metrics; // the latest value of each
        std::map<QString, QString> params, tags;
    };

    struct Order {
        Entity entity = Entity::Attribute;
        QString key;
        bool ascending = true;
    };

    // An empty or blank filter matches every run. InvalidInput naming what is wrong.
    static Result<TrackingFilter> parse(const QString &filter);
    static Result<Order> parseOrder(const QString &orderBy);

    bool matches(const Run &run) const;
    const std::vector<Clause> &clauses() const { return m_clauses; }

    // < for sorting by `order`: true when a comes first (missing values last).
    static bool before(const Order &order, const Run &a, const Run &b);

private:
    std::vector<Clause> m_clauses;
};

} // namespace mlwb
