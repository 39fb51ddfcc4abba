// SPDX-License-Identifier: MIT
#include "train/sweep_spec.h"

#include "train/training_config.h"

#include <QJsonArray>
#include <QLocale>
#include <QSet>

#include <cmath>
#include <limits>
#include <random>

namespace mlwb {

namespace {

const QString kLog = QStringLiteral("log:");
const QString kUniform = QStringLiteral("uniform:");
const QString kInt = QStringLiteral("int:");

// "0.0001", "1e-5", "0.01": what a user would type, and what TrainingConfig::set reads back.
QString numberText(double v, int precision)
{
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::OmitGroupSeparator | QLocale::OmitLeadingZeroInExponent);
    return c.toString(v, 'g', precision);
}

// The fewest digits that read back as v, without an exponent for the usual magnitudes (Qt's
// shortest 'g' writes 0.001 as "1e-3").
QString shortest(double v)
{
    const double a = std::fabs(v);
    if (a != 0 && (a < 1e-4 || a >= 1e15)) {
        QLocale c = QLocale::c();
        c.setNumberOptions(QLocale::OmitGroupSeparator | QLocale::OmitLeadingZeroInExponent);
        return c.toString(v, 'e', QLocale::FloatingPointShortest);
    }
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::OmitGroupSeparator);
    return c.toString(v, 'f', QLocale::FloatingPointShortest);
}

QString kindName(SweepParameter::Kind kind)
{
    switch (kind) {
    case SweepParameter::Kind::Values: return QStringLiteral("values");
    case SweepParameter::Kind::Uniform: return QStringLiteral("uniform");
    case SweepParameter::Kind::LogUniform: return QStringLiteral("log_uniform");
    case SweepParameter::Kind::IntRange: return QStringLiteral("int");
    }
    return {};
}

Status checkKey(const QString &key)
{
    if (TrainingConfig::keys().contains(key))
        return {};
    // The TrainingConfig error lists the known keys.
    return TrainingConfig().set(key, QString());
}

qint64 intCount(const SweepParameter &p) { return qint64(p.max) - qint64(p.min) + 1; }

// Uniform in [0, 1) from the top 53 bits: the same double on every platform.
double uniform01(std::mt19937_64 &gen) { return double(gen() >> 11) * 0x1.0p-53; }

// Uniform in [0, n) without modulo bias (rejects the 2^64 mod n lowest outputs).
quint64 uniformIndex(std::mt19937_64 &gen, quint64 n)
{
    const quint64 threshold = (0 - n) % n;
    quint64 x = gen();
    while (x < threshold)
        x = gen();
    return x % n;
}

// A sampled real as text: 6 significant digits are readable in tables and hide the last-bit
// differences of exp/log between C libraries; rounding never leaves [min, max].
QString realText(double v, double min, double max)
{
    const QString text = numberText(v, 6);
    const double rounded = text.toDouble();
    if (rounded < min)
        return shortest(min);
    if (rounded > max)
        return shortest(max);
    return text;
}

} // namespace

// --- SweepParameter ------------------------------------------------------------------------

QString SweepParameter::valueText(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return shortest(v.toDouble());
    return v.toString();
}

Result<SweepParameter> SweepParameter::parse(const QString &text)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0)
        return invalidInput(QStringLiteral("param: expected key=values (e.g. lr=0.001,0.01 or "
                                   "lr=log:1e-4:1e-1), got \"%1\"").arg(text));
    SweepParameter p;
    p.key = text.left(eq).trimmed();
    if (auto s = checkKey(p.key); !s)
        return s.failure();
    const QString spec = text.mid(eq + 1).trimmed();
    auto range = [&](Kind kind, const QString &prefix) -> Status {
        p.kind = kind;
        const QStringList parts = spec.mid(prefix.size()).split(u':');
        bool okMin = false;
        bool okMax = false;
        if (parts.size() == 2) {
            p.min = parts[0].trimmed().toDouble(&okMin);
            p.max = parts[1].trimmed().toDouble(&okMax);
        }
        if (!okMin || !okMax)
            return invalidInput(QStringLiteral("%1: expected %2MIN:MAX with numbers, got \"%3\"")
                            .arg(p.key, prefix, spec));
        return {};
    };
    Status parsed;
    if (spec.startsWith(kLog))
        parsed = range(Kind::LogUniform, kLog);
    else if (spec.startsWith(kUniform))
        parsed = range(Kind::Uniform, kUniform);
    else if (spec.startsWith(kInt))
        parsed = range(Kind::IntRange, kInt);
    else {
        p.kind = Kind::Values;
        for (const QString &v : spec.split(u','))
            p.values << v.trimmed();
    }
    if (!parsed)
        return parsed.failure();
    if (auto s = p.validate(); !s)
        return s.failure();
    return p;
}

QString SweepParameter::toText() const
{
    switch (kind) {
    case Kind::Values: return key + u'=' + values.join(u',');
    case Kind::Uniform: return key + u'=' + kUniform + shortest(min) + u':' + shortest(max);
    case Kind::LogUniform: return key + u'=' + kLog + shortest(min) + u':' + shortest(max);
    case Kind::IntRange:
        return key + u'=' + kInt + QString::number(qint64(min)) + u':' +
               QString::number(qint64(max));
    }
    return key;
}

QJsonObject SweepParameter::toJson() const
{
    QJsonObject o{{QStringLiteral("key"), key}};
    if (kind == Kind::Values) {
        o.insert(QStringLiteral("values"), QJsonArray::fromStringList(values));
    } else {
        o.insert(QStringLiteral("distribution"), kindName(kind));
        o.insert(QStringLiteral("min"), min);
        o.insert(QStringLiteral("max"), max);
    }
    return o;
}

Result<SweepParameter> SweepParameter::fromJson(const QJsonObject &json)
{
    SweepParameter p;
    p.key = json.value(QStringLiteral("key")).toString();
    if (p.key.isEmpty())
        return invalidInput(QStringLiteral("sweep parameter: \"key\" is missing"));
    for (auto it = json.begin(); it != json.end(); ++it) {
        static const QStringList known{QStringLiteral("key"), QStringLiteral("values"),
                                       QStringLiteral("distribution"), QStringLiteral("min"),
                                       QStringLiteral("max")};
        if (!known.contains(it.key()))
            return invalidInput(
                QStringLiteral("sweep parameter %1: unknown field \"%2\"").arg(p.key, it.key()));
    }
    if (json.contains(QStringLiteral("values"))) {
        if (json.contains(QStringLiteral("distribution")))
            return invalidInput(QStringLiteral("sweep parameter %1: give either values or a distribution")
                            .arg(p.key));
        p.kind = Kind::Values;
        for (const QJsonValue &v : json.value(QStringLiteral("values")).toArray())
            p.values << valueText(v);
    } else {
        const QString d = json.value(QStringLiteral("distribution")).toString();
        if (d == u"uniform")
            p.kind = Kind::Uniform;
        else if (d == u"log_uniform")
            p.kind = Kind::LogUniform;
        else if (d == u"int")
            p.kind = Kind::IntRange;
        else
            return invalidInput(QStringLiteral("sweep parameter %1: distribution: expected uniform, "
                                       "log_uniform or int, got \"%2\"").arg(p.key, d));
        const QJsonValue min = json.value(QStringLiteral("min"));
        const QJsonValue max = json.value(QStringLiteral("max"));
        if (!min.isDouble() || !max.isDouble())
            return invalidInput(
                QStringLiteral("sweep parameter %1: min and max must be numbers").arg(p.key));
        p.min = min.toDouble();
        p.max = max.toDouble();
    }
    if (auto s = p.validate(); !s)
        return s.failure();
    return p;
}

Status SweepParameter::validate() const
{
    if (auto s = checkKey(key); !s)
        return s;
    TrainingConfig probe;
    switch (kind) {
    case Kind::Values: {
        if (values.isEmpty())
            return invalidInput(QStringLiteral("%1: no values to sweep").arg(key));
        QSet<QString> seen;
        for (const QString &v : values) {
            if (v.isEmpty())
                return invalidInput(
                    QStringLiteral("%1: empty value in \"%2\"").arg(key, values.join(u',')));
            if (seen.contains(v))
                return invalidInput(QStringLiteral("%1: value \"%2\" listed twice").arg(key, v));
            seen.insert(v);
            if (auto s = probe.set(key, v); !s)
                return s;
        }
        return {};
    }
    case Kind::Uniform:
    case Kind::LogUniform: {
        if (!std::isfinite(min) || !std::isfinite(max) || min > max)
            return invalidInput(QStringLiteral("%1: range needs MIN <= MAX, got %2:%3")
                            .arg(key, shortest(min), shortest(max)));
        if (kind == Kind::LogUniform && min <= 0)
            return invalidInput(
                QStringLiteral("%1: a log range needs MIN > 0, got %2").arg(key, shortest(min)));
        if (!probe.set(key, QStringLiteral("0.5")))
            return invalidInput(QStringLiteral("%1: not a real-valued hyperparameter; sweep it with "
                                       "listed values or int:MIN:MAX").arg(key));
        return {};
    }
    case Kind::IntRange: {
        if (min != std::floor(min) || max != std::floor(max) || std::fabs(min) > 1e15 ||
            std::fabs(max) > 1e15)
            return invalidInput(QStringLiteral("%1: int:MIN:MAX needs integers, got %2:%3")
                            .arg(key, shortest(min), shortest(max)));
        if (min > max)
            return invalidInput(QStringLiteral("%1: range needs MIN <= MAX, got %2:%3")
                            .arg(key, shortest(min), shortest(max)));
        for (double end : {min, max}) {
            if (auto s = probe.set(key, QString::number(qint64(end))); !s)
                return s;
        }
        return {};
    }
    }
    return {};
}

// --- SweepSpec -----------------------------------------------------------------------------

QJsonObject SweepSpec::toJson() const
{
    QJsonArray params;
    for (const SweepParameter &p : parameters)
        params.append(p.toJson());
    return {{QStringLiteral("strategy"), strategy},
            {QStringLiteral("trials"), trials},
            {QStringLiteral("seed"), qint64(seed)},
            {QStringLiteral("metric"), metric},
            {QStringLiteral("parallel"), parallel},
            {QStringLiteral("parameters"), params}};
}

Result<SweepSpec> SweepSpec::fromJson(const QJsonObject &json)
{
    SweepSpec s;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString &k = it.key();
        const QJsonValue &v = it.value();
        if (k == u"strategy") {
            s.strategy = v.toString();
        } else if (k == u"trials" || k == u"parallel") {
            if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()))
                return invalidInput(QStringLiteral("sweep spec: %1: expected an integer").arg(k));
            (k == u"trials" ? s.trials : s.parallel) = v.toInt();
        } else if (k == u"seed") {
            bool ok = v.isDouble() && v.toDouble() >= 0;
            quint64 seed = quint64(v.toInteger());
            if (v.isString())
                seed = v.toString().toULongLong(&ok);
            if (!ok)
                return invalidInput(QStringLiteral("sweep spec: seed: expected a non-negative integer"));
            s.seed = seed;
        } else if (k == u"metric") {
            s.metric = v.toString();
        } else if (k == u"parameters") {
            for (const QJsonValue &p : v.toArray()) {
                auto param = SweepParameter::fromJson(p.toObject());
                if (!param)
                    return param.failure();
                s.parameters.push_back(*param);
            }
        } else {
            return invalidInput(QStringLiteral("sweep spec: unknown field \"%1\"").arg(k));
        }
    }
    if (auto st = s.validate(); !st)
        return st.failure();
    return s;
}

Status SweepSpec::validate() const
{
    if (strategy != u"grid" && strategy != u"random")
        return invalidInput(QStringLiteral("strategy: expected grid or random, got \"%1\"").arg(strategy));
    if (parameters.empty())
        return invalidInput(
            QStringLiteral("parameters: a sweep needs at least one (e.g. --param lr=0.001,0.01)"));
    QSet<QString> seen;
    for (const SweepParameter &p : parameters) {
        if (auto s = p.validate(); !s)
            return s;
        if (seen.contains(p.key))
            return invalidInput(
                QStringLiteral("%1: swept twice; give all its values in one parameter").arg(p.key));
        seen.insert(p.key);
        if (strategy == u"grid" && p.isContinuous())
            return invalidInput(QStringLiteral("%1: %2 is a continuous range, which only random search "
                                       "samples; list values for a grid")
                            .arg(p.key, p.toText().mid(p.key.size() + 1)));
    }
    if (strategy == u"random" && (trials < 1 || trials > kMaxTrials))
        return invalidInput(QStringLiteral("trials: random search takes 1 to %1 trials, got %2")
                        .arg(kMaxTrials).arg(trials));
    if (parallel < 1)
        return invalidInput(QStringLiteral("parallel: must be at least 1, got %1").arg(parallel));
    if (auto n = trialCount(); !n)
        return n.failure();
    return {};
}

Result<int> SweepSpec::trialCount() const
{
    if (strategy == u"random")
        return trials;
    qint64 n = 1;
    for (const SweepParameter &p : parameters) {
        const qint64 count = p.kind == SweepParameter::Kind::IntRange ? intCount(p)
                                                                        : qint64(p.values.size());
        // Each factor is checked first, so the product cannot overflow.
        if (count > kMaxTrials || (n *= count) > kMaxTrials)
            return invalidInput(QStringLiteral("grid: more than %1 trials; list fewer values or use "
                                       "random search").arg(kMaxTrials));
    }
    return int(n);
}

Result<QList<SweepOverrides>> SweepSpec::expand() const
{
    if (auto s = validate(); !s)
        return s.failure();
    QList<SweepOverrides> out;
    const auto valueAt = [](const SweepParameter &p, qint64 i) {
        return p.kind == SweepParameter::Kind::IntRange ? QString::number(qint64(p.min) + i)
                                                        : p.values[i];
    };
    if (strategy == u"grid") {
        const int total = *trialCount();
        const size_t n = parameters.size();
        std::vector<qint64> counts(n);
        for (size_t i = 0; i < n; ++i) {
            const SweepParameter &p = parameters[i];
            counts[i] = p.kind == SweepParameter::Kind::IntRange ? intCount(p) : p.values.size();
        }
        std::vector<qint64> digit(n, 0); // an odometer, the last parameter turning fastest
        for (int t = 0; t < total; ++t) {
            SweepOverrides trial;
            for (size_t i = 0; i < n; ++i)
                trial.insert(parameters[i].key, valueAt(parameters[i], digit[i]));
            out << trial;
            for (size_t i = n; i-- > 0;) {
                if (++digit[i] < counts[i])
                    break;
                digit[i] = 0;
            }
        }
        return out;
    }
    std::mt19937_64 gen(seed);
    for (int t = 0; t < trials; ++t) {
        SweepOverrides trial;
        for (const SweepParameter &p : parameters) {
            QString v;
            switch (p.kind) {
            case SweepParameter::Kind::Values:
                v = p.values[qsizetype(uniformIndex(gen, quint64(p.values.size())))];
                break;
            case SweepParameter::Kind::IntRange:
                v = valueAt(p, qint64(uniformIndex(gen, quint64(intCount(p)))));
                break;
            case SweepParameter::Kind::Uniform:
                v = realText(p.min + uniform01(gen) * (p.max - p.min), p.min, p.max);
                break;
            case SweepParameter::Kind::LogUniform: {
                const double lo = std::log(p.min);
                const double hi = std::log(p.max);
                v = realText(std::exp(lo + uniform01(gen) * (hi - lo)), p.min, p.max);
                break;
            }
            }
            trial.insert(p.key, v);
        }
        out << trial;
    }
    return out;
}

QString SweepSpec::describe(const SweepOverrides &trial) const
{
    QStringList parts;
    for (const SweepParameter &p : parameters) {
        if (trial.contains(p.key))
            parts << p.key + u'=' + trial.value(p.key);
    }
    return parts.join(u' ');
}

QStringList SweepSpec::keys() const
{
    QStringList k;
    for (const SweepParameter &p : parameters)
        k << p.key;
    return k;
}

} // namespace mlwb
