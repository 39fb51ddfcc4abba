// SPDX-License-Identifier: MIT
#pragma once

// TrackingServerDialog: Tools > Tracking Server (issue #15). Turns the workbench's tracking
// endpoint on and off for the open project, says where it listens (127.0.0.1:5000 by default;
// another address needs a token file), and gives the line to paste into a training script's
// shell: export MLFLOW_TRACKING_URI=..., with a Copy button. Its status line says how many
// scripts' runs are live and how many requests it answered.

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace mlwb {

class TrackingServerController;
class WorkbenchContext;

class TrackingServerDialog : public QDialog {
    Q_OBJECT
public:
    TrackingServerDialog(TrackingServerController &controller, WorkbenchContext &workbench, QWidget *parent = nullptr);

    // For tests.
    QCheckBox *serveBox() const { return m_serve; }
    QLineEdit *listenEdit() const { return m_listen; }
    QLineEdit *tokenFileEdit() const { return m_tokenFile; }
    QLineEdit *exportLine() const { return m_export; }
    QPushButton *copyButton() const { return m_copy; }
    QLabel *statusLabel() const { return m_status; }

private:
    void toggled(bool on);
    void refresh();

    TrackingServerController &m_controller;
    WorkbenchContext &m_workbench;
    QCheckBox *m_serve;
    QLineEdit *m_listen;
    QLineEdit *m_tokenFile;
    QLabel *m_status;
    QLineEdit *m_export;
    QPushButton *m_copy;
    QPushButton *m_browse;
    QString m_error;
};

} // namespace mlwb
