#include "realtime/socketio_endpoint.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "http/envelope.hpp"
#include "http/http_error.hpp"
#include "http/http_io.hpp"
#include "http/server_state.hpp"
#include "realtime/command_bridge.hpp"
#include "realtime/engineio_session.hpp"
#include "realtime/socketio_packets.hpp"
#include "realtime/websocket_io.hpp"

namespace clipdex::realtime {
namespace {

constexpr auto kPollStep = std::chrono::milliseconds(50);  // how quickly queued packets and stop() are noticed

// Engine.IO's HTTP error codes (engine.io Server.errorMessages), sent as {"code","message"} with status 400.
enum EngineIoError {
    kTransportUnknown = 0,
    kUnknownSid = 1,
    kBadHandshakeMethod = 2,
    kBadRequest = 3,
    kUnsupportedVersion = 5
};

int engineIoError(Poco::Net::HTTPServerResponse& response, EngineIoError code, const char* message) {
    http::sendJson(response, 400, {{"code", static_cast<int>(code)}, {"message", message}});
    return 400;
}

int sendText(Poco::Net::HTTPServerResponse& response, const std::string& body, const char* content_type) {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(content_type);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
    return 200;
}

/// One of the hub's parking slots for a long-poll, held for the poll's duration (if one was free).
struct ParkingSlot {
    explicit ParkingSlot(Hub& owner) : hub(owner), held(owner.tryParkPoll()) {}
    ~ParkingSlot() {
        if (held) hub.unparkPoll();
    }
    ParkingSlot(const ParkingSlot&) = delete;
    ParkingSlot& operator=(const ParkingSlot&) = delete;
    Hub& hub;
    const bool held;
};

std::string newSid() {
    std::string sid = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    std::erase(sid, '-');
    return sid;
}

/// The WebSocket side of a session, on its own thread. `upgrading`: the session began on polling and moves
/// over once the client has probed ("2probe" → "3probe") and confirmed ("5").
void runSocket(Hub& hub, const std::shared_ptr<EngineIoSession>& session, Poco::Net::WebSocket socket, bool upgrading) {
    bool active = !upgrading;  // whether this socket carries the session yet
    bool healthy = active ? realtime::sendText(socket, session->openPacket()) : true;
    while (healthy && !hub.stopping()) {
        if (active) {
            std::chrono::steady_clock::time_point deadline;
            for (const std::string& packet : session->takeOutgoing(deadline))
                healthy = healthy && realtime::sendText(socket, packet);
            if (session->closed()) break;
        } else if (session->closed()) {
            break;  // the polling session ended (timeout, client close) before the upgrade completed
        }
        const Incoming incoming = receiveMessage(socket, kPollStep);
        if (incoming.kind == Incoming::Kind::Closed) break;
        if (incoming.kind != Incoming::Kind::Text) continue;
        if (active) {
            session->receive(incoming.text);
        } else if (incoming.text == "2probe") {
            healthy = realtime::sendText(socket, "3probe");
            session->probed();
        } else if (incoming.text == std::string(1, eio::kUpgrade)) {
            session->upgraded();
            active = true;
        }
    }
    closeWebSocket(
        socket, hub.stopping() ? Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY : Poco::Net::WebSocket::WS_NORMAL_CLOSE);
    if (active) {  // a failed upgrade leaves the session on polling, as the client expects
        session->close("its websocket closed");
        hub.removeSession(session->sid());
    }
}

}  // namespace

bool isSocketIoPath(std::string_view path) {
    return path == "/socket.io" || path.rfind("/socket.io/", 0) == 0;
}

void SocketIoRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                           Poco::Net::HTTPServerResponse& response) {
    http::ServerState::InFlight in_flight(state_);
    http::applyCors(request, response);
    int status = 500;
    try {
        status = serve(request, response);
    } catch (const http::HttpError& error) {
        response.setKeepAlive(false);
        if (!response.sent()) http::sendJson(response, error.status(), http::errorEnvelope(error.what(), error.code()));
        status = error.status();
    } catch (const Poco::Net::WebSocketException& error) {  // Poco has already answered 400
        spdlog::debug("realtime: socket.io websocket handshake failed: {}", error.displayText());
        status = 400;
    } catch (const std::exception& error) {
        spdlog::error("realtime: {} /socket.io/ failed: {}", request.getMethod(), error.what());
        if (!response.sent())
            http::sendJson(response, 500, http::errorEnvelope("Internal server error", "INTERNAL_ERROR"));
    }
    spdlog::debug("http: {} /socket.io/ -> {}", request.getMethod(), status);
}

int SocketIoRequestHandler::serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    Hub* hub = state_.realtime.get();
    if (request.getMethod() == "OPTIONS") {
        http::sendNoContent(response);
        return 204;
    }
    if (hub == nullptr || state_.stopping) {
        response.setKeepAlive(false);
        http::sendJson(
            response, 503,
            http::errorEnvelope(hub == nullptr ? "Live progress is not available: this server runs without a job system"
                                               : "The server is shutting down",
                                "REALTIME_UNAVAILABLE"));
        return 503;
    }
    const Poco::URI uri(request.getURI());
    std::string eio, transport, sid;
    for (const auto& [name, value] : uri.getQueryParameters()) {
        if (name == "EIO") eio = value;
        if (name == "transport") transport = value;
        if (name == "sid") sid = value;
    }
    if (eio != "4") return engineIoError(response, kUnsupportedVersion, "Unsupported protocol version");
    if (transport != "polling" && transport != "websocket")
        return engineIoError(response, kTransportUnknown, "Transport unknown");

    std::shared_ptr<EngineIoSession> session;
    const bool existing = !sid.empty();
    if (existing) {
        session = hub->session(sid);
        if (!session) return engineIoError(response, kUnknownSid, "Session ID unknown");
    } else {
        if (request.getMethod() != "GET") return engineIoError(response, kBadHandshakeMethod, "Bad handshake method");
        std::optional<ClientIdentity> identity;
        std::string auth_error;
        const auth::Caller caller{"http", request.clientAddress().host().toString()};
        try {
            identity = identify(state_, request);
        } catch (const CommandError& error) {  // refused at Socket.IO CONNECT, where the panel expects it
            auth_error = authErrorMessage(error.what());
        }
        const auto kind =
            transport == "websocket" ? EngineIoSession::Transport::WebSocket : EngineIoSession::Transport::Polling;
        sid = newSid();
        session = std::make_shared<EngineIoSession>(
            *hub, sid, kind,
            std::make_unique<SocketIoEvents>(*hub, CommandBridge(state_), caller, std::move(identity),
                                             std::move(auth_error)));
        if (!hub->addSession(sid, session)) {
            response.setKeepAlive(false);
            http::sendJson(response, 503, http::errorEnvelope("Too many live connections", "REALTIME_BUSY"));
            return 503;
        }
        if (kind == EngineIoSession::Transport::Polling)
            return sendText(response, session->openPacket(), "text/plain; charset=UTF-8");
    }

    if (transport == "websocket") {
        const bool upgrading = existing;  // a known sid on the websocket transport is an upgrade from polling
        if (!isWebSocketUpgrade(request) ||
            (upgrading && session->transport() != EngineIoSession::Transport::Polling)) {
            if (!existing) hub->removeSession(sid);
            return engineIoError(response, kBadRequest, "Bad request");
        }
        auto socket =
            std::make_shared<Poco::Net::WebSocket>(acceptWebSocket(request, response, hub->options().max_payload));
        if (!hub->spawn([hub, session, socket, upgrading] { runSocket(*hub, session, *socket, upgrading); })) {
            closeWebSocket(*socket, Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY);
            if (!upgrading) hub->removeSession(session->sid());
        }
        return 101;
    }

    if (request.getMethod() == "GET") {
        const ParkingSlot slot(*hub);
        const std::optional<std::string> payload = session->poll(slot.held);
        if (!payload) return engineIoError(response, kBadRequest, "Bad request");
        if (session->closed()) hub->removeSession(session->sid());
        return sendText(response, *payload, "text/plain; charset=UTF-8");
    }
    if (request.getMethod() == "POST") {
        const std::string body = http::readBody(request, hub->options().max_payload);
        for (const std::string& packet : splitPayload(body)) session->receive(packet);
        return sendText(response, "ok", "text/html");
    }
    return engineIoError(response, kBadRequest, "Bad request");
}

}  // namespace clipdex::realtime
