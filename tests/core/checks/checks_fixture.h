// SPDX-License-Identifier: MIT
#pragma once

// A project with trained runs to package and check: iris (an MLP, the matrix-vector route),
// and a signing key of the test's own (MLWB_CONFIG_DIR points into the temporary directory).

#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "package/key_store.h"
#include "package/package_builder.h"
#include "package/sealed_package.h"
#include "package/signing_key.h"
#include "train/training_session.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <optional>

namespace mlwb::test {

class ChecksFixture : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        qputenv("MLWB_CONFIG_DIR", path(QStringLiteral("config")).toUtf8());
        auto k = KeyStore().signingKey();
        ASSERT_TRUE(k) << qPrintable(k.error());
        key.emplace(std::move(*k));
    }
    void TearDown() override
    {
        qunsetenv("MLWB_CONFIG_DIR");
        TempProjectTest::TearDown();
    }

    qint64 trainRun(const QString &csv, const QString &dataset, const QString &target, const QString &templ,
                    int epochs, ImportOptions options = {})
    {
        options.target = target;
        auto id = DatasetCatalog(m_project->db()).importCsv(csv, dataset, options);
        EXPECT_TRUE(id.ok()) << qPrintable(id.error());
        const QString model = dataset + QStringLiteral("-") + templ;
        auto m = ModelCatalog(m_project->db()).createFromTemplate(model, dataset, templ);
        EXPECT_TRUE(m.ok()) << qPrintable(m.error());
        TrainRequest r;
        r.modelName = model;
        r.config.epochs = epochs;
        r.config.batchSize = 16;
        r.config.learningRate = 1e-2;
        r.config.seed = 7;
        r.config.threads = 2;
        r.ownerLease = m_project->leaseId();
        auto result = TrainingSession::run(m_project->path(), r, nullptr);
        EXPECT_TRUE(result.ok()) << qPrintable(result.error());
        if (!result.ok())
            return 0;
        EXPECT_EQ(result->status, RunStatus::Finished) << qPrintable(result->message);
        return result->runId;
    }

    Result<PackageBuilder::Built> build(qint64 run, const QString &name, const QString &version, bool sign = true)
    {
        PackageBuilder::Request r;
        r.runId = run;
        r.name = name;
        r.version = version;
        r.projectName = QStringLiteral("test.mlwb");
        return PackageBuilder(m_project->db()).build(r, sign ? &*key : nullptr);
    }

    std::optional<SigningKey> key;
};

} // namespace mlwb::test
