// SPDX-License-Identifier: MIT
// mlwb target / mlwb deploy: the agents (mlwb-agent) a project deploys to and what is done to
// them. target add stores a target's name, URL and CA certificate in the project and its token
// with the user (TokenStore, never in the project); deploy pushes a package (exit 3 when its
// checks failed and no override reason is given), status shows what each target serves, promote,
// rollback and canary change the split, history lists the project's records beside the agent's.

#include "cli_context.h"
#include "nearest_word.h"
#include "progress_runner.h"
#include "text_table.h"

#include "deploy/agent_client.h"
#include "deploy/deploy_job.h"
#include "deploy/token_store.h"
#include "package/key_store.h"
#include "store/deployment_repository.h"
#include "store/project_file.h"
#include "store/target_repository.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace mlwb::cli {

namespace {

constexpr int kGateFailed = 3;

const QStringList &deploySubcommands()
{
    static const QStringList names = {QStringLiteral("status"), QStringLiteral("promote"), QStringLiteral("rollback"),
                                      QStringLiteral("canary"), QStringLiteral("history")};
    return names;
}

Result<QString> readCaCert(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read the CA certificate %1: %2").arg(path, f.errorString()));
    const QString pem = QString::fromUtf8(f.read(1024 * 1024));
    if (!pem.contains(QStringLiteral("-----BEGIN CERTIFICATE-----")))
        return invalidInput(QStringLiteral("%1 is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)").arg(path));
    return pem;
}

Result<int> percentOption(const Args &a, const QString &name)
{
    const QString text = a.value(name);
    bool ok = false;
    const int p = text.toInt(&ok);
    if (!ok || p < 0 || p > 100)
        return invalidInput(QStringLiteral("--%1 takes a percentage from 0 to 100, not \"%2\"").arg(name, text));
    return p;
}

QString tokenState(const TokenStore &tokens, const QString &name)
{
    return tokens.has(name) ? QStringLiteral("stored") : QStringLiteral("none");
}

int targetAdd(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    TargetRecord t;
    t.name = a.value(QStringLiteral("name")).trimmed();
    t.url = a.value(QStringLiteral("url")).trimmed();
    t.createdBy = KeyStore::userAtHost();
    if (auto s = TokenStore::checkTargetName(t.name); !s)
        return usageError(v, QStringLiteral("--name: %1").arg(s.error()));
    if (const QString ca = a.value(QStringLiteral("ca-cert")); !ca.isEmpty()) {
        auto pem = readCaCert(ca);
        if (!pem)
            return failure(pem.failure());
        t.caCert = *pem;
    }
    // The token is read before anything is stored, so a bad token file leaves no half-made target.
    QByteArray token;
    if (const QString file = a.value(QStringLiteral("token-file")); !file.isEmpty()) {
        auto read = TokenStore::readTokenFile(file);
        if (!read)
            return failure(read.failure());
        token = *read;
    }
    auto project = openProject(a.positional[0], QStringLiteral("mlwb target add"));
    if (!project)
        return Failure;
    auto id = TargetRepository(project->db()).add(t);
    if (!id)
        return failure(id.failure());
    const TokenStore tokens;
    if (!token.isEmpty()) {
        if (auto s = tokens.save(t.name, token); !s)
            return failure(s.failure().reworded(
                QStringLiteral("target %1 was added, but its token was not stored: %2").arg(t.name, s.error())));
    }
    if (a.has(QStringLiteral("json"))) {
        auto stored = TargetRepository(project->db()).get(*id);
        if (!stored)
            return failure(stored.failure());
        QJsonObject o = stored->toJson();
        o.insert(QStringLiteral("token"), tokenState(tokens, t.name));
        o.insert(QStringLiteral("token_file"), tokens.tokenPath(t.name));
        printJson(o);
        return Ok;
    }
    out() << "target " << t.name << " (" << t.url << ") added" << (t.caCert.isEmpty() ? "" : " with its CA certificate") << "\n";
    if (!token.isEmpty()) {
        const QString where = tokens.location(t.name); // the keychain, else the 0600 file
        out() << "  token stored in " << where
              << (where == tokens.tokenPath(t.name) ? " (mode 0600; not in the project)\n" : " (not in the project)\n");
    } else
        out() << "  no token stored: management calls need one (mlwb target set-token " << a.positional[0] << " --name "
              << t.name << " --token-file F)\n";
    out().flush();
    return Ok;
}

int targetSetToken(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    const QString name = a.value(QStringLiteral("name"));
    auto token = TokenStore::readTokenFile(a.value(QStringLiteral("token-file")));
    if (!token)
        return failure(token.failure());
    auto project = openProject(a.positional[0], QStringLiteral("mlwb target set-token"), true);
    if (!project)
        return Failure;
    auto target = TargetRepository(project->db()).find(name);
    if (!target)
        return failure(target.failure());
    const TokenStore tokens;
    if (auto s = tokens.save(target->name, *token); !s)
        return failure(s.failure());
    const QString where = tokens.location(target->name);
    out() << "token of target " << target->name << " stored in " << where
          << (where == tokens.tokenPath(target->name) ? " (mode 0600)\n" : "\n");
    out().flush();
    return Ok;
}

int targetList(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb target list"), true);
    if (!project)
        return Failure;
    auto list = TargetRepository(project->db()).list();
    if (!list)
        return failure(list.failure());
    const TokenStore tokens;
    if (a.has(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const TargetRecord &t : *list) {
            QJsonObject o = t.toJson();
            o.insert(QStringLiteral("token"), tokenState(tokens, t.name));
            arr.append(o);
        }
        printJson({{QStringLiteral("targets"), arr}});
        return Ok;
    }
    TextTable table({{QStringLiteral("target")}, {QStringLiteral("url")}, {QStringLiteral("ca cert")},
                     {QStringLiteral("token")}, {QStringLiteral("added by")}, {QStringLiteral("added")}});
    for (const TargetRecord &t : *list)
        table.addRow({t.name, t.url, t.caCert.isEmpty() ? QStringLiteral("-") : QStringLiteral("yes"), tokenState(tokens, t.name),
                      t.createdBy, t.createdAt.toString(Qt::ISODate)});
    out() << table.text();
    out().flush();
    return Ok;
}

int targetRemove(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb target remove"));
    if (!project)
        return Failure;
    TargetRepository targets(project->db());
    auto target = targets.find(a.value(QStringLiteral("name")));
    if (!target)
        return failure(target.failure());
    if (auto s = targets.remove(target->id); !s)
        return failure(s.failure());
    const TokenStore tokens;
    if (tokens.has(target->name)) {
        if (auto s = tokens.remove(target->name); !s)
            return failure(s.failure().reworded(
                QStringLiteral("target %1 was removed, but its token was not: %2").arg(target->name, s.error())));
    }
    out() << "target " << target->name << " removed from the project, with its deployment records and your token for it\n";
    out().flush();
    return Ok;
}

int deployPackage(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1) {
        // "mlwb deploy statsu FILE": a misspelt subcommand reads as an extra positional.
        const QString first = a.positional.value(0);
        const QString guess = first.isEmpty() ? QString() : NearestWord::find(first, deploySubcommands());
        return usageError(v, (a.positional.isEmpty() ? QStringLiteral("expected FILE") : QStringLiteral("expected one FILE")) +
                                 (guess.isEmpty() ? QString() : QStringLiteral(" (did you mean \"deploy %1\"?)").arg(guess)) +
                                 QStringLiteral("; or one of: deploy %1").arg(deploySubcommands().join(QStringLiteral(", deploy "))));
    }
    auto ref = DeployJob::parsePackageRef(a.value(QStringLiteral("package")));
    if (!ref)
        return usageError(v, QStringLiteral("--package: %1").arg(ref.error()));
    int canary = 0;
    if (a.has(QStringLiteral("canary"))) {
        auto p = percentOption(a, QStringLiteral("canary"));
        if (!p)
            return usageError(v, p.error());
        canary = *p;
    }
    if (a.has(QStringLiteral("override-reason")) && a.value(QStringLiteral("override-reason")).trimmed().isEmpty())
        return usageError(v, QStringLiteral("--override-reason needs a written reason"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb deploy"));
    if (!project)
        return Failure;
    DeployJob::Request r;
    r.projectPath = a.positional[0];
    r.packageRef = a.value(QStringLiteral("package"));
    r.target = a.value(QStringLiteral("target"));
    r.canaryPercent = canary;
    r.overrideReason = a.value(QStringLiteral("override-reason"));
    DeployJob job(r);
    const Status ran = runWithProgress(QStringLiteral("deploy"), [&](JobFeedback &feedback) { return job.run(feedback); });
    if (!ran) {
        if (job.refusedByGate()) {
            failure(ran.failure());
            return kGateFailed;
        }
        return failure(ran.failure());
    }
    const QJsonObject &answer = job.answer();
    const DeploymentRecord &row = job.record();
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("package"), r.packageRef},
                   {QStringLiteral("target"), r.target},
                   {QStringLiteral("answer"), answer},
                   {QStringLiteral("deployment"), row.toJson()}});
        return Ok;
    }
    out() << "deployed " << r.packageRef << " to " << r.target << ": " << row.model << " " << row.version << " is "
          << answer.value(QStringLiteral("state")).toString()
          << (row.action == DeploymentAction::Canary ? QStringLiteral(" at %1%").arg(row.canaryPercent) : QString()) << "\n  "
          << row.detail << "\n";
    if (!row.overrideReason.isEmpty())
        out() << "  its failed gate overridden by " << row.by << ": " << row.overrideReason << "\n";
    out().flush();
    return Ok;
}

// The target and a client for it, or the exit code after printing why.
struct Reached {
    TargetRecord target;
    std::optional<AgentClient> client;
    int exit = Ok;
};

Reached reach(ProjectFile &project, const QString &name)
{
    Reached r;
    auto target = TargetRepository(project.db()).find(name);
    if (!target) {
        r.exit = failure(target.failure());
        return r;
    }
    r.target = *target;
    auto client = AgentClient::forTarget(*target, TokenStore());
    if (!client) {
        r.exit = failure(client.failure());
        return r;
    }
    r.client.emplace(std::move(*client));
    return r;
}

QString orDash(const QString &s) { return s.isEmpty() ? QStringLiteral("-") : s; }

int deployStatus(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb deploy status"), true);
    if (!project)
        return Failure;
    Reached r = reach(*project, a.value(QStringLiteral("target")));
    if (r.exit != Ok)
        return r.exit;
    auto health = r.client->health();
    if (!health)
        return failure(health.failure());
    auto models = r.client->models();
    if (!models)
        return failure(models.failure());
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("target"), r.target.toJson()},
                   {QStringLiteral("health"), QJsonObject{{QStringLiteral("live"), health->live}, {QStringLiteral("ready"), health->ready}}},
                   {QStringLiteral("models"), *models}});
        return Ok;
    }
    out() << "target " << r.target.name << " (" << r.target.url << "): " << (health->live ? "live" : "not live") << ", "
          << (health->ready ? "ready" : "not ready") << ", " << models->size() << (models->size() == 1 ? " model" : " models")
          << "\n";
    for (const QJsonValue &m : *models) {
        const QJsonObject model = m.toObject();
        const QJsonObject canary = model.value(QStringLiteral("canary")).toObject();
        out() << "\nmodel " << model.value(QStringLiteral("name")).toString() << ": active "
              << model.value(QStringLiteral("active")).toString(QStringLiteral("none"));
        if (!canary.isEmpty())
            out() << ", canary " << canary.value(QStringLiteral("version")).toString() << " at "
                  << canary.value(QStringLiteral("percent")).toInt() << "%";
        out() << "\n";
        TextTable table({{QStringLiteral("version")}, {QStringLiteral("state")}, {QStringLiteral("sha256")},
                         {QStringLiteral("signed by")}, {QStringLiteral("loaded")}, {QStringLiteral("deployed by")}});
        for (const QJsonValue &ver : model.value(QStringLiteral("versions")).toArray()) {
            const QJsonObject o = ver.toObject();
            table.addRow({o.value(QStringLiteral("version")).toString(), o.value(QStringLiteral("state")).toString(),
                          orDash(o.value(QStringLiteral("sha256")).toString().left(16)), orDash(o.value(QStringLiteral("signed_by")).toString()),
                          orDash(o.value(QStringLiteral("loaded_at")).toString()), orDash(o.value(QStringLiteral("deployed_by")).toString())});
        }
        out() << table.text();
    }
    out().flush();
    return Ok;
}

int printModelAnswer(const Args &a, const QString &what, const Result<QJsonObject> &answer)
{
    if (!answer)
        return failure(answer.failure());
    if (a.has(QStringLiteral("json"))) {
        printJson(*answer);
        return Ok;
    }
    const QJsonObject canary = answer->value(QStringLiteral("canary")).toObject();
    out() << what << ": " << answer->value(QStringLiteral("name")).toString() << " active "
          << answer->value(QStringLiteral("active")).toString(QStringLiteral("none"));
    if (!canary.isEmpty())
        out() << ", canary " << canary.value(QStringLiteral("version")).toString() << " at "
              << canary.value(QStringLiteral("percent")).toInt() << "%";
    else
        out() << ", no canary";
    out() << "\n";
    out().flush();
    return Ok;
}

int deployPromoteOrRollback(const Verb &v, const Args &a, bool promote)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], promote ? QStringLiteral("mlwb deploy promote") : QStringLiteral("mlwb deploy rollback"));
    if (!project)
        return Failure;
    const QString target = a.value(QStringLiteral("target"));
    const QString model = a.value(QStringLiteral("model"));
    auto answer = promote ? DeployJob::promote(project->db(), target, model) : DeployJob::rollback(project->db(), target, model);
    return printModelAnswer(a, QStringLiteral("%1 on %2").arg(promote ? QStringLiteral("promoted") : QStringLiteral("rolled back"), target),
                            answer);
}

int deployCanary(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto percent = percentOption(a, QStringLiteral("percent"));
    if (!percent)
        return usageError(v, percent.error());
    auto project = openProject(a.positional[0], QStringLiteral("mlwb deploy canary"));
    if (!project)
        return Failure;
    const QString target = a.value(QStringLiteral("target"));
    auto answer = DeployJob::setCanary(project->db(), target, a.value(QStringLiteral("model")), a.value(QStringLiteral("version")), *percent);
    return printModelAnswer(a, QStringLiteral("canary set on %1").arg(target), answer);
}

int deployHistory(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb deploy history"), true);
    if (!project)
        return Failure;
    auto target = TargetRepository(project->db()).find(a.value(QStringLiteral("target")));
    if (!target)
        return failure(target.failure());
    auto records = DeploymentRepository(project->db()).list(target->id);
    if (!records)
        return failure(records.failure());
    // The agent's own history, when it can be read: the project's records stand without it.
    Result<QJsonArray> events = [&]() -> Result<QJsonArray> {
        auto client = AgentClient::forTarget(*target, TokenStore());
        if (!client)
            return client.failure();
        return client->history();
    }();
    if (a.has(QStringLiteral("json"))) {
        QJsonArray rows;
        for (const DeploymentRecord &d : *records)
            rows.append(d.toJson());
        QJsonObject o{{QStringLiteral("target"), target->name}, {QStringLiteral("records"), rows}};
        if (events)
            o.insert(QStringLiteral("agent_events"), *events);
        else
            o.insert(QStringLiteral("agent_error"), events.error());
        printJson(o);
    } else {
        out() << "the project's records for target " << target->name << " (newest first):\n";
        TextTable table({{QStringLiteral("at")}, {QStringLiteral("action")}, {QStringLiteral("model")}, {QStringLiteral("version")},
                         {QStringLiteral("canary"), TextTable::Align::Right}, {QStringLiteral("by")}, {QStringLiteral("detail")}});
        for (const DeploymentRecord &d : *records) {
            QString detail = d.detail;
            if (!d.overrideReason.isEmpty())
                detail += QStringLiteral(" [override: %1]").arg(d.overrideReason);
            table.addRow({d.at.toString(Qt::ISODate), deploymentActionName(d.action), d.model, orDash(d.version),
                          d.canaryPercent > 0 ? QStringLiteral("%1%").arg(d.canaryPercent) : QStringLiteral("-"), d.by, detail});
        }
        out() << table.text();
        if (events) {
            out() << "\nthe agent's history (oldest first):\n";
            TextTable agent({{QStringLiteral("time")}, {QStringLiteral("action")}, {QStringLiteral("model")}, {QStringLiteral("version")},
                             {QStringLiteral("by")}, {QStringLiteral("detail")}});
            for (const QJsonValue &e : *events) {
                const QJsonObject o = e.toObject();
                agent.addRow({o.value(QStringLiteral("time")).toString(), o.value(QStringLiteral("action")).toString(),
                              o.value(QStringLiteral("model")).toString(), orDash(o.value(QStringLiteral("version")).toString()),
                              o.value(QStringLiteral("by")).toString(), o.value(QStringLiteral("detail")).toString()});
            }
            out() << agent.text();
        }
        out().flush();
    }
    if (!events)
        return failure(events.failure().reworded(QStringLiteral("the agent's history could not be read: %1").arg(events.error())));
    return Ok;
}

Verb make(const char *name, const char *usage, const char *summary, std::function<int(const Verb &, const Args &)> fn,
          QStringList flags = {QStringLiteral("json")}, QString details = {})
{
    Verb v{QString::fromLatin1(name), QString::fromLatin1(usage), QString::fromLatin1(summary), {}, flags, std::move(details)};
    v.run = [v, fn](const Args &a) { return fn(v, a); };
    return v;
}

} // namespace

QList<Verb> targetVerbs()
{
    return {
        make("target add", "target add FILE --name NAME --url URL [--token-file F] [--ca-cert F] [--json]",
             "add an mlwb-agent the project deploys to: its name, URL and CA certificate go into the project; the "
             "token of --token-file goes to your keychain, else your token folder (mode 0600), never into the project",
             targetAdd),
        make("target set-token", "target set-token FILE --name NAME --token-file F",
             "store (or replace) your token for a target, in your keychain, else your token folder (mode 0600)", targetSetToken, {}),
        make("target list", "target list FILE [--json]",
             "list the project's targets with URL, whether a CA certificate is kept, and whether you hold a token", targetList),
        make("target remove", "target remove FILE --name NAME",
             "remove a target from the project, with its deployment records, and your token for it", targetRemove, {}),
    };
}

QList<Verb> deployVerbs()
{
    const QString groupHelp = QStringLiteral("The deploy verbs: deploy FILE --package ..., deploy status, deploy promote, deploy "
                                             "rollback, deploy canary, deploy history (mlwb deploy VERB --help).\nExit codes: 0 ok, "
                                             "1 failure (the agent refused, or cannot be reached), 2 usage, 3 the package's checks "
                                             "failed and no --override-reason was given.");
    return {
        make("deploy",
             "deploy FILE --package NAME:VERSION --target NAME [--canary PERCENT] [--override-reason TEXT] [--json]",
             "push a package to a target: verified, loaded, warmed up and smoke-tested there before it serves, as the "
             "active version or a canary at PERCENT; refused (exit 3) when its checks failed, unless --override-reason "
             "says why it may ship anyway (recorded with who and when)",
             deployPackage, {QStringLiteral("json")}, groupHelp),
        make("deploy status", "deploy status FILE --target NAME [--json]",
             "what a target serves: its health, per model the active version, the canary and its share, every version "
             "with its state",
             deployStatus),
        make("deploy promote", "deploy promote FILE --target NAME --model NAME [--json]",
             "make a model's canary its active version", [](const Verb &v, const Args &a) { return deployPromoteOrRollback(v, a, true); }),
        make("deploy rollback", "deploy rollback FILE --target NAME --model NAME [--json]",
             "drop a model's canary, or with none re-activate the version active before",
             [](const Verb &v, const Args &a) { return deployPromoteOrRollback(v, a, false); }),
        make("deploy canary", "deploy canary FILE --target NAME --model NAME --version V --percent P [--json]",
             "send P percent of a model's requests to version V (0 stops the canary)", deployCanary),
        make("deploy history", "deploy history FILE --target NAME [--json]",
             "who deployed, promoted or rolled back what and when: the project's records (newest first) beside the "
             "agent's own history",
             deployHistory),
    };
}

} // namespace mlwb::cli
