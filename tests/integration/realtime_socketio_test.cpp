// The real socket.io-client (npm, pinned in tests/node/package-lock.json) driven by node against /socket.io/,
// over each transport the panels use: websocket only, polling only, the client's default (polling, then the
// upgrade to websocket) and the SDB panel's websocket-then-polling. tests/node/socketio_probe.js prints one
// JSON line per observation; CI installs it with `npm ci --prefix tests/node`.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "http/http_server.hpp"
#include "integration/realtime_test_support.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::ingestProgress;
using clipdex::test::TempDir;
using clipdex::test::TestProgressFeed;

struct ProbeRun {
    int exit_code = -1;
    std::vector<json> lines;
    std::string output;  // everything printed, for failure messages

    /// The data of the first line with `event` (and requestId/request_id `id` when given); null if none.
    json find(const std::string& event, const std::string& id = "") const {
        for (const json& line : lines) {
            if (line.value("event", "") != event) continue;
            const json& data = line["data"];
            if (id.empty() ||
                (data.is_object() && (data.value("requestId", json()) == id || data.value("request_id", json()) == id)))
                return data.is_null() ? json::object() : data;
        }
        return nullptr;
    }
};

/// Runs the probe to completion; `on_ready` runs when it prints {"event":"ready"}. Fails the test (with the
/// fix in the message) when node or the npm packages are missing.
ProbeRun runProbe(const std::string& url, const std::string& mode, const std::string& job_id,
                  const std::string& token = "", const std::function<void()>& on_ready = {},
                  const std::string& token_via = "header") {
    ProbeRun run;
    const fs::path node_dir = fs::path(clipdex::test::requiredEnv("CLIPDEX_SOURCE_DIR")) / "tests" / "node";
    if (std::system("command -v node >/dev/null 2>&1") != 0 ||
        !fs::exists(node_dir / "node_modules" / "socket.io-client" / "package.json")) {
        ADD_FAILURE() << "node or the socket.io-client package is missing: install nodejs and run `npm ci --prefix "
                      << node_dir.string() << "` (packaging/scripts/run-tests.sh does both)";
        return run;
    }
    const std::string command = "node '" + (node_dir / "socketio_probe.js").string() + "' " + url + " " + mode + " " +
                                job_id + (token.empty() ? "" : " " + token + " " + token_via) + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return run;
    }
    char buffer[65536];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
        const std::string line = buffer;
        run.output += line;
        json parsed = json::parse(line, nullptr, false);
        if (parsed.is_discarded()) continue;
        if (parsed.value("event", "") == "ready" && on_ready) on_ready();
        run.lines.push_back(std::move(parsed));
    }
    const int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

class SocketIoClient : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        runtime_ = clipdex::test::bundledRuntime(home_ / "catalog.db");
        clipdex::http::ServerOptions options;
        options.port = 0;
        options.progress_feed = feed_;
        // Short enough that server pings and the client's pongs happen during every run, on every transport.
        options.realtime.ping_interval = std::chrono::milliseconds(100);
        options.realtime.ping_timeout = std::chrono::milliseconds(2000);
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), options);
        server_->start();
    }
    void TearDown() override { server_->stop(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

    TempDir home_;
    std::shared_ptr<TestProgressFeed> feed_ = std::make_shared<TestProgressFeed>();
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::unique_ptr<clipdex::http::HttpServer> server_;
};

TEST_P(SocketIoClient, ConnectsSubscribesAndGetsResponsesAndProgress) {
    const std::string mode = GetParam();
    feed_->publish("job-1", "local", ingestProgress("starting", 0));
    const ProbeRun run = runProbe(url(), mode, "job-1", "", [&] {
        feed_->publish("job-1", "local", ingestProgress("processing", 50));
        feed_->publish("job-1", "local", ingestProgress("completed", 100));
    });
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(run.find("timeout").is_null()) << run.output;

    const std::string first_transport = mode == "polling" || mode == "default" ? "polling" : "websocket";
    EXPECT_EQ(run.find("open")["transport"], first_transport) << run.output;
    if (mode == "default") {
        EXPECT_EQ(run.find("upgrade")["transport"], "websocket") << run.output;
    }
    const json status = run.find("connection_status");
    EXPECT_EQ(status["connected"], true) << run.output;
    EXPECT_EQ(status["fallback_available"], true);
    EXPECT_TRUE(run.find("pong")["timestamp"].is_number()) << run.output;
    EXPECT_TRUE(run.find("ack")["timestamp"].is_number()) << run.output;

    EXPECT_EQ(run.find("ingest_progress_update")["status"], "starting") << "the snapshot comes first";
    EXPECT_EQ(run.find("progress_subscribed", "sub-1")["status"], "subscribed") << run.output;
    EXPECT_EQ(run.find("progress_error", "sub-2")["fallback_to_rest"], true) << run.output;
    EXPECT_EQ(run.find("response", "req-progress")["payload"]["status"], "starting") << run.output;
    EXPECT_NE(run.find("response_error", "req-missing-clip")["error"].get<std::string>().find("clipId"),
              std::string::npos)
        << run.output;
    EXPECT_TRUE(run.find("response", "req-search")["payload"]["results"].is_array()) << run.output;
    EXPECT_FALSE(run.find("response_error", "req-unknown").is_null()) << run.output;

    const std::string final_transport = mode == "polling" ? "polling" : "websocket";
    EXPECT_EQ(run.find("ready")["transport"], final_transport) << run.output;
    EXPECT_EQ(run.find("done")["transport"], final_transport) << run.output;
    EXPECT_GE(run.find("done").value("server_pings", 0), 1) << "the client answered server pings and stayed connected";
    EXPECT_FALSE(run.find("progress_update").is_null()) << "the second client generation's event" << run.output;
}

INSTANTIATE_TEST_SUITE_P(Transports, SocketIoClient, ::testing::Values("websocket", "polling", "default", "panel"));

TEST(SocketIoTeamMode, ConnectIsRefusedWithoutAnIdentityAndAcceptedWithAToken) {
    TempDir home;
    const auto runtime = clipdex::test::runtimeInMode(home / "catalog.db", "team");
    auto feed = std::make_shared<TestProgressFeed>();
    clipdex::http::ServerOptions options = clipdex::test::identifiedServerOptions(*runtime);
    options.progress_feed = feed;
    options.realtime.ping_interval = std::chrono::milliseconds(100);  // the probe waits for a server ping
    clipdex::http::HttpServer server(runtime->registry().commands(), options);
    server.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

    for (const std::string mode : {"websocket", "polling"}) {
        const ProbeRun anonymous = runProbe(url, mode, "job-1");
        EXPECT_EQ(anonymous.find("connect_error").value("message", "").rfind("Authentication required", 0), 0u)
            << mode << ": " << anonymous.output;
        EXPECT_TRUE(anonymous.find("connection_status").is_null()) << anonymous.output;
    }

    clipdex::test::signUpAndLogIn(server.port(), "admin@example.com");
    const clipdex::test::TeamUser user = clipdex::test::signUpAndLogIn(server.port(), "user@example.com");
    ASSERT_FALSE(user.token.empty());
    feed->publish("job-1", user.id, ingestProgress("starting", 0));
    const ProbeRun run = runProbe(url, "websocket", "job-1", user.token, [&] {
        feed->publish("other-job", "someone-else", ingestProgress("completed", 100));
        feed->publish("job-1", user.id, ingestProgress("completed", 100));
    });
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(run.find("connection_status")["connected"], true) << run.output;
    EXPECT_EQ(run.find("progress_subscribed", "sub-1")["status"], "subscribed") << run.output;
    EXPECT_FALSE(run.find("done").is_null()) << run.output;
    EXPECT_EQ(run.output.find("other-job"), std::string::npos) << "another user's job never reaches this socket";

    // Browsers can set no header on a WebSocket: socket.io-client's `auth: {token}` arrives with CONNECT.
    const ProbeRun via_auth = runProbe(
        url, "websocket", "job-1", user.token,
        [&] { feed->publish("job-1", user.id, ingestProgress("completed", 100)); }, "auth");
    EXPECT_EQ(via_auth.exit_code, 0) << via_auth.output;
    EXPECT_EQ(via_auth.find("connection_status")["connected"], true) << via_auth.output;
    EXPECT_EQ(via_auth.find("progress_subscribed", "sub-1")["status"], "subscribed") << via_auth.output;
    const ProbeRun forged = runProbe(url, "polling", "job-1", "cdxs_" + std::string(64, 'a'), {}, "auth");
    EXPECT_EQ(forged.find("connect_error").value("message", "").rfind("Authentication error:", 0), 0u) << forged.output;
    server.stop();
}

}  // namespace
