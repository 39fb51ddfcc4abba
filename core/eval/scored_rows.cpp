// SPDX-License-Identifier: MIT
#include "eval/scored_rows.h"

#include <QLocale>

namespace mlwb {

namespace {

QByteArray csvField(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

QByteArray number(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest).toLatin1();
}

} // namespace

QByteArray ScoredRows::toCsv() const
{
    QByteArray csv = "row,target,predicted";
    const qsizetype k = classNames.size();
    for (const QString &prefix : {QStringLiteral("p_"), QStringLiteral("logit_")}) {
        for (const QString &name : classNames)
            csv += ',' + csvField(prefix + name);
    }
    csv += '\n';
    for (size_t i = 0; i < rows.size(); ++i) {
        csv += QByteArray::number(rows[i]);
        if (isClassification()) {
            csv += ',' + csvField(classNames.value(labels[i])) + ','
                + csvField(classNames.value(predicted[i]));
            for (qsizetype c = 0; c < k; ++c)
                csv += ',' + number(double(probabilities[i * size_t(k) + size_t(c)]));
            for (qsizetype c = 0; c < k; ++c)
                csv += ',' + number(double(logits[i * size_t(k) + size_t(c)]));
        } else {
            csv += ',' + number(targets[i]) + ',' + number(predictions[i]);
        }
        csv += '\n';
    }
    return csv;
}

} // namespace mlwb
