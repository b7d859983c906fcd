#include "realtime/progress_coalescer.hpp"

namespace clipdex::realtime {

void ProgressCoalescer::offer(const std::string& job_id, json progress) {
    jobs_[job_id].pending = std::move(progress);
}

std::vector<std::pair<std::string, json>> ProgressCoalescer::takeDue(Clock::time_point now) {
    std::vector<std::pair<std::string, json>> due;
    for (auto& [job_id, slot] : jobs_) {
        if (!slot.pending) continue;
        if (slot.last_sent && now < *slot.last_sent + interval_) continue;
        due.emplace_back(job_id, std::move(*slot.pending));
        slot.pending.reset();
        slot.last_sent = now;
    }
    return due;
}

std::optional<ProgressCoalescer::Clock::time_point> ProgressCoalescer::nextDue() const {
    std::optional<Clock::time_point> earliest;
    for (const auto& [job_id, slot] : jobs_) {
        if (!slot.pending) continue;
        const Clock::time_point when = slot.last_sent ? *slot.last_sent + interval_ : Clock::time_point::min();
        if (!earliest || when < *earliest) earliest = when;
    }
    return earliest;
}

void ProgressCoalescer::drop(const std::string& job_id) {
    for (auto& [id, slot] : jobs_)
        if (job_id.empty() || id == job_id) slot.pending.reset();
}

void ProgressCoalescer::markSent(const std::string& job_id, Clock::time_point now) {
    jobs_[job_id].last_sent = now;
}

}  // namespace clipdex::realtime
