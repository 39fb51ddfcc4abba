// SPDX-License-Identifier: MIT
#include "tracking/tracking_filter.h"

#include <QRegularExpression>

#include <cmath>

namespace mlwb {

namespace {

using Entity = TrackingFilter::Entity;
using Op = TrackingFilter::Op;

const QStringList kNumericAttributes{QStringLiteral("start_time"), QStringLiteral("end_time"), QStringLiteral("created")};
const QStringList kStringAttributes{QStringLiteral("run_id"),       QStringLiteral("run_name"),     QStringLiteral("status"),
                                    QStringLiteral("user_id"),      QStringLiteral("artifact_uri"), QStringLiteral("lifecycle_stage")};

std::optional<Entity> entityOf(const QString &prefix)
{
    const QString p = prefix.toLower();
    if (p == u"metrics" || p == u"metric")
        return Entity::Metric;
    if (p == u"params" || p == u"param" || p == u"parameters" || p == u"parameter")
        return Entity::Param;
    if (p == u"tags" || p == u"tag")
        return Entity::Tag;
    if (p == u"attributes" || p == u"attribute" || p == u"attr" || p == u"run")
        return Entity::Attribute;
    return std::nullopt;
}

QString canonicalAttribute(const QString &key)
{
    const QString k = key.toLower();
    if (k == u"created" || k == u"start_time")
        return QStringLiteral("start_time");
    if (k == u"run_uuid")
        return QStringLiteral("run_id");
    if (k == u"name")
        return QStringLiteral("run_name");
    return k;
}

// A cursor over the filter text.
class Lexer {
public:
    explicit Lexer(const QString &text) : m_s(text) {}

    void skipSpace()
    {
        while (m_i < m_s.size() && m_s[m_i].isSpace())
            ++m_i;
    }
    bool atEnd()
    {
        skipSpace();
        return m_i >= m_s.size();
    }
    qsizetype position() const { return m_i; }
    QChar peek() const { return m_i < m_s.size() ? m_s[m_i] : QChar(); }

    Error error(const QString &what) const
    {
        return invalidInput(QStringLiteral("filter \"%1\": %2 at character %3").arg(m_s, what, QString::number(m_i + 1)));
    }

    // A bare word: letters, digits and _ - . / :
    QString word()
    {
        skipSpace();
        const qsizetype start = m_i;
        while (m_i < m_s.size() && (m_s[m_i].isLetterOrNumber() || QStringLiteral("_-./:").contains(m_s[m_i])))
            ++m_i;
        return m_s.mid(start, m_i - start);
    }
    // A quoted text ('...', "..." or `...`); a doubled quote inside stands for itself.
    Result<QString> quoted()
    {
        skipSpace();
        const QChar q = peek();
        const qsizetype start = m_i;
        ++m_i;
        QString out;
        while (m_i < m_s.size()) {
            if (m_s[m_i] == q) {
                if (m_i + 1 < m_s.size() && m_s[m_i + 1] == q) {
                    out += q;
                    m_i += 2;
                    continue;
                }
                ++m_i;
                return out;
            }
            if (m_s[m_i] == u'\\' && m_i + 1 < m_s.size() && m_s[m_i + 1] == q) {
                out += q;
                m_i += 2;
                continue;
            }
            out += m_s[m_i++];
        }
        m_i = start;
        return error(QStringLiteral("a quote that is never closed"));
    }
    // A comparator, or empty.
    QString comparator()
    {
        skipSpace();
        for (const char *op : {"<=", ">=", "!=", "<>", "==", "=", "<", ">"}) {
            const QString o = QString::fromLatin1(op);
            if (m_s.mid(m_i, o.size()) == o) {
                m_i += o.size();
                return o;
            }
        }
        const qsizetype save = m_i;
        QString w = word().toUpper();
        if (w == u"LIKE" || w == u"ILIKE" || w == u"IN")
            return w;
        if (w == u"NOT") {
            const qsizetype afterNot = m_i;
            if (word().toUpper() == u"IN")
                return QStringLiteral("NOT IN");
            m_i = afterNot;
        }
        m_i = save;
        return {};
    }
    void advance(qsizetype n) { m_i += n; }
    void rewind(qsizetype to) { m_i = to; }

private:
    const QString &m_s;
    qsizetype m_i = 0;
};

// identifier := [prefix "."] key
Result<std::pair<Entity, QString>> identifier(Lexer &lex)
{
    lex.skipSpace();
    const QChar c = lex.peek();
    if (c == u'`' || c == u'"') { // a quoted key alone: an attribute
        auto key = lex.quoted();
        if (!key)
            return key.failure();
        return std::pair{Entity::Attribute, canonicalAttribute(*key)};
    }
    const qsizetype start = lex.position();
    QString w = lex.word();
    if (w.isEmpty())
        return lex.error(QStringLiteral("expected a name such as metrics.accuracy, params.lr or attributes.status"));
    const qsizetype dot = w.indexOf(u'.');
    const QString prefix = dot < 0 ? w : w.left(dot);
    if (const auto entity = entityOf(prefix)) {
        QString key;
        if (dot >= 0 && dot + 1 < w.size()) {
            key = w.mid(dot + 1);
        } else if (dot == w.size() - 1 && (lex.peek() == u'`' || lex.peek() == u'"')) {
            auto q = lex.quoted();
            if (!q)
                return q.failure();
            key = *q;
        } else if (dot < 0) {
            // "metrics" alone: an attribute of that name does not exist.
            lex.rewind(start);
            return lex.error(QStringLiteral("expected a key after \"%1.\"").arg(prefix));
        } else {
            return lex.error(QStringLiteral("expected a key after \"%1.\"").arg(prefix));
        }
        if (key.isEmpty())
            return lex.error(QStringLiteral("expected a key after \"%1.\"").arg(prefix));
        return std::pair{*entity, *entity == Entity::Attribute ? canonicalAttribute(key) : key};
    }
    if (dot >= 0) {
        lex.rewind(start);
        return lex.error(QStringLiteral("\"%1\" is not metrics, params, tags or attributes").arg(prefix));
    }
    return std::pair{Entity::Attribute, canonicalAttribute(w)};
}

Result<TrackingFilter::Clause> clause(Lexer &lex)
{
    auto id = identifier(lex);
    if (!id)
        return id.failure();
    TrackingFilter::Clause c;
    c.entity = id->first;
    c.key = id->second;
    bool numericKey = c.entity == Entity::Metric;
    if (c.entity == Entity::Attribute) {
        if (kNumericAttributes.contains(c.key))
            numericKey = true;
        else if (!kStringAttributes.contains(c.key))
            return lex.error(QStringLiteral("\"%1\" is not an attribute a run can be searched by (%2)")
                                 .arg(c.key, (kStringAttributes + QStringList{QStringLiteral("start_time"), QStringLiteral("end_time")}).join(QLatin1String(", "))));
    }
    const QString op = lex.comparator();
    if (op.isEmpty())
        return lex.error(QStringLiteral("expected a comparison (=, !=, <, <=, >, >=, LIKE, ILIKE, IN)"));
    if (op == u"=" || op == u"==")
        c.op = Op::Eq;
    else if (op == u"!=" || op == u"<>")
        c.op = Op::Ne;
    else if (op == u"<")
        c.op = Op::Lt;
    else if (op == u"<=")
        c.op = Op::Le;
    else if (op == u">")
        c.op = Op::Gt;
    else if (op == u">=")
        c.op = Op::Ge;
    else if (op == u"LIKE")
        c.op = Op::Like;
    else if (op == u"ILIKE")
        c.op = Op::ILike;
    else if (op == u"IN")
        c.op = Op::In;
    else
        c.op = Op::NotIn;

    const bool ordering = c.op == Op::Lt || c.op == Op::Le || c.op == Op::Gt || c.op == Op::Ge;
    const bool pattern = c.op == Op::Like || c.op == Op::ILike;
    const bool inList = c.op == Op::In || c.op == Op::NotIn;
    if (numericKey && (pattern || inList))
        return lex.error(QStringLiteral("%1 compares as a number: =, !=, <, <=, > or >=").arg(c.key));
    if (!numericKey && ordering)
        return lex.error(QStringLiteral("%1 compares as a string: =, !=, LIKE or ILIKE").arg(c.key));
    if (inList && !(c.entity == Entity::Attribute && c.key == u"run_id"))
        return lex.error(QStringLiteral("IN and NOT IN take attributes.run_id only"));

    lex.skipSpace();
    if (inList) {
        if (lex.peek() != u'(')
            return lex.error(QStringLiteral("expected ( 'run id', ... )"));
        lex.advance(1);
        for (;;) {
            lex.skipSpace();
            if (lex.peek() != u'\'' && lex.peek() != u'"')
                return lex.error(QStringLiteral("expected a quoted run id"));
            auto v = lex.quoted();
            if (!v)
                return v.failure();
            c.list << *v;
            lex.skipSpace();
            if (lex.peek() == u',') {
                lex.advance(1);
                continue;
            }
            if (lex.peek() == u')') {
                lex.advance(1);
                break;
            }
            return lex.error(QStringLiteral("expected , or )"));
        }
        return c;
    }
    if (lex.peek() == u'\'' || lex.peek() == u'"') {
        auto v = lex.quoted();
        if (!v)
            return v.failure();
        if (numericKey) {
            // MLflow quotes times sometimes; a quoted number is still a number.
            bool ok = false;
            c.number = v->toDouble(&ok);
            if (!ok)
                return lex.error(QStringLiteral("%1 compares with a number, not '%2'").arg(c.key, *v));
            c.numeric = true;
        } else {
            c.text = *v;
        }
        return c;
    }
    if (!numericKey)
        return lex.error(QStringLiteral("%1 compares with a quoted string ('...')").arg(c.key));
    const qsizetype start = lex.position();
    QString number;
    while (!lex.atEnd() && (lex.peek().isDigit() || QStringLiteral("+-.eE").contains(lex.peek()))) {
        number += lex.peek();
        lex.advance(1);
    }
    bool ok = false;
    c.number = number.toDouble(&ok);
    if (!ok) {
        lex.rewind(start);
        return lex.error(QStringLiteral("expected a number"));
    }
    c.numeric = true;
    return c;
}

bool likeMatches(const QString &pattern, const QString &text, bool caseInsensitive)
{
    QString re;
    for (const QChar ch : pattern) {
        if (ch == u'%')
            re += QStringLiteral(".*");
        else if (ch == u'_')
            re += u'.';
        else
            re += QRegularExpression::escape(QString(ch));
    }
    QRegularExpression rx(QRegularExpression::anchoredPattern(re),
                          caseInsensitive ? QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption
                                          : QRegularExpression::DotMatchesEverythingOption);
    return rx.match(text).hasMatch();
}

bool compareNumber(double v, Op op, double x)
{
    switch (op) {
    case Op::Eq: return v == x;
    case Op::Ne: return v != x;
    case Op::Lt: return v < x;
    case Op::Le: return v <= x;
    case Op::Gt: return v > x;
    case Op::Ge: return v >= x;
    default: return false;
    }
}

bool compareText(const QString &v, const TrackingFilter::Clause &c)
{
    switch (c.op) {
    case Op::Eq: return v == c.text;
    case Op::Ne: return v != c.text;
    case Op::Like: return likeMatches(c.text, v, false);
    case Op::ILike: return likeMatches(c.text, v, true);
    case Op::In: return c.list.contains(v);
    case Op::NotIn: return !c.list.contains(v);
    default: return false;
    }
}

std::optional<QString> stringAttribute(const TrackingFilter::Run &r, const QString &key)
{
    if (key == u"run_id")
        return r.runId;
    if (key == u"run_name")
        return r.runName;
    if (key == u"status")
        return r.status;
    if (key == u"user_id")
        return r.userId;
    if (key == u"artifact_uri")
        return r.artifactUri;
    if (key == u"lifecycle_stage")
        return r.lifecycleStage;
    return std::nullopt;
}

std::optional<double> numericAttribute(const TrackingFilter::Run &r, const QString &key)
{
    if (key == u"start_time")
        return double(r.startTime);
    if (key == u"end_time" && r.endTime)
        return double(*r.endTime);
    return std::nullopt;
}

} // namespace

Result<TrackingFilter> TrackingFilter::parse(const QString &filter)
{
    TrackingFilter f;
    Lexer lex(filter);
    if (lex.atEnd())
        return f;
    for (;;) {
        auto c = clause(lex);
        if (!c)
            return c.failure();
        f.m_clauses.push_back(*c);
        if (lex.atEnd())
            break;
        const qsizetype at = lex.position();
        const QString joiner = lex.word().toUpper();
        if (joiner == u"AND")
            continue;
        lex.rewind(at);
        if (joiner == u"OR")
            return lex.error(QStringLiteral("OR is not supported (MLflow's search joins clauses with AND only)"));
        return lex.error(QStringLiteral("expected AND"));
    }
    return f;
}

Result<TrackingFilter::Order> TrackingFilter::parseOrder(const QString &orderBy)
{
    Lexer lex(orderBy);
    auto id = identifier(lex);
    if (!id)
        return id.failure().reworded(QStringLiteral("order_by %1").arg(id.error()));
    Order o;
    o.entity = id->first;
    o.key = id->second;
    if (o.entity == Entity::Attribute && !kNumericAttributes.contains(o.key) && !kStringAttributes.contains(o.key))
        return invalidInput(QStringLiteral("order_by \"%1\": runs cannot be ordered by attribute %2").arg(orderBy, o.key));
    if (!lex.atEnd()) {
        const QString dir = lex.word().toUpper();
        if (dir == u"DESC")
            o.ascending = false;
        else if (dir != u"ASC")
            return invalidInput(QStringLiteral("order_by \"%1\": expected ASC or DESC after the name").arg(orderBy));
        if (!lex.atEnd())
            return invalidInput(QStringLiteral("order_by \"%1\": nothing may follow ASC or DESC").arg(orderBy));
    }
    return o;
}

bool TrackingFilter::matches(const Run &run) const
{
    for (const Clause &c : m_clauses) {
        switch (c.entity) {
        case Entity::Metric: {
            const auto it = run.metrics.find(c.key);
            if (it == run.metrics.end() || !compareNumber(it->second, c.op, c.number))
                return false;
            break;
        }
        case Entity::Param:
        case Entity::Tag: {
            const auto &map = c.entity == Entity::Param ? run.params : run.tags;
            const auto it = map.find(c.key);
            if (it == map.end() || !compareText(it->second, c))
                return false;
            break;
        }
        case Entity::Attribute:
            if (kNumericAttributes.contains(c.key)) {
                const auto v = numericAttribute(run, c.key);
                if (!v || !compareNumber(*v, c.op, c.number))
                    return false;
            } else {
                const auto v = stringAttribute(run, c.key);
                if (!v)
                    return false;
                // Statuses compare in either case: MLflow's are upper case, users type both.
                if (c.key == u"status") {
                    Clause upper = c;
                    upper.text = c.text.toUpper();
                    if (!compareText(v->toUpper(), upper))
                        return false;
                } else if (!compareText(*v, c)) {
                    return false;
                }
            }
            break;
        }
    }
    return true;
}

bool TrackingFilter::before(const Order &order, const Run &a, const Run &b)
{
    // Missing values last in either direction; among present ones, the direction asked.
    auto cmp = [&](const auto &va, const auto &vb) {
        if (!va && !vb)
            return false;
        if (!va || !vb)
            return bool(va);
        if (*va == *vb)
            return false;
        return order.ascending ? *va < *vb : *vb < *va;
    };
    switch (order.entity) {
    case Entity::Metric: {
        auto get = [&](const Run &r) -> std::optional<double> {
            const auto it = r.metrics.find(order.key);
            if (it == r.metrics.end() || std::isnan(it->second))
                return std::nullopt;
            return it->second;
        };
        return cmp(get(a), get(b));
    }
    case Entity::Param:
    case Entity::Tag: {
        auto get = [&](const Run &r) -> std::optional<QString> {
            const auto &map = order.entity == Entity::Param ? r.params : r.tags;
            const auto it = map.find(order.key);
            return it == map.end() ? std::nullopt : std::optional<QString>(it->second);
        };
        return cmp(get(a), get(b));
    }
    case Entity::Attribute:
        if (kNumericAttributes.contains(order.key))
            return cmp(numericAttribute(a, order.key), numericAttribute(b, order.key));
        return cmp(stringAttribute(a, order.key), stringAttribute(b, order.key));
    }
    return false;
}

} // namespace mlwb
