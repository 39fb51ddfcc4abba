// SPDX-License-Identifier: MIT
#include "panes/train/train_dialog.h"

#include "widgets/dialog_fit.h"
#include "widgets/wheel_guard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonValue>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace mlwb {

namespace {

// (value, shown text) pairs of the keys that take one of a few values.
QList<QPair<QString, QString>> choicesFor(const QString &key)
{
    auto same = [](const QStringList &values) {
        QList<QPair<QString, QString>> out;
        for (const QString &v : values)
            out.append({v, v});
        return out;
    };
    if (key == QLatin1String("optimizer"))
        return same({QStringLiteral("sgd"), QStringLiteral("adam"), QStringLiteral("adamw")});
    if (key == QLatin1String("schedule"))
        return same({QStringLiteral("none"), QStringLiteral("step"), QStringLiteral("cosine"),
                     QStringLiteral("onecycle"), QStringLiteral("plateau")});
    if (key == QLatin1String("loss"))
        return {{QString(), TrainDialog::tr("by task (cross_entropy or mse)")},
                {QStringLiteral("cross_entropy"), QStringLiteral("cross_entropy")},
                {QStringLiteral("mse"), QStringLiteral("mse")},
                {QStringLiteral("huber"), QStringLiteral("huber")}};
    if (key == QLatin1String("class_weights"))
        return same({QStringLiteral("none"), QStringLiteral("balanced")});
    if (key == QLatin1String("on_nonfinite"))
        return same({QStringLiteral("stop"), QStringLiteral("continue")});
    return {};
}

bool isSwitch(const QString &key)
{
    return key == QLatin1String("nesterov") || key == QLatin1String("restore_best_weights");
}

QString label(const QString &key)
{
    static const QHash<QString, const char *> labels{
        {QStringLiteral("epochs"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Epochs:")},
        {QStringLiteral("batch_size"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Batch size:")},
        {QStringLiteral("lr"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Learning rate:")},
        {QStringLiteral("optimizer"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Optimizer:")},
        {QStringLiteral("schedule"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Schedule:")},
        {QStringLiteral("patience"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Early-stopping patience:")},
        {QStringLiteral("seed"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Seed:")},
        {QStringLiteral("threads"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Threads (0: all cores):")},
        {QStringLiteral("loss"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Loss:")},
        {QStringLiteral("class_weights"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Class weights:")},
        {QStringLiteral("huber_delta"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Huber delta:")},
        {QStringLiteral("momentum"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Momentum (sgd):")},
        {QStringLiteral("nesterov"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Nesterov (sgd):")},
        {QStringLiteral("weight_decay"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Weight decay:")},
        {QStringLiteral("beta1"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Beta 1 (adam):")},
        {QStringLiteral("beta2"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Beta 2 (adam):")},
        {QStringLiteral("step_size"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Step size (epochs):")},
        {QStringLiteral("gamma"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Decay factor:")},
        {QStringLiteral("plateau_patience"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Plateau patience:")},
        {QStringLiteral("min_lr"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Minimum learning rate:")},
        {QStringLiteral("grad_clip"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Gradient clip (0: off):")},
        {QStringLiteral("on_nonfinite"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "On a NaN loss:")},
        {QStringLiteral("early_stopping_metric"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Early-stopping metric:")},
        {QStringLiteral("restore_best_weights"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Restore best weights:")},
        {QStringLiteral("log_every_steps"), QT_TRANSLATE_NOOP("mlwb::TrainDialog", "Log every (steps):")},
    };
    if (const char *text = labels.value(key))
        return TrainDialog::tr(text);
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

bool isTrue(const QString &text)
{
    const QString t = text.trimmed().toLower();
    return t == u"1" || t == u"true" || t == u"yes" || t == u"on";
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

QStringList TrainDialog::advancedKeys()
{
    const QStringList main = formKeys();
    QStringList out;
    for (const QString &k : TrainingConfig::keys())
        if (!main.contains(k))
            out << k;
    return out;
}

TrainDialog::TrainDialog(const QString &modelName, QWidget *parent)
    : QDialog(parent)
    , m_runName(new QLineEdit(this))
    , m_version(new QComboBox(this))
    , m_advancedToggle(new QToolButton(this))
    , m_advanced(new QWidget(this))
    , m_summary(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Train \u201c%1\u201d").arg(modelName));
    setObjectName(QStringLiteral("trainDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    m_runName->setObjectName(QStringLiteral("runName"));
    m_runName->setPlaceholderText(tr("optional; the run is known by its number"));
    form->addRow(tr("Run name:"), m_runName);
    m_version->setObjectName(QStringLiteral("modelVersion"));
    WheelGuard::install(m_version);
    form->addRow(tr("Model version:"), m_version);
    setVersions({});

    const QJsonObject defaults = m_config.toJson();
    for (const QString &key : formKeys())
        addField(form, key, defaults);

    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("&Advanced settings"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setAutoRaise(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setToolTip(tr("Loss, optimizer details, schedule details, gradient "
                                    "clipping, early stopping and logging"));
    layout->addWidget(m_advancedToggle);
    // Two columns keep the dialog low enough for a laptop screen with everything unfolded.
    auto *columns = new QHBoxLayout(m_advanced);
    columns->setContentsMargins(0, 0, 0, 0);
    const QStringList advanced = advancedKeys();
    const int half = int(advanced.size() + 1) / 2;
    for (int column = 0; column < 2; ++column) {
        auto *columnForm = new QFormLayout;
        for (int i = column * half; i < std::min(int(advanced.size()), (column + 1) * half); ++i)
            addField(columnForm, advanced.at(i), defaults);
        columns->addLayout(columnForm, 1);
    }
    m_advanced->hide();
    layout->addWidget(m_advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, &TrainDialog::setAdvancedShown);

    m_summary->setWordWrap(true);
    m_summary->hide();
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Train"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    revalidate();
}

void TrainDialog::addField(QFormLayout *form, const QString &key, const QJsonObject &defaults)
{
    const auto choices = choicesFor(key);
    QWidget *field = nullptr;
    if (!choices.isEmpty()) {
        auto *combo = new QComboBox(this);
        for (const auto &[value, text] : choices)
            combo->addItem(text, value);
        combo->setCurrentIndex(std::max(0, combo->findData(textOf(defaults.value(key)))));
        connect(combo, &QComboBox::currentIndexChanged, this, &TrainDialog::revalidate);
        WheelGuard::install(combo);
        m_combos.insert(key, combo);
        field = combo;
    } else if (isSwitch(key)) {
        auto *check = new QCheckBox(this);
        check->setChecked(defaults.value(key).toBool());
        connect(check, &QCheckBox::toggled, this, &TrainDialog::revalidate);
        m_checks.insert(key, check);
        field = check;
    } else {
        auto *edit = new QLineEdit(textOf(defaults.value(key)), this);
        connect(edit, &QLineEdit::textChanged, this, &TrainDialog::revalidate);
        m_edits.insert(key, edit);
        field = edit;
    }
    field->setObjectName(key);
    // The CLI's name of the field, for whoever scripts what they tried here.
    field->setToolTip(tr("mlwb train --set %1=\u2026").arg(key));
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

void TrainDialog::setValue(const QString &key, const QString &value)
{
    if (QLineEdit *edit = m_edits.value(key)) {
        edit->setText(value);
    } else if (QComboBox *combo = m_combos.value(key)) {
        int index = combo->findData(value);
        if (index < 0)
            index = combo->findText(value);
        if (index >= 0)
            combo->setCurrentIndex(index);
    } else if (QCheckBox *check = m_checks.value(key)) {
        check->setChecked(isTrue(value));
    }
}

QString TrainDialog::value(const QString &key) const
{
    if (QLineEdit *edit = m_edits.value(key))
        return edit->text();
    if (QComboBox *combo = m_combos.value(key))
        return combo->currentData().toString();
    if (QCheckBox *check = m_checks.value(key))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

void TrainDialog::setConfig(const TrainingConfig &config)
{
    const QJsonObject values = config.toJson();
    m_filling = true;
    for (auto it = values.begin(); it != values.end(); ++it)
        setValue(it.key(), textOf(it.value()));
    m_filling = false;
    revalidate();
}

void TrainDialog::setVersions(const QList<int> &versions)
{
    m_version->clear();
    if (versions.isEmpty()) {
        m_version->addItem(tr("newest"), 0);
        m_version->setEnabled(false);
        return;
    }
    for (int v : versions)
        m_version->addItem(v == versions.last() ? tr("%1 (newest)").arg(v) : QString::number(v), v);
    m_version->setCurrentIndex(m_version->count() - 1);
    m_version->setEnabled(versions.size() > 1);
}

void TrainDialog::setVersion(int version)
{
    const int index = m_version->findData(version);
    if (index >= 0)
        m_version->setCurrentIndex(index);
}

int TrainDialog::version() const
{
    return m_version->currentData().toInt();
}

void TrainDialog::setRunName(const QString &name)
{
    m_runName->setText(name);
}

QString TrainDialog::runName() const
{
    return m_runName->text().trimmed();
}

void TrainDialog::setAdvancedShown(bool shown)
{
    if (m_advancedToggle->isChecked() != shown) {
        m_advancedToggle->setChecked(shown); // comes back here through toggled()
        return;
    }
    m_advancedToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    m_advanced->setVisible(shown);
    DialogFit::toContents(this);
}

bool TrainDialog::isAdvancedShown() const
{
    return m_advancedToggle->isChecked();
}

QString TrainDialog::errorText() const
{
    QStringList out;
    for (const QString &key : formKeys() + advancedKeys())
        if (QLabel *l = m_errors.value(key); l && !l->text().isEmpty())
            out << l->text();
    if (!m_summary->text().isEmpty())
        out << m_summary->text();
    return out.join(QLatin1Char('\n'));
}

void TrainDialog::revalidate()
{
    if (m_filling)
        return;
    TrainingConfig config;
    bool ok = true;
    bool advancedError = false;
    const QStringList advanced = advancedKeys();
    for (const QString &key : formKeys() + advanced) {
        QLabel *error = m_errors.value(key);
        const Status s = config.set(key, value(key).trimmed());
        if (!s.ok()) {
            ok = false;
            advancedError = advancedError || advanced.contains(key);
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
                advancedError = advanced.contains(key);
            } else {
                m_summary->setText(s.error());
                m_summary->show();
            }
        }
    }
    m_valid = ok;
    if (ok)
        m_config = config;
    // An error in a folded section would leave OK disabled with no visible reason.
    if (advancedError && !isAdvancedShown())
        setAdvancedShown(true);
    if (isVisible())
        DialogFit::toContents(this); // errors came or went: no overlap, no gap
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace mlwb
