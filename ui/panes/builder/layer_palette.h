// SPDX-License-Identifier: MIT
#pragma once

// LayerPalette: the layer types of LayerCatalog grouped by what they do (dense, convolution,
// activation, ...). Double-click or Enter adds the type to the stack; dragging drops it at a
// place in the stack, or into a Residual block's body.

#include "model/layer_spec.h"

#include <QTreeWidget>

namespace mlwb {

class LayerPalette : public QTreeWidget {
    Q_OBJECT
public:
    explicit LayerPalette(QWidget *parent = nullptr);

    // The item of a layer type (tests drive it), or nullptr.
    QTreeWidgetItem *itemOf(const QString &type) const;

    // A new layer of this type whose required settings have usable values (Linear out=64,
    // Conv2d 16 channels with a 3x3 kernel that keeps the size, pools of 2).
    static LayerSpec defaultLayer(const QString &type);

Q_SIGNALS:
    void layerChosen(const QString &type);

protected:
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QList<QTreeWidgetItem *> &items) const override;
};

} // namespace mlwb
