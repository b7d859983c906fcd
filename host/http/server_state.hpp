// What the request threads share with HttpServer: the route table, the options and the in-flight count
// that a graceful stop() waits on.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/json.hpp"
#include "http/disconnect_watch.hpp"
#include "http/http_server.hpp"
#include "http/response_cache.hpp"
#include "http/route_table.hpp"
#include "realtime/realtime_hub.hpp"

namespace clipdex::http {

struct ServerState {
    ServerOptions options;
    RouteTable routes;
    std::unordered_map<const Command*, json> http_schemas;  // httpArgsSchema() per routed command, computed once
    DisconnectWatch disconnects;
    ResponseCache cache;  // budgeted from options.response_cache_bytes
    std::atomic<bool> stopping{false};
    // Live progress (/api/ws, /socket.io/): set between start() and stop() when options.progress_feed is.
    std::unique_ptr<realtime::Hub> realtime;

    /// Counts a request as in flight for its lifetime.
    class InFlight {
    public:
        explicit InFlight(ServerState& state) : state_(state) {
            std::lock_guard lock(state_.mutex_);
            ++state_.in_flight_;
        }
        ~InFlight() {
            {
                std::lock_guard lock(state_.mutex_);
                --state_.in_flight_;
            }
            state_.idle_.notify_all();
        }
        InFlight(const InFlight&) = delete;
        InFlight& operator=(const InFlight&) = delete;

    private:
        ServerState& state_;
    };

    /// Waits until no request is in flight; false if `timeout` passed first.
    bool waitIdle(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return idle_.wait_for(lock, timeout, [this] { return in_flight_ == 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable idle_;
    int in_flight_ = 0;
};

}  // namespace clipdex::http
