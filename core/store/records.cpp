// SPDX-License-Identifier: MIT
#include "store/records.h"

namespace mlwb {

QString runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Queued: return QStringLiteral("queued");
    case RunStatus::Running: return QStringLiteral("running");
    case RunStatus::Finished: return QStringLiteral("finished");
    case RunStatus::Failed: return QStringLiteral("failed");
    case RunStatus::Interrupted: return QStringLiteral("interrupted");
    }
    return QStringLiteral("failed");
}

RunStatus runStatusFromName(const QString &name)
{
    if (name == u"queued") return RunStatus::Queued;
    if (name == u"running") return RunStatus::Running;
    if (name == u"finished") return RunStatus::Finished;
    if (name == u"interrupted") return RunStatus::Interrupted;
    return RunStatus::Failed;
}

QString modelKindName(ModelKind kind)
{
    return kind == ModelKind::TorchScript ? QStringLiteral("torchscript") : QStringLiteral("spec");
}

std::optional<ModelKind> modelKindFromName(const QString &name)
{
    if (name == u"spec")
        return ModelKind::Spec;
    if (name == u"torchscript")
        return ModelKind::TorchScript;
    return std::nullopt;
}

} // namespace mlwb
