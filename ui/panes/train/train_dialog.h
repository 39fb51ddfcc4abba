// SPDX-License-Identifier: MIT
#pragma once

// TrainDialog: the hyperparameters of a new training run, as a form generated from
// TrainingConfig (choices as combos, numbers as text fields). Every edit is checked with
// TrainingConfig::set()/validate(); errors appear inline under the form and OK stays disabled
// until the configuration is valid.

#include "train/training_config.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace mlwb {

class TrainDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrainDialog(const QString &modelName, QWidget *parent = nullptr);

    // The keys shown in the form, in order.
    static QStringList formKeys();

    // Sets a field's text (or combo choice) as a user would; for tests and presets.
    void setValue(const QString &key, const QString &value);
    QString value(const QString &key) const;
    // The configuration the form describes; valid() tells whether it can be used.
    const TrainingConfig &config() const { return m_config; }
    bool isValid() const { return m_valid; }
    QString errorText() const;

private:
    void revalidate();

    TrainingConfig m_config;
    bool m_valid = true;
    QHash<QString, QLineEdit *> m_edits;
    QHash<QString, QComboBox *> m_combos;
    QHash<QString, QLabel *> m_errors;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

} // namespace mlwb
