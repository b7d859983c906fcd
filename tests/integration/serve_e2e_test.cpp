// Generated HTTP routes end to end over loopback, with real plugins loaded through the ABI, and the
// real `clipdex serve` process shutting down gracefully on SIGTERM.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "http/http_server.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
using clipdex::test::fixturePluginDir;
using clipdex::test::TempDir;

struct Reply {
    int status = 0;
    json body;
};

Reply request(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest http_request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!body.empty()) {
        http_request.setContentType("application/json");
        http_request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(http_request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    return Reply{static_cast<int>(response.getStatus()), json::parse(text, nullptr, false)};
}

class ServeEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        clipdex::RuntimeOptions options;
        options.plugin_dirs = {fixturePluginDir("good"), fixturePluginDir("throws"),
                               clipdex::test::requiredEnv("CLIPDEX_BUNDLED_PLUGINS")};
        options.load_bundled_plugins = false;
        options.load_env_plugins = false;
        options.catalog = (home_ / "catalog.db").string();
        runtime_ = std::make_unique<clipdex::Runtime>(options);
        clipdex::http::ServerOptions server_options;
        server_options.port = 0;
        server_options.version = "test";
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), server_options);
        server_->start();
    }
    void TearDown() override { server_->stop(); }

    TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::unique_ptr<clipdex::http::HttpServer> server_;
};

TEST_F(ServeEndToEnd, PluginRoutesAnswerInTheOriginalEnvelope) {
    const Reply found = request(server_->port(), "GET", "/api/fixture/items/42");
    EXPECT_EQ(found.status, 200);
    EXPECT_EQ(found.body["success"], true);
    EXPECT_EQ(found.body["data"]["name"], "the answer");
    EXPECT_TRUE(found.body["timestamp"].is_number());

    const Reply missing = request(server_->port(), "GET", "/api/fixture/items/7");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.body["success"], false);
    EXPECT_EQ(missing.body["code"], "ITEM_NOT_FOUND");
    EXPECT_EQ(missing.body["error"], "item 7 not found");
}

TEST_F(ServeEndToEnd, BodyAndQueryAreValidatedByTheSameSchemaAsTheCli) {
    const Reply echo = request(server_->port(), "POST", "/api/fixture/echo?count=3", R"({"text": "hi", "loud": true})");
    ASSERT_EQ(echo.status, 200) << echo.body;
    EXPECT_EQ(echo.body["data"]["repeated"], json::array({"HI", "HI", "HI"}));
    const Reply bad = request(server_->port(), "POST", "/api/fixture/echo", R"({"text": "hi", "count": 99})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body["code"], "VALIDATION_ERROR");
    EXPECT_NE(bad.body["error"].get<std::string>().find("count"), std::string::npos) << bad.body;
}

TEST_F(ServeEndToEnd, AThrowingPluginGivesAnErrorAndTheServerKeepsServing) {
    const Reply boom = request(server_->port(), "GET", "/api/boom");
    EXPECT_EQ(boom.status, 500);
    EXPECT_EQ(boom.body["success"], false);
    EXPECT_EQ(request(server_->port(), "GET", "/api/health").status, 200);
    EXPECT_EQ(request(server_->port(), "GET", "/api/version").body["data"]["name"], "clipdex");
}

TEST_F(ServeEndToEnd, OpenApiAndPluginIntrospectionCoverLoadedPlugins) {
    const Reply openapi = request(server_->port(), "GET", "/api/openapi.json");
    ASSERT_EQ(openapi.status, 200);
    EXPECT_TRUE(openapi.body["paths"].contains("/api/fixture/items/{id}")) << openapi.body["paths"];
    EXPECT_TRUE(openapi.body["paths"].contains("/api/pipeline/steps"));
    const Reply plugins = request(server_->port(), "GET", "/api/plugins/fixture.good");
    EXPECT_EQ(plugins.body["data"]["version"], "1.2.3");
    const Reply steps = request(server_->port(), "GET", "/api/pipeline/steps");
    // The original Premiere panel calls .forEach on this body: a bare array of {id, name, enabled_by_default, ...}.
    ASSERT_TRUE(steps.body.is_array()) << steps.body;
    EXPECT_EQ(steps.body.size(), runtime_->registry().describe("steps").size());
    for (const auto& step : steps.body) {
        EXPECT_TRUE(step["id"].is_string()) << step;
        EXPECT_EQ(step["id"], step["name"]);
        EXPECT_TRUE(step["enabled_by_default"].is_boolean()) << step;
    }
}

TEST_F(ServeEndToEnd, LegacyAliasesReachTheSameCommand) {
    const Reply status = request(server_->port(), "GET", "/api/status");
    const Reply auth_status = request(server_->port(), "GET", "/api/auth/status");
    ASSERT_EQ(status.status, 200) << status.body;
    EXPECT_EQ(status.body["authenticated"], auth_status.body["authenticated"]);
    EXPECT_EQ(status.body["data"]["authenticated"], auth_status.body["authenticated"]);
    const Reply openapi = request(server_->port(), "GET", "/api/openapi.json");
    EXPECT_TRUE(openapi.body["paths"].contains("/api/status"));
}

std::uint16_t freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

TEST(ServeProcess, ShutsDownGracefullyOnSigterm) {
    TempDir home;
    const std::uint16_t port = freePort();
    Poco::Pipe err_pipe;
    Poco::Process::Env env{{"HOME", home.path().string()},
                           {"XDG_DATA_HOME", (home / "data").string()},
                           {"CLIPDEX_CATALOG", ""},
                           {"CLIPDEX_PLUGIN_PATH", ""}};
    Poco::ProcessHandle handle =
        Poco::Process::launch(clipdex::test::requiredEnv("CLIPDEX_BIN"), {"serve", "--port", std::to_string(port)}, ".",
                              nullptr, nullptr, &err_pipe, env);
    bool ready = false;
    for (int attempt = 0; attempt < 100 && !ready; ++attempt) {
        try {
            ready = request(port, "GET", "/api/health").status == 200;
        } catch (const Poco::Exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ASSERT_TRUE(ready) << "clipdex serve did not answer /api/health on port " << port;
    EXPECT_EQ(request(port, "GET", "/api/version").body["data"]["name"], "clipdex");
    ::kill(handle.id(), SIGTERM);
    EXPECT_EQ(handle.wait(), 0);
    EXPECT_TRUE(std::filesystem::exists(home / "data" / "clipdex" / "catalog.db"));
}

}  // namespace
