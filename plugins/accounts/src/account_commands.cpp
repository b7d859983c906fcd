// auth signup / login / logout / status.
#include "accounts.hpp"

namespace accounts {
namespace {

using clipdex::Error;

const char* const kInvalidLogin = "Invalid email or password";

std::string trimmed(std::string text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return {};
    const auto end = text.find_last_not_of(" \t\r\n");
    return text.substr(begin, end - begin + 1);
}

std::string requirePassword(const json& args) {
    std::string password = stringArg(args, "password");
    if (password.empty())
        invalidField("password",
                     "'password' is required: give it at the prompt, with --password-stdin, or in the "
                     "request body");
    return password;
}

json localUser() {
    return {{"id", "local"},   {"email", "local@localhost"}, {"display_name", "Local user"}, {"profile_type", "admin"},
            {"role", "admin"}, {"user_id", "local"}};
}

}  // namespace

json AccountsPlugin::signup(const json& args, clipdex::Context& ctx) {
    const std::string email = normalizeEmail(stringArg(args, "email"));
    const std::string password = requirePassword(args);
    checkPasswordPolicy(password, settings_.password_min_chars);
    std::string display_name = trimmed(stringArg(args, "display_name"));
    if (display_name.empty()) display_name = email.substr(0, email.find('@'));

    const clipdex::Catalog catalog = host().catalog();
    const json conflict_details = {{"field", "email"}, {"hint", "log in with this email, or sign up with another"}};
    if (!catalog.query(ctx, "SELECT id FROM users WHERE email = :email", {{"email", email}}).empty())
        throw Error(CDX_E_CONFLICT, "an account with this email exists", conflict_details);

    const std::string hash = hashPassword(password, settings_.pwhash);
    const std::string id = randomUuid();
    try {
        // The role is decided inside the INSERT, so two first signups racing cannot both become admin.
        catalog.query(ctx,
                      "INSERT INTO users (id, email, password_hash, role, display_name, created_at) "
                      "SELECT :id, :email, :password_hash, "
                      "CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END, :display_name, :created_at",
                      {{"id", id},
                       {"email", email},
                       {"password_hash", hash},
                       {"display_name", display_name},
                       {"created_at", isoTime(SystemClock::now())}});
    } catch (const Error& error) {
        if (error.status() == CDX_E_CONFLICT)
            throw Error(CDX_E_CONFLICT, "an account with this email exists", conflict_details);
        throw;
    }
    const json rows =
        catalog.query(ctx, "SELECT id, email, role, display_name, created_at FROM users WHERE id = :id", {{"id", id}});
    if (rows.empty()) throw Error(CDX_E_INTERNAL, "the new account was not found after it was created");
    json user = userJson(rows[0]);
    user["created_at"] = rows[0]["created_at"];
    ctx.info("account created (" + user["role"].get<std::string>() + ")");
    json row = {{"email", user["email"]}, {"role", user["role"]}, {"id", user["id"]}};
    return {{"success", true},
            {"message", "Account created successfully"},
            {"user", std::move(user)},
            {"rows", json::array({std::move(row)})}};
}

json AccountsPlugin::login(const json& args, clipdex::Context& ctx) {
    const Caller caller = callerOf(ctx);
    const std::string email = normalizeEmail(stringArg(args, "email"));
    const std::string password = requirePassword(args);
    const std::string ip = caller.client_ip.empty() ? std::string("local") : caller.client_ip;

    if (const std::int64_t wait = guard_.retryAfter(ip, email, LoginGuard::Clock::now()); wait > 0)
        throw Error(CDX_E_RATE_LIMITED, "too many login attempts; try again in " + std::to_string(wait) + " s",
                    {{"retry_after_seconds", wait}});

    const clipdex::Catalog catalog = host().catalog();
    const json rows = catalog.query(
        ctx, "SELECT id, email, password_hash, role, display_name, disabled FROM users WHERE email = :email",
        {{"email", email}});
    bool verified = false;
    if (rows.empty()) {
        (void)verifyPassword(dummyHash(), password);  // the same work as a real check: no account enumeration
    } else {
        verified = verifyPassword(rows[0].value("password_hash", std::string()), password);
    }
    if (!verified) {
        guard_.recordFailure(ip, email, LoginGuard::Clock::now());
        throw Error(CDX_E_UNAUTHENTICATED, kInvalidLogin, {{"code", "LOGIN_ERROR"}});
    }
    const json& row = rows[0];
    if (row.value("disabled", std::int64_t{0}) != 0)
        throw Error(CDX_E_PERMISSION, "this account is disabled; ask an administrator to enable it");
    guard_.clearAccount(email);

    const std::string token = newToken(kSessionPrefix);
    const std::string token_hash = tokenHash(token);
    const auto now = SystemClock::now();
    const std::string now_text = isoTime(now);
    const std::string expires_at = isoTime(now + std::chrono::hours(24) * settings_.session_days);
    const std::string user_id = row.value("id", std::string());
    catalog.transaction(
        ctx, json::array({
                 // Expired sessions of this user are of no use to anyone: tidy them up on the way.
                 {{"sql", "DELETE FROM sessions WHERE user_id = :user_id AND expires_at < :now"},
                  {"params", {{"user_id", user_id}, {"now", now_text}}}},
                 {{"sql",
                   "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, client) "
                   "VALUES (:token_hash, :user_id, :created_at, :expires_at, :created_at, :client)"},
                  {"params",
                   {{"token_hash", token_hash},
                    {"user_id", user_id},
                    {"created_at", now_text},
                    {"expires_at", expires_at},
                    {"client", caller.client_ip.empty() ? json(nullptr) : json(caller.client_ip)}}}},
             }));
    json user = userJson(row);
    // "rows" is what the CLI prints as a table (output.table): the token itself is not shown on the terminal.
    json summary = {{"email", user["email"]}, {"role", user["role"]}, {"expires_at", expires_at}};
    return {{"success", true},
            {"message", "Login successful"},
            {"user", std::move(user)},
            {"session", {{"token", token}, {"expires_at", expires_at}}},
            {"rows", json::array({std::move(summary)})}};
}

json AccountsPlugin::logout(clipdex::Context& ctx) {
    const Caller caller = callerOf(ctx);
    bool revoked = false;
    if (!caller.session.empty()) {
        const json result = host().catalog().transaction(
            ctx, json::array({{{"sql",
                                "UPDATE sessions SET revoked_at = :now WHERE token_hash = :token_hash AND "
                                "revoked_at IS NULL"},
                               {"params", {{"now", isoTime(SystemClock::now())}, {"token_hash", caller.session}}}}}));
        revoked = result.contains("affected") && !result["affected"].empty() && result["affected"][0] != 0;
    }
    return {{"success", true}, {"message", "Successfully logged out"}, {"revoked", revoked}};
}

json AccountsPlugin::status(clipdex::Context& ctx) {
    const Caller caller = callerOf(ctx);
    json user = nullptr;
    std::string mode = "anonymous";
    if (caller.local()) {
        user = localUser();
        mode = "local";
    } else if (caller.account()) {
        const json rows = host().catalog().query(
            ctx, "SELECT id, email, role, display_name, disabled FROM users WHERE id = :id", {{"id", caller.id}});
        if (!rows.empty() && rows[0].value("disabled", std::int64_t{0}) == 0) {
            user = userJson(rows[0]);
            mode = caller.api_key.empty() ? "session" : "api_key";
        }
    }
    const bool authenticated = !user.is_null();
    json row = {{"authenticated", authenticated},
                {"email", authenticated ? user["email"] : json("")},
                {"role", authenticated ? user["role"] : json("")},
                {"mode", mode}};
    return {{"success", true},
            {"authenticated", authenticated},
            {"user", user},
            {"mode", mode},
            {"data", {{"authenticated", authenticated}, {"user", user}}},
            {"rows", json::array({std::move(row)})}};
}

}  // namespace accounts
