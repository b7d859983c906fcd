// A client WebSocket to /api/ws for the live-progress suites: send JSON or raw text, read messages, wait for
// one of a given type.
#pragma once

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/json.hpp"

namespace clipdex::test {

/// A client WebSocket to /api/ws.
class WsClient {
public:
    explicit WsClient(std::uint16_t port, const std::map<std::string, std::string>& headers = {})
        : session_("127.0.0.1", port),
          request_(Poco::Net::HTTPRequest::HTTP_GET, "/api/ws", Poco::Net::HTTPMessage::HTTP_1_1) {
        for (const auto& [name, value] : headers) request_.set(name, value);
        socket_.emplace(session_, request_, response_);
        socket_->setReceiveTimeout(Poco::Timespan(60, 0));  // a safety net for a test that would hang, not a timing
    }

    void send(const json& message) { sendText(message.dump()); }
    void sendText(const std::string& text) {
        socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
    }

    /// The next text message as JSON; null when the socket closed or broke, or nothing came for a minute.
    json receive() {
        try {
            Poco::Buffer<char> buffer(0);
            int flags = 0;
            const int received = socket_->receiveFrame(buffer, flags);
            const int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
            if (received <= 0 || opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) return nullptr;
            return json::parse(std::string(buffer.begin(), buffer.size()));
        } catch (const Poco::Exception&) {  // a timeout, or a reset by a killed server
            return nullptr;
        }
    }

    /// The next message of `type` accepted by `accept`, skipping others; null (and a test failure) on a close or
    /// when none came within a minute (heartbeats included).
    json next(const std::string& type, const std::function<bool(const json&)>& accept = {}) {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (;;) {
            json message = receive();
            if (message.is_null() || std::chrono::steady_clock::now() > give_up) {
                ADD_FAILURE() << "socket closed (or no " << type << " for a minute)";
                return nullptr;
            }
            if (message["type"] == type && (!accept || accept(message))) return message;
        }
    }

private:
    Poco::Net::HTTPClientSession session_;
    Poco::Net::HTTPRequest request_;
    Poco::Net::HTTPResponse response_;
    std::optional<Poco::Net::WebSocket> socket_;
};

}  // namespace clipdex::test
