// SPDX-License-Identifier: MIT
#include "mainwindow/features.h"

#include "mainwindow/document_area.h"
#include "mainwindow/main_window.h"
#include "models/datasets_branch.h"
#include "models/models_branch.h"
#include "models/project_tree_model.h"
#include "panes/builtin_item_kinds.h"
#include "panes/builder/model_builder.h"
#include "panes/compare/compare_view.h"
#include "panes/compare/sweep_item_kind.h"
#include "panes/run/run_pane.h"
#include "panes/train/train_commands.h"
#include "panes/dataset/dataset_overview.h"
#include "panes/dataset/import_dataset_dialog.h"
#include "panes/torchscript/import_torchscript_dialog.h"

#include <QIcon>
#include <QPointer>

#include <algorithm>

namespace mlwb {

void Features::install(MainWindow &window)
{
    // Datasets, models and runs: overviews, Inspector facts, rename, undoable delete.
    BuiltinItemKinds::registerAll(window.itemKinds());
    window.projectTree()->addBranch(std::make_unique<DatasetsBranch>());
    window.projectTree()->addBranch(std::make_unique<ModelsBranch>());
    // Train: Run > Train (Ctrl+R) and Run > Stop (Ctrl+.).
    TrainCommands *trainCommands = TrainCommands::install(window);
    // Data set tabs: summary, rows, and the split editor, whose changes go on the undo stack.
    window.itemKinds().setDocumentFactory(
        ItemKind::Dataset, [&window](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
            auto *overview = new DatasetOverview(project, ref.id, parent);
            overview->setUndoStack(window.undoStack(), window.commandContext());
            return overview;
        });
    // Model tabs: the model builder (layers, shapes, templates, Save version, Train...); its
    // edits go on the window's undo stack and Train opens the window's train dialog.
    window.itemKinds().setDocumentFactory(
        ItemKind::Model,
        [&window](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
            auto *builder = new ModelBuilder(project, ref.id, window.undoStack(), parent);
            QObject::connect(builder, &ModelBuilder::trainRequested, &window,
                             [&window](qint64 modelId) {
                                 if (window.hooks().train)
                                     window.hooks().train(window, {{ItemKind::Model, modelId}});
                             });
            return builder;
        });
    // Run tabs: live charts with progress and Stop while training, then the evaluation.
    window.itemKinds().setDocumentFactory(
        ItemKind::Run,
        [&window, trainCommands = QPointer<TrainCommands>(trainCommands)](
            Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
            auto *pane = new RunPane(project, ref.id, parent);
            RunJobControl control;
            control.jobs = window.jobManager();
            control.jobOfRun = [trainCommands](qint64 runId) {
                return trainCommands ? trainCommands->jobOfRun(runId) : 0;
            };
            control.stop = [&window](qint64 runId) {
                if (window.hooks().stop)
                    window.hooks().stop(window, {{ItemKind::Run, runId}});
            };
            pane->setJobControl(control);
            return pane;
        });
    // Sweeps: a node per sweep under its model, holding its runs; its tab compares them.
    SweepItemKind::registerKind(window.itemKinds());
    // Compare (Ctrl+Shift+C): two or more selected runs in one tab.
    window.hooks().canCompare = [](MainWindow &, const QList<ItemRef> &selection) {
        return std::count_if(selection.begin(), selection.end(), [](const ItemRef &r) {
                   return r.kind == ItemKind::Run;
               }) >= 2;
    };
    window.hooks().compare = [](MainWindow &w, const QList<ItemRef> &selection) {
        QList<qint64> runs;
        for (const ItemRef &r : selection)
            if (r.kind == ItemKind::Run && !runs.contains(r.id))
                runs << r.id;
        if (runs.size() < 2 || !w.project())
            return;
        auto *view = new CompareView(*w.project(), runs);
        w.documents()->addDocument(view, QIcon::fromTheme(QStringLiteral("view-statistics")),
                                   QObject::tr("Compare %n runs", nullptr, int(runs.size())));
    };
    window.updateActions();

    // Data: CSV import dialog (File > Import dataset..., .csv drops).
    window.hooks().importDataset = &ImportDatasetDialog::start;
    // Model: TorchScript import dialog (File > Import TorchScript model...).
    window.hooks().importTorchScript = &ImportTorchScriptDialog::start;

    // Later areas, in this order of the product's life cycle:
    //   data:     window.hooks().importDataset = ...;       (CSV import dialog, .csv drops)
    //   model:    window.hooks().importTorchScript = ...;
    //             window.itemKinds().setDocumentFactory(ItemKind::Model, <model builder>);
    //   train:    window.hooks().train / stop (+ canTrain / canStop) = ...;
    //             window.itemKinds().setDocumentFactory(ItemKind::Run, <run pane>);
    //   eval:     window.hooks().compare (+ canCompare) = ...;
    //   package, deploy, monitor, report: a new ItemKind, registerKind(), and
    //             window.projectTree()->addBranch(std::make_unique<...Branch>());
}

} // namespace mlwb
