// SPDX-License-Identifier: MIT
// Rename and delete are undo commands: undo and redo change the file, and a delete takes
// everything it removed (versions, runs, metric points, checkpoints, blobs) back on undo.

#include "store/row_snapshot.h"
#include "store/metric_reader.h"
#include "store/statement.h"
#include "common/format.h"
#include "ui_fixture.h"

#include <QUndoStack>

using namespace mlwb;
using namespace mlwb::test;

namespace {

qint64 count(Project &p, const QString &sql)
{
    auto v = p.db().queryInt(sql);
    return v ? *v : -1;
}

// Every row of the file except leases, as text, to compare before and after.
QString dump(Project &p)
{
    QString out;
    for (const char *table : {"dataset", "model", "model_version", "run", "metric", "metric_latest",
                              "checkpoint", "artifact"}) {
        auto st = p.db().prepare(
            QStringLiteral("SELECT * FROM %1 ORDER BY 1, 2, 3").arg(QLatin1String(table)));
        if (!st)
            return st.error();
        out += QLatin1String(table) + QLatin1Char('\n');
        for (;;) {
            auto row = st->step();
            if (!row || !*row)
                break;
            for (int c = 0; c < 12; ++c)
                out += st->columnText(c).left(64) + QLatin1Char('|');
            out += QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace

using UndoTest = UiTest;

TEST_F(UndoTest, RenameUndoRedo)
{
    MainWindow &w = openWindow();
    const ItemRef model{ItemKind::Model, m_ids.models[0]};
    w.renameItem(model, QStringLiteral("iris-mlp-v2"));
    EXPECT_EQ(w.project()->models().get(model.id)->name, QStringLiteral("iris-mlp-v2"));
    MLWB_TRY_EQ(nameOf(ItemKind::Model, model.id), QStringLiteral("iris-mlp-v2"));
    EXPECT_EQ(w.undoStack()->undoText(),
              QStringLiteral("Rename model \u201ciris-mlp\u201d to \u201ciris-mlp-v2\u201d"));

    w.undoStack()->undo();
    EXPECT_EQ(w.project()->models().get(model.id)->name, QStringLiteral("iris-mlp"));
    MLWB_TRY_EQ(nameOf(ItemKind::Model, model.id), QStringLiteral("iris-mlp"));
    w.undoStack()->redo();
    MLWB_TRY_EQ(nameOf(ItemKind::Model, model.id), QStringLiteral("iris-mlp-v2"));
}

TEST_F(UndoTest, UndoingARenameRestoresTheExactStoredNameEvenEmpty)
{
    MainWindow &w = openWindow();
    const qint64 id = m_ids.runs[2];
    ASSERT_OK(w.project()->runs().rename(id, QString()));
    const QString shown = Format::runName(QString(), id);
    MLWB_TRY_EQ(nameOf(ItemKind::Run, id), shown);

    w.renameItem({ItemKind::Run, id}, QStringLiteral("wide"));
    EXPECT_EQ(w.project()->runs().get(id)->name, QStringLiteral("wide"));
    w.undoStack()->undo();
    EXPECT_TRUE(w.project()->runs().get(id)->name.isEmpty())
        << "stored: " << qPrintable(w.project()->runs().get(id)->name);
    MLWB_TRY_EQ(nameOf(ItemKind::Run, id), shown);
    w.undoStack()->redo();
    EXPECT_EQ(w.project()->runs().get(id)->name, QStringLiteral("wide"));
}

TEST_F(UndoTest, RenameToATakenNameIsReportedAndLeavesNoCommand)
{
    MainWindow &w = openWindow();
    w.renameItem({ItemKind::Dataset, m_ids.datasets[0]}, QStringLiteral("digits"));
    EXPECT_EQ(w.undoStack()->count(), 0);
    EXPECT_TRUE(w.messageBar()->isVisibleTo(&w));
    EXPECT_FALSE(w.messageBar()->text().isEmpty());
    MLWB_TRY_EQ(nameOf(ItemKind::Dataset, m_ids.datasets[0]), QStringLiteral("iris"));
}

TEST_F(UndoTest, DeleteModelAndUndoRestoresRunsMetricsAndBlobs)
{
    MainWindow &w = openWindow();
    Project &p = *w.project();
    const QString before = dump(p);
    const qint64 metricsBefore = count(p, QStringLiteral("SELECT count(*) FROM metric"));
    const ItemRef model{ItemKind::Model, m_ids.models[1]};
    ASSERT_GT(
        count(p,
              QStringLiteral("SELECT count(*) FROM metric WHERE run_id = %1").arg(m_ids.runs[2])),
        0);

    w.deleteItems({model});
    MLWB_TRY_VERIFY(!(indexOf(ItemKind::Model, model.id).isValid()));
    MLWB_TRY_VERIFY(!(indexOf(ItemKind::Run, m_ids.runs[2]).isValid()));
    EXPECT_EQ(count(p, QStringLiteral("SELECT count(*) FROM run WHERE id = %1").arg(m_ids.runs[2])),
              0);
    EXPECT_LT(count(p, QStringLiteral("SELECT count(*) FROM metric")), metricsBefore);

    w.undoStack()->undo();
    EXPECT_EQ(dump(p), before) << "every row back, same ids";
    MLWB_TRY_VERIFY(indexOf(ItemKind::Run, m_ids.runs[2]).isValid());
    auto checkpoint = p.runs().checkpoint(m_ids.runs[2], QStringLiteral("best"));
    ASSERT_TRUE(checkpoint.ok());
    EXPECT_EQ(checkpoint->data, QByteArray(4096, char(2)));
    auto series = p.metrics().series(m_ids.runs[2], QStringLiteral("train/loss"));
    ASSERT_TRUE(series.ok());
    EXPECT_EQ(series->size(), 200u);

    w.undoStack()->redo();
    MLWB_TRY_VERIFY(!(indexOf(ItemKind::Model, model.id).isValid()));
    w.undoStack()->undo();
    EXPECT_EQ(dump(p), before);
}

TEST_F(UndoTest, DeleteDatasetAndUndoRestoresReferencesAndData)
{
    MainWindow &w = openWindow();
    Project &p = *w.project();
    const qint64 iris = m_ids.datasets[0];
    auto blob = p.datasets().data(iris);
    ASSERT_TRUE(blob.ok());
    const QString before = dump(p);

    w.deleteItems({{ItemKind::Dataset, iris}});
    EXPECT_EQ(p.runs().get(m_ids.runs[0])->datasetId, 0) << "ON DELETE SET NULL";
    MLWB_TRY_VERIFY(!(indexOf(ItemKind::Dataset, iris).isValid()));

    w.undoStack()->undo();
    EXPECT_EQ(p.runs().get(m_ids.runs[0])->datasetId, iris);
    EXPECT_EQ(p.models().get(m_ids.models[0])->datasetId, iris);
    EXPECT_EQ(*p.datasets().data(iris), *blob);
    EXPECT_EQ(dump(p), before);
    MLWB_TRY_EQ(nameOf(ItemKind::Dataset, iris), QStringLiteral("iris"));
}

TEST_F(UndoTest, DeleteRunAndUndoKeepsItsMetricPoints)
{
    MainWindow &w = openWindow();
    Project &p = *w.project();
    const qint64 run = m_ids.runs[0];
    const qint64 points =
        count(p, QStringLiteral("SELECT count(*) FROM metric WHERE run_id = %1").arg(run));
    ASSERT_GT(points, 0);
    w.deleteItems({{ItemKind::Run, run}});
    EXPECT_EQ(count(p, QStringLiteral("SELECT count(*) FROM metric WHERE run_id = %1").arg(run)),
              0);
    w.undoStack()->undo();
    EXPECT_EQ(count(p, QStringLiteral("SELECT count(*) FROM metric WHERE run_id = %1").arg(run)),
              points);
    EXPECT_EQ(
        count(p, QStringLiteral("SELECT count(*) FROM metric_latest WHERE run_id = %1").arg(run)),
        3);
}

TEST_F(UndoTest, DeletingSeveralItemsIsOneUndoStep)
{
    MainWindow &w = openWindow();
    w.deleteItems({{ItemKind::Run, m_ids.runs[0]}, {ItemKind::Dataset, m_ids.datasets[2]}});
    EXPECT_EQ(w.undoStack()->count(), 1);
    MLWB_TRY_VERIFY(!(indexOf(ItemKind::Run, m_ids.runs[0]).isValid()));
    w.undoStack()->undo();
    MLWB_TRY_VERIFY(indexOf(ItemKind::Run, m_ids.runs[0]).isValid());
    MLWB_TRY_VERIFY(indexOf(ItemKind::Dataset, m_ids.datasets[2]).isValid());
}

TEST_F(UndoTest, ARunningRunCannotBeDeleted)
{
    MainWindow &w = openWindow();
    Project &p = *w.project();
    ASSERT_TRUE(p.runs().markRunning(m_ids.runs[4], p.file().leaseId()).ok());
    w.deleteItems({{ItemKind::Run, m_ids.runs[4]}});
    EXPECT_EQ(w.undoStack()->count(), 0);
    EXPECT_TRUE(p.runs().get(m_ids.runs[4]).ok());
    EXPECT_TRUE(w.messageBar()->text().contains(QStringLiteral("in progress")));
}

TEST_F(UndoTest, SnapshotOfAMissingRowFails)
{
    MainWindow &w = openWindow();
    auto s = RowSnapshot::capture(w.project()->db(), QStringLiteral("run"), 9999);
    EXPECT_FALSE(s.ok());
}
