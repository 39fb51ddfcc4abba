// SPDX-License-Identifier: MIT
#include "panes/tracking/tracking_server_dialog.h"

#include "mainwindow/workbench_context.h"
#include "panes/tracking/tracking_server_controller.h"
#include "settings/workbench_settings.h"
#include "store/project.h"
#include "tracking/tracking_server.h"
#include "widgets/translate.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

using text::tr;

TrackingServerDialog::TrackingServerDialog(TrackingServerController &controller, WorkbenchContext &workbench, QWidget *parent)
    : QDialog(parent), m_controller(controller), m_workbench(workbench)
{
    setWindowTitle(tr("Tracking Server"));
    setObjectName(QStringLiteral("trackingServerDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Training scripts that log with MLflow's client write their runs into this project while it serves: "
                                "experiments, parameters, metrics as they are logged, tags and artifacts, beside the workbench's own runs."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_serve = new QCheckBox(tr("&Serve the MLflow tracking API for this project"), this);
    m_serve->setObjectName(QStringLiteral("trackingServe"));
    layout->addWidget(m_serve);

    auto *form = new QFormLayout;
    m_listen = new QLineEdit(settings::trackingListen.value(), this);
    m_listen->setObjectName(QStringLiteral("trackingListen"));
    m_listen->setToolTip(tr("HOST:PORT. 127.0.0.1 serves this machine only; any other address needs a token file."));
    form->addRow(tr("&Address:"), m_listen);
    auto *tokenRow = new QHBoxLayout;
    m_tokenFile = new QLineEdit(settings::trackingTokenFile.value(), this);
    m_tokenFile->setObjectName(QStringLiteral("trackingTokenFile"));
    m_tokenFile->setPlaceholderText(tr("none (loopback only)"));
    m_tokenFile->setToolTip(tr("A file whose first line is the token scripts send as MLFLOW_TRACKING_TOKEN; readable by you only."));
    m_browse = new QPushButton(tr("&Browse\u2026"), this);
    tokenRow->addWidget(m_tokenFile, 1);
    tokenRow->addWidget(m_browse);
    auto *tokenLabel = new QLabel(tr("&Token file:"), this);
    tokenLabel->setBuddy(m_tokenFile);
    form->addRow(tokenLabel, tokenRow);
    layout->addLayout(form);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("trackingStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *exportLabel = new QLabel(tr("In the script's shell:"), this);
    layout->addWidget(exportLabel);
    auto *exportRow = new QHBoxLayout;
    m_export = new QLineEdit(this);
    m_export->setObjectName(QStringLiteral("trackingExport"));
    m_export->setReadOnly(true);
    m_export->setFont(QFont(QStringLiteral("monospace")));
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setObjectName(QStringLiteral("trackingCopy"));
    exportRow->addWidget(m_export, 1);
    exportRow->addWidget(m_copy);
    layout->addLayout(exportRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Token File"), m_tokenFile->text());
        if (!f.isEmpty())
            m_tokenFile->setText(f);
    });
    connect(m_copy, &QPushButton::clicked, this, [this] {
        if (QClipboard *c = QGuiApplication::clipboard())
            c->setText(m_export->text());
    });
    connect(m_serve, &QCheckBox::toggled, this, &TrackingServerDialog::toggled);
    connect(&m_controller, &TrackingServerController::stateChanged, this, &TrackingServerDialog::refresh);
    connect(&m_controller, &TrackingServerController::liveRunsChanged, this, &TrackingServerDialog::refresh);
    refresh();
    resize(sizeHint().expandedTo(QSize(560, 0)));
}

void TrackingServerDialog::toggled(bool on)
{
    if (on == m_controller.isServing())
        return;
    m_error.clear();
    if (on) {
        Project *project = m_workbench.project();
        Status s = project ? m_controller.start(*project, m_listen->text(), m_tokenFile->text())
                           : Status(invalidInput(QStringLiteral("open a project first")));
        if (!s) {
            m_error = s.error();
        } else {
            settings::trackingListen.setValue(m_listen->text().trimmed());
            settings::trackingTokenFile.setValue(m_tokenFile->text().trimmed());
        }
    } else if (Status s = m_controller.stop(); !s) {
        m_error = tr("The server stopped, but not every point was written: %1").arg(s.error());
    }
    refresh();
}

void TrackingServerDialog::refresh()
{
    const bool serving = m_controller.isServing();
    m_serve->blockSignals(true);
    m_serve->setChecked(serving);
    m_serve->blockSignals(false);
    m_serve->setEnabled(m_workbench.project() && !m_workbench.project()->isReadOnly());
    m_listen->setEnabled(!serving);
    m_tokenFile->setEnabled(!serving);
    m_browse->setEnabled(!serving);
    if (!m_error.isEmpty()) {
        m_status->setText(tr("Cannot serve: %1").arg(m_error));
        m_status->setStyleSheet(QStringLiteral("color: palette(bright-text); background: #b3261e; padding: 4px;"));
    } else if (serving) {
        const int live = m_controller.liveRuns();
        m_status->setText(tr("Serving on %1 \u00b7 %2 \u00b7 %3 requests answered")
                              .arg(m_controller.url(), live == 1 ? tr("1 live run") : tr("%1 live runs").arg(live))
                              .arg(m_controller.requests()));
        m_status->setStyleSheet(QString());
    } else {
        m_status->setText(m_workbench.project() && m_workbench.project()->isReadOnly() ? tr("The project is open read-only: nothing can log into it.")
                                                                                        : tr("Not serving."));
        m_status->setStyleSheet(QString());
    }
    QString url = m_controller.url();
    if (url.isEmpty()) { // what it will be once on
        TrackingServer::Options o;
        if (TrackingServer::parseListen(m_listen->text(), o))
            url = QStringLiteral("http://%1:%2").arg(o.host).arg(o.port);
    }
    m_export->setText(QStringLiteral("export MLFLOW_TRACKING_URI=%1").arg(url));
    m_copy->setEnabled(!url.isEmpty());
}

} // namespace mlwb
