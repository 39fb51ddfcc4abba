// SPDX-License-Identifier: MIT
#pragma once

// MetricRegistry: counters, gauges and histograms that worker threads update while a scrape
// renders them in the Prometheus text format 0.0.4 (what the agent answers on GET /metrics).
// Recording is cheap: a family finds a series under its own mutex, and the series' numbers are
// atomics, so a caller that keeps the series (a shared_ptr) records without any lock. A series
// removed from its family (a model version unloaded) stays valid for whoever holds it; what it
// records then is simply no longer rendered.

#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace mlwb {

class MetricRegistry {
public:
    // A series' labels to match when removing: every (name, value) pair must be present.
    using LabelMatch = std::vector<std::pair<QString, QString>>;

    class Counter {
    public:
        struct Config {};
        explicit Counter(const Config &) {}
        // Adds `amount`; a negative or NaN amount is a bug and ignored (a counter never goes down).
        void inc(double amount = 1.0);
        double value() const { return m_value.load(std::memory_order_relaxed); }

    private:
        std::atomic<double> m_value{0.0};
    };

    class Gauge {
    public:
        struct Config {};
        explicit Gauge(const Config &) {}
        void set(double value) { m_value.store(value, std::memory_order_relaxed); }
        void add(double amount) { m_value.fetch_add(amount, std::memory_order_relaxed); }
        double value() const { return m_value.load(std::memory_order_relaxed); }

    private:
        std::atomic<double> m_value{0.0};
    };

    class Histogram {
    public:
        // The upper bounds, ascending and finite (checkBounds()); the +Inf bucket is implicit.
        struct Config {
            std::shared_ptr<const std::vector<double>> upperBounds;
        };
        explicit Histogram(const Config &config);
        // Counts the value in the first bucket whose bound is >= value (NaN: only in +Inf).
        void observe(double value);

        struct Snapshot {
            std::vector<quint64> cumulative; // one per bound, then +Inf (== count)
            double sum = 0.0;
            quint64 count = 0;
        };
        // The count is the sum of the buckets read, so +Inf equals _count even while other
        // threads observe (only _sum may be a few observations ahead or behind).
        Snapshot snapshot() const;
        const std::vector<double> &upperBounds() const { return *m_config.upperBounds; }

    private:
        Config m_config;
        std::unique_ptr<std::atomic<quint64>[]> m_buckets; // not cumulative; last is +Inf
        std::atomic<double> m_sum{0.0};
    };

    enum class Type { Counter, Gauge, Histogram };

    // What the registry needs of every family, whatever its series type.
    class FamilyBase {
    public:
        FamilyBase(QString name, QString help, QStringList labelNames, Type type)
            : m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames)),
              m_type(type)
        {
        }
        virtual ~FamilyBase() = default;
        FamilyBase(const FamilyBase &) = delete;
        FamilyBase &operator=(const FamilyBase &) = delete;

        const QString &name() const { return m_name; }
        const QString &help() const { return m_help; }
        const QStringList &labelNames() const { return m_labelNames; }
        Type type() const { return m_type; }

        // Drops the series with exactly these label values; false when there is none.
        virtual bool remove(const QStringList &labelValues) = 0;
        // Drops every series whose labels include all pairs of `match` (a pair naming a label
        // the family does not have matches nothing); returns how many went.
        virtual int removeMatching(const LabelMatch &match) = 0;
        virtual int seriesCount() const = 0;
        // # HELP, # TYPE, then the series ordered by their label values.
        virtual void render(QByteArray &out) const = 0;

    protected:
        // Index of each label of `match` in labelNames(); false when one is not a label here.
        bool matchIndexes(const LabelMatch &match, std::vector<std::pair<int, QString>> &out) const;

    private:
        QString m_name;
        QString m_help;
        QStringList m_labelNames;
        Type m_type;
    };

    template <typename S> class Family : public FamilyBase {
    public:
        Family(QString name, QString help, QStringList labelNames, Type type,
               typename S::Config config)
            : FamilyBase(std::move(name), std::move(help), std::move(labelNames), type),
              m_config(std::move(config))
        {
        }

        // The series with these label values (one per label name, in order), made on first use.
        // A wrong number of values is a bug: missing ones are taken as "", extra ones dropped,
        // so the mistake shows in the output rather than crashing the agent.
        std::shared_ptr<S> series(QStringList labelValues)
        {
            return series(std::move(labelValues), m_config);
        }
        // As above, a new series made from `config` instead of the family's: a histogram with
        // bounds of its own (a feature's baseline edges). A series that exists keeps its own.
        std::shared_ptr<S> series(QStringList labelValues, const typename S::Config &config)
        {
            if (labelValues.size() != labelNames().size())
                labelValues.resize(labelNames().size());
            std::lock_guard lock(m_mutex);
            auto it = m_series.find(labelValues);
            if (it == m_series.end())
                it = m_series.emplace(std::move(labelValues), std::make_shared<S>(config)).first;
            return it->second;
        }

        bool remove(const QStringList &labelValues) override
        {
            std::lock_guard lock(m_mutex);
            return m_series.erase(labelValues) > 0;
        }

        int removeMatching(const LabelMatch &match) override
        {
            std::vector<std::pair<int, QString>> indexes;
            if (!matchIndexes(match, indexes))
                return 0;
            std::lock_guard lock(m_mutex);
            int removed = 0;
            for (auto it = m_series.begin(); it != m_series.end();) {
                bool all = true;
                for (const auto &[index, value] : indexes)
                    all = all && it->first[index] == value;
                if (all) {
                    it = m_series.erase(it);
                    ++removed;
                } else {
                    ++it;
                }
            }
            return removed;
        }

        int seriesCount() const override
        {
            std::lock_guard lock(m_mutex);
            return int(m_series.size());
        }

        void render(QByteArray &out) const override;

    private:
        typename S::Config m_config;
        mutable std::mutex m_mutex;
        std::map<QStringList, std::shared_ptr<S>> m_series;
    };

    using CounterFamily = Family<Counter>;
    using GaugeFamily = Family<Gauge>;
    using HistogramFamily = Family<Histogram>;

    MetricRegistry() = default;
    MetricRegistry(const MetricRegistry &) = delete;
    MetricRegistry &operator=(const MetricRegistry &) = delete;

    // A new family. InvalidInput when the metric or a label name is not a Prometheus name
    // ([a-zA-Z_:][a-zA-Z0-9_:]*, labels without ':' and not starting "__"), a label repeats, or
    // a histogram's bounds are empty, not finite or not strictly ascending, or names "le";
    // Conflict when a family of that name, or one whose samples would share a name with this
    // one's (a histogram "x" and a counter "x_count"), exists.
    Result<std::shared_ptr<CounterFamily>> addCounter(const QString &name, const QString &help,
                                                      const QStringList &labelNames = {});
    Result<std::shared_ptr<GaugeFamily>> addGauge(const QString &name, const QString &help,
                                                  const QStringList &labelNames = {});
    Result<std::shared_ptr<HistogramFamily>> addHistogram(const QString &name, const QString &help,
                                                          const QStringList &labelNames,
                                                          std::vector<double> upperBounds);

    // Whether histogram bounds are usable: finite and strictly ascending (InvalidInput naming
    // `name` otherwise). An empty list is allowed here: only the +Inf bucket.
    static Status checkBounds(const QString &name, const std::vector<double> &upperBounds);

    // Drops a family and its series; false when there is none of that name.
    bool removeFamily(const QString &name);
    // removeMatching() on every family; how many series went.
    int removeSeries(const LabelMatch &match);

    // The exposition text: families ordered by name, each with HELP and TYPE (also when it has
    // no series yet), its series ordered by label values.
    QByteArray render() const;

    // How a sample value or bound is written: the shortest digits that read back to the same
    // double, in exponent form only below 1e-4 or from 1e21 on ("0.00025", "5e-05", "1e+21");
    // "+Inf", "-Inf", "NaN".
    static QByteArray formatValue(double value);
    // A label value between double quotes: backslash, double quote and newline escaped.
    static QByteArray escapeLabelValue(const QString &value);
    // HELP text: backslash and newline escaped.
    static QByteArray escapeHelp(const QString &help);
    static bool isValidMetricName(const QString &name);
    static bool isValidLabelName(const QString &name);

private:
    Status checkNewFamily(const QString &name, const QStringList &labelNames, Type type) const;
    template <typename F> std::shared_ptr<F> insert(std::shared_ptr<F> family);

    mutable std::mutex m_mutex;
    std::map<QString, std::shared_ptr<FamilyBase>> m_families;
};

// Family<S>::render() lives in metric_registry.cpp, instantiated there for the three types.
extern template class MetricRegistry::Family<MetricRegistry::Counter>;
extern template class MetricRegistry::Family<MetricRegistry::Gauge>;
extern template class MetricRegistry::Family<MetricRegistry::Histogram>;

} // namespace mlwb
