// The response cache's bookkeeping: versions, budget, and the timestamp a cached reply gets afresh.
#include "http/response_cache.hpp"

#include <gtest/gtest.h>

namespace clipdex::http {
namespace {

std::shared_ptr<const CachedReply> reply(std::string body) {
    auto cached = std::make_shared<CachedReply>();
    cached->body = std::move(body);
    return cached;
}

TEST(ResponseCache, AnEntryIsFoundOnlyForTheVersionItWasComputedAt) {
    ResponseCache cache;
    cache.setBudget(1 << 20);
    const std::string key = ResponseCache::keyFor("GET", "/api/clips?limit=1", R"({"id":"u1"})");
    EXPECT_EQ(cache.find(key, 7), nullptr);
    cache.store(key, 7, reply("{}"));
    ASSERT_NE(cache.find(key, 7), nullptr);
    EXPECT_EQ(cache.find(key, 8), nullptr) << "a later catalog";
    EXPECT_EQ(cache.find(ResponseCache::keyFor("GET", "/api/clips?limit=1", R"({"id":"u2"})"), 7), nullptr)
        << "another caller";

    cache.store("other", 8, reply("{}"));  // the catalog moved on: version 7 is gone
    EXPECT_EQ(cache.find(key, 7), nullptr);
    cache.store(key, 7, reply("{}"));  // computed before the change the cache already knows of: dropped
    EXPECT_EQ(cache.find(key, 7), nullptr);
    EXPECT_EQ(cache.find(key, 8), nullptr);
    EXPECT_NE(cache.find("other", 8), nullptr);
}

TEST(ResponseCache, TheBudgetEvictsTheLeastRecentlyUsedAndZeroKeepsNothing) {
    ResponseCache cache;
    cache.setBudget(8 * 1024);
    const std::string body(1000, 'x');
    for (int i = 0; i < 20; ++i) {
        cache.store("k" + std::to_string(i), 1, reply(body));
        ASSERT_NE(cache.find("k0", 1), nullptr) << "k0 is used each round, so it stays: " << i;
    }
    EXPECT_EQ(cache.find("k1", 1), nullptr) << "the oldest unused entries went";
    EXPECT_NE(cache.find("k19", 1), nullptr);
    cache.store("huge", 1, reply(std::string(4 * 1024, 'y')));  // over a quarter of the budget: not kept
    EXPECT_EQ(cache.find("huge", 1), nullptr);

    ResponseCache off;
    EXPECT_FALSE(off.enabled());
    off.store("k", 1, reply("{}"));
    EXPECT_EQ(off.find("k", 1), nullptr);
}

TEST(ResponseCache, AnEnvelopeIsKeptWithoutItsTimestampAndOtherBodiesAsTheyAre) {
    const auto enveloped = cacheableReply(200, json{{"success", true}, {"timestamp", 1.5}, {"data", 1}});
    EXPECT_TRUE(enveloped->stamp);
    EXPECT_EQ(json::parse(enveloped->body), (json{{"success", true}, {"data", 1}}));
    const auto bare = cacheableReply(200, json::array({1, 2}));
    EXPECT_FALSE(bare->stamp);
    EXPECT_EQ(bare->body, "[1,2]");
}

}  // namespace
}  // namespace clipdex::http
