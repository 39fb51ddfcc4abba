// SPDX-License-Identifier: MIT
#pragma once

// MonitoringPane: a target's Monitoring tab. Live charts of what its monitor stored (throughput,
// latency p50/p95/p99 from the histogram buckets, error rate, the predictions against the
// training split's), every feature's drift against the package's baseline with a traffic light
// and the statistic behind it, the offline evaluation of the run that produced the deployed
// package beside what production sees, the alerts that fired and the rules (thresholds and
// for-durations editable in place). Time range 15 min, 1 h, 24 h, 7 days or custom; Pause
// freezes the view while the watch goes on; Watch starts or stops polling the target.
//
// Everything is read and computed off the GUI thread (load()); the GUI thread only shows the
// result (show()), which bench_monitor_ui measures. A gap (no poll answered) is a break in the
// lines, never a drop to zero; an agent restart is marked, never a negative rate.

#include "monitor/monitor_summary.h"
#include "store/records.h"

#include <QDateTime>
#include <QPointer>
#include <QWidget>

#include <map>
#include <optional>
#include <vector>

class QAction;
class QChartView;
class QComboBox;
class QLabel;
class QTableWidget;
class QTimer;
class QToolBar;

namespace mlwb {

class EmptyState;
class MessageBar;
class MonitorWatcher;
class Project;
class WorkbenchContext;

class MonitoringPane : public QWidget {
    Q_OBJECT
public:
    // What the tab shows, read and computed on a worker thread.
    struct Data {
        QString error;
        TargetRecord target;
        MonitorConfig config;
        qint64 fromMs = 0, toMs = 0;
        std::vector<qint64> slotEnds;
        struct Series {
            std::vector<double> rps, errorRate, p50, p95, p99;
        };
        std::map<QString, Series> byModel; // "" : every model
        std::vector<qint64> resets;        // poll times of agent restarts
        std::vector<std::pair<qint64, QString>> failures; // failed polls
        MonitorSummary summary;
        QList<AlertRecord> alerts; // firing first, then the newest cleared
        QList<AlertRuleRecord> rules;
        // The offline evaluation of the run behind each served version (by "model version").
        struct Offline {
            QString runName;
            qint64 runId = 0;
            QStringList classes;
            std::vector<double> testShare;      // the test split's true classes
            std::vector<double> predictedShare; // what the model predicted on it
            QJsonObject metrics;
        };
        std::map<QString, Offline> offline;
        bool hasPoints() const { return !summary.versions.isEmpty() || !failures.empty(); }
    };

    MonitoringPane(Project &project, qint64 targetId, WorkbenchContext *workbench, MonitorWatcher *watcher,
                   QWidget *parent = nullptr);
    ~MonitoringPane() override;

    static Data load(const QString &projectPath, qint64 targetId, qint64 fromMs, qint64 toMs, int slots);
    // Shows `data` (GUI thread).
    void show(const Data &data);

    qint64 targetId() const { return m_targetId; }
    // Reads again now (off the GUI thread) unless paused; reloaded() when shown.
    void reload();
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // 0: 15 min, 1: 1 h, 2: 24 h, 3: 7 days; custom: setCustomRange.
    void setRangeIndex(int index);
    void setCustomRange(const QDateTime &from, const QDateTime &to);
    // Selects the alert's row (the explorer opened the tab from it).
    void selectAlert(qint64 alertId);
    // The drift alert selected in the alerts table, 0: none.
    qint64 selectedDriftAlert() const;

    // For tests and the shell.
    const Data &data() const { return m_data; }
    QChartView *throughputChart() const { return m_throughput; }
    QChartView *latencyChart() const { return m_latency; }
    QChartView *errorChart() const { return m_errors; }
    QChartView *predictionChart() const { return m_predictions; }
    QChartView *featureChart() const { return m_feature; }
    QTableWidget *driftTable() const { return m_drift; }
    QTableWidget *alertsTable() const { return m_alerts; }
    QTableWidget *rulesTable() const { return m_rules; }
    QTableWidget *offlineTable() const { return m_offline; }
    QComboBox *rangeBox() const { return m_range; }
    QComboBox *modelBox() const { return m_model; }
    QLabel *statusLabel() const { return m_status; }
    MessageBar *messageBar() const { return m_message; }
    QAction *watchAction() const { return m_watch; }
    QAction *pauseAction() const { return m_pause; }
    QAction *retrainAction() const { return m_retrain; }
    bool loading() const { return m_loading; }

Q_SIGNALS:
    void reloaded();
    // Retrain From Alert… on the selected drift alert.
    void retrainRequested(qint64 alertId);

private:
    void updateStatus();
    void showModel();
    void showFeature();
    void showRules();
    void showAlerts();
    void showOffline();
    void ruleEdited(int row, int column);
    void editSettings();
    std::pair<qint64, qint64> range() const;
    QString currentModel() const;

    QPointer<Project> m_project;
    QString m_projectPath;
    qint64 m_targetId;
    WorkbenchContext *m_workbench;
    QPointer<MonitorWatcher> m_watcher;
    Data m_data;
    bool m_paused = false;
    bool m_loading = false;
    bool m_reloadAgain = false;
    bool m_filling = false; // tables being filled: their edits are not the user's
    int m_rangeIndex = 1;
    std::optional<std::pair<QDateTime, QDateTime>> m_custom;

    MessageBar *m_message;
    QLabel *m_title;
    QLabel *m_status;
    QToolBar *m_toolBar;
    QComboBox *m_range;
    QComboBox *m_model;
    QAction *m_watch;
    QAction *m_pause;
    QAction *m_refresh;
    QAction *m_settings;
    QAction *m_retrain;
    EmptyState *m_empty;
    QWidget *m_content;
    QChartView *m_throughput;
    QChartView *m_latency;
    QChartView *m_errors;
    QChartView *m_predictions;
    QChartView *m_feature;
    QTableWidget *m_drift;
    QTableWidget *m_offline;
    QTableWidget *m_alerts;
    QTableWidget *m_rules;
    QTimer *m_timer;
};

} // namespace mlwb
