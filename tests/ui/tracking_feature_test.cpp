// SPDX-License-Identifier: MIT
// Tools > Tracking Server in the workbench (issue #15): turned on from its dialog, it serves the
// open project; a real Python script (/usr/bin/python3, urllib and python3-torch) logs a run in
// batches with pauses, and the run appears under Experiments and grows in its tab while the
// script writes; the status bar counts it live; the TorchScript artifact it logged becomes a
// model through Import Model From Artifact…. Closing the project stops the server.
#include "ui_fixture.h"

#include "data/dataset_catalog.h"
#include "mainwindow/document_area.h"
#include "panes/run/run_overview.h"
#include "panes/run/run_pane.h"
#include "panes/tracking/experiments_branch.h"
#include "panes/tracking/import_artifact_dialog.h"
#include "panes/tracking/tracking_feature.h"
#include "panes/tracking/tracking_server_controller.h"
#include "panes/tracking/tracking_server_dialog.h"
#include "store/experiment_repository.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

// Logs 6 batches of 50 steps half a second apart, then a TorchScript model as an artifact.
const char *kScript = R"py(
import io, json, sys, time, urllib.request
url = sys.argv[1]
def call(method, endpoint, body=None, raw=None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url + endpoint, data=data, method=method)
    with urllib.request.urlopen(request, timeout=60) as reply:
        return json.loads(reply.read() or b"{}")
api = "/api/2.0/mlflow/"
experiment = call("POST", api + "experiments/create", {"name": "growing"})["experiment_id"]
run = call("POST", api + "runs/create", {"experiment_id": experiment, "run_name": "slow script", "user_id": "ci",
                                         "start_time": int(time.time() * 1000)})["run"]
run_id = run["info"]["run_id"]
call("POST", api + "runs/log-inputs", {"run_id": run_id, "datasets": [{"dataset": {
    "name": "iris-csv", "digest": "0", "source_type": "local", "source": "iris.csv"}}]})
for b in range(6):
    now = int(time.time() * 1000)
    call("POST", api + "runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "loss", "value": 1.0 / (s + 1), "timestamp": now, "step": s} for s in range(b * 50, (b + 1) * 50)]})
    time.sleep(0.5)
import torch
model = torch.jit.script(torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3)))
buffer = io.BytesIO()
torch.jit.save(model, buffer)
root = run["info"]["artifact_uri"][len("mlflow-artifacts:/"):]
call("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model.pt", raw=buffer.getvalue())
call("POST", api + "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": int(time.time() * 1000)})
print(run_id)
)py";

class TrackingFeatureTest : public UiTest {};

TEST_F(TrackingFeatureTest, AScriptsRunAppearsAndGrowsWhileTheWorkbenchServes)
{
    MLWB_REQUIRE_PYTHON("torch");
    MainWindow &window = openWindow();
    {
        // The data set the script's model takes, imported for real (the sample's are not).
        ImportOptions options;
        options.target = QStringLiteral("species");
        auto d = DatasetCatalog(window.project()->db()).importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-csv"), options);
        ASSERT_TRUE(d.ok()) << qPrintable(d.error());
        window.project()->refresh();
    }
    ASSERT_TRUE(window.runCommand(QStringLiteral("tracking.server"), {}));
    auto *dialog = window.findChild<TrackingServerDialog *>();
    ASSERT_TRUE(dialog);
    EXPECT_EQ(dialog->listenEdit()->text(), QStringLiteral("127.0.0.1:5000")) << "the default address";
    EXPECT_EQ(dialog->exportLine()->text(), QStringLiteral("export MLFLOW_TRACKING_URI=http://127.0.0.1:5000"));
    dialog->listenEdit()->setText(QStringLiteral("127.0.0.1:0"));
    dialog->serveBox()->setChecked(true);
    TrackingServerController *controller = TrackingFeature::controller(window);
    ASSERT_TRUE(controller);
    ASSERT_TRUE(controller->isServing()) << qPrintable(dialog->statusLabel()->text());
    const QString url = controller->url();
    EXPECT_TRUE(url.startsWith(QStringLiteral("http://127.0.0.1:"))) << qPrintable(url);
    EXPECT_EQ(dialog->exportLine()->text(), QStringLiteral("export MLFLOW_TRACKING_URI=") + url);
    EXPECT_FALSE(dialog->listenEdit()->isEnabled()) << "the address is fixed while serving";
    dialog->copyButton()->click();
    EXPECT_EQ(QGuiApplication::clipboard()->text(), dialog->exportLine()->text());
    auto *indicator = window.findChild<QToolButton *>(QStringLiteral("trackingIndicator"));
    ASSERT_TRUE(indicator);
    EXPECT_TRUE(indicator->isVisibleTo(&window));
    saveScreenshot(*dialog, QStringLiteral("tracking-server-dialog.png"));
    dialog->hide();

    QProcess script;
    script.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QString::fromUtf8(kScript), url});
    ASSERT_TRUE(script.waitForStarted());

    // The experiment and its run appear in the explorer while the script logs.
    Project *project = window.project();
    ASSERT_TRUE(project);
    qint64 experimentId = 0;
    (void)QTest::qWaitFor([&] {
        auto e = ExperimentRepository(project->db()).find(QStringLiteral("growing"));
        experimentId = e ? e->id : 0;
        return experimentId > 0 && indexOf(kExperimentKind, experimentId).isValid() && tree().rowCount(indexOf(kExperimentKind, experimentId)) == 1;
    }, 20000);
    const QModelIndex experimentIndex = indexOf(kExperimentKind, experimentId);
    ASSERT_TRUE(experimentIndex.isValid()) << "no Experiments node for the script's experiment";
    EXPECT_EQ(nameOf(kExperimentKind, experimentId), QStringLiteral("growing"));
    const ItemRef runRef = tree().data(tree().index(0, 0, experimentIndex), ProjectTreeModel::ItemRefRole).value<ItemRef>();
    ASSERT_EQ(runRef.kind, ItemKind::Run);
    EXPECT_EQ(nameOf(ItemKind::Run, runRef.id), QStringLiteral("slow script"));

    // Its tab grows while the script writes: the latest step it shows rises, run after run.
    ASSERT_TRUE(window.documents()->open(runRef));
    auto *pane = qobject_cast<RunPane *>(window.documents()->currentDocument());
    ASSERT_TRUE(pane);
    auto latestStep = [&]() -> qint64 {
        for (const LatestMetric &l : pane->overview()->snapshot().latest)
            if (l.key == QStringLiteral("loss"))
                return l.step;
        return -1;
    };
    QList<qint64> seen;
    bool liveShown = false;
    while (script.state() != QProcess::NotRunning && seen.size() < 200) {
        QTest::qWait(200);
        const qint64 s = latestStep();
        if (seen.isEmpty() || s != seen.last())
            seen << s;
        liveShown |= indicator->text().contains(QStringLiteral("1 live run"));
    }
    if (script.state() != QProcess::NotRunning)
        ASSERT_TRUE(script.waitForFinished(120000));
    ASSERT_EQ(script.exitStatus(), QProcess::NormalExit);
    ASSERT_EQ(script.exitCode(), 0) << script.readAllStandardError().constData();
    int rises = 0;
    for (qsizetype i = 1; i < seen.size(); ++i)
        rises += seen[i] > seen[i - 1] && seen[i - 1] >= 0;
    EXPECT_GE(rises, 2) << "the tab showed the run at steps " << qPrintable(QStringList([&] {
        QStringList l;
        for (qint64 s : seen)
            l << QString::number(s);
        return l;
    }()).join(u','));
    EXPECT_TRUE(liveShown) << "the status bar never counted the script's run: " << qPrintable(indicator->text());
    MLWB_TRY_EQ(latestStep(), qint64(299));
    MLWB_TRY_EQ(tree().data(indexOf(ItemKind::Run, runRef.id).siblingAtColumn(1), Qt::DisplayRole).toString(), QStringLiteral("finished"));
    saveScreenshot(window, QStringLiteral("tracking-run-light.png"));
    // Nothing to package yet: the script's model is not in the project until it is imported.
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("package.create"), {runRef}));
    EXPECT_TRUE(window.canRunCommand(QStringLiteral("tracking.importModel"), {runRef}));

    // Import Model From Artifact…: the logged TorchScript becomes a model of iris (the data set
    // the run logged, preselected).
    QString preselected;
    QTimer::singleShot(0, &window, [&] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<ImportArtifactDialog *>(w)) {
                preselected = d->dataset();
                d->nameEdit()->setText(QStringLiteral("script-model"));
                d->accept();
            }
    });
    ASSERT_TRUE(window.runCommand(QStringLiteral("tracking.importModel"), {runRef}));
    EXPECT_EQ(preselected, QStringLiteral("iris-csv")) << "the data set the run logged";
    qint64 modelId = 0;
    (void)QTest::qWaitFor([&] {
        auto m = project->models().byName(QStringLiteral("script-model"));
        modelId = m ? m->id : 0;
        return modelId > 0;
    }, 20000);
    ASSERT_GT(modelId, 0) << qPrintable(window.messageBar()->text());
    auto model = project->models().get(modelId);
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(model->kind, ModelKind::TorchScript);

    // Closing the project ends the server.
    window.closeProject();
    EXPECT_FALSE(controller->isServing());
    EXPECT_FALSE(indicator->isVisibleTo(&window));
}

TEST_F(TrackingFeatureTest, AnAddressOffLoopbackWithoutATokenIsRefusedInTheDialog)
{
    MainWindow &window = openWindow();
    ASSERT_TRUE(window.runCommand(QStringLiteral("tracking.server"), {}));
    auto *dialog = window.findChild<TrackingServerDialog *>();
    ASSERT_TRUE(dialog);
    dialog->listenEdit()->setText(QStringLiteral("0.0.0.0:0"));
    dialog->tokenFileEdit()->clear();
    dialog->serveBox()->setChecked(true);
    EXPECT_FALSE(TrackingFeature::controller(window)->isServing());
    EXPECT_FALSE(dialog->serveBox()->isChecked());
    EXPECT_TRUE(dialog->statusLabel()->text().contains(QStringLiteral("needs a token"))) << qPrintable(dialog->statusLabel()->text());
}

} // namespace
} // namespace mlwb::test
