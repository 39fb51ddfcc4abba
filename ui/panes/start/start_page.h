// SPDX-License-Identifier: MIT
#pragma once

// StartPage: what the document area shows while no project is open: New, Open, the demo
// project, and the recent projects with their path and last change.

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace mlwb {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);

    // Re-reads the recent projects and looks for the demo project.
    void refresh();
    // Where the demo project is looked for: $MLWB_DEMO_PROJECT, else ../demo/demo.mlwb next to
    // the executable.
    static QString demoProjectPath();

    QListWidget *recentList() const { return m_recent; }

Q_SIGNALS:
    void newRequested();
    void openRequested();
    void openPathRequested(const QString &path);

private:
    QPushButton *m_demo;
    QLabel *m_demoHint;
    QListWidget *m_recent;
    QLabel *m_recentEmpty;
};

} // namespace mlwb
