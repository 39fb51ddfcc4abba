// SPDX-License-Identifier: MIT
#pragma once

// PackagePane: a sealed package's document tab. On top its name:version, state and signature,
// with the package's actions (Run Checks, Sign, Override Gate, Export, Export for Triton); below,
// in one scrolling page: the manifest (input features, output, runtime, author), the lineage as
// links to the run, data set and model tabs, the test split's metrics, every entry with its size
// and SHA-256, the check report (a table against the thresholds, the robustness cases, latency
// by batch size and throughput by thread count) or a Run Checks button while there is none, and
// the recorded overrides. It reads the package again when the project's packages change.

#include "common/item_ref.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QChartView;
class QGroupBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableWidget;
class QToolBar;

namespace mlwb {

class MessageBar;
class Project;
class WorkbenchContext;

class PackagePane : public QWidget {
    Q_OBJECT
public:
    PackagePane(Project &project, qint64 packageId, WorkbenchContext *workbench, QWidget *parent = nullptr);

    qint64 packageId() const { return m_id; }
    // Reads the package from the project again and shows it.
    void reload();

    // For tests and for the shell.
    QLabel *title() const { return m_title; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *signature() const { return m_signature; }
    QLabel *lineage(const QString &what) const; // "run", "dataset", "model"
    QLabel *manifestField(const QString &what) const; // "input", "output", "runtime", "author", ...
    QTableWidget *metrics() const { return m_metrics; }
    QTableWidget *entries() const { return m_entries; }
    QTableWidget *checks() const { return m_checks; }
    QTableWidget *robustness() const { return m_robustness; }
    QTableWidget *overrides() const { return m_overrides; }
    QChartView *latencyChart() const { return m_latency; }
    QChartView *throughputChart() const { return m_throughput; }
    QPushButton *runChecksButton() const { return m_runChecks; }
    bool hasCheckReport() const;
    MessageBar *messageBar() const { return m_message; }
    QToolBar *toolBar() const { return m_toolBar; }
    QTabWidget *tabs() const { return m_tabs; } // Overview, Checks
    // Writes a chart as PNG or SVG, or its numbers as CSV, by the path's suffix (what the
    // charts' right-click menu does after asking where); the message bar confirms or says why not.
    bool exportChart(QChartView *view, const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    void openLink(const QString &link);
    void updateRunChecks();
    void showChecks(const QJsonObject &checks);
    void showLatency(const QJsonObject &latency);
    QLabel *addField(QGroupBox *box, const QString &key, const QString &label);

    QPointer<Project> m_project;
    qint64 m_id;
    WorkbenchContext *m_workbench;
    MessageBar *m_message;
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_signature;
    QToolBar *m_toolBar;
    QTabWidget *m_tabs;
    QTableWidget *m_metrics;
    QTableWidget *m_entries;
    QStackedWidget *m_checksStack;
    QLabel *m_checksSummary;
    QTableWidget *m_checks;
    QTableWidget *m_robustness;
    QChartView *m_latency;
    QChartView *m_throughput;
    QPushButton *m_runChecks;
    QGroupBox *m_overridesBox;
    QTableWidget *m_overrides;
    QHash<QString, QLabel *> m_fields;
    QJsonObject m_lastChecks;
    bool m_shown = false;
};

} // namespace mlwb
