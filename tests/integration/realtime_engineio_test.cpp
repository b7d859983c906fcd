// Engine.IO v4 long-polling and Socket.IO v5 packets at /socket.io/, spoken by hand over plain loopback HTTP:
// the handshake, CONNECT, events with acknowledgements, server pings and the close on a missing pong, error
// replies, malformed packets, progress broadcasts and stop() releasing a parked poll.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <functional>
#include <thread>

#include "http/http_server.hpp"
#include "integration/realtime_test_support.hpp"
#include "realtime/socketio_packets.hpp"
#include "support/http_client.hpp"

namespace {

using clipdex::json;
using clipdex::test::ingestProgress;
using clipdex::test::TestProgressFeed;

using Reply = clipdex::test::HttpReply;

/// Engine.IO's polling transport: text bodies, as browsers send them.
Reply exchange(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body = "") {
    return clipdex::test::httpRequestText(port, method, path, body, method == "POST" ? "text/plain;charset=UTF-8" : "");
}

/// The event name and payload of a "42[name,payload]" packet; null when it is another packet.
std::pair<std::string, json> eventOf(const std::string& packet) {
    if (packet.rfind("42[", 0) != 0) return {"", nullptr};
    const json body = json::parse(packet.substr(2));
    return {body[0].get<std::string>(), body.size() > 1 ? body[1] : json()};
}

class EngineIoPolling : public ::testing::Test {
protected:
    void start(clipdex::realtime::RealtimeOptions realtime = {}, int max_threads = 16) {
        clipdex::http::ServerOptions options;
        options.port = 0;
        options.max_threads = max_threads;
        options.progress_feed = feed_;
        options.realtime = realtime;
        server_ = std::make_unique<clipdex::http::HttpServer>(std::vector<clipdex::Command*>{}, options);
        server_->start();
    }
    void TearDown() override {
        if (server_) server_->stop();
    }

    /// Handshakes and returns the open packet's JSON.
    json open() {
        const Reply reply = exchange(server_->port(), "GET", "/socket.io/?EIO=4&transport=polling");
        EXPECT_EQ(reply.status, 200) << reply.text;
        EXPECT_EQ(reply.text.front(), '0') << reply.text;
        json handshake = json::parse(reply.text.substr(1));
        sid_ = handshake["sid"];
        return handshake;
    }
    std::vector<std::string> poll() {
        const Reply reply = exchange(server_->port(), "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid_);
        EXPECT_EQ(reply.status, 200) << reply.text;
        return clipdex::realtime::splitPayload(reply.text);
    }
    void post(const std::vector<std::string>& packets) {
        const Reply reply = exchange(server_->port(), "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid_,
                                     clipdex::realtime::joinPayload(packets));
        EXPECT_EQ(reply.status, 200) << reply.text;
        EXPECT_EQ(reply.text, "ok");
    }
    /// The first packet satisfying `match`, polling for more as needed (and answering server pings).
    /// Packets skipped over are dropped; later packets of the same poll are kept for the next call.
    std::string pollFor(const std::function<bool(const std::string&)>& match) {
        for (int polls = 0; polls < 50; ++polls) {
            while (!received_.empty()) {
                const std::string packet = received_.front();
                received_.pop_front();
                if (match(packet)) return packet;
                if (packet == "2") post({"3"});
            }
            for (std::string& packet : poll()) received_.push_back(std::move(packet));
        }
        ADD_FAILURE() << "no matching packet in 50 polls";
        return {};
    }
    std::pair<std::string, json> eventNamed(const std::string& name) {
        return eventOf(pollFor([&](const std::string& packet) { return eventOf(packet).first == name; }));
    }
    void connect() {
        open();
        post({"40"});
        const std::string connected = pollFor([](const std::string& packet) { return packet.rfind("40", 0) == 0; });
        EXPECT_TRUE(json::parse(connected.substr(2))["sid"].is_string()) << connected;
    }

    std::shared_ptr<TestProgressFeed> feed_ = std::make_shared<TestProgressFeed>();
    std::unique_ptr<clipdex::http::HttpServer> server_;
    std::string sid_;
    std::deque<std::string> received_;
};

TEST_F(EngineIoPolling, HandshakeConnectAndEventsWithAcknowledgements) {
    clipdex::realtime::RealtimeOptions realtime;
    realtime.ping_interval = std::chrono::milliseconds(1500);
    realtime.ping_timeout = std::chrono::milliseconds(1000);
    start(realtime);
    const json handshake = open();
    EXPECT_EQ(handshake["upgrades"], json::array({"websocket"}));
    EXPECT_EQ(handshake["pingInterval"], 1500);
    EXPECT_EQ(handshake["pingTimeout"], 1000);
    EXPECT_EQ(handshake["maxPayload"], 1000000);

    post({"40"});
    const std::vector<std::string> first = poll();
    ASSERT_GE(first.size(), 2u);
    EXPECT_TRUE(json::parse(first[0].substr(2))["sid"].is_string()) << first[0];
    const auto [name, status] = eventOf(first[1]);
    EXPECT_EQ(name, "connection_status");
    EXPECT_EQ(status["connected"], true);
    EXPECT_EQ(status["fallback_available"], true);
    EXPECT_EQ(status["prefect_available"], false);
    EXPECT_TRUE(status["timestamp"].is_number());

    post({R"(42["ping"])", R"(427["ping",{}])"});
    EXPECT_TRUE(eventNamed("pong").second["timestamp"].is_number());
    const std::string ack = pollFor([](const std::string& packet) { return packet.rfind("437[", 0) == 0; });
    EXPECT_TRUE(json::parse(ack.substr(3))[0]["timestamp"].is_number()) << ack;
}

TEST_F(EngineIoPolling, ProtocolErrorsGetEngineIoErrorBodies) {
    start();
    auto expectError = [&](const std::string& method, const std::string& query, int code) {
        const Reply reply = exchange(server_->port(), method, "/socket.io/" + query);
        EXPECT_EQ(reply.status, 400) << query;
        EXPECT_EQ(json::parse(reply.text, nullptr, false)["code"], code) << query << " " << reply.text;
    };
    expectError("GET", "?EIO=3&transport=polling", 5);
    expectError("GET", "?transport=polling", 5);
    expectError("GET", "?EIO=4&transport=carrier-pigeon", 0);
    expectError("GET", "?EIO=4&transport=polling&sid=unknown", 1);
    expectError("POST", "?EIO=4&transport=polling", 2);
    expectError("GET", "?EIO=4&transport=websocket", 3);  // websocket transport without an upgrade
    EXPECT_EQ(json::parse(exchange(server_->port(), "GET", "/socket.io/?EIO=3&transport=polling").text)["message"],
              "Unsupported protocol version");
}

TEST_F(EngineIoPolling, MalformedPacketsAndUnknownEventsNeverBreakTheSession) {
    start();
    connect();
    post(
        {"4zzz", "42[not json", "9", R"(42{"not":"an array"})", R"(42[7])", "451-[\"bin\"]", R"(42["no_such_event"])"});
    post({R"(42["no_such_event",{"requestId":"r-1"}])", R"(42["search_request",{"query":"x","requestId":"r-2"}])"});
    const json unknown = eventNamed("response_error").second;
    EXPECT_EQ(unknown["requestId"], "r-1");
    EXPECT_NE(unknown["error"].get<std::string>().find("no_such_event"), std::string::npos);
    const json no_route = eventNamed("response_error").second;
    EXPECT_EQ(no_route["requestId"], "r-2");
    EXPECT_NE(no_route["error"].get<std::string>().find("GET /api/search"), std::string::npos) << no_route.dump();
    post({"40/admin,"});
    const std::string refused = pollFor([](const std::string& packet) { return packet.rfind("44/admin,", 0) == 0; });
    EXPECT_EQ(json::parse(refused.substr(9))["message"], "Invalid namespace");
    post({R"(42["ping"])"});
    EXPECT_TRUE(eventNamed("pong").second.is_object()) << "the session still works";
}

TEST_F(EngineIoPolling, ProgressIsBroadcastAndSubscriptionsAnswerSnapshotsOrErrors) {
    start();
    connect();
    feed_->publish("job-1", "local", ingestProgress("processing", 40));
    EXPECT_EQ(eventNamed("ingest_progress_update").second["progress"], 40);
    const json second_generation = eventNamed("progress_update").second;
    EXPECT_EQ(second_generation["task_run_id"], "job-1");
    EXPECT_EQ(second_generation["status"], "processing");
    EXPECT_EQ(second_generation["data"]["progress"], 40);

    post({R"(42["subscribe_progress",{"task_run_id":"job-1","requestId":"s-1"}])",
          R"(42["subscribe_progress",{"task_run_id":"job-2","requestId":"s-2"}])",
          R"(42["get_ingest_progress",{"requestId":"g-1"}])"});
    EXPECT_EQ(eventNamed("ingest_progress_update").second["status"], "processing");
    const json subscribed = eventNamed("progress_subscribed").second;
    EXPECT_EQ(subscribed["task_run_id"], "job-1");
    EXPECT_EQ(subscribed["status"], "subscribed");
    EXPECT_EQ(subscribed["request_id"], "s-1");
    const json refused = eventNamed("progress_error").second;
    EXPECT_EQ(refused["request_id"], "s-2");
    EXPECT_EQ(refused["fallback_to_rest"], true);
    const json response = eventNamed("response").second;
    EXPECT_EQ(response["requestId"], "g-1");
    EXPECT_EQ(response["payload"]["progress"], 40);
}

TEST_F(EngineIoPolling, TheServerPingsAndClosesASessionThatStopsAnswering) {
    clipdex::realtime::RealtimeOptions realtime;
    realtime.ping_interval = std::chrono::milliseconds(100);
    realtime.ping_timeout = std::chrono::milliseconds(100);
    start(realtime);
    open();
    EXPECT_EQ(pollFor([](const std::string& packet) { return packet == "2"; }), "2");
    post({"3"});
    EXPECT_EQ(pollFor([](const std::string& packet) { return packet == "2"; }), "2") << "pinged again after a pong";
    bool closed = false;  // no pong this time
    for (int polls = 0; polls < 20 && !closed; ++polls) {
        const Reply reply = exchange(server_->port(), "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid_);
        closed = reply.status == 400 || reply.text.find('1') == 0 ||
                 reply.text.find(
                     "\x1e"
                     "1") != std::string::npos;
    }
    EXPECT_TRUE(closed) << "the session closes when no pong arrives";
}

TEST_F(EngineIoPolling, StopReleasesAParkedPoll) {
    start();
    open();
    std::thread parked([&] {
        try {
            exchange(server_->port(), "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid_);
        } catch (const std::exception&) {  // the poll may not have reached the server before stop()
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server_->stop();
    parked.join();
    server_.reset();
}

TEST_F(EngineIoPolling, ParkedPollsNeverTakeEveryRequestThread) {
    clipdex::realtime::RealtimeOptions realtime;
    realtime.ping_interval = std::chrono::milliseconds(200);
    start(realtime, /*max_threads=*/2);  // so at most one poll may park
    open();
    const std::string busy_sid = sid_;
    std::atomic<bool> done{false};
    std::thread busy([&] {  // keeps a poll parked on the one parking slot, answering pings to stay alive
        const std::string path = "/socket.io/?EIO=4&transport=polling&sid=" + busy_sid;
        try {
            while (!done) {
                if (exchange(server_->port(), "GET", path).text == "2") exchange(server_->port(), "POST", path, "3");
            }
        } catch (const std::exception&) {  // the server stopped
        }
    });
    open();  // a second session, whose polls mostly find the slot taken
    bool answered_at_once = false;
    for (int attempt = 0; attempt < 50 && !answered_at_once; ++attempt) {
        const std::vector<std::string> packets = poll();
        answered_at_once = packets == std::vector<std::string>{"6"};
        if (packets == std::vector<std::string>{"2"}) post({"3"});
    }
    EXPECT_TRUE(answered_at_once) << "a poll beyond the parking limit is answered at once with a noop";
    EXPECT_EQ(exchange(server_->port(), "GET", "/api/health").status, 200) << "requests are still served";
    done = true;
    server_->stop();
    busy.join();
    server_.reset();
}

}  // namespace
