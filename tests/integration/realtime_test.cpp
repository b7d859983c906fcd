// /api/ws end to end over loopback with Poco's client WebSocket: subscription snapshots, throttled and
// coalesced progress, ping/pong, heartbeats, bad input, team-mode identity and visibility, 503 without a job
// system, and stop() with sockets still open. Progress comes from the hand-written feed in
// realtime_test_support.hpp.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "http/http_server.hpp"
#include "integration/realtime_test_support.hpp"
#include "runtime/runtime.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"
#include "ws_test_client.hpp"

namespace {

using clipdex::json;
using clipdex::test::ingestProgress;
using clipdex::test::TempDir;
using clipdex::test::TestProgressFeed;

using clipdex::test::WsClient;

class RealtimeWs : public ::testing::Test {
protected:
    void start(clipdex::realtime::RealtimeOptions realtime = {}) {
        clipdex::http::ServerOptions options;
        options.port = 0;
        options.progress_feed = feed_;
        options.realtime = realtime;
        server_ = std::make_unique<clipdex::http::HttpServer>(std::vector<clipdex::Command*>{}, options);
        server_->start();
    }
    void TearDown() override {
        if (server_) server_->stop();
    }
    std::uint16_t port() const { return server_->port(); }

    std::shared_ptr<TestProgressFeed> feed_ = std::make_shared<TestProgressFeed>();
    std::unique_ptr<clipdex::http::HttpServer> server_;
};

TEST_F(RealtimeWs, SubscribeGetsASnapshotThenThrottledUpdatesEndingWithTheLatestState) {
    start();
    feed_->publish("job-1", "local", ingestProgress("starting", 0));
    WsClient client(port());
    client.send({{"type", "subscribe"}, {"job_id", "job-1"}});
    const json subscribed = client.next("subscribed");
    EXPECT_EQ(subscribed["job_id"], "job-1");
    EXPECT_EQ(subscribed["progress"]["status"], "starting");

    constexpr int kUpdates = 50;
    for (int i = 1; i <= kUpdates; ++i) {
        feed_->publish("job-1", "local", ingestProgress(i == kUpdates ? "completed" : "processing", i * 2));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    int updates = 0;
    json last;
    do {
        last = client.next("progress_update");
        ++updates;
        EXPECT_EQ(last["job_id"], "job-1");
    } while (!last.is_null() && last["progress"]["status"] != "completed");
    EXPECT_EQ(last["progress"]["progress"], 100) << "the latest state wins";
    EXPECT_LT(updates, kUpdates / 2) << "updates are coalesced to one per 250 ms per job";
}

TEST_F(RealtimeWs, SubscribingToEverythingDeliversEveryJobAndUnsubscribeStopsIt) {
    start();
    WsClient client(port());
    client.send({{"type", "subscribe"}});
    const json subscribed = client.next("subscribed");
    EXPECT_TRUE(subscribed["job_id"].is_null());
    EXPECT_EQ(subscribed["progress"]["status"], "idle") << "no job yet: the idle document";

    feed_->publish("job-a", "local", ingestProgress("processing", 10));
    feed_->publish("job-b", "someone-else", ingestProgress("processing", 20));  // local admin sees all jobs
    std::set<std::string> seen;
    while (seen.size() < 2) seen.insert(client.next("progress_update")["job_id"].get<std::string>());
    EXPECT_EQ(seen, (std::set<std::string>{"job-a", "job-b"}));

    client.send({{"type", "unsubscribe"}});
    EXPECT_TRUE(client.next("unsubscribed")["job_id"].is_null());
    feed_->publish("job-a", "local", ingestProgress("completed", 100));
    client.send({{"type", "ping"}});
    const json after = client.receive();  // the pong, not job-a's update
    EXPECT_EQ(after["type"], "pong") << after.dump();
}

TEST_F(RealtimeWs, PingAnswersPongAndHeartbeatsArrive) {
    clipdex::realtime::RealtimeOptions realtime;
    realtime.heartbeat_interval = std::chrono::milliseconds(100);
    start(realtime);
    WsClient client(port());
    client.send({{"type", "ping"}});
    EXPECT_TRUE(client.next("pong")["timestamp"].is_number());
    EXPECT_TRUE(client.next("heartbeat")["timestamp"].is_number());
    EXPECT_TRUE(client.next("heartbeat")["timestamp"].is_number());
}

TEST_F(RealtimeWs, BadInputGetsAnErrorAndTheSocketStaysOpen) {
    start();
    WsClient client(port());
    client.sendText("{not json");
    EXPECT_EQ(client.next("error")["message"], "Invalid JSON");
    client.send({{"type", "teleport"}});
    EXPECT_NE(client.next("error")["message"].get<std::string>().find("Unknown message type 'teleport'"),
              std::string::npos);
    client.send(json::array({1, 2}));
    EXPECT_EQ(client.next("error")["type"], "error");
    client.send({{"type", "subscribe"}, {"job_id", 42}});
    EXPECT_EQ(client.next("error")["message"], "job_id must be a string");
    client.send({{"type", "subscribe"}, {"job_id", "no-such-job"}});
    EXPECT_NE(client.next("error")["message"].get<std::string>().find("no-such-job"), std::string::npos);
    client.send({{"type", "ping"}});
    EXPECT_EQ(client.next("pong")["type"], "pong");
}

TEST_F(RealtimeWs, APlainRequestIsRefusedWith400) {
    start();
    EXPECT_EQ(clipdex::test::httpRequest(port(), "GET", "/api/ws").status, 400);
}

TEST_F(RealtimeWs, StopClosesOpenSocketsAndReturns) {
    start();
    WsClient client(port());
    client.send({{"type", "ping"}});
    client.next("pong");
    server_->stop();
    EXPECT_TRUE(client.receive().is_null()) << "the server closes the socket on stop";
    EXPECT_EQ(feed_->listenerCount(), 0u) << "the hub unsubscribed from the feed";
    server_.reset();
}

TEST(RealtimeUnavailable, WithoutAJobSystemBothEndpointsAnswer503) {
    clipdex::http::ServerOptions options;
    options.port = 0;
    clipdex::http::HttpServer server({}, options);
    server.start();
    const auto ws = clipdex::test::httpRequest(server.port(), "GET", "/api/ws", nullptr,
                                               {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}});
    EXPECT_EQ(ws.status, 503);
    EXPECT_NE(ws.body.value("error", "").find("job system"), std::string::npos) << ws.text;
    const auto sio = clipdex::test::httpRequest(server.port(), "GET", "/socket.io/?EIO=4&transport=polling");
    EXPECT_EQ(sio.status, 503);
    EXPECT_NE(sio.body.value("error", "").find("job system"), std::string::npos) << sio.text;
    server.stop();
}

/// Team mode with the real accounts plugin: two users, each with a session token.
class RealtimeTeam : public ::testing::Test {
protected:
    void SetUp() override {
        runtime_ = clipdex::test::runtimeInMode(home_ / "catalog.db", "team");
        clipdex::http::ServerOptions server_options = clipdex::test::identifiedServerOptions(*runtime_);
        server_options.progress_feed = feed_;
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), server_options);
        server_->start();
    }
    void TearDown() override { server_->stop(); }

    using User = clipdex::test::TeamUser;
    User signUp(const std::string& email) {
        User user = clipdex::test::signUpAndLogIn(server_->port(), email);
        EXPECT_FALSE(user.token.empty() || user.id.empty()) << "could not sign up " << email;
        return user;
    }

    TempDir home_;
    std::shared_ptr<TestProgressFeed> feed_ = std::make_shared<TestProgressFeed>();
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::unique_ptr<clipdex::http::HttpServer> server_;
};

TEST_F(RealtimeTeam, TheHandshakeNeedsAnIdentity) {
    try {
        WsClient anonymous(server_->port());
        ADD_FAILURE() << "an anonymous WebSocket was accepted in team mode";
    } catch (const Poco::Net::WebSocketException&) {
    }
    const auto refused = clipdex::test::httpRequest(server_->port(), "GET", "/api/ws", nullptr,
                                                    {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}});
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.body["code"], "AUTH_REQUIRED") << refused.text;
    EXPECT_EQ(refused.body["error"].get<std::string>().rfind("Authentication required", 0), 0u) << refused.text;
}

TEST_F(RealtimeTeam, AUserOnlyEverReceivesTheirOwnJobsAndTheAdminReceivesAll) {
    const User admin = signUp("admin@example.com");  // the first account is the admin
    const User alice = signUp("alice@example.com");
    const User bob = signUp("bob@example.com");
    feed_->publish("alice-job", alice.id, ingestProgress("starting", 0));

    WsClient alice_socket(server_->port(), {{"Authorization", "Bearer " + alice.token}});
    WsClient bob_socket(server_->port(), {{"Cookie", "clipdex_session=" + bob.token}});
    bob_socket.send({{"type", "subscribe"}, {"job_id", "alice-job"}});
    EXPECT_EQ(bob_socket.next("error")["type"], "error") << "another user's job is invisible";
    bob_socket.send({{"type", "subscribe"}});
    EXPECT_EQ(bob_socket.next("subscribed")["progress"]["status"], "idle") << "bob has no job of his own";
    alice_socket.send({{"type", "subscribe"}});
    EXPECT_EQ(alice_socket.next("subscribed")["progress"]["status"], "starting");
    WsClient admin_socket(server_->port(), {{"Authorization", "Bearer " + admin.token}});
    admin_socket.send({{"type", "subscribe"}});
    admin_socket.next("subscribed");

    feed_->publish("alice-job", alice.id, ingestProgress("completed", 100));
    feed_->publish("bob-job", bob.id, ingestProgress("completed", 100));
    EXPECT_EQ(alice_socket.next("progress_update")["job_id"], "alice-job");
    EXPECT_EQ(bob_socket.next("progress_update")["job_id"], "bob-job") << "bob's first update is his own job";
    alice_socket.send({{"type", "ping"}});
    EXPECT_EQ(alice_socket.receive()["type"], "pong") << "alice received nothing of bob's";
    std::set<std::string> admin_saw;
    while (admin_saw.size() < 2) admin_saw.insert(admin_socket.next("progress_update")["job_id"].get<std::string>());
    EXPECT_EQ(admin_saw, (std::set<std::string>{"alice-job", "bob-job"}));
}

}  // namespace
