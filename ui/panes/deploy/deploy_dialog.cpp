// SPDX-License-Identifier: MIT
#include "panes/deploy/deploy_dialog.h"

#include "widgets/translate.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mlwb {

using text::tr;

DeployDialog::DeployDialog(const QList<TargetRecord> &targets, const QList<PackageRecord> &packages, qint64 targetId,
                           qint64 packageId, QWidget *parent)
    : QDialog(parent), m_targets(targets), m_packages(packages), m_target(new QComboBox(this)),
      m_package(new QComboBox(this)), m_canary(new QSpinBox(this)), m_gate(new QLabel(this)),
      m_reason(new QPlainTextEdit(this)), m_error(new QLabel(this))
{
    setWindowTitle(tr("Deploy"));
    for (const TargetRecord &t : std::as_const(m_targets)) {
        m_target->addItem(tr("%1 (%2)").arg(t.name, t.url), t.id);
        if (t.id == targetId)
            m_target->setCurrentIndex(m_target->count() - 1);
    }
    for (const PackageRecord &p : std::as_const(m_packages)) {
        m_package->addItem(p.name + QLatin1Char(':') + p.version, p.id);
        if (p.id == packageId)
            m_package->setCurrentIndex(m_package->count() - 1);
    }
    m_canary->setRange(0, 100);
    m_canary->setSuffix(tr(" %"));
    m_canary->setSpecialValueText(tr("no canary: becomes the active version"));
    m_canary->setFocusPolicy(Qt::StrongFocus);
    m_gate->setWordWrap(true);
    m_reason->setPlaceholderText(tr("Why this package may go out although its checks failed (recorded with the deployment)"));
    m_reason->setMaximumHeight(80);
    m_error->setWordWrap(true);
    m_error->hide();
    auto *form = new QFormLayout;
    form->addRow(tr("&Target:"), m_target);
    form->addRow(tr("&Package:"), m_package);
    form->addRow(tr("&Canary share:"), m_canary);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Deploy"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const PackageRecord *p = chosenPackage();
        if (!p || m_target->currentIndex() < 0) {
            m_error->setText(tr("Pick a target and a package."));
            m_error->show();
            return;
        }
        if (p->state == PackageState::GateFailed && overrideReason().isEmpty()) {
            m_error->setText(tr("%1:%2 failed its checks: give the reason it may go out anyway.").arg(p->name, p->version));
            m_error->show();
            m_reason->setFocus();
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_package, &QComboBox::currentIndexChanged, this, &DeployDialog::updateGate);
    auto *v = new QVBoxLayout(this);
    v->addLayout(form);
    v->addWidget(m_gate);
    v->addWidget(m_reason);
    v->addWidget(m_error);
    v->addWidget(buttons);
    v->setSizeConstraint(QLayout::SetMinAndMaxSize);
    updateGate();
    resize(480, sizeHint().height());
}

const PackageRecord *DeployDialog::chosenPackage() const
{
    const qint64 id = m_package->currentData().toLongLong();
    for (const PackageRecord &p : m_packages)
        if (p.id == id)
            return &p;
    return nullptr;
}

void DeployDialog::updateGate()
{
    const PackageRecord *p = chosenPackage();
    const bool failed = p && p->state == PackageState::GateFailed;
    m_gate->setVisible(failed);
    m_reason->setVisible(failed);
    if (failed)
        m_gate->setText(tr("%1:%2 failed its checks. It is refused unless you override the gate with a reason.")
                            .arg(p->name, p->version));
    else if (p && p->state == PackageState::Built)
        m_gate->setText(QString());
    m_error->hide();
}

qint64 DeployDialog::targetId() const { return m_target->currentData().toLongLong(); }

QString DeployDialog::targetName() const
{
    for (const TargetRecord &t : m_targets)
        if (t.id == targetId())
            return t.name;
    return {};
}

qint64 DeployDialog::packageId() const { return m_package->currentData().toLongLong(); }
int DeployDialog::canaryPercent() const { return m_canary->value(); }

QString DeployDialog::overrideReason() const
{
    const PackageRecord *p = chosenPackage();
    return p && p->state == PackageState::GateFailed ? m_reason->toPlainText().trimmed() : QString();
}

} // namespace mlwb
