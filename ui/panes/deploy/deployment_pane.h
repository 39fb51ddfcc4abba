// SPDX-License-Identifier: MIT
#pragma once

// DeploymentPane: one target's document tab. On top the target (name, URL), its health (live,
// ready) and the agent's version, with the actions Deploy…, Promote, Rollback, Set Canary
// Share… and Refresh; below, the models it serves (each version with its state, the canary's
// share), a live sparkline of the request rate and the median latency from the agent's
// /metrics (polled every 2 s while the tab is visible; a failed poll leaves a gap), "Try it"
// (the package's input example, or one row of the data set its run was trained on, sent to the
// deployed model beside the offline prediction of the same rows and, for a data set row, its
// true label), and the project's deployment history of the target. Every call to the agent runs
// on a worker thread; what goes wrong shows in the pane's message bar.

#include "common/result.h"
#include "panes/deploy/deployments_branch.h"
#include "widgets/message_bar.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QChartView;
class QComboBox;
class QLabel;
class QSpinBox;
class QLineSeries;
class QTableWidget;
class QTimer;
class QToolBar;
class QValueAxis;

namespace mlwb {

class Project;
class WorkbenchContext;

class DeploymentPane : public QWidget {
    Q_OBJECT
public:
    DeploymentPane(Project &project, qint64 targetId, WorkbenchContext *workbench,
                   std::shared_ptr<TargetHealthBook> health, QWidget *parent = nullptr);
    ~DeploymentPane() override;

    qint64 targetId() const { return m_id; }
    QString targetName() const { return m_name; }
    // Asks the agent again (health, version, models) and reads the project's history.
    void refresh();
    // The model the actions act on: the selected row's, else the only one.
    QString currentModel() const;
    // The management calls, on a worker thread; the pane refreshes after each.
    void promote(const QString &model);
    void rollback(const QString &model);
    void setCanaryShare(const QString &model, int percent);
    // Try it: the newest package of `model` in the project to the agent, with what tryInput()
    // says: the package's input example, or one row of the package's data set.
    void tryIt(const QString &model);
    // What Try it sends: nullopt the package's input example, else that row (0-based) of the
    // data set the package's run was trained on. The pane shows it 1-based.
    std::optional<qint64> tryInput() const;
    void setTryInput(std::optional<qint64> datasetRow);

    // One message bar per message: what concerns target `targetName` (a Deploy… job's outcome)
    // shows in its tab's bar when the tab is open, else in the window's. Showing it in both
    // stacked two bars on the tab.
    static void report(WorkbenchContext &workbench, const QString &targetName, const QString &text, MessageBar::Type type);

    // For tests and the shell.
    QLabel *healthLabel() const { return m_health; }
    QLabel *versionLabel() const { return m_version; }
    QTableWidget *modelsTable() const { return m_models; }
    QTableWidget *historyTable() const { return m_history; }
    QTableWidget *tryTable() const { return m_try; }
    QComboBox *tryInputBox() const { return m_tryInput; }
    QSpinBox *tryRowBox() const { return m_tryRow; }
    QChartView *sparkline() const { return m_spark; }
    MessageBar *messageBar() const { return m_message; }
    QToolBar *toolBar() const { return m_toolBar; }
    bool busy() const { return m_pending > 0; }
    // The active version of a model as the table shows it; empty: none.
    QString activeVersion(const QString &model) const;
    // Polled points so far (a gap is a NaN rate).
    int sparkPoints() const { return m_points; }

Q_SIGNALS:
    // After each answer of the agent was shown (a refresh, an action, a Try it), errors included.
    void refreshed();
    void triedIt();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Snapshot;
    void readHistory();
    void showSnapshot(const Snapshot &s);
    void management(const QString &what, std::function<Result<QJsonObject>()> call);
    void pollMetrics();
    void addSparkPoint(std::optional<double> rate, std::optional<double> p50Ms);
    void updateActions();
    // The newest package named `model` in the project; 0: none.
    qint64 newestPackage(const QString &model) const;
    // The row spin box's range: the rows of the current model's data set.
    void updateTryRange();

    QPointer<Project> m_project;
    qint64 m_id;
    QString m_name;
    QString m_projectPath;
    WorkbenchContext *m_workbench;
    std::shared_ptr<TargetHealthBook> m_healthBook;
    MessageBar *m_message;
    QLabel *m_title;
    QLabel *m_health;
    QLabel *m_version;
    QToolBar *m_toolBar;
    QTableWidget *m_models;
    QTableWidget *m_history;
    QTableWidget *m_try;
    QComboBox *m_tryInput;
    QSpinBox *m_tryRow;
    QChartView *m_spark;
    QLineSeries *m_rate;
    QLineSeries *m_latency;
    QValueAxis *m_axisX;
    QValueAxis *m_axisRate;
    QValueAxis *m_axisLatency;
    QTimer *m_poll;
    QDateTime m_started;
    // The previous scrape: requests and the duration buckets summed over every series.
    struct Scrape {
        QDateTime at;
        double requests = 0;
        QList<std::pair<double, double>> buckets; // (le, count)
    };
    std::optional<Scrape> m_lastScrape;
    bool m_polling = false;
    int m_points = 0;
    int m_pending = 0;
    QJsonArray m_lastModels;
    QString m_actionError;
};

} // namespace mlwb
