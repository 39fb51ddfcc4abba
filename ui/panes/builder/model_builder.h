// SPDX-License-Identifier: MIT
#pragma once

// ModelBuilder: a model's document tab. A palette of layer types, the layer stack with live
// output shapes and parameter counts (settings edited in place, drag to reorder, invalid layers
// highlighted with the message), templates, Save version and Train; a second tab keeps the
// model's versions and runs (ModelOverview). Every edit is a LayerEditCommand on the given undo
// stack (the window's); the draft itself is the model's LayerStackModel.

#include "panes/builder/layer_stack_model.h"
#include "model/model_catalog.h"

#include <QPointer>
#include "commands/undo_document.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QToolButton;
class QTreeView;
class QUndoStack;

namespace mlwb {

class LayerEditCommand;
class LayerPalette;
class MessageBar;
class ModelOverview;
class Project;

class ModelBuilder : public QWidget, public UndoDocument {
    Q_OBJECT
public:
    // Without an undo stack the builder keeps its own.
    ModelBuilder(Project &project, qint64 modelId, QUndoStack *undoStack,
                 QWidget *parent = nullptr);

    qint64 modelId() const { return m_modelId; }
    LayerStackModel *stackModel() const { return m_model; }
    QTreeView *stackView() const { return m_view; }
    LayerPalette *palette() const { return m_palette; }
    QComboBox *templateCombo() const { return m_templates; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *trainButton() const { return m_train; }
    MessageBar *messageBar() const { return m_messages; }
    QLabel *summaryLabel() const { return m_summary; }
    QTabWidget *tabs() const { return m_tabs; }
    ModelOverview *history() const { return m_history; }
    QUndoStack *undoStack() const { return m_undo; }
    QUndoStack *documentUndoStack() const override { return m_undo; }
    // The data set (input shape, classes) is read on a worker thread when the tab opens; until
    // then templates and checks go by the stored spec.
    bool isReadingDataSet() const { return m_ioLoading; }

    // What the buttons, the palette and the keys do (also for tests).
    void addLayer(const QString &type);
    void removeSelected();
    void moveSelected(int delta);
    void applyTemplate(const QString &kind);
    void selectLayer(const LayerPath &path);
    LayerPath selectedPath() const;
    // Stores the draft as the model's next version; false (message in the bar) when it is not
    // valid for the data set or the project is read-only.
    bool saveVersion();
    // Saves when modified, then asks for a training run of the newest version.
    void train();

Q_SIGNALS:
    // The window opens its train dialog (hyperparameters) for the model.
    void trainRequested(qint64 modelId);
    void dataSetRead();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createEditor();
    void push(LayerEditCommand *command);
    void updateState();
    void updateHeader();
    QString datasetCheck() const;
    void readDataSet(qint64 datasetId);
    void dataSetArrived(const Result<ModelIo> &io);

    QPointer<Project> m_project;
    qint64 m_modelId;
    LayerStackModel *m_model = nullptr;
    QUndoStack *m_undo;
    std::optional<ModelIo> m_io; // unknown when the data set cannot be read
    QString m_datasetName;
    QString m_ioError;
    bool m_ioLoading = false;

    QLabel *m_header = nullptr;
    MessageBar *m_messages = nullptr;
    QTabWidget *m_tabs = nullptr;
    LayerPalette *m_palette = nullptr;
    QTreeView *m_view = nullptr;
    QLabel *m_empty = nullptr;
    QComboBox *m_templates = nullptr;
    QToolButton *m_remove = nullptr;
    QToolButton *m_up = nullptr;
    QToolButton *m_down = nullptr;
    QLabel *m_state = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_train = nullptr;
    QLabel *m_summary = nullptr;
    ModelOverview *m_history = nullptr;
};

} // namespace mlwb
