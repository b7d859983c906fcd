// The local-accounts auth provider: session tokens (cdxs_...) and API keys (cdxk_...). Runs on every HTTP
// request, so it is one indexed SELECT, plus an UPDATE of last_seen_at / last_used_at at most once a minute.
#include "accounts.hpp"

namespace accounts {
namespace {

using clipdex::Error;

[[noreturn]] void reject(const std::string& message, const char* reason) {
    throw Error(CDX_E_UNAUTHENTICATED, message, {{"reason", reason}});
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

/// True when `last` is missing, unreadable or older than `interval`.
bool due(const json& last, std::chrono::seconds interval, SystemClock::time_point now) {
    if (!last.is_string()) return true;
    const auto when = parseIsoTime(last.get<std::string>());
    return !when || *when + interval <= now;
}

json principalOf(const json& row) {
    json display = row.contains("display_name") ? row["display_name"] : json();
    return {{"id", row.value("user_id", std::string())},
            {"email", row.value("email", std::string())},
            {"role", row.value("role", std::string("user"))},
            {"display_name", display.is_string() ? display : json(nullptr)}};
}

}  // namespace

json AccountsPlugin::authenticate(std::string_view provider_id, const json& request, clipdex::Context& ctx) {
    if (provider_id != "local-accounts") return Plugin::authenticate(provider_id, request, ctx);
    const std::string token = request.is_object() ? stringArg(request, "token") : std::string();
    const std::string source = request.is_object() ? stringArg(request, "source") : std::string();
    if (token.empty()) reject("no credential given; log in first", "missing");
    if (startsWith(token, kSessionPrefix)) {
        if (!wellFormedToken(token, kSessionPrefix)) reject("malformed session token; log in again", "malformed");
        return authenticateSession(token, ctx);
    }
    if (startsWith(token, kApiKeyPrefix)) {
        if (source == "cookie")
            reject("API keys are accepted only in the Authorization header ('Authorization: Bearer cdxk_...')",
                   "malformed");
        if (!wellFormedToken(token, kApiKeyPrefix))
            reject("malformed API key; check that it was copied whole", "malformed");
        return authenticateApiKey(token, ctx);
    }
    reject("malformed credential: expected a clipdex session token (cdxs_...) or API key (cdxk_...)", "malformed");
}

json AccountsPlugin::authenticateSession(const std::string& token, clipdex::Context& ctx) {
    const std::string hash = tokenHash(token);
    const clipdex::Catalog catalog = host().catalog();
    const json rows = catalog.query(ctx,
                                    "SELECT s.user_id, s.expires_at, s.revoked_at, s.last_seen_at, u.email, u.role, "
                                    "u.display_name, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id "
                                    "WHERE s.token_hash = :token_hash",
                                    {{"token_hash", hash}});
    if (rows.empty()) reject("unknown session; log in again", "unknown");
    const json& row = rows[0];
    const auto now = SystemClock::now();
    if (!row["revoked_at"].is_null()) reject("this session was logged out; log in again", "revoked");
    const auto expires = row["expires_at"].is_string() ? parseIsoTime(row["expires_at"].get<std::string>())
                                                       : std::optional<SystemClock::time_point>();
    if (!expires || *expires <= now) reject("session expired; log in again", "expired");
    if (row.value("disabled", std::int64_t{0}) != 0) reject("this account is disabled", "disabled");

    if (due(row["last_seen_at"], settings_.touch_interval, now)) {
        try {
            catalog.query(ctx, "UPDATE sessions SET last_seen_at = :now WHERE token_hash = :token_hash",
                          {{"now", isoTime(now)}, {"token_hash", hash}});
        } catch (const Error&) {
            // Bookkeeping only: a busy catalog must not fail the request.
        }
    }
    json principal = principalOf(row);
    principal["session"] = hash;
    return principal;
}

json AccountsPlugin::authenticateApiKey(const std::string& token, clipdex::Context& ctx) {
    const std::string hash = tokenHash(token);
    const clipdex::Catalog catalog = host().catalog();
    const json rows = catalog.query(ctx,
                                    "SELECT k.id, k.user_id, k.revoked_at, k.last_used_at, u.email, u.role, "
                                    "u.display_name, u.disabled FROM api_keys k JOIN users u ON u.id = k.user_id "
                                    "WHERE k.key_hash = :key_hash",
                                    {{"key_hash", hash}});
    if (rows.empty()) reject("unknown API key", "unknown");
    const json& row = rows[0];
    if (!row["revoked_at"].is_null()) reject("this API key was revoked; create a new one", "revoked");
    if (row.value("disabled", std::int64_t{0}) != 0) reject("this account is disabled", "disabled");

    const auto now = SystemClock::now();
    const std::string key_id = row.value("id", std::string());
    if (due(row["last_used_at"], settings_.touch_interval, now)) {
        try {
            catalog.query(ctx, "UPDATE api_keys SET last_used_at = :now WHERE id = :id",
                          {{"now", isoTime(now)}, {"id", key_id}});
        } catch (const Error&) {
            // Bookkeeping only.
        }
    }
    json principal = principalOf(row);
    principal["api_key"] = key_id;
    return principal;
}

}  // namespace accounts
