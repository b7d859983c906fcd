#include "http/http_server.hpp"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "http/envelope.hpp"
#include "http/openapi.hpp"
#include "http/request_args.hpp"
#include "http/request_handler.hpp"
#include "http/server_state.hpp"
#include "realtime/api_ws.hpp"
#include "realtime/socketio_endpoint.hpp"

namespace clipdex::http {
namespace {

constexpr auto kDrainTimeout = std::chrono::seconds(5);  // in-flight requests get this long after stop()
constexpr auto kCancelGrace = std::chrono::seconds(5);   // then are cancelled and get this long again
constexpr long kKeepAliveSeconds = 10;
constexpr long kSocketTimeoutSeconds = 60;
constexpr long kWorkerIdleMicros = 200 * 1000;

/// Blocks SIGINT and SIGTERM in the calling thread while alive. Threads inherit the mask of the thread that
/// creates them, so creating the server's threads inside this scope keeps those signals away from them:
/// serveUntilSignal() then receives them with sigwait instead of a random worker dying of the default action.
class SignalShield {
public:
    SignalShield() {
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, &previous_);
    }
    ~SignalShield() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    SignalShield(const SignalShield&) = delete;
    SignalShield& operator=(const SignalShield&) = delete;

private:
    sigset_t previous_;
};

CommandDecl builtinDecl(std::string id, std::string summary, std::string path) {
    CommandDecl decl;
    decl.id = std::move(id);
    decl.summary = std::move(summary);
    decl.http_method = "GET";
    decl.http_path = std::move(path);
    decl.args = json{{"type", "object"}, {"properties", json::object()}};
    decl.auth = "none";  // health and the API description answer anyone, in team mode too
    return decl;
}

/// Sends the live-progress endpoints to their own handlers and everything else to the command router.
class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(ServerState& state) : state_(state) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
        const std::string& uri = request.getURI();
        const std::string path = uri.substr(0, uri.find('?'));
        if (path == realtime::kApiWsPath) return new realtime::ApiWsRequestHandler(state_);
        if (realtime::isSocketIoPath(path)) return new realtime::SocketIoRequestHandler(state_);
        return new RequestHandler(state_);
    }

private:
    ServerState& state_;
};

}  // namespace

struct HttpServer::Impl {
    ServerState state;
    std::vector<std::unique_ptr<BuiltinCommand>> builtins;
    json openapi;
    std::unique_ptr<Poco::ThreadPool> pool;  // our own pool, so stop() can join exactly our threads
    std::unique_ptr<Poco::Net::HTTPServer> server;
    Poco::Net::ServerSocket listener;  // shares the server's socket, so stop() can wake its acceptor
    std::uint16_t bound_port = 0;
};

HttpServer::HttpServer(std::vector<Command*> commands, ServerOptions options) : impl_(std::make_unique<Impl>()) {
    if (options.max_threads < 1) throw std::invalid_argument("http: max_threads must be at least 1");
    impl_->state.options = std::move(options);
    impl_->state.cache.setBudget(impl_->state.options.catalog_version ? impl_->state.options.response_cache_bytes : 0);
    Impl& impl = *impl_;

    // The host's own routes go through the same table, so a plugin claiming /api/health is a clash.
    const std::string version = impl.state.options.version;
    impl.builtins.push_back(std::make_unique<BuiltinCommand>(
        builtinDecl("health", "Server health and version", "/api/health"), [version](Invocation&) {
            return json{{"status", "healthy"}, {"version", version}, {"timestamp", unixTimestamp()}};
        }));
    CommandDecl openapi_decl = builtinDecl("openapi", "This OpenAPI document", "/api/openapi.json");
    openapi_decl.output = json{{"http_envelope", false}};
    impl.builtins.push_back(
        std::make_unique<BuiltinCommand>(std::move(openapi_decl), [&impl](Invocation&) { return impl.openapi; }));

    std::vector<Command*> routed;
    for (auto& builtin : impl.builtins) routed.push_back(builtin.get());
    routed.insert(routed.end(), commands.begin(), commands.end());
    for (Command* command : routed) {
        if (command == nullptr) continue;
        const CommandDecl& decl = command->decl();
        if (decl.http_method.empty() || decl.cli_only_in_process) continue;
        impl.state.routes.add(*command);
        impl.state.http_schemas[command] = httpArgsSchema(decl.args);
    }
    impl.openapi = buildOpenApi(impl.state.routes.routes(), impl.state.options.version);
}

HttpServer::~HttpServer() {
    try {
        stop();
    } catch (const std::exception& error) {
        spdlog::error("http: error while stopping: {}", error.what());
    }
}

void HttpServer::start() {
    Impl& impl = *impl_;
    if (impl.server) throw std::logic_error("http: server already started");
    const ServerOptions& options = impl.state.options;
    const std::string where = options.host + ":" + std::to_string(options.port);

    SignalShield shield;
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(options.host, options.port), /*reuseAddress=*/true);
        socket.listen(128);
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("http: cannot listen on " + where + ": " + error.displayText());
    }
    impl.bound_port = socket.address().port();
    impl.listener = socket;

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.max_threads);
    params->setMaxQueued(std::max(64, options.max_threads * 4));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(kKeepAliveSeconds, 0));
    params->setTimeout(Poco::Timespan(kSocketTimeoutSeconds, 0));
    params->setSoftwareVersion("clipdex/" + options.version);
    // Poco's dispatcher can miss stop()'s wake-up when a worker is between its "stopped?" check and its wait
    // for the next connection; it then sleeps this long and stop() (joining the pool) waits with it. Poco's
    // default is 10 s; a short idle wait only costs an idle worker a cheap wake-up now and then.
    params->setThreadIdleTime(Poco::Timespan(0, kWorkerIdleMicros));

    impl.state.stopping = false;
    if (options.progress_feed) {
        // Parked long-polls hold pool threads, so at most half of them may; the rest keep serving requests.
        realtime::RealtimeOptions realtime = options.realtime;
        realtime.max_parked_polls =
            std::min(realtime.max_parked_polls, static_cast<std::size_t>(std::max(1, options.max_threads / 2)));
        impl.state.realtime = std::make_unique<realtime::Hub>(options.progress_feed, realtime);
    }
    impl.pool = std::make_unique<Poco::ThreadPool>(1, options.max_threads);
    impl.server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(impl.state), *impl.pool, socket, params);
    impl.state.disconnects.start();
    impl.server->start();
    spdlog::info("http: listening on http://{}:{} ({} routes, {} threads)", options.host, impl.bound_port,
                 impl.state.routes.routes().size(), options.max_threads);
}

std::uint16_t HttpServer::port() const {
    return impl_->bound_port;
}

void HttpServer::stop() {
    Impl& impl = *impl_;
    if (!impl.server) return;
    impl.state.stopping = true;
    // Poco's acceptor polls in 250 ms steps; shutting the listening socket down wakes it at once.
    try {
        impl.listener.impl()->shutdown();
    } catch (const Poco::Exception&) {
    }
    impl.server->stop();  // no new connections; requests on open connections now get 503 and a close
    // Closes live sockets and releases parked long-polls, so they do not count as requests still running.
    if (impl.state.realtime) impl.state.realtime->stop();
    if (!impl.state.waitIdle(kDrainTimeout)) {
        spdlog::warn("http: requests still running after {} s; cancelling them", kDrainTimeout.count());
        impl.state.disconnects.cancelAll();
        if (!impl.state.waitIdle(kCancelGrace))
            spdlog::warn("http: requests ignore cancellation; waiting for them to return");
    }
    // Idle keep-alive connections would otherwise hold their threads until the keep-alive timeout.
    impl.server->stopAll(/*abortCurrent=*/true);
    impl.pool->joinAll();  // no request thread may outlive the commands and state it uses
    impl.state.disconnects.stop();
    impl.server.reset();
    impl.pool.reset();
    impl.state.realtime.reset();
    impl.listener.close();
    spdlog::debug("http: stopped");
}

json HttpServer::openApi() const {
    return impl_->openapi;
}

int serveUntilSignal(HttpServer& server) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    // Left blocked on purpose: the process is about to exit, and a second Ctrl-C during the bounded
    // drain must not kill it halfway through the shutdown.
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    int received = 0;
    if (sigwait(&signals, &received) != 0) received = SIGTERM;
    spdlog::info("http: {} received, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
    server.stop();
    return 0;
}

}  // namespace clipdex::http
