// SPDX-License-Identifier: MIT
#pragma once

// AboutDialog: version, Qt and libtorch, the BLAS and thread count in use, and the attribution
// of the bundled data sets (resources/datasets/README.md).

#include "mainwindow/runtime_summary.h"

#include <QDialog>

namespace mlwb {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    AboutDialog(const RuntimeSummary &runtime, QWidget *parent = nullptr);
};

} // namespace mlwb
