// SPDX-License-Identifier: MIT
#include "serve/http_server.h"

#include "serve/agent_service.h"

#include <QUrl>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <pthread.h>

namespace mlwb {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;

std::string decode(std::string_view text, bool plusIsSpace)
{
    std::string s(text);
    if (plusIsSpace)
        std::replace(s.begin(), s.end(), '+', ' ');
    return QUrl::fromPercentEncoding(QByteArray::fromStdString(s)).toStdString();
}

void splitTarget(std::string_view target, HttpRequest &r)
{
    const size_t q = target.find('?');
    r.path = decode(target.substr(0, q), false);
    if (q == std::string_view::npos)
        return;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const size_t eq = pair.find('=');
        if (!pair.empty())
            r.query[decode(pair.substr(0, eq), true)] = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1), true);
        if (amp == std::string_view::npos)
            break;
        rest = rest.substr(amp + 1);
    }
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

} // namespace

class SessionBase {
public:
    virtual ~SessionBase() = default;
    virtual void closeIfIdle() = 0;
    // Called on the session's own thread by its context's sweeper: cuts off a read or a write
    // that is past its deadline.
    virtual void sweep(std::chrono::steady_clock::time_point now) = 0;
    net::io_context *context = nullptr;
};

struct HttpServer::Impl {
    Handler handler;
    AgentConfig config;
    // One io_context per thread, each run by its thread alone, connections dealt round-robin:
    // a connection's handlers never contend for a reactor lock with another thread, and none
    // needs a strand. (One shared context with two threads spent most of a one-row request's
    // time in lock waits and wake-ups, measured with perf.)
    std::vector<std::unique_ptr<net::io_context>> contexts;
    size_t nextContext = 0;
    // A request waiting in a batcher leaves no operation pending on its context; without the
    // guards, run() would return once the acceptor closes and the answer could never be written.
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
    std::optional<ssl::context> tls;
    // Deadlines are plain time points that one timer per context checks every 100 ms: a timer
    // armed and cancelled per request costs timerfd system calls that, on this VM, were a
    // visible share of a one-row request.
    std::vector<std::unique_ptr<net::steady_timer>> sweepers;
    std::unique_ptr<tcp::acceptor> acceptorPtr;
    tcp::acceptor &acceptor;
    std::vector<std::thread> threads;
    std::atomic<int> open{0};
    std::atomic<bool> stopping{false};
    std::mutex sessionsMutex;
    std::condition_variable sessionsGone;
    std::map<quint64, std::weak_ptr<SessionBase>> sessions;
    quint64 nextSession = 0;

    static int threadCount(int configured)
    {
        return configured > 0 ? configured : int(std::max(1u, std::thread::hardware_concurrency()));
    }
    Impl(Handler h, const AgentConfig &c)
        : handler(std::move(h)), config(c), contexts(makeContexts(threadCount(c.threads))),
          acceptorPtr(std::make_unique<tcp::acceptor>(*contexts.front())), acceptor(*acceptorPtr)
    {
    }
    static std::vector<std::unique_ptr<net::io_context>> makeContexts(int n)
    {
        std::vector<std::unique_ptr<net::io_context>> v;
        for (int i = 0; i < n; ++i)
            v.push_back(std::make_unique<net::io_context>(1));
        return v;
    }

    quint64 enroll(const std::shared_ptr<SessionBase> &s)
    {
        std::lock_guard lock(sessionsMutex);
        sessions[++nextSession] = s;
        return nextSession;
    }
    void sweep(size_t index)
    {
        net::steady_timer &timer = *sweepers[index];
        timer.expires_after(std::chrono::milliseconds(100));
        timer.async_wait([this, index](beast::error_code ec) {
            if (ec)
                return;
            net::io_context *context = contexts[index].get();
            std::vector<std::shared_ptr<SessionBase>> mine;
            {
                std::lock_guard lock(sessionsMutex);
                for (auto &[id, weak] : sessions)
                    if (auto s = weak.lock(); s && s->context == context)
                        mine.push_back(std::move(s));
            }
            const auto now = std::chrono::steady_clock::now();
            for (auto &s : mine)
                s->sweep(now);
            mine.clear();
            sweep(index);
        });
    }
    void leave(quint64 id)
    {
        std::lock_guard lock(sessionsMutex);
        sessions.erase(id);
        --open;
        sessionsGone.notify_all();
    }
    void accept();
};

namespace {

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... Args>
    Session(HttpServer::Impl &server, tcp::socket &&socket, Args &&...args)
        : m_server(server), m_stream(std::move(socket), std::forward<Args>(args)...)
    {
        beast::error_code ec;
        const tcp::endpoint peer = lowest().socket().remote_endpoint(ec);
        if (!ec)
            m_remote = peer.address().to_string() + ':' + std::to_string(peer.port());
    }
    ~Session() override { m_server.leave(m_id); }

    void start(net::io_context &context)
    {
        this->context = &context;
        m_id = m_server.enroll(this->shared_from_this());
        net::dispatch(m_stream.get_executor(), [self = this->shared_from_this()] { self->begin(); });
    }

    void sweep(std::chrono::steady_clock::time_point now) override
    {
        beast::error_code ignored;
        if (now >= m_readBy) {
            m_readBy = kNever;
            m_timedOut = true;
            lowest().socket().cancel(ignored);
        }
        if (now >= m_writeBy) {
            m_writeBy = kNever;
            lowest().socket().close(ignored);
        }
    }

    void closeIfIdle() override
    {
        net::post(m_stream.get_executor(), [self = this->shared_from_this()] {
            if (self->m_waiting && self->m_buffer.size() == 0 && !(self->m_parser && self->m_parser->got_some())) {
                beast::error_code ec;
                self->lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
                self->lowest().cancel();
            }
        });
    }

private:
    beast::tcp_stream &lowest() { return beast::get_lowest_layer(m_stream); }
    const AgentConfig::Limits &limits() const { return m_server.config.limits; }

    void begin()
    {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            armReadDeadline(limits().readTimeoutMs);
            m_stream.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                self->m_readBy = kNever;
                if (!ec)
                    self->readHeader(true);
            });
        } else {
            readHeader(true);
        }
    }

    // The read deadline is checked by the sweeper, not the stream's timer: the stream's closes
    // the socket when it fires, and a client cut off mid-request should still read its 408.
    void armReadDeadline(int ms)
    {
        m_timedOut = false;
        m_readBy = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    }

    void readHeader(bool first)
    {
        if (m_server.stopping)
            return close();
        m_parser.emplace();
        m_parser->header_limit(kMaxHeaderBytes);
        m_parser->body_limit(std::uint64_t(limits().maxBodyBytes));
        m_waiting = true;
        armReadDeadline(first ? limits().readTimeoutMs : limits().keepAliveMs);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
    }

    void onHeader(beast::error_code ec)
    {
        m_waiting = false;
        if (ec)
            return readFailed(ec);
        armReadDeadline(limits().readTimeoutMs);
        const auto &req = m_parser->get();
        if (beast::iequals(req[http::field::expect], "100-continue")) {
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
            http::async_write(m_stream, *cont, [self = this->shared_from_this(), cont](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->close();
                self->readBody();
            });
            return;
        }
        readBody();
    }

    void readBody()
    {
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
    }

    void readFailed(beast::error_code ec)
    {
        const bool started = m_buffer.size() > 0 || (m_parser && m_parser->got_some());
        if (ec == http::error::body_limit)
            return refuse(413, QStringLiteral("the request body is over the limit of %1 bytes").arg(limits().maxBodyBytes));
        if (ec == http::error::header_limit)
            return refuse(431, QStringLiteral("the request headers are over the limit of %1 bytes").arg(kMaxHeaderBytes));
        m_readBy = kNever;
        if (m_timedOut || ec == beast::error::timeout) {
            if (started)
                return refuse(408, QStringLiteral("the request did not arrive within %1 ms").arg(limits().readTimeoutMs));
            return close();
        }
        if (ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
            ec != http::error::partial_message)
            return refuse(400, QStringLiteral("malformed HTTP request: %1").arg(QString::fromStdString(ec.message())));
        close(); // the client went away, or the agent is stopping
    }

    void refuse(int status, const QString &message)
    {
        write(HttpResponse::error(status, message), false, 11);
    }

    void onBody(beast::error_code ec)
    {
        m_readBy = kNever;
        if (ec)
            return readFailed(ec);
        auto &req = m_parser->get();
        HttpRequest r;
        r.method = std::string(req.method_string());
        splitTarget(std::string_view(req.target().data(), req.target().size()), r);
        for (const auto &field : req)
            r.headers[lower(std::string_view(field.name_string().data(), field.name_string().size()))] = std::string(field.value());
        r.body = std::move(req.body());
        r.remote = m_remote;
        const bool keepAlive = req.keep_alive();
        const unsigned version = req.version();
        const bool head = req.method() == http::verb::head;
        m_parser.reset();
        m_busy = true;
        m_server.handler(std::move(r), [self = this->shared_from_this(), keepAlive, version, head](HttpResponse response) {
            // dispatch: an answer made on this strand (no batching) is written at once, one from
            // a batcher's thread is queued to the strand.
            net::dispatch(self->m_stream.get_executor(), [self, keepAlive, version, head, response = std::move(response)]() mutable {
                if (response.complete) {
                    auto complete = std::move(response.complete);
                    complete(response);
                }
                if (head)
                    response.body.clear();
                auto written = std::move(response.written);
                self->write(std::move(response), keepAlive, version);
                if (written)
                    written();
            });
        });
    }

    void write(HttpResponse response, bool keepAlive, unsigned version)
    {
        auto res = std::make_shared<http::response<http::string_body>>(http::status(response.status), version);
        res->set(http::field::server, "mlwb-agent");
        res->set(http::field::content_type, response.contentType);
        for (const auto &[name, value] : response.headers)
            res->set(name, value);
        res->body() = std::move(response.body);
        res->keep_alive(keepAlive && !m_server.stopping);
        res->prepare_payload();
        m_readBy = kNever;
        m_writeBy = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits().writeTimeoutMs);
        http::async_write(m_stream, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
            self->m_writeBy = kNever;
            self->m_busy = false;
            if (ec || !res->keep_alive())
                return self->close();
            self->readHeader(false);
        });
    }

    void close()
    {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            lowest().expires_after(std::chrono::seconds(1));
            m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {
                beast::error_code ec;
                self->lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
                self->lowest().close();
            });
        } else {
            beast::error_code ec;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
            lowest().close();
        }
    }

    HttpServer::Impl &m_server;
    Stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::string m_remote;
    static constexpr std::chrono::steady_clock::time_point kNever = std::chrono::steady_clock::time_point::max();
    std::chrono::steady_clock::time_point m_readBy = kNever;
    std::chrono::steady_clock::time_point m_writeBy = kNever;
    quint64 m_id = 0;
    bool m_timedOut = false;
    bool m_waiting = false;
    bool m_busy = false;
};

// The answer to a connection over the limit: written, then closed.
void refuseConnection(tcp::socket socket)
{
    static const std::string busy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
        "Content-Length: 52\r\n\r\n{\"error\": \"the agent has too many open connections\"}";
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    net::async_write(*s, net::buffer(busy), [s](beast::error_code, std::size_t) {
        beast::error_code ec;
        s->shutdown(tcp::socket::shutdown_both, ec);
        s->close(ec);
    });
}

} // namespace

void HttpServer::Impl::accept()
{
    net::io_context &next = *contexts[nextContext++ % contexts.size()];
    acceptor.async_accept(next, [this, &next](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor.is_open())
            return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            if (stopping) {
                beast::error_code ignored;
                socket.close(ignored);
            } else if (open.load() >= config.limits.maxConnections) {
                refuseConnection(std::move(socket));
            } else {
                ++open;
                if (tls)
                    std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket), *tls)->start(next);
                else
                    std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket))->start(next);
            }
        }
        accept();
    });
}

HttpServer::HttpServer(AgentService &service, const AgentConfig &config)
    : HttpServer([&service](HttpRequest r, Done done) { service.handle(std::move(r), std::move(done)); }, config)
{
}

HttpServer::HttpServer(Handler handler, const AgentConfig &config) : d(std::make_unique<Impl>(std::move(handler), config)) {}

HttpServer::~HttpServer()
{
    stop(0);
}

Result<int> HttpServer::listen()
{
    const AgentConfig &c = d->config;
    if (c.tls()) {
        d->tls.emplace(ssl::context::tls_server);
        d->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        beast::error_code ec;
        d->tls->use_certificate_chain_file(c.tlsCert.toStdString(), ec);
        if (ec)
            return invalidInput(QStringLiteral("--tls-cert %1: %2").arg(c.tlsCert, QString::fromStdString(ec.message())));
        d->tls->use_private_key_file(c.tlsKey.toStdString(), ssl::context::pem, ec);
        if (ec)
            return invalidInput(QStringLiteral("--tls-key %1: %2").arg(c.tlsKey, QString::fromStdString(ec.message())));
    }
    beast::error_code ec;
    const net::ip::address address = net::ip::make_address(c.host.toStdString(), ec);
    if (ec)
        return invalidInput(QStringLiteral("--listen: \"%1\" is not an IP address").arg(c.host));
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(c.port));
    d->acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        d->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec)
        d->acceptor.bind(endpoint, ec);
    if (!ec)
        d->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        return ioError(QStringLiteral("cannot listen on %1:%2: %3").arg(c.host).arg(c.port).arg(QString::fromStdString(ec.message())));
    return int(d->acceptor.local_endpoint().port());
}

void HttpServer::start()
{
    for (auto &c : d->contexts)
        d->work.push_back(net::make_work_guard(*c));
    for (size_t i = 0; i < d->contexts.size(); ++i) {
        d->sweepers.push_back(std::make_unique<net::steady_timer>(*d->contexts[i]));
        d->sweep(i);
    }
    d->accept();
    for (auto &c : d->contexts)
        d->threads.emplace_back([context = c.get()] {
            ::pthread_setname_np(::pthread_self(), "mlwb-http"); // as top -H and perf show it
            context->run();
        });
}

void HttpServer::stop(int graceMs)
{
    if (d->threads.empty())
        return;
    d->stopping = true;
    net::post(d->acceptor.get_executor(), [this] {
        beast::error_code ec;
        d->acceptor.close(ec);
    });
    {
        std::vector<std::shared_ptr<SessionBase>> live;
        {
            std::lock_guard lock(d->sessionsMutex);
            for (auto &[id, weak] : d->sessions)
                if (auto s = weak.lock())
                    live.push_back(std::move(s));
        }
        for (auto &s : live)
            s->closeIfIdle();
    }
    {
        std::unique_lock lock(d->sessionsMutex);
        d->sessionsGone.wait_for(lock, std::chrono::milliseconds(graceMs), [this] { return d->open.load() == 0; });
    }
    d->work.clear();
    for (auto &c : d->contexts)
        c->stop();
    for (std::thread &t : d->threads)
        t.join();
    d->threads.clear();
}

int HttpServer::connections() const
{
    return d->open.load();
}

} // namespace mlwb
