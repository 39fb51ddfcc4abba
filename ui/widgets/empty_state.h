// SPDX-License-Identifier: MIT
#pragma once

// EmptyState: what a pane shows while it has nothing to show: one sentence and the next step as
// buttons ("Import Dataset..."), never instructions about commands or environment variables.
// Each button triggers its QAction and follows the action's text, icon, tooltip and state.

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace mlwb {

class EmptyState : public QWidget {
    Q_OBJECT
public:
    explicit EmptyState(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const;
    // The next steps (not owned), one button each, in this order.
    void setActions(const QList<QAction *> &actions);
    QList<QPushButton *> buttons() const { return m_buttons; }

private:
    QLabel *m_text;
    QVBoxLayout *m_buttonLayout;
    QList<QPushButton *> m_buttons;
};

} // namespace mlwb
