// Every route the server generates, in both auth modes: team mode refuses each route that needs an identity
// with 401 and no other, a signed-in user reaches every route, and local mode needs no account anywhere. No
// route may answer 5xx to a well-formed request, whatever its arguments. The routes come from the OpenAPI
// document, so a route added later is covered without editing this test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>

#include "http/http_server.hpp"
#include "mode_server_fixture.hpp"
#include "runtime/runtime.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
using clipdex::test::TempDir;
using Reply = clipdex::test::HttpReply;

struct RouteCase {
    std::string method;
    std::string path;  // with its {parameters} filled in
    std::string auth;  // the command's declared "auth"
};

/// "/api/clips/{clip_id}/thumbnails/{n}" → an id that exists nowhere and a small number.
std::string filled(const std::string& path_template) {
    std::string path;
    for (std::size_t i = 0; i < path_template.size(); ++i) {
        if (path_template[i] != '{') {
            path += path_template[i];
            continue;
        }
        const std::size_t close = path_template.find('}', i);
        const std::string name = path_template.substr(i + 1, close - i - 1);
        path += name == "n" ? "1" : "00000000-0000-4000-8000-000000000000";
        i = close;
    }
    return path;
}

class RouteMatrix : public clipdex::test::ModeServerTest {
protected:
    /// Every (method, path) of the OpenAPI document with the auth its command declares. Logout goes last: it
    /// ends the session the other calls use.
    std::vector<RouteCase> routes() {
        std::map<std::pair<std::string, std::string>, std::string> declared;
        for (clipdex::Command* command : runtime_->registry().commands()) {
            const auto& decl = command->decl();
            if (decl.http_method.empty()) continue;
            declared[{decl.http_method, decl.http_path}] = decl.auth;
            for (const std::string& alias : decl.http_aliases) declared[{decl.http_method, alias}] = decl.auth;
        }
        const Reply openapi = call("GET", "/api/openapi.json");
        std::vector<RouteCase> cases;
        std::vector<RouteCase> last;
        for (const auto& [path, operations] : openapi.body.at("paths").items())
            for (const auto& [method_lower, operation] : operations.items()) {
                std::string method = method_lower;
                for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                const auto found = declared.find({method, path});
                // Routes the server itself answers (health, the OpenAPI document) need no identity.
                RouteCase route{method, filled(path), found == declared.end() ? "none" : found->second};
                (path == "/api/auth/logout" ? last : cases).push_back(route);
            }
        cases.insert(cases.end(), last.begin(), last.end());
        return cases;
    }

    Reply call(const std::string& method, const std::string& path,
               const std::map<std::string, std::string>& headers = {}) {
        const bool takes_body = method == "POST" || method == "PUT" || method == "PATCH";
        return clipdex::test::httpRequest(server_->port(), method, path, takes_body ? json::object() : json(nullptr),
                                          headers);
    }
};

TEST_F(RouteMatrix, TeamModeRefusesEveryRouteThatNeedsAnIdentityAndASignedInUserReachesThemAll) {
    start("team");
    const std::vector<RouteCase> cases = routes();
    ASSERT_GT(cases.size(), 30u) << "the bundled plugins' routes are missing";
    std::set<std::string> open_routes;
    for (const RouteCase& route : cases) {
        if (route.path == "/api/auth/signup" || route.path == "/api/auth/login") continue;  // would sign in
        const Reply reply = call(route.method, route.path);
        const std::string what =
            route.method + " " + route.path + " -> " + std::to_string(reply.status) + " " + reply.text.substr(0, 200);
        EXPECT_LT(reply.status, 500) << what;
        if (route.auth == "required") {
            EXPECT_EQ(reply.status, 401) << what;
            EXPECT_EQ(reply.body.value("code", ""), "AUTH_REQUIRED") << what;
        } else {
            EXPECT_NE(reply.status, 401) << what;
            open_routes.insert(route.path);
        }
    }
    EXPECT_TRUE(open_routes.count("/api/health")) << "health needs no identity";
    EXPECT_TRUE(open_routes.count("/api/auth/status"));

    const json account = {{"email", "matrix@example.com"}, {"password", "correct horse battery"}};
    ASSERT_EQ(clipdex::test::httpRequest(server_->port(), "POST", "/api/auth/signup", account).status, 200);
    const Reply login = clipdex::test::httpRequest(server_->port(), "POST", "/api/auth/login", account);
    std::string cookie;
    for (const std::string& header : login.cookies)
        if (header.rfind("clipdex_session=", 0) == 0) cookie = header.substr(0, header.find(';'));
    ASSERT_FALSE(cookie.empty()) << login.text;
    for (const RouteCase& route : cases) {
        if (route.path == "/api/auth/signup" || route.path == "/api/auth/login") continue;
        const Reply reply = call(route.method, route.path, {{"Cookie", cookie}});
        const std::string what =
            route.method + " " + route.path + " -> " + std::to_string(reply.status) + " " + reply.text.substr(0, 200);
        EXPECT_LT(reply.status, 500) << what;
        EXPECT_NE(reply.status, 401) << what;
    }
}

TEST_F(RouteMatrix, LocalModeNeedsNoAccountOnAnyRoute) {
    start("local");
    const std::vector<RouteCase> cases = routes();
    ASSERT_GT(cases.size(), 30u);
    for (const RouteCase& route : cases) {
        const Reply reply = call(route.method, route.path);
        const std::string what =
            route.method + " " + route.path + " -> " + std::to_string(reply.status) + " " + reply.text.substr(0, 200);
        EXPECT_LT(reply.status, 500) << what;
        EXPECT_NE(reply.status, 401) << what;
        EXPECT_NE(reply.status, 403) << what;
    }
}

}  // namespace
