// SPDX-License-Identifier: MIT
#pragma once

// TrainCommands: the train area's window commands. Run > Train (Ctrl+R) on a model or on one of
// its versions opens a TrainDialog; on a run it is "Train again": the dialog opens with that
// run's hyperparameters and model version. It submits a TrainJob owned by this process's
// lease; the new run shows up in the explorer and its tab opens as soon as it exists.
// Run > Stop (Ctrl+.) cancels the jobs of the selected runs; Run > Resume continues an
// interrupted run from its latest checkpoint (as `mlwb train --resume`). File > Export
// TorchScript writes a finished run's trained model. On a data set, the explorer offers New
// Model from Template (NewModelDialog).

#include "common/item_ref.h"

#include "common/result.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QAction;

namespace mlwb {

class WorkbenchContext;
class NewModelDialog;
class TrainDialog;
struct TrainRequest;

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
    // Continues the selected interrupted run in a job of this process.
    void resume(const QList<ItemRef> &selection);
    bool canResume(const QList<ItemRef> &selection) const;
    // Writes a finished run's trained model (TorchScript, preprocessing inside) to `path`.
    Status exportTorchScript(qint64 runId, const QString &path);

private:
    explicit TrainCommands(WorkbenchContext &workbench);
    QString modelNameFor(const ItemRef &ref) const;
    void submit(TrainRequest request);
    void runCreated(int jobId, qint64 runId);

    WorkbenchContext &m_workbench;
    TrainDialog *m_dialog = nullptr;
    NewModelDialog *m_newModelDialog = nullptr;
    QPointer<QAction> m_openFolder; // the last export's "Open Folder"
};

} // namespace mlwb
