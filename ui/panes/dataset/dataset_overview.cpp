// SPDX-License-Identifier: MIT
#include "panes/dataset/dataset_overview.h"

#include "store/worker_connection.h"
#include "charts/distribution_chart_view.h"
#include "commands/change_property_command.h"
#include "models/data_table_model.h"
#include "common/item_ref.h"
#include "panes/dataset/split_editor.h"
#include "data/data_table.h"
#include "store/database.h"
#include "store/project.h"
#include "data/dataset_catalog.h"
#include "common/format.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QCoreApplication>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QThreadPool>
#include <QUndoStack>
#include <QVBoxLayout>

#include <array>
#include <cmath>
#include <vector>

namespace mlwb {

namespace {
QString statText(const QJsonValue &v)
{
    return v.isDouble() ? Format::metric(v.toDouble()) : QStringLiteral("\u2013");
}
} // namespace

DatasetOverview::DatasetOverview(Project &project, qint64 datasetId, QWidget *parent)
    : QWidget(parent)
    , m_project(&project)
    , m_id(datasetId)
    , m_header(new QLabel(this))
    , m_columns(new QTableWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_dataView(new QTableView(this))
    , m_dataModel(new DataTableModel(this))
    , m_balance(new DistributionChartView(this))
    , m_histogram(new DistributionChartView(this))
    , m_classCounts(new QTableWidget(this))
    , m_dataNote(new QLabel(this))
    , m_split(new SplitEditor(this))
{
    setObjectName(QStringLiteral("DatasetOverview"));
    auto *layout = new QVBoxLayout(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    auto *summary = new QSplitter(Qt::Vertical, m_tabs);
    summary->addWidget(m_columns);
    auto *charts = new QSplitter(Qt::Horizontal, summary);
    auto *classPane = new QSplitter(Qt::Vertical, charts);
    classPane->addWidget(m_balance);
    classPane->addWidget(m_classCounts);
    classPane->setStretchFactor(0, 2);
    classPane->setStretchFactor(1, 1);
    m_classCounts->setObjectName(QStringLiteral("classCounts"));
    m_classCounts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_classCounts->setSelectionMode(QAbstractItemView::NoSelection);
    m_classCounts->setAlternatingRowColors(true);
    m_classCounts->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_classCounts->hide();
    charts->addWidget(classPane);
    charts->addWidget(m_histogram);
    summary->addWidget(charts);
    summary->setStretchFactor(0, 1);
    summary->setStretchFactor(1, 1);
    m_tabs->addTab(summary, tr("Summary"));

    auto *dataPage = new QWidget(m_tabs);
    auto *dataLayout = new QVBoxLayout(dataPage);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    dataLayout->addWidget(m_dataNote);
    dataLayout->addWidget(m_dataView, 1);
    m_dataNote->hide();
    m_dataView->setModel(m_dataModel);
    m_dataView->setAlternatingRowColors(true);
    m_dataView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_dataView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_dataView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_dataView->horizontalHeader()->setDefaultSectionSize(110);
    m_tabs->addTab(dataPage, tr("Data"));
    m_tabs->addTab(m_split, tr("Split"));
    connect(m_split, &SplitEditor::splitRequested, this, &DatasetOverview::applySplit);
    m_columns->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_columns->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_columns, &QTableWidget::currentCellChanged, this,
            [this](int row) { showHistogram(row); });
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_columns->setAlternatingRowColors(true);
    m_columns->verticalHeader()->hide();
    m_columns->setHorizontalHeaderLabels({});
    connect(&project, &Project::datasetsChanged, this, &DatasetOverview::reload);
    // The split warning counts the runs trained on this data set's split.
    connect(&project, &Project::runsChanged, this, &DatasetOverview::refreshSplit);
    reload();
}

void DatasetOverview::reload()
{
    if (!m_project)
        return;
    auto d = m_project->datasets().get(m_id);
    if (!d)
        return; // deleted: the document area closes this tab
    const QJsonObject schema = QJsonDocument::fromJson(d->schemaJson).object();
    QStringList facts;
    facts << tr("%n rows", nullptr, int(d->rowCount)) + QStringLiteral(" \u00d7 ") +
                 tr("%n columns", nullptr, int(d->columnCount));
    if (schema.contains(QStringLiteral("task")))
        facts << tr("task: %1").arg(schema.value(QStringLiteral("task")).toString());
    if (schema.contains(QStringLiteral("target")))
        facts << tr("target: <b>%1</b>")
                     .arg(schema.value(QStringLiteral("target")).toString().toHtmlEscaped());
    QStringList classes;
    for (const QJsonValue &c : schema.value(QStringLiteral("classNames")).toArray())
        classes << c.toString().toHtmlEscaped();
    if (!classes.isEmpty())
        facts << tr("classes: %1").arg(classes.join(QStringLiteral(", ")));
    const QJsonArray shape = schema.value(QStringLiteral("imageShape")).toArray();
    if (shape.size() == 3)
        facts << tr("images of %1\u00d7%2\u00d7%3 (channels \u00d7 height \u00d7 width)")
                     .arg(shape.at(0).toInteger())
                     .arg(shape.at(1).toInteger())
                     .arg(shape.at(2).toInteger());
    m_classNames.clear();
    for (const QJsonValue &c : schema.value(QStringLiteral("classNames")).toArray())
        m_classNames << c.toString();
    m_header->setText(
        tr("<h2 style='margin:0'>%1</h2>%2<br><span style='color:gray'>"
           "imported %3 from %4 \u00b7 SHA-256 %5</span>")
            .arg(d->name.toHtmlEscaped(), facts.join(QStringLiteral(" \u00b7 ")),
                 Format::dateTime(d->createdAt),
                 d->sourcePath.isEmpty() ? QStringLiteral("\u2013") : d->sourcePath.toHtmlEscaped(),
                 Format::shortHash(d->contentHash)));

    const QJsonArray cols = schema.value(QStringLiteral("columns")).toArray();
    const QString target = schema.value(QStringLiteral("target")).toString();
    const QStringList headers = {tr("Column"),  tr("Type"),     tr("Missing"),
                                 tr("Min"),     tr("Max"),      tr("Mean"),
                                 tr("Std dev"), tr("Distinct"), tr("Categories")};
    m_columns->clear();
    m_columns->setColumnCount(int(headers.size()));
    m_columns->setHorizontalHeaderLabels(headers);
    m_columns->setRowCount(int(cols.size()));
    for (int r = 0; r < cols.size(); ++r) {
        const QJsonObject c = cols.at(r).toObject();
        const QString name = c.value(QStringLiteral("name")).toString();
        // Coded columns (categories, booleans, class labels) hold codes: their range and mean say
        // nothing; the rows per category do.
        const bool coded = c.contains(QStringLiteral("categories"));
        const QJsonArray categoryCounts = c.value(QStringLiteral("categoryCounts")).toArray();
        QStringList cats;
        const QJsonArray categories = c.value(QStringLiteral("categories")).toArray();
        for (int k = 0; k < categories.size(); ++k)
            cats << (k < categoryCounts.size()
                         ? tr("%1 (%2)").arg(categories.at(k).toString()).arg(categoryCounts.at(k).toInteger())
                         : categories.at(k).toString());
        const auto stat = [&](const char *key) {
            return coded ? QStringLiteral("\u2013") : statText(c.value(QLatin1String(key)));
        };
        const QStringList cells = {
            name,
            c.value(QStringLiteral("type")).toString(),
            QString::number(c.value(QStringLiteral("missing")).toInteger()),
            stat("min"),
            stat("max"),
            stat("mean"),
            stat("stddev"),
            c.contains(QStringLiteral("distinct"))
                ? QString::number(c.value(QStringLiteral("distinct")).toInteger())
                : QStringLiteral("\u2013"),
            cats.join(QStringLiteral(", ")),
        };
        for (int k = 0; k < cells.size(); ++k) {
            auto *item = new QTableWidgetItem(cells.at(k));
            if (k >= 2 && k <= 7)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (k == 0 && name == target) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setToolTip(tr("target column"));
            }
            if (k == 8)
                item->setToolTip(cats.join(QStringLiteral(", ")));
            m_columns->setItem(r, k, item);
        }
    }
    m_columns->resizeColumnsToContents();
    m_columns->horizontalHeader()->setStretchLastSection(true);
    loadData(d->contentHash, d->rowCount * d->columnCount);
    refreshSplit();
}

void DatasetOverview::setUndoStack(QUndoStack *stack, CommandContext context)
{
    m_undo = stack;
    m_context = std::move(context);
}

void DatasetOverview::applySplit(const SplitSpec &spec)
{
    if (!m_project)
        return;
    auto current = EvaluationRepository(m_project->db()).split(m_id);
    SplitSpec old;
    if (current) {
        old.trainFraction = current->train;
        old.validationFraction = current->validation;
        old.seed = current->seed;
    }
    const qint64 id = m_id;
    auto apply = [id](Project &project, const QVariant &value) -> Status {
        auto s = SplitSpec::fromJson(value.toJsonObject());
        if (!s)
            return s.failure();
        return DatasetCatalog(project.db()).resplit(id, *s);
    };
    auto name = m_project->datasets().get(m_id);
    const QString text = tr("Change the split of %1").arg(name ? name->name : QString::number(m_id));
    if (m_undo) {
        m_undo->push(new ChangePropertyCommand(m_context, ItemRef{ItemKind::Dataset, m_id},
                                               QStringLiteral("split"), old.toJson(), spec.toJson(),
                                               apply, text));
        return;
    }
    if (auto s = apply(*m_project, spec.toJson()); !s)
        m_dataNote->setText(s.error());
}

void DatasetOverview::refreshSplit()
{
    if (!m_project)
        return;
    auto split = EvaluationRepository(m_project->db()).split(m_id);
    std::optional<SplitRecord> record;
    if (split)
        record = std::move(*split);
    // Runs record the split they trained on; runs from before that are taken as trained on the
    // current one (the cautious guess). Queued runs have not trained yet.
    const QString current = record ? DatasetSplit::fingerprint(record->assignment) : QString();
    int runs = 0;
    if (auto all = m_project->runs().list()) {
        for (const RunRecord &r : *all) {
            if (r.datasetId != m_id || r.status == RunStatus::Queued || !record)
                continue;
            const QJsonValue used = r.summary.value(QStringLiteral("split_hash"));
            runs += used.isUndefined() || used.toString() == current ? 1 : 0;
        }
    }
    m_split->setSplit(record, m_table.get(), m_target, m_classNames, runs);
    showClassCounts(record ? &*record : nullptr);
}

void DatasetOverview::showClassCounts(const SplitRecord *split)
{
    const bool classes = m_table && m_target >= 0 && m_target < m_table->columnCount()
        && !m_classNames.isEmpty() && m_table->column(m_target).isCoded();
    m_classCounts->setVisible(classes);
    if (!classes)
        return;
    const bool parts = split && qint64(split->assignment.size()) == m_table->rowCount();
    QStringList headers;
    if (parts)
        headers << tr("Train") << tr("Validation") << tr("Test");
    headers << tr("All");
    const int n = int(m_classNames.size());
    std::vector<std::array<qint64, 4>> counts(size_t(n), {0, 0, 0, 0});
    for (qint64 row = 0; row < m_table->rowCount(); ++row) {
        const double v = m_table->value(row, m_target);
        if (!std::isfinite(v) || v < 0 || v >= n)
            continue;
        auto &c = counts[size_t(v)];
        if (parts)
            ++c[size_t(std::min<int>(split->assignment[size_t(row)], 2))];
        ++c[3];
    }
    m_classCounts->clear();
    m_classCounts->setColumnCount(int(headers.size()));
    m_classCounts->setHorizontalHeaderLabels(headers);
    m_classCounts->setRowCount(n);
    m_classCounts->setVerticalHeaderLabels(m_classNames);
    for (int r = 0; r < n; ++r) {
        const auto &c = counts[size_t(r)];
        QList<qint64> values;
        if (parts)
            values << c[0] << c[1] << c[2];
        values << c[3];
        for (int k = 0; k < values.size(); ++k) {
            auto *item = new QTableWidgetItem(QString::number(values.at(k)));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_classCounts->setItem(r, k, item);
        }
    }
    m_classCounts->resizeColumnsToContents();
    m_classCounts->horizontalHeader()->setStretchLastSection(true);
    // Up to six classes show whole; more scroll.
    m_classCounts->setMinimumHeight(m_classCounts->horizontalHeader()->sizeHint().height()
                                    + std::min(n, 6) * m_classCounts->verticalHeader()->defaultSectionSize()
                                    + 2 * m_classCounts->frameWidth());
}

void DatasetOverview::loadData(const QString &contentHash, qint64 cells)
{
    if ((m_table || m_loading) && contentHash == m_loadedHash)
        return;
    m_loadedHash = contentHash;
    m_table.reset();
    m_target = -1;
    ++m_generation; // a load still running for the old content is ignored
    m_loading = false;
    if (cells > kMaxLoadedCells) {
        m_dataNote->setText(tr("%1 cells are too many to show here; the summary above comes "
                               "from the stored schema.")
                                .arg(Format::count(cells)));
        m_dataNote->show();
        m_dataModel->setTable(nullptr);
        m_balance->showNothing(tr("Class balance not loaded"));
        m_histogram->showNothing(QString());
        return;
    }
    // Reading and inflating a large blob takes seconds: a worker thread does it on its own
    // read-only connection. A newer request (the data set changed again) wins.
    const quint64 generation = m_generation;
    m_loading = true;
    m_dataNote->setText(tr("Loading %1 cells…").arg(Format::count(cells)));
    m_dataNote->show();
    m_dataModel->setTable(nullptr);
    m_balance->showNothing(tr("Loading…"));
    m_histogram->showNothing(QString());
    QPointer<DatasetOverview> self(this);
    QThreadPool::globalInstance()->start([self, generation, path = m_project->path(), id = m_id] {
        auto result = std::make_shared<Result<LoadedDataset>>(fail(QStringLiteral("not read")));
        if (auto db = WorkerConnection::open(path, WorkerConnection::Access::Read))
            *result = DatasetCatalog(*db).load(id);
        else
            *result = db.failure();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, result] {
                if (self && self->m_generation == generation)
                    self->showLoaded(*result);
            },
            Qt::QueuedConnection);
    });
}

void DatasetOverview::showLoaded(Result<LoadedDataset> &loaded)
{
    m_loading = false;
    if (!loaded) {
        m_dataNote->setText(tr("The rows could not be loaded: %1").arg(loaded.error()));
        m_dataNote->show();
        m_dataModel->setTable(nullptr);
        m_balance->showNothing(QString());
        m_histogram->showNothing(QString());
        Q_EMIT rowsLoaded();
        return;
    }
    m_dataNote->hide();
    m_target = loaded->data.targetColumn;
    auto table = std::make_shared<const DataTable>(std::move(loaded->data.table));
    m_table = table;
    m_dataModel->setTable(table, m_target);
    // A regression target has no classes: its histogram takes the class balance's place.
    if (loaded->data.task == TaskKind::Classification)
        m_balance->showClassBalance(*table, m_target);
    else
        m_balance->showColumn(*table, m_target);
    // Unless a column is selected: the first feature's (the target's spread is on the left).
    int row = m_columns->currentRow();
    if (row < 0)
        row = m_target == 0 && m_columns->rowCount() > 1 ? 1 : 0;
    showHistogram(row);
    refreshSplit();
    Q_EMIT rowsLoaded();
}

void DatasetOverview::showHistogram(int column)
{
    if (!m_table || column < 0)
        return;
    // Schema rows are in table order; match by name to be safe.
    const QTableWidgetItem *item = m_columns->item(column, 0);
    const int index = item ? m_table->columnIndex(item->text()) : column;
    m_histogram->showColumn(*m_table, index);
}

} // namespace mlwb
