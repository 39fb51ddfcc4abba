// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

// DeployFeature: deployment targets in the workbench: the target item kind (Inspector facts,
// delete, --open target:NAME), the explorer's Deployments branch, the Deployment tab
// (DeploymentPane), and the Deploy menu's commands: Add Target…, Remove Target (the explorer's
// Delete), Deploy… (on a package or a target: a DeployJob with upload progress in Jobs). One
// line in Features::install.

#include "common/result.h"
#include "deploy/deploy_job.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class Project;
class WorkbenchContext;

class DeployFeature {
public:
    static void install(WorkbenchContext &workbench);

    // What Add Target… does after its dialog: the target into the project, its token (pasted,
    // or the first line of tokenFile) into the user's TokenStore. Nothing is stored when the
    // token or the CA certificate cannot be read.
    static Result<qint64> addTarget(Project &project, const QString &name, const QString &url,
                                    const QString &caCertFile, const QByteArray &token, const QString &tokenFile = {});
    // What Deploy… does after its dialog: a DeployJob in the Jobs pane; the job's id.
    static int startDeploy(WorkbenchContext &workbench, DeployJob::Request request);
    // Starts the local agent (or finds it running) as a job; when it runs, points the open
    // project's target "local" at it, then calls `then` with its URL (or, without `then`, says
    // where it runs). The job's id.
    static int startLocalAgent(WorkbenchContext &workbench, std::function<void(const QString &url)> then);
};

} // namespace mlwb
