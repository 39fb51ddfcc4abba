// SPDX-License-Identifier: MIT
#include "panes/deploy/add_target_dialog.h"

#include "widgets/translate.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

using text::tr;

namespace {

QWidget *withBrowse(QLineEdit *edit, QWidget *parent, const QString &title)
{
    auto *row = new QWidget(parent);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(edit, 1);
    auto *browse = new QPushButton(tr("Browse\u2026"), row);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, parent, title] {
        const QString f = QFileDialog::getOpenFileName(parent, title, edit->text());
        if (!f.isEmpty())
            edit->setText(f);
    });
    h->addWidget(browse);
    return row;
}

} // namespace

AddTargetDialog::AddTargetDialog(QWidget *parent)
    : QDialog(parent), m_name(new QLineEdit(this)), m_url(new QLineEdit(this)), m_ca(new QLineEdit(this)),
      m_token(new QLineEdit(this)), m_tokenFile(new QLineEdit(this)), m_error(new QLabel(this))
{
    setWindowTitle(tr("Add Target"));
    m_name->setObjectName(QStringLiteral("targetName"));
    m_name->setPlaceholderText(tr("staging"));
    m_url->setObjectName(QStringLiteral("targetUrl"));
    m_url->setPlaceholderText(tr("https://agent.example.org:8443"));
    m_ca->setPlaceholderText(tr("optional: PEM file of the agent's CA"));
    m_token->setObjectName(QStringLiteral("targetToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("paste the agent's token, or pick a file below"));
    m_tokenFile->setPlaceholderText(tr("optional: a file holding the token"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&CA certificate:"), withBrowse(m_ca, this, tr("CA Certificate")));
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("Token &file:"), withBrowse(m_tokenFile, this, tr("Token File")));
    auto *note = new QLabel(tr("The token is kept in your keychain or, without one, in your configuration folder (mode 0600); never in the project."), this);
    note->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("addTargetError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: palette(highlighted-text); background: #c0392b; padding: 4px; border-radius: 3px;"));
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Target"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (name().isEmpty() || url().isEmpty())
            return showError(tr("A target needs a name and the agent's URL."));
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *v = new QVBoxLayout(this);
    v->addLayout(form);
    v->addWidget(note);
    v->addWidget(m_error);
    v->addWidget(buttons);
    v->setSizeConstraint(QLayout::SetMinAndMaxSize);
    resize(520, sizeHint().height());
}

QString AddTargetDialog::name() const { return m_name->text().trimmed(); }
QString AddTargetDialog::url() const { return m_url->text().trimmed(); }
QString AddTargetDialog::caCertFile() const { return m_ca->text().trimmed(); }
QString AddTargetDialog::token() const { return m_token->text().trimmed(); }
QString AddTargetDialog::tokenFile() const { return m_tokenFile->text().trimmed(); }

void AddTargetDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    adjustSize();
}

} // namespace mlwb
