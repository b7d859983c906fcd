// The clipdex.accounts plugin: local accounts, sessions, API keys and the `local-accounts` auth provider.
// Secrets never leave this plugin in clear except once, to their owner: the session token in the login
// result and the API key in the keys-create result. The catalog holds only argon2id strings and BLAKE2b hashes.
#pragma once

#include <clipdex/plugin.hpp>
#include <mutex>
#include <string>

#include "crypto.hpp"
#include "login_guard.hpp"
#include "util.hpp"

namespace accounts {

struct Settings {
    std::int64_t session_days = 30;
    PwhashCost pwhash{};
    std::size_t password_min_chars = 10;
    WindowLimit per_ip{20, std::chrono::seconds(300)};
    WindowLimit per_account{5, std::chrono::seconds(900)};
    std::chrono::seconds touch_interval{60};  // last_seen_at / last_used_at are written at most this often
};

/// Settings from the plugin's config section (plugins."clipdex.accounts" in the config file).
Settings loadSettings(const clipdex::Host& host);

/// Who is calling, from ctx.principal().
struct Caller {
    std::string id;
    std::string role;  // "admin", "user", "anonymous"
    std::string email;
    std::string session;  // token hash of the session in use, if any
    std::string api_key;  // key id in use, if any
    std::string client_ip;
    bool local() const { return id == "local"; }
    bool anonymous() const { return id.empty() || id == "anonymous" || role == "anonymous"; }
    bool account() const { return !local() && !anonymous(); }
    bool admin() const { return role == "admin"; }
};
Caller callerOf(const clipdex::Context& ctx);

/// The user object clients read: {"id", "email", "display_name", "profile_type", "user_id", "role"}.
json userJson(const json& row);

class AccountsPlugin final : public clipdex::Plugin {
public:
    explicit AccountsPlugin(const clipdex::Host& host);

    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override;
    json authenticate(std::string_view provider_id, const json& request, clipdex::Context& ctx) override;

private:
    json signup(const json& args, clipdex::Context& ctx);
    json login(const json& args, clipdex::Context& ctx);
    json logout(clipdex::Context& ctx);
    json status(clipdex::Context& ctx);
    json createKey(const json& args, clipdex::Context& ctx);
    json listKeys(const json& args, clipdex::Context& ctx);
    json revokeKey(const json& args, clipdex::Context& ctx);

    json authenticateSession(const std::string& token, clipdex::Context& ctx);
    json authenticateApiKey(const std::string& token, clipdex::Context& ctx);
    /// A hash to verify against when the email is unknown, so both failures take as long.
    const std::string& dummyHash();

    Settings settings_;
    LoginGuard guard_;
    std::once_flag dummy_once_;
    std::string dummy_hash_;
};

}  // namespace accounts
