// SPDX-License-Identifier: MIT
#pragma once

// ReadOnlyBanner: the message bar shown while the project is read-only, saying who is writing,
// with "Try to edit" (takes the write lease if it is free now).

#include "store/project.h"
#include "widgets/message_bar.h"

#include <QPointer>

class QAction;

namespace mlwb {

class ReadOnlyBanner : public MessageBar {
    Q_OBJECT
public:
    explicit ReadOnlyBanner(QWidget *parent = nullptr);
    void setProject(Project *project);
    QAction *tryEditAction() const { return m_tryEdit; }

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    void update();

    QPointer<Project> m_project;
    QAction *m_tryEdit;
};

} // namespace mlwb
