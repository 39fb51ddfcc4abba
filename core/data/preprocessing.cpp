// SPDX-License-Identifier: MIT
#include "data/preprocessing.h"

#include "data/csv_values.h"
#include "data/data_table.h"
#include "data/imported_dataset.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

constexpr int kFormatVersion = 1;

struct Moments {
    double mean = 0;
    double std = 1;
};

// Population mean/std over the non-missing values; a constant or empty input scales by 1 so
// standardising never divides by zero.
template <typename Values>
Moments moments(const Values &forEach)
{
    double sum = 0;
    qint64 n = 0;
    forEach([&](double v) {
        sum += v;
        ++n;
    });
    Moments m;
    if (n == 0)
        return m;
    m.mean = sum / double(n);
    double sq = 0;
    forEach([&](double v) { sq += (v - m.mean) * (v - m.mean); });
    const double sd = std::sqrt(sq / double(n));
    m.std = (sd > 1e-12 && std::isfinite(sd)) ? sd : 1.0;
    return m;
}

// The value a missing cell takes under an impute policy, from the (non-missing) training values:
// mean, median, or the most frequent value (ties to the smallest, so it is deterministic).
// Empty input (the column is missing in every training row) has no fill.
std::optional<double> imputeValue(std::vector<double> &values, MissingPolicy policy)
{
    if (values.empty())
        return std::nullopt;
    if (policy == MissingPolicy::ImputeMean) {
        double sum = 0;
        for (double v : values)
            sum += v;
        return sum / double(values.size());
    }
    if (policy == MissingPolicy::ImputeMedian) {
        const size_t mid = values.size() / 2;
        std::nth_element(values.begin(), values.begin() + qsizetype(mid), values.end());
        double m = values[mid];
        if (values.size() % 2 == 0)
            m = (m + *std::max_element(values.begin(), values.begin() + qsizetype(mid))) / 2;
        return m;
    }
    std::sort(values.begin(), values.end());
    double best = values.front();
    size_t bestRun = 0;
    for (size_t i = 0, run = 0; i < values.size(); ++i) {
        run = (i > 0 && values[i] == values[i - 1]) ? run + 1 : 1;
        if (run > bestRun) {
            bestRun = run;
            best = values[i];
        }
    }
    return best;
}

std::optional<FeatureEncoding> encodingFromName(const QString &name)
{
    for (FeatureEncoding e :
         {FeatureEncoding::Standardize, FeatureEncoding::Binary, FeatureEncoding::OneHot}) {
        if (name == featureEncodingName(e))
            return e;
    }
    return std::nullopt;
}

} // namespace

QString featureEncodingName(FeatureEncoding encoding)
{
    switch (encoding) {
    case FeatureEncoding::Standardize:
        return QStringLiteral("standardize");
    case FeatureEncoding::Binary:
        return QStringLiteral("binary");
    case FeatureEncoding::OneHot:
        return QStringLiteral("one-hot");
    }
    return {};
}

Result<Preprocessing> Preprocessing::fit(const ImportedDataset &dataset,
                                         const std::vector<qint64> &trainRows)
{
    return fit(dataset.table, dataset.targetColumn, dataset.task, trainRows, dataset.imageShape,
               dataset.missingPolicy);
}

Result<Preprocessing> Preprocessing::fit(const DataTable &table, int targetColumn, TaskKind task,
                                         const std::vector<qint64> &trainRows,
                                         std::optional<std::array<int, 3>> imageShape,
                                         MissingPolicy missing)
{
    if (targetColumn < 0 || targetColumn >= table.columnCount())
        return invalidInput(QStringLiteral("preprocessing: target column %1 is not one of the table's %2 "
                                   "columns")
                        .arg(targetColumn)
                        .arg(table.columnCount()));
    if (trainRows.empty())
        return invalidInput(QStringLiteral("preprocessing: no training rows to fit on"));
    for (qint64 r : trainRows) {
        if (r < 0 || r >= table.rowCount())
            return invalidInput(QStringLiteral("preprocessing: training row %1 is outside the table's %2 "
                                       "rows")
                            .arg(r)
                            .arg(table.rowCount()));
    }

    Preprocessing p;
    const ColumnInfo &target = table.column(targetColumn);
    p.m_task = task;
    p.m_targetName = target.name;
    p.m_targetColumn = targetColumn;
    p.m_targetType = target.type;
    p.m_fittedRows = qint64(trainRows.size());
    const auto overTrain = [&](int col) {
        const std::vector<double> &data = table.columnData(col);
        return [&data, &trainRows](auto &&f) {
            for (qint64 r : trainRows) {
                const double v = data[size_t(r)];
                if (!std::isnan(v))
                    f(v);
            }
        };
    };
    if (task == TaskKind::Classification) {
        if (!target.isCoded())
            return invalidInput(QStringLiteral("preprocessing: classification target '%1' is numeric; it "
                                       "needs class labels")
                            .arg(target.name));
        p.m_classNames = target.categories;
    } else {
        if (target.isCoded())
            return invalidInput(QStringLiteral("preprocessing: regression target '%1' is %2, not numeric")
                            .arg(target.name, columnTypeName(target.type)));
        const Moments m = moments(overTrain(targetColumn));
        p.m_targetMean = m.mean;
        p.m_targetStd = m.std;
    }

    int offset = 0;
    for (int c = 0; c < table.columnCount(); ++c) {
        if (c == targetColumn)
            continue;
        const ColumnInfo &info = table.column(c);
        FeatureTransform f;
        f.name = info.name;
        f.column = c;
        f.type = info.type;
        f.offset = offset;
        if (imageShape) {
            if (info.type == ColumnType::Categorical)
                return invalidInput(QStringLiteral("preprocessing: image input needs numeric features; "
                                           "column '%1' is categorical")
                                .arg(info.name));
            f.encoding = FeatureEncoding::Standardize;
        } else if (info.type == ColumnType::Numeric) {
            f.encoding = FeatureEncoding::Standardize;
            const Moments m = moments(overTrain(c));
            f.mean = m.mean;
            f.std = m.std;
        } else if (info.type == ColumnType::Boolean) {
            f.encoding = FeatureEncoding::Binary;
            f.categories = info.categories;
            f.mean = moments(overTrain(c)).mean;
        } else {
            f.encoding = FeatureEncoding::OneHot;
            f.categories = info.categories;
            f.width = int(info.categories.size());
        }
        if (missing != MissingPolicy::DropRow) {
            std::vector<double> values;
            overTrain(c)([&values](double v) { values.push_back(v); });
            const MissingPolicy policy = info.type == ColumnType::Numeric ? missing : MissingPolicy::ImputeMode;
            f.fill = imputeValue(values, policy);
        }
        offset += f.width;
        p.m_features.push_back(std::move(f));
    }
    p.m_featureCount = offset;

    if (imageShape) {
        const auto [C, H, W] = *imageShape;
        if (C <= 0 || H <= 0 || W <= 0 || qint64(C) * H * W != qint64(p.m_features.size()))
            return invalidInput(QStringLiteral("preprocessing: image shape %1x%2x%3 does not match the %4 "
                                       "feature columns")
                            .arg(C)
                            .arg(H)
                            .arg(W)
                            .arg(p.m_features.size()));
        const size_t plane = size_t(H) * size_t(W);
        for (int ch = 0; ch < C; ++ch) {
            const size_t first = size_t(ch) * plane;
            const Moments m = moments([&](auto &&f) {
                for (size_t k = first; k < first + plane; ++k)
                    overTrain(p.m_features[k].column)(f);
            });
            for (size_t k = first; k < first + plane; ++k) {
                p.m_features[k].mean = m.mean;
                p.m_features[k].std = m.std;
            }
        }
        p.m_imageShape = imageShape;
    }
    return p;
}

int Preprocessing::outputCount() const
{
    return m_task == TaskKind::Classification ? int(m_classNames.size()) : 1;
}

std::vector<qint64> Preprocessing::inputShape() const
{
    if (m_imageShape)
        return {(*m_imageShape)[0], (*m_imageShape)[1], (*m_imageShape)[2]};
    return {m_featureCount};
}

Status Preprocessing::checkTable(const DataTable &table) const
{
    const auto same = [&table](int column, const QString &name, ColumnType type,
                               const QStringList *categories) -> Status {
        if (column < 0 || column >= table.columnCount())
            return invalidInput(QStringLiteral("the table has no column %1 ('%2')").arg(column).arg(name));
        const ColumnInfo &info = table.column(column);
        if (info.name != name)
            return invalidInput(QStringLiteral("column %1 is '%2', expected '%3'")
                            .arg(column)
                            .arg(info.name, name));
        if (info.type != type)
            return invalidInput(QStringLiteral("column '%1' is %2, expected %3")
                            .arg(name, columnTypeName(info.type), columnTypeName(type)));
        if (categories && info.categories != *categories)
            return invalidInput(QStringLiteral("column '%1' has categories (%2), expected (%3)")
                            .arg(name, info.categories.join(QStringLiteral(", ")),
                                 categories->join(QStringLiteral(", "))));
        return {};
    };
    for (const FeatureTransform &f : m_features) {
        const QStringList *categories = f.type == ColumnType::Numeric ? nullptr : &f.categories;
        if (Status s = same(f.column, f.name, f.type, categories); !s)
            return s;
    }
    return same(m_targetColumn, m_targetName, m_targetType,
                m_task == TaskKind::Classification ? &m_classNames : nullptr);
}

void Preprocessing::transform(const DataTable &table, const std::vector<qint64> &rows,
                              float *out) const
{
    struct Step {
        const double *data;
        FeatureEncoding encoding;
        double mean;
        double invStd;
        double fill; // the stored fill, or what a missing cell has always become
        int offset;
        int width;
    };
    std::vector<Step> steps;
    steps.reserve(m_features.size());
    for (const FeatureTransform &f : m_features) {
        const double fill = f.fill ? *f.fill : f.encoding == FeatureEncoding::OneHot ? -1.0 : f.mean;
        steps.push_back({table.columnData(f.column).data(), f.encoding, f.mean, 1.0 / f.std, fill,
                         f.offset, f.width});
    }
    const size_t width = size_t(m_featureCount);
    for (size_t i = 0; i < rows.size(); ++i) {
        float *o = out + i * width;
        const size_t r = size_t(rows[i]);
        for (const Step &s : steps) {
            const double v = std::isnan(s.data[r]) ? s.fill : s.data[r];
            switch (s.encoding) {
            case FeatureEncoding::Standardize:
                o[s.offset] = float((v - s.mean) * s.invStd);
                break;
            case FeatureEncoding::Binary:
                o[s.offset] = float(v);
                break;
            case FeatureEncoding::OneHot:
                std::fill(o + s.offset, o + s.offset + s.width, 0.0f);
                if (v >= 0 && v < s.width)
                    o[s.offset + int(v)] = 1.0f;
                break;
            }
        }
    }
}

std::vector<float> Preprocessing::transform(const DataTable &table,
                                            const std::vector<qint64> &rows) const
{
    std::vector<float> out(rows.size() * size_t(m_featureCount));
    transform(table, rows, out.data());
    return out;
}

Status Preprocessing::transformRaw(const float *raw, qint64 rows, float *out) const
{
    const size_t inputs = m_features.size();
    const size_t width = size_t(m_featureCount);
    for (qint64 i = 0; i < rows; ++i) {
        const float *r = raw + size_t(i) * inputs;
        float *o = out + size_t(i) * width;
        for (size_t k = 0; k < inputs; ++k) {
            const FeatureTransform &f = m_features[k];
            const double x = r[k];
            const auto bad = [&](const QString &why) {
                return invalidInput(QStringLiteral("row %1, feature '%2': %3").arg(i).arg(f.name, why));
            };
            if (std::isinf(x))
                return bad(QStringLiteral("%1 is not a value (NaN marks a missing one)").arg(formatNumber(x)));
            const double fill = f.fill ? *f.fill : f.encoding == FeatureEncoding::OneHot ? -1.0 : f.mean;
            const double v = std::isnan(x) ? fill : x;
            switch (f.encoding) {
            case FeatureEncoding::Standardize:
                o[f.offset] = float((v - f.mean) * (1.0 / f.std));
                break;
            case FeatureEncoding::Binary:
                if (!std::isnan(x) && x != 0 && x != 1)
                    return bad(QStringLiteral("expected 0 or 1, got %1").arg(formatNumber(x)));
                o[f.offset] = float(v);
                break;
            case FeatureEncoding::OneHot:
                if (!std::isnan(x) && (x != std::floor(x) || x < 0 || x >= f.width))
                    return bad(QStringLiteral("%1 is not a category code (0 to %2: %3)")
                                   .arg(formatNumber(x))
                                   .arg(f.width - 1)
                                   .arg(f.categories.join(QStringLiteral(", "))));
                std::fill(o + f.offset, o + f.offset + f.width, 0.0f);
                if (v >= 0 && v < f.width)
                    o[f.offset + int(v)] = 1.0f;
                break;
            }
        }
    }
    return {};
}

Status Preprocessing::transformRecord(const QJsonObject &record, float *out) const
{
    for (const FeatureTransform &f : m_features) {
        const auto it = record.constFind(f.name);
        if (it == record.constEnd())
            return invalidInput(QStringLiteral("record has no value for feature '%1'").arg(f.name));
        const QJsonValue v = *it;
        const auto wrong = [&f, &v](const QString &expected) {
            const QString got = v.isString() ? QStringLiteral("'%1'").arg(v.toString())
                : v.isBool()                 ? QStringLiteral("a boolean")
                : v.isDouble()               ? formatNumber(v.toDouble())
                                             : QStringLiteral("an object or array");
            return invalidInput(QStringLiteral("feature '%1': expected %2, got %3")
                            .arg(f.name, expected, got));
        };
        double x = std::numeric_limits<double>::quiet_NaN();
        if (v.isNull() || v.isUndefined()) {
            // stays missing
        } else if (f.encoding == FeatureEncoding::OneHot) {
            const QString label = v.isDouble() ? formatNumber(v.toDouble())
                                               : v.toString().trimmed();
            const qsizetype code = f.categories.indexOf(label);
            if (code < 0 || !(v.isString() || v.isDouble()))
                return invalidInput(QStringLiteral("feature '%1': unknown category '%2' (known: %3)")
                                .arg(f.name, label, f.categories.join(QStringLiteral(", "))));
            x = double(code);
        } else if (v.isBool()) {
            x = v.toBool() ? 1 : 0;
        } else if (v.isDouble()) {
            x = v.toDouble();
        } else if (v.isString()) {
            const QString s = v.toString().trimmed();
            const QByteArray utf8 = s.toUtf8();
            const std::string_view text(utf8.constData(), size_t(utf8.size()));
            if (csv::isMissingToken(text)) {
                // stays missing
            } else if (const auto number = csv::parseNumber(text)) {
                x = *number;
            } else if (f.type == ColumnType::Boolean) {
                const qsizetype code = f.categories.indexOf(s);
                const int word = csv::parseBooleanWord(text);
                if (code < 0 && word < 0)
                    return wrong(QStringLiteral("%1 or %2").arg(f.categories.value(0),
                                                                f.categories.value(1)));
                x = code >= 0 ? double(code) : double(word);
            } else {
                return wrong(QStringLiteral("a number"));
            }
        } else {
            return wrong(QStringLiteral("a number"));
        }
        if (std::isnan(x) && f.fill)
            x = *f.fill;
        float *o = out + f.offset;
        switch (f.encoding) {
        case FeatureEncoding::Standardize:
            // The arithmetic of transform(): a record gives the bits its table row gives.
            *o = std::isnan(x) ? 0.0f : float((x - f.mean) * (1.0 / f.std));
            break;
        case FeatureEncoding::Binary:
            if (!std::isnan(x) && x != 0 && x != 1)
                return wrong(QStringLiteral("0 or 1"));
            *o = float(std::isnan(x) ? f.mean : x);
            break;
        case FeatureEncoding::OneHot:
            std::fill(o, o + f.width, 0.0f);
            if (!std::isnan(x))
                o[int(x)] = 1.0f;
            break;
        }
    }
    return {};
}

std::vector<qint64> Preprocessing::classTargets(const DataTable &table,
                                                const std::vector<qint64> &rows) const
{
    const std::vector<double> &data = table.columnData(m_targetColumn);
    std::vector<qint64> out(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const double v = data[size_t(rows[i])];
        out[i] = std::isnan(v) ? -1 : qint64(v);
    }
    return out;
}

std::vector<float> Preprocessing::regressionTargets(const DataTable &table,
                                                    const std::vector<qint64> &rows) const
{
    const std::vector<double> &data = table.columnData(m_targetColumn);
    std::vector<float> out(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        out[i] = float((data[size_t(rows[i])] - m_targetMean) / m_targetStd);
    return out;
}

QJsonObject Preprocessing::toJson() const
{
    QJsonObject target;
    target.insert(QStringLiteral("name"), m_targetName);
    target.insert(QStringLiteral("column"), m_targetColumn);
    target.insert(QStringLiteral("type"), columnTypeName(m_targetType));
    if (m_task == TaskKind::Classification) {
        target.insert(QStringLiteral("classes"), QJsonArray::fromStringList(m_classNames));
    } else {
        target.insert(QStringLiteral("mean"), m_targetMean);
        target.insert(QStringLiteral("std"), m_targetStd);
    }

    QJsonArray shape;
    for (qint64 d : inputShape())
        shape.append(d);
    QJsonObject input;
    input.insert(QStringLiteral("layout"), isImage() ? QStringLiteral("image")
                                                     : QStringLiteral("features"));
    input.insert(QStringLiteral("shape"), shape);
    input.insert(QStringLiteral("featureCount"), m_featureCount);

    QJsonArray features;
    for (const FeatureTransform &f : m_features) {
        QJsonObject o;
        o.insert(QStringLiteral("name"), f.name);
        o.insert(QStringLiteral("column"), f.column);
        o.insert(QStringLiteral("type"), columnTypeName(f.type));
        o.insert(QStringLiteral("encoding"), featureEncodingName(f.encoding));
        o.insert(QStringLiteral("offset"), f.offset);
        o.insert(QStringLiteral("width"), f.width);
        if (f.encoding != FeatureEncoding::OneHot)
            o.insert(QStringLiteral("mean"), f.mean);
        if (f.encoding == FeatureEncoding::Standardize)
            o.insert(QStringLiteral("std"), f.std);
        if (!f.categories.isEmpty())
            o.insert(QStringLiteral("categories"), QJsonArray::fromStringList(f.categories));
        if (f.fill)
            o.insert(QStringLiteral("fill"), *f.fill);
        features.append(o);
    }

    QJsonObject o;
    o.insert(QStringLiteral("format"), QStringLiteral("mlwb.preprocessing"));
    o.insert(QStringLiteral("version"), kFormatVersion);
    o.insert(QStringLiteral("task"), taskKindName(m_task));
    o.insert(QStringLiteral("target"), target);
    o.insert(QStringLiteral("input"), input);
    o.insert(QStringLiteral("features"), features);
    o.insert(QStringLiteral("fittedRows"), m_fittedRows);
    return o;
}

Result<Preprocessing> Preprocessing::fromJson(const QJsonObject &json)
{
    const auto bad = [](const QString &what) {
        return invalidInput(QStringLiteral("preprocessing: %1").arg(what));
    };
    if (json.value(QStringLiteral("format")).toString() != QLatin1String("mlwb.preprocessing"))
        return bad(QStringLiteral("field 'format' is not \"mlwb.preprocessing\""));
    const int version = json.value(QStringLiteral("version")).toInt();
    if (version != kFormatVersion)
        return bad(QStringLiteral("version %1 is not supported (this build reads version %2)")
                       .arg(version)
                       .arg(kFormatVersion));
    Preprocessing p;
    const auto task = taskKindFromName(json.value(QStringLiteral("task")).toString());
    if (!task)
        return bad(QStringLiteral("field 'task' is not \"classification\" or \"regression\""));
    p.m_task = *task;

    const QJsonObject target = json.value(QStringLiteral("target")).toObject();
    p.m_targetName = target.value(QStringLiteral("name")).toString();
    p.m_targetColumn = target.value(QStringLiteral("column")).toInt(-1);
    const auto targetType = columnTypeFromName(target.value(QStringLiteral("type")).toString());
    if (p.m_targetName.isEmpty() || p.m_targetColumn < 0 || !targetType)
        return bad(QStringLiteral("field 'target' needs 'name', 'column' and 'type'"));
    p.m_targetType = *targetType;
    if (p.m_task == TaskKind::Classification) {
        for (const QJsonValue &v : target.value(QStringLiteral("classes")).toArray())
            p.m_classNames.append(v.toString());
        if (p.m_classNames.size() < 2)
            return bad(QStringLiteral("field 'target.classes' needs at least two classes"));
    } else {
        p.m_targetMean = target.value(QStringLiteral("mean")).toDouble(0);
        p.m_targetStd = target.value(QStringLiteral("std")).toDouble(1);
        if (!(p.m_targetStd > 0))
            return bad(QStringLiteral("field 'target.std' must be positive"));
    }

    int offset = 0;
    const QJsonArray features = json.value(QStringLiteral("features")).toArray();
    for (qsizetype i = 0; i < features.size(); ++i) {
        const QJsonObject o = features.at(i).toObject();
        FeatureTransform f;
        f.name = o.value(QStringLiteral("name")).toString();
        f.column = o.value(QStringLiteral("column")).toInt(-1);
        const auto type = columnTypeFromName(o.value(QStringLiteral("type")).toString());
        const auto encoding = encodingFromName(o.value(QStringLiteral("encoding")).toString());
        if (f.name.isEmpty() || f.column < 0 || !type || !encoding)
            return bad(QStringLiteral("features[%1] needs 'name', 'column', 'type' and a known "
                                      "'encoding'")
                           .arg(i));
        f.type = *type;
        f.encoding = *encoding;
        f.offset = o.value(QStringLiteral("offset")).toInt(-1);
        f.width = o.value(QStringLiteral("width")).toInt(-1);
        f.mean = o.value(QStringLiteral("mean")).toDouble(0);
        f.std = o.value(QStringLiteral("std")).toDouble(1);
        for (const QJsonValue &v : o.value(QStringLiteral("categories")).toArray())
            f.categories.append(v.toString());
        if (const QJsonValue fill = o.value(QStringLiteral("fill")); fill.isDouble())
            f.fill = fill.toDouble();
        if (f.offset != offset)
            return bad(QStringLiteral("features[%1] ('%2') has offset %3, expected %4")
                           .arg(QString::number(i), f.name, QString::number(f.offset),
                                QString::number(offset)));
        const int expectedWidth = f.encoding == FeatureEncoding::OneHot ? int(f.categories.size())
                                                                        : 1;
        if (f.width != expectedWidth)
            return bad(QStringLiteral("features[%1] ('%2') has width %3, expected %4")
                           .arg(QString::number(i), f.name, QString::number(f.width),
                                QString::number(expectedWidth)));
        if (!(f.std > 0))
            return bad(QStringLiteral("features[%1] ('%2') has a non-positive std")
                           .arg(QString::number(i), f.name));
        if (f.fill && f.encoding == FeatureEncoding::OneHot
            && !(*f.fill >= 0 && *f.fill < double(f.categories.size())))
            return bad(QStringLiteral("features[%1] ('%2') fills with category %3 of %4")
                           .arg(QString::number(i), f.name, QString::number(*f.fill),
                                QString::number(f.categories.size())));
        offset += f.width;
        p.m_features.push_back(std::move(f));
    }
    p.m_featureCount = offset;

    const QJsonObject input = json.value(QStringLiteral("input")).toObject();
    if (input.value(QStringLiteral("featureCount")).toInt(-1) != offset)
        return bad(QStringLiteral("field 'input.featureCount' does not match the %1 inputs of "
                                  "'features'")
                       .arg(offset));
    if (input.value(QStringLiteral("layout")).toString() == QLatin1String("image")) {
        const QJsonArray shape = input.value(QStringLiteral("shape")).toArray();
        if (shape.size() != 3)
            return bad(QStringLiteral("an image input needs 'input.shape' [C, H, W]"));
        std::array<int, 3> s{shape[0].toInt(), shape[1].toInt(), shape[2].toInt()};
        if (s[0] <= 0 || s[1] <= 0 || s[2] <= 0 || qint64(s[0]) * s[1] * s[2] != offset)
            return bad(QStringLiteral("'input.shape' does not cover the %1 inputs").arg(offset));
        p.m_imageShape = s;
    }
    p.m_fittedRows = json.value(QStringLiteral("fittedRows")).toInteger();
    return p;
}

} // namespace mlwb
