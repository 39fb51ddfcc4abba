// SPDX-License-Identifier: MIT
// mlwb demo: the demo project dev.sh opens.

#include "cli_context.h"
#include "progress_runner.h"

#include "demo/demo_project.h"
#include "deploy/deploy_job.h"
#include "deploy/local_agent.h"
#include "store/project_file.h"

namespace mlwb::cli {

QList<Verb> demoVerbs()
{
    Verb v{QStringLiteral("demo"), QStringLiteral("demo FILE [--datasets DIR] [--deploy]"),
           QStringLiteral("create the demo project: iris, digits and diabetes, a model and a "
                          "trained run each, a checked package and a simulated week of its monitoring on the target "
                          "`local` (one drifted feature, its alert firing); --deploy: and deploy it to the local agent"),
           {}, {QStringLiteral("deploy")}};
    v.run = [v](const Args &a) {
        if (a.positional.size() != 1)
            return usageError(v, QStringLiteral("expected FILE"));
        const QString dir = a.value(QStringLiteral("datasets"), DemoProject::datasetsDir(QStringLiteral(MLWB_BUILD_TREE_DATASETS)));
        auto status = runWithProgress(QStringLiteral("demo"), [&](JobFeedback &feedback) {
            return DemoProject::create(a.positional[0], dir, &feedback);
        });
        if (!status)
            return failure(status.failure());
        out() << "created demo project " << a.positional[0] << Qt::endl;
        if (!a.has(QStringLiteral("deploy")))
            return int(Ok);
        // The local agent (started, or found running), the project's target `local`, and the
        // demo's package deployed to it.
        const LocalAgent agent;
        auto running = agent.start();
        if (!running)
            return failure(running.failure().reworded(QStringLiteral("the demo's deployment: %1").arg(running.error())));
        {
            auto project = openProject(a.positional[0], QStringLiteral("mlwb demo"));
            if (!project)
                return int(Failure);
            if (Status s = LocalAgent::registerTarget(project->db(), running->url); !s)
                return failure(s.failure());
        }
        DeployJob::Request r;
        r.projectPath = a.positional[0];
        r.packageRef = QString::fromLatin1(DemoProject::kPackage);
        r.target = QString::fromLatin1(LocalAgent::kTargetName);
        DeployJob job(r);
        const Status deployed = runWithProgress(QStringLiteral("deploy"), [&](JobFeedback &feedback) { return job.run(feedback); });
        if (!deployed)
            return failure(deployed.failure());
        out() << "deployed " << r.packageRef << " to the local agent on " << running->url << Qt::endl;
        return int(Ok);
    };
    return {v};
}

} // namespace mlwb::cli
