// SPDX-License-Identifier: MIT
#pragma once

// TritonExportDialog: Export for Triton: the model repository directory to write into and the
// options of the model's config.pbtxt (name, maximum batch size, CPU instances).

#include "inference/triton_export.h"

#include <QDialog>

class QDialogButtonBox;
class QLineEdit;
class QSpinBox;

namespace mlwb {

class TritonExportDialog : public QDialog {
    Q_OBJECT
public:
    TritonExportDialog(const QString &name, const QString &directory, QWidget *parent = nullptr);

    QString directory() const;
    TritonExport::Options options() const;

private:
    void update();

    QLineEdit *m_directory;
    QLineEdit *m_name;
    QSpinBox *m_maxBatch;
    QSpinBox *m_instances;
    QDialogButtonBox *m_buttons;
};

} // namespace mlwb
