// SPDX-License-Identifier: MIT
#include "package/package_baseline.h"

#include "common/json_number.h"
#include "data/data_table.h"
#include "data/preprocessing.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace mlwb {

QJsonObject PackageBaseline::numeric(std::vector<double> values)
{
    const auto finiteEnd = std::partition(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
    const qint64 missing = qint64(values.end() - finiteEnd);
    values.erase(finiteEnd, values.end());
    std::sort(values.begin(), values.end());
    QJsonObject o{{QStringLiteral("kind"), QStringLiteral("numeric")}, {QStringLiteral("missing"), missing}};
    if (values.empty()) {
        o.insert(QStringLiteral("edges"), QJsonArray());
        o.insert(QStringLiteral("counts"), QJsonArray());
        return o;
    }
    // Deciles by the nearest-rank rule on the sorted values; equal edges merge.
    std::vector<double> edges{values.front()};
    for (int i = 1; i < kBins; ++i) {
        const double q = values[size_t(std::ceil(double(i) * double(values.size()) / kBins)) - 1];
        if (q > edges.back())
            edges.push_back(q);
    }
    if (values.back() > edges.back() || edges.size() == 1)
        edges.push_back(values.back());
    std::vector<qint64> counts(edges.size() - 1, 0);
    double sum = 0;
    for (double v : values) {
        sum += v;
        // The bin whose [lower, upper) holds v; the last bin holds its upper edge too.
        size_t bin = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
        bin = bin == 0 ? 0 : std::min(bin - 1, counts.size() - 1);
        ++counts[bin];
    }
    const double mean = sum / double(values.size());
    double squares = 0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    QJsonArray e, c;
    for (double v : edges)
        e.append(JsonNumber::from(v));
    for (qint64 n : counts)
        c.append(n);
    o.insert(QStringLiteral("edges"), e);
    o.insert(QStringLiteral("counts"), c);
    o.insert(QStringLiteral("mean"), JsonNumber::from(mean));
    o.insert(QStringLiteral("std"), JsonNumber::from(std::sqrt(squares / double(values.size()))));
    o.insert(QStringLiteral("min"), JsonNumber::from(values.front()));
    o.insert(QStringLiteral("max"), JsonNumber::from(values.back()));
    return o;
}

QJsonObject PackageBaseline::categorical(std::span<const double> codes, const QStringList &categories,
                                         const QString &kind)
{
    std::vector<qint64> counts(size_t(categories.size()), 0);
    qint64 missing = 0;
    for (double v : codes) {
        if (std::isnan(v) || v < 0 || v >= double(counts.size()))
            ++missing;
        else
            ++counts[size_t(v)];
    }
    QJsonArray c;
    for (qint64 n : counts)
        c.append(n);
    return QJsonObject{{QStringLiteral("kind"), kind},
                       {QStringLiteral("categories"), QJsonArray::fromStringList(categories)},
                       {QStringLiteral("counts"), c},
                       {QStringLiteral("missing"), missing}};
}

QJsonObject PackageBaseline::build(const DataTable &table, const Preprocessing &pre, const std::vector<qint64> &rows,
                                   std::span<const qint64> classes, std::span<const double> predictions)
{
    QJsonArray features;
    std::vector<double> values(rows.size());
    for (const FeatureTransform &f : pre.features()) {
        const std::vector<double> &column = table.columnData(f.column);
        for (size_t i = 0; i < rows.size(); ++i)
            values[i] = column[size_t(rows[i])];
        QJsonObject o;
        if (f.encoding == FeatureEncoding::Standardize) {
            o = numeric(values);
        } else {
            QStringList categories = f.categories;
            if (categories.isEmpty()) // a 0/1 numeric column encoded as binary
                categories = {QStringLiteral("0"), QStringLiteral("1")};
            o = categorical(values, categories,
                            f.encoding == FeatureEncoding::OneHot ? QStringLiteral("category") : QStringLiteral("boolean"));
        }
        QJsonObject named{{QStringLiteral("name"), f.name}};
        for (auto it = o.begin(); it != o.end(); ++it)
            named.insert(it.key(), it.value());
        features.append(named);
    }
    QJsonObject prediction;
    if (pre.task() == TaskKind::Classification) {
        std::vector<double> codes(classes.begin(), classes.end());
        prediction = categorical(codes, pre.classNames(), QStringLiteral("category"));
    } else {
        prediction = numeric(std::vector<double>(predictions.begin(), predictions.end()));
    }
    return QJsonObject{{QStringLiteral("format"), 1},
                       {QStringLiteral("split"), QStringLiteral("train")},
                       {QStringLiteral("rows"), qint64(rows.size())},
                       {QStringLiteral("features"), features},
                       {QStringLiteral("prediction"), prediction}};
}

} // namespace mlwb
