// Shared by the realtime suites: a hand-written ProgressFeed (the job system's interface, so the tests can
// publish exactly the progress they assert on) and IngestProgress documents.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/command.hpp"
#include "core/json.hpp"
#include "jobs/progress_feed.hpp"
#include "realtime/realtime_hub.hpp"
#include "support/http_client.hpp"

namespace clipdex::test {

/// An IngestProgress document (inventory §5.5) with the given status and percentage.
inline json ingestProgress(const std::string& status, int percent) {
    return json{{"status", status},
                {"progress", percent},
                {"message", status + " " + std::to_string(percent)},
                {"current_file", ""},
                {"error", nullptr},
                {"processed_count", 0},
                {"results_count", 0},
                {"failed_count", 0},
                {"total_count", 1},
                {"total", 1},
                {"processed_files", json::array()},
                {"file_details", json::object()}};
}

/// Jobs live in a map; publish() stores a state and calls every listener synchronously, unthrottled, so
/// the transports' own throttling is what the tests observe.
class TestProgressFeed final : public jobs::ProgressFeed {
public:
    json progress(const std::string& job_id, const jobs::Viewer& viewer) override {
        std::lock_guard lock(mutex_);
        if (job_id.empty()) {
            for (auto it = order_.rbegin(); it != order_.rend(); ++it)
                if (realtime::canSee(viewer, jobs_.at(*it).owner)) return jobs_.at(*it).progress;
            json idle = ingestProgress("idle", 0);
            idle["message"] = "No active ingest process";
            return idle;
        }
        const auto it = jobs_.find(job_id);
        if (it == jobs_.end() || !realtime::canSee(viewer, it->second.owner))
            throw CommandError(CDX_E_NOT_FOUND, "No job " + job_id);
        return it->second.progress;
    }

    std::uint64_t subscribe(Listener listener) override {
        std::lock_guard lock(mutex_);
        listeners_[++next_handle_] = std::move(listener);
        return next_handle_;
    }

    void unsubscribe(std::uint64_t handle) override {
        std::lock_guard lock(mutex_);
        listeners_.erase(handle);
    }

    void publish(const std::string& job_id, const std::string& owner, const json& progress) {
        std::map<std::uint64_t, Listener> listeners;
        {
            std::lock_guard lock(mutex_);
            if (jobs_.count(job_id) == 0) order_.push_back(job_id);
            jobs_[job_id] = Job{owner, progress};
            listeners = listeners_;
        }
        for (const auto& [handle, listener] : listeners) listener(job_id, owner, progress);
    }

    std::size_t listenerCount() {
        std::lock_guard lock(mutex_);
        return listeners_.size();
    }

private:
    struct Job {
        std::string owner;
        json progress;
    };
    std::mutex mutex_;
    std::map<std::string, Job> jobs_;
    std::vector<std::string> order_;
    std::map<std::uint64_t, Listener> listeners_;
    std::uint64_t next_handle_ = 0;
};

struct TeamUser {
    std::string token;  // the session token, as a Bearer token or the clipdex_session cookie
    std::string id;     // the principal id progress owners are compared with
};

/// Signs up and logs in an account through the real accounts plugin (the first account becomes the admin).
inline TeamUser signUpAndLogIn(std::uint16_t port, const std::string& email) {
    const json account = {{"email", email}, {"password", "correct horse battery"}};
    httpRequest(port, "POST", "/api/auth/signup", account);
    const HttpReply login = httpRequest(port, "POST", "/api/auth/login", account);
    TeamUser user;
    const std::string prefix = "clipdex_session=";
    for (const std::string& cookie : login.cookies)
        if (cookie.rfind(prefix, 0) == 0) user.token = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    const HttpReply status =
        httpRequest(port, "GET", "/api/auth/status", nullptr, {{"Authorization", "Bearer " + user.token}});
    if (status.body.contains("user") && status.body["user"].is_object()) user.id = status.body["user"].value("id", "");
    return user;
}

}  // namespace clipdex::test
