// SPDX-License-Identifier: MIT
#include "panes/train/new_model_dialog.h"

#include "model/model_catalog.h"
#include "model/model_templates.h"
#include "store/project.h"
#include "widgets/dialog_fit.h"
#include "widgets/wheel_guard.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace mlwb {

NewModelDialog::NewModelDialog(Project &project, qint64 datasetId, QWidget *parent)
    : QDialog(parent)
    , m_project(&project)
    , m_template(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_description(new QLabel(this))
    , m_unfit(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("newModelDialog"));
    if (auto ds = project.datasets().get(datasetId); ds.ok())
        m_datasetName = ds->name;
    setWindowTitle(tr("New Model for \u201c%1\u201d").arg(m_datasetName));
    for (const QString &kind : ModelTemplates::kinds())
        m_template->addItem(kind, kind);
    if (const int mlp = m_template->findData(QStringLiteral("mlp")); mlp >= 0)
        m_template->setCurrentIndex(mlp);
    WheelGuard::install(m_template);
    m_description->setWordWrap(true);
    m_unfit->setObjectName(QStringLiteral("unfitTemplates"));
    m_unfit->setWordWrap(true);
    m_unfit->setEnabled(false);
    m_unfit->hide();
    m_error->setWordWrap(true);
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    m_error->setPalette(pal);
    m_error->hide();
    auto *form = new QFormLayout;
    form->addRow(tr("&Template:"), m_template);
    form->addRow(QString(), m_description);
    form->addRow(QString(), m_unfit);
    form->addRow(tr("&Name:"), m_name);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewModelDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_template, &QComboBox::currentIndexChanged, this, &NewModelDialog::templateChanged);
    // Typing a name of one's own stops the name from following the template.
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameTyped = true; });
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    templateChanged();
    // The title bar must show the whole title: the dialog is at least as wide as it.
    setMinimumWidth(std::max(420, fontMetrics().horizontalAdvance(windowTitle()) + 160));

    // Which templates fit needs the data set's input shape and outputs; reading a large table
    // takes seconds, so a worker thread does it on its own read-only connection.
    m_reading = true;
    QPointer<NewModelDialog> self(this);
    QThreadPool::globalInstance()->start([self, datasetId, path = project.path()] {
        auto io = std::make_shared<Result<ModelIo>>(ModelCatalog::ioForStored(path, datasetId));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, io] {
                if (self)
                    self->dataSetArrived(io->ok(), io->ok() ? **io : ModelIo{},
                                         io->ok() ? QString() : io->error());
            },
            Qt::QueuedConnection);
    });
}

QString NewModelDialog::errorText() const { return m_error->text(); }

QString NewModelDialog::unfitText() const { return m_unfit->text(); }

QStringList NewModelDialog::fittingTemplates() const
{
    QStringList out;
    auto *model = qobject_cast<QStandardItemModel *>(m_template->model());
    for (int i = 0; i < m_template->count(); ++i)
        if (!model || model->item(i)->isEnabled())
            out << m_template->itemData(i).toString();
    return out;
}

QString NewModelDialog::templateKind() const
{
    return m_template->currentData().toString();
}

void NewModelDialog::templateChanged()
{
    m_description->setText(ModelTemplates::description(templateKind()));
    if (!m_nameTyped)
        m_name->setText(m_datasetName + QLatin1Char('-') + templateKind());
    DialogFit::toContents(this);
}

void NewModelDialog::dataSetArrived(bool ok, const ModelIo &io, const QString &error)
{
    m_reading = false;
    if (!ok) {
        // Without the shape every template stays offered; creating one reports what is wrong.
        m_unfit->setText(tr("The data set could not be read, so the templates are not checked "
                            "against it: %1")
                             .arg(error));
        m_unfit->show();
        DialogFit::toContents(this);
        Q_EMIT dataSetRead();
        return;
    }
    auto *model = qobject_cast<QStandardItemModel *>(m_template->model());
    QStringList reasons;
    for (int i = 0; i < m_template->count(); ++i) {
        const QString kind = m_template->itemData(i).toString();
        auto spec = ModelTemplates::make(kind, io.inputShape, io.outputs);
        Status fits = spec ? Status() : Status(spec.failure());
        if (spec)
            fits = ModelCatalog::checkSpec(spec->toJson(), io);
        if (fits.ok())
            continue;
        if (model)
            model->item(i)->setEnabled(false);
        m_template->setItemText(i, tr("%1 (does not fit \u201c%2\u201d)").arg(kind, m_datasetName));
        m_template->setItemData(i, fits.error(), Qt::ToolTipRole);
        reasons << tr("%1: %2").arg(kind, fits.error());
    }
    if (!reasons.isEmpty()) {
        m_unfit->setText(tr("Not offered for \u201c%1\u201d:\n%2")
                             .arg(m_datasetName, reasons.join(QLatin1Char('\n'))));
        m_unfit->show();
    }
    // The chosen template does not fit: take the first that does.
    if (model && !model->item(m_template->currentIndex())->isEnabled()) {
        for (int i = 0; i < m_template->count(); ++i) {
            if (model->item(i)->isEnabled()) {
                m_template->setCurrentIndex(i);
                break;
            }
        }
    }
    DialogFit::toContents(this);
    Q_EMIT dataSetRead();
}

void NewModelDialog::accept()
{
    if (!m_project)
        return QDialog::reject();
    ModelCatalog catalog(m_project->db());
    auto id = catalog.createFromTemplate(m_name->text().trimmed(), m_datasetName, templateKind());
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
