#include "realtime/api_ws.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "core/status.hpp"
#include "http/envelope.hpp"
#include "http/http_io.hpp"
#include "http/server_state.hpp"
#include "realtime/command_bridge.hpp"
#include "realtime/progress_coalescer.hpp"
#include "realtime/realtime_hub.hpp"
#include "realtime/websocket_io.hpp"

namespace clipdex::realtime {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollStep = std::chrono::milliseconds(50);  // how quickly queued progress and stop() are noticed

/// One open /api/ws socket. Its thread (Hub::spawn) reads client messages and writes everything; job threads
/// only hand progress to the coalescer under the lock.
class ApiWsConnection final : public ProgressSink {
public:
    ApiWsConnection(Hub& hub, Poco::Net::WebSocket socket, jobs::Viewer viewer)
        : hub_(hub),
          socket_(std::move(socket)),
          viewer_(std::move(viewer)),
          progress_(hub.options().progress_interval) {}

    void onProgress(const std::string& job_id, const std::string& owner, const json& progress) override {
        if (!canSee(viewer_, owner)) return;
        std::lock_guard lock(mutex_);
        if (all_jobs_ || jobs_.count(job_id) > 0) progress_.offer(job_id, progress);
    }

    /// For a connection that will never run (no thread was free): tell the client to come back later.
    void abandon() { closeWebSocket(socket_, Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY); }

    void run() {
        auto next_heartbeat = Clock::now() + hub_.options().heartbeat_interval;
        while (!hub_.stopping()) {
            const Incoming incoming = receiveMessage(socket_, kPollStep);
            if (incoming.kind == Incoming::Kind::Closed) break;
            if (incoming.kind == Incoming::Kind::Text && !send(answer(incoming.text))) break;
            if (incoming.kind == Incoming::Kind::Binary && !send(error("Binary messages are not supported"))) break;
            const auto now = Clock::now();
            if (!flushProgress(now)) break;
            if (now >= next_heartbeat) {
                if (!send({{"type", "heartbeat"}, {"timestamp", http::unixTimestamp()}})) break;
                next_heartbeat = now + hub_.options().heartbeat_interval;
            }
        }
        closeWebSocket(socket_, hub_.stopping() ? Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY
                                                : Poco::Net::WebSocket::WS_NORMAL_CLOSE);
    }

private:
    static json error(const std::string& message) { return {{"type", "error"}, {"message", message}}; }

    bool send(const json& message) { return message.is_null() || sendText(socket_, dumpJson(message)); }

    bool flushProgress(Clock::time_point now) {
        std::vector<std::pair<std::string, json>> due;
        {
            std::lock_guard lock(mutex_);
            due = progress_.takeDue(now);
        }
        for (auto& [job_id, progress] : due)
            if (!send({{"type", "progress_update"}, {"job_id", job_id}, {"progress", std::move(progress)}}))
                return false;
        return true;
    }

    json answer(const std::string& text) {
        const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (message.is_discarded()) return error("Invalid JSON");
        if (!message.is_object() || !message.contains("type") || !message["type"].is_string())
            return error("Messages are JSON objects with a string \"type\"");
        const std::string type = message["type"];
        const json job = message.value("job_id", json());
        if (!job.is_null() && !job.is_string()) return error("job_id must be a string");
        const std::string job_id = job.is_string() ? job.get<std::string>() : std::string();

        if (type == "ping") return {{"type", "pong"}, {"timestamp", http::unixTimestamp()}};
        if (type == "subscribe") {
            json snapshot;
            try {  // no job id: the viewer's latest job stands for "everything I may see"
                snapshot = hub_.feed().progress(job_id, viewer_);
            } catch (const std::exception& refused) {
                return error(refused.what());
            }
            std::lock_guard lock(mutex_);
            if (job_id.empty()) {
                all_jobs_ = true;
            } else {
                jobs_.insert(job_id);
                progress_.markSent(job_id, Clock::now());  // the snapshot is this job's latest state
            }
            return {{"type", "subscribed"}, {"job_id", job}, {"progress", std::move(snapshot)}};
        }
        if (type == "unsubscribe") {
            std::lock_guard lock(mutex_);
            if (job_id.empty()) {
                all_jobs_ = false;
                jobs_.clear();
            } else {
                jobs_.erase(job_id);
            }
            progress_.drop(job_id);
            return {{"type", "unsubscribed"}, {"job_id", job}};
        }
        return error("Unknown message type '" + type + "' (expected subscribe, unsubscribe or ping)");
    }

    Hub& hub_;
    Poco::Net::WebSocket socket_;
    const jobs::Viewer viewer_;
    std::mutex mutex_;
    bool all_jobs_ = false;
    std::set<std::string> jobs_;
    ProgressCoalescer progress_;
};

void refuse(Poco::Net::HTTPServerResponse& response, int status, const std::string& code, const std::string& message) {
    http::sendJson(response, status, http::errorEnvelope(message, code));
}

}  // namespace

void ApiWsRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response) {
    http::ServerState::InFlight in_flight(state_);
    http::applyCors(request, response);
    response.setKeepAlive(false);
    Hub* hub = state_.realtime.get();
    int status = 101;
    try {
        if (hub == nullptr || state_.stopping) {
            status = 503;
            refuse(response, status, "REALTIME_UNAVAILABLE",
                   hub == nullptr ? "Live progress is not available: this server runs without a job system"
                                  : "The server is shutting down");
        } else if (request.getMethod() != "GET" || !isWebSocketUpgrade(request)) {
            status = 400;
            refuse(response, status, "INVALID_REQUEST",
                   "/api/ws expects a WebSocket upgrade (GET with Upgrade: websocket)");
        } else {
            ClientIdentity identity = identify(state_, request);
            auto connection = std::make_shared<ApiWsConnection>(
                *hub, acceptWebSocket(request, response, hub->options().max_payload), identity.viewer);
            hub->addSink(connection);
            if (!hub->spawn([hub, connection] {
                    connection->run();
                    hub->removeSink(connection.get());
                })) {
                hub->removeSink(connection.get());
                connection->abandon();
                spdlog::warn("realtime: refusing a WebSocket: {} connections open", hub->options().max_connections);
                status = 503;
            }
        }
    } catch (const CommandError& error) {
        status = httpStatusFor(error.status());
        refuse(response, status, error.details().value("code", "AUTH_REQUIRED"), authErrorMessage(error.what()));
    } catch (const Poco::Exception& error) {  // not a valid upgrade: Poco has already answered 400
        status = 400;
        spdlog::debug("realtime: /api/ws handshake failed: {}", error.displayText());
    }
    spdlog::info("http: GET {} -> {}", kApiWsPath, status);
}

}  // namespace clipdex::realtime
