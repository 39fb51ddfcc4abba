// SPDX-License-Identifier: MIT
// The model's Versions page (the builder's second tab): whole rows are selected, each row says
// what its spec is, the selected version's layers are shown (not the newest's), a diff against
// another version, Train This Version trains that version, Restore as New Version saves it as
// the newest.
#include "ui_fixture.h"

#include "common/format.h"
#include "data/dataset_catalog.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "model/model_catalog.h"
#include "model/model_spec.h"
#include "panes/builder/model_builder.h"
#include "panes/model/model_overview.h"
#include "panes/train/train_commands.h"
#include "panes/train/train_dialog.h"
#include "mainwindow/theme.h"
#include "panes/train/new_model_dialog.h"
#include "widgets/message_bar.h"

#include <QApplication>

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

class VersionsTest : public UiTest {
protected:
    // iris with an MLP (version 1: Linear 256, ReLU, Dropout, Linear 128, ReLU, Linear 3) and a
    // version 2 without the Dropout and with a first layer of 64.
    void SetUp() override
    {
        UiTest::SetUp();
        MainWindow &window = openWindow();
        Project &project = *window.project();
        auto ds = DatasetCatalog(project.db())
                      .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-v"),
                                 ImportOptions{});
        ASSERT_TRUE(ds.ok()) << qPrintable(ds.error());
        ModelCatalog models(project.db());
        auto model = models.createFromTemplate(QStringLiteral("iris-v-mlp"), QStringLiteral("iris-v"),
                                               QStringLiteral("mlp"));
        ASSERT_TRUE(model.ok()) << qPrintable(model.error());
        m_model = *model;
        auto v1 = project.models().latestVersion(m_model);
        ASSERT_TRUE(v1.ok());
        m_v1 = v1->specJson;
        auto spec = ModelSpec::fromJson(m_v1);
        ASSERT_TRUE(spec.ok());
        ASSERT_EQ(spec->layers.size(), 6u);
        spec->layers[0].params.insert(QStringLiteral("out"), 64);
        spec->layers.erase(spec->layers.begin() + 2);
        auto v2 = models.addSpecVersion(m_model, spec->toJson());
        ASSERT_TRUE(v2.ok()) << qPrintable(v2.error());
        EXPECT_EQ(v2->version, 2);
        project.refresh();
    }

    ModelOverview *openVersions(MainWindow &window)
    {
        EXPECT_TRUE(window.documents()->open({ItemKind::Model, m_model}));
        auto *builder = qobject_cast<ModelBuilder *>(window.documents()->document({ItemKind::Model, m_model}));
        if (!builder)
            return nullptr;
        builder->tabs()->setCurrentWidget(builder->history());
        return builder->history();
    }

    static QString text(QTableWidget *t, int row, int column)
    {
        QTableWidgetItem *item = t->item(row, column);
        return item ? item->text() : QString();
    }

    MainWindow &window() { return *m_window; }

    // NAME.png and NAME-dark.png of the window (MLWB_UI_SCREENSHOT_DIR), plus the train and
    // new-model dialogs of this model.
    void screenshotsLightAndDark(const QString &name)
    {
        auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
        for (const bool dark : {false, true}) {
            Theme::apply(*app, dark ? Theme::Scheme::Dark : Theme::Scheme::Light);
            const QString suffix = dark ? QStringLiteral("-dark.png") : QStringLiteral(".png");
            window().resize(1400, 900);
            saveScreenshot(window(), name + suffix);
            TrainDialog train(QStringLiteral("iris-v-mlp"));
            train.setVersions({1, 2});
            train.setRunName(QStringLiteral("first try"));
            train.setAdvancedShown(true);
            train.setValue(QStringLiteral("lr"), QStringLiteral("-1"));
            train.show();
            saveScreenshot(train, QStringLiteral("train-dialog") + suffix);
            auto model = window().project()->models().get(m_model);
            NewModelDialog newModel(*window().project(), model->datasetId);
            newModel.show();
            (void)QTest::qWaitFor([&] { return !newModel.isReadingDataSet(); }, 10000);
            saveScreenshot(newModel, QStringLiteral("new-model-dialog") + suffix);
        }
        Theme::apply(*app, Theme::Scheme::Light);
    }

    qint64 m_model = 0;
    QByteArray m_v1;
};

TEST_F(VersionsTest, RowsAreSelectedWholeAndSayWhatTheSpecIs)
{
    ModelOverview *page = openVersions(window());
    ASSERT_NE(page, nullptr);
    QTableWidget *versions = page->versionsTable();
    ASSERT_EQ(versions->rowCount(), 2);
    // Newest first, selected when the page opens.
    EXPECT_EQ(text(versions, 0, 0), QStringLiteral("2"));
    EXPECT_EQ(text(versions, 1, 0), QStringLiteral("1"));
    EXPECT_EQ(page->selectedVersion(), 2);
    // The spec column says what the layers are, not how many bytes they take.
    const qint64 p1 = 4 * 256 + 256 + 256 * 128 + 128 + 128 * 3 + 3;
    const qint64 p2 = 4 * 64 + 64 + 64 * 128 + 128 + 128 * 3 + 3;
    EXPECT_EQ(text(versions, 1, 3),
              QStringLiteral("6 layers \u00b7 %1 parameters \u00b7 output [3]").arg(Format::count(p1)));
    EXPECT_EQ(text(versions, 0, 3),
              QStringLiteral("5 layers \u00b7 %1 parameters \u00b7 output [3]").arg(Format::count(p2)));

    // A click on a cell selects its whole row.
    const QRect cell = versions->visualItemRect(versions->item(1, 1));
    QTest::mouseClick(versions->viewport(), Qt::LeftButton, {}, cell.center());
    EXPECT_EQ(page->selectedVersion(), 1);
    EXPECT_EQ(versions->selectedItems().size(), versions->columnCount());
    for (QTableWidgetItem *item : versions->selectedItems())
        EXPECT_EQ(item->row(), 1);
}

TEST_F(VersionsTest, TheSelectedVersionsLayersAreShown)
{
    ModelOverview *page = openVersions(window());
    ASSERT_NE(page, nullptr);
    QTableWidget *layers = page->layersTable();
    // Version 2 (selected first): five layers, the first Linear(64).
    ASSERT_EQ(layers->rowCount(), 5);
    EXPECT_TRUE(text(layers, 0, 1).contains(QStringLiteral("64"))) << qPrintable(text(layers, 0, 1));
    EXPECT_EQ(text(layers, 0, 2), QStringLiteral("[64]"));
    EXPECT_EQ(text(layers, 0, 3), QString::number(4 * 64 + 64));
    EXPECT_TRUE(page->layersTitle()->text().contains(QStringLiteral("Version 2")));
    // Version 1: its own six layers with the Dropout, not the newest spec.
    page->selectVersion(1);
    ASSERT_EQ(layers->rowCount(), 6);
    EXPECT_EQ(text(layers, 0, 2), QStringLiteral("[256]"));
    EXPECT_TRUE(text(layers, 2, 1).startsWith(QStringLiteral("Dropout"))) << qPrintable(text(layers, 2, 1));
    EXPECT_TRUE(page->layersTitle()->text().contains(QStringLiteral("Version 1")));
    // The newest cannot be restored over itself; an older one can.
    EXPECT_TRUE(page->restoreButton()->isEnabled());
    page->selectVersion(2);
    EXPECT_FALSE(page->restoreButton()->isEnabled());
    EXPECT_TRUE(page->trainButton()->isEnabled());
}

TEST_F(VersionsTest, DiffAgainstAnotherVersionListsLayersAndSettings)
{
    ModelOverview *page = openVersions(window());
    ASSERT_NE(page, nullptr);
    page->selectVersion(2);
    ASSERT_TRUE(page->compareCombo()->isEnabled());
    page->compareWith(1);
    QTableWidget *diff = page->layersTable();
    ASSERT_EQ(diff->rowCount(), 6); // five kept (one of them changed), one removed
    EXPECT_EQ(text(diff, 0, 0), QStringLiteral("changed"));
    EXPECT_EQ(text(diff, 0, 3), QStringLiteral("out: 256 \u2192 64"));
    EXPECT_EQ(text(diff, 1, 0), QStringLiteral("same"));
    EXPECT_EQ(text(diff, 2, 0), QStringLiteral("removed"));
    EXPECT_TRUE(text(diff, 2, 1).startsWith(QStringLiteral("2 Dropout"))) << qPrintable(text(diff, 2, 1));
    EXPECT_TRUE(text(diff, 2, 2).isEmpty());
    for (int r = 3; r < 6; ++r)
        EXPECT_EQ(text(diff, r, 0), QStringLiteral("same")) << r;
    const QString title = page->layersTitle()->text();
    EXPECT_TRUE(title.contains(QStringLiteral("1 layer changed"))) << qPrintable(title);
    EXPECT_TRUE(title.contains(QStringLiteral("1 removed"))) << qPrintable(title);
    const qint64 p1 = 4 * 256 + 256 + 256 * 128 + 128 + 128 * 3 + 3;
    const qint64 p2 = 4 * 64 + 64 + 64 * 128 + 128 + 128 * 3 + 3;
    EXPECT_TRUE(title.contains(QStringLiteral("parameters %1 \u2192 %2")
                                   .arg(Format::count(p1), Format::count(p2))))
        << qPrintable(title);
    if (!screenshotDir().isEmpty())
        screenshotsLightAndDark(QStringLiteral("versions-diff"));
    // Back to the version's own layers.
    page->compareWith(0);
    EXPECT_EQ(diff->rowCount(), 5);
}

TEST_F(VersionsTest, RestoreSavesTheVersionAsTheNewest)
{
    ModelOverview *page = openVersions(window());
    ASSERT_NE(page, nullptr);
    page->selectVersion(1);
    page->restoreSelected(false);
    auto versions = window().project()->models().versions(m_model);
    ASSERT_TRUE(versions.ok());
    ASSERT_EQ(versions->size(), 3);
    EXPECT_EQ(versions->last().specJson, m_v1);
    EXPECT_TRUE(window().messageBar()->text().contains(QStringLiteral("Restored version 1 as version 3")))
        << qPrintable(window().messageBar()->text());
    // The page shows the new version, and the builder's draft follows it.
    MLWB_TRY_EQ(page->versionsTable()->rowCount(), 3);
    auto *builder = qobject_cast<ModelBuilder *>(window().documents()->document({ItemKind::Model, m_model}));
    ASSERT_NE(builder, nullptr);
    MLWB_TRY_EQ(builder->stackModel()->savedVersion(), 3);
    auto restored = ModelSpec::fromJson(m_v1);
    ASSERT_TRUE(restored.ok());
    EXPECT_EQ(builder->stackModel()->spec(), *restored);
}

TEST_F(VersionsTest, TrainThisVersionTrainsThatVersion)
{
    ModelOverview *page = openVersions(window());
    ASSERT_NE(page, nullptr);
    auto *commands = window().findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    page->selectVersion(1);
    QTest::mouseClick(page->trainButton(), Qt::LeftButton);
    TrainDialog *dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->version(), 1);
    EXPECT_EQ(dialog->versionCombo()->count(), 2);
    dialog->setValue(QStringLiteral("epochs"), QStringLiteral("1"));
    dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
    ASSERT_TRUE(dialog->isValid()) << qPrintable(dialog->errorText());
    dialog->accept();
    qint64 runId = 0;
    (void)QTest::qWaitFor(
        [&] {
            auto runs = window().project()->runs().list(m_model);
            runId = runs.ok() && runs->size() == 1 ? runs->first().id : 0;
            return runId != 0;
        },
        60000);
    ASSERT_GT(runId, 0);
    EXPECT_TRUE(window().jobManager()->waitForAll(120000));
    auto run = window().project()->runs().get(runId);
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->status, RunStatus::Finished) << qPrintable(run->message);
    EXPECT_EQ(run->modelVersion, 1);

    // Version 1 now has trained weights to export; version 2 has none.
    MLWB_TRY_EQ(page->exportableRun(1), runId);
    page->selectVersion(1);
    EXPECT_TRUE(page->exportButton()->isEnabled());
    EXPECT_TRUE(page->exportButton()->toolTip().contains(QString::number(runId)));
    page->selectVersion(2);
    EXPECT_FALSE(page->exportButton()->isEnabled());
}

} // namespace
} // namespace mlwb::test
