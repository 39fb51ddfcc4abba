// SPDX-License-Identifier: MIT
#include "panes/package/override_gate_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

OverrideGateDialog::OverrideGateDialog(const QString &package, const QStringList &failedGates, QWidget *parent)
    : QDialog(parent), m_reason(new QPlainTextEdit(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("OverrideGateDialog"));
    setWindowTitle(tr("Override Gate"));
    resize(480, 240);
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(
        tr("%1 failed %2. Recording an override lets it be deployed anyway; the reason is kept "
           "with your name and the time.")
            .arg(package, failedGates.isEmpty() ? tr("its gate") : failedGates.join(QStringLiteral(", "))),
        this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *label = new QLabel(tr("&Reason (required):"), this);
    label->setBuddy(m_reason);
    layout->addWidget(label);
    m_reason->setTabChangesFocus(true);
    m_reason->setPlaceholderText(tr("Why this package may ship although its gate failed"));
    layout->addWidget(m_reason, 1);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Override"));
    auto update = [this] {
        QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
        ok->setEnabled(canAccept());
        ok->setToolTip(canAccept() ? QString() : tr("Enter the reason first."));
    };
    connect(m_reason, &QPlainTextEdit::textChanged, this, update);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &OverrideGateDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &OverrideGateDialog::reject);
    update();
}

QString OverrideGateDialog::reason() const
{
    return m_reason->toPlainText().trimmed();
}

bool OverrideGateDialog::canAccept() const
{
    return !reason().isEmpty();
}

void OverrideGateDialog::accept()
{
    if (!canAccept())
        return;
    QDialog::accept();
}

} // namespace mlwb
