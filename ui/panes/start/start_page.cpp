// SPDX-License-Identifier: MIT
#include "panes/start/start_page.h"

#include "mainwindow/recent_projects.h"
#include "common/format.h"
#include "widgets/icons.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

namespace {
QPushButton *bigButton(const QIcon &icon, const QString &text, QWidget *parent)
{
    auto *b = new QPushButton(icon, text, parent);
    b->setIconSize(QSize(22, 22));
    b->setMinimumHeight(36);
    b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return b;
}
} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_demo(nullptr)
    , m_demoHint(new QLabel(this))
    , m_recent(new QListWidget(this))
    , m_recentEmpty(new QLabel(tr("Projects you open appear here."), this))
{
    setObjectName(QStringLiteral("StartPage"));
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto *column = new QVBoxLayout;
    column->setSpacing(12);
    outer->addLayout(column, 6);
    outer->addStretch(1);

    auto *head = new QHBoxLayout;
    auto *logo = new QLabel(this);
    logo->setPixmap(Icons::application().pixmap(56, 56));
    auto *title = new QLabel(this);
    title->setTextFormat(Qt::RichText);
    title->setText(tr("<span style='font-size:20pt; font-weight:600'>MLOps Workbench</span><br>"
                      "Build, train, evaluate and ship models from one project file."));
    head->addWidget(logo);
    head->addWidget(title, 1);
    column->addSpacing(24);
    column->addLayout(head);
    column->addSpacing(8);

    auto *buttons = new QHBoxLayout;
    auto *newButton =
        bigButton(Icons::themed(QStringLiteral("document-new")), tr("New project\u2026"), this);
    newButton->setObjectName(QStringLiteral("StartNew"));
    auto *openButton =
        bigButton(Icons::themed(QStringLiteral("document-open")), tr("Open project\u2026"), this);
    openButton->setObjectName(QStringLiteral("StartOpen"));
    m_demo =
        bigButton(Icons::themed(QStringLiteral("folder-chart")), tr("Open demo project"), this);
    m_demo->setObjectName(QStringLiteral("StartDemo"));
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(m_demo);
    column->addLayout(buttons);
    m_demoHint->setWordWrap(true);
    m_demoHint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_demoHint);

    auto *recentTitle = new QLabel(tr("<b>Recent projects</b>"), this);
    column->addSpacing(8);
    column->addWidget(recentTitle);
    m_recent->setObjectName(QStringLiteral("StartRecent"));
    m_recent->setIconSize(QSize(32, 32));
    m_recent->setSpacing(2);
    m_recent->setFrameShape(QFrame::StyledPanel);
    column->addWidget(m_recent, 1);
    m_recentEmpty->setEnabled(false);
    column->addWidget(m_recentEmpty);
    column->addSpacing(24);

    connect(newButton, &QPushButton::clicked, this, &StartPage::newRequested);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openRequested);
    connect(m_demo, &QPushButton::clicked, this,
            [this] { Q_EMIT openPathRequested(demoProjectPath()); });
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT openPathRequested(item->data(Qt::UserRole).toString());
    });
    refresh();
}

QString StartPage::demoProjectPath()
{
    const QString env = qEnvironmentVariable("MLWB_DEMO_PROJECT");
    if (!env.isEmpty())
        return QFileInfo(env).absoluteFilePath();
    return QDir(QCoreApplication::applicationDirPath())
        .absoluteFilePath(QStringLiteral("../demo/demo.mlwb"));
}

void StartPage::refresh()
{
    const QString demo = QDir::cleanPath(demoProjectPath());
    const bool haveDemo = QFileInfo::exists(demo);
    m_demo->setEnabled(haveDemo);
    m_demo->setToolTip(demo);
    if (haveDemo) {
        m_demoHint->hide();
    } else {
        m_demoHint->setText(tr("The demo project is not built yet. Make it with:<br>"
                               "<code>mlwb demo %1</code><br>(or run <code>./dev.sh run</code>, "
                               "or point MLWB_DEMO_PROJECT at a project file)")
                                .arg(demo.toHtmlEscaped()));
        m_demoHint->show();
    }

    m_recent->clear();
    for (const RecentProject &r : RecentProjects::entries()) {
        auto *item = new QListWidgetItem(m_recent);
        item->setData(Qt::UserRole, r.path);
        item->setIcon(Icons::themed(QStringLiteral("application-x-sqlite3")));
        const QString when =
            r.exists ? tr("changed %1").arg(Format::dateTime(r.lastChanged)) : tr("missing");
        item->setText(QStringLiteral("%1\n%2 \u2014 %3").arg(r.name, r.path, when));
        item->setToolTip(r.path);
        if (!r.exists)
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    m_recent->setVisible(m_recent->count() > 0);
    m_recentEmpty->setVisible(m_recent->count() == 0);
}

} // namespace mlwb
