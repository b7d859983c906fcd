// The frame-level chores both WebSocket endpoints share, over Poco::Net::WebSocket: accepting an upgrade,
// waiting for one text message while staying responsive, answering control frames, sending text.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/WebSocket.h>

#include <chrono>
#include <optional>
#include <string>

namespace clipdex::realtime {

/// True when the request asks for a WebSocket upgrade.
bool isWebSocketUpgrade(const Poco::Net::HTTPServerRequest& request);

/// Completes the handshake; the returned socket no longer belongs to the HTTP connection. Throws
/// Poco::Net::WebSocketException (after replying 400) when the request is not a valid upgrade.
Poco::Net::WebSocket acceptWebSocket(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                     std::size_t max_payload);

struct Incoming {
    enum class Kind { Nothing, Text, Binary, Closed };
    Kind kind = Kind::Nothing;
    std::string text;
};

/// Waits up to `wait` for a data frame. Answers pings itself; a close frame, a broken connection or an
/// oversized frame yield Kind::Closed. Never throws.
Incoming receiveMessage(Poco::Net::WebSocket& socket, std::chrono::milliseconds wait);

/// Sends one text frame; false when the connection broke. Never throws.
bool sendText(Poco::Net::WebSocket& socket, const std::string& text);

/// Sends a close frame (best effort) and closes the socket. Never throws.
void closeWebSocket(Poco::Net::WebSocket& socket, Poco::UInt16 status);

}  // namespace clipdex::realtime
