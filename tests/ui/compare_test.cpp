// SPDX-License-Identifier: MIT
// The compare tab: overlaid curves of one metric per run (decimated, consistent colours, EMA),
// the final metrics table and the hyperparameter table with "only differences".
#include "ui_fixture.h"

#include "mainwindow/document_area.h"
#include "panes/compare/compare_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineSeries>
#include <QTabWidget>
#include <QTableWidget>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

class CompareTest : public UiTest {};

int visibleRows(QTableWidget *table)
{
    int n = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        n += table->isRowHidden(r) ? 0 : 1;
    return n;
}

TEST_F(CompareTest, CompareHookOpensTabWithCurvesAndTables)
{
    MainWindow &window = openWindow();
    window.resize(1200, 800);
    const QList<ItemRef> runs{{ItemKind::Run, m_ids.runs[0]}, {ItemKind::Run, m_ids.runs[2]}};
    ASSERT_TRUE(window.hooks().canCompare);
    EXPECT_FALSE(window.hooks().canCompare(window, {runs.first()}));
    ASSERT_TRUE(window.hooks().canCompare(window, runs));
    window.hooks().compare(window, runs);
    auto *view = qobject_cast<CompareView *>(window.documents()->tabs()->currentWidget());
    ASSERT_NE(view, nullptr);
    EXPECT_EQ(view->runIds(), (QList<qint64>{m_ids.runs[0], m_ids.runs[2]}));
    EXPECT_EQ(view->metricKey(), QStringLiteral("val/loss"));
    EXPECT_GE(view->keyCombo()->findText(QStringLiteral("train/loss")), 0);

    view->setMetricKey(QStringLiteral("train/loss"));
    auto series = view->series();
    ASSERT_EQ(series.size(), 2);
    for (int i = 0; i < 2; ++i) {
        EXPECT_GT(series[i]->count(), 1);
        EXPECT_LE(series[i]->count(), view->bucketCount());
        EXPECT_LE(series[i]->count(), 200);
        EXPECT_EQ(series[i]->color(), CompareView::colorOf(runs[i].id));
    }
    EXPECT_NE(series[0]->color(), series[1]->color());

    // Smoothing keeps the points and flattens the curve.
    const QList<QPointF> raw = series[0]->points();
    view->setSmoothing(90);
    series = view->series();
    ASSERT_EQ(series.size(), 2);
    ASSERT_EQ(series[0]->count(), raw.size());
    EXPECT_EQ(series[0]->at(0), raw[0]);
    bool differs = false;
    for (int i = 1; i < raw.size(); ++i)
        differs = differs || series[0]->at(i).y() != raw[i].y();
    EXPECT_TRUE(differs);
    view->setXAxis(CompareView::XAxis::WallTime);
    EXPECT_EQ(view->series().size(), 2);

    // MLWB_UI_SCREENSHOT_DIR=dir: saves the window for the documentation.
    if (const QString dir = qEnvironmentVariable("MLWB_UI_SCREENSHOT_DIR"); !dir.isEmpty()) {
        window.resize(1400, 900);
        view->setXAxis(CompareView::XAxis::Step);
        view->setSmoothing(60);
        QTest::qWait(300);
        window.grab().save(dir + QStringLiteral("/compare-pane.png"));
    }

    // Final metrics per run, sortable.
    QTableWidget *summary = view->summaryTable();
    ASSERT_EQ(summary->rowCount(), 2);
    int accuracyColumn = -1;
    for (int c = 0; c < summary->columnCount(); ++c)
        if (summary->horizontalHeaderItem(c)->text() == QStringLiteral("test/accuracy"))
            accuracyColumn = c;
    ASSERT_GE(accuracyColumn, 0);
    summary->sortByColumn(accuracyColumn, Qt::DescendingOrder);
    EXPECT_EQ(summary->item(0, 0)->text(), QStringLiteral("adam-1e-3"));
    EXPECT_DOUBLE_EQ(summary->item(0, accuracyColumn)->data(Qt::DisplayRole).toDouble(), 0.9722);
    summary->sortByColumn(accuracyColumn, Qt::AscendingOrder);
    EXPECT_EQ(summary->item(0, 0)->text(), QStringLiteral("baseline"));

    // Hyperparameters: learning_rate and epochs differ, optimizer and batch_size do not.
    QTableWidget *hyper = view->hyperparameterTable();
    EXPECT_EQ(hyper->rowCount(), 4);
    ASSERT_TRUE(view->onlyDifferences()->isChecked());
    EXPECT_EQ(visibleRows(hyper), 2);
    view->onlyDifferences()->setChecked(false);
    EXPECT_EQ(visibleRows(hyper), 4);
}

} // namespace
} // namespace mlwb::test
