// SPDX-License-Identifier: MIT
#include "mainwindow/tour_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

namespace {

enum Role { PictureRole = Qt::UserRole, TextRole };

struct Stop {
    QString title;
    QString picture; // in :/mlwb/tour/
    QString text;
};

QList<Stop> tourStops()
{
    return {
        {TourDialog::tr("Start page"), QStringLiteral("start-page.png"),
         TourDialog::tr("New and Open, the projects you opened recently, and the demo project: "
                        "iris, digits and diabetes with a trained model each, built on first "
                        "use. Dropping a .mlwb file on the window opens it.")},
        {TourDialog::tr("Project Explorer"), QStringLiteral("workbench.png"),
         TourDialog::tr("On the left: the project's data sets, and its models with their runs "
                        "(queued, running, finished, failed, interrupted); a sweep's trials sit "
                        "under the sweep. Double-click opens an item in a tab, F2 renames, Del "
                        "deletes; both can be undone.")},
        {TourDialog::tr("Documents"), QStringLiteral("workbench.png"),
         TourDialog::tr("In the centre: one tab per open item, a data set, a model, a run or a "
                        "comparison. Undo follows the active tab.")},
        {TourDialog::tr("Inspector"), QStringLiteral("workbench.png"),
         TourDialog::tr("On the right: the properties of the active tab's item or the "
                        "selection: the project file, a run's model, data set, status, times, "
                        "hyperparameters and summary. Names can be edited here.")},
        {TourDialog::tr("Jobs and Log"), QStringLiteral("workbench.png"),
         TourDialog::tr("At the bottom: every background job (imports, trainings, sweeps) with "
                        "progress, ETA and Cancel, and the log with a filter. Quitting while "
                        "jobs run asks first.")},
        {TourDialog::tr("Data set tab"), QStringLiteral("dataset-pane.png"),
         TourDialog::tr("A summary of each column, the class balance, a histogram of the "
                        "selected column, the rows themselves, and the split editor (train, "
                        "validation and test parts), undoable. File > Import Dataset takes a "
                        "CSV file, with a live preview.")},
        {TourDialog::tr("Model builder"), QStringLiteral("model-builder.png"),
         TourDialog::tr("A model's tab: a palette of layers, the stack with each layer's output "
                        "shape and parameter count, errors where they occur. Save Version keeps "
                        "the layers as the next version; Train (Ctrl+R) opens the "
                        "hyperparameter form.")},
        {TourDialog::tr("Run tab"), QStringLiteral("run-pane.png"),
         TourDialog::tr("A run's curves growing live while it trains, with Stop (Ctrl+.); once "
                        "it ended, its evaluation on the test split: metrics, per-class tables, "
                        "confusion matrix, ROC and calibration curves.")},
        {TourDialog::tr("Compare"), QStringLiteral("compare-pane.png"),
         TourDialog::tr("Select two or more runs and press Compare (Ctrl+Shift+C): their "
                        "curves on shared charts, a table of metrics and what differs in their "
                        "settings, parallel coordinates and a scatter of any two columns.")},
    };
}

} // namespace

TourDialog::TourDialog(QWidget *parent)
    : QDialog(parent)
    , m_stops(new QListWidget(this))
    , m_picture(new QLabel(this))
    , m_text(new QLabel(this))
    , m_back(new QPushButton(tr("&Back"), this))
    , m_next(new QPushButton(tr("&Next"), this))
{
    setObjectName(QStringLiteral("TourDialog"));
    setWindowTitle(tr("Tour of MLOps Workbench"));
    resize(1000, 640);
    auto *layout = new QVBoxLayout(this);
    auto *body = new QHBoxLayout;
    m_stops->setObjectName(QStringLiteral("TourStops"));
    m_stops->setMaximumWidth(200);
    for (const Stop &s : tourStops()) {
        auto *item = new QListWidgetItem(s.title, m_stops);
        item->setData(PictureRole, s.picture);
        item->setData(TextRole, s.text);
    }
    body->addWidget(m_stops);
    auto *page = new QVBoxLayout;
    m_picture->setObjectName(QStringLiteral("TourPicture"));
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setMinimumSize(320, 200);
    m_picture->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_text->setObjectName(QStringLiteral("TourText"));
    m_text->setWordWrap(true);
    page->addWidget(m_picture, 1);
    page->addWidget(m_text);
    body->addLayout(page, 1);
    layout->addLayout(body, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_back, QDialogButtonBox::ActionRole);
    buttons->addButton(m_next, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_back, &QPushButton::clicked, this,
            [this] { m_stops->setCurrentRow(m_stops->currentRow() - 1); });
    connect(m_next, &QPushButton::clicked, this,
            [this] { m_stops->setCurrentRow(m_stops->currentRow() + 1); });
    layout->addWidget(buttons);
    connect(m_stops, &QListWidget::currentRowChanged, this, &TourDialog::showStop);
    m_stops->setCurrentRow(0);
}

void TourDialog::showStop(int row)
{
    QListWidgetItem *item = m_stops->item(row);
    if (!item)
        return;
    m_text->setText(item->data(TextRole).toString());
    const QPixmap pixmap(QStringLiteral(":/mlwb/tour/") + item->data(PictureRole).toString());
    const QSize room = m_picture->size().expandedTo(m_picture->minimumSize());
    m_picture->setPixmap(pixmap.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    m_back->setEnabled(row > 0);
    m_next->setEnabled(row + 1 < m_stops->count());
}

void TourDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    showStop(m_stops->currentRow());
}

} // namespace mlwb
