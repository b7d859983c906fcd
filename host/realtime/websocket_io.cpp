#include "realtime/websocket_io.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <spdlog/spdlog.h>

namespace clipdex::realtime {
namespace {

constexpr long kSendTimeoutSeconds = 10;       // a client that stops reading is dropped rather than waited for
constexpr long kFrameReadTimeoutSeconds = 10;  // once a frame has started arriving

}  // namespace

bool isWebSocketUpgrade(const Poco::Net::HTTPServerRequest& request) {
    return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

Poco::Net::WebSocket acceptWebSocket(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                     std::size_t max_payload) {
    Poco::Net::WebSocket socket(request, response);
    socket.setMaxPayloadSize(static_cast<int>(max_payload));
    socket.setSendTimeout(Poco::Timespan(kSendTimeoutSeconds, 0));
    socket.setReceiveTimeout(Poco::Timespan(kFrameReadTimeoutSeconds, 0));
    return socket;
}

Incoming receiveMessage(Poco::Net::WebSocket& socket, std::chrono::milliseconds wait) {
    try {
        const Poco::Timespan timeout(static_cast<long>(wait.count() / 1000),
                                     static_cast<long>((wait.count() % 1000) * 1000));
        if (!socket.poll(timeout, Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR)) return {};
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        const int received = socket.receiveFrame(buffer, flags);
        const int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (received == 0 && flags == 0) return {Incoming::Kind::Closed, {}};  // the peer closed the TCP connection
        switch (opcode) {
            case Poco::Net::WebSocket::FRAME_OP_CLOSE: return {Incoming::Kind::Closed, {}};
            case Poco::Net::WebSocket::FRAME_OP_PING:
                socket.sendFrame(buffer.begin(), static_cast<int>(buffer.size()),
                                 static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) |
                                     static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PONG));
                return {};
            case Poco::Net::WebSocket::FRAME_OP_PONG: return {};
            case Poco::Net::WebSocket::FRAME_OP_TEXT:
                return {Incoming::Kind::Text, std::string(buffer.begin(), buffer.size())};
            default: return {Incoming::Kind::Binary, {}};
        }
    } catch (const Poco::Exception& error) {
        spdlog::debug("realtime: websocket read failed: {}", error.displayText());
        return {Incoming::Kind::Closed, {}};
    }
}

bool sendText(Poco::Net::WebSocket& socket, const std::string& text) {
    try {
        socket.sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
        return true;
    } catch (const Poco::Exception& error) {
        spdlog::debug("realtime: websocket send failed: {}", error.displayText());
        return false;
    }
}

void closeWebSocket(Poco::Net::WebSocket& socket, Poco::UInt16 status) {
    try {
        socket.shutdown(status);
    } catch (const Poco::Exception&) {
    }
    try {
        socket.close();
    } catch (const Poco::Exception&) {
    }
}

}  // namespace clipdex::realtime
