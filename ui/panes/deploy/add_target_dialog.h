// SPDX-License-Identifier: MIT
#pragma once

// AddTargetDialog: a new deployment target: its name, the agent's URL, an optional CA
// certificate file (for an https agent with its own CA), and the token, pasted or read from a
// file. The token goes to the user's TokenStore, never into the project. Errors show inline.

#include <QDialog>

class QLabel;
class QLineEdit;

namespace mlwb {

class AddTargetDialog : public QDialog {
    Q_OBJECT
public:
    explicit AddTargetDialog(QWidget *parent = nullptr);

    QString name() const;
    QString url() const;
    QString caCertFile() const;
    QString token() const;     // pasted
    QString tokenFile() const; // or read from this file
    // Shown below the fields (a refusal of the target, say); the dialog stays open.
    void showError(const QString &message);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }

private:
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_ca;
    QLineEdit *m_token;
    QLineEdit *m_tokenFile;
    QLabel *m_error;
};

} // namespace mlwb
