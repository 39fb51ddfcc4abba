// SPDX-License-Identifier: MIT
#include "panes/train/new_model_dialog.h"

#include "model/model_templates.h"
#include "store/project.h"
#include "model/model_catalog.h"
#include "widgets/dialog_fit.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

NewModelDialog::NewModelDialog(Project &project, qint64 datasetId, QWidget *parent)
    : QDialog(parent)
    , m_project(&project)
    , m_template(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_description(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("newModelDialog"));
    if (auto ds = project.datasets().get(datasetId); ds.ok())
        m_datasetName = ds->name;
    setWindowTitle(tr("New model for \u201c%1\u201d").arg(m_datasetName));
    m_template->addItems(ModelTemplates::kinds());
    if (m_template->findText(QStringLiteral("mlp")) >= 0)
        m_template->setCurrentText(QStringLiteral("mlp"));
    m_description->setWordWrap(true);
    m_error->setWordWrap(true);
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    m_error->setPalette(pal);
    m_error->hide();
    auto *form = new QFormLayout;
    form->addRow(tr("Template:"), m_template);
    form->addRow(QString(), m_description);
    form->addRow(tr("Name:"), m_name);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewModelDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_template, &QComboBox::currentTextChanged, this, &NewModelDialog::updateDescription);
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    updateDescription();
    m_name->setText(m_datasetName + QLatin1Char('-') + m_template->currentText());
}

QString NewModelDialog::errorText() const { return m_error->text(); }

void NewModelDialog::updateDescription()
{
    m_description->setText(ModelTemplates::description(m_template->currentText()));
}

void NewModelDialog::accept()
{
    if (!m_project)
        return QDialog::reject();
    ModelCatalog catalog(m_project->db());
    auto id = catalog.createFromTemplate(m_name->text().trimmed(), m_datasetName,
                                         m_template->currentText());
    if (!id.ok()) {
        m_error->setText(id.error());
        m_error->show();
        DialogFit::toContents(this);
        return;
    }
    m_created = *id;
    QDialog::accept();
}

} // namespace mlwb
