// One Engine.IO v4 session (a sid): the packets waiting for the client, the server's ping/pong clock, the
// per-job progress throttle and the Socket.IO layer on top. Both transports drive it: a long-poll GET takes
// the waiting packets (parking until there are some), and a WebSocket thread drains them as they come. An
// upgrade moves a polling session onto a WebSocket (2probe / 3probe / 5).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "realtime/progress_coalescer.hpp"
#include "realtime/realtime_hub.hpp"
#include "realtime/socketio_events.hpp"

namespace clipdex::realtime {

class EngineIoSession final : public ProgressSink {
public:
    using Clock = std::chrono::steady_clock;
    enum class Transport { Polling, WebSocket };

    EngineIoSession(Hub& hub, std::string sid, Transport transport, std::unique_ptr<SocketIoEvents> events);

    const std::string& sid() const noexcept { return sid_; }
    /// The open packet: 0{"sid","upgrades","pingInterval","pingTimeout","maxPayload"}.
    std::string openPacket() const;

    void onProgress(const std::string& job_id, const std::string& owner, const json& progress) override;

    /// Handles one packet from the client (a POST body record or a WebSocket frame).
    void receive(const std::string& packet);

    /// Long-poll GET: waits (when `may_wait`) until packets are due or the session closes, and returns the
    /// payload; without waiting an empty poll gets a noop. nullopt when another poll is already parked on this
    /// session or it no longer uses polling (a protocol error).
    std::optional<std::string> poll(bool may_wait);

    /// WebSocket transport: the packets due now; `deadline` is set to when more may become due.
    std::vector<std::string> takeOutgoing(Clock::time_point& deadline);

    /// Upgrade: the probe arrived on the new WebSocket, so a parked poll is released with a noop; then "5"
    /// switches the session over.
    void probed();
    void upgraded();

    Transport transport() const;
    bool closed() const;
    void close(const char* reason);
    /// A polling session whose client stopped polling and answering pings.
    bool abandoned(Clock::time_point now) const;

private:
    std::vector<std::string> takeDueLocked(Clock::time_point now);
    Clock::time_point deadlineLocked(Clock::time_point now) const;

    const std::string sid_;
    const RealtimeOptions options_;
    const bool started_on_websocket_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    Transport transport_;
    std::mutex events_mutex_;  // one Socket.IO packet at a time; not mutex_, so progress never waits on a command
    const std::unique_ptr<SocketIoEvents> events_;
    std::deque<std::string> queue_;
    ProgressCoalescer progress_;
    Clock::time_point next_ping_;
    std::optional<Clock::time_point> pong_deadline_;
    Clock::time_point last_seen_;
    bool poll_parked_ = false;
    bool release_poll_ = false;  // answer the parked poll now (upgrade in progress)
    bool closed_ = false;
    bool close_sent_ = false;
};

}  // namespace clipdex::realtime
