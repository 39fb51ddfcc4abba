// SPDX-License-Identifier: MIT
// HTTP library benchmark for mlwb-agent (issue #12): cpp-httplib 0.11.4 (Debian's compiled
// libcpp-httplib) against Boost.Beast (1.74, async, one io_context thread per core), serving the
// same POST /v2/models/m/infer with the same fixed handler on 127.0.0.1, keep-alive, TCP_NODELAY.
// One raw blocking POSIX socket client, written here, drives both, so the client is no variable:
//   1. one request at a time over one keep-alive connection: p50, p99;
//   2. 64 concurrent keep-alive clients (one thread each): requests/s, p99, max;
//   3. 64 slow connections (one header byte every 500 ms) open while one normal client measures
//      how long its first answer takes and its p50.
// Each server runs in its own forked process, so its resident memory (VmRSS) is its own.
//   bench_http [--quick]

#include "bench_goal.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (C++20).
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <httplib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <latch>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mlwb::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kInferPath = "/v2/models/m/infer";
constexpr std::string_view kRequestBody =
    R"({"id":"42","inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}],"outputs":[{"name":"OUTPUT__0"}]})";
constexpr std::string_view kAnswer =
    R"({"model_name":"m","model_version":"1","id":"42","outputs":[{"name":"OUTPUT__0","shape":[1,3],"datatype":"FP32","data":[0.9421,0.0512,0.0067]}],"parameters":{"note":"fixed answer"}})";

// The handler both servers call: a fixed small amount of work, the request is not parsed.
std::string inferAnswer(std::string_view /*body*/)
{
    return std::string(kAnswer);
}

// ---------------------------------------------------------------------------------------------
// Servers. Each runs in a forked child that writes its port to a pipe and lives until the parent
// closes the control pipe; the child then leaves with _exit, which needs no orderly shutdown of
// connections the slow clients still hold.

struct ServerConfig {
    std::string name;
    enum class Kind { Httplib, Beast } kind;
    int threads = 0;
};

[[noreturn]] void runHttplib(const ServerConfig &config, int portFd, int controlFd)
{
    httplib::Server svr;
    const int poolSize = config.threads;
    svr.new_task_queue = [poolSize] { return new httplib::ThreadPool(size_t(poolSize)); };
    svr.set_tcp_nodelay(true);
    // The default (CPPHTTPLIB_KEEPALIVE_MAX_COUNT, 5) closes a connection after 5 requests;
    // the agent would raise it, and the benchmark measures keep-alive.
    svr.set_keep_alive_max_count(1000000);
    svr.Post(std::string(kInferPath), [](const httplib::Request &req, httplib::Response &res) {
        res.set_content(inferAnswer(req.body), "application/json");
    });
    const int port = svr.bind_to_any_port("127.0.0.1");
    std::thread listener([&svr] { svr.listen_after_bind(); });
    (void)!::write(portFd, &port, sizeof port);
    char c;
    (void)!::read(controlFd, &c, 1);
    _exit(0);
}

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One keep-alive connection: read a request under a deadline, answer, read the next.
class BeastSession : public std::enable_shared_from_this<BeastSession> {
public:
    explicit BeastSession(tcp::socket socket) : m_stream(std::move(socket)) {}

    void start()
    {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->read(); });
    }

private:
    // A request must arrive whole within this time: what bounds a slow client's hold.
    static constexpr std::chrono::seconds kRequestDeadline{30};

    void read()
    {
        m_request = {};
        m_stream.expires_after(kRequestDeadline);
        http::async_read(m_stream, m_buffer, m_request,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

    void onRead(beast::error_code ec)
    {
        if (ec) {
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
            return;
        }
        m_response = {};
        m_response.version(m_request.version());
        m_response.keep_alive(m_request.keep_alive());
        if (m_request.method() == http::verb::post && m_request.target() == beast::string_view(kInferPath.data(), kInferPath.size())) {
            m_response.result(http::status::ok);
            m_response.set(http::field::content_type, "application/json");
            m_response.body() = inferAnswer(m_request.body());
        } else {
            m_response.result(http::status::not_found);
        }
        m_response.prepare_payload();
        http::async_write(m_stream, m_response,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
    }

    void onWrite(beast::error_code ec)
    {
        if (ec)
            return;
        if (!m_response.keep_alive()) {
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
            return;
        }
        read();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_request;
    http::response<http::string_body> m_response;
};

class BeastListener {
public:
    explicit BeastListener(asio::io_context &ioc) : m_ioc(ioc), m_acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0}) {}

    int port() const { return m_acceptor.local_endpoint().port(); }

    void accept()
    {
        m_acceptor.async_accept(asio::make_strand(m_ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<BeastSession>(std::move(socket))->start();
            }
            accept();
        });
    }

private:
    asio::io_context &m_ioc;
    tcp::acceptor m_acceptor;
};

[[noreturn]] void runBeast(const ServerConfig &config, int portFd, int controlFd)
{
    asio::io_context ioc(config.threads);
    BeastListener listener(ioc);
    listener.accept();
    std::vector<std::thread> pool;
    for (int i = 0; i < config.threads; ++i)
        pool.emplace_back([&ioc] { ioc.run(); });
    const int port = listener.port();
    (void)!::write(portFd, &port, sizeof port);
    char c;
    (void)!::read(controlFd, &c, 1);
    _exit(0);
}

// The parent's handle on a server child.
class ServerProcess {
public:
    explicit ServerProcess(const ServerConfig &config)
    {
        int portPipe[2];
        int controlPipe[2];
        if (::pipe(portPipe) != 0 || ::pipe(controlPipe) != 0)
            return;
        // The parent has no other threads at this point (servers start before any client), so
        // the child may start its own.
        m_pid = ::fork();
        if (m_pid == 0) {
            // Keep only this child's two pipe ends: another server's control pipe left open here
            // would keep that server alive after the parent closed its end.
            for (int fd = 3; fd < 1024; ++fd)
                if (fd != portPipe[1] && fd != controlPipe[0])
                    ::close(fd);
            if (config.kind == ServerConfig::Kind::Httplib)
                runHttplib(config, portPipe[1], controlPipe[0]);
            runBeast(config, portPipe[1], controlPipe[0]);
        }
        ::close(portPipe[1]);
        ::close(controlPipe[0]);
        m_controlFd = controlPipe[1];
        if (m_pid < 0 || ::read(portPipe[0], &m_port, sizeof m_port) != sizeof m_port)
            m_port = 0;
        ::close(portPipe[0]);
    }
    ~ServerProcess()
    {
        if (m_controlFd >= 0)
            ::close(m_controlFd);
        if (m_pid > 0)
            ::waitpid(m_pid, nullptr, 0);
    }
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    int port() const { return m_port; }

    // The child's resident memory in MB, NaN if unreadable.
    double residentMB() const
    {
        std::ifstream status("/proc/" + std::to_string(m_pid) + "/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("VmRSS:", 0) == 0)
                return std::stod(line.substr(6)) / 1024.0;
        return std::nan("");
    }

private:
    pid_t m_pid = -1;
    int m_controlFd = -1;
    int m_port = 0;
};

// ---------------------------------------------------------------------------------------------
// The client: blocking POSIX sockets, one request in flight per connection.

int connectTo(int port, std::chrono::milliseconds receiveTimeout)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{};
    tv.tv_sec = receiveTimeout.count() / 1000;
    tv.tv_usec = (receiveTimeout.count() % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data.remove_prefix(size_t(n));
    }
    return true;
}

class Client {
public:
    Client(int port, std::chrono::milliseconds receiveTimeout) : m_port(port), m_timeout(receiveTimeout) {}
    ~Client() { disconnect(); }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    bool connect()
    {
        disconnect();
        m_fd = connectTo(m_port, m_timeout);
        return m_fd >= 0;
    }

    // One POST and its answer; false on an error, a timeout, a status other than 200 or an answer
    // other than the handler's. A server that closes the connection costs a reconnect.
    bool post()
    {
        if (m_fd < 0 && !connect())
            return false;
        if (!sendAll(m_fd, request()))
            return false;
        size_t headerEnd;
        while ((headerEnd = m_buffer.find("\r\n\r\n")) == std::string::npos)
            if (!receive())
                return false;
        std::string header = m_buffer.substr(0, headerEnd);
        std::transform(header.begin(), header.end(), header.begin(), [](unsigned char c) { return std::tolower(c); });
        const size_t lengthAt = header.find("\r\ncontent-length:");
        if (header.rfind("http/1.1 200", 0) != 0 || lengthAt == std::string::npos)
            return false;
        const size_t length = std::stoul(header.substr(lengthAt + 17));
        const size_t total = headerEnd + 4 + length;
        while (m_buffer.size() < total)
            if (!receive())
                return false;
        const bool ok = std::string_view(m_buffer).substr(headerEnd + 4, length) == kAnswer;
        m_buffer.erase(0, total);
        if (header.find("\r\nconnection: close") != std::string::npos) {
            disconnect();
            ++m_reconnects;
        }
        return ok;
    }

    int reconnects() const { return m_reconnects; }

private:
    static const std::string &request()
    {
        static const std::string text = "POST " + std::string(kInferPath) +
                                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                        "Content-Length: " +
                                        std::to_string(kRequestBody.size()) + "\r\n\r\n" + std::string(kRequestBody);
        return text;
    }

    bool receive()
    {
        char chunk[4096];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, size_t(n));
        return true;
    }

    void disconnect()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        m_buffer.clear();
    }

    int m_port;
    std::chrono::milliseconds m_timeout;
    int m_fd = -1;
    std::string m_buffer;
    int m_reconnects = 0;
};

double microseconds(Clock::duration d)
{
    return std::chrono::duration<double, std::micro>(d).count();
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return std::nan("");
    const size_t k = std::min(v.size() - 1, size_t(p * double(v.size())));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    return v[k];
}

// ---------------------------------------------------------------------------------------------
// The three measurements.

struct Figures {
    std::vector<double> latencies;      // one at a time, all rounds
    std::vector<double> concurrentUs;   // 64 clients, all rounds
    double concurrentSeconds = 0;
    int concurrentFailures = 0;
    double connectMaxMs = std::nan("");  // the slowest of the 64 clients' connect() calls
    bool failed = false;                // a one-at-a-time request failed
    double rssIdle = std::nan(""), rssAfter = std::nan("");
    double slowFirstMs = std::nan(""), slowP50 = std::nan("");
    double slowOpenMs = std::nan("");    // opening the 64 slow connections, one after another
    int slowAnswered = 0;
    int reconnects = 0;

    double p50() const { return failed ? std::nan("") : percentile(latencies, 0.50); }
    double p99() const { return failed ? std::nan("") : percentile(latencies, 0.99); }
    double rate() const { return concurrentUs.empty() ? std::nan("") : double(concurrentUs.size()) / concurrentSeconds; }
    double concurrentP99() const { return percentile(concurrentUs, 0.99); }
    double concurrentMax() const
    {
        return concurrentUs.empty() ? std::nan("") : *std::max_element(concurrentUs.begin(), concurrentUs.end());
    }
};

struct Sizes {
    int warmup, rounds, requests, clients, perClient, slowConnections, slowRequests;
    std::chrono::milliseconds slowSettle, slowWait;
};

void oneAtATime(int port, int warmup, int requests, Figures &f)
{
    Client client(port, std::chrono::seconds(10));
    for (int i = 0; i < warmup; ++i)
        if (!client.post()) {
            f.failed = true;
            return;
        }
    for (int i = 0; i < requests; ++i) {
        const auto t0 = Clock::now();
        if (!client.post()) {
            f.failed = true;
            return;
        }
        f.latencies.push_back(microseconds(Clock::now() - t0));
    }
    f.reconnects += client.reconnects();
}

void concurrent(int port, const Sizes &sizes, Figures &f)
{
    std::vector<std::vector<double>> perThread(size_t(sizes.clients));
    std::vector<double> connectMs(size_t(sizes.clients));
    std::atomic<int> failures{0};
    std::atomic<int> reconnects{0};
    std::latch ready(sizes.clients + 1);
    std::latch go(1);
    std::vector<std::thread> threads;
    for (int c = 0; c < sizes.clients; ++c) {
        threads.emplace_back([&, c] {
            // Long enough for a connection that waits behind others in a thread pool.
            Client client(port, std::chrono::seconds(60));
            const auto c0 = Clock::now();
            const bool connected = client.connect();
            connectMs[size_t(c)] = std::chrono::duration<double, std::milli>(Clock::now() - c0).count();
            auto &us = perThread[size_t(c)];
            us.reserve(size_t(sizes.perClient));
            ready.count_down();
            go.wait();
            for (int i = 0; connected && i < sizes.perClient; ++i) {
                const auto t0 = Clock::now();
                if (!client.post()) {
                    failures += sizes.perClient - i;
                    break;
                }
                us.push_back(microseconds(Clock::now() - t0));
            }
            if (!connected)
                failures += sizes.perClient;
            reconnects += client.reconnects();
        });
    }
    ready.arrive_and_wait();
    const auto t0 = Clock::now();
    go.count_down();
    for (auto &t : threads)
        t.join();
    f.concurrentSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
    for (const auto &v : perThread)
        f.concurrentUs.insert(f.concurrentUs.end(), v.begin(), v.end());
    f.concurrentFailures += failures;
    const double connectMax = *std::max_element(connectMs.begin(), connectMs.end());
    f.connectMaxMs = std::isnan(f.connectMaxMs) ? connectMax : std::max(f.connectMaxMs, connectMax);
    f.reconnects += reconnects;
}

// Slow-loris: connections that send a request header one byte every 500 ms and never finish it.
void underSlowConnections(int port, const Sizes &sizes, Figures &f)
{
    const std::string prefix = "POST " + std::string(kInferPath) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    std::vector<int> slow;
    const auto open0 = Clock::now();
    for (int i = 0; i < sizes.slowConnections; ++i)
        if (const int fd = connectTo(port, std::chrono::seconds(1)); fd >= 0)
            slow.push_back(fd);
    f.slowOpenMs = std::chrono::duration<double, std::milli>(Clock::now() - open0).count();
    std::atomic<bool> stop{false};
    std::thread dripper([&] {
        for (size_t sent = 0; !stop; ++sent) {
            const char byte = sent < prefix.size() ? prefix[sent] : 'a';
            for (const int fd : slow)
                ::send(fd, &byte, 1, MSG_NOSIGNAL);
            for (int i = 0; i < 50 && !stop; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    std::this_thread::sleep_for(sizes.slowSettle);

    Client client(port, sizes.slowWait);
    const auto t0 = Clock::now();
    if (client.post()) {
        f.slowFirstMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        f.slowAnswered = 1;
        std::vector<double> us;
        for (int i = 0; i < sizes.slowRequests; ++i) {
            const auto t1 = Clock::now();
            if (!client.post())
                break;
            us.push_back(microseconds(Clock::now() - t1));
        }
        f.slowAnswered += int(us.size());
        f.slowP50 = percentile(us, 0.50);
    }
    stop = true;
    dripper.join();
    for (const int fd : slow)
        ::close(fd);
}

// All servers run side by side (idle ones cost nothing) and each measurement visits them in
// turn, round after round: the machine is shared, and its load changes within a run.
std::vector<Figures> measure(const std::vector<ServerConfig> &configs, const Sizes &sizes)
{
    std::vector<std::unique_ptr<ServerProcess>> servers;
    for (const auto &config : configs)
        servers.push_back(std::make_unique<ServerProcess>(config));
    std::vector<Figures> figures(configs.size());
    std::vector<size_t> up;
    for (size_t i = 0; i < configs.size(); ++i) {
        if (servers[i]->port() == 0)
            std::fprintf(stderr, "%s: the server did not start\n", configs[i].name.c_str());
        else
            up.push_back(i);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const size_t i : up) {
        figures[i].rssIdle = servers[i]->residentMB();
        oneAtATime(servers[i]->port(), sizes.warmup, 0, figures[i]);
    }
    for (int r = 0; r < sizes.rounds; ++r)
        for (const size_t i : up)
            oneAtATime(servers[i]->port(), 0, sizes.requests / sizes.rounds, figures[i]);
    for (int r = 0; r < sizes.rounds; ++r)
        for (const size_t i : up)
            concurrent(servers[i]->port(), sizes, figures[i]);
    for (const size_t i : up) {
        figures[i].rssAfter = servers[i]->residentMB();
        underSlowConnections(servers[i]->port(), sizes, figures[i]);
    }
    return figures;
}

} // namespace
} // namespace mlwb::bench

int main(int argc, char **argv)
{
    using namespace mlwb::bench;
    bool quick = false;
    for (int i = 1; i < argc; ++i)
        quick = quick || std::strcmp(argv[i], "--quick") == 0;

    const Sizes sizes = quick ? Sizes{200, 2, 1000, 64, 10, 64, 200, std::chrono::milliseconds(500),
                                      std::chrono::milliseconds(1000)}
                              : Sizes{2000, 4, 20000, 64, 250, 64, 2000, std::chrono::milliseconds(1000),
                                      std::chrono::milliseconds(3000)};
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const std::vector<ServerConfig> configs = {
        {"cpp-httplib pool 8", ServerConfig::Kind::Httplib, 8},
        {"cpp-httplib pool 128", ServerConfig::Kind::Httplib, 128},
        {"Beast " + std::to_string(cores) + " threads", ServerConfig::Kind::Beast, cores},
    };

    std::printf("HTTP benchmark: cpp-httplib %s (libcpp-httplib.so) vs Boost.Beast %d.%d (async), %d cores, "
                "POST %.*s, request %zu bytes, answer %zu bytes, keep-alive, TCP_NODELAY\n",
                CPPHTTPLIB_VERSION, BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, cores,
                int(kInferPath.size()), kInferPath.data(), kRequestBody.size(), kAnswer.size());
    std::printf("servers side by side, visited in turn, %d rounds: one at a time: %d requests after %d; concurrent: "
                "%d clients x %d per round; slow: %d connections (1 header byte / 500 ms), then one client, first "
                "answer within %lld ms, then %d requests\n\n",
                sizes.rounds, sizes.requests, sizes.warmup, sizes.clients, sizes.perClient, sizes.slowConnections,
                static_cast<long long>(sizes.slowWait.count()), sizes.slowRequests);
    std::fflush(stdout);

    const std::vector<Figures> figures = measure(configs, sizes);

    auto row = [&](const char *label, auto value, const char *format) {
        std::printf("%-44s", label);
        for (const auto &f : figures) {
            const double v = value(f);
            if (std::isnan(v))
                std::printf(" %22s", "-");
            else
                std::printf(format, v);
        }
        std::printf("\n");
    };
    std::printf("%-44s", "");
    for (const auto &config : configs)
        std::printf(" %22s", config.name.c_str());
    std::printf("\n");
    row("one at a time: p50 us", [](const Figures &f) { return f.p50(); }, " %22.1f");
    row("one at a time: p99 us", [](const Figures &f) { return f.p99(); }, " %22.1f");
    row("64 clients: requests/s", [](const Figures &f) { return f.rate(); }, " %22.0f");
    row("64 clients: p99 us", [](const Figures &f) { return f.concurrentP99(); }, " %22.0f");
    row("64 clients: max us", [](const Figures &f) { return f.concurrentMax(); }, " %22.0f");
    row("64 clients: failed requests", [](const Figures &f) { return double(f.concurrentFailures); }, " %22.0f");
    row("64 clients: slowest connect() ms", [](const Figures &f) { return f.connectMaxMs; }, " %22.1f");
    row("server VmRSS idle MB", [](const Figures &f) { return f.rssIdle; }, " %22.1f");
    row("server VmRSS after 64 clients MB", [](const Figures &f) { return f.rssAfter; }, " %22.1f");
    row("64 slow conns: opening them ms", [](const Figures &f) { return f.slowOpenMs; }, " %22.1f");
    row("64 slow conns: first answer ms", [](const Figures &f) { return f.slowFirstMs; }, " %22.2f");
    row("64 slow conns: p50 us", [](const Figures &f) { return f.slowP50; }, " %22.1f");
    row("64 slow conns: requests answered", [](const Figures &f) { return double(f.slowAnswered); }, " %22.0f");
    row("reconnects (server closed keep-alive)", [](const Figures &f) { return double(f.reconnects); }, " %22.0f");
    std::printf("(\"-\": not measured; under slow connections: no answer within %lld ms)\n\n",
                static_cast<long long>(sizes.slowWait.count()));

    BenchGoals goals(quick);
    for (size_t i = 0; i < configs.size(); ++i) {
        const std::string &name = configs[i].name;
        const Figures &f = figures[i];
        goals.atMost(name + " p50 one-row latency", f.p50(), 60, "us");
        goals.atMost(name + " p99 one-row latency", f.p99(), 250, "us");
        goals.atLeast(name + " 64 clients throughput", f.rate(), 10000, "req/s");
        goals.atMost(name + " 64 clients p99 latency", f.concurrentP99(), 20000, "us");
        goals.atMost(name + " p50 with 64 slow connections open", f.slowP50, 100, "us");
    }
    return goals.exitCode();
}
