#include "login_guard.hpp"

#include <algorithm>

namespace accounts {
namespace {
constexpr std::size_t kSweepAbove = 10000;  // keys kept before expired ones are swept out
}

void LoginGuard::prune(std::deque<Clock::time_point>& times, const WindowLimit& limit, Clock::time_point now) {
    while (!times.empty() && times.front() + limit.window <= now) times.pop_front();
    // Only the newest max_failures matter for the decision.
    while (times.size() > static_cast<std::size_t>(std::max<std::int64_t>(limit.max_failures, 1))) times.pop_front();
}

void LoginGuard::sweep(Hits& hits, const WindowLimit& limit, Clock::time_point now) {
    if (hits.size() <= kSweepAbove) return;
    for (auto it = hits.begin(); it != hits.end();) {
        prune(it->second, limit, now);
        it = it->second.empty() ? hits.erase(it) : std::next(it);
    }
}

std::int64_t LoginGuard::blockedFor(Hits& hits, const std::string& key, const WindowLimit& limit,
                                    Clock::time_point now) {
    const auto found = hits.find(key);
    if (found == hits.end()) return 0;
    prune(found->second, limit, now);
    if (static_cast<std::int64_t>(found->second.size()) < limit.max_failures) return 0;
    // Allowed again once the oldest failure that still counts leaves the window.
    const auto wait = found->second.front() + limit.window - now;
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return std::max<std::int64_t>(seconds, 1);
}

void LoginGuard::record(Hits& hits, const std::string& key, const WindowLimit& limit, Clock::time_point now) {
    sweep(hits, limit, now);
    auto& times = hits[key];
    times.push_back(now);
    prune(times, limit, now);
}

std::int64_t LoginGuard::retryAfter(const std::string& ip, const std::string& email, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    return std::max(blockedFor(ip_failures_, ip, per_ip_, now),
                    blockedFor(account_failures_, email, per_account_, now));
}

void LoginGuard::recordFailure(const std::string& ip, const std::string& email, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    record(ip_failures_, ip, per_ip_, now);
    record(account_failures_, email, per_account_, now);
}

void LoginGuard::clearAccount(const std::string& email) {
    const std::lock_guard lock(mutex_);
    account_failures_.erase(email);
}

}  // namespace accounts
