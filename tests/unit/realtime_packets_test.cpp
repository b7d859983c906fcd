// The pure parts of the live-progress transports: Socket.IO / Engine.IO packet encoding and parsing
// (including malformed input), the per-job progress coalescer and viewer visibility.
#include <gtest/gtest.h>

#include "jobs/progress_feed.hpp"
#include "realtime/progress_coalescer.hpp"
#include "realtime/realtime_hub.hpp"
#include "realtime/socketio_packets.hpp"

namespace {

using clipdex::json;
using namespace clipdex::realtime;
using namespace std::chrono_literals;

TEST(SocketIoPackets, ParsesEventsAcksAndNamespaces) {
    std::string error;
    const auto event = parseSioPacket(R"(2["search_request",{"q":"x"}])", error);
    ASSERT_TRUE(event) << error;
    EXPECT_EQ(event->type, SioType::Event);
    EXPECT_EQ(event->nsp, "/");
    EXPECT_FALSE(event->ack_id);
    EXPECT_EQ(event->data[0], "search_request");

    const auto acked = parseSioPacket(R"(2/admin,12["ping"])", error);
    ASSERT_TRUE(acked) << error;
    EXPECT_EQ(acked->nsp, "/admin");
    EXPECT_EQ(acked->ack_id, 12u);

    const auto connect = parseSioPacket("0", error);
    ASSERT_TRUE(connect);
    EXPECT_EQ(connect->type, SioType::Connect);
    EXPECT_TRUE(connect->data.is_null());
    const auto other_namespace = parseSioPacket("0/admin,", error);
    ASSERT_TRUE(other_namespace);
    EXPECT_EQ(other_namespace->nsp, "/admin");
}

TEST(SocketIoPackets, RejectsMalformedPacketsWithAReason) {
    for (const char* bad : {"", "x", "9", "2[not json", "51-[\"binary\"]", "299999999999999999999999[]"}) {
        std::string error;
        EXPECT_FALSE(parseSioPacket(bad, error)) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST(SocketIoPackets, EncodesMessagesAndPayloads) {
    EXPECT_EQ(eventMessage("pong", {{"a", 1}}), R"(42["pong",{"a":1}])");
    EXPECT_EQ(encodeSioMessage({SioType::Ack, "/", 7, json::array({1})}), "437[1]");
    EXPECT_EQ(encodeSioMessage({SioType::ConnectError, "/x", std::nullopt, {{"message", "m"}}}),
              R"(44/x,{"message":"m"})");
    EXPECT_EQ(joinPayload({"2", "40"}),
              "2\x1e"
              "40");
    EXPECT_EQ(splitPayload("2\x1e\x1e"
                           "40\x1e"),
              (std::vector<std::string>{"2", "40"}));
    EXPECT_TRUE(splitPayload("").empty());
}

TEST(ProgressCoalescer, SendsAtOncePerJobThenAtMostOncePerIntervalWithTheLatestState) {
    ProgressCoalescer coalescer(250ms);
    const auto t0 = ProgressCoalescer::Clock::now();
    EXPECT_FALSE(coalescer.nextDue());
    coalescer.offer("a", 1);
    coalescer.offer("b", 1);
    EXPECT_EQ(coalescer.takeDue(t0).size(), 2u) << "first state of each job goes out at once";
    for (int i = 2; i <= 50; ++i) coalescer.offer("a", i);
    EXPECT_TRUE(coalescer.takeDue(t0 + 100ms).empty()) << "inside the interval";
    EXPECT_EQ(coalescer.nextDue(), t0 + 250ms);
    const auto due = coalescer.takeDue(t0 + 250ms);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].first, "a");
    EXPECT_EQ(due[0].second, 50) << "only the latest state";
    EXPECT_FALSE(coalescer.nextDue());
    coalescer.markSent("c", t0 + 300ms);
    coalescer.offer("c", 1);
    EXPECT_TRUE(coalescer.takeDue(t0 + 400ms).empty()) << "a snapshot counts as a send";
}

TEST(Visibility, OwnersSeeTheirJobsAndAdminsSeeAll) {
    const auto alice = clipdex::jobs::viewerOf(R"({"id":"alice","role":"user"})");
    const auto admin = clipdex::jobs::viewerOf(R"({"id":"root","role":"admin"})");
    const auto anonymous = clipdex::jobs::viewerOf(R"({"id":"anonymous","role":"anonymous"})");
    EXPECT_TRUE(canSee(alice, "alice"));
    EXPECT_FALSE(canSee(alice, "bob"));
    EXPECT_TRUE(canSee(admin, "bob"));
    EXPECT_FALSE(canSee(anonymous, "anonymous"));
    EXPECT_FALSE(canSee(clipdex::jobs::viewerOf(""), ""));
    EXPECT_FALSE(canSee(clipdex::jobs::viewerOf(R"({"id":7,"role":"admin"})"), "x")) << "a non-string id is nobody";
}

}  // namespace
