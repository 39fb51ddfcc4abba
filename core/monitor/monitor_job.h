// SPDX-License-Identifier: MIT
#pragma once

// MonitorJob: a target watched from the workbench, as a job in the Jobs pane that polls at the
// target's interval until it is cancelled (Pause in the Monitoring tab, or Cancel in Jobs). It
// opens its own connection to the project file, so polling never waits on the GUI thread nor
// blocks it. After each poll it posts a "polled" event ({"ok", "error", "points", "t_ms"}) and
// one "alert" event per alert that fired or cleared ({"fired", "id", "message", "model",
// "version", "rule_id"}), which the workbench turns into desktop notifications. A failed write
// to the project file ends the job with its reason; an agent that does not answer does not.

#include "common/item_ref.h"
#include "jobs/job.h"

#include <QString>

namespace mlwb {

class MonitorJob : public Job {
public:
    // `intervalMs` 0: the target's monitor setting.
    MonitorJob(QString projectPath, qint64 targetId, QString targetName, qint64 intervalMs = 0);

    QString title() const override;
    Status run(JobFeedback &feedback) override;
    ItemRef subject() const override;

private:
    QString m_projectPath;
    qint64 m_targetId;
    QString m_targetName;
    qint64 m_intervalMs;
};

} // namespace mlwb
