// SPDX-License-Identifier: MIT
#include "widgets/empty_state.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(this))
    , m_buttonLayout(new QVBoxLayout)
{
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    m_text->setObjectName(QStringLiteral("EmptyStateText"));
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setEnabled(false); // a hint, not content: the palette's disabled text colour
    layout->addWidget(m_text);
    m_buttonLayout->setAlignment(Qt::AlignHCenter);
    layout->addLayout(m_buttonLayout);
    layout->addStretch(2);
}

void EmptyState::setText(const QString &text) { m_text->setText(text); }

QString EmptyState::text() const { return m_text->text(); }

void EmptyState::setActions(const QList<QAction *> &actions)
{
    qDeleteAll(m_buttons);
    m_buttons.clear();
    for (QAction *action : actions) {
        auto *button = new QPushButton(this);
        button->setObjectName(QStringLiteral("EmptyState_") + action->objectName());
        const auto follow = [button, action] {
            button->setText(action->text());
            button->setIcon(action->icon());
            button->setToolTip(action->toolTip());
            button->setEnabled(action->isEnabled());
            button->setVisible(action->isVisible());
        };
        follow();
        connect(action, &QAction::changed, button, follow);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        m_buttonLayout->addWidget(button);
        m_buttons << button;
    }
}

} // namespace mlwb
