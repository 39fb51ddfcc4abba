// SPDX-License-Identifier: MIT
#include "widgets/message_bar.h"

#include "widgets/icons.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace mlwb {

namespace {

QColor accent(MessageBar::Type type)
{
    switch (type) {
    case MessageBar::Type::Positive:
        return QColor(0x27, 0xae, 0x60);
    case MessageBar::Type::Warning:
        return QColor(0xf6, 0x74, 0x00);
    case MessageBar::Type::Error:
        return QColor(0xda, 0x44, 0x53);
    case MessageBar::Type::Information:
        break;
    }
    return QColor(0x3d, 0xae, 0xe9);
}

QString iconName(MessageBar::Type type)
{
    switch (type) {
    case MessageBar::Type::Positive:
        return QStringLiteral("dialog-positive");
    case MessageBar::Type::Warning:
        return QStringLiteral("dialog-warning");
    case MessageBar::Type::Error:
        return QStringLiteral("dialog-error");
    case MessageBar::Type::Information:
        break;
    }
    return QStringLiteral("dialog-information");
}

} // namespace

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("MessageBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->setSpacing(8);
    m_icon = new QLabel(this);
    m_icon->setFixedSize(22, 22);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_text->setOpenExternalLinks(true);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_buttons = new QHBoxLayout;
    m_buttons->setSpacing(4);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(Icons::themed(QStringLiteral("dialog-close")));
    m_close->setToolTip(tr("Close"));
    connect(m_close, &QToolButton::clicked, this, [this] {
        clear();
        Q_EMIT closed();
    });
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    m_autoHide = new QTimer(this);
    m_autoHide->setSingleShot(true);
    connect(m_autoHide, &QTimer::timeout, this, &MessageBar::clear);
    hide();
}

bool MessageBar::autoHides() const
{
    return m_autoHide->isActive();
}

void MessageBar::showMessage(const QString &text, Type type, const QList<QAction *> &actions)
{
    m_type = type;
    m_text->setText(text);
    m_icon->setPixmap(Icons::themed(iconName(type)).pixmap(22, 22));
    while (QLayoutItem *item = m_buttons->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (QAction *action : actions) {
        auto *button = new QPushButton(action->icon(), action->text(), this);
        button->setToolTip(action->toolTip());
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        m_buttons->addWidget(button);
    }
    applyColors();
    show();
    m_autoHide->stop();
    if ((type == Type::Information || type == Type::Positive) && actions.isEmpty())
        m_autoHide->start(std::min(3 * m_autoHideMs, m_autoHideMs + 50 * int(text.size())));
}

void MessageBar::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

void MessageBar::clear()
{
    m_autoHide->stop();
    m_text->clear();
    hide();
}

QString MessageBar::text() const
{
    return m_text->text();
}

void MessageBar::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applying)
        applyColors();
}

// A tint of the type's colour over the window background, so the bar reads the same in light
// and dark palettes.
void MessageBar::applyColors()
{
    m_applying = true;
    const QColor base = parentWidget() ? parentWidget()->palette().color(QPalette::Window)
                                       : palette().color(QPalette::Window);
    const QColor a = accent(m_type);
    const QColor bg = QColor::fromRgbF(base.redF() * 0.8f + a.redF() * 0.2f,
                                       base.greenF() * 0.8f + a.greenF() * 0.2f,
                                       base.blueF() * 0.8f + a.blueF() * 0.2f);
    setStyleSheet(QStringLiteral("#MessageBar { background: %1; border: 1px solid %2; "
                                 "border-radius: 4px; }")
                      .arg(bg.name(), a.name()));
    m_applying = false;
}

} // namespace mlwb
