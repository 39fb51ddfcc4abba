// SPDX-License-Identifier: MIT
#pragma once

// MessageBar: an inline message strip (information, warning, error, positive) with optional
// action buttons and a close button; how errors and notices show up inside a window or pane
// instead of modal boxes. A new message replaces the shown one. Information and positive
// notices without actions close themselves after a few seconds (longer texts stay longer);
// warnings, errors and messages that offer an action stay until closed or replaced.

#include <QFrame>
#include <QList>

class QAction;
class QHBoxLayout;
class QLabel;
class QTimer;
class QToolButton;

namespace mlwb {

class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Type { Information, Positive, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    // Actions are shown as buttons; the bar does not take ownership.
    void showMessage(const QString &text, Type type = Type::Information,
                     const QList<QAction *> &actions = {});
    void setClosable(bool closable);
    // How long a self-closing notice stays: `ms` plus 50 ms per character (at most 3x `ms`).
    void setAutoHideDelay(int ms) { m_autoHideMs = ms; }
    bool autoHides() const;
    void clear(); // hides the bar
    QString text() const;
    Type type() const { return m_type; }

Q_SIGNALS:
    void closed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColors();

    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_buttons = nullptr;
    QToolButton *m_close = nullptr;
    Type m_type = Type::Information;
    bool m_applying = false;
    QTimer *m_autoHide = nullptr;
    int m_autoHideMs = 5000;
};

} // namespace mlwb
