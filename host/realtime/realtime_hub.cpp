#include "realtime/realtime_hub.hpp"

#include <spdlog/spdlog.h>

#include <vector>

#include "realtime/engineio_session.hpp"

namespace clipdex::realtime {
namespace {

constexpr auto kJanitorPeriod = std::chrono::seconds(1);

}  // namespace

bool canSee(const jobs::Viewer& viewer, const std::string& owner) {
    return viewer.admin || (!viewer.user_id.empty() && viewer.user_id == owner);
}

Hub::Hub(std::shared_ptr<jobs::ProgressFeed> feed, RealtimeOptions options)
    : feed_(std::move(feed)), options_(options) {
    feed_handle_ = feed_->subscribe([this](const std::string& job_id, const std::string& owner, const json& progress) {
        fanOut(job_id, owner, progress);
    });
    janitor_ = std::thread([this] { janitor(); });
}

Hub::~Hub() {
    stop();
}

bool Hub::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void Hub::addSink(const std::shared_ptr<ProgressSink>& sink) {
    std::lock_guard lock(mutex_);
    sinks_[sink.get()] = sink;
}

void Hub::removeSink(const ProgressSink* sink) {
    std::lock_guard lock(mutex_);
    sinks_.erase(sink);
}

void Hub::fanOut(const std::string& job_id, const std::string& owner, const json& progress) {
    std::vector<std::shared_ptr<ProgressSink>> targets;
    {
        std::lock_guard lock(mutex_);
        targets.reserve(sinks_.size());
        for (const auto& [key, weak] : sinks_)
            if (auto sink = weak.lock()) targets.push_back(std::move(sink));
    }
    // Outside the lock: sinks take their own locks, and a sink never calls back into the hub from here.
    for (const auto& sink : targets) sink->onProgress(job_id, owner, progress);
}

bool Hub::spawn(std::function<void()> loop) {
    std::lock_guard lock(mutex_);
    reapFinishedLocked();
    if (stopping_ || workers_.size() >= options_.max_connections) return false;
    auto done = std::make_shared<bool>(false);
    workers_.push_back(Worker{std::thread([this, loop = std::move(loop), done] {
                                  try {
                                      loop();
                                  } catch (const std::exception& error) {
                                      spdlog::error("realtime: connection thread failed: {}", error.what());
                                  }
                                  std::lock_guard finished(mutex_);
                                  *done = true;
                              }),
                              done});
    return true;
}

void Hub::reapFinishedLocked() {
    for (auto it = workers_.begin(); it != workers_.end();) {
        if (*it->done) {
            it->thread.join();  // it has finished its loop; join only waits for the last unlock
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
}

bool Hub::tryParkPoll() {
    std::lock_guard lock(mutex_);
    if (parked_polls_ >= options_.max_parked_polls) return false;
    ++parked_polls_;
    return true;
}

void Hub::unparkPoll() {
    std::lock_guard lock(mutex_);
    --parked_polls_;
}

bool Hub::addSession(const std::string& sid, std::shared_ptr<EngineIoSession> session) {
    std::lock_guard lock(mutex_);
    if (stopping_ || sessions_.size() >= options_.max_connections) return false;
    sinks_[session.get()] = session;
    sessions_[sid] = std::move(session);
    return true;
}

std::shared_ptr<EngineIoSession> Hub::session(const std::string& sid) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(sid);
    return it == sessions_.end() ? nullptr : it->second;
}

void Hub::removeSession(const std::string& sid) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(sid);
    if (it == sessions_.end()) return;
    sinks_.erase(it->second.get());
    sessions_.erase(it);
}

void Hub::janitor() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, kJanitorPeriod, [this] { return stopping_; });
        if (stopping_) break;
        reapFinishedLocked();
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::shared_ptr<EngineIoSession>> gone;
        for (const auto& [sid, session] : sessions_)
            if (session->abandoned(now)) gone.push_back(session);
        for (const auto& session : gone) {
            session->close("the client stopped polling");
            sinks_.erase(session.get());
            sessions_.erase(session->sid());
        }
    }
}

void Hub::stop() {
    std::vector<std::shared_ptr<EngineIoSession>> sessions;
    std::list<Worker> workers;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        for (const auto& [sid, session] : sessions_) sessions.push_back(session);
    }
    feed_->unsubscribe(feed_handle_);
    wake_.notify_all();
    for (const auto& session : sessions) session->close("the server is stopping");  // releases parked polls
    if (janitor_.joinable()) janitor_.join();
    {
        std::lock_guard lock(mutex_);
        workers.splice(workers.end(), workers_);
    }
    // Connection threads see stopping() within one poll step, send a close frame and return.
    for (Worker& worker : workers) worker.thread.join();
    std::lock_guard lock(mutex_);
    sessions_.clear();
    sinks_.clear();
    spdlog::debug("realtime: stopped ({} connection threads joined)", workers.size());
}

}  // namespace clipdex::realtime
