// SPDX-License-Identifier: MIT
// mlwb-agent: the serving daemon. Serves sealed packages over the Open Inference Protocol v2 and
// takes new versions through its management API (docs/agent.md).

#include "inference/torch_runtime.h"
#include "package/key_store.h"
#include "serve/agent_config.h"
#include "serve/agent_service.h"
#include "serve/agent_state.h"
#include "serve/http_server.h"
#include "serve/model_registry.h"
#include "serve/serve_metrics.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <pthread.h>

using namespace mlwb;

namespace {

int failWith(const QString &message, int code = 1)
{
    std::fprintf(stderr, "mlwb-agent: %s\n", qPrintable(message));
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    // SIGTERM and SIGINT are taken by sigwait() below; every thread started from here on has them
    // blocked, so none of them is interrupted.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mlwb-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MLWB_VERSION));
    QStringList args = app.arguments().mid(1);
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs(qPrintable(AgentConfig::usage()), stdout);
        return 0;
    }
    if (args.contains(QStringLiteral("--version"))) {
        std::printf("mlwb-agent %s\n", MLWB_VERSION);
        return 0;
    }
    Result<AgentConfig> config = AgentConfig::fromArguments(args);
    if (!config)
        return failWith(config.error() + QStringLiteral("\n") + AgentConfig::usage(), 2);
    Result<QByteArray> token = config->readToken();
    if (!token)
        return failWith(token.error(), 2);
    Result<QList<PublicKey>> trusted = KeyStore::readKeyDirectory(config->trustedKeysDir);
    if (!trusted)
        return failWith(QStringLiteral("--trusted-keys %1: %2").arg(config->trustedKeysDir, trusted.error()), 2);
    if (trusted->isEmpty())
        return failWith(QStringLiteral("--trusted-keys %1 holds no .pub key: the agent would accept no package").arg(config->trustedKeysDir), 2);
    Result<AgentState> state = AgentState::open(config->stateDir);
    if (!state)
        return failWith(state.error());

    // The engine runs each request's BLAS on one thread; the batcher and the front end supply
    // the parallelism.
    TorchRuntime::initialize(1);

    ServeMetrics metrics;
    ServedModel::LoadOptions load;
    load.trusted = *trusted;
    load.requireSignature = true;
    load.batching = config->batching;
    load.batchingByModel = config->batchingByModel;
    ModelRegistry registry(std::move(*state), load, &metrics);
    for (const QString &problem : registry.restore())
        std::fprintf(stderr, "mlwb-agent: not served after the restart: %s\n", qPrintable(problem));

    AgentService service(registry, metrics, AgentService::Options{*token, config->inferenceNeedsToken, QStringLiteral(MLWB_VERSION), config->monitoring});
    HttpServer server(service, *config);
    Result<int> port = server.listen();
    if (!port)
        return failWith(port.error());
    server.start();
    std::printf("listening on %s://%s:%d\n", config->tls() ? "https" : "http", qPrintable(config->host), *port);
    std::fflush(stdout);

    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "mlwb-agent: %s: finishing the requests in flight\n", received == SIGTERM ? "SIGTERM" : "SIGINT");
    service.setDraining(true);
    server.stop(10000);
    for (const auto &m : registry.loaded())
        if (m->batcher())
            m->batcher()->stop();
    std::fprintf(stderr, "mlwb-agent: stopped\n");
    return 0;
}
