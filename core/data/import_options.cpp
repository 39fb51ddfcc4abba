// SPDX-License-Identifier: MIT
#include "data/import_options.h"

namespace mlwb {

QString missingPolicyName(MissingPolicy policy)
{
    switch (policy) {
    case MissingPolicy::DropRow:
        return QStringLiteral("drop-row");
    case MissingPolicy::ImputeMean:
        return QStringLiteral("impute-mean");
    case MissingPolicy::ImputeMedian:
        return QStringLiteral("impute-median");
    case MissingPolicy::ImputeMode:
        return QStringLiteral("impute-mode");
    }
    return {};
}

std::optional<MissingPolicy> missingPolicyFromName(const QString &name)
{
    for (MissingPolicy p : {MissingPolicy::DropRow, MissingPolicy::ImputeMean,
                            MissingPolicy::ImputeMedian, MissingPolicy::ImputeMode}) {
        if (name.compare(missingPolicyName(p), Qt::CaseInsensitive) == 0)
            return p;
    }
    return std::nullopt;
}

} // namespace mlwb
