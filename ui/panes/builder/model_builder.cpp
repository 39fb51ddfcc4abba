// SPDX-License-Identifier: MIT
#include "panes/builder/model_builder.h"

#include "model/layer_catalog.h"
#include "model/model_templates.h"
#include "panes/builder/layer_edit_command.h"
#include "panes/builder/layer_palette.h"
#include "panes/builder/layer_params_delegate.h"
#include "panes/model/model_overview.h"
#include "store/database.h"
#include "store/project.h"
#include "common/format.h"
#include "widgets/icons.h"
#include "widgets/message_bar.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QThreadPool>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <memory>

namespace mlwb {

namespace {

LayerPath parentOf(const LayerPath &path)
{
    return path.empty() ? path : LayerPath(path.begin(), path.end() - 1);
}

QString layerCount(size_t n)
{
    return ModelBuilder::tr("%n layers", nullptr, int(n));
}

QToolButton *toolButton(const QString &icon, const QString &text, const QString &tip,
                        QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setIcon(Icons::themed(icon));
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return b;
}

} // namespace

ModelBuilder::ModelBuilder(Project &project, qint64 modelId, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent), m_project(&project), m_modelId(modelId),
      m_model(LayerStackModel::of(project, modelId)),
      m_undo(undoStack ? undoStack : m_model ? m_model->undoStack() : new QUndoStack(this))
{
    setObjectName(QStringLiteral("ModelBuilder"));
    qint64 datasetId = 0;
    if (auto model = project.models().get(modelId)) {
        datasetId = model->datasetId;
        if (auto record = project.datasets().get(datasetId))
            m_datasetName = record->name;
    }

    auto *layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("builderHeader"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    m_messages = new MessageBar(this);
    m_messages->setObjectName(QStringLiteral("builderMessages"));
    layout->addWidget(m_messages);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(createEditor(), Icons::themed(QStringLiteral("code-block")), tr("Layers"));
    m_history = new ModelOverview(project, modelId, m_tabs);
    m_tabs->addTab(m_history, Icons::themed(QStringLiteral("view-history")),
                   tr("Versions and runs"));
    layout->addWidget(m_tabs, 1);
    // An imported TorchScript model has no layers to edit: its history is what there is to see.
    if (!m_model || !m_model->isEditable())
        m_tabs->setCurrentWidget(m_history);

    if (m_model) {
        connect(m_model, &LayerStackModel::specChanged, this, &ModelBuilder::updateState);
        connect(m_model, &LayerStackModel::insertRequested, this,
                [this](const QString &type, const LayerPath &parent, int row) {
                    push(LayerEditCommand::insert(m_model, parent, row,
                                                  LayerPalette::defaultLayer(type)));
                });
        connect(m_model, &LayerStackModel::moveRequested, this,
                [this](const LayerPath &from, const LayerPath &toParent, int row) {
                    push(LayerEditCommand::move(m_model, from, toParent, row));
                });
        connect(m_model, &LayerStackModel::paramsEditRequested, this,
                [this](const LayerPath &path, const QJsonObject &params) {
                    push(LayerEditCommand::setParams(m_model, path, params));
                });
        connect(&project, &Project::modelsChanged, this, [this] {
            if (m_model)
                m_model->reloadSaved();
            updateHeader();
            updateState();
        });
    }
    connect(&project, &Project::readOnlyChanged, this, &ModelBuilder::updateState);
    updateHeader();
    updateState();
    if (m_model && m_model->isEditable())
        readDataSet(datasetId);
}

void ModelBuilder::readDataSet(qint64 datasetId)
{
    // The data set fixes the input shape and the number of outputs (templates, checks).
    // Reading and inflating a large table takes seconds: a worker thread does it on its own
    // read-only connection.
    if (!m_project)
        return;
    m_ioLoading = true;
    QPointer<ModelBuilder> self(this);
    QThreadPool::globalInstance()->start([self, datasetId, path = m_project->path()] {
        auto result = std::make_shared<Result<ModelIo>>(ModelCatalog::ioForStored(path, datasetId));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, result] {
                if (self)
                    self->dataSetArrived(*result);
            },
            Qt::QueuedConnection);
    });
}

void ModelBuilder::dataSetArrived(const Result<ModelIo> &io)
{
    m_ioLoading = false;
    if (io) {
        m_io = *io;
        m_ioError.clear();
    } else {
        m_ioError = io.error();
    }
    updateHeader();
    updateState();
    if (!m_io)
        m_messages->showMessage(tr("The data set could not be read, so the layers are checked "
                                   "without it: %1")
                                    .arg(m_ioError),
                                MessageBar::Type::Information);
    Q_EMIT dataSetRead();
}

QWidget *ModelBuilder::createEditor()
{
    auto *page = new QWidget(m_tabs);
    auto *layout = new QVBoxLayout(page);

    auto *bar = new QHBoxLayout;
    m_templates = new QComboBox(page);
    m_templates->setObjectName(QStringLiteral("templateCombo"));
    m_templates->addItem(tr("Apply template\u2026"));
    for (const QString &kind : ModelTemplates::kinds()) {
        m_templates->addItem(kind, kind);
        m_templates->setItemData(m_templates->count() - 1, ModelTemplates::description(kind),
                                 Qt::ToolTipRole);
    }
    m_templates->setToolTip(tr("Replace the layers by a template sized for the data set "
                               "(undoable)"));
    connect(m_templates, &QComboBox::activated, this, [this](int index) {
        const QString kind = m_templates->itemData(index).toString();
        m_templates->setCurrentIndex(0);
        if (!kind.isEmpty())
            applyTemplate(kind);
    });
    bar->addWidget(m_templates);
    m_remove = toolButton(QStringLiteral("list-remove"), tr("Remove"),
                          tr("Remove the selected layer (Del)"), page);
    m_up = toolButton(QStringLiteral("go-up"), tr("Up"), tr("Move the selected layer up (Alt+Up)"),
                      page);
    m_down = toolButton(QStringLiteral("go-down"), tr("Down"),
                        tr("Move the selected layer down (Alt+Down)"), page);
    m_remove->setObjectName(QStringLiteral("removeLayer"));
    m_up->setObjectName(QStringLiteral("moveLayerUp"));
    m_down->setObjectName(QStringLiteral("moveLayerDown"));
    connect(m_remove, &QToolButton::clicked, this, &ModelBuilder::removeSelected);
    connect(m_up, &QToolButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { moveSelected(1); });
    bar->addWidget(m_remove);
    bar->addWidget(m_up);
    bar->addWidget(m_down);
    bar->addStretch(1);
    m_state = new QLabel(page);
    m_state->setObjectName(QStringLiteral("draftState"));
    bar->addWidget(m_state);
    m_save =
        new QPushButton(Icons::themed(QStringLiteral("document-save")), tr("Save Version"), page);
    m_save->setObjectName(QStringLiteral("saveVersion"));
    m_save->setToolTip(tr("Store these layers as the model's next version"));
    connect(m_save, &QPushButton::clicked, this, [this] { saveVersion(); });
    bar->addWidget(m_save);
    m_train = new QPushButton(Icons::themed(QStringLiteral("media-playback-start")),
                              tr("Train\u2026"), page);
    m_train->setObjectName(QStringLiteral("trainModel"));
    m_train->setToolTip(tr("Save the layers if changed, then choose hyperparameters and train"));
    connect(m_train, &QPushButton::clicked, this, &ModelBuilder::train);
    bar->addWidget(m_train);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Horizontal, page);
    auto *paletteBox = new QWidget(split);
    auto *paletteLayout = new QVBoxLayout(paletteBox);
    paletteLayout->setContentsMargins(0, 0, 0, 0);
    auto *paletteTitle = new QLabel(tr("<b>Layer types</b>"), paletteBox);
    paletteLayout->addWidget(paletteTitle);
    m_palette = new LayerPalette(paletteBox);
    connect(m_palette, &LayerPalette::layerChosen, this, &ModelBuilder::addLayer);
    paletteLayout->addWidget(m_palette, 1);
    auto *paletteHint = new QLabel(tr("Double-click to add after the selected layer, or drag "
                                      "into the stack."),
                                   paletteBox);
    paletteHint->setWordWrap(true);
    paletteHint->setEnabled(false);
    paletteLayout->addWidget(paletteHint);
    split->addWidget(paletteBox);

    m_view = new QTreeView(split);
    m_view->setObjectName(QStringLiteral("layerStack"));
    m_view->setAccessibleName(tr("Layer stack"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(LayerStackModel::ParamsColumn,
                                     new LayerParamsDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_view->setDragEnabled(true);
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_view->setDragDropMode(QAbstractItemView::DragDrop);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setExpandsOnDoubleClick(false);
    m_view->header()->moveSection(LayerStackModel::IndexColumn, 0);
    m_view->setTreePosition(LayerStackModel::TypeColumn);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(LayerStackModel::ParamsColumn, QHeaderView::Stretch);
    m_view->header()->resizeSection(LayerStackModel::IndexColumn, 40);
    m_view->header()->resizeSection(LayerStackModel::TypeColumn, 120);
    m_view->header()->resizeSection(LayerStackModel::ShapeColumn, 110);
    m_view->header()->resizeSection(LayerStackModel::CountColumn, 90);
    m_view->installEventFilter(this);
    if (m_model)
        connect(m_model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    m_view->expandAll();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ModelBuilder::updateState);

    // Empty state, centred on the stack.
    m_empty = new QLabel(m_view->viewport());
    m_empty->setObjectName(QStringLiteral("emptyStackHint"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    auto *emptyLayout = new QVBoxLayout(m_view->viewport());
    emptyLayout->addWidget(m_empty);
    split->addWidget(m_view);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({200, 800});
    layout->addWidget(split, 1);

    m_summary = new QLabel(page);
    m_summary->setObjectName(QStringLiteral("builderSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    return page;
}

void ModelBuilder::push(LayerEditCommand *command)
{
    if (!command)
        return;
    m_undo->push(command);
    if (!command->resultPath().empty())
        selectLayer(command->resultPath());
}

LayerPath ModelBuilder::selectedPath() const
{
    return m_model ? m_model->pathOf(m_view->currentIndex()) : LayerPath{};
}

void ModelBuilder::selectLayer(const LayerPath &path)
{
    if (!m_model)
        return;
    LayerPath p = path;
    // After a removal the path may point one past the end: take the new last row.
    while (!p.empty() && !m_model->indexOf(p).isValid()) {
        if (p.back() > 0)
            --p.back();
        else
            p.pop_back();
    }
    // The settings cell is current, so F2 edits the selected layer's settings.
    const QModelIndex index = m_model->indexOf(p, LayerStackModel::ParamsColumn);
    if (index.isValid()) {
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    }
}

void ModelBuilder::addLayer(const QString &type)
{
    if (!m_model)
        return;
    const LayerPath selected = selectedPath();
    LayerPath parent = parentOf(selected);
    const int row = selected.empty() ? m_model->rowCount() : selected.back() + 1;
    push(LayerEditCommand::insert(m_model, parent, row, LayerPalette::defaultLayer(type)));
}

void ModelBuilder::removeSelected()
{
    push(LayerEditCommand::remove(m_model, selectedPath()));
}

void ModelBuilder::moveSelected(int delta)
{
    const LayerPath from = selectedPath();
    if (from.empty() || delta == 0)
        return;
    // Row numbers before the move: one down means "before the row after the next one".
    const int to = delta < 0 ? from.back() + delta : from.back() + delta + 1;
    if (to < 0)
        return;
    push(LayerEditCommand::move(m_model, from, parentOf(from), to));
}

void ModelBuilder::applyTemplate(const QString &kind)
{
    if (!m_model)
        return;
    std::vector<qint64> input = m_io ? m_io->inputShape : m_model->spec().inputShape;
    qint64 outputs = m_io ? m_io->outputs : 0;
    if (!m_io && !m_model->savedSpec().layers.empty()) {
        const ShapeReport saved = ShapeInference::infer(m_model->savedSpec());
        if (saved.output.size() == 1)
            outputs = saved.output.front();
    }
    auto spec = ModelTemplates::make(kind, input, outputs);
    if (!spec) {
        m_messages->showMessage(tr("Cannot apply the %1 template: %2").arg(kind, spec.error()),
                                MessageBar::Type::Error);
        return;
    }
    push(LayerEditCommand::replace(m_model, *spec, tr("Apply template %1").arg(kind)));
}

bool ModelBuilder::saveVersion()
{
    if (!m_project || !m_model || !m_model->isEditable())
        return false;
    if (m_project->isReadOnly()) {
        m_messages->showMessage(tr("The project is read-only; the layers cannot be saved."),
                                MessageBar::Type::Warning);
        return false;
    }
    const ModelSpec spec = m_model->spec();
    // The data set's shape is known from the worker-thread read; without it the catalog reads
    // the data set itself (and reports why it cannot).
    ModelCatalog catalog(m_project->db());
    auto version = m_io ? catalog.addSpecVersion(m_modelId, spec.toJson(), *m_io)
                        : catalog.addSpecVersion(m_modelId, spec.toJson());
    if (!version) {
        m_messages->showMessage(tr("Not saved: %1").arg(version.error()), MessageBar::Type::Error);
        return false;
    }
    m_model->setSaved(spec, version->version);
    m_messages->showMessage(tr("Saved as version %1.").arg(version->version),
                            MessageBar::Type::Positive);
    return true;
}

void ModelBuilder::train()
{
    if (!m_model || !m_model->isEditable())
        return;
    if (m_model->isModified() && !saveVersion())
        return;
    Q_EMIT trainRequested(m_modelId);
}

bool ModelBuilder::eventFilter(QObject *watched, QEvent *event)
{
    // Del removes a layer and Alt+Up/Down move it while the stack has the focus; the window's
    // Delete (project items) must not see these keys.
    // (Keys typed into an open settings editor go to the editor, not through here.)
    if (watched == m_view &&
        (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool alt = key->modifiers() == Qt::AltModifier;
        int action = 0; // 1 remove, 2 up, 3 down
        if (key->matches(QKeySequence::Delete) || key->key() == Qt::Key_Backspace)
            action = 1;
        else if (alt && key->key() == Qt::Key_Up)
            action = 2;
        else if (alt && key->key() == Qt::Key_Down)
            action = 3;
        if (action) {
            event->accept();
            if (event->type() == QEvent::KeyPress) {
                if (action == 1)
                    removeSelected();
                else
                    moveSelected(action == 2 ? -1 : 1);
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString ModelBuilder::datasetCheck() const
{
    if (!m_io || !m_model)
        return {};
    const ShapeReport &report = m_model->report();
    if (m_model->spec().inputShape != m_io->inputShape)
        return tr("The input %1 does not match the data set's %2.")
            .arg(ShapeInference::shapeText(m_model->spec().inputShape),
                 ShapeInference::shapeText(m_io->inputShape));
    const Status s = m_io->classification
                         ? ShapeInference::checkClassifierOutput(report, m_io->outputs)
                         : ShapeInference::checkRegressionOutput(report, m_io->outputs);
    return s ? QString() : s.error();
}

void ModelBuilder::updateHeader()
{
    if (!m_project)
        return;
    auto model = m_project->models().get(m_modelId);
    if (!model)
        return;
    QStringList facts;
    if (!m_datasetName.isEmpty())
        facts << tr("for data set <b>%1</b>").arg(m_datasetName.toHtmlEscaped());
    if (m_model)
        facts << tr("input %1").arg(ShapeInference::shapeText(m_model->spec().inputShape));
    if (m_io)
        facts << (m_io->classification
                      ? tr("%n classes", nullptr, int(m_io->outputs))
                      : tr("%n regression targets", nullptr, int(m_io->outputs)));
    if (m_model && m_model->savedVersion() > 0)
        facts << tr("newest version %1").arg(m_model->savedVersion());
    m_header->setText(
        QStringLiteral("<h2 style='margin:0'>%1</h2>%2")
            .arg(model->name.toHtmlEscaped(), facts.join(QStringLiteral(" \u00b7 "))));
}

void ModelBuilder::updateState()
{
    const bool editable = m_model && m_model->isEditable();
    const bool readOnly = !m_project || m_project->isReadOnly();
    const LayerPath selected = selectedPath();
    m_palette->setEnabled(editable);
    m_templates->setEnabled(editable);
    m_remove->setEnabled(editable && !selected.empty());
    m_up->setEnabled(editable && !selected.empty() && selected.back() > 0);
    m_down->setEnabled(editable && !selected.empty() &&
                       selected.back() + 1 <
                           m_model->rowCount(m_model->indexOf(parentOf(selected))));
    const bool modified = editable && m_model->isModified();
    // Why the draft cannot be stored, said on the disabled button rather than after a click.
    QString saveBlocked;
    if (readOnly)
        saveBlocked = tr("The project is read-only");
    else if (editable && !m_model->report().ok())
        saveBlocked = tr("Cannot save: the layers are not valid (%1)").arg(m_model->report().error);
    else if (const QString check = editable ? datasetCheck() : QString(); !check.isEmpty())
        saveBlocked = tr("Cannot save: the model does not fit the data set (%1)").arg(check);
    m_save->setEnabled(editable && modified && saveBlocked.isEmpty());
    m_save->setToolTip(saveBlocked.isEmpty() ? tr("Store these layers as the model's next version")
                                             : saveBlocked);
    m_train->setEnabled(editable && !readOnly);
    m_train->setToolTip(readOnly ? tr("The project is read-only")
                                 : tr("Save the layers if changed, then choose hyperparameters "
                                      "and train"));
    if (!editable) {
        m_state->clear();
        m_summary->clear();
        m_empty->setText(m_model ? m_model->loadError() : tr("This model no longer exists."));
        m_empty->setVisible(true);
        return;
    }
    m_state->setText(
        modified ? tr("<i>Unsaved changes</i> (based on version %1)").arg(m_model->savedVersion())
                 : tr("Version %1").arg(m_model->savedVersion()));

    const bool empty = m_model->rowCount() == 0;
    // Branch arrows only take room when there is a Residual block to fold.
    bool blocks = false;
    for (int row = 0; row < m_model->rowCount() && !blocks; ++row)
        blocks = m_model->hasBody({row});
    m_view->setRootIsDecorated(blocks);
    m_empty->setText(tr("No layers yet.\nDouble-click a layer type on the left, drag it here, "
                        "or pick a template above."));
    m_empty->setVisible(empty);

    const ShapeReport &report = m_model->report();
    const QString total =
        tr("%1 parameters (%2)")
            .arg(QLocale().toString(report.totalParameters), Format::count(report.totalParameters));
    if (!report.ok()) {
        m_summary->setText(tr("%1 \u00b7 fix the highlighted layer to see the output shape")
                               .arg(layerCount(report.layers.size())));
        m_messages->showMessage(report.error, MessageBar::Type::Error);
        return;
    }
    m_summary->setText(tr("%1 \u00b7 output %2 \u00b7 %3")
                           .arg(layerCount(report.layers.size()),
                                ShapeInference::shapeText(report.output), total));
    if (empty) {
        m_messages->clear();
        return;
    }
    if (const QString check = datasetCheck(); !check.isEmpty())
        m_messages->showMessage(check, MessageBar::Type::Warning);
    else if (m_messages->type() == MessageBar::Type::Error ||
             m_messages->type() == MessageBar::Type::Warning)
        m_messages->clear();
}

} // namespace mlwb
