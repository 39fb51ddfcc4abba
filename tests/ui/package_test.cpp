// SPDX-License-Identifier: MIT
// Packages in the window, on a really trained iris run: Create Package from the run (dialog,
// job, the new tab), the model's Packages node in the explorer, the tab's manifest, lineage and
// entries against the sealed archive, Run Checks (the table against the report, the latency
// chart by batch size), the Override Gate dialog's required reason, --open, the Inspector's
// facts, Export and an undoable delete.
#include "ui_fixture.h"

#include "checks/check_config.h"
#include "checks/check_report.h"
#include "checks/package_check_job.h"
#include "commands/command_registry.h"
#include "commands/delete_item_command.h"
#include "data/dataset_catalog.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "model/model_catalog.h"
#include "models/item_kind_registry.h"
#include "package/key_store.h"
#include "package/package_catalog.h"
#include "package/package_manifest.h"
#include "package/package_seal.h"
#include "package/signing_key.h"
#include "panes/package/check_config_dialog.h"
#include "panes/package/override_gate_dialog.h"
#include "panes/package/package_create_dialog.h"
#include "panes/package/package_explorer_nodes.h"
#include "panes/package/package_pane.h"
#include "panes/run/run_pane.h"
#include "train/training_session.h"
#include "widgets/message_bar.h"

#include <QChart>
#include <QChartView>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QUndoStack>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

class PackageTest : public UiTest {
protected:
    void SetUp() override
    {
        UiTest::SetUp();
        if (HasFatalFailure())
            return;
        // The signing key is made in the test's own config directory.
        qputenv("MLWB_CONFIG_DIR", path(QStringLiteral("config")).toUtf8());
    }
    void TearDown() override
    {
        UiTest::TearDown();
        qunsetenv("MLWB_CONFIG_DIR");
    }

    // A finished run of a real iris MLP, trained in this process.
    qint64 trainIris(Project &project)
    {
        ImportOptions options;
        options.target = QStringLiteral("species");
        auto d = DatasetCatalog(project.db()).importCsv(datasetPath(QStringLiteral("iris.csv")),
                                                       QStringLiteral("iris-real"), options);
        EXPECT_TRUE(d.ok()) << qPrintable(d.error());
        auto m = ModelCatalog(project.db()).createFromTemplate(QStringLiteral("iris-real-mlp"),
                                                              QStringLiteral("iris-real"), QStringLiteral("mlp"));
        EXPECT_TRUE(m.ok()) << qPrintable(m.error());
        m_modelId = m.ok() ? *m : 0;
        TrainRequest r;
        r.modelName = QStringLiteral("iris-real-mlp");
        r.config.epochs = 30;
        r.config.batchSize = 16;
        r.config.learningRate = 1e-2;
        r.config.seed = 7;
        r.config.threads = 2;
        r.ownerLease = project.file().leaseId();
        auto result = TrainingSession::run(project.path(), r, nullptr);
        EXPECT_TRUE(result.ok()) << qPrintable(result.error());
        if (!result.ok())
            return 0;
        EXPECT_EQ(result->status, RunStatus::Finished) << qPrintable(result->message);
        project.refresh();
        return result->runId;
    }

    // Create Package on the run through its command and dialog; the new package's id.
    qint64 createPackage(MainWindow &window, qint64 runId)
    {
        const QList<ItemRef> run{{ItemKind::Run, runId}};
        EXPECT_TRUE(window.canRunCommand(QStringLiteral("package.create"), run));
        window.runCommand(QStringLiteral("package.create"), run);
        auto *dialog = window.findChild<PackageCreateDialog *>();
        EXPECT_TRUE(dialog);
        if (!dialog)
            return 0;
        EXPECT_EQ(dialog->nameEdit()->text(), QStringLiteral("iris-real-mlp"));
        EXPECT_EQ(dialog->versionEdit()->text(), QStringLiteral("1.0.0"));
        dialog->descriptionEdit()->setPlainText(QStringLiteral("Iris species from four measurements"));
        dialog->accept();
        Project *project = window.project();
        (void)QTest::qWaitFor([&] { return project->packages().find(QStringLiteral("iris-real-mlp"), QStringLiteral("1.0.0")).ok(); },
                              60000);
        auto p = project->packages().find(QStringLiteral("iris-real-mlp"), QStringLiteral("1.0.0"));
        EXPECT_TRUE(p.ok()) << qPrintable(window.messageBar()->text());
        return p.ok() ? p->id : 0;
    }

    PackagePane *currentPane(MainWindow &window)
    {
        return qobject_cast<PackagePane *>(window.documents()->currentDocument());
    }

    qint64 m_modelId = 0;
};

TEST_F(PackageTest, CreateShowCheckExportAndDeleteAPackage)
{
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    const qint64 runId = trainIris(*project);
    ASSERT_GT(runId, 0);

    // The run's tab offers Create Package… beside its name.
    ASSERT_TRUE(window.documents()->open({ItemKind::Run, runId}));
    auto *runPane = qobject_cast<RunPane *>(window.documents()->currentDocument());
    ASSERT_TRUE(runPane);
    auto *createButton = runPane->findChild<QToolButton *>(QStringLiteral("runCreatePackage"));
    ASSERT_TRUE(createButton);
    EXPECT_TRUE(createButton->isEnabled());

    // Create Package… is in a finished run's context menu, not in a data set's.
    const Command *create = window.commands().find(QStringLiteral("package.create"));
    ASSERT_TRUE(create);
    EXPECT_TRUE(create->contextMenu);
    EXPECT_TRUE(CommandRegistry::appliesTo(*create, {{ItemKind::Run, runId}}));
    EXPECT_FALSE(CommandRegistry::appliesTo(*create, {{ItemKind::Dataset, m_ids.datasets.first()}}));

    const qint64 id = createPackage(window, runId);
    ASSERT_GT(id, 0);
    const ItemRef ref{kPackageKind, id};

    // The new package's tab opens when the job is done.
    MLWB_TRY_VERIFY(currentPane(window) && currentPane(window)->packageId() == id);
    PackagePane *pane = currentPane(window);

    // In the explorer under its model: Packages > "iris-real-mlp 1.0.0", built.
    MLWB_TRY_VERIFY(indexOf(kPackageKind, id).isValid());
    const QModelIndex node = indexOf(kPackageKind, id);
    EXPECT_EQ(node.data().toString(), QStringLiteral("iris-real-mlp 1.0.0"));
    EXPECT_EQ(node.siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString(), QStringLiteral("built"));
    EXPECT_EQ(tree().refAt(node.parent()), PackageExplorerNodes::folderOf(m_modelId));
    EXPECT_EQ(node.parent().data().toString(), QStringLiteral("Packages"));
    EXPECT_EQ(tree().refAt(node.parent().parent()), (ItemRef{ItemKind::Model, m_modelId}));

    // The tab against the stored, verified package.
    auto sealed = PackageCatalog(project->db()).open(id);
    ASSERT_TRUE(sealed) << qPrintable(sealed.error());
    const PackageManifest &m = sealed->manifest();
    auto key = KeyStore().signingKey();
    ASSERT_TRUE(key) << qPrintable(key.error());
    EXPECT_EQ(pane->title()->text(), QStringLiteral("iris-real-mlp:1.0.0"));
    EXPECT_TRUE(sealed->seal().isSigned);
    EXPECT_EQ(pane->signature()->text(),
              QStringLiteral("Signed by %1 (%2)").arg(sealed->seal().keyId, sealed->seal().signer));
    EXPECT_EQ(sealed->seal().keyId, key->publicKey().id());
    EXPECT_EQ(pane->manifestField(QStringLiteral("description"))->text(),
              QStringLiteral("Iris species from four measurements"));
    ASSERT_FALSE(m.input.features.empty());
    for (const PackageManifest::Feature &f : m.input.features)
        EXPECT_TRUE(pane->manifestField(QStringLiteral("input"))->text().contains(f.name + QStringLiteral(" (") + f.kind + u')'))
            << qPrintable(f.name);
    for (const QString &label : m.output.labels)
        EXPECT_TRUE(pane->manifestField(QStringLiteral("output"))->text().contains(label));
    EXPECT_TRUE(pane->manifestField(QStringLiteral("runtime"))->text().contains(m.libtorchVersion));
    EXPECT_EQ(m.lineage.runId, runId);
    EXPECT_TRUE(pane->lineage(QStringLiteral("run"))->text().contains(QStringLiteral("href=\"run:%1\"").arg(runId)));
    EXPECT_TRUE(pane->lineage(QStringLiteral("dataset"))->text().contains(QStringLiteral("iris-real")));
    EXPECT_EQ(pane->lineage(QStringLiteral("datasetSha256"))->toolTip(), m.lineage.datasetSha256);
    EXPECT_TRUE(pane->lineage(QStringLiteral("model"))->text().contains(QStringLiteral("href=\"model:%1\"").arg(m_modelId)));
    EXPECT_GT(pane->metrics()->rowCount(), 0);

    QTableWidget *entries = pane->entries();
    ASSERT_EQ(entries->rowCount(), int(sealed->archive().entries().size()));
    int modelRow = -1;
    for (int r = 0; r < entries->rowCount(); ++r)
        if (entries->item(r, 0)->text() == QLatin1String(SealedPackage::kModelEntry))
            modelRow = r;
    ASSERT_GE(modelRow, 0);
    EXPECT_EQ(entries->item(modelRow, 2)->text(),
              PackageSeal::sha256Hex(sealed->entry(QLatin1String(SealedPackage::kModelEntry))));

    // A lineage link opens the run's tab.
    Q_EMIT pane->lineage(QStringLiteral("run"))->linkActivated(QStringLiteral("run:%1").arg(runId));
    EXPECT_EQ(window.documents()->currentRef(), (ItemRef{ItemKind::Run, runId}));
    ASSERT_TRUE(window.documents()->open(ref));
    ASSERT_EQ(currentPane(window), pane);

    // --open package:NAME:VERSION (and NAME alone for the newest).
    auto found = window.itemKinds().find(*project, QStringLiteral("package:iris-real-mlp:1.0.0"));
    ASSERT_TRUE(found) << qPrintable(found.error());
    EXPECT_EQ(*found, ref);
    EXPECT_EQ(*window.itemKinds().find(*project, QStringLiteral("package:iris-real-mlp")), ref);

    // Not checked yet: the tab says so and offers Run Checks; Override is not applicable.
    EXPECT_FALSE(pane->hasCheckReport());
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("package.override"), {ref}));
    EXPECT_EQ(pane->tabs()->tabText(1), QStringLiteral("&Checks (not run)"));
    pane->tabs()->setCurrentIndex(1);
    ASSERT_TRUE(pane->runChecksButton()->isVisible());
    QTest::mouseClick(pane->runChecksButton(), Qt::LeftButton);
    // The job is in the Jobs pane at once; the button does not offer a second run meanwhile.
    EXPECT_NE(window.jobManager()->jobOf(ref), 0);
    EXPECT_FALSE(pane->runChecksButton()->isEnabled());
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("package.check"), {ref}));
    (void)QTest::qWaitFor([&] { return project->packages().get(id)->state != PackageState::Built; }, 180000);
    auto checked = project->packages().get(id);
    ASSERT_TRUE(checked);
    ASSERT_NE(checked->state, PackageState::Built) << qPrintable(window.messageBar()->text());
    MLWB_TRY_VERIFY(pane->hasCheckReport());
    auto report = CheckReport::fromJson(checked->checks);
    ASSERT_TRUE(report) << qPrintable(report.error());

    QTableWidget *checks = pane->checks();
    ASSERT_EQ(checks->rowCount(), int(report->items.size()));
    int passes = 0;
    for (int r = 0; r < checks->rowCount(); ++r) {
        const CheckReport::Item &item = report->items[r];
        EXPECT_EQ(checks->item(r, 1)->text(), item.name);
        EXPECT_EQ(checks->item(r, 4)->text().startsWith(QStringLiteral("PASS")), item.passed) << qPrintable(item.id);
        passes += checks->item(r, 4)->text().startsWith(QStringLiteral("PASS"));
    }
    EXPECT_GT(passes, 0);
    for (int r = 0; r < checks->rowCount(); ++r)
        if (report->items[r].id == QLatin1String("gate.accuracy")) {
            EXPECT_EQ(checks->item(r, 4)->text(), QStringLiteral("PASS"));
            EXPECT_EQ(checks->item(r, 3)->text().left(2), QStringLiteral(">="));
        }
    EXPECT_EQ(pane->robustness()->rowCount(), int(report->robustness.size()));

    QChart *latency = pane->latencyChart()->chart();
    ASSERT_EQ(latency->series().size(), 3);
    for (QAbstractSeries *s : latency->series()) {
        auto *line = qobject_cast<QLineSeries *>(s);
        ASSERT_TRUE(line);
        ASSERT_EQ(line->count(), 3) << qPrintable(line->name());
        EXPECT_EQ(line->at(0).x(), 1);
        EXPECT_EQ(line->at(1).x(), 8);
        EXPECT_EQ(line->at(2).x(), 32);
    }
    EXPECT_EQ(latency->axes(Qt::Vertical).first()->titleText(), QStringLiteral("Latency (ms)"));
    // The charts export as PNG and SVG, and their numbers as CSV (the report's own).
    EXPECT_EQ(pane->latencyChart()->contextMenuPolicy(), Qt::CustomContextMenu);
    ASSERT_TRUE(pane->exportChart(pane->latencyChart(), path(QStringLiteral("latency.csv"))));
    {
        QFile csv(path(QStringLiteral("latency.csv")));
        ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        ASSERT_EQ(lines.size(), 4);
        EXPECT_EQ(lines[0], QByteArray("batch,p50_ms,p95_ms,p99_ms,rows_per_s"));
        EXPECT_TRUE(lines[1].startsWith("1,"));
        EXPECT_EQ(lines[1].split(',')[1].toDouble(),
                  report->latency[QStringLiteral("batches")].toArray()[0][QStringLiteral("p50_ms")].toDouble());
    }
    ASSERT_TRUE(pane->exportChart(pane->throughputChart(), path(QStringLiteral("throughput.png"))));
    EXPECT_TRUE(QImage(path(QStringLiteral("throughput.png"))).width() > 0);
    ASSERT_TRUE(pane->exportChart(pane->latencyChart(), path(QStringLiteral("latency.svg"))));
    EXPECT_FALSE(pane->exportChart(pane->latencyChart(), path(QStringLiteral("no/such/folder/latency.csv"))));
    MLWB_TRY_EQ(indexOf(kPackageKind, id).siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString(),
                checked->state == PackageState::Checked ? QStringLiteral("checked \u2713")
                                                        : QStringLiteral("gate failed \u2717"));

    // The Inspector's facts.
    auto description = window.itemKinds().describe(*project, ref);
    ASSERT_TRUE(description) << qPrintable(description.error());
    QHash<QString, QString> facts;
    for (const ItemProperty &p : std::as_const(description->properties))
        facts.insert(p.label, p.value);
    EXPECT_EQ(facts.value(QStringLiteral("Version")), QStringLiteral("1.0.0"));
    EXPECT_EQ(facts.value(QStringLiteral("Signed by")),
              QStringLiteral("%1 (%2)").arg(sealed->seal().keyId, sealed->seal().signer));
    EXPECT_FALSE(facts.value(QStringLiteral("Author")).isEmpty());

    // Export writes the stored archive.
    const QString file = path(QStringLiteral("iris.mlwbpkg"));
    ASSERT_TRUE(window.runCommand(QStringLiteral("package.export"), {ref}, file));
    QFile written(file);
    ASSERT_TRUE(written.open(QIODevice::ReadOnly));
    EXPECT_EQ(written.readAll(), project->packages().get(id)->archive);

    // Export for Triton writes a model repository entry (default options without the dialog).
    const QString repository = path(QStringLiteral("triton"));
    ASSERT_TRUE(QDir().mkpath(repository));
    ASSERT_TRUE(window.runCommand(QStringLiteral("package.exportTriton"), {ref}, repository));
    EXPECT_TRUE(QFile::exists(repository + QStringLiteral("/iris-real-mlp/config.pbtxt")))
        << qPrintable(window.messageBar()->text());
    EXPECT_TRUE(QFile::exists(repository + QStringLiteral("/iris-real-mlp/1/model.pt")));

    // Sign seals anew with the same key; the tab still names the signer.
    ASSERT_TRUE(window.runCommand(QStringLiteral("package.sign"), {ref}));
    EXPECT_EQ(window.messageBar()->type(), MessageBar::Type::Positive) << qPrintable(window.messageBar()->text());
    MLWB_TRY_EQ(pane->signature()->text(),
                QStringLiteral("Signed by %1 (%2)").arg(sealed->seal().keyId, sealed->seal().signer));

    // Delete is undoable.
    window.deleteItems({ref});
    MLWB_TRY_VERIFY(!indexOf(kPackageKind, id).isValid());
    EXPECT_FALSE(project->packages().get(id).ok());
    window.undoStack()->undo();
    MLWB_TRY_VERIFY(indexOf(kPackageKind, id).isValid());
    EXPECT_TRUE(project->packages().get(id).ok());
}

// A gate that fails (accuracy above 1): the tab and the explorer say so, Override Gate becomes
// applicable, and the recorded override shows with its reason.
TEST_F(PackageTest, AFailedGateIsShownAndCanBeOverriddenWithAReason)
{
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    const qint64 runId = trainIris(*project);
    ASSERT_GT(runId, 0);
    PackageBuilder::Request request;
    request.runId = runId;
    request.name = QStringLiteral("iris-strict");
    request.version = QStringLiteral("1.0.0");
    request.projectName = QStringLiteral("sample.mlwb");
    auto id = PackageCatalog(project->db()).create(request, true);
    ASSERT_TRUE(id) << qPrintable(id.error());
    CheckConfig config = CheckConfig::defaults(true);
    config.gates = {{QStringLiteral("accuracy"), 1.01, std::nullopt}};
    config.latencySeconds = 0.05;
    config.pythonRoundTrip = false;
    auto report = PackageCheckJob::check(project->db(), *id, config, nullptr);
    ASSERT_TRUE(report) << qPrintable(report.error());
    ASSERT_FALSE(report->passed());
    project->refresh();
    const ItemRef ref{kPackageKind, *id};
    MLWB_TRY_EQ(nameOf(kPackageKind, *id), QStringLiteral("iris-strict 1.0.0"));
    EXPECT_EQ(indexOf(kPackageKind, *id).siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString(),
              QStringLiteral("gate failed \u2717"));

    ASSERT_TRUE(window.documents()->open(ref));
    PackagePane *pane = currentPane(window);
    ASSERT_TRUE(pane);
    EXPECT_EQ(pane->stateLabel()->text(), QStringLiteral("\u2717 Gate failed"));
    EXPECT_TRUE(pane->hasCheckReport());
    EXPECT_EQ(pane->tabs()->currentIndex(), 1);
    int accuracyRow = -1;
    for (int r = 0; r < pane->checks()->rowCount(); ++r)
        if (report->items[r].id == QLatin1String("gate.accuracy"))
            accuracyRow = r;
    ASSERT_GE(accuracyRow, 0);
    EXPECT_EQ(pane->checks()->item(accuracyRow, 4)->text(), QStringLiteral("FAIL"));
    EXPECT_EQ(pane->checks()->item(accuracyRow, 3)->text(), QStringLiteral(">= 1.01"));
    pane->tabs()->setCurrentIndex(0); // the overrides are on the Overview, hidden while there are none
    EXPECT_FALSE(pane->overrides()->isVisibleTo(pane));

    ASSERT_TRUE(window.canRunCommand(QStringLiteral("package.override"), {ref}));
    ASSERT_TRUE(window.runCommand(QStringLiteral("package.override"), {ref},
                                  QStringLiteral("the demo needs it; accuracy 0.93 is enough")));
    MLWB_TRY_EQ(pane->overrides()->rowCount(), 1);
    EXPECT_EQ(pane->overrides()->item(0, 2)->text(), QStringLiteral("the demo needs it; accuracy 0.93 is enough"));
    EXPECT_EQ(pane->overrides()->item(0, 0)->text(), KeyStore::userAtHost());
    EXPECT_TRUE(pane->overrides()->isVisibleTo(pane));
    EXPECT_EQ(pane->stateLabel()->text(), QStringLiteral("\u2717 Gate failed, overridden"));
    MLWB_TRY_EQ(indexOf(kPackageKind, *id).siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString(),
                QStringLiteral("overridden \u2717"));
}

TEST_F(PackageTest, TheCreateDialogRefusesABadVersionOrNameInline)
{
    MainWindow &window = openWindow();
    PackageCreateDialog dialog(window, m_ids.runs.first(), &window);
    dialog.show();
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    EXPECT_EQ(dialog.versionEdit()->text(), QStringLiteral("1.0.0"));
    EXPECT_TRUE(ok->isEnabled()) << qPrintable(dialog.problem());
    dialog.versionEdit()->setText(QStringLiteral("1.0"));
    EXPECT_FALSE(ok->isEnabled());
    auto *error = dialog.findChild<MessageBar *>(QStringLiteral("packageCreateError"));
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->isVisible());
    EXPECT_EQ(error->text(), QStringLiteral("The version must be MAJOR.MINOR.PATCH, such as 1.0.0."));
    dialog.versionEdit()->setText(QStringLiteral("1.0.0"));
    dialog.nameEdit()->setText(QString());
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_EQ(error->text(), QStringLiteral("Enter a name for the package."));
    dialog.nameEdit()->setText(QStringLiteral("iris-mlp"));
    EXPECT_TRUE(ok->isEnabled());
    EXPECT_FALSE(error->isVisible());
}

TEST_F(PackageTest, TheOverrideDialogRefusesAnEmptyReason)
{
    OverrideGateDialog dialog(QStringLiteral("iris:1.0.0"), {QStringLiteral("accuracy")});
    dialog.show();
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(ok->isEnabled());
    dialog.accept();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    dialog.reasonEdit()->setPlainText(QStringLiteral("   \n  "));
    EXPECT_FALSE(ok->isEnabled());
    dialog.accept();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    dialog.reasonEdit()->setPlainText(QStringLiteral("accepted by the product owner for the demo"));
    EXPECT_TRUE(ok->isEnabled());
    dialog.accept();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(dialog.reason(), QStringLiteral("accepted by the product owner for the demo"));
}

TEST_F(PackageTest, TheCheckConfigDialogNamesWhatIsWrongAndResets)
{
    CheckConfig own = CheckConfig::defaults(true);
    own.gates = {{QStringLiteral("accuracy"), 0.99, std::nullopt}};
    CheckConfigDialog dialog(QStringLiteral("iris-mlp"), own, CheckConfig::defaults(true));
    dialog.show();
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    EXPECT_TRUE(ok->isEnabled());
    EXPECT_TRUE(dialog.editor()->toPlainText().contains(QLatin1String("0.99"))) << qPrintable(dialog.editor()->toPlainText());
    dialog.editor()->setPlainText(QStringLiteral("{\"gates\": ["));
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.errorLabel()->text().contains(QLatin1String("offset"))) << qPrintable(dialog.errorLabel()->text());
    dialog.editor()->setPlainText(QStringLiteral("{\"gates\": [{\"metric\": \"accuracy\"}]}"));
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.errorLabel()->text().contains(QLatin1String("gates[0]"))) << qPrintable(dialog.errorLabel()->text());
    dialog.editor()->setPlainText(QStringLiteral("{\"gates\": [{\"metric\": \"f1_macro\", \"min\": 0.9}], \"latency_p99_ms\": 5}"));
    ASSERT_TRUE(ok->isEnabled()) << qPrintable(dialog.errorLabel()->text());
    dialog.accept();
    ASSERT_TRUE(dialog.config().has_value());
    EXPECT_EQ(dialog.config()->gates.size(), 1);
    EXPECT_EQ(dialog.config()->gates[0].metric, QStringLiteral("f1_macro"));
    EXPECT_EQ(dialog.config()->latencyP99Ms, 5);

    CheckConfigDialog again(QStringLiteral("iris-mlp"), own, CheckConfig::defaults(true));
    again.resetToDefaults();
    again.accept();
    EXPECT_FALSE(again.config().has_value()) << "reset: the model goes back to its task's defaults";
}

} // namespace
} // namespace mlwb::test
