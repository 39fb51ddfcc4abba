// SPDX-License-Identifier: MIT
// Deployments in the window against a real mlwb-agent on 127.0.0.1:0 (issue #12): Add Target
// through the feature (its token in the user's TokenStore, 0600), the Deployments branch, the
// Deployment tab's health and models, Deploy… as a job, a 20% canary, Promote, Rollback, the
// canary share, the project's history rows, Try it beside the offline prediction, the /metrics
// sparkline, and an unreachable target that shows its error in the tab instead of hanging.
#include "ui_fixture.h"

#include "../e2e/agent_harness.h"

#include "deploy/local_agent.h"
#include "deploy/token_store.h"
#include "inference/inference_engine.h"
#include "package/sealed_package.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/theme.h"
#include "package/package_catalog.h"
#include "panes/deploy/deploy_dialog.h"
#include "panes/deploy/deploy_feature.h"
#include "panes/deploy/deployment_pane.h"
#include "panes/deploy/deployments_branch.h"
#include "widgets/message_bar.h"

#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QScopeGuard>
#include <QChartView>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>

#include <gtest/gtest.h>

#define MLWB_TRY_VERIFY_TIMEOUT(expr, ms)                                                          \
    do {                                                                                           \
        (void)QTest::qWaitFor([&] { return bool(expr); }, ms);                                     \
        ASSERT_TRUE(expr);                                                                         \
    } while (false)

namespace mlwb::test {
namespace {

const QString kModel = QStringLiteral("iris-deploy");

class DeployTest : public UiTest {
protected:
    void SetUp() override
    {
        UiTest::SetUp();
        if (HasFatalFailure())
            return;
        qputenv("MLWB_CONFIG_DIR", path(QStringLiteral("config")).toUtf8());
    }
    void TearDown() override
    {
        UiTest::TearDown();
        m_agent.reset();
        qunsetenv("MLWB_CONFIG_DIR");
    }

    // A trained iris run in the window's project, packaged (signed) as 1.0.0 and 1.1.0, and an
    // agent that trusts the signing key.
    void prepare(Project &project)
    {
        ImportOptions options;
        options.target = QStringLiteral("species");
        auto d = DatasetCatalog(project.db()).importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-d"), options);
        ASSERT_TRUE(d.ok()) << qPrintable(d.error());
        auto m = ModelCatalog(project.db()).createFromTemplate(kModel, QStringLiteral("iris-d"), QStringLiteral("mlp"));
        ASSERT_TRUE(m.ok()) << qPrintable(m.error());
        TrainRequest r;
        r.modelName = kModel;
        r.config.epochs = 15;
        r.config.batchSize = 16;
        r.config.learningRate = 1e-2;
        r.config.seed = 7;
        r.config.threads = 2;
        r.ownerLease = project.file().leaseId();
        auto trained = TrainingSession::run(project.path(), r, nullptr);
        ASSERT_TRUE(trained.ok()) << qPrintable(trained.error());
        for (const char *version : {"1.0.0", "1.1.0"}) {
            PackageBuilder::Request b;
            b.runId = trained->runId;
            b.name = kModel;
            b.version = QLatin1String(version);
            auto id = PackageCatalog(project.db()).create(b, true);
            ASSERT_TRUE(id.ok()) << qPrintable(id.error());
            m_packages << *id;
        }
        project.refresh();
        auto key = KeyStore().signingKey();
        ASSERT_TRUE(key.ok()) << qPrintable(key.error());
        const QString trusted = path(QStringLiteral("trusted"));
        QDir().mkpath(trusted);
        QFile pub(trusted + QStringLiteral("/test.pub"));
        ASSERT_TRUE(pub.open(QIODevice::WriteOnly));
        pub.write(key->publicKey().toText());
        pub.close();
        m_agent = std::make_unique<AgentProcess>(path(QStringLiteral("agent")), trusted);
        ASSERT_TRUE(m_agent->start()) << qPrintable(m_agent->error());
    }

    DeploymentPane *openPane(MainWindow &window, qint64 targetId)
    {
        EXPECT_TRUE(window.documents()->open({kTargetKind, targetId}));
        return qobject_cast<DeploymentPane *>(window.documents()->currentDocument());
    }

    // Runs an action of the pane and waits for the refresh after it.
    static void waitFor(DeploymentPane *pane, const std::function<void()> &action)
    {
        QSignalSpy spy(pane, &DeploymentPane::refreshed);
        action();
        EXPECT_TRUE(spy.wait(60000));
    }

    static QStringList column(QTableWidget *t, int c)
    {
        QStringList out;
        for (int r = 0; r < t->rowCount(); ++r)
            out << (t->item(r, c) ? t->item(r, c)->text() : QString());
        return out;
    }

    static QString stateOf(DeploymentPane *pane, const QString &version)
    {
        QTableWidget *t = pane->modelsTable();
        for (int r = 0; r < t->rowCount(); ++r)
            if (t->item(r, 1)->text() == version)
                return t->item(r, 2)->text() + QLatin1Char(' ') + t->item(r, 3)->text();
        return {};
    }

    std::unique_ptr<AgentProcess> m_agent;
    QList<qint64> m_packages;
};

TEST_F(DeployTest, AddTargetDeployPromoteRollbackCanaryAndTryIt)
{
    // MLWB_COLOR_SCHEME=dark with MLWB_UI_SCREENSHOT_DIR: the dark screenshot of the tab.
    const bool dark = qEnvironmentVariable("MLWB_COLOR_SCHEME") == QLatin1String("dark");
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    ASSERT_TRUE(app);
    if (dark)
        Theme::apply(*app, Theme::Scheme::Dark);
    const auto restore = qScopeGuard([app] { Theme::apply(*app, Theme::Scheme::Light); });
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    prepare(*project);
    if (HasFatalFailure())
        return;
    Database &db = project->db();

    // Add Target: the target in the project, its token with the user (0600), not in the project.
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(m_agent->port());
    auto added = DeployFeature::addTarget(*project, QStringLiteral("local"), url, QString(), QByteArray(AgentProcess::kToken));
    ASSERT_TRUE(added.ok()) << qPrintable(added.error());
    const qint64 targetId = *added;
    const TokenStore tokens;
    auto token = tokens.token(QStringLiteral("local"));
    ASSERT_TRUE(token.ok()) << qPrintable(token.error());
    EXPECT_EQ(*token, QByteArray(AgentProcess::kToken));
    EXPECT_EQ(QFileInfo(tokens.tokenPath(QStringLiteral("local"))).permissions().toInt() & 0x0077, 0);
    QFile projectFile(project->path());
    ASSERT_TRUE(projectFile.open(QIODevice::ReadOnly));
    EXPECT_FALSE(projectFile.readAll().contains(AgentProcess::kToken));
    // A bad name is refused before anything is stored.
    EXPECT_FALSE(DeployFeature::addTarget(*project, QStringLiteral("../x"), url, QString(), "t").ok());

    // The Deployments branch lists it by name.
    MLWB_TRY_VERIFY(indexOf(kTargetKind, targetId).isValid());
    EXPECT_EQ(nameOf(kTargetKind, targetId), QStringLiteral("local"));
    EXPECT_EQ(tree().data(indexOf(kTargetKind, targetId).parent(), Qt::DisplayRole).toString(), QStringLiteral("Deployments"));

    // The tab: health and the agent's version once it answered; no models yet.
    DeploymentPane *pane = openPane(window, targetId);
    ASSERT_TRUE(pane);
    MLWB_TRY_VERIFY(pane->healthLabel()->text().contains(QStringLiteral("ready")));
    MLWB_TRY_VERIFY(pane->versionLabel()->text().contains(QStringLiteral("mlwb-agent")));
    EXPECT_EQ(pane->modelsTable()->rowCount(), 0);
    // The explorer shows the health the tab saw.
    MLWB_TRY_VERIFY(indexOf(kTargetKind, targetId).siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString() ==
                    QStringLiteral("ready"));

    // Deploy… 1.0.0: a job, then the active version.
    DeployJob::Request r;
    r.projectPath = project->path();
    r.packageId = m_packages[0];
    r.target = QStringLiteral("local");
    const int job = DeployFeature::startDeploy(window, r);
    ASSERT_GT(job, 0);
    MLWB_TRY_VERIFY_TIMEOUT(window.jobManager()->job(job).status == JobState::Status::Finished ||
                                window.jobManager()->job(job).status == JobState::Status::Failed,
                            120000);
    ASSERT_EQ(window.jobManager()->job(job).status, JobState::Status::Finished) << qPrintable(window.messageBar()->text());
    // Its outcome in the tab's message bar, not also in the window's (two bars stacked).
    MLWB_TRY_VERIFY(pane->messageBar()->text().contains(QStringLiteral("Deployed %1 1.0.0 to local").arg(kModel)));
    EXPECT_FALSE(window.messageBar()->text().contains(QStringLiteral("Deployed"))) << qPrintable(window.messageBar()->text());
    waitFor(pane, [&] { pane->refresh(); });
    EXPECT_EQ(pane->activeVersion(kModel), QStringLiteral("1.0.0"));
    EXPECT_EQ(stateOf(pane, QStringLiteral("1.0.0")), QStringLiteral("active 100 %"));
    MLWB_TRY_VERIFY(pane->historyTable()->rowCount() == 1);
    EXPECT_EQ(pane->historyTable()->item(0, 2)->text(), QStringLiteral("deploy"));
    EXPECT_EQ(pane->historyTable()->item(0, 3)->text(), kModel + QStringLiteral(":1.0.0"));

    // 1.1.0 as a 20% canary.
    r.packageId = m_packages[1];
    r.canaryPercent = 20;
    const int job2 = DeployFeature::startDeploy(window, r);
    MLWB_TRY_VERIFY_TIMEOUT(window.jobManager()->job(job2).status == JobState::Status::Finished ||
                                window.jobManager()->job(job2).status == JobState::Status::Failed,
                            120000);
    ASSERT_EQ(window.jobManager()->job(job2).status, JobState::Status::Finished) << qPrintable(window.messageBar()->text());
    waitFor(pane, [&] { pane->refresh(); });
    EXPECT_EQ(pane->activeVersion(kModel), QStringLiteral("1.0.0"));
    EXPECT_EQ(stateOf(pane, QStringLiteral("1.0.0")), QStringLiteral("active 80 %"));
    EXPECT_EQ(stateOf(pane, QStringLiteral("1.1.0")), QStringLiteral("canary 20 %"));

    // The canary share, then Promote: 1.1.0 is active.
    waitFor(pane, [&] { pane->setCanaryShare(kModel, 35); });
    EXPECT_EQ(stateOf(pane, QStringLiteral("1.1.0")), QStringLiteral("canary 35 %"));
    waitFor(pane, [&] { pane->promote(kModel); });
    EXPECT_EQ(pane->activeVersion(kModel), QStringLiteral("1.1.0"));
    EXPECT_EQ(stateOf(pane, QStringLiteral("1.1.0")), QStringLiteral("active 100 %"));

    // Try it: the input example's rows, deployed beside offline, the same labels.
    {
        QSignalSpy tried(pane, &DeploymentPane::triedIt);
        pane->tryIt(kModel);
        ASSERT_TRUE(tried.wait(60000));
    }
    QTableWidget *tryTable = pane->tryTable();
    ASSERT_GT(tryTable->rowCount(), 0) << qPrintable(pane->messageBar()->text());
    auto sealed = PackageCatalog(db).open(m_packages[1]);
    ASSERT_TRUE(sealed.ok());
    const QJsonArray shape =
        sealed->inputExample().value(QStringLiteral("inputs")).toArray().first().toObject().value(QStringLiteral("shape")).toArray();
    EXPECT_EQ(tryTable->rowCount(), shape.first().toInt());
    for (int row = 0; row < tryTable->rowCount(); ++row) {
        EXPECT_TRUE(tryTable->item(row, 2)->text().endsWith(QStringLiteral("(1.1.0)"))) << qPrintable(tryTable->item(row, 2)->text());
        EXPECT_EQ(tryTable->item(row, 6)->text(), QStringLiteral("yes"))
            << qPrintable(tryTable->item(row, 2)->text() + QStringLiteral(" vs ") + tryTable->item(row, 4)->text());
        EXPECT_EQ(tryTable->item(row, 3)->text(), tryTable->item(row, 5)->text());
        EXPECT_EQ(tryTable->item(row, 1)->text(), QString()) << "the input example carries no true label";
    }

    // Try it with a row of the data set: that row sent, the answer beside the offline
    // prediction of the same row and the row's true label.
    {
        auto dataset = DatasetCatalog(db).load(QStringLiteral("iris-d"));
        ASSERT_TRUE(dataset.ok()) << qPrintable(dataset.error());
        const DataTable &table = dataset->data.table;
        const qint64 pick = 77;
        pane->setTryInput(pick);
        EXPECT_EQ(pane->tryInput(), std::optional<qint64>(pick));
        EXPECT_TRUE(pane->tryRowBox()->isEnabled());
        EXPECT_EQ(pane->tryRowBox()->maximum(), int(table.rowCount())) << "the range is the data set's rows";
        QSignalSpy tried(pane, &DeploymentPane::triedIt);
        pane->tryIt(kModel);
        ASSERT_TRUE(tried.wait(60000));
        ASSERT_EQ(tryTable->rowCount(), 1) << qPrintable(pane->messageBar()->text());
        EXPECT_TRUE(tryTable->item(0, 0)->text().startsWith(QStringLiteral("row 78 ("))) << qPrintable(tryTable->item(0, 0)->text());
        const QString truth = table.displayText(pick, table.columnIndex(QStringLiteral("species")));
        EXPECT_FALSE(truth.isEmpty());
        EXPECT_EQ(tryTable->item(0, 1)->text(), truth);
        EXPECT_EQ(tryTable->item(0, 6)->text(), QStringLiteral("yes"));
        EXPECT_TRUE(tryTable->item(0, 2)->text().endsWith(QStringLiteral("(1.1.0)")));
        // The offline prediction is the engine's for that very row.
        auto record = PackageCatalog(db).open(m_packages[1]);
        ASSERT_TRUE(record.ok());
        auto engine = InferenceEngine::fromArchive(record->entry(QLatin1String(SealedPackage::kModelEntry)), kModel);
        ASSERT_TRUE(engine.ok()) << qPrintable(engine.error());
        auto offline = engine->predictRaw(engine->rawRows(table, {pick}), 1);
        ASSERT_TRUE(offline.ok());
        EXPECT_TRUE(tryTable->item(0, 4)->text() == engine->outputLabels().value(qsizetype(offline->classes[0])))
            << qPrintable(tryTable->item(0, 4)->text());

        // A row past the end is the last row, as the spin box keeps it.
        pane->setTryInput(table.rowCount() + 5);
        EXPECT_EQ(pane->tryInput(), std::optional<qint64>(table.rowCount() - 1));
        pane->setTryInput(std::nullopt);
        EXPECT_FALSE(pane->tryRowBox()->isEnabled());
        pane->setTryInput(pick); // as the screenshot shows it
    }

    // Rollback: 1.0.0 is active again.
    waitFor(pane, [&] { pane->rollback(kModel); });
    EXPECT_EQ(pane->activeVersion(kModel), QStringLiteral("1.0.0"));

    // The project's history, newest first.
    MLWB_TRY_VERIFY(pane->historyTable()->rowCount() == 5);
    EXPECT_EQ(column(pane->historyTable(), 2),
              (QStringList{QStringLiteral("rollback"), QStringLiteral("promote"), QStringLiteral("canary"),
                           QStringLiteral("canary"), QStringLiteral("deploy")}));

    // The sparkline: points from /metrics (the Try it requests were counted).
    MLWB_TRY_VERIFY_TIMEOUT(pane->sparkPoints() >= 1, 15000);
    auto *rate = qobject_cast<QLineSeries *>(pane->sparkline()->chart()->series().first());
    ASSERT_TRUE(rate);
    EXPECT_GE(rate->count(), 1);

    pane->modelsTable()->selectRow(0);
    window.resize(1400, 900);
    // At 1400x900 with the docks open, every part of the tab is on screen, none scrolled away.
    QTest::qWait(200);
    for (QWidget *part : {static_cast<QWidget *>(pane->healthLabel()), static_cast<QWidget *>(pane->modelsTable()),
                          static_cast<QWidget *>(pane->tryTable()), static_cast<QWidget *>(pane->historyTable())}) {
        const QRect shown = part->visibleRegion().boundingRect();
        EXPECT_GE(shown.height(), std::min(part->height(), 60)) << qPrintable(part->objectName());
    }
    saveScreenshot(window, dark ? QStringLiteral("deployment-pane-dark.png") : QStringLiteral("deployment-pane-light.png"), 4500);
}

TEST_F(DeployTest, AnUnreachableTargetShowsItsErrorInTheTab)
{
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    auto added = DeployFeature::addTarget(*project, QStringLiteral("gone"), QStringLiteral("http://127.0.0.1:1"), QString(),
                                          QByteArray("some-token"));
    ASSERT_TRUE(added.ok()) << qPrintable(added.error());
    // --open target:NAME finds it.
    auto found = window.itemKinds().find(*project, QStringLiteral("target:gone"));
    ASSERT_TRUE(found.ok()) << qPrintable(found.error());
    EXPECT_EQ(*found, (ItemRef{kTargetKind, *added}));
    QElapsedTimer clock;
    clock.start();
    DeploymentPane *pane = openPane(window, *added);
    ASSERT_TRUE(pane);
    // Opening the tab does not wait for the agent.
    EXPECT_LT(clock.elapsed(), 2000);
    MLWB_TRY_VERIFY_TIMEOUT(pane->healthLabel()->text().contains(QStringLiteral("unreachable")), 20000);
    EXPECT_TRUE(pane->messageBar()->isVisible());
    EXPECT_TRUE(pane->messageBar()->text().contains(QStringLiteral("gone did not answer"))) << qPrintable(pane->messageBar()->text());
    EXPECT_TRUE(pane->messageBar()->text().contains(QStringLiteral("127.0.0.1:1"))) << qPrintable(pane->messageBar()->text());
    MLWB_TRY_VERIFY(indexOf(kTargetKind, *added).siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString() ==
                    QStringLiteral("unreachable"));
    // Promote on it fails in the tab, too.
    QSignalSpy spy(pane, &DeploymentPane::refreshed);
    pane->promote(kModel);
    ASSERT_TRUE(spy.wait(20000));
    EXPECT_TRUE(pane->messageBar()->text().contains(QStringLiteral("Promote of"))) << qPrintable(pane->messageBar()->text());
}

TEST_F(DeployTest, AnAgentThatNeverAnswersDoesNotBlockTheWindow)
{
    // Accepts connections and never answers: a call waits for its timeout (5 s for a refresh).
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    auto added = DeployFeature::addTarget(*project, QStringLiteral("silent"),
                                          QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()), QString(),
                                          QByteArray("some-token"));
    ASSERT_TRUE(added.ok()) << qPrintable(added.error());
    QElapsedTimer clock;
    clock.start();
    DeploymentPane *pane = openPane(window, *added);
    ASSERT_TRUE(pane);
    EXPECT_LT(clock.elapsed(), 3000);
    // The GUI thread keeps turning while the agent is asked: a short wait ends well before the
    // call's 5 s timeout (the first paint of the window and the tab takes about 1.5 s offscreen).
    QElapsedTimer tick;
    tick.start();
    QTest::qWait(300);
    EXPECT_LT(tick.elapsed(), 3500);
    EXPECT_TRUE(pane->busy());
    EXPECT_TRUE(pane->healthLabel()->text().contains(QStringLiteral("asking")));
    MLWB_TRY_VERIFY_TIMEOUT(pane->healthLabel()->text().contains(QStringLiteral("unreachable")), 30000);
    EXPECT_TRUE(pane->messageBar()->text().contains(QStringLiteral("silent did not answer"))) << qPrintable(pane->messageBar()->text());
}

// Deploy…'s dialog: a package whose checks failed goes out only with a reason.
TEST_F(DeployTest, TheDeployDialogAsksForAReasonWhenTheChecksFailed)
{
    TargetRecord t;
    t.id = 3;
    t.name = QStringLiteral("staging");
    t.url = QStringLiteral("http://127.0.0.1:9");
    PackageRecord ok, failed;
    ok.id = 1;
    ok.name = failed.name = kModel;
    ok.version = QStringLiteral("1.0.0");
    ok.state = PackageState::Checked;
    failed.id = 2;
    failed.version = QStringLiteral("1.1.0");
    failed.state = PackageState::GateFailed;
    DeployDialog dialog({t}, {ok, failed}, 3, 2);
    dialog.show();
    EXPECT_EQ(dialog.targetName(), QStringLiteral("staging"));
    EXPECT_EQ(dialog.packageId(), 2);
    EXPECT_TRUE(dialog.reasonEdit()->isVisible());
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    ASSERT_TRUE(buttons);
    buttons->button(QDialogButtonBox::Ok)->click();
    EXPECT_TRUE(dialog.isVisible()); // refused without a reason
    EXPECT_EQ(dialog.result(), 0);
    dialog.reasonEdit()->setPlainText(QStringLiteral("accuracy gate is 0.1 pt short; approved by QA"));
    dialog.canaryBox()->setValue(10);
    buttons->button(QDialogButtonBox::Ok)->click();
    EXPECT_EQ(dialog.result(), int(QDialog::Accepted));
    EXPECT_EQ(dialog.overrideReason(), QStringLiteral("accuracy gate is 0.1 pt short; approved by QA"));
    EXPECT_EQ(dialog.canaryPercent(), 10);
    // A package that passed needs none.
    dialog.packageBox()->setCurrentIndex(0);
    EXPECT_FALSE(dialog.reasonEdit()->isVisible());
    EXPECT_TRUE(dialog.overrideReason().isEmpty());
}

// Deploy → Start Local Agent: a job starts mlwb-agent on 127.0.0.1 for the user, the project's
// target "local" points at it and answers; then a package deploys to it from the window.
TEST_F(DeployTest, StartLocalAgentMakesTheProjectsTargetLocalAndTakesADeploy)
{
    qputenv("MLWB_DATA_DIR", path(QStringLiteral("data")).toUtf8());
    qputenv("MLWB_KEYCHAIN", "off");
    const auto cleanup = qScopeGuard([] {
        (void)LocalAgent().stop();
        qunsetenv("MLWB_DATA_DIR");
        qunsetenv("MLWB_KEYCHAIN");
    });
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    prepare(*project); // packages signed with the user's key (and an agent this test leaves alone)
    if (HasFatalFailure())
        return;
    QString startedOn;
    const int job = DeployFeature::startLocalAgent(window, [&](const QString &url) { startedOn = url; });
    ASSERT_GT(job, 0);
    MLWB_TRY_VERIFY_TIMEOUT(!startedOn.isEmpty() || window.jobManager()->job(job).status == JobState::Status::Failed, 60000);
    ASSERT_EQ(window.jobManager()->job(job).status, JobState::Status::Finished) << qPrintable(window.messageBar()->text());
    auto local = project->targets().find(QStringLiteral("local"));
    ASSERT_TRUE(local.ok()) << qPrintable(local.error());
    EXPECT_EQ(local->url, startedOn);
    auto running = LocalAgent().status();
    ASSERT_TRUE(running.ok()) << qPrintable(running.error());
    EXPECT_EQ(running->url, startedOn);

    DeployJob::Request r;
    r.projectPath = project->path();
    r.packageId = m_packages[0];
    r.target = QStringLiteral("local");
    const int deploy = DeployFeature::startDeploy(window, r);
    MLWB_TRY_VERIFY_TIMEOUT(window.jobManager()->job(deploy).status == JobState::Status::Finished ||
                                window.jobManager()->job(deploy).status == JobState::Status::Failed,
                            120000);
    ASSERT_EQ(window.jobManager()->job(deploy).status, JobState::Status::Finished) << qPrintable(window.messageBar()->text());
    DeploymentPane *pane = openPane(window, local->id);
    ASSERT_TRUE(pane);
    waitFor(pane, [&] { pane->refresh(); });
    EXPECT_EQ(pane->activeVersion(kModel), QStringLiteral("1.0.0"));
    EXPECT_TRUE(pane->healthLabel()->text().contains(QStringLiteral("ready"))) << qPrintable(pane->healthLabel()->text());
    window.resize(1400, 900);
    // The local agent's tab after Start Local Agent and a deploy (for the README).
    saveScreenshot(window, QStringLiteral("local-agent-light.png"), 4500);
}

} // namespace
} // namespace mlwb::test
