// Cancels a running command when its HTTP client goes away. Commands run synchronously on the request's
// thread, so nobody would notice the closed socket until the reply fails; a long ingest or search would
// keep working for nobody. One background thread polls the sockets of running commands instead.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/command.hpp"

namespace clipdex::http {

class DisconnectWatch {
public:
    DisconnectWatch() = default;
    ~DisconnectWatch();
    DisconnectWatch(const DisconnectWatch&) = delete;
    DisconnectWatch& operator=(const DisconnectWatch&) = delete;

    /// Starts the polling thread (call from the thread whose signal mask the watcher should inherit).
    void start();
    /// Stops and joins the polling thread.
    void stop();

    /// Removes its entry on destruction; the socket must not be used for the reply before that.
    class Registration {
    public:
        Registration(DisconnectWatch* watch, std::uint64_t id, std::shared_ptr<std::atomic<bool>> gone)
            : watch_(watch), id_(id), gone_(std::move(gone)) {}
        ~Registration();
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;
        /// True once the client was seen closing the connection: there is nobody to reply to.
        bool clientGone() const noexcept { return gone_->load(); }

    private:
        DisconnectWatch* watch_;
        std::uint64_t id_;
        std::shared_ptr<std::atomic<bool>> gone_;
    };

    /// Watches the connected socket `fd` while the returned registration lives; cancels `token` if the peer
    /// closes it. The caller keeps the socket open for at least that long (Poco closes it only after the
    /// request handler returns, and the handler drops the registration before).
    std::unique_ptr<Registration> watch(int fd, std::shared_ptr<CancelToken> token);

    /// Cancels every watched invocation (used when shutdown runs out of patience).
    void cancelAll();

private:
    struct Entry {
        int fd;
        std::chrono::steady_clock::time_point since;
        std::shared_ptr<CancelToken> token;
        std::shared_ptr<std::atomic<bool>> gone;
    };
    void run();
    void unregister(std::uint64_t id);

    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::uint64_t, Entry> entries_;
    std::uint64_t next_id_ = 1;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace clipdex::http
