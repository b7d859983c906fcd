// auth keys create / list / revoke. Keys belong to accounts; only the owner or an admin sees them.
#include "accounts.hpp"

namespace accounts {
namespace {

using clipdex::Error;

constexpr std::size_t kVisiblePrefix = 8;  // hex characters after "cdxk_" kept in clear to recognise a key

[[noreturn]] void needAccount() {
    throw Error(CDX_E_UNAUTHENTICATED, "API keys belong to an account: log in first (clipdex auth login)",
                {{"hint", "run 'clipdex auth signup' if you have no account yet"}});
}

json keyJson(const json& row) {
    json key = {{"id", row["id"]},
                {"name", row["name"]},
                {"prefix", row["prefix"]},
                {"created_at", row["created_at"]},
                {"last_used_at", row["last_used_at"]},
                {"revoked_at", row["revoked_at"]},
                {"status", row["revoked_at"].is_null() ? "active" : "revoked"}};
    if (row.contains("user_id")) key["user_id"] = row["user_id"];
    if (row.contains("email")) key["email"] = row["email"];
    return key;
}

}  // namespace

json AccountsPlugin::createKey(const json& args, clipdex::Context& ctx) {
    const Caller caller = callerOf(ctx);
    if (!caller.account()) needAccount();
    std::string name = stringArg(args, "name");
    const auto begin = name.find_first_not_of(" \t");
    name = begin == std::string::npos ? std::string() : name.substr(begin, name.find_last_not_of(" \t") - begin + 1);
    if (name.empty()) invalidField("name", "'name' is required: say what the key is for, e.g. premiere-panel");

    const clipdex::Catalog catalog = host().catalog();
    if (catalog.query(ctx, "SELECT id FROM users WHERE id = :id", {{"id", caller.id}}).empty())
        throw Error(CDX_E_UNAUTHENTICATED, "your account no longer exists; log in again");

    const std::string key = newToken(kApiKeyPrefix);
    const std::string id = randomUuid();
    const std::string prefix = key.substr(0, kApiKeyPrefix.size() + kVisiblePrefix);
    const std::string created_at = isoTime(SystemClock::now());
    catalog.query(ctx,
                  "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at) "
                  "VALUES (:id, :user_id, :name, :prefix, :key_hash, :created_at)",
                  {{"id", id},
                   {"user_id", caller.id},
                   {"name", name},
                   {"prefix", prefix},
                   {"key_hash", tokenHash(key)},
                   {"created_at", created_at}});
    return {{"success", true},
            {"message", "API key created; copy it now, it is not shown again"},
            {"key", key},
            {"id", id},
            {"name", name},
            {"prefix", prefix},
            {"created_at", created_at}};
}

json AccountsPlugin::listKeys(const json& args, clipdex::Context& ctx) {
    const Caller caller = callerOf(ctx);
    const std::string wanted = stringArg(args, "user_id");
    const clipdex::Catalog catalog = host().catalog();
    const char* const columns =
        "SELECT k.id, k.name, k.prefix, k.created_at, k.last_used_at, k.revoked_at, k.user_id, u.email "
        "FROM api_keys k JOIN users u ON u.id = k.user_id ";
    json rows;
    if (caller.local() && wanted.empty()) {
        // Local mode is whoever owns the catalog file: every account's keys, so a leaked one can be found.
        rows = catalog.query(ctx, std::string(columns) + "ORDER BY k.created_at DESC, k.id");
    } else {
        if (!caller.local() && !caller.account()) needAccount();
        const std::string target = wanted.empty() ? caller.id : wanted;
        if (target != caller.id && !caller.admin())
            throw Error(CDX_E_NOT_FOUND, "no user with id '" + target + "'", {{"field", "user_id"}});
        if (target != caller.id && catalog.query(ctx, "SELECT id FROM users WHERE id = :id", {{"id", target}}).empty())
            throw Error(CDX_E_NOT_FOUND, "no user with id '" + target + "'", {{"field", "user_id"}});
        rows = catalog.query(ctx, std::string(columns) + "WHERE k.user_id = :user_id ORDER BY k.created_at DESC, k.id",
                             {{"user_id", target}});
    }
    json keys = json::array();
    for (const json& row : rows) keys.push_back(keyJson(row));
    const std::size_t total = keys.size();
    return {{"success", true}, {"keys", std::move(keys)}, {"total", total}};
}

json AccountsPlugin::revokeKey(const json& args, clipdex::Context& ctx) {
    const Caller caller = callerOf(ctx);
    if (!caller.local() && !caller.account()) needAccount();
    const std::string id = stringArg(args, "id");
    const clipdex::Catalog catalog = host().catalog();
    const json rows =
        catalog.query(ctx, "SELECT id, user_id, name, revoked_at FROM api_keys WHERE id = :id", {{"id", id}});
    // Someone else's key answers exactly like a missing one: its existence is not the caller's business.
    if (rows.empty() || (rows[0]["user_id"] != caller.id && !caller.admin()))
        throw Error(CDX_E_NOT_FOUND, "no API key with id '" + id + "'; 'clipdex auth keys list' shows yours",
                    {{"field", "id"}});
    json revoked_at = rows[0]["revoked_at"];
    const bool already = !revoked_at.is_null();
    if (!already) {
        revoked_at = isoTime(SystemClock::now());
        catalog.query(ctx, "UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
                      {{"now", revoked_at}, {"id", id}});
    }
    return {{"success", true},
            {"message", already ? "API key was already revoked" : "API key revoked"},
            {"id", id},
            {"name", rows[0]["name"]},
            {"revoked_at", revoked_at}};
}

}  // namespace accounts
