// SPDX-License-Identifier: MIT
// The data set tab: stored rows in a virtualised table, class balance and column histogram.

#include "charts/distribution_chart_view.h"
#include "mainwindow/document_area.h"
#include "models/data_table_model.h"
#include "panes/dataset/dataset_overview.h"
#include "train/dataset_catalog.h"
#include "ui_fixture.h"

#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>

using namespace mlwb;
using namespace mlwb::test;

using DatasetPaneTest = UiTest;

TEST_F(DatasetPaneTest, ShowsRowsClassBalanceAndHistogram)
{
    MainWindow &w = openWindow();
    // The sample project's blobs are stand-ins: import a real one.
    auto id = DatasetCatalog(w.project()->db())
                  .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-full"),
                             ImportOptions{});
    ASSERT_TRUE(id.ok()) << qPrintable(id.error());
    w.project()->refresh();
    ASSERT_TRUE(w.documents()->open({ItemKind::Dataset, *id}));
    auto *doc = qobject_cast<DatasetOverview *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(doc, nullptr);
    DataTableModel *model = doc->dataModel();
    ASSERT_NE(model->table(), nullptr);
    EXPECT_EQ(model->columnCount(), 5);
    EXPECT_EQ(model->rowCount(), 150);
    EXPECT_EQ(model->headerData(4, Qt::Horizontal).toString(), QStringLiteral("species"));
    EXPECT_EQ(model->index(0, 4).data().toString(), QStringLiteral("setosa"));
    EXPECT_EQ(model->index(0, 0).data().toString(), QStringLiteral("5.1"));

    EXPECT_EQ(doc->classBalanceChart()->labels(),
              (QStringList{QStringLiteral("setosa"), QStringLiteral("versicolor"),
                           QStringLiteral("virginica")}));
    EXPECT_EQ(doc->classBalanceChart()->counts(), (QList<qint64>{50, 50, 50}));

    doc->columnTable()->setCurrentCell(0, 0);
    const QList<qint64> &bins = doc->histogramChart()->counts();
    ASSERT_EQ(bins.size(), 20);
    qint64 total = 0;
    for (qint64 n : bins)
        total += n;
    EXPECT_EQ(total, 150);

    // MLWB_SCREENSHOT_DIR=dir: saves the window with this tab for the documentation.
    const QString dir = qEnvironmentVariable("MLWB_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        w.resize(1400, 860);
        QTest::qWait(500);
        EXPECT_TRUE(w.grab().save(dir + QStringLiteral("/dataset-pane.png")));
    }
}
