// SPDX-License-Identifier: MIT
#pragma once

// OverrideGateDialog: Override Gate on a package whose gate failed: names the failed gates and
// asks why it may ship anyway. The reason is required (the override is recorded with it, the
// user and the time); OK stays disabled until there is one.

#include <QDialog>

class QDialogButtonBox;
class QPlainTextEdit;

namespace mlwb {

class OverrideGateDialog : public QDialog {
    Q_OBJECT
public:
    OverrideGateDialog(const QString &package, const QStringList &failedGates, QWidget *parent = nullptr);

    QString reason() const;
    QPlainTextEdit *reasonEdit() const { return m_reason; }
    bool canAccept() const;

    void accept() override;

private:
    QPlainTextEdit *m_reason;
    QDialogButtonBox *m_buttons;
};

} // namespace mlwb
