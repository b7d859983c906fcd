// The two auth modes end to end with the real accounts plugin: over loopback HTTP (session cookie, Bearer
// tokens, 401s in team mode) and on the CLI (the 0600 session file that `auth login` leaves and `auth logout`
// removes).
#include <Poco/Net/HTTPRequest.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <map>

#include "http/http_server.hpp"
#include "mode_server_fixture.hpp"
#include "runtime/runtime.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::describe;
using clipdex::test::runClipdex;
using clipdex::test::TempDir;

const std::string kPassword = "correct horse battery";

using Reply = clipdex::test::HttpReply;

Reply call(std::uint16_t port, const std::string& method, const std::string& path, const json& body = nullptr,
           const std::map<std::string, std::string>& headers = {}) {
    return clipdex::test::httpRequest(port, method, path, body, headers);
}

/// "clipdex_session=<value>" from a Set-Cookie header.
std::string sessionCookie(const Reply& reply) {
    for (const std::string& cookie : reply.cookies)
        if (cookie.rfind("clipdex_session=", 0) == 0) return cookie.substr(0, cookie.find(';'));
    return {};
}

class AuthModes : public clipdex::test::ModeServerTest {};

TEST_F(AuthModes, LocalModeNeedsNoAccount) {
    start("local");
    const Reply clips = call(port(), "GET", "/api/clips");
    EXPECT_EQ(clips.status, 200) << clips.body.dump();
    const Reply status = call(port(), "GET", "/api/auth/status");
    EXPECT_EQ(status.body["authenticated"], true) << status.body.dump();
}

TEST_F(AuthModes, TeamModeNeedsAnIdentityFromTheCookieOrABearerToken) {
    start("team");
    const Reply anonymous = call(port(), "GET", "/api/clips");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.body["code"], "AUTH_REQUIRED");
    EXPECT_EQ(call(port(), "GET", "/api/health").status, 200);
    EXPECT_EQ(call(port(), "GET", "/api/auth/status").body["authenticated"], false);

    const json account = {{"email", "team@example.com"}, {"password", kPassword}};
    ASSERT_EQ(call(port(), "POST", "/api/auth/signup", account).status, 200);
    const Reply login = call(port(), "POST", "/api/auth/login", account);
    ASSERT_EQ(login.status, 200) << login.body.dump();
    const std::string cookie = sessionCookie(login);
    ASSERT_FALSE(cookie.empty()) << "no session cookie";
    bool http_only = false;
    for (const std::string& header : login.cookies)
        if (header.find("HttpOnly") != std::string::npos && header.find("SameSite=Lax") != std::string::npos)
            http_only = true;
    EXPECT_TRUE(http_only);
    EXPECT_EQ(login.body.dump().find(cookie.substr(std::string("clipdex_session=").size())), std::string::npos)
        << "the token must travel only in the HttpOnly cookie";

    const Reply with_cookie = call(port(), "GET", "/api/clips", nullptr, {{"Cookie", cookie}});
    EXPECT_EQ(with_cookie.status, 200) << with_cookie.body.dump();
    const std::string token = cookie.substr(std::string("clipdex_session=").size());
    EXPECT_EQ(call(port(), "GET", "/api/clips", nullptr, {{"Authorization", "Bearer " + token}}).status, 200);
    const Reply status = call(port(), "GET", "/api/auth/status", nullptr, {{"Cookie", cookie}});
    EXPECT_EQ(status.body["authenticated"], true);
    EXPECT_EQ(status.body["user"]["email"], "team@example.com");

    const Reply forged =
        call(port(), "GET", "/api/clips", nullptr, {{"Authorization", "Bearer cdxs_" + std::string(64, 'a')}});
    EXPECT_EQ(forged.status, 401);

    const Reply logout = call(port(), "POST", "/api/auth/logout", nullptr, {{"Cookie", cookie}});
    EXPECT_EQ(logout.status, 200);
    bool cleared = false;
    for (const std::string& header : logout.cookies)
        if (header.rfind("clipdex_session=;", 0) == 0 || header.find("Max-Age=0") != std::string::npos) cleared = true;
    EXPECT_TRUE(cleared) << "logout clears the cookie";
    EXPECT_EQ(call(port(), "GET", "/api/clips", nullptr, {{"Cookie", cookie}}).status, 401) << "revoked";
}

TEST(AuthModesCli, LoginKeepsAPrivateSessionFileThatTeamModeUses) {
    TempDir home;
    const std::map<std::string, std::string> team = {{"CLIPDEX_AUTH_MODE", "team"}};
    const auto refused = runClipdex(home, {"search", "recent"}, "", team);
    EXPECT_EQ(refused.exit_code, 1) << describe(refused);
    EXPECT_NE(refused.err.find("Authentication required"), std::string::npos) << describe(refused);

    ASSERT_EQ(
        runClipdex(home, {"auth", "signup", "--email", "cli@example.com", "--password-stdin"}, kPassword + "\n", team)
            .exit_code,
        0);
    const auto login =
        runClipdex(home, {"auth", "login", "--email", "cli@example.com", "--password-stdin", "--format", "json"},
                   kPassword + "\n", team);
    ASSERT_EQ(login.exit_code, 0) << describe(login);
    EXPECT_EQ(login.out.find("cdxs_"), std::string::npos) << "the token is stored, not printed";
    const fs::path file = home / "config" / "clipdex" / "session.json";
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0) << "no session file at " << file;
    EXPECT_EQ(info.st_mode & 0777, 0600);

    const auto listed = runClipdex(home, {"search", "recent", "--format", "json"}, "", team);
    EXPECT_EQ(listed.exit_code, 0) << describe(listed);
    const auto status = runClipdex(home, {"auth", "status", "--format", "json"}, "", team);
    EXPECT_NE(status.out.find("cli@example.com"), std::string::npos) << describe(status);

    ASSERT_EQ(runClipdex(home, {"auth", "logout"}, "", team).exit_code, 0);
    EXPECT_FALSE(fs::exists(file));
    EXPECT_EQ(runClipdex(home, {"search", "recent"}, "", team).exit_code, 1);
}

}  // namespace
