// SPDX-License-Identifier: MIT
// The CSV import dialog: preview, options, the import job, and errors before anything is written.

#include "jobs/job_manager.h"
#include "panes/dataset/import_dataset_dialog.h"
#include "ui_fixture.h"
#include "widgets/message_bar.h"

#include <QApplication>
#include <QComboBox>
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
