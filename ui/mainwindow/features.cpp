// SPDX-License-Identifier: MIT
#include "mainwindow/features.h"

#include "mainwindow/main_window.h"
#include "panes/compare/compare_feature.h"
#include "panes/compare/sweep_item_kind.h"
#include "panes/dataset/dataset_feature.h"
#include "panes/deploy/deploy_feature.h"
#include "panes/model/model_feature.h"
#include "panes/monitor/monitor_feature.h"
#include "panes/package/package_feature.h"
#include "panes/report/report_feature.h"
#include "panes/run/run_feature.h"
#include "panes/tracking/tracking_feature.h"

namespace mlwb {

void Features::install(MainWindow &window)
{
    // In the order of the product's life cycle; each line is one area.
    DatasetFeature::install(window);
    ModelFeature::install(window);
    RunFeature::install(window);
    SweepItemKind::registerKind(window.itemKinds());
    CompareFeature::install(window);
    PackageFeature::install(window);
    DeployFeature::install(window);
    MonitorFeature::install(window);
    ReportFeature::install(window);
    TrackingFeature::install(window);
    window.installCommands();
}

} // namespace mlwb
