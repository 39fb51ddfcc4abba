// SPDX-License-Identifier: MIT
#include "panes/start/start_page.h"

#include "mainwindow/recent_projects.h"
#include "common/format.h"
#include "demo/demo_project.h"
#include "demo/demo_project_job.h"
#include "jobs/job_manager.h"
#include "widgets/icons.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
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
    , m_datasetsDir(DemoProject::datasetsDir(QString()))
    , m_demo(nullptr)
    , m_demoHint(new QLabel(this))
    , m_demoBuild(new QWidget(this))
    , m_demoProgress(new QProgressBar(m_demoBuild))
    , m_demoStatus(new QLabel(m_demoBuild))
    , m_demoCancel(new QPushButton(tr("Cancel"), m_demoBuild))
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
        bigButton(Icons::themed(QStringLiteral("document-new")), tr("New Project\u2026"), this);
    newButton->setObjectName(QStringLiteral("StartNew"));
    auto *openButton =
        bigButton(Icons::themed(QStringLiteral("document-open")), tr("Open Project\u2026"), this);
    openButton->setObjectName(QStringLiteral("StartOpen"));
    m_demo =
        bigButton(Icons::themed(QStringLiteral("folder-chart")), tr("Open Demo Project"), this);
    m_demo->setObjectName(QStringLiteral("StartDemo"));
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(m_demo);
    column->addLayout(buttons);
    m_demoHint->setObjectName(QStringLiteral("StartDemoHint"));
    m_demoHint->setWordWrap(true);
    m_demoHint->setEnabled(false);
    column->addWidget(m_demoHint);
    // While the demo builds: its progress, what it does now, and Cancel.
    m_demoBuild->setObjectName(QStringLiteral("StartDemoBuild"));
    m_demoProgress->setObjectName(QStringLiteral("StartDemoProgress"));
    m_demoProgress->setRange(0, 1000);
    m_demoProgress->setTextVisible(true);
    m_demoStatus->setObjectName(QStringLiteral("StartDemoStatus"));
    m_demoCancel->setObjectName(QStringLiteral("StartDemoCancel"));
    auto *build = new QGridLayout(m_demoBuild);
    build->setContentsMargins(0, 0, 0, 0);
    build->addWidget(m_demoProgress, 0, 0);
    build->addWidget(m_demoCancel, 0, 1);
    build->addWidget(m_demoStatus, 1, 0, 1, 2);
    m_demoBuild->hide();
    column->addWidget(m_demoBuild);

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
    connect(m_demo, &QPushButton::clicked, this, &StartPage::openOrBuildDemo);
    connect(m_demoCancel, &QPushButton::clicked, this, [this] {
        if (m_jobs && m_demoJob)
            m_jobs->cancel(m_demoJob);
    });
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
    const QDir beside(QCoreApplication::applicationDirPath() + QStringLiteral("/../demo"));
    const QString besidePath = QDir::cleanPath(beside.absoluteFilePath(QStringLiteral("demo.mlwb")));
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString appDataPath = QDir(appData).absoluteFilePath(QStringLiteral("demo.mlwb"));
    if (QFileInfo::exists(besidePath))
        return besidePath;
    if (QFileInfo::exists(appDataPath))
        return appDataPath;
    // Beside the executable when it can go there (a build tree, a user's own install): the
    // folder itself, or the one it would be made in.
    const QFileInfo folder(beside.absolutePath());
    const QFileInfo parent(QFileInfo(beside.absolutePath()).absolutePath());
    const bool writable = folder.exists() ? folder.isDir() && folder.isWritable()
                                          : parent.isDir() && parent.isWritable();
    return writable || appData.isEmpty() ? besidePath : appDataPath;
}

void StartPage::openOrBuildDemo()
{
    const QString path = demoProjectPath();
    if (QFileInfo::exists(path)) {
        Q_EMIT openPathRequested(path);
        return;
    }
    if (m_demoJob || !m_jobs)
        return;
    auto job = std::make_unique<DemoProjectJob>(path, m_datasetsDir);
    m_demoJob = m_jobs->submit(std::move(job), [this, path](const Status &status) {
        m_demoJob = 0;
        showDemoProgress();
        refresh();
        // A failure is shown by the window as every job's is ("... failed: <reason>").
        if (status)
            Q_EMIT openPathRequested(path);
    });
    showDemoProgress();
}

void StartPage::setJobManager(JobManager *jobs)
{
    m_jobs = jobs;
    connect(jobs, &JobManager::jobChanged, this, [this](int id) {
        if (id == m_demoJob && id != 0)
            showDemoProgress();
    });
}

void StartPage::showDemoProgress()
{
    const bool building = m_demoJob != 0 && m_jobs;
    m_demoBuild->setVisible(building);
    m_demo->setEnabled(!building);
    if (!building)
        return;
    m_demoHint->hide();
    const JobState state = m_jobs->job(m_demoJob);
    m_demoProgress->setValue(int(state.progress * 1000));
    m_demoStatus->setText(
        state.message.isEmpty()
            ? tr("Building the demo project: importing the data sets and training a model on each.")
            : tr("Building the demo project: %1").arg(state.message));
}

void StartPage::refresh()
{
    const QString demo = QDir::cleanPath(demoProjectPath());
    const bool haveDemo = QFileInfo::exists(demo);
    m_demo->setEnabled(m_demoJob == 0);
    m_demo->setToolTip(demo);
    if (haveDemo || m_demoJob) {
        m_demoHint->hide();
    } else {
        m_demoHint->setText(tr("The demo project is built on first use (about a minute: it "
                               "imports iris, digits and diabetes and trains a model on each)."));
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
