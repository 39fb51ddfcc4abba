// SPDX-License-Identifier: MIT
#pragma once

#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QFile>

namespace mlwb::test {

inline QByteArray fileSha(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Creates a model with one version and a run; returns the run id.
inline qint64 addRun(ProjectFile &p, const QString &modelName = QStringLiteral("m"))
{
    ModelRepository models(p.db());
    qint64 modelId;
    if (auto existing = models.byName(modelName)) {
        modelId = existing->id;
    } else {
        auto added = models.add({0, modelName, ModelKind::Spec, 0, {}, {}});
        EXPECT_TRUE(added.ok()) << qPrintable(added.error());
        modelId = *added;
    }
    auto version = models.addVersion(modelId, QByteArrayLiteral("{}"), {});
    EXPECT_TRUE(version.ok()) << qPrintable(version.error());
    RunRepository runs(p.db());
    RunRecord r;
    r.modelVersionId = version->id;
    r.name = QStringLiteral("run");
    auto id = runs.create(r);
    EXPECT_TRUE(id.ok()) << qPrintable(id.error());
    return *id;
}

} // namespace mlwb::test
