// SPDX-License-Identifier: MIT
// The CSV import dialog: preview, options, the import job, and errors before anything is written.

#include "data/dataset_catalog.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "panes/dataset/dataset_overview.h"
#include "store/evaluation_repository.h"
#include "store/project.h"
#include "panes/dataset/import_dataset_dialog.h"
#include "ui_fixture.h"
#include "widgets/message_bar.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QScrollBar>
#include <QSpinBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QWheelEvent>

using namespace mlwb;
using namespace mlwb::test;

using ImportDatasetTest = UiTest;

TEST_F(ImportDatasetTest, PreviewsIrisAndAcceptingImportsADatasetShownInTheExplorer)
{
    MainWindow &w = openWindow();
    EXPECT_NE(w.commands().find(QStringLiteral("dataset.import")), nullptr);
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("iris.csv")), &w);
    ASSERT_TRUE(dialog.previewOk()) << qPrintable(dialog.messageBar()->text());
    EXPECT_EQ(dialog.preview().columnNames.size(), 5);
    EXPECT_EQ(dialog.previewTable()->columnCount(), 5);
    EXPECT_GT(dialog.previewTable()->rowCount(), 0);
    EXPECT_EQ(dialog.previewTable()->item(0, 4)->text(), QStringLiteral("setosa"));
    EXPECT_EQ(dialog.columnTable()->rowCount(), 5);
    EXPECT_EQ(dialog.targetCombo()->currentText(), QStringLiteral("species"));
    EXPECT_EQ(dialog.preview().delimiter, QLatin1Char(','));
    EXPECT_TRUE(dialog.preview().hasHeader);

    // The sample project has an "iris" already: OK refuses the clash inline.
    EXPECT_EQ(dialog.nameEdit()->text(), QStringLiteral("iris"));
    dialog.accept();
    EXPECT_EQ(dialog.jobId(), 0);
    EXPECT_EQ(dialog.messageBar()->type(), MessageBar::Type::Error);

    dialog.nameEdit()->setText(QStringLiteral("iris-imported"));
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    ASSERT_TRUE(ok->isEnabled()) << qPrintable(ok->toolTip());
    ok->click();
    EXPECT_NE(dialog.jobId(), 0);
    ASSERT_TRUE(w.jobManager()->waitForAll(30000));
    EXPECT_EQ(w.jobManager()->job(dialog.jobId()).status, JobState::Status::Finished)
        << qPrintable(w.jobManager()->job(dialog.jobId()).error);
    auto record = w.project()->datasets().byName(QStringLiteral("iris-imported"));
    ASSERT_TRUE(record.ok()) << qPrintable(record.error());
    EXPECT_EQ(record->rowCount, 150);
    MLWB_TRY_VERIFY(indexOf(ItemKind::Dataset, record->id).isValid());
    EXPECT_EQ(nameOf(ItemKind::Dataset, record->id), QStringLiteral("iris-imported"));
}

TEST_F(ImportDatasetTest, ChangingAColumnTypeUpdatesThePreview)
{
    MainWindow &w = openWindow();
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("iris.csv")), &w);
    ASSERT_TRUE(dialog.previewOk());
    EXPECT_EQ(dialog.preview().columnTypes.at(0), ColumnType::Numeric);
    auto *combo = qobject_cast<QComboBox *>(dialog.columnTable()->cellWidget(0, 1));
    ASSERT_NE(combo, nullptr);
    combo->setCurrentIndex(combo->findData(int(ColumnType::Categorical)));
    MLWB_TRY_EQ(dialog.preview().columnTypes.at(0), ColumnType::Categorical);
    EXPECT_EQ(dialog.options().typeOverrides.value(QStringLiteral("sepal_length_cm")),
              ColumnType::Categorical);
}

TEST_F(ImportDatasetTest, TheWheelOverATypeComboScrollsTheListInsteadOfChangingTheType)
{
    MainWindow &w = openWindow();
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("iris.csv")), &w);
    dialog.show();
    ASSERT_TRUE(dialog.previewOk());
    auto *combo = qobject_cast<QComboBox *>(dialog.columnTable()->cellWidget(2, 1));
    ASSERT_NE(combo, nullptr);
    ASSERT_FALSE(combo->hasFocus());
    const int before = combo->currentIndex();
    auto wheel = [combo](int delta) {
        QWheelEvent event(QPointF(5, 5), combo->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, delta),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(combo, &event);
    };
    wheel(-120);
    wheel(-120);
    EXPECT_EQ(combo->currentIndex(), before) << "no focus: the wheel is not for the combo";
    EXPECT_TRUE(dialog.options().typeOverrides.isEmpty());

    // Clicked (focused), it takes the wheel as any combo box does.
    combo->setFocus(Qt::MouseFocusReason);
    if (combo->hasFocus()) { // focus needs an active window, which offscreen may not give
        wheel(-120);
        EXPECT_NE(combo->currentIndex(), before);
    }
}

TEST_F(ImportDatasetTest, MalformedCsvShowsLineAndColumnAndImportsNothing)
{
    MainWindow &w = openWindow();
    const QString bad = path(QStringLiteral("bad.csv"));
    QFile f(bad);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("a,b,label\n1,2,x\n3,4\n5,6,y\n");
    f.close();
    const qsizetype before = w.project()->datasets().list()->size();

    ImportDatasetDialog dialog(w, bad, &w);
    EXPECT_FALSE(dialog.previewOk());
    EXPECT_EQ(dialog.messageBar()->type(), MessageBar::Type::Error);
    EXPECT_TRUE(dialog.messageBar()->isVisibleTo(&dialog));
    EXPECT_TRUE(dialog.messageBar()->text().contains(QStringLiteral("bad.csv:3:")))
        << qPrintable(dialog.messageBar()->text());
    EXPECT_FALSE(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    dialog.accept();
    EXPECT_EQ(dialog.jobId(), 0);
    EXPECT_TRUE(w.jobManager()->jobs().isEmpty());
    EXPECT_EQ(w.project()->datasets().list()->size(), before);
}

// A label with a mnemonic needs a buddy, or Qt shows its "&" literally ("&File:").
TEST_F(ImportDatasetTest, EveryMnemonicLabelHasABuddy)
{
    MainWindow &w = openWindow();
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("iris.csv")), &w);
    int mnemonics = 0;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        const QString text = label->text();
        if (label->textFormat() == Qt::RichText || Qt::mightBeRichText(text)
            || !text.contains(QLatin1Char('&')) || text.contains(QStringLiteral("&&")))
            continue;
        ++mnemonics;
        EXPECT_NE(label->buddy(), nullptr) << qPrintable(text);
        if (text == QStringLiteral("&File:")) {
            auto *edit = qobject_cast<QLineEdit *>(label->buddy());
            ASSERT_NE(edit, nullptr);
            EXPECT_EQ(edit->text(), datasetPath(QStringLiteral("iris.csv")));
        }
    }
    EXPECT_GE(mnemonics, 5);
}

// The column-types list shows its rows whole: all of them for a few columns, the last one whole
// when scrolled to the end for many.
TEST_F(ImportDatasetTest, TheColumnTypesListShowsItsLastRowWhole)
{
    MainWindow &w = openWindow();
    for (const QString &file : {QStringLiteral("iris.csv"), QStringLiteral("digits.csv")}) {
        ImportDatasetDialog dialog(w, datasetPath(file), &w);
        dialog.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
        // Even at the smallest size the dialog takes.
        dialog.resize(dialog.minimumSizeHint());
        QApplication::processEvents();
        QTableWidget *columns = dialog.columnTable();
        ASSERT_GT(columns->rowCount(), 0);
        const int last = columns->rowCount() - 1;
        if (columns->rowCount() <= 8)
            EXPECT_EQ(columns->verticalScrollBar()->maximum(), 0) << qPrintable(file);
        columns->scrollToBottom();
        QApplication::processEvents();
        const QRect rect = columns->visualRect(columns->model()->index(last, 1));
        EXPECT_GE(rect.top(), 0) << qPrintable(file);
        EXPECT_LE(rect.bottom(), columns->viewport()->height()) << qPrintable(file);
        if (!screenshotDir().isEmpty() && file == QStringLiteral("iris.csv"))
            saveScreenshot(dialog, QStringLiteral("import-dialog.png"));
    }
}

// The CLI's --delimiter, --no-header, --task and --seed are in the dialog, re-read the preview
// and reach the import.
TEST_F(ImportDatasetTest, DelimiterHeaderTaskAndSeedReachThePreviewAndTheImport)
{
    MainWindow &w = openWindow();
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("digits.csv")), &w);
    ASSERT_TRUE(dialog.previewOk()) << qPrintable(dialog.messageBar()->text());
    EXPECT_EQ(dialog.preview().columnNames.size(), 65);

    QComboBox *delimiter = dialog.delimiterCombo();
    delimiter->setCurrentIndex(delimiter->findData(QStringLiteral(";")));
    EXPECT_EQ(dialog.preview().delimiter, QLatin1Char(';'));
    EXPECT_EQ(dialog.preview().columnNames.size(), 1); // no semicolons: one wide column
    delimiter->setCurrentIndex(delimiter->findData(QString()));
    EXPECT_EQ(dialog.preview().delimiter, QLatin1Char(','));
    EXPECT_EQ(dialog.preview().columnNames.size(), 65);

    QComboBox *header = dialog.headerCombo();
    header->setCurrentIndex(header->findData(0));
    EXPECT_FALSE(dialog.preview().hasHeader);
    EXPECT_EQ(dialog.preview().columnNames.first(), QStringLiteral("column_1"));
    EXPECT_EQ(dialog.previewTable()->item(0, 0)->text(), QStringLiteral("pixel_0"));
    header->setCurrentIndex(header->findData(-1));
    EXPECT_TRUE(dialog.preview().hasHeader);
    EXPECT_EQ(dialog.preview().columnNames.first(), QStringLiteral("pixel_0"));

    EXPECT_EQ(dialog.preview().task, TaskKind::Classification); // integer labels 0..9
    QComboBox *task = dialog.taskCombo();
    task->setCurrentIndex(task->findData(int(TaskKind::Regression)));
    EXPECT_EQ(dialog.preview().task, TaskKind::Regression);
    EXPECT_EQ(dialog.options().task, TaskKind::Regression);

    dialog.seedBox()->setValue(7);
    EXPECT_EQ(dialog.split().seed, 7u);

    dialog.nameEdit()->setText(QStringLiteral("digits-regression"));
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    ASSERT_TRUE(ok->isEnabled()) << qPrintable(ok->toolTip());
    ok->click();
    ASSERT_NE(dialog.jobId(), 0);
    ASSERT_TRUE(w.jobManager()->waitForAll(60000));
    EXPECT_EQ(w.jobManager()->job(dialog.jobId()).status, JobState::Status::Finished)
        << qPrintable(w.jobManager()->job(dialog.jobId()).error);
    auto loaded = DatasetCatalog(w.project()->db()).load(QStringLiteral("digits-regression"));
    ASSERT_TRUE(loaded.ok()) << qPrintable(loaded.error());
    EXPECT_EQ(loaded->data.task, TaskKind::Regression);
    auto split = EvaluationRepository(w.project()->db()).split(loaded->record.id);
    ASSERT_TRUE(split.ok());
    EXPECT_EQ(split->seed, 7u);
}

// A split without a test part is explained inline (the dialog grows to show it) and has to be
// confirmed before Import.
TEST_F(ImportDatasetTest, ASplitWithoutATestPartIsExplainedAndNeedsConfirming)
{
    MainWindow &w = openWindow();
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("iris.csv")), &w);
    dialog.nameEdit()->setText(QStringLiteral("iris-no-test"));
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    ASSERT_TRUE(ok->isEnabled()) << qPrintable(ok->toolTip());
    EXPECT_FALSE(dialog.noTestWarning()->isVisible());

    dialog.trainBox()->setValue(85);
    dialog.validationBox()->setValue(15);
    EXPECT_TRUE(dialog.noTestPart());
    MLWB_TRY_VERIFY(dialog.noTestWarning()->isVisible());
    EXPECT_TRUE(dialog.noTestWarning()->text().contains(QStringLiteral("no held-out rows")));
    EXPECT_TRUE(dialog.noTestConfirm()->isVisible());
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(ok->toolTip().contains(QStringLiteral("no test part")));
    // Grown to fit: the warning has the height its text needs.
    MLWB_TRY_VERIFY(dialog.noTestWarning()->height()
                    >= dialog.noTestWarning()->heightForWidth(dialog.noTestWarning()->width()));
    if (!screenshotDir().isEmpty())
        saveScreenshot(dialog, QStringLiteral("import-dialog-no-test.png"));

    dialog.noTestConfirm()->setChecked(true);
    EXPECT_TRUE(ok->isEnabled()) << qPrintable(ok->toolTip());

    dialog.trainBox()->setValue(75);
    EXPECT_FALSE(dialog.noTestPart());
    MLWB_TRY_VERIFY(!dialog.noTestWarning()->isVisible());
    EXPECT_FALSE(dialog.noTestConfirm()->isChecked()); // asked again next time
    EXPECT_TRUE(ok->isEnabled());
}

// The imported data set opens in its tab, and the notice about it closes itself.
TEST_F(ImportDatasetTest, AnImportedDataSetOpensInItsTabAndTheNoticeClosesItself)
{
    MainWindow &w = openWindow();
    ImportDatasetDialog dialog(w, datasetPath(QStringLiteral("iris.csv")), &w);
    dialog.nameEdit()->setText(QStringLiteral("iris-tab"));
    dialog.accept();
    ASSERT_NE(dialog.jobId(), 0);
    ASSERT_TRUE(w.jobManager()->waitForAll(30000));
    auto record = w.project()->datasets().byName(QStringLiteral("iris-tab"));
    ASSERT_TRUE(record.ok()) << qPrintable(record.error());
    MLWB_TRY_VERIFY(w.documents()->currentRef() == (ItemRef{ItemKind::Dataset, record->id}));
    EXPECT_NE(qobject_cast<DatasetOverview *>(w.documents()->currentDocument()), nullptr);
    EXPECT_TRUE(w.messageBar()->text().contains(QStringLiteral("Imported data set")));
    EXPECT_TRUE(w.messageBar()->autoHides());
}
