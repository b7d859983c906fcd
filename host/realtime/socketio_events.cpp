#include "realtime/socketio_events.hpp"

#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

#include "http/envelope.hpp"
#include "realtime/realtime_hub.hpp"

namespace clipdex::realtime {
namespace {

json fieldOr(const json& object, const char* key, json fallback = nullptr) {
    const auto it = object.find(key);
    return it != object.end() && !it->is_null() ? *it : std::move(fallback);
}

/// Copies `from[key]` to `to[as]` when present.
void copyIf(const json& from, const char* key, json& to, const char* as) {
    if (const auto it = from.find(key); it != from.end() && !it->is_null()) to[as] = *it;
}

/// The list inside an HTTP body: the top-level "results" superset key, else the paginated "data.data".
json resultsOf(const json& body) {
    if (body.contains("results")) return body["results"];
    if (body.contains("data") && body["data"].is_object() && body["data"].contains("data")) return body["data"]["data"];
    return json::array();
}

std::string requireString(const json& payload, const char* key) {
    const auto it = payload.find(key);
    if (it == payload.end() || !it->is_string() || it->get<std::string>().empty())
        throw BridgeError(std::string("'") + key + "' is required");
    return it->get<std::string>();
}

}  // namespace

SocketIoEvents::SocketIoEvents(Hub& hub, CommandBridge bridge, auth::Caller caller,
                               std::optional<ClientIdentity> identity, std::string auth_error)
    : hub_(hub),
      bridge_(bridge),
      caller_(std::move(caller)),
      identity_(std::move(identity)),
      auth_error_(std::move(auth_error)) {
    if (identity_) viewer_ = identity_->viewer;
}

std::vector<std::string> SocketIoEvents::progressMessages(const std::string& job_id, const json& progress) {
    const json status = progress.is_object() ? fieldOr(progress, "status", "") : json("");
    return {
        eventMessage("ingest_progress_update", progress),
        eventMessage(
            "progress_update",
            {{"task_run_id", job_id}, {"status", status}, {"data", progress}, {"timestamp", http::unixTimestamp()}})};
}

std::vector<std::string> SocketIoEvents::handle(std::string_view sio_text) {
    std::string error;
    const std::optional<SioPacket> packet = parseSioPacket(sio_text, error);
    if (!packet) {
        spdlog::debug("socket.io: dropping a malformed packet: {}", error);
        return {};
    }
    switch (packet->type) {
        case SioType::Connect: return onConnect(*packet);
        case SioType::Disconnect:
            if (packet->nsp == "/") connected_ = false;
            return {};
        case SioType::Event: return onEvent(*packet);
        default:
            spdlog::debug("socket.io: ignoring a packet of type {} from the client", static_cast<int>(packet->type));
            return {};
    }
}

std::vector<std::string> SocketIoEvents::onConnect(const SioPacket& packet) {
    if (packet.nsp != "/")
        return {
            encodeSioMessage({SioType::ConnectError, packet.nsp, std::nullopt, {{"message", "Invalid namespace"}}})};
    const json token = packet.data.is_object() ? packet.data.value("token", json()) : json();
    if (!identity_ && token.is_string() && !token.get<std::string>().empty()) {
        try {  // only while no identity exists: job threads read viewer_ once connected_ is set
            identity_ = bridge_.identify(auth::Credential{token.get<std::string>(), "bearer"}, caller_);
            viewer_ = identity_->viewer;
        } catch (const CommandError& error) {
            return {encodeSioMessage(
                {SioType::ConnectError, "/", std::nullopt, {{"message", authErrorMessage(error.what())}}})};
        }
    }
    if (!identity_) return {encodeSioMessage({SioType::ConnectError, "/", std::nullopt, {{"message", auth_error_}}})};
    connected_ = true;
    const std::string socket_id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    return {encodeSioMessage({SioType::Connect, "/", std::nullopt, {{"sid", socket_id}}}),
            eventMessage("connection_status", {{"connected", true},
                                               {"fallback_available", true},
                                               {"prefect_available", false},
                                               {"timestamp", http::unixTimestamp()}})};
}

std::vector<std::string> SocketIoEvents::onEvent(const SioPacket& packet) {
    if (!connected_ || packet.nsp != "/") {
        spdlog::debug("socket.io: ignoring an event before CONNECT or outside the default namespace");
        return {};
    }
    if (!packet.data.is_array() || packet.data.empty() || !packet.data[0].is_string()) {
        spdlog::debug("socket.io: ignoring an event without a name");
        return {};
    }
    const std::string name = packet.data[0];
    const json payload = packet.data.size() > 1 && packet.data[1].is_object() ? packet.data[1] : json::object();
    std::vector<std::string> out;
    json ack;  // what an acknowledgement callback receives

    if (name == "ping") {
        ack = {{"timestamp", http::unixTimestamp()}};
        out.push_back(eventMessage("pong", ack));
    } else if (name == "subscribe_progress") {
        ack = subscribeProgress(payload, out);
    } else if (name == "get_ingest_progress" || name == "search_request" || name == "get_video_details" ||
               name == "get_similar_videos" || name == "start_ingest") {
        bool failed = false;
        ack = runRequest(name, payload, failed);
        out.push_back(eventMessage(failed ? "response_error" : "response", ack));
    } else if (payload.contains("requestId")) {
        ack = {{"requestId", payload["requestId"]}, {"error", "Unknown event '" + name + "'"}};
        out.push_back(eventMessage("response_error", ack));
    } else {
        spdlog::debug("socket.io: ignoring unknown event '{}'", name);
        ack = {{"error", "Unknown event '" + name + "'"}};
    }
    if (packet.ack_id) out.push_back(encodeSioMessage({SioType::Ack, "/", packet.ack_id, json::array({ack})}));
    return out;
}

json SocketIoEvents::subscribeProgress(const json& payload, std::vector<std::string>& out) {
    const json request_id = fieldOr(payload, "requestId");
    const json task = fieldOr(payload, "task_run_id");
    try {
        if (!task.is_null() && !task.is_string()) throw BridgeError("task_run_id must be a string");
        const std::string job_id = task.is_string() ? task.get<std::string>() : std::string();
        out.push_back(eventMessage("ingest_progress_update", hub_.feed().progress(job_id, viewer_)));
        const json subscribed = {{"task_run_id", task},
                                 {"status", "subscribed"},
                                 {"request_id", request_id},
                                 {"timestamp", http::unixTimestamp()}};
        out.push_back(eventMessage("progress_subscribed", subscribed));
        return subscribed;
    } catch (const std::exception& error) {  // CommandError(NOT_FOUND) for unknown or invisible jobs
        const json refused = {{"message", error.what()},
                              {"error", error.what()},
                              {"request_id", request_id},
                              {"task_run_id", task},
                              {"fallback_to_rest", true}};
        out.push_back(eventMessage("progress_error", refused));
        return refused;
    }
}

json SocketIoEvents::runRequest(const std::string& name, const json& payload, bool& failed) {
    const json request_id = fieldOr(payload, "requestId");
    try {
        json result;
        if (name == "get_ingest_progress") {
            result = hub_.feed().progress("", viewer_);
        } else if (name == "search_request") {
            json args = json::object();
            copyIf(payload, "query", args, "q");
            copyIf(payload, "search_type", args, "type");
            copyIf(payload, "limit", args, "limit");
            copyIf(payload, "offset", args, "offset");
            const json body = bridge_.call("GET", "/api/search", {}, args, *identity_);
            result = {{"results", resultsOf(body)},
                      {"total", fieldOr(body, "total", 0)},
                      {"query", fieldOr(body, "query", fieldOr(payload, "query", ""))},
                      {"search_type", fieldOr(body, "search_type", fieldOr(payload, "search_type", "hybrid"))}};
        } else if (name == "get_video_details") {
            const json body = bridge_.call("GET", "/api/clips/{clip_id}",
                                           {{"clip_id", requireString(payload, "clipId")}}, json::object(), *identity_);
            result = body.contains("clip") ? body["clip"] : fieldOr(body, "data", body);
        } else if (name == "get_similar_videos") {
            json args = {{"clip_id", requireString(payload, "clipId")}};
            copyIf(payload, "limit", args, "limit");
            result = {{"results", resultsOf(bridge_.call("GET", "/api/search/similar", {}, args, *identity_))}};
        } else {  // start_ingest
            json args =
                payload.contains("options") && payload["options"].is_object() ? payload["options"] : json::object();
            args["directory"] = requireString(payload, "directory");
            const json body = bridge_.call("POST", "/api/ingest", {}, args, *identity_);
            result = fieldOr(body, "data", body);
        }
        return {{"requestId", request_id}, {"payload", std::move(result)}};
    } catch (const std::exception& error) {
        failed = true;
        return {{"requestId", request_id}, {"error", error.what()}};
    }
}

}  // namespace clipdex::realtime
