// SPDX-License-Identifier: MIT
#pragma once

// TrainCommands: the train area's window commands. Run > Train (Ctrl+R) on a model, or on a run
// (its model), opens a TrainDialog and submits a TrainJob owned by this process's lease; the
// new run shows up in the explorer and its tab opens as soon as it exists. Run > Stop (Ctrl+.)
// cancels the jobs of the selected runs. On a data set, the explorer offers New Model from
// Template (NewModelDialog).

#include "common/item_ref.h"

#include <QHash>
#include <QObject>

class QAction;

namespace mlwb {

class WorkbenchContext;
class NewModelDialog;
class TrainDialog;

class TrainCommands : public QObject {
    Q_OBJECT
public:
    // Sets the window's train/stop hooks; the object lives as a child of the workbench.
    static TrainCommands *install(WorkbenchContext &workbench);

    // The job training this run, or 0.
    int jobOfRun(qint64 runId) const;
    // The dialog opened by the last Train, while it is open (tests drive it).
    TrainDialog *openDialog() const { return m_dialog; }
    // Explorer context action on a data set, and the dialog it opened while open.
    QAction *newModelAction() const;
    NewModelDialog *openNewModelDialog() const { return m_newModelDialog; }
    void newModel(qint64 datasetId);

    void train(const QList<ItemRef> &selection);
    bool canTrain(const QList<ItemRef> &selection) const;
    void stop(const QList<ItemRef> &selection);
    bool canStop(const QList<ItemRef> &selection) const;

private:
    explicit TrainCommands(WorkbenchContext &workbench);
    QString modelNameFor(const ItemRef &ref) const;
    void submit(const QString &modelName, const TrainDialog &dialog);
    void runCreated(int jobId, qint64 runId);

    WorkbenchContext &m_workbench;
    TrainDialog *m_dialog = nullptr;
    NewModelDialog *m_newModelDialog = nullptr;
};

} // namespace mlwb
