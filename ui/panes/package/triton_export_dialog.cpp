// SPDX-License-Identifier: MIT
#include "panes/package/triton_export_dialog.h"

#include "widgets/wheel_guard.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mlwb {

TritonExportDialog::TritonExportDialog(const QString &name, const QString &directory, QWidget *parent)
    : QDialog(parent), m_directory(new QLineEdit(directory, this)), m_name(new QLineEdit(name, this)),
      m_maxBatch(new QSpinBox(this)), m_instances(new QSpinBox(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("TritonExportDialog"));
    setWindowTitle(tr("Export for Triton"));
    resize(520, 200);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    auto *row = new QHBoxLayout;
    row->addWidget(m_directory, 1);
    auto *browse = new QPushButton(tr("Browse\u2026"), this);
    row->addWidget(browse);
    form->addRow(tr("Model &repository:"), row);
    form->addRow(tr("Model &name:"), m_name);
    m_maxBatch->setRange(1, 4096);
    m_maxBatch->setValue(32);
    m_maxBatch->setSuffix(tr(" rows"));
    form->addRow(tr("&Maximum batch:"), m_maxBatch);
    m_instances->setRange(1, 64);
    m_instances->setValue(1);
    form->addRow(tr("CPU &instances:"), m_instances);
    for (QSpinBox *s : {m_maxBatch, m_instances})
        WheelGuard::install(s);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Triton Model Repository"), m_directory->text());
        if (!dir.isEmpty())
            m_directory->setText(dir);
    });
    connect(m_directory, &QLineEdit::textChanged, this, &TritonExportDialog::update);
    connect(m_name, &QLineEdit::textChanged, this, &TritonExportDialog::update);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TritonExportDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &TritonExportDialog::reject);
    update();
}

QString TritonExportDialog::directory() const
{
    return m_directory->text().trimmed();
}

TritonExport::Options TritonExportDialog::options() const
{
    TritonExport::Options o;
    o.name = m_name->text().trimmed();
    o.maxBatchSize = m_maxBatch->value();
    o.instances = m_instances->value();
    return o;
}

void TritonExportDialog::update()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!directory().isEmpty() && !options().name.isEmpty());
}

} // namespace mlwb
