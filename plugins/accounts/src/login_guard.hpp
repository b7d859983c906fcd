// In-memory sliding windows of failed logins, per client IP and per account email. Thread-safe. The
// counters live in this process only: a restart (or each CLI run) starts afresh.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace accounts {

struct WindowLimit {
    std::int64_t max_failures;
    std::chrono::seconds window;
};

class LoginGuard {
public:
    using Clock = std::chrono::steady_clock;
    LoginGuard(WindowLimit per_ip, WindowLimit per_account) : per_ip_(per_ip), per_account_(per_account) {}

    /// Seconds until a login from `ip` for `email` may be tried again; 0 when allowed now.
    std::int64_t retryAfter(const std::string& ip, const std::string& email, Clock::time_point now);
    void recordFailure(const std::string& ip, const std::string& email, Clock::time_point now);
    /// After a successful login: the account's failures are forgiven (the IP's are not).
    void clearAccount(const std::string& email);

private:
    using Hits = std::unordered_map<std::string, std::deque<Clock::time_point>>;
    static std::int64_t blockedFor(Hits& hits, const std::string& key, const WindowLimit& limit, Clock::time_point now);
    static void record(Hits& hits, const std::string& key, const WindowLimit& limit, Clock::time_point now);
    static void prune(std::deque<Clock::time_point>& times, const WindowLimit& limit, Clock::time_point now);
    static void sweep(Hits& hits, const WindowLimit& limit, Clock::time_point now);

    WindowLimit per_ip_;
    WindowLimit per_account_;
    std::mutex mutex_;
    Hits ip_failures_;
    Hits account_failures_;
};

}  // namespace accounts
