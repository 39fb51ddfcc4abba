// SPDX-License-Identifier: MIT
#include "panes/dataset/import_dataset_dialog.h"

#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "widgets/wheel_guard.h"
#include "data/import_dataset_job.h"
#include "store/project.h"
#include "widgets/dialog_fit.h"
#include "widgets/message_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QRegularExpression>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace mlwb {

namespace {

QString delimiterText(QChar c)
{
    if (c == QLatin1Char('\t'))
        return ImportDatasetDialog::tr("tab");
    if (c == QLatin1Char(' '))
        return ImportDatasetDialog::tr("space");
    return QStringLiteral("\u201c%1\u201d").arg(c);
}

QComboBox *typeCombo(ColumnType current, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    WheelGuard::install(combo); // scrolling the list must not change a column's type
    for (ColumnType t : {ColumnType::Numeric, ColumnType::Categorical, ColumnType::Boolean})
        combo->addItem(columnTypeName(t), int(t));
    combo->setCurrentIndex(combo->findData(int(current)));
    return combo;
}

} // namespace

ImportDatasetDialog::ImportDatasetDialog(WorkbenchContext &workbench, const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_workbench(&workbench)
    , m_path(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_detected(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_columns(new QTableWidget(this))
    , m_target(new QComboBox(this))
    , m_missing(new QComboBox(this))
    , m_delimiter(new QComboBox(this))
    , m_header(new QComboBox(this))
    , m_task(new QComboBox(this))
    , m_seed(new QSpinBox(this))
    , m_testLabel(new QLabel(this))
    , m_noTest(new QLabel(this))
    , m_noTestConfirm(new QCheckBox(tr("Import &without a test part"), this))
    , m_train(new QDoubleSpinBox(this))
    , m_validation(new QDoubleSpinBox(this))
    , m_shape(new QLineEdit(this))
    , m_message(new MessageBar(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("ImportDatasetDialog"));
    setWindowTitle(tr("Import Data Set"));
    resize(900, 700);

    auto *layout = new QVBoxLayout(this);
    auto *top = new QFormLayout;
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    auto *browseButton = new QPushButton(tr("Browse\u2026"), this);
    fileRow->addWidget(browseButton);
    // A row given as a layout gets a label without a buddy, which shows its "&" literally.
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    top->addRow(fileLabel, fileRow);
    top->addRow(tr("&Name:"), m_name);

    // The CLI's --delimiter and --no-header: detected unless chosen.
    m_delimiter->addItem(tr("Detect"), QString());
    m_delimiter->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_delimiter->addItem(tr("Semicolon ( ; )"), QStringLiteral(";"));
    m_delimiter->addItem(tr("Tab"), QStringLiteral("\t"));
    m_delimiter->addItem(tr("Pipe ( | )"), QStringLiteral("|"));
    m_delimiter->addItem(tr("Space"), QStringLiteral(" "));
    m_header->addItem(tr("Detect"), -1);
    m_header->addItem(tr("First row holds the column names"), 1);
    m_header->addItem(tr("No header row (columns column_1, column_2, \u2026)"), 0);
    for (QComboBox *combo : {m_delimiter, m_header})
        WheelGuard::install(combo);
    auto *readRow = new QHBoxLayout;
    auto *delimiterLabel = new QLabel(tr("&Delimiter:"), this);
    delimiterLabel->setBuddy(m_delimiter);
    auto *headerLabel = new QLabel(tr("&Header:"), this);
    headerLabel->setBuddy(m_header);
    readRow->addWidget(m_delimiter);
    readRow->addSpacing(12);
    readRow->addWidget(headerLabel);
    readRow->addWidget(m_header);
    readRow->addStretch(1);
    top->addRow(delimiterLabel, readRow);
    top->addRow(tr("Detected:"), m_detected);
    layout->addLayout(top);
    m_message->setClosable(false);
    m_message->clear();
    layout->addWidget(m_message);

    auto *previewBox = new QGroupBox(tr("Preview (first rows as parsed)"), this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_table);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    layout->addWidget(previewBox, 2);

    auto *lower = new QHBoxLayout;
    auto *columnsBox = new QGroupBox(tr("Column types"), this);
    auto *columnsLayout = new QVBoxLayout(columnsBox);
    columnsLayout->addWidget(m_columns);
    m_columns->setColumnCount(2);
    m_columns->setHorizontalHeaderLabels({tr("Column"), tr("Type")});
    m_columns->verticalHeader()->hide();
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_columns->horizontalHeader()->setStretchLastSection(true);
    m_columns->verticalHeader()->setDefaultSectionSize(m_columns->fontMetrics().height() + 10);
    // Scrolled to the end, the last row shows whole (per-item scrolling can leave it cut).
    m_columns->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    lower->addWidget(columnsBox, 1);

    auto *optionsBox = new QGroupBox(tr("Options"), this);
    auto *form = new QFormLayout(optionsBox);
    form->addRow(tr("&Target column:"), m_target);
    m_task->addItem(tr("Infer from the target column"));
    m_task->addItem(taskKindName(TaskKind::Classification), int(TaskKind::Classification));
    m_task->addItem(taskKindName(TaskKind::Regression), int(TaskKind::Regression));
    m_task->setToolTip(tr("Integer targets with few distinct values are taken as classes unless "
                          "you choose regression"));
    for (QComboBox *combo : {m_target, m_task, m_missing})
        WheelGuard::install(combo);
    form->addRow(tr("Tas&k:"), m_task);
    for (MissingPolicy p : {MissingPolicy::DropRow, MissingPolicy::ImputeMean,
                            MissingPolicy::ImputeMedian, MissingPolicy::ImputeMode}) {
        static const QHash<int, QString> labels = {
            {int(MissingPolicy::DropRow), tr("Drop rows with missing cells")},
            {int(MissingPolicy::ImputeMean), tr("Impute mean (most frequent for categories)")},
            {int(MissingPolicy::ImputeMedian), tr("Impute median (most frequent for categories)")},
            {int(MissingPolicy::ImputeMode), tr("Impute most frequent value")},
        };
        m_missing->addItem(labels.value(int(p)), int(p));
    }
    form->addRow(tr("&Missing values:"), m_missing);
    for (QDoubleSpinBox *spin : {m_train, m_validation}) {
        spin->setRange(0, 100);
        spin->setDecimals(1);
        spin->setSuffix(QStringLiteral(" %"));
    }
    m_train->setValue(70);
    m_validation->setValue(15);
    form->addRow(tr("T&rain:"), m_train);
    form->addRow(tr("&Validation:"), m_validation);
    form->addRow(tr("Test:"), m_testLabel);
    m_noTest->setObjectName(QStringLiteral("noTestWarning"));
    m_noTest->setWordWrap(true);
    m_noTest->setText(
        tr("<b>No test part.</b> Every row is used for training or validation, so evaluation "
           "will have no held-out rows: the scores of runs on this data set come from the "
           "validation part, which also chose the best epoch, and overstate how well a model "
           "does on new data."));
    form->addRow(m_noTest);
    form->addRow(m_noTestConfirm);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(int(SplitSpec().seed));
    m_seed->setToolTip(tr("The same fractions and seed always give the same split"));
    form->addRow(tr("Split s&eed:"), m_seed);
    m_shape->setPlaceholderText(tr("optional, C\u00d7H\u00d7W such as 1x8x8"));
    form->addRow(tr("&Image shape:"), m_shape);
    lower->addWidget(optionsBox, 1);
    layout->addLayout(lower, 1);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));

    connect(m_train, &QDoubleSpinBox::valueChanged, this, &ImportDatasetDialog::updateTestPart);
    connect(m_validation, &QDoubleSpinBox::valueChanged, this, &ImportDatasetDialog::updateTestPart);
    connect(m_noTestConfirm, &QCheckBox::toggled, this, &ImportDatasetDialog::updateOkButton);
    for (QComboBox *combo : {m_delimiter, m_header}) {
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            // Another dialect gives other columns: what was chosen per column no longer applies.
            m_overrides.clear();
            m_targetChoice.clear();
            refreshPreview();
        });
    }
    connect(m_task, &QComboBox::currentIndexChanged, this, &ImportDatasetDialog::refreshPreview);
    updateTestPart();
    connect(m_shape, &QLineEdit::textChanged, this, &ImportDatasetDialog::updateOkButton);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });
    connect(m_name, &QLineEdit::textChanged, this, &ImportDatasetDialog::updateOkButton);
    connect(browseButton, &QPushButton::clicked, this, &ImportDatasetDialog::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->text() != m_loadedPath)
            setPath(m_path->text());
    });
    connect(m_target, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (m_updating || text.isEmpty() || text == m_targetChoice)
            return;
        m_targetChoice = text;
        QMetaObject::invokeMethod(this, &ImportDatasetDialog::refreshPreview,
                                  Qt::QueuedConnection);
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ImportDatasetDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDatasetDialog::reject);

    if (!path.isEmpty())
        setPath(path);
    else
        updateOkButton();
}

void ImportDatasetDialog::start(WorkbenchContext &workbench, const QString &path)
{
    QString file = path;
    if (file.isEmpty()) {
        file = QFileDialog::getOpenFileName(workbench.dialogParent(), tr("Import Data Set"), QString(),
                                            tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
        if (file.isEmpty())
            return;
    }
    auto *dialog = new ImportDatasetDialog(workbench, file, workbench.dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
}

void ImportDatasetDialog::setPath(const QString &path)
{
    m_path->setText(path);
    m_loadedPath = path;
    m_overrides.clear();
    m_targetChoice.clear();
    if (!m_nameEdited)
        m_name->setText(QFileInfo(path).completeBaseName());
    refreshPreview();
}

QString ImportDatasetDialog::path() const
{
    return m_path->text();
}

void ImportDatasetDialog::browse()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Import Data Set"), QFileInfo(path()).absolutePath(),
        tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!file.isEmpty())
        setPath(file);
}

ImportOptions ImportDatasetDialog::chosenOptions() const
{
    ImportOptions o;
    const QString delimiter = m_delimiter->currentData().toString();
    if (!delimiter.isEmpty())
        o.delimiter = delimiter.at(0);
    o.header = m_header->currentData().toInt();
    if (m_task->currentData().isValid())
        o.task = TaskKind(m_task->currentData().toInt());
    o.target = m_targetChoice;
    o.missing = MissingPolicy(m_missing->currentData().toInt());
    o.typeOverrides = m_overrides;
    return o;
}

ImportOptions ImportDatasetDialog::options() const
{
    ImportOptions o = chosenOptions();
    if (m_previewOk) { // import the file as the preview read it
        o.delimiter = m_preview.delimiter;
        o.header = m_preview.hasHeader ? 1 : 0;
    }
    bool valid = true;
    o.imageShape = imageShape(&valid);
    return o;
}

SplitSpec ImportDatasetDialog::split() const
{
    SplitSpec s;
    s.trainFraction = m_train->value() / 100.0;
    s.validationFraction = m_validation->value() / 100.0;
    s.seed = quint64(m_seed->value());
    return s;
}

QString ImportDatasetDialog::datasetName() const
{
    return m_name->text().trimmed();
}

std::optional<std::array<int, 3>> ImportDatasetDialog::imageShape(bool *valid) const
{
    *valid = true;
    const QString text = m_shape->text().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+)\\s*[x\u00d7,*]\\s*(\\d+)\\s*[x\u00d7,*]\\s*(\\d+)\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch()) {
        *valid = false;
        return std::nullopt;
    }
    std::array<int, 3> shape{m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt()};
    for (int v : shape)
        if (v <= 0)
            *valid = false;
    return shape;
}

void ImportDatasetDialog::refreshPreview()
{
    const ImportOptions o = chosenOptions();
    const QString file = path();
    m_updating = true;
    m_previewOk = false;
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_columns->setRowCount(0);
    m_target->clear();
    m_detected->clear();

    auto result = CsvImporter::preview(file, o, 20);
    if (!result) {
        m_preview = {};
        m_message->showMessage(result.error(), MessageBar::Type::Error);
        m_updating = false;
        updateOkButton();
        return;
    }
    m_preview = *result;
    const int n = int(m_preview.columnNames.size());
    m_table->setColumnCount(n);
    QStringList headers;
    for (int c = 0; c < n; ++c) {
        const QString type = c < m_preview.columnTypes.size()
                                 ? columnTypeName(m_preview.columnTypes.at(c))
                                 : QString();
        headers << QStringLiteral("%1\n%2").arg(m_preview.columnNames.at(c), type);
    }
    m_table->setHorizontalHeaderLabels(headers);
    if (m_preview.targetColumn >= 0 && m_preview.targetColumn < n) {
        if (QTableWidgetItem *h = m_table->horizontalHeaderItem(m_preview.targetColumn)) {
            QFont f = h->font();
            f.setBold(true);
            h->setFont(f);
            h->setToolTip(tr("target column"));
        }
    }
    m_table->setRowCount(int(m_preview.rows.size()));
    for (int r = 0; r < m_preview.rows.size(); ++r) {
        const QStringList &row = m_preview.rows.at(r);
        for (int c = 0; c < row.size() && c < n; ++c) {
            auto *item = new QTableWidgetItem(row.at(c));
            if (c < m_preview.columnTypes.size()
                && m_preview.columnTypes.at(c) == ColumnType::Numeric)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();

    m_columns->setRowCount(n);
    for (int c = 0; c < n; ++c) {
        const QString name = m_preview.columnNames.at(c);
        m_columns->setItem(c, 0, new QTableWidgetItem(name));
        const ColumnType type = c < m_preview.columnTypes.size() ? m_preview.columnTypes.at(c)
                                                                 : ColumnType::Numeric;
        QComboBox *combo = typeCombo(type, m_columns);
        m_columns->setCellWidget(c, 1, combo);
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo, name] {
            m_overrides.insert(name, ColumnType(combo->currentData().toInt()));
            // The combo is replaced by the refresh: not from inside its own signal.
            QMetaObject::invokeMethod(this, &ImportDatasetDialog::refreshPreview,
                                      Qt::QueuedConnection);
        });
    }
    m_columns->resizeColumnToContents(0);
    fitColumnTable();

    m_target->addItems(m_preview.columnNames);
    m_target->setCurrentIndex(m_preview.targetColumn);
    if (m_preview.targetColumn >= 0)
        m_targetChoice = m_preview.columnNames.at(m_preview.targetColumn);

    QStringList facts;
    facts << tr("delimiter %1").arg(delimiterText(m_preview.delimiter))
          << (m_preview.hasHeader ? tr("header row") : tr("no header row"))
          << tr("columns: %n", nullptr, n)
          << (m_preview.wholeFile ? tr("rows: %n", nullptr, int(m_preview.rowsScanned))
                                  : tr("types from the first rows: %n", nullptr,
                                       int(m_preview.rowsScanned)))
          << taskKindName(m_preview.task);
    if (!m_preview.classNames.isEmpty())
        facts << tr("classes: %1").arg(m_preview.classNames.join(QStringLiteral(", ")));
    m_detected->setText(facts.join(QStringLiteral(" \u00b7 ")));

    if (!m_preview.problem.isEmpty()) {
        m_message->showMessage(
            tr("%1<br>Fix the file and choose it again; nothing has been imported.")
                .arg(m_preview.problem.toHtmlEscaped()),
            MessageBar::Type::Error);
    } else {
        m_message->clear();
        m_previewOk = true;
    }
    m_updating = false;
    updateOkButton();
}

void ImportDatasetDialog::fitColumnTable()
{
    // Up to eight rows show whole without scrolling; more scroll, the last one whole at the end.
    const int rows = std::min(m_columns->rowCount(), 8);
    const int height = m_columns->horizontalHeader()->sizeHint().height()
        + rows * m_columns->verticalHeader()->defaultSectionSize() + 2 * m_columns->frameWidth()
        + (m_columns->horizontalScrollBar()->isVisible() ? m_columns->horizontalScrollBar()->height() : 0);
    m_columns->setMinimumHeight(height);
}

bool ImportDatasetDialog::noTestPart() const
{
    return std::abs(100.0 - m_train->value() - m_validation->value()) < 1e-9;
}

void ImportDatasetDialog::updateTestPart()
{
    const double rest = 100.0 - m_train->value() - m_validation->value();
    m_testLabel->setText(rest < -1e-9 ? tr("<span style='color:#c0392b'>train + validation "
                                           "exceed 100 %</span>")
                                      : QStringLiteral("%1 %").arg(std::max(0.0, rest), 0, 'f', 1));
    const bool noTest = noTestPart();
    auto *form = qobject_cast<QFormLayout *>(m_noTest->parentWidget()->layout());
    if (form && form->isRowVisible(m_noTest) != noTest) {
        form->setRowVisible(m_noTest, noTest);
        form->setRowVisible(m_noTestConfirm, noTest);
        if (!noTest)
            m_noTestConfirm->setChecked(false); // asked again the next time
        if (isVisible())
            DialogFit::toContents(this);
    }
    updateOkButton();
}

void ImportDatasetDialog::updateOkButton()
{
    QString why;
    bool shapeValid = true;
    (void)imageShape(&shapeValid);
    if (!m_previewOk)
        why = tr("The file cannot be imported as it is.");
    else if (datasetName().isEmpty())
        why = tr("Enter a name for the data set.");
    else if (!split().validate())
        why = tr("Train and validation together must not exceed 100 %.");
    else if (noTestPart() && !m_noTestConfirm->isChecked())
        why = tr("There is no test part: give it some rows, or confirm importing without one.");
    else if (!shapeValid)
        why = tr("The image shape must be three positive numbers, C\u00d7H\u00d7W.");
    else if (!m_workbench->project())
        why = tr("No project is open.");
    else if (m_workbench->project()->isReadOnly())
        why = tr("The project is open read-only.");
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(why.isEmpty());
    ok->setToolTip(why);
}

void ImportDatasetDialog::accept()
{
    updateOkButton();
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    Project *project = m_workbench->project();
    const QString name = datasetName();
    if (project->datasets().byName(name).ok()) {
        m_message->showMessage(
            tr("A data set named \u201c%1\u201d exists already; choose another name.")
                .arg(name.toHtmlEscaped()),
            MessageBar::Type::Error);
        m_name->setFocus();
        return;
    }
    // The job may end after this dialog is gone; the workbench lives as long as its window.
    QPointer<QWidget> alive = m_workbench->dialogParent();
    WorkbenchContext *workbench = m_workbench;
    m_jobId = m_workbench->jobManager()->submit(
        std::make_unique<ImportDatasetJob>(project->path(), path(), name, options(), split()),
        [alive, workbench, name, projectPath = project->path()](const Status &status) {
            if (!alive)
                return;
            if (status) {
                // The new data set opens in its tab, unless another project was opened since.
                Project *now = workbench->project();
                if (now && now->path() == projectPath) {
                    if (auto d = now->datasets().byName(name))
                        workbench->documents()->open(ItemRef{ItemKind::Dataset, d->id});
                }
                // Positive and without actions: the notice closes itself.
                workbench->showMessage(tr("Imported data set \u201c%1\u201d.").arg(name),
                                       MessageBar::Type::Positive);
            } else
                workbench->showError(
                    tr("Importing \u201c%1\u201d failed: %2").arg(name, status.error()));
        });
    QDialog::accept();
}

} // namespace mlwb
