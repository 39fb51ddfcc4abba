// SPDX-License-Identifier: MIT
#include "panes/report/export_report_dialog.h"

#include "widgets/translate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace mlwb {

using text::tr;

QString ExportReportDialog::extension(const QString &format) { return format; }

ExportReportDialog::ExportReportDialog(const QList<std::pair<qint64, QString>> &runs, const QList<Section> &sections,
                                       const ReportRecord &initial, QWidget *parent)
    : QDialog(parent), m_initial(initial)
{
    setObjectName(QStringLiteral("exportReportDialog"));
    setWindowTitle(tr("Export Report"));
    QStringList names;
    for (const auto &[id, name] : runs) {
        m_runIds << id;
        names << name;
    }
    auto *outer = new QVBoxLayout(this);
    auto *about = new QLabel(runs.size() == 1 ? tr("A report on %1.").arg(names.value(0))
                                              : tr("A report on %1 runs: %2.").arg(runs.size()).arg(names.join(QLatin1String(", "))),
                             this);
    about->setWordWrap(true);
    outer->addWidget(about);

    auto *form = new QFormLayout;
    m_title = new QLineEdit(initial.title, this);
    m_title->setPlaceholderText(tr("the runs' names"));
    form->addRow(tr("&Title"), m_title);
    m_author = new QLineEdit(initial.author, this);
    m_author->setPlaceholderText(tr("you"));
    form->addRow(tr("&Author"), m_author);
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("reportFormat"));
    m_format->addItem(tr("PDF (paginated, for sending)"), QStringLiteral("pdf"));
    m_format->addItem(tr("HTML (one self-contained file)"), QStringLiteral("html"));
    m_format->addItem(tr("Markdown (wikis, pull requests; charts as SVG files beside it)"), QStringLiteral("md"));
    m_format->addItem(tr("CSV (the numbers)"), QStringLiteral("csv"));
    m_format->addItem(tr("JSON (the numbers)"), QStringLiteral("json"));
    m_format->setCurrentIndex(std::max(0, m_format->findData(initial.format)));
    form->addRow(tr("&Format"), m_format);
    m_paper = new QComboBox(this);
    m_paper->addItem(tr("A4"), QStringLiteral("a4"));
    m_paper->addItem(tr("US Letter"), QStringLiteral("letter"));
    m_paper->setCurrentIndex(std::max(0, m_paper->findData(initial.paper)));
    form->addRow(tr("&Paper"), m_paper);

    m_sections = new QListWidget(this);
    m_sections->setObjectName(QStringLiteral("reportSections"));
    for (const Section &s : sections) {
        auto *item = new QListWidgetItem(s.title, m_sections);
        item->setData(Qt::UserRole, s.id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(initial.sections.isEmpty() || initial.sections.contains(s.id) ? Qt::Checked : Qt::Unchecked);
    }
    m_sections->setMinimumHeight(180);
    form->addRow(tr("&Sections"), m_sections);

    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("reportPath"));
    const QString base = initial.renderedTo.isEmpty()
                             ? QDir::home().filePath((initial.name.isEmpty() ? QStringLiteral("report") : initial.name) + QLatin1Char('.') +
                                                     extension(initial.format))
                             : initial.renderedTo;
    m_path->setText(base);
    auto *browseButton = new QPushButton(tr("&Browse\u2026"), this);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);
    form->addRow(tr("Save &to"), pathRow);

    m_keep = new QCheckBox(tr("&Keep in the project as"), this);
    m_keep->setToolTip(tr("A named definition under Reports in the explorer, to render again after more runs finish"));
    m_name = new QLineEdit(initial.name, this);
    m_name->setObjectName(QStringLiteral("reportName"));
    m_keep->setChecked(!initial.name.isEmpty());
    m_name->setEnabled(m_keep->isChecked());
    form->addRow(m_keep, m_name);
    outer->addLayout(form);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("reportProblem"));
    m_problem->setWordWrap(true);
    QPalette warn = m_problem->palette();
    warn.setColor(QPalette::WindowText, QColor(0xb0, 0x30, 0x30));
    m_problem->setPalette(warn);
    outer->addWidget(m_problem);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    outer->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browseButton, &QPushButton::clicked, this, &ExportReportDialog::browse);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportReportDialog::formatChanged);
    connect(m_keep, &QCheckBox::toggled, m_name, &QWidget::setEnabled);
    connect(m_keep, &QCheckBox::toggled, this, &ExportReportDialog::validate);
    connect(m_name, &QLineEdit::textChanged, this, &ExportReportDialog::validate);
    connect(m_path, &QLineEdit::textChanged, this, &ExportReportDialog::validate);
    connect(m_sections, &QListWidget::itemChanged, this, &ExportReportDialog::validate);
    formatChanged();
}

void ExportReportDialog::formatChanged()
{
    const QString format = m_format->currentData().toString();
    m_paper->setEnabled(format == QLatin1String("pdf"));
    // The file's extension follows the format.
    QString p = m_path->text();
    const QFileInfo info(p);
    if (!p.isEmpty()) {
        static const QStringList known = {QStringLiteral("pdf"), QStringLiteral("html"), QStringLiteral("md"), QStringLiteral("csv"),
                                          QStringLiteral("json")};
        const QString suffix = info.suffix();
        p = known.contains(suffix) ? p.left(p.size() - suffix.size()) + extension(format) : p + QLatin1Char('.') + extension(format);
        m_path->setText(p);
    }
    validate();
}

void ExportReportDialog::browse()
{
    const QString format = m_format->currentData().toString();
    const QString p = QFileDialog::getSaveFileName(this, tr("Export Report"), m_path->text(),
                                                   tr("%1 files (*.%2)").arg(format.toUpper(), extension(format)));
    if (!p.isEmpty())
        m_path->setText(p);
}

void ExportReportDialog::validate()
{
    QString problem;
    bool anySection = false;
    for (int i = 0; i < m_sections->count(); ++i)
        anySection = anySection || m_sections->item(i)->checkState() == Qt::Checked;
    if (!anySection)
        problem = tr("Pick at least one section.");
    else if (m_path->text().trimmed().isEmpty())
        problem = tr("Say where the report goes.");
    else if (!QFileInfo(QFileInfo(m_path->text()).absolutePath()).isDir())
        problem = tr("The folder %1 does not exist.").arg(QFileInfo(m_path->text()).absolutePath());
    else if (m_keep->isChecked() && m_name->text().trimmed().isEmpty())
        problem = tr("Name the report to keep it in the project.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    for (QAbstractButton *b : m_buttons->buttons())
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(problem.isEmpty());
}

ReportRecord ExportReportDialog::definition() const
{
    ReportRecord r = m_initial;
    r.name = m_keep->isChecked() ? m_name->text().trimmed() : QString();
    r.title = m_title->text().trimmed();
    r.author = m_author->text().trimmed();
    r.runIds = m_runIds;
    r.format = m_format->currentData().toString();
    r.paper = m_paper->currentData().toString();
    QStringList chosen;
    bool all = true;
    for (int i = 0; i < m_sections->count(); ++i) {
        if (m_sections->item(i)->checkState() == Qt::Checked)
            chosen << m_sections->item(i)->data(Qt::UserRole).toString();
        else
            all = false;
    }
    r.sections = all ? QStringList() : chosen; // every section: stays every section as the builder grows
    return r;
}

QString ExportReportDialog::outputPath() const { return m_path->text().trimmed(); }

bool ExportReportDialog::keepInProject() const { return m_keep->isChecked(); }

} // namespace mlwb
