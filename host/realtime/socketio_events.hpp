// The Socket.IO application layer of clipdex: the events the Premiere panels send and receive (inventory §5.6,
// §7.2, §7.5, §7.6). Transport-agnostic: it turns one incoming Socket.IO packet into Engine.IO packets to send.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "realtime/command_bridge.hpp"
#include "realtime/socketio_packets.hpp"

namespace clipdex::realtime {

class Hub;

class SocketIoEvents {
public:
    /// `identity` is nullopt when the handshake carried none that was accepted; `auth_error` then says why,
    /// and CONNECT is refused with it unless the CONNECT packet brings its own {"token"} (socket.io-client's
    /// `auth` option, for browsers that can set neither headers nor cookies on a WebSocket).
    SocketIoEvents(Hub& hub, CommandBridge bridge, auth::Caller caller, std::optional<ClientIdentity> identity,
                   std::string auth_error);

    /// Handles the data of one Engine.IO message packet; returns the Engine.IO packets to send back.
    std::vector<std::string> handle(std::string_view sio_text);

    /// True once the default namespace is connected: only then does the client receive progress.
    bool connected() const noexcept { return connected_.load(); }
    const jobs::Viewer& viewer() const noexcept { return viewer_; }

    /// The broadcast for one progress change: ingest_progress_update (the SDB panel) and progress_update
    /// (the second client generation).
    static std::vector<std::string> progressMessages(const std::string& job_id, const json& progress);

private:
    std::vector<std::string> onConnect(const SioPacket& packet);
    std::vector<std::string> onEvent(const SioPacket& packet);
    /// Runs one request/response event; returns the event's reply (`response` or `response_error` body).
    json runRequest(const std::string& name, const json& payload, bool& failed);
    json subscribeProgress(const json& payload, std::vector<std::string>& out);

    Hub& hub_;
    CommandBridge bridge_;
    auth::Caller caller_;
    // Set before the first CONNECT completes and never after, so job threads can read viewer_ once they
    // have seen connected_ (an atomic, hence the ordering).
    std::optional<ClientIdentity> identity_;
    std::string auth_error_;
    jobs::Viewer viewer_;
    std::atomic<bool> connected_{false};  // read by job threads deciding whether to queue progress
};

}  // namespace clipdex::realtime
