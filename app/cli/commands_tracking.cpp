// SPDX-License-Identifier: MIT
// mlwb tracking-server: the MLflow-compatible tracking endpoint (issue #15) on a project file,
// headless, for a training box or CI. Scripts that log with MLflow's client point
// MLFLOW_TRACKING_URI at it and their runs land in FILE, beside the workbench's own.

#include "cli_context.h"
#include "progress_runner.h"

#include "serve/agent_config.h"
#include "store/project_file.h"
#include "tracking/tracking_server.h"

#include <QJsonObject>

#include <chrono>
#include <csignal>
#include <thread>

namespace mlwb::cli {

namespace {

int trackingServer(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected one project FILE"));
    TrackingServer::Options options;
    if (a.has(QStringLiteral("listen")))
        if (Status s = TrackingServer::parseListen(a.value(QStringLiteral("listen")), options); !s)
            return usageError(v, s.error());
    if (a.has(QStringLiteral("token-file"))) {
        AgentConfig c; // the agent's rule: the first line, in a file only its owner reads
        c.tokenFile = a.value(QStringLiteral("token-file"));
        Result<QByteArray> token = c.readToken();
        if (!token)
            return failure(token.failure());
        options.token = *token;
    }
    // The lease says who writes the file (and upgrades it to the schema that has experiments).
    auto project = openProject(a.positional.first(), QStringLiteral("mlwb tracking-server"));
    if (!project)
        return Failure;
    Result<std::unique_ptr<TrackingServer>> server = TrackingServer::start(project->path(), options);
    if (!server)
        return failure(server.failure());

    catchStopSignals();

    const QString url = (*server)->url();
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("url"), url}, {QStringLiteral("port"), (*server)->port()}, {QStringLiteral("project"), project->path()},
                   {QStringLiteral("token"), !options.token.isEmpty()}});
    } else {
        out() << "tracking server on " << url << " for " << project->path() << Qt::endl;
        out() << "export MLFLOW_TRACKING_URI=" << url << Qt::endl;
        if (!options.token.isEmpty())
            out() << "export MLFLOW_TRACKING_TOKEN=... (the token in " << a.value(QStringLiteral("token-file")) << ")" << Qt::endl;
        out() << "Ctrl+C stops it" << Qt::endl;
    }
    out().flush();
    while (!g_stopSignal.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const qint64 requests = (*server)->service().requests();
    const qint64 points = (*server)->service().pointsLogged();
    Status stopped = (*server)->stop();
    if (!stopped)
        return failure(stopped.failure().reworded(QStringLiteral("stopping the tracking server: %1").arg(stopped.error())));
    err() << "tracking server stopped: " << requests << " requests, " << points << " metric points written" << Qt::endl;
    return Ok;
}

} // namespace

QList<Verb> trackingVerbs()
{
    Verb t = makeVerb("tracking-server", "tracking-server FILE [--listen 127.0.0.1:5000] [--token-file F] [--json]",
                      "serve the MLflow-compatible tracking API on FILE until Ctrl+C: scripts' runs land in the project", trackingServer);
    t.details = QStringLiteral(
        "Point a script's MLFLOW_TRACKING_URI at the printed URL and its mlflow.start_run, log_param, log_params,\n"
        "log_metric, log_metrics, set_tag, log_artifact and end_run go into FILE: experiments and runs beside the\n"
        "workbench's own, charted, compared, reported; a TorchScript artifact imports as a model\n"
        "(mlwb model import FILE --run RUN --artifact PATH). --listen HOST:PORT (127.0.0.1:5000; port 0 picks a\n"
        "free one); any address but loopback needs --token-file F (its first line; the file readable by its\n"
        "owner only), which scripts send as MLFLOW_TRACKING_TOKEN. --json prints {url, port} when listening.");
    return {t};
}

} // namespace mlwb::cli
