#include "realtime/engineio_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "realtime/socketio_packets.hpp"

namespace clipdex::realtime {
namespace {

constexpr auto kLongestWait = std::chrono::seconds(5);  // a parked poll re-checks its clocks at least this often

}  // namespace

EngineIoSession::EngineIoSession(Hub& hub, std::string sid, Transport transport, std::unique_ptr<SocketIoEvents> events)
    : sid_(std::move(sid)),
      options_(hub.options()),
      started_on_websocket_(transport == Transport::WebSocket),
      transport_(transport),
      events_(std::move(events)),
      progress_(options_.progress_interval),
      next_ping_(Clock::now() + options_.ping_interval),
      last_seen_(Clock::now()) {}

std::string EngineIoSession::openPacket() const {
    const json open = {
        {"sid", sid_},
        {"upgrades", started_on_websocket_ ? json::array() : json::array({"websocket"})},
        {"pingInterval", options_.ping_interval.count()},
        {"pingTimeout", options_.ping_timeout.count()},
        {"maxPayload", options_.max_payload},
    };
    return std::string(1, eio::kOpen) + dumpJson(open);
}

void EngineIoSession::onProgress(const std::string& job_id, const std::string& owner, const json& progress) {
    if (!events_->connected() || !canSee(events_->viewer(), owner)) return;
    std::lock_guard lock(mutex_);
    progress_.offer(job_id, progress);
    wake_.notify_all();
}

void EngineIoSession::receive(const std::string& packet) {
    if (packet.empty()) return;
    const auto now = Clock::now();
    switch (packet[0]) {
        case eio::kPong: {
            std::lock_guard lock(mutex_);
            pong_deadline_.reset();
            next_ping_ = now + options_.ping_interval;
            last_seen_ = now;
            return;
        }
        case eio::kPing: {  // v4 clients do not ping, but answering costs nothing
            std::lock_guard lock(mutex_);
            queue_.push_back(std::string(1, eio::kPong) + packet.substr(1));
            last_seen_ = now;
            wake_.notify_all();
            return;
        }
        case eio::kClose: close("the client closed it"); return;
        case eio::kMessage: {
            std::vector<std::string> replies;
            {
                std::lock_guard serial(events_mutex_);
                replies = events_->handle(std::string_view(packet).substr(1));
            }
            std::lock_guard lock(mutex_);
            queue_.insert(queue_.end(), replies.begin(), replies.end());
            last_seen_ = now;
            wake_.notify_all();
            return;
        }
        case eio::kNoop: return;
        default: spdlog::debug("engine.io: session ignores a packet of unknown type '{}'", packet[0]);
    }
}

std::optional<std::string> EngineIoSession::poll(bool may_wait) {
    std::unique_lock lock(mutex_);
    if (poll_parked_ || transport_ != Transport::Polling || close_sent_) return std::nullopt;
    poll_parked_ = true;
    std::vector<std::string> packets;
    while (true) {
        const auto now = Clock::now();
        if (release_poll_) {
            release_poll_ = false;
            packets.push_back(std::string(1, eio::kNoop));
            break;
        }
        packets = takeDueLocked(now);
        if (!packets.empty()) break;
        if (close_sent_) {  // closed while nothing was pending: the close packet already went out
            packets.push_back(std::string(1, eio::kClose));
            break;
        }
        if (!may_wait) {  // every parking slot is taken: the client polls again instead of holding a thread
            packets.push_back(std::string(1, eio::kNoop));
            break;
        }
        wake_.wait_until(lock, deadlineLocked(now));
    }
    poll_parked_ = false;
    last_seen_ = Clock::now();
    return joinPayload(packets);
}

std::vector<std::string> EngineIoSession::takeOutgoing(Clock::time_point& deadline) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    std::vector<std::string> packets = takeDueLocked(now);
    deadline = deadlineLocked(now);
    return packets;
}

std::vector<std::string> EngineIoSession::takeDueLocked(Clock::time_point now) {
    if (!closed_ && pong_deadline_ && now >= *pong_deadline_) {
        spdlog::debug("engine.io: session closed: no pong within {} ms", options_.ping_timeout.count());
        closed_ = true;
    } else if (!closed_ && !pong_deadline_ && now >= next_ping_) {
        queue_.push_back(std::string(1, eio::kPing));
        pong_deadline_ = now + options_.ping_timeout;
    }
    if (!closed_ && events_->connected()) {
        for (const auto& [job_id, progress] : progress_.takeDue(now)) {
            for (std::string& message : SocketIoEvents::progressMessages(job_id, progress))
                queue_.push_back(std::move(message));
        }
    }
    std::vector<std::string> packets(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    if (closed_ && !close_sent_) {
        packets.push_back(std::string(1, eio::kClose));
        close_sent_ = true;
    }
    return packets;
}

EngineIoSession::Clock::time_point EngineIoSession::deadlineLocked(Clock::time_point now) const {
    Clock::time_point deadline = std::min(now + kLongestWait, pong_deadline_ ? *pong_deadline_ : next_ping_);
    if (const auto due = progress_.nextDue()) deadline = std::min(deadline, std::max(*due, now));
    return deadline;
}

void EngineIoSession::probed() {
    std::lock_guard lock(mutex_);
    release_poll_ = true;
    wake_.notify_all();
}

void EngineIoSession::upgraded() {
    std::lock_guard lock(mutex_);
    transport_ = Transport::WebSocket;
    release_poll_ = poll_parked_;
    last_seen_ = Clock::now();
    wake_.notify_all();
}

EngineIoSession::Transport EngineIoSession::transport() const {
    std::lock_guard lock(mutex_);
    return transport_;
}

bool EngineIoSession::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

void EngineIoSession::close(const char* reason) {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    spdlog::debug("engine.io: session closed: {}", reason);
    wake_.notify_all();
}

bool EngineIoSession::abandoned(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (transport_ != Transport::Polling || poll_parked_) return false;
    return closed_ || now - last_seen_ > options_.ping_interval + options_.ping_timeout;
}

}  // namespace clipdex::realtime
