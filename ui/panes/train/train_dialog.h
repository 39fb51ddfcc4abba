// SPDX-License-Identifier: MIT
#pragma once

// TrainDialog: a new training run: its name, the model version to train and its
// hyperparameters, as a form generated from TrainingConfig (choices as combos, switches as
// check boxes, numbers as text fields). The common hyperparameters are shown; the rest (every
// other key the CLI's --set takes) sit in a folded "Advanced" section. Every edit is checked
// with TrainingConfig::set()/validate(); errors appear inline under the field and OK stays
// disabled until the configuration is valid. "Train again" pre-fills it from a run.

#include "train/training_config.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace mlwb {

class TrainDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrainDialog(const QString &modelName, QWidget *parent = nullptr);

    // The keys shown in the form's main part, in order, and those in the Advanced section.
    static QStringList formKeys();
    static QStringList advancedKeys();

    // Sets a field's text (or combo choice, or "true"/"false" of a check box) as a user would;
    // for tests and presets.
    void setValue(const QString &key, const QString &value);
    QString value(const QString &key) const;
    // Fills every field from a configuration (Train again: the run's hyperparameters).
    void setConfig(const TrainingConfig &config);
    // The configuration the form describes; valid() tells whether it can be used.
    const TrainingConfig &config() const { return m_config; }
    bool isValid() const { return m_valid; }
    QString errorText() const;

    // The model's version numbers (oldest first); the newest is chosen until setVersion().
    void setVersions(const QList<int> &versions);
    void setVersion(int version);
    // The chosen version number; 0 when no versions were set (train the newest).
    int version() const;
    QComboBox *versionCombo() const { return m_version; }

    // The run's name (empty: the run is known by its number).
    void setRunName(const QString &name);
    QString runName() const;
    QLineEdit *runNameEdit() const { return m_runName; }

    // Folds the Advanced section in or out (the dialog fits its contents again).
    void setAdvancedShown(bool shown);
    bool isAdvancedShown() const;
    QToolButton *advancedToggle() const { return m_advancedToggle; }

private:
    void addField(QFormLayout *form, const QString &key, const QJsonObject &defaults);
    void revalidate();

    TrainingConfig m_config;
    bool m_valid = true;
    bool m_filling = false;
    QLineEdit *m_runName;
    QComboBox *m_version;
    QHash<QString, QLineEdit *> m_edits;
    QHash<QString, QComboBox *> m_combos;
    QHash<QString, QCheckBox *> m_checks;
    QHash<QString, QLabel *> m_errors;
    QToolButton *m_advancedToggle;
    QWidget *m_advanced;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

} // namespace mlwb
