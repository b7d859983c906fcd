// The clipdex.accounts plugin through an in-process host: signup (first account is admin), password and
// email policy, login sessions accepted by the local-accounts auth provider (clipdex.auth/1), logout,
// expiry, secrets stored only as hashes, API keys and who may see them, login rate limits, auth status;
// and `clipdex auth signup/login --password-stdin` through the real binary.
#include <Poco/Net/HTTPRequest.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "core/schema.hpp"
#include "http/http_server.hpp"
#include "loader/plugin_registry.hpp"
#include "runtime/runtime.hpp"
#include "services/call_state.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::Outcome;
using clipdex::test::TempDir;

constexpr const char* kPluginId = "clipdex.accounts";
const std::string kPassword = "correct horse battery";

json anonymous(const std::string& ip = "192.0.2.1") {
    return {{"id", "anonymous"}, {"role", "anonymous"}, {"channel", "http"}, {"client_ip", ip}};
}

json localAdmin() {
    return {{"id", "local"}, {"role", "admin"}, {"channel", "cli"}};
}

class Accounts : public ::testing::Test {
protected:
    void SetUp() override { start(); }

    /// A host whose plugins."clipdex.accounts" section is `plugin_config` plus cheap argon2 parameters (the
    /// production defaults cost ~64 MiB and tens of ms per hash; the algorithm and format are the same).
    void start(json plugin_config = json::object()) {
        runtime_.reset();
        if (!plugin_config.contains("pwhash_opslimit")) plugin_config["pwhash_opslimit"] = 1;
        if (!plugin_config.contains("pwhash_memlimit_kib")) plugin_config["pwhash_memlimit_kib"] = 8192;
        json document;
        document["plugins"][kPluginId] = plugin_config;
        const fs::path file = home_ / "config.json";
        std::ofstream(file) << document.dump();
        runtime_ = clipdex::test::bundledRuntime(home_ / ("c" + std::to_string(++generation_) + ".db"), {}, file);
    }

    /// Runs one of the plugin's commands as `principal`, with the arguments validated like the routers do.
    Outcome run(const std::string& command_id, const json& args = json::object(), const json& principal = anonymous()) {
        for (auto* candidate : runtime_->registry().commands()) {
            if (candidate->decl().plugin_id != kPluginId || candidate->decl().id != command_id) continue;
            clipdex::Invocation call;
            try {
                call.args = clipdex::schema::validateArgs(candidate->decl().args, args, clipdex::schema::Origin::Json);
            } catch (const clipdex::schema::ValidationError& error) {
                return Outcome::failure(CDX_E_INVALID_ARGUMENT, error.what(), {{"field", error.field()}});
            }
            call.principal_json = principal.dump();
            return candidate->run(call);
        }
        return Outcome::failure(CDX_E_NOT_FOUND, "no command " + command_id);
    }

    /// Calls the local-accounts provider as the host's HTTP auth chain would (like loader/provider_calls.cpp).
    Outcome authenticate(const std::string& token, const std::string& source = "bearer") {
        clipdex::LoadedPlugin* plugin =
            runtime_->registry().findProvider(clipdex::PluginRegistry::ProviderKind::AuthProvider, "local-accounts");
        if (plugin == nullptr) return Outcome::failure(CDX_E_UNSUPPORTED, "local-accounts is not loaded");
        if (const std::string refused = clipdex::activatePlugin(*plugin); !refused.empty())
            return Outcome::failure(CDX_E_UNAVAILABLE, refused);
        if (plugin->auth_api == nullptr) return Outcome::failure(CDX_E_UNSUPPORTED, "no clipdex.auth/1 table");
        clipdex::Invocation call;
        call.principal_json = anonymous().dump();
        clipdex::CallState state(plugin->manifest.id, call);
        const std::string provider = "local-accounts";
        const std::string request = json{{"token", token}, {"source", source}, {"client_ip", "192.0.2.1"}}.dump();
        const cdx_status status = plugin->auth_api->authenticate(plugin->instance, {provider.data(), provider.size()},
                                                                 {request.data(), request.size()}, state.abi());
        return state.finish(status);
    }

    json sql(const std::string& query, const json& params = json::object()) {
        return runtime_->catalog().query(query, params);
    }

    json signup(const std::string& email, const std::string& password = kPassword) {
        const Outcome created = run("signup", {{"email", email}, {"password", password}});
        EXPECT_TRUE(created.ok()) << created.message;
        return created.result;
    }

    /// Logs in and returns {"login": result, "principal": what the provider says about the token}.
    json loginAs(const std::string& email, const std::string& ip = "192.0.2.1") {
        const Outcome login = run("login", {{"email", email}, {"password", kPassword}}, anonymous(ip));
        EXPECT_TRUE(login.ok()) << login.message;
        const Outcome who = authenticate(login.result["session"]["token"].get<std::string>());
        EXPECT_TRUE(who.ok()) << who.message;
        json principal = who.result;
        principal["channel"] = "http";
        principal["client_ip"] = ip;
        return {{"login", login.result}, {"principal", principal}};
    }

    TempDir home_;
    int generation_ = 0;
    std::unique_ptr<clipdex::Runtime> runtime_;
};

TEST_F(Accounts, FirstAccountIsAdminLaterOnesAreUsersAndEmailsAreUnique) {
    const json first = signup("Ada@Example.com");
    EXPECT_EQ(first["success"], true);
    EXPECT_EQ(first["message"], "Account created successfully");
    EXPECT_FALSE(first.contains("session"));
    EXPECT_EQ(first["user"]["email"], "ada@example.com");
    EXPECT_EQ(first["user"]["role"], "admin");
    EXPECT_EQ(first["user"]["profile_type"], "admin");
    EXPECT_EQ(first["user"]["display_name"], "ada");
    EXPECT_EQ(first["user"]["id"].get<std::string>().size(), 36u);

    const json second = signup("grace@example.com");
    EXPECT_EQ(second["user"]["role"], "user");
    EXPECT_NE(second["user"]["id"], first["user"]["id"]);

    const Outcome duplicate = run("signup", {{"email", "ADA@example.com "}, {"password", "another long password"}});
    EXPECT_EQ(duplicate.status, CDX_E_CONFLICT);
    EXPECT_EQ(duplicate.message, "an account with this email exists");
    EXPECT_EQ(duplicate.details["field"], "email");
    EXPECT_EQ(sql("SELECT COUNT(*) AS n FROM users")[0]["n"], 2);
}

TEST_F(Accounts, ConcurrentFirstSignupsMakeExactlyOneAdmin) {
    std::vector<std::thread> threads;
    std::vector<Outcome> outcomes(4);
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([this, i, &outcomes] {
            outcomes[i] =
                run("signup", {{"email", "user" + std::to_string(i) + "@example.com"}, {"password", kPassword}});
        });
    for (auto& thread : threads) thread.join();
    for (const Outcome& outcome : outcomes) ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(sql("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'")[0]["n"], 1);
    EXPECT_EQ(sql("SELECT COUNT(*) AS n FROM users WHERE role = 'user'")[0]["n"], 3);
}

TEST_F(Accounts, SignupRejectsWeakPasswordsAndBadEmailsNamingTheField) {
    const Outcome weak = run("signup", {{"email", "ada@example.com"}, {"password", "short pw"}});
    EXPECT_EQ(weak.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_EQ(weak.details["field"], "password");
    EXPECT_NE(weak.message.find("'password' must be at least 10 characters"), std::string::npos) << weak.message;

    for (const char* bad : {"not-an-email", "a@b", "@example.com", "a b@example.com", "a@@example.com", ""}) {
        const Outcome rejected = run("signup", {{"email", bad}, {"password", kPassword}});
        EXPECT_EQ(rejected.status, CDX_E_INVALID_ARGUMENT) << bad;
        EXPECT_EQ(rejected.details["field"], "email") << bad;
        EXPECT_NE(rejected.message.find("'email'"), std::string::npos) << rejected.message;
    }
    const Outcome no_password = run("signup", {{"email", "ada@example.com"}, {"password", ""}});
    EXPECT_EQ(no_password.details["field"], "password");
    EXPECT_EQ(sql("SELECT COUNT(*) AS n FROM users")[0]["n"], 0);
}

TEST_F(Accounts, LoginReturnsASessionTokenTheProviderAccepts) {
    const json user = signup("ada@example.com")["user"];
    const Outcome login = run("login", {{"email", "Ada@Example.com"}, {"password", kPassword}});
    ASSERT_TRUE(login.ok()) << login.message;
    EXPECT_EQ(login.result["success"], true);
    EXPECT_EQ(login.result["message"], "Login successful");
    EXPECT_EQ(login.result["user"]["id"], user["id"]);
    EXPECT_EQ(login.result["user"]["user_id"], user["id"]);
    EXPECT_EQ(login.result["user"]["email"], "ada@example.com");
    EXPECT_EQ(login.result["user"]["display_name"], "ada");
    EXPECT_EQ(login.result["user"]["profile_type"], "admin");
    const std::string token = login.result["session"]["token"];
    EXPECT_EQ(token.rfind("cdxs_", 0), 0u);
    EXPECT_EQ(token.size(), 5u + 64u);
    // Expiry: 30 days from now by default.
    const std::string expires = login.result["session"]["expires_at"];
    const json days = sql("SELECT CAST(julianday(:e) - julianday('now') + 0.5 AS INTEGER) AS d", {{"e", expires}});
    EXPECT_EQ(days[0]["d"], 30) << expires;

    for (const char* source : {"bearer", "cookie"}) {
        const Outcome who = authenticate(token, source);
        ASSERT_TRUE(who.ok()) << who.message;
        EXPECT_EQ(who.result["id"], user["id"]);
        EXPECT_EQ(who.result["email"], "ada@example.com");
        EXPECT_EQ(who.result["role"], "admin");
        EXPECT_EQ(who.result["display_name"], "ada");
        const json rows = sql("SELECT token_hash FROM sessions");
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(who.result["session"], rows[0]["token_hash"]);
        EXPECT_FALSE(who.result.contains("api_key"));
    }
    // Hex case does not matter; every login is a new session.
    std::string upper = token;
    for (std::size_t i = 5; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
    EXPECT_TRUE(authenticate(upper).ok());
    const Outcome again = run("login", {{"email", "ada@example.com"}, {"password", kPassword}});
    EXPECT_NE(again.result["session"]["token"], token);
    EXPECT_EQ(sql("SELECT COUNT(*) AS n FROM sessions")[0]["n"], 2);
}

TEST_F(Accounts, WrongPasswordFailsExactlyLikeAnUnknownEmail) {
    signup("ada@example.com");
    const Outcome wrong = run("login", {{"email", "ada@example.com"}, {"password", "wrong password!"}});
    const Outcome unknown = run("login", {{"email", "nobody@example.com"}, {"password", kPassword}});
    EXPECT_EQ(wrong.status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(unknown.status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(wrong.message, "Invalid email or password");
    EXPECT_EQ(unknown.message, wrong.message);
    EXPECT_EQ(unknown.details, wrong.details);
    EXPECT_EQ(sql("SELECT COUNT(*) AS n FROM sessions")[0]["n"], 0);
}

TEST_F(Accounts, SecretsAreStoredOnlyAsHashes) {
    signup("ada@example.com");
    const json session = loginAs("ada@example.com");
    const std::string token = session["login"]["session"]["token"];
    const Outcome key = run("keys-create", {{"name", "panel"}}, session["principal"]);
    ASSERT_TRUE(key.ok()) << key.message;
    const std::string api_key = key.result["key"];

    const json users = sql("SELECT * FROM users");
    ASSERT_EQ(users.size(), 1u);
    const std::string password_hash = users[0]["password_hash"];
    EXPECT_EQ(password_hash.rfind("$argon2id$", 0), 0u) << password_hash;
    for (const char* table : {"users", "sessions", "api_keys"}) {
        const std::string dump = sql(std::string("SELECT * FROM ") + table).dump();
        for (const std::string& secret : {token, token.substr(5), api_key, api_key.substr(5), kPassword})
            EXPECT_EQ(dump.find(secret), std::string::npos) << table << " holds a secret";
    }
    const json sessions = sql("SELECT token_hash FROM sessions");
    EXPECT_EQ(sessions[0]["token_hash"].get<std::string>().size(), 64u);
    const json keys = sql("SELECT key_hash, prefix FROM api_keys");
    EXPECT_EQ(keys[0]["key_hash"].get<std::string>().size(), 64u);
    EXPECT_EQ(keys[0]["prefix"], api_key.substr(0, 13));
}

TEST_F(Accounts, LogoutRevokesTheCurrentSession) {
    signup("ada@example.com");
    const json session = loginAs("ada@example.com");
    const std::string token = session["login"]["session"]["token"];
    const Outcome out = run("logout", json::object(), session["principal"]);
    ASSERT_TRUE(out.ok()) << out.message;
    EXPECT_EQ(out.result["success"], true);
    EXPECT_EQ(out.result["message"], "Successfully logged out");
    EXPECT_EQ(out.result["revoked"], true);
    const Outcome after = authenticate(token);
    EXPECT_EQ(after.status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(after.details["reason"], "revoked");
    EXPECT_FALSE(sql("SELECT revoked_at FROM sessions")[0]["revoked_at"].is_null());

    // Nothing to revoke: still a success.
    for (const json& principal : {anonymous(), localAdmin()}) {
        const Outcome nothing = run("logout", json::object(), principal);
        ASSERT_TRUE(nothing.ok()) << nothing.message;
        EXPECT_EQ(nothing.result["revoked"], false);
    }
}

TEST_F(Accounts, ExpiredSessionsAreRejected) {
    signup("ada@example.com");
    const std::string token = loginAs("ada@example.com")["login"]["session"]["token"];
    sql("UPDATE sessions SET expires_at = '2020-01-01T00:00:00Z'");
    const Outcome expired = authenticate(token);
    EXPECT_EQ(expired.status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(expired.details["reason"], "expired");
    EXPECT_NE(expired.message.find("log in again"), std::string::npos);
    // SQLite's own datetime() spelling is understood too.
    sql("UPDATE sessions SET expires_at = datetime('now', '-1 minute')");
    EXPECT_EQ(authenticate(token).details["reason"], "expired");
    sql("UPDATE sessions SET expires_at = datetime('now', '+1 minute')");
    EXPECT_TRUE(authenticate(token).ok());
}

TEST_F(Accounts, ShorterSessionLifetimeFromConfig) {
    start({{"session_days", 2}});
    signup("ada@example.com");
    const std::string expires = loginAs("ada@example.com")["login"]["session"]["expires_at"];
    const json days = sql("SELECT CAST(julianday(:e) - julianday('now') + 0.5 AS INTEGER) AS d", {{"e", expires}});
    EXPECT_EQ(days[0]["d"], 2);
}

TEST_F(Accounts, MalformedAndUnknownCredentialsAreRejected) {
    signup("ada@example.com");
    for (const std::string& token :
         {std::string(), std::string("garbage"), std::string("cdxs_1234"), std::string("cdxs_") + std::string(64, 'g'),
          std::string("cdxk_") + "zz", std::string("Bearer cdxs_") + std::string(64, '0')}) {
        const Outcome rejected = authenticate(token);
        EXPECT_EQ(rejected.status, CDX_E_UNAUTHENTICATED) << token;
    }
    const Outcome unknown = authenticate("cdxs_" + std::string(64, '0'));
    EXPECT_EQ(unknown.status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(unknown.details["reason"], "unknown");
    EXPECT_EQ(authenticate("cdxk_" + std::string(64, '0')).details["reason"], "unknown");
}

TEST_F(Accounts, LastSeenIsWrittenAtMostOncePerMinute) {
    signup("ada@example.com");
    const std::string token = loginAs("ada@example.com")["login"]["session"]["token"];
    auto last_seen = [this] { return sql("SELECT last_seen_at FROM sessions")[0]["last_seen_at"].get<std::string>(); };
    // Seen ten seconds ago: the hot path leaves the row alone.
    sql("UPDATE sessions SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 seconds')");
    const std::string recent = last_seen();
    ASSERT_TRUE(authenticate(token).ok());
    EXPECT_EQ(last_seen(), recent);
    // Seen two minutes ago: written again.
    sql("UPDATE sessions SET last_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-120 seconds')");
    const std::string old = last_seen();
    ASSERT_TRUE(authenticate(token).ok());
    EXPECT_GT(last_seen(), old);
}

TEST_F(Accounts, ApiKeysCanBeCreatedListedUsedAndRevoked) {
    const std::string user_id = signup("ada@example.com")["user"]["id"];
    const json ada = loginAs("ada@example.com")["principal"];
    const Outcome created = run("keys-create", {{"name", " premiere panel "}}, ada);
    ASSERT_TRUE(created.ok()) << created.message;
    EXPECT_EQ(created.result["success"], true);
    const std::string key = created.result["key"];
    const std::string key_id = created.result["id"];
    EXPECT_EQ(key.rfind("cdxk_", 0), 0u);
    EXPECT_EQ(key.size(), 5u + 64u);
    EXPECT_EQ(created.result["name"], "premiere panel");
    EXPECT_EQ(created.result["prefix"], key.substr(0, 13));

    const Outcome listed = run("keys-list", json::object(), ada);
    ASSERT_TRUE(listed.ok()) << listed.message;
    ASSERT_EQ(listed.result["keys"].size(), 1u);
    const json& entry = listed.result["keys"][0];
    EXPECT_EQ(entry["id"], key_id);
    EXPECT_EQ(entry["name"], "premiere panel");
    EXPECT_EQ(entry["status"], "active");
    EXPECT_TRUE(entry["last_used_at"].is_null());
    EXPECT_EQ(listed.result.dump().find(key.substr(5)), std::string::npos) << "the list shows the secret";
    EXPECT_FALSE(entry.contains("key_hash"));

    const Outcome who = authenticate(key);
    ASSERT_TRUE(who.ok()) << who.message;
    EXPECT_EQ(who.result["id"], user_id);
    EXPECT_EQ(who.result["email"], "ada@example.com");
    EXPECT_EQ(who.result["role"], "admin");
    EXPECT_EQ(who.result["api_key"], key_id);
    EXPECT_FALSE(who.result.contains("session"));
    EXPECT_FALSE(run("keys-list", json::object(), ada).result["keys"][0]["last_used_at"].is_null());
    // API keys belong in the Authorization header, not in a cookie.
    EXPECT_EQ(authenticate(key, "cookie").status, CDX_E_UNAUTHENTICATED);

    const Outcome revoked = run("keys-revoke", {{"id", key_id}}, ada);
    ASSERT_TRUE(revoked.ok()) << revoked.message;
    EXPECT_EQ(revoked.result["message"], "API key revoked");
    const Outcome refused = authenticate(key);
    EXPECT_EQ(refused.status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(refused.details["reason"], "revoked");
    EXPECT_EQ(run("keys-list", json::object(), ada).result["keys"][0]["status"], "revoked");
    EXPECT_EQ(run("keys-revoke", {{"id", key_id}}, ada).result["message"], "API key was already revoked");
    EXPECT_EQ(run("keys-create", {{"name", "   "}}, ada).details["field"], "name");
}

TEST_F(Accounts, OnlyTheOwnerOrAnAdminSeesAndRevokesKeys) {
    signup("admin@example.com");
    const std::string grace_id = signup("grace@example.com")["user"]["id"];
    signup("linus@example.com");
    const json admin = loginAs("admin@example.com")["principal"];
    const json grace = loginAs("grace@example.com")["principal"];
    const json linus = loginAs("linus@example.com")["principal"];
    const std::string grace_key = run("keys-create", {{"name", "grace's"}}, grace).result["id"];

    const Outcome linus_list = run("keys-list", json::object(), linus);
    ASSERT_TRUE(linus_list.ok());
    EXPECT_TRUE(linus_list.result["keys"].empty());
    const Outcome snoop = run("keys-list", {{"user_id", grace_id}}, linus);
    EXPECT_EQ(snoop.status, CDX_E_NOT_FOUND);
    const Outcome steal = run("keys-revoke", {{"id", grace_key}}, linus);
    const Outcome missing = run("keys-revoke", {{"id", "no-such-key"}}, linus);
    EXPECT_EQ(steal.status, CDX_E_NOT_FOUND);
    EXPECT_EQ(missing.status, CDX_E_NOT_FOUND);
    EXPECT_EQ(steal.details, missing.details);
    EXPECT_EQ(run("keys-list", json::object(), grace).result["keys"][0]["status"], "active");

    const Outcome admin_view = run("keys-list", {{"user_id", grace_id}}, admin);
    ASSERT_TRUE(admin_view.ok()) << admin_view.message;
    ASSERT_EQ(admin_view.result["keys"].size(), 1u);
    EXPECT_EQ(admin_view.result["keys"][0]["id"], grace_key);
    EXPECT_TRUE(run("keys-revoke", {{"id", grace_key}}, admin).ok());
    EXPECT_EQ(run("keys-list", json::object(), grace).result["keys"][0]["status"], "revoked");

    // Keys need an account: anonymous callers and local mode's implicit user are told to log in.
    for (const json& principal : {anonymous(), localAdmin()}) {
        const Outcome refused = run("keys-create", {{"name", "x"}}, principal);
        EXPECT_EQ(refused.status, CDX_E_UNAUTHENTICATED);
        EXPECT_NE(refused.message.find("log in first"), std::string::npos) << refused.message;
    }
    EXPECT_EQ(run("keys-list", json::object(), anonymous()).status, CDX_E_UNAUTHENTICATED);
    // Local mode owns the catalog file: it sees every account's keys.
    const Outcome local_list = run("keys-list", json::object(), localAdmin());
    ASSERT_TRUE(local_list.ok()) << local_list.message;
    ASSERT_EQ(local_list.result["keys"].size(), 1u);
    EXPECT_EQ(local_list.result["keys"][0]["email"], "grace@example.com");
}

TEST_F(Accounts, StatusDescribesTheCaller) {
    const Outcome nobody = run("status", json::object(), anonymous());
    ASSERT_TRUE(nobody.ok()) << nobody.message;
    EXPECT_EQ(nobody.result["success"], true);
    EXPECT_EQ(nobody.result["authenticated"], false);
    EXPECT_TRUE(nobody.result["user"].is_null());
    EXPECT_EQ(nobody.result["data"], (json{{"authenticated", false}, {"user", nullptr}}));

    const Outcome local = run("status", json::object(), localAdmin());
    EXPECT_EQ(local.result["authenticated"], true);
    EXPECT_EQ(local.result["user"]["email"], "local@localhost");
    EXPECT_EQ(local.result["user"]["profile_type"], "admin");
    EXPECT_EQ(local.result["mode"], "local");

    const std::string id = signup("ada@example.com")["user"]["id"];
    const Outcome ada = run("status", json::object(), loginAs("ada@example.com")["principal"]);
    EXPECT_EQ(ada.result["authenticated"], true);
    EXPECT_EQ(ada.result["data"]["authenticated"], true);
    for (const json& user : {ada.result["user"], ada.result["data"]["user"]}) {
        EXPECT_EQ(user["id"], id);
        EXPECT_EQ(user["email"], "ada@example.com");
        EXPECT_EQ(user["display_name"], "ada");
        EXPECT_EQ(user["profile_type"], "admin");
    }
    EXPECT_EQ(ada.result["rows"][0]["email"], "ada@example.com");
    EXPECT_EQ(ada.result["mode"], "session");
}

TEST_F(Accounts, RepeatedFailuresForOneAccountAreRateLimited) {
    signup("ada@example.com");
    signup("grace@example.com");
    const json wrong = {{"email", "ada@example.com"}, {"password", "wrong password!"}};
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(run("login", wrong, anonymous("198.51.100." + std::to_string(i))).status, CDX_E_UNAUTHENTICATED) << i;
    // The sixth try is refused before the password is looked at, from any address, even with the right one.
    const Outcome limited =
        run("login", {{"email", "ada@example.com"}, {"password", kPassword}}, anonymous("203.0.113.7"));
    EXPECT_EQ(limited.status, CDX_E_RATE_LIMITED);
    const std::int64_t retry = limited.details["retry_after_seconds"];
    EXPECT_GT(retry, 0);
    EXPECT_LE(retry, 900);
    EXPECT_NE(limited.message.find("too many login attempts; try again in " + std::to_string(retry) + " s"),
              std::string::npos)
        << limited.message;
    // Another account from the same addresses is not affected.
    EXPECT_TRUE(
        run("login", {{"email", "grace@example.com"}, {"password", kPassword}}, anonymous("198.51.100.0")).ok());
}

TEST_F(Accounts, SuccessfulLoginForgivesTheAccountsFailures) {
    signup("ada@example.com");
    const json wrong = {{"email", "ada@example.com"}, {"password", "wrong password!"}};
    for (int i = 0; i < 4; ++i) EXPECT_EQ(run("login", wrong).status, CDX_E_UNAUTHENTICATED);
    EXPECT_TRUE(run("login", {{"email", "ada@example.com"}, {"password", kPassword}}).ok());
    for (int i = 0; i < 4; ++i) EXPECT_EQ(run("login", wrong).status, CDX_E_UNAUTHENTICATED) << i;
    EXPECT_TRUE(run("login", {{"email", "ada@example.com"}, {"password", kPassword}}).ok());
}

TEST_F(Accounts, RepeatedFailuresFromOneAddressAreRateLimited) {
    signup("ada@example.com");
    for (int i = 0; i < 20; ++i) {
        const json guess = {{"email", "user" + std::to_string(i) + "@example.com"}, {"password", kPassword}};
        EXPECT_EQ(run("login", guess, anonymous("198.51.100.99")).status, CDX_E_UNAUTHENTICATED) << i;
    }
    const Outcome limited =
        run("login", {{"email", "ada@example.com"}, {"password", kPassword}}, anonymous("198.51.100.99"));
    EXPECT_EQ(limited.status, CDX_E_RATE_LIMITED);
    EXPECT_GT(limited.details["retry_after_seconds"].get<std::int64_t>(), 0);
    EXPECT_LE(limited.details["retry_after_seconds"].get<std::int64_t>(), 300);
    EXPECT_TRUE(
        run("login", {{"email", "ada@example.com"}, {"password", kPassword}}, anonymous("198.51.100.100")).ok());
}

TEST_F(Accounts, RateLimitWindowsSlide) {
    start({{"login_max_failures_per_account", 2}, {"login_account_window_seconds", 1}});
    signup("ada@example.com");
    const json wrong = {{"email", "ada@example.com"}, {"password", "wrong password!"}};
    EXPECT_EQ(run("login", wrong).status, CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(run("login", wrong).status, CDX_E_UNAUTHENTICATED);
    const Outcome limited = run("login", wrong);
    EXPECT_EQ(limited.status, CDX_E_RATE_LIMITED);
    EXPECT_EQ(limited.details["retry_after_seconds"], 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_TRUE(run("login", {{"email", "ada@example.com"}, {"password", kPassword}}).ok());
}

using Reply = clipdex::test::HttpReply;

Reply request(std::uint16_t port, const std::string& method, const std::string& path, const json& body = nullptr) {
    return clipdex::test::httpRequest(port, method, path, body);
}

// Over HTTP the legacy auth routes answer unwrapped, as the Premiere panel reads them (inventory §5.3, §7.1);
// failures keep the error envelope with the right status. The host does not attach principals yet, so these
// calls run as local mode's implicit user.
TEST_F(Accounts, HttpRoutesAnswerInThePanelsShape) {
    const auto server = clipdex::test::startServer(*runtime_);
    const auto port = server->port();

    const Reply created =
        request(port, "POST", "/api/auth/signup", {{"email", "ada@example.com"}, {"password", kPassword}});
    ASSERT_EQ(created.status, 200) << created.body.dump(2);
    EXPECT_EQ(created.body["success"], true);
    EXPECT_EQ(created.body["message"], "Account created successfully");
    const Reply weak = request(port, "POST", "/api/auth/signup", {{"email", "bob@example.com"}, {"password", "short"}});
    EXPECT_EQ(weak.status, 400);
    EXPECT_EQ(weak.body["field"], "password");
    EXPECT_EQ(request(port, "POST", "/api/auth/signup", {{"email", "ada@example.com"}, {"password", kPassword}}).status,
              409);

    const Reply login =
        request(port, "POST", "/api/auth/login", {{"email", "ada@example.com"}, {"password", kPassword}});
    ASSERT_EQ(login.status, 200) << login.body.dump(2);
    EXPECT_EQ(login.body["success"], true);
    EXPECT_EQ(login.body["user"]["email"], "ada@example.com");
    EXPECT_EQ(login.body["user"]["profile_type"], "admin");

    const Reply wrong =
        request(port, "POST", "/api/auth/login", {{"email", "ada@example.com"}, {"password", "nope nope nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.body["success"], false);
    EXPECT_EQ(wrong.body["error"], "Invalid email or password");
    EXPECT_EQ(wrong.body["code"], "LOGIN_ERROR");
    for (int i = 0; i < 4; ++i)
        request(port, "POST", "/api/auth/login", {{"email", "ada@example.com"}, {"password", "nope nope nope"}});
    const Reply limited =
        request(port, "POST", "/api/auth/login", {{"email", "ada@example.com"}, {"password", kPassword}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.body["code"], "RATE_LIMITED");
    EXPECT_GT(limited.body["details"]["retry_after_seconds"].get<int>(), 0);

    const Reply status = request(port, "GET", "/api/auth/status");
    ASSERT_EQ(status.status, 200) << status.body.dump(2);
    EXPECT_EQ(status.body["authenticated"], true);
    EXPECT_EQ(status.body["user"]["email"], "local@localhost");
    EXPECT_FALSE(status.body.contains("timestamp"));

    const Reply out = request(port, "POST", "/api/auth/logout", json::object());
    EXPECT_EQ(out.status, 200);
    EXPECT_EQ(out.body["success"], true);
    server->stop();
}

TEST(AccountsCli, SignupAndLoginReadThePasswordFromStdin) {
    TempDir home;
    const auto signup = clipdex::test::runClipdex(
        home, {"auth", "signup", "--email", "ada@example.com", "--password-stdin", "--format", "json"},
        kPassword + "\n");
    ASSERT_EQ(signup.exit_code, 0) << clipdex::test::describe(signup);
    const json created = json::parse(signup.out);
    EXPECT_EQ(created["message"], "Account created successfully");
    EXPECT_EQ(created["user"]["role"], "admin");
    EXPECT_EQ(signup.err.find(kPassword), std::string::npos);

    const auto login = clipdex::test::runClipdex(
        home, {"auth", "login", "--email", "ada@example.com", "--password-stdin", "--format", "json"},
        kPassword + "\n");
    ASSERT_EQ(login.exit_code, 0) << clipdex::test::describe(login);
    EXPECT_EQ(json::parse(login.out)["message"], "Login successful");

    // For people: a short table, without the token.
    const auto human = clipdex::test::runClipdex(
        home, {"auth", "login", "--email", "ada@example.com", "--password-stdin"}, kPassword + "\n");
    ASSERT_EQ(human.exit_code, 0) << clipdex::test::describe(human);
    EXPECT_NE(human.out.find("Logged in"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("ada@example.com"), std::string::npos) << human.out;
    EXPECT_EQ(human.out.find("cdxs_"), std::string::npos) << human.out;

    // Both prompts answered from a pipe, one line each, in the schema's order (email, then password).
    const auto piped = clipdex::test::runClipdex(home, {"auth", "login"}, "ada@example.com\n" + kPassword + "\n");
    EXPECT_EQ(piped.exit_code, 0) << clipdex::test::describe(piped);

    const auto wrong = clipdex::test::runClipdex(
        home, {"auth", "login", "--email", "ada@example.com", "--password-stdin"}, "not the password\n");
    EXPECT_EQ(wrong.exit_code, 1) << clipdex::test::describe(wrong);
    EXPECT_NE(wrong.err.find("Invalid email or password"), std::string::npos) << wrong.err;

    const auto weak = clipdex::test::runClipdex(
        home, {"auth", "signup", "--email", "bob@example.com", "--password-stdin"}, "short\n");
    EXPECT_EQ(weak.exit_code, 2) << clipdex::test::describe(weak);
    EXPECT_NE(weak.err.find("'password' must be at least 10 characters"), std::string::npos) << weak.err;

    const auto empty =
        clipdex::test::runClipdex(home, {"auth", "signup", "--email", "bob@example.com", "--password-stdin"}, "");
    EXPECT_EQ(empty.exit_code, 2) << clipdex::test::describe(empty);

    // Nothing secret reaches the log, even at debug level, on success or failure.
    const auto logged = clipdex::test::runClipdex(
        home,
        {"--log-level", "debug", "auth", "login", "--email", "ada@example.com", "--password-stdin", "--format", "json"},
        kPassword + "\n");
    ASSERT_EQ(logged.exit_code, 0) << clipdex::test::describe(logged);
    // The CLI keeps the token in its 0600 session file and prints the rest.
    EXPECT_FALSE(json::parse(logged.out)["session"].contains("token"));
    std::ifstream session_file(home / "config" / "clipdex" / "session.json");
    const std::string token = json::parse(session_file)["token"];
    EXPECT_NE(logged.err.find("debug"), std::string::npos);
    EXPECT_EQ(logged.err.find(kPassword), std::string::npos);
    EXPECT_EQ(logged.err.find(token.substr(5)), std::string::npos);
    const auto failed = clipdex::test::runClipdex(
        home, {"--log-level", "debug", "auth", "login", "--email", "ada@example.com", "--password-stdin"},
        "secret guess 12345\n");
    EXPECT_EQ(failed.exit_code, 1);
    EXPECT_EQ((failed.out + failed.err).find("secret guess 12345"), std::string::npos);

    const auto status = clipdex::test::runClipdex(home, {"auth", "status"});
    ASSERT_EQ(status.exit_code, 0) << clipdex::test::describe(status);
    EXPECT_NE(status.out.find("Logged in"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("ada@example.com"), std::string::npos) << status.out;  // the stored session
}

}  // namespace
