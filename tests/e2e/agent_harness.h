// SPDX-License-Identifier: MIT
#pragma once

// What the agent's end-to-end tests and its benchmark share: a real mlwb-agent process on
// 127.0.0.1 with an ephemeral port (AgentProcess), a plain blocking HTTP/1.1 client on a POSIX
// socket that sends exactly the bytes it is given (so malformed requests stay malformed), and
// the packages a test deploys (AgentPackages: iris trained once, packaged as 1.0.0 and 1.1.0,
// signed by the test's key, and the refused kinds: unsigned, signed by a stranger, tampered,
// with a failing smoke test).

#include "data/dataset_catalog.h"
#include "inference/inference_engine.h"
#include "model/model_catalog.h"
#include "package/key_store.h"
#include "package/package_archive.h"
#include "package/package_builder.h"
#include "package/sealed_package.h"
#include "package/signing_key.h"
#include "store/project_file.h"
#include "train/training_session.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace mlwb::test {

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    std::string header(const std::string &name) const
    {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// One TCP connection to 127.0.0.1:port; requests on it are kept alive.
class RawConnection {
public:
    explicit RawConnection(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
            ::close(m_fd);
            m_fd = -1;
            return;
        }
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~RawConnection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool connected() const { return m_fd >= 0; }
    bool send(const QByteArray &bytes)
    {
        qsizetype sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(m_fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += n;
        }
        return true;
    }
    // The next reply, or nullopt when the connection closed or nothing came within timeoutMs.
    std::optional<HttpReply> read(int timeoutMs = 10000)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        qsizetype headerEnd = -1;
        while ((headerEnd = m_in.indexOf("\r\n\r\n")) < 0)
            if (!fill(deadline))
                return std::nullopt;
        HttpReply r;
        const QList<QByteArray> lines = m_in.left(headerEnd).split('\n');
        const QList<QByteArray> status = lines.value(0).trimmed().split(' ');
        r.status = status.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers[lines[i].left(colon).trimmed().toLower().toStdString()] = lines[i].mid(colon + 1).trimmed().toStdString();
        }
        const qsizetype length = QByteArray::fromStdString(r.header("content-length")).toLongLong();
        while (m_in.size() < headerEnd + 4 + length)
            if (!fill(deadline))
                return std::nullopt;
        r.body = m_in.mid(headerEnd + 4, length);
        m_in.remove(0, headerEnd + 4 + length);
        return r;
    }
    // The next reply's status only, its body skipped (0 when the connection closed or nothing
    // came): what a load generator needs, without parsing every header.
    int readStatus(int timeoutMs = 60000)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        qsizetype headerEnd = -1;
        while ((headerEnd = m_in.indexOf("\r\n\r\n")) < 0)
            if (!fill(deadline))
                return 0;
        const int status = m_in.size() > 12 ? std::atoi(m_in.constData() + 9) : 0;
        const qsizetype at = m_in.indexOf("Content-Length: ");
        const qsizetype length = at >= 0 && at < headerEnd ? std::atoll(m_in.constData() + at + 16) : 0;
        while (m_in.size() < headerEnd + 4 + length)
            if (!fill(deadline))
                return 0;
        m_in.remove(0, headerEnd + 4 + length);
        return status;
    }
    // Whether the server closed the connection within timeoutMs.
    bool closedWithin(int timeoutMs)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) > 0) {
                char buf[4096];
                const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
                if (n <= 0)
                    return true;
                m_in.append(buf, n);
            }
        }
        return false;
    }
    const QByteArray &pending() const { return m_in; }

private:
    bool fill(std::chrono::steady_clock::time_point deadline)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0)
            return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, int(left)) <= 0)
            return false;
        char buf[65536];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0)
            return false;
        m_in.append(buf, n);
        return true;
    }
    int m_fd = -1;
    QByteArray m_in;
};

inline QByteArray httpRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                              const QList<QByteArray> &headers = {})
{
    QByteArray r = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const QByteArray &h : headers)
        r += h + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        r += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return r + "\r\n" + body;
}

// One request on a connection of its own.
inline std::optional<HttpReply> call(int port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                                     const QList<QByteArray> &headers = {}, int timeoutMs = 30000)
{
    RawConnection c(port);
    if (!c.connected() || !c.send(httpRequest(method, path, body, headers)))
        return std::nullopt;
    return c.read(timeoutMs);
}

// A real mlwb-agent, started on 127.0.0.1:0 with its own state, token and trusted keys under
// `dir` (kept across restarts, so a second start() on the same dir is a restart).
class AgentProcess {
public:
    static constexpr const char *kToken = "agent-test-token-0123456789";

    AgentProcess(QString dir, QString trustedKeys) : m_dir(std::move(dir)), m_trusted(std::move(trustedKeys))
    {
        QDir().mkpath(m_dir);
        QFile token(tokenFile());
        if (!token.exists() && token.open(QIODevice::WriteOnly)) {
            token.write(QByteArray(kToken) + '\n');
            token.close();
            token.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
    }
    ~AgentProcess() { kill(); }

    QString tokenFile() const { return m_dir + QStringLiteral("/token"); }
    QString stateDir() const { return m_dir + QStringLiteral("/state"); }
    int port() const { return m_port; }
    QByteArray bearer() const { return QByteArray("Authorization: Bearer ") + kToken; }

    // Starts it and waits for "listening on"; false (with why in error()) otherwise.
    bool start(const QStringList &extra = {}, int timeoutMs = 60000)
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        m_process->start(executablePath(QStringLiteral("mlwb-agent")),
                         QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--state"), stateDir(),
                                     QStringLiteral("--token-file"), tokenFile(), QStringLiteral("--trusted-keys"), m_trusted} +
                             extra);
        if (!m_process->waitForStarted(timeoutMs)) {
            m_error = m_process->errorString();
            return false;
        }
        QByteArray out;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!out.contains('\n') && std::chrono::steady_clock::now() < deadline) {
            if (m_process->state() != QProcess::Running)
                break;
            m_process->waitForReadyRead(200);
            out += m_process->readAllStandardOutput();
        }
        const qsizetype colon = out.lastIndexOf(':');
        m_port = out.startsWith("listening on ") && colon > 0 ? out.mid(colon + 1).trimmed().toInt() : 0;
        if (m_port <= 0) {
            m_process->waitForFinished(2000);
            m_error = QString::fromUtf8(out + m_process->readAllStandardError());
            return false;
        }
        return true;
    }
    QString error() const { return m_error; }
    QByteArray stderrText() { return m_process ? m_process->readAllStandardError() : QByteArray(); }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    // SIGKILL: nothing is flushed or finished.
    void kill()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(10000);
        }
    }
    // SIGTERM, then the exit code (or -1 when it did not end within timeoutMs).
    int terminate(int timeoutMs = 20000)
    {
        if (!m_process)
            return -1;
        m_process->terminate();
        if (!m_process->waitForFinished(timeoutMs))
            return -1;
        return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    }

    std::optional<HttpReply> upload(const QByteArray &package, const QByteArray &query = {})
    {
        return call(m_port, "POST", "/mlwb/v1/models" + query, package, {bearer()}, 120000);
    }
    std::optional<HttpReply> manage(const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
    {
        return call(m_port, method, path, body, {bearer()});
    }

private:
    QString m_dir;
    QString m_trusted;
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
    QString m_error;
};

// The packages, built once per test program in a directory of their own.
struct AgentPackages {
    QByteArray v1, v2;              // iris-mlp 1.0.0 and 1.1.0, signed by the trusted key
    QByteArray unsignedPackage;     // 2.0.0, not signed
    QByteArray strangerPackage;     // 2.0.1, signed by a key the agent does not trust
    QByteArray tamperedPackage;     // 1.1.0 with a byte changed after signing
    QByteArray smokeFailPackage;    // 2.0.2, signed, its input example the model cannot take
    QString trustedKeys;            // a folder with the trusted key's .pub
    std::shared_ptr<InferenceEngine> engine; // 1.0.0's model in process, for expected answers
    QString error;

    static const AgentPackages &get()
    {
        static AgentPackages p = build();
        return p;
    }

private:
    static AgentPackages build()
    {
        AgentPackages p;
        static QTemporaryDir dir;
        qputenv("MLWB_CONFIG_DIR", dir.filePath(QStringLiteral("config")).toUtf8());
        auto fail = [&](const QString &why) {
            p.error = why;
            return p;
        };
        auto key = KeyStore().signingKey();
        if (!key)
            return fail(key.error());
        auto project = ProjectFile::create(dir.filePath(QStringLiteral("p.mlwb")));
        if (!project)
            return fail(project.error());
        ImportOptions options;
        options.target = QStringLiteral("species");
        if (auto id = DatasetCatalog((*project)->db()).importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), options); !id)
            return fail(id.error());
        if (auto m = ModelCatalog((*project)->db()).createFromTemplate(QStringLiteral("iris-mlp"), QStringLiteral("iris"), QStringLiteral("mlp")); !m)
            return fail(m.error());
        TrainRequest r;
        r.modelName = QStringLiteral("iris-mlp");
        r.config.epochs = 20;
        r.config.batchSize = 16;
        r.config.learningRate = 1e-2;
        r.config.seed = 7;
        r.config.threads = 1;
        r.ownerLease = (*project)->leaseId();
        auto trained = TrainingSession::run((*project)->path(), r, nullptr);
        if (!trained)
            return fail(trained.error());
        auto package = [&](const QString &version, bool sign) -> Result<QByteArray> {
            PackageBuilder::Request b;
            b.runId = trained->runId;
            b.name = QStringLiteral("iris-mlp");
            b.version = version;
            b.projectName = QStringLiteral("p.mlwb");
            auto built = PackageBuilder((*project)->db()).build(b, sign ? &*key : nullptr);
            if (!built)
                return built.failure();
            return built->archive;
        };
        auto v1 = package(QStringLiteral("1.0.0"), true), v2 = package(QStringLiteral("1.1.0"), true);
        auto unsig = package(QStringLiteral("2.0.0"), false), stranger = package(QStringLiteral("2.0.1"), false);
        auto smoke = package(QStringLiteral("2.0.2"), true);
        for (auto *b : {&v1, &v2, &unsig, &stranger, &smoke})
            if (!*b)
                return fail(b->error());
        p.v1 = *v1;
        p.v2 = *v2;
        p.unsignedPackage = *unsig;
        auto other = SigningKey::generate(QStringLiteral("mallory@elsewhere"));
        auto opened = SealedPackage::open(*stranger, QStringLiteral("stranger"), {}, false);
        if (!other || !opened)
            return fail(QStringLiteral("cannot sign with a stranger's key"));
        auto foreign = opened->resealed(&*other);
        if (!foreign)
            return fail(foreign.error());
        p.strangerPackage = *foreign;
        // One byte of the manifest changed, nothing sealed anew.
        auto archive = PackageArchive::read(p.v2, QStringLiteral("v2"));
        if (!archive)
            return fail(archive.error());
        std::vector<PackageArchive::Entry> entries = archive->entries();
        for (PackageArchive::Entry &e : entries)
            if (e.name == QLatin1String("manifest.json"))
                e.data.replace("setosa", "Setosa");
        auto tampered = PackageArchive::write(entries);
        if (!tampered || *tampered == p.v2)
            return fail(QStringLiteral("cannot tamper with the package"));
        p.tamperedPackage = *tampered;
        auto smokeOpened = SealedPackage::open(*smoke, QStringLiteral("smoke"), {key->publicKey()}, true);
        if (!smokeOpened)
            return fail(smokeOpened.error());
        auto smoky = smokeOpened->resealed(&*key, QString::fromLatin1(SealedPackage::kInputExampleEntry),
                                           R"({"inputs":[{"name":"INPUT__0","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]})");
        if (!smoky)
            return fail(smoky.error());
        p.smokeFailPackage = *smoky;
        p.trustedKeys = dir.filePath(QStringLiteral("trusted"));
        QDir().mkpath(p.trustedKeys);
        QFile pub(p.trustedKeys + QStringLiteral("/test.pub"));
        if (!pub.open(QIODevice::WriteOnly) || pub.write(key->publicKey().toText()) <= 0)
            return fail(QStringLiteral("cannot write the trusted key"));
        pub.close();
        auto engine = InferenceEngine::fromArchive(
            SealedPackage::open(p.v1, QStringLiteral("v1"), {key->publicKey()}, true)->entry(QString::fromLatin1(SealedPackage::kModelEntry)),
            QStringLiteral("v1"));
        if (!engine)
            return fail(engine.error());
        p.engine = std::make_shared<InferenceEngine>(std::move(*engine));
        return p;
    }
};

} // namespace mlwb::test
