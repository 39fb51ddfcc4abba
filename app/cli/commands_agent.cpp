// SPDX-License-Identifier: MIT
// mlwb agent: the local agent (core/deploy/local_agent.h), an mlwb-agent on 127.0.0.1 that
// deploying on one machine needs, started for the user with its state, token and trusted key
// in the user's data directory.

#include "cli_context.h"

#include "deploy/local_agent.h"
#include "store/project_file.h"

namespace mlwb::cli {

namespace {

QJsonObject runningJson(const LocalAgent &agent, const LocalAgent::Running &r)
{
    return {{QStringLiteral("running"), true},
            {QStringLiteral("target"), QString::fromLatin1(LocalAgent::kTargetName)},
            {QStringLiteral("url"), r.url},
            {QStringLiteral("port"), r.port},
            {QStringLiteral("pid"), r.pid},
            {QStringLiteral("reused"), r.reused},
            {QStringLiteral("directory"), agent.directory()},
            {QStringLiteral("log"), agent.logPath()}};
}

int agentStart(const Verb &v, const Args &a)
{
    if (a.positional.size() > 1)
        return usageError(v, QStringLiteral("expected at most one FILE (the project whose `local` target it becomes)"));
    std::unique_ptr<ProjectFile> project;
    if (!a.positional.isEmpty()) {
        project = openProject(a.positional[0], QStringLiteral("mlwb agent start"));
        if (!project)
            return Failure;
    }
    const LocalAgent agent;
    auto running = agent.start(a.value(QStringLiteral("agent-binary")));
    if (!running)
        return failure(running.failure());
    if (project)
        if (Status s = LocalAgent::registerTarget(project->db(), running->url); !s)
            return failure(s.failure().reworded(QStringLiteral("%1: the target `local`: %2").arg(a.positional[0], s.error())));
    if (a.has(QStringLiteral("json"))) {
        QJsonObject o = runningJson(agent, *running);
        if (project)
            o.insert(QStringLiteral("project"), a.positional[0]);
        printJson(o);
        return Ok;
    }
    out() << (running->reused ? "the local agent runs already on " : "started the local agent on ") << running->url << " (pid "
          << running->pid << ")\n  state, token and trusted key in " << agent.directory() << "\n  log: " << agent.logPath() << "\n";
    if (project)
        out() << "  " << a.positional[0] << ": its target `local` points there (mlwb deploy " << a.positional[0]
              << " --package NAME:VERSION --target local)\n";
    out().flush();
    return Ok;
}

int agentStatus(const Verb &v, const Args &a)
{
    if (!a.positional.isEmpty())
        return usageError(v, QStringLiteral("takes no file"));
    const LocalAgent agent;
    auto running = agent.status();
    if (!running && running.kind() != ErrorKind::NotFound)
        return failure(running.failure());
    if (a.has(QStringLiteral("json"))) {
        printJson(running ? runningJson(agent, *running)
                          : QJsonObject{{QStringLiteral("running"), false},
                                        {QStringLiteral("directory"), agent.directory()},
                                        {QStringLiteral("detail"), running.error()}});
        return Ok;
    }
    if (running)
        out() << "the local agent runs on " << running->url << " (pid " << running->pid << ", since "
              << running->started.toLocalTime().toString(Qt::ISODate) << ")" << Qt::endl;
    else
        out() << running.error() << Qt::endl;
    return Ok;
}

int agentStop(const Verb &v, const Args &a)
{
    if (!a.positional.isEmpty())
        return usageError(v, QStringLiteral("takes no file"));
    const LocalAgent agent;
    if (Status s = agent.stop(); !s)
        return failure(s.failure());
    if (a.has(QStringLiteral("json")))
        printJson({{QStringLiteral("stopped"), true}});
    else
        out() << "stopped the local agent" << Qt::endl;
    return Ok;
}

} // namespace

QList<Verb> agentVerbs()
{
    Verb start = makeVerb("agent start", "agent start [FILE] [--agent-binary PATH] [--json]",
                      "start the local agent on 127.0.0.1 (or find it running); with FILE, point the project's "
                      "target `local` at it",
                      agentStart);
    start.details = QStringLiteral(
        "The local agent is an mlwb-agent run for you: its state, token (0600) and trusted key (your own\n"
        "public key, so the packages you sign are accepted) are kept in $MLWB_DATA_DIR/agent, else\n"
        "~/.local/share/mlwb/agent; the token is also kept where every target's token is (mlwb target).\n"
        "It keeps running after this command; it takes the port it had before when that is free.");
    return {
        start,
        makeVerb("agent status", "agent status [--json]", "whether the local agent runs, and where", agentStatus),
        makeVerb("agent stop", "agent stop [--json]", "stop the local agent (it finishes the requests in flight)", agentStop),
    };
}

} // namespace mlwb::cli
