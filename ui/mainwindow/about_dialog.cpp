// SPDX-License-Identifier: MIT
#include "mainwindow/about_dialog.h"

#include "widgets/icons.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace mlwb {

AboutDialog::AboutDialog(const RuntimeSummary &runtime, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("AboutDialog"));
    setWindowTitle(tr("About MLOps Workbench"));
    resize(640, 560);
    auto *layout = new QVBoxLayout(this);
    auto *head = new QHBoxLayout;
    auto *logo = new QLabel(this);
    logo->setPixmap(Icons::application().pixmap(64, 64));
    auto *text = new QLabel(this);
    text->setTextFormat(Qt::RichText);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString blas = runtime.blasName.isEmpty()
                             ? tr("not initialised")
                             : tr("%1 (%2)").arg(runtime.blasName, runtime.blasLibrary);
    text->setText(tr("<h2 style='margin:0'>MLOps Workbench %1</h2>"
                     "<p>One project file for a model's whole life: build, train, evaluate, "
                     "package, test, deploy, monitor.</p>"
                     "<p>Qt %2 \u00b7 libtorch %3<br>BLAS: %4<br>Intra-op threads: %5</p>")
                      .arg(QStringLiteral(MLWB_VERSION), QString::fromLatin1(qVersion()),
                           runtime.torchVersion.isEmpty() ? tr("\u2013") : runtime.torchVersion,
                           blas.toHtmlEscaped())
                      .arg(runtime.threads));
    head->addWidget(logo, 0, Qt::AlignTop);
    head->addWidget(text, 1);
    layout->addLayout(head);

    auto *attribution = new QTextBrowser(this);
    attribution->setObjectName(QStringLiteral("DatasetAttribution"));
    attribution->setOpenExternalLinks(true);
    QFile readme(QStringLiteral(":/mlwb/datasets/README.md"));
    if (readme.open(QIODevice::ReadOnly))
        attribution->setMarkdown(QString::fromUtf8(readme.readAll()));
    layout->addWidget(new QLabel(tr("<b>Bundled data sets</b>"), this));
    layout->addWidget(attribution, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace mlwb
