// /socket.io/: Engine.IO v4 (HTTP long-polling and WebSocket, with the polling → WebSocket upgrade) carrying
// Socket.IO v5 for the Premiere panels (inventory §7.2, §7.5, §7.6; docs/service/realtime.md).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string_view>

namespace clipdex::http {
struct ServerState;
}

namespace clipdex::realtime {

/// "/socket.io" or anything under "/socket.io/".
bool isSocketIoPath(std::string_view path);

class SocketIoRequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit SocketIoRequestHandler(http::ServerState& state) : state_(state) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    /// Returns the status sent.
    int serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    http::ServerState& state_;
};

}  // namespace clipdex::realtime
