// SPDX-License-Identifier: MIT
#include "panes/package/check_config_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

CheckConfigDialog::CheckConfigDialog(const QString &model, const std::optional<CheckConfig> &stored,
                                     const CheckConfig &defaults, QWidget *parent)
    : QDialog(parent), m_defaults(defaults), m_edit(new QPlainTextEdit(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Reset, this))
{
    setObjectName(QStringLiteral("CheckConfigDialog"));
    setWindowTitle(tr("Check Configuration of %1").arg(model));
    resize(560, 420);
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("What Run Checks demands of %1's packages: quality gates on the test split "
                               "(\"min\" or \"max\" per metric), how far a new version may fall behind the previous "
                               "one, the p99 latency of one row in ms, the memory growth per 1,000 inferences in KiB. "
                               "%2")
                                .arg(model, stored ? tr("This model has its own configuration.")
                                                   : tr("It uses the defaults for its task.")),
                            this);
    text->setWordWrap(true);
    layout->addWidget(text);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setPlainText(QString::fromUtf8(QJsonDocument((stored ? *stored : defaults).toJson()).toJson(QJsonDocument::Indented)));
    layout->addWidget(m_edit, 1);
    m_error->setObjectName(QStringLiteral("checkConfigError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: palette(link-visited);"));
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Reset)->setText(tr("Reset to &Defaults"));
    connect(m_buttons->button(QDialogButtonBox::Reset), &QPushButton::clicked, this, &CheckConfigDialog::resetToDefaults);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        m_reset = false;
        parse();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CheckConfigDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &CheckConfigDialog::reject);
    parse();
}

void CheckConfigDialog::parse()
{
    m_parsed.reset();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(m_edit->toPlainText().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        m_error->setText(tr("Not valid JSON at offset %1: %2").arg(error.offset).arg(error.errorString()));
    } else if (!doc.isObject()) {
        m_error->setText(tr("The configuration is a JSON object {...}."));
    } else if (auto parsed = CheckConfig::fromJson(doc.object()); !parsed) {
        m_error->setText(parsed.error());
    } else {
        m_parsed = *parsed;
        m_error->clear();
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(canAccept());
}

void CheckConfigDialog::resetToDefaults()
{
    m_edit->setPlainText(QString::fromUtf8(QJsonDocument(m_defaults.toJson()).toJson(QJsonDocument::Indented)));
    m_reset = true; // after setPlainText, whose textChanged cleared it
}

void CheckConfigDialog::accept()
{
    if (!canAccept())
        return;
    if (m_reset)
        m_result.reset();
    else
        m_result = m_parsed;
    QDialog::accept();
}

} // namespace mlwb
