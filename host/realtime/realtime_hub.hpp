// The shared core of the live-progress transports (/api/ws and Socket.IO at /socket.io/): one subscription to
// the job system's ProgressFeed fanned out to every open connection, the dedicated threads that own
// long-lived sockets (never Poco's HTTP request threads), and the Engine.IO session table.
//
// Threading (docs/service/realtime.md): a WebSocket is handed off by the request thread that upgraded it to a
// thread of its own here, so an open socket never holds an HTTP worker. Those threads are bounded by
// RealtimeOptions::max_connections (more upgrades get 503) and joined by stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/json.hpp"
#include "jobs/progress_feed.hpp"

namespace clipdex::realtime {

struct RealtimeOptions {
    std::chrono::milliseconds progress_interval{250};     // at most one progress message per job per socket
    std::chrono::milliseconds heartbeat_interval{15000};  // /api/ws {"type":"heartbeat"}
    std::chrono::milliseconds ping_interval{25000};       // Engine.IO server pings
    std::chrono::milliseconds ping_timeout{20000};        // Engine.IO: no pong within this → closed
    std::size_t max_payload = 1000000;                    // Engine.IO maxPayload and the WebSocket frame cap
    std::size_t max_connections = 64;                     // open sockets (threads) and Engine.IO sessions each
    // Long-polls parked at once; each holds an HTTP pool thread (HttpServer caps it at half of max_threads).
    std::size_t max_parked_polls = 8;
};

/// Whether `viewer` may see a job owned by `owner`: their own, or every job for an admin.
bool canSee(const jobs::Viewer& viewer, const std::string& owner);

/// A connection interested in progress: an /api/ws socket or an Engine.IO session. Called from job threads.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void onProgress(const std::string& job_id, const std::string& owner, const json& progress) = 0;
};

class EngineIoSession;

class Hub {
public:
    Hub(std::shared_ptr<jobs::ProgressFeed> feed, RealtimeOptions options);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    jobs::ProgressFeed& feed() { return *feed_; }
    const RealtimeOptions& options() const noexcept { return options_; }
    bool stopping() const;

    void addSink(const std::shared_ptr<ProgressSink>& sink);
    void removeSink(const ProgressSink* sink);

    /// Runs `loop` on a dedicated thread. False (nothing started) when stopping or at max_connections.
    bool spawn(std::function<void()> loop);

    /// Claims one of the max_parked_polls slots; false when all are taken (the poll must not wait then).
    bool tryParkPoll();
    void unparkPoll();

    /// Engine.IO sessions by sid. add() is false when stopping or at max_connections.
    bool addSession(const std::string& sid, std::shared_ptr<EngineIoSession> session);
    std::shared_ptr<EngineIoSession> session(const std::string& sid);
    void removeSession(const std::string& sid);

    /// Closes every socket and session, wakes parked polls and joins every thread. Idempotent.
    void stop();

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<bool> done;  // guarded by mutex_
    };
    void fanOut(const std::string& job_id, const std::string& owner, const json& progress);
    void reapFinishedLocked();
    void janitor();

    std::shared_ptr<jobs::ProgressFeed> feed_;
    RealtimeOptions options_;
    std::uint64_t feed_handle_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<const ProgressSink*, std::weak_ptr<ProgressSink>> sinks_;
    std::list<Worker> workers_;
    std::map<std::string, std::shared_ptr<EngineIoSession>> sessions_;
    std::size_t parked_polls_ = 0;
    std::thread janitor_;  // expires Engine.IO sessions whose client went away
};

}  // namespace clipdex::realtime
