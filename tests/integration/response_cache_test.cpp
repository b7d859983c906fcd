// The server's response cache over loopback, on a real catalog: repeats of "cache": "catalog" GETs are
// answered from memory, but never after a commit (by this process or another) or a file change made them stale.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "http/http_server.hpp"
#include "runtime/runtime.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::describe;
using clipdex::test::runClipdex;
using clipdex::test::runProcess;
using clipdex::test::TempDir;
using Reply = clipdex::test::HttpReply;
using clipdex::test::httpGet;

/// The reply's body without its timestamp, which every reply gets afresh.
json undated(const Reply& reply) {
    json body = reply.body;
    if (body.is_object()) body.erase("timestamp");
    return body;
}

class CachedRoutes : public ::testing::Test {
protected:
    // Each test gets its own catalog: some delete what others read.
    void SetUp() override {
        const auto made =
            runProcess("ffmpeg", {"-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t",
                                  "1", "-pix_fmt", "yuv420p", (media_.path() / "clip.mp4").string()});
        ASSERT_EQ(made.exit_code, 0) << made.err;
        const auto ingest = runClipdex(home_, {"ingest", media_.path().string(), "--format", "json"});
        ASSERT_EQ(ingest.exit_code, 0) << describe(ingest);
        clipdex::RuntimeOptions options;
        options.load_env_plugins = false;
        options.catalog = (data() / "catalog.db").string();
        runtime_ = std::make_unique<clipdex::Runtime>(options);
        clip_id_ = runtime_->catalog().query("SELECT id FROM clips", nullptr).at(0).at("id").get<std::string>();
        start(64u << 20);
    }
    void TearDown() override {
        if (server_) server_->stop();
    }

    void start(std::size_t budget) {
        if (server_) server_->stop();
        clipdex::http::ServerOptions options;
        options.port = 0;
        options.file_roots = {data()};
        options.catalog_version = clipdex::test::catalogVersionOf(*runtime_);
        options.response_cache_bytes = budget;
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), options);
        server_->start();
    }

    fs::path data() const { return home_.path() / "data" / "clipdex"; }
    std::uint16_t port() const { return server_->port(); }

    TempDir home_;
    TempDir media_;
    std::string clip_id_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::unique_ptr<clipdex::http::HttpServer> server_;
};

TEST_F(CachedRoutes, ARepeatIsAnsweredFromMemoryWithAFreshTimestamp) {
    const Reply first = httpGet(port(), "/api/clips/" + clip_id_);
    ASSERT_EQ(first.status, 200) << first.text;
    EXPECT_EQ(first.headers.at("X-Clipdex-Cache"), "miss");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const Reply second = httpGet(port(), "/api/clips/" + clip_id_);
    ASSERT_EQ(second.status, 200) << second.text;
    EXPECT_EQ(second.headers.at("X-Clipdex-Cache"), "hit");
    EXPECT_EQ(second.headers.at("Content-Type"), "application/json");
    EXPECT_EQ(second.headers.at("Content-Length"), std::to_string(second.text.size()));
    EXPECT_EQ(undated(second), undated(first));
    EXPECT_GT(second.body.at("timestamp").get<double>(), first.body.at("timestamp").get<double>());
    EXPECT_EQ(second.body.at("data").at("id"), clip_id_);

    // Another target (other arguments) is another entry.
    const Reply with_metadata = httpGet(port(), "/api/clips/" + clip_id_ + "?include=metadata");
    EXPECT_EQ(with_metadata.headers.at("X-Clipdex-Cache"), "miss");
    EXPECT_NE(undated(with_metadata), undated(first));
}

TEST_F(CachedRoutes, ACommitByAnotherProcessIsSeenByTheNextRequest) {
    ASSERT_EQ(httpGet(port(), "/api/clips/" + clip_id_).status, 200);
    ASSERT_EQ(httpGet(port(), "/api/clips/" + clip_id_).headers.at("X-Clipdex-Cache"), "hit");
    const Reply listed = httpGet(port(), "/api/clips");
    ASSERT_EQ(listed.body.at("total"), 1);

    const auto deleted = runClipdex(home_, {"clip", "delete", clip_id_, "--force"});
    ASSERT_EQ(deleted.exit_code, 0) << describe(deleted);

    const Reply gone = httpGet(port(), "/api/clips/" + clip_id_);
    EXPECT_EQ(gone.status, 404) << gone.text;
    const Reply relisted = httpGet(port(), "/api/clips");
    EXPECT_EQ(relisted.headers.at("X-Clipdex-Cache"), "miss");
    EXPECT_EQ(relisted.body.at("total"), 0) << relisted.text;
    EXPECT_EQ(httpGet(port(), "/api/thumbnail/" + clip_id_).status, 404);
}

TEST_F(CachedRoutes, AWriteThroughTheServerItselfIsSeenByTheNextRequest) {
    ASSERT_EQ(httpGet(port(), "/api/clips").body.at("total"), 1);
    ASSERT_EQ(httpGet(port(), "/api/clips").headers.at("X-Clipdex-Cache"), "hit");
    const Reply deleted = clipdex::test::httpRequest(port(), "DELETE", "/api/clips/" + clip_id_);
    ASSERT_EQ(deleted.status, 200) << deleted.text;
    EXPECT_EQ(httpGet(port(), "/api/clips").body.at("total"), 0);
}

TEST_F(CachedRoutes, AThumbnailChangedOnDiskIsSentAfresh) {
    const Reply first = httpGet(port(), "/api/thumbnail/" + clip_id_);
    ASSERT_EQ(first.status, 200) << first.text;
    ASSERT_EQ(httpGet(port(), "/api/thumbnail/" + clip_id_).text, first.text);
    const json stored = json::parse(
        runtime_->catalog().query("SELECT thumbnails FROM clips", nullptr).at(0).at("thumbnails").get<std::string>());
    const fs::path file = stored.at(0).at("path").get<std::string>();

    // Same size, other bytes and another modification time: a new validator and the new bytes.
    std::string bytes = first.text;
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    const Reply changed = httpGet(port(), "/api/thumbnail/" + clip_id_);
    ASSERT_EQ(changed.status, 200);
    EXPECT_EQ(changed.text, bytes);
    EXPECT_NE(changed.headers.at("ETag"), first.headers.at("ETag"));

    fs::remove(file);
    EXPECT_EQ(httpGet(port(), "/api/thumbnail/" + clip_id_).status, 404);
}

TEST_F(CachedRoutes, OnlyDeclaredRoutesAreCachedAndABudgetOfZeroTurnsItOff) {
    const Reply jobs = httpGet(port(), "/api/jobs");
    EXPECT_EQ(jobs.headers.count("X-Clipdex-Cache"), 0U) << "jobs change without a catalog commit per read";
    EXPECT_EQ(httpGet(port(), "/api/clips/no-such-clip").status, 404);
    EXPECT_EQ(httpGet(port(), "/api/clips/no-such-clip").headers.at("X-Clipdex-Cache"), "miss")
        << "failures are not kept";

    start(0);
    httpGet(port(), "/api/clips/" + clip_id_);
    const Reply again = httpGet(port(), "/api/clips/" + clip_id_);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.headers.count("X-Clipdex-Cache"), 0U);
}

}  // namespace
