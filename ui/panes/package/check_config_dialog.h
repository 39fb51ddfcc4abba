// SPDX-License-Identifier: MIT
#pragma once

// CheckConfigDialog: a model's check configuration (the gates, the regression tolerance and the
// latency and memory budgets its packages are checked against) as CheckConfig's JSON, edited in
// place. The text is checked as it is typed: a JSON error names its offset, a bad field is named
// (CheckConfig::fromJson), and OK stays disabled until it reads. Reset to Defaults puts back the
// defaults for the model's task.

#include "checks/check_config.h"

#include <QDialog>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;

namespace mlwb {

class CheckConfigDialog : public QDialog {
    Q_OBJECT
public:
    // `stored`: the model's own configuration, if it has one; `defaults`: its task's.
    CheckConfigDialog(const QString &model, const std::optional<CheckConfig> &stored, const CheckConfig &defaults,
                      QWidget *parent = nullptr);

    // What OK stores: the configuration, or nothing for "use the defaults" (after Reset).
    std::optional<CheckConfig> config() const { return m_result; }
    QPlainTextEdit *editor() const { return m_edit; }
    QLabel *errorLabel() const { return m_error; }
    bool canAccept() const { return m_parsed.has_value(); }
    void resetToDefaults();
    void accept() override;

private:
    void parse();

    CheckConfig m_defaults;
    QPlainTextEdit *m_edit;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    std::optional<CheckConfig> m_parsed;
    std::optional<CheckConfig> m_result;
    bool m_reset = false;
};

} // namespace mlwb
