// Per-connection throttling of progress messages: at most one message per job per interval, and when several
// changes arrive within one interval only the latest state is sent (the client wants the current state, not
// the history). Pure logic, driven by the caller's clock, so it is unit-testable.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace clipdex::realtime {

class ProgressCoalescer {
public:
    using Clock = std::chrono::steady_clock;

    explicit ProgressCoalescer(std::chrono::milliseconds interval = std::chrono::milliseconds(250))
        : interval_(interval) {}

    /// Records the latest state of `job_id`; it replaces any state not sent yet.
    void offer(const std::string& job_id, json progress);

    /// The states that may be sent at `now`, marked as sent; later ones stay pending until their slot.
    std::vector<std::pair<std::string, json>> takeDue(Clock::time_point now);

    /// When the earliest pending state becomes due; nullopt when nothing is pending.
    std::optional<Clock::time_point> nextDue() const;

    /// Forgets pending states (after an unsubscribe): of one job, or of all jobs when `job_id` is empty.
    void drop(const std::string& job_id);

    /// Notes that a state of `job_id` went out through another path (e.g. a subscription snapshot).
    void markSent(const std::string& job_id, Clock::time_point now);

private:
    struct JobSlot {
        std::optional<Clock::time_point> last_sent;
        std::optional<json> pending;
    };
    std::chrono::milliseconds interval_;
    std::map<std::string, JobSlot> jobs_;
};

}  // namespace clipdex::realtime
