// SPDX-License-Identifier: MIT
#pragma once

// JobsPane: every job of the JobManager with its progress, ETA and a Cancel button.

#include <QWidget>

class QTreeView;

namespace mlwb {

class JobListModel;
class JobManager;

class JobsPane : public QWidget {
    Q_OBJECT
public:
    explicit JobsPane(JobManager *manager, QWidget *parent = nullptr);

    JobListModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

private:
    void addCancelButtons(int first, int last);
    void updateButtons();

    JobManager *m_manager;
    JobListModel *m_model;
    QTreeView *m_view;
};

} // namespace mlwb
