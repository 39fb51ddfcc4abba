// SPDX-License-Identifier: MIT
#pragma once

// DeployDialog: Deploy… on a package or a target: which package goes to which target, and
// whether it starts as a canary (its share of the requests, 0: it becomes the active version).
// A package whose checks failed shows so, and asks for the reason it may go out anyway.

#include "store/records.h"

#include <QDialog>
#include <QList>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace mlwb {

class DeployDialog : public QDialog {
    Q_OBJECT
public:
    DeployDialog(const QList<TargetRecord> &targets, const QList<PackageRecord> &packages, qint64 targetId,
                 qint64 packageId, QWidget *parent = nullptr);

    qint64 targetId() const;
    QString targetName() const;
    qint64 packageId() const;
    int canaryPercent() const;
    QString overrideReason() const; // empty unless the package's gate failed

    QComboBox *targetBox() const { return m_target; }
    QComboBox *packageBox() const { return m_package; }
    QSpinBox *canaryBox() const { return m_canary; }
    QPlainTextEdit *reasonEdit() const { return m_reason; }

private:
    void updateGate();
    const PackageRecord *chosenPackage() const;

    QList<TargetRecord> m_targets;
    QList<PackageRecord> m_packages;
    QComboBox *m_target;
    QComboBox *m_package;
    QSpinBox *m_canary;
    QLabel *m_gate;
    QPlainTextEdit *m_reason;
    QLabel *m_error;
};

} // namespace mlwb
