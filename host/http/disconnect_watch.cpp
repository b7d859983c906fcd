#include "http/disconnect_watch.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

namespace clipdex::http {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(200);

/// True when the peer has closed or reset the connection. Only peeks, so request data is never consumed.
bool peerGone(int fd) {
    pollfd entry{fd, POLLIN, 0};
    if (::poll(&entry, 1, 0) <= 0) return false;
    if ((entry.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return true;
    char byte = 0;
    const ssize_t peeked = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace

DisconnectWatch::~DisconnectWatch() {
    stop();
}

void DisconnectWatch::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void DisconnectWatch::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

DisconnectWatch::Registration::~Registration() {
    watch_->unregister(id_);
}

std::unique_ptr<DisconnectWatch::Registration> DisconnectWatch::watch(int fd, std::shared_ptr<CancelToken> token) {
    std::uint64_t id = 0;
    auto gone = std::make_shared<std::atomic<bool>>(false);
    bool was_idle = false;
    {
        std::lock_guard lock(mutex_);
        was_idle = entries_.empty();
        id = next_id_++;
        entries_.emplace(id, Entry{fd, std::chrono::steady_clock::now(), std::move(token), gone});
    }
    // A busy watcher already wakes every poll interval; waking it per request would make every request
    // contend for the lock with a poll pass over all connections.
    if (was_idle) wake_.notify_all();
    return std::make_unique<Registration>(this, id, std::move(gone));
}

void DisconnectWatch::unregister(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
}

void DisconnectWatch::cancelAll() {
    std::lock_guard lock(mutex_);
    for (auto& [id, entry] : entries_) entry.token->cancel();
}

void DisconnectWatch::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (entries_.empty()) {
            wake_.wait(lock, [this] { return stopping_ || !entries_.empty(); });
            continue;
        }
        // Polling happens under the lock: each check is a zero-timeout poll plus a non-blocking peek, and
        // holding the lock guarantees the request thread has not moved on (and closed the socket) meanwhile.
        // Requests younger than one interval are skipped: most finish before a disconnect could matter.
        const auto settled = std::chrono::steady_clock::now() - kPollInterval;
        for (auto& [id, entry] : entries_) {
            if (entry.since > settled || entry.gone->load() || !peerGone(entry.fd)) continue;
            spdlog::debug("http: client disconnected, cancelling its running command");
            entry.gone->store(true);
            entry.token->cancel();
        }
        wake_.wait_for(lock, kPollInterval, [this] { return stopping_; });
    }
}

}  // namespace clipdex::http
