// SPDX-License-Identifier: MIT
// mlwb demo: the demo project dev.sh opens.

#include "cli_context.h"
#include "progress_runner.h"

#include "demo/demo_project.h"

namespace mlwb::cli {

QList<Verb> demoVerbs()
{
    Verb v{QStringLiteral("demo"), QStringLiteral("demo FILE [--datasets DIR]"),
           QStringLiteral("create the demo project: iris, digits and diabetes, a model and a "
                          "trained run each"),
           {}, {}};
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
        return int(Ok);
    };
    return {v};
}

} // namespace mlwb::cli
