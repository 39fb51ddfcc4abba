// SPDX-License-Identifier: MIT
#pragma once

// LayerStackModel: the editable layer stack of one model, as a tree (a Residual block's body
// under its row) with columns #, layer, parameters, output shape and parameter count. It holds
// the unsaved draft: it lives as long as the open project (a child of the Project), so closing
// the builder tab loses neither the edits nor their undo history. Shapes, parameter counts and
// errors come from ShapeInference after every edit.
//
// The model never edits itself on a user gesture: a drop or an in-place parameter edit is
// announced with a *Requested signal, the builder pushes a LayerEditCommand, and the command
// calls the edit functions below.

#include "model/model_spec.h"
#include "model/shape_inference.h"

#include <QAbstractItemModel>
#include <QJsonObject>

#include <map>
#include <memory>
#include <vector>

class QUndoStack;

namespace mlwb {

class Project;

using LayerPath = std::vector<int>; // as in LayerShape::path

class LayerStackModel : public QAbstractItemModel {
    Q_OBJECT
public:
    // The type comes first so that the tree (and QAbstractItemModelTester) keys on it; the
    // builder shows the # column first.
    enum Column { TypeColumn, IndexColumn, ParamsColumn, ShapeColumn, CountColumn, ColumnCount };
    enum Role { ErrorRole = Qt::UserRole + 1 };

    static constexpr const char *kLayerTypeMime = "application/x-mlwb-layer-type";
    static constexpr const char *kLayerPathMime = "application/x-mlwb-layer-path";

    // The draft of a model in this project: made from its newest version on first use, the same
    // object afterwards. nullptr when the model does not exist.
    static LayerStackModel *of(Project &project, qint64 modelId);
    // The draft's edits, undoable as long as the project is open (closing the tab keeps them).
    QUndoStack *undoStack() const { return m_undo; }

    qint64 modelId() const { return m_modelId; }
    // False for an imported TorchScript model (no layers to edit); loadError() says why.
    bool isEditable() const { return m_editable; }
    QString loadError() const { return m_loadError; }

    const ModelSpec &spec() const { return m_spec; }
    const ShapeReport &report() const { return m_report; }
    // The newest stored version this draft started from, and whether the draft differs.
    const ModelSpec &savedSpec() const { return m_saved; }
    int savedVersion() const { return m_savedVersion; }
    bool isModified() const { return m_spec != m_saved; }
    // After a save, or when another process added a version (only taken while unmodified).
    void setSaved(const ModelSpec &spec, int version);
    // Rereads the newest version from the project; the draft follows it when unmodified.
    void reloadSaved();

    QModelIndex indexOf(const LayerPath &path, int column = 0) const;
    LayerPath pathOf(const QModelIndex &index) const;
    const LayerShape *shapeOf(const LayerPath &path) const;
    // A copy of the layer at path (with its body); nullptr-safe: an empty type when absent.
    LayerSpec layerAt(const LayerPath &path) const;
    bool hasBody(const LayerPath &path) const;

    // Edits; each keeps shapes and counts up to date and emits specChanged().
    void insertLayer(const LayerPath &parent, int row, const LayerSpec &layer);
    void removeLayer(const LayerPath &path);
    // `toRow` counts rows of toParent before the move, as QAbstractItemModel::beginMoveRows;
    // returns the layer's new path, or an empty path when the move is impossible or a no-op.
    LayerPath moveLayer(const LayerPath &from, const LayerPath &toParent, int toRow);
    void setParams(const LayerPath &path, const QJsonObject &params);
    void setSpec(const ModelSpec &spec);

    // "out=128, bias=false" and back; values are parsed as bool, integer, real, else kept as
    // text so that LayerCatalog::validate names the bad value.
    static QString paramsText(const QJsonObject &params);
    static QJsonObject parseParams(const QString &text);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

Q_SIGNALS:
    void specChanged();
    void modifiedChanged(bool modified);
    void insertRequested(const QString &type, const mlwb::LayerPath &parent, int row);
    void moveRequested(const mlwb::LayerPath &from, const mlwb::LayerPath &toParent, int row);
    void paramsEditRequested(const mlwb::LayerPath &path, const QJsonObject &params);

private:
    struct Node {
        QString type;
        QJsonObject params;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        int row() const;
    };

    LayerStackModel(Project &project, qint64 modelId);
    static std::unique_ptr<Node> makeNode(const LayerSpec &layer, Node *parent);
    static LayerSpec toLayer(const Node &node);
    static LayerPath pathOfNode(const Node *node);
    Node *nodeAt(const LayerPath &path) const;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    void rebuild();
    void afterEdit();
    QString typeTooltip(const Node &node) const;

    Project &m_project;
    qint64 m_modelId;
    QUndoStack *m_undo;
    bool m_editable = true;
    QString m_loadError;
    Node m_root;
    ModelSpec m_spec;
    ModelSpec m_saved;
    int m_savedVersion = 0;
    ShapeReport m_report;
    std::map<LayerPath, int> m_rowOfPath; // into m_report.layers
    bool m_wasModified = false;
};

} // namespace mlwb
