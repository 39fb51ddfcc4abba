// SPDX-License-Identifier: MIT
#include "panes/train/train_dialog.h"

#include "widgets/dialog_fit.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonValue>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

namespace {

QStringList choicesFor(const QString &key)
{
    if (key == QLatin1String("optimizer"))
        return {QStringLiteral("sgd"), QStringLiteral("adam"), QStringLiteral("adamw")};
    if (key == QLatin1String("schedule"))
        return {QStringLiteral("none"), QStringLiteral("step"), QStringLiteral("cosine"),
                QStringLiteral("onecycle"), QStringLiteral("plateau")};
    return {};
}

QString label(const QString &key)
{
    if (key == QLatin1String("lr"))
        return TrainDialog::tr("Learning rate:");
    if (key == QLatin1String("batch_size"))
        return TrainDialog::tr("Batch size:");
    QString text = key;
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    text[0] = text[0].toUpper();
    return text + QLatin1Char(':');
}

QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    const double d = v.toDouble();
    if (d == double(qint64(d)) && qAbs(d) < 1e15)
        return QString::number(qint64(d));
    return QString::number(d, 'g', 10);
}

} // namespace

QStringList TrainDialog::formKeys()
{
    const QStringList wanted{QStringLiteral("epochs"),   QStringLiteral("batch_size"),
                             QStringLiteral("lr"),       QStringLiteral("optimizer"),
                             QStringLiteral("schedule"), QStringLiteral("patience"),
                             QStringLiteral("seed"),     QStringLiteral("threads")};
    const QStringList known = TrainingConfig::keys();
    QStringList out;
    for (const QString &k : wanted)
        if (known.contains(k))
            out << k;
    return out;
}

TrainDialog::TrainDialog(const QString &modelName, QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Train \u201c%1\u201d").arg(modelName));
    setObjectName(QStringLiteral("trainDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    const QJsonObject defaults = m_config.toJson();
    for (const QString &key : formKeys()) {
        const QStringList choices = choicesFor(key);
        QWidget *field = nullptr;
        if (!choices.isEmpty()) {
            auto *combo = new QComboBox(this);
            combo->addItems(choices);
            combo->setCurrentText(textOf(defaults.value(key)));
            connect(combo, &QComboBox::currentTextChanged, this, &TrainDialog::revalidate);
            m_combos.insert(key, combo);
            field = combo;
        } else {
            auto *edit = new QLineEdit(textOf(defaults.value(key)), this);
            connect(edit, &QLineEdit::textChanged, this, &TrainDialog::revalidate);
            m_edits.insert(key, edit);
            field = edit;
        }
        field->setObjectName(key);
        auto *box = new QWidget(this);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(2);
        boxLayout->addWidget(field);
        auto *error = new QLabel(box);
        error->setObjectName(key + QStringLiteral("_error"));
        QPalette pal = error->palette();
        pal.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
        error->setPalette(pal);
        error->setWordWrap(true);
        error->hide();
        boxLayout->addWidget(error);
        m_errors.insert(key, error);
        form->addRow(label(key), box);
    }
    m_summary->setWordWrap(true);
    m_summary->hide();
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Train"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    revalidate();
}

void TrainDialog::setValue(const QString &key, const QString &value)
{
    if (QLineEdit *edit = m_edits.value(key))
        edit->setText(value);
    else if (QComboBox *combo = m_combos.value(key))
        combo->setCurrentText(value);
}

QString TrainDialog::value(const QString &key) const
{
    if (QLineEdit *edit = m_edits.value(key))
        return edit->text();
    if (QComboBox *combo = m_combos.value(key))
        return combo->currentText();
    return {};
}

QString TrainDialog::errorText() const
{
    QStringList out;
    for (const QString &key : formKeys())
        if (QLabel *l = m_errors.value(key); l && !l->text().isEmpty())
            out << l->text();
    if (!m_summary->text().isEmpty())
        out << m_summary->text();
    return out.join(QLatin1Char('\n'));
}

void TrainDialog::revalidate()
{
    TrainingConfig config;
    bool ok = true;
    for (const QString &key : formKeys()) {
        QLabel *error = m_errors.value(key);
        const Status s = config.set(key, value(key).trimmed());
        if (!s.ok()) {
            ok = false;
            error->setText(s.error());
            error->show();
        } else {
            error->clear();
            error->hide();
        }
    }
    m_summary->clear();
    m_summary->hide();
    if (ok) {
        const Status s = config.validate();
        if (!s.ok()) {
            ok = false;
            // Put the message under the field it names ("lr: must be positive").
            const QString key = s.error().section(QLatin1Char(':'), 0, 0);
            if (QLabel *error = m_errors.value(key)) {
                error->setText(s.error());
                error->show();
            } else {
                m_summary->setText(s.error());
                m_summary->show();
            }
        }
    }
    m_valid = ok;
    if (ok)
        m_config = config;
    if (isVisible())
        DialogFit::toContents(this); // errors came or went: no overlap, no gap
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace mlwb
