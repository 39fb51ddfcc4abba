// SPDX-License-Identifier: MIT
#include "mainwindow/features.h"

#include "mainwindow/main_window.h"
#include "models/datasets_branch.h"
#include "models/models_branch.h"
#include "models/project_tree_model.h"
#include "panes/builtin_item_kinds.h"

namespace mlwb {

void Features::install(MainWindow &window)
{
    // Datasets, models and runs: overviews, Inspector facts, rename, undoable delete.
    BuiltinItemKinds::registerAll(window.itemKinds());
    window.projectTree()->addBranch(std::make_unique<DatasetsBranch>());
    window.projectTree()->addBranch(std::make_unique<ModelsBranch>());

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
