// SPDX-License-Identifier: MIT
#pragma once

// ModelOverview: a model's Versions page (the builder's second tab): its versions (a row per
// version with its layer and parameter counts), the layers of the selected version, or what
// changed against another version, and the runs trained from it. The selected version can be
// trained ("Train This Version...", through the window's train.run on a model version) or
// restored as the newest version (confirmed, through model.restoreVersion).

#include "store/project.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace mlwb {

class ModelOverview : public QWidget {
    Q_OBJECT
public:
    ModelOverview(Project &project, qint64 modelId, QWidget *parent = nullptr);
    void reload();

    QTableWidget *versionsTable() const { return m_versions; }
    QTableWidget *layersTable() const { return m_layers; }
    QLabel *layersTitle() const { return m_layersTitle; }
    QComboBox *compareCombo() const { return m_compare; }
    QPushButton *trainButton() const { return m_train; }
    QPushButton *restoreButton() const { return m_restore; }
    // Exports the newest finished run of the selected version (its trained weights).
    QPushButton *exportButton() const { return m_export; }
    // That run for a version number, or 0 when none of its runs has finished.
    qint64 exportableRun(int version) const;
    QTableWidget *runsTable() const { return m_runs; }

    // The selected version's number (0: none), and selecting one as a click on its row would.
    int selectedVersion() const;
    void selectVersion(int version);
    // Compares the selected version with `version` (0: shows its layers instead).
    void compareWith(int version);
    // Asks, then requests the selected version be saved as the newest; ask=false skips the
    // question (tests).
    void restoreSelected(bool ask = true);

Q_SIGNALS:
    // The row id of the version (ModelVersionRecord::id).
    void trainVersionRequested(qint64 versionId);
    void restoreVersionRequested(qint64 versionId);
    void exportRunRequested(qint64 runId);

private:
    void showSelected();
    void showLayers(const ModelVersionRecord &version);
    void showDiff(const ModelVersionRecord &from, const ModelVersionRecord &to);
    const ModelVersionRecord *versionRecord(int version) const;

    QPointer<Project> m_project;
    qint64 m_id;
    bool m_torchScript = false;
    QList<ModelVersionRecord> m_versionList;
    QLabel *m_header;
    QTableWidget *m_versions;
    QLabel *m_layersTitle;
    QComboBox *m_compare;
    QPushButton *m_train;
    QPushButton *m_restore;
    QPushButton *m_export;
    QHash<int, qint64> m_finishedRunOfVersion; // the newest finished run per version
    QTableWidget *m_layers;
    QTableWidget *m_runs;
};

} // namespace mlwb
