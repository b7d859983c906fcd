// Thumbnail routes over loopback: the thumbnails plugin names a file ("response": "file") and the host sends
// it with ETag / Last-Modified / Cache-Control, answers 304 to conditional requests, and refuses files outside
// the data directory.
#include <Poco/Net/HTTPRequest.h>
#include <gtest/gtest.h>

#include <map>

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

class ThumbnailRoutes : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        home_ = new TempDir();
        media_ = new TempDir();
        const auto made =
            runProcess("ffmpeg", {"-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t",
                                  "2", "-pix_fmt", "yuv420p", (media_->path() / "clip.mp4").string()});
        ASSERT_EQ(made.exit_code, 0) << made.err;
        const auto ingest = runClipdex(*home_, {"ingest", media_->path().string(), "--format", "json"});
        ASSERT_EQ(ingest.exit_code, 0) << describe(ingest);
        const auto listed = runClipdex(*home_, {"search", "recent", "--format", "json"});
        ASSERT_EQ(listed.exit_code, 0) << describe(listed);
        clip_id_ = json::parse(listed.out)["results"][0]["id"].get<std::string>();
    }
    static void TearDownTestSuite() {
        delete home_;
        delete media_;
    }

    void SetUp() override {
        clipdex::RuntimeOptions options;
        options.load_env_plugins = false;
        options.catalog = (data() / "catalog.db").string();
        runtime_ = std::make_unique<clipdex::Runtime>(options);
        clipdex::http::ServerOptions server_options;
        server_options.port = 0;
        server_options.file_roots = {data()};
        server_options.catalog_version = clipdex::test::catalogVersionOf(*runtime_);
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), server_options);
        server_->start();
    }
    void TearDown() override { server_->stop(); }

    static fs::path data() { return home_->path() / "data" / "clipdex"; }
    std::uint16_t port() const { return server_->port(); }

    static TempDir* home_;
    static TempDir* media_;
    static std::string clip_id_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::unique_ptr<clipdex::http::HttpServer> server_;
};
TempDir* ThumbnailRoutes::home_ = nullptr;
TempDir* ThumbnailRoutes::media_ = nullptr;
std::string ThumbnailRoutes::clip_id_;

TEST_F(ThumbnailRoutes, PrimaryThumbnailIsAJpegWithValidators) {
    Reply reply = httpGet(port(), "/api/thumbnail/" + clip_id_);
    ASSERT_EQ(reply.status, 200) << reply.text;
    EXPECT_EQ(reply.headers["Content-Type"], "image/jpeg");
    ASSERT_GE(reply.text.size(), 3U);
    EXPECT_EQ(static_cast<unsigned char>(reply.text[0]), 0xFF);  // JPEG SOI marker
    EXPECT_EQ(static_cast<unsigned char>(reply.text[1]), 0xD8);
    EXPECT_EQ(reply.headers["Content-Length"], std::to_string(reply.text.size()));
    EXPECT_FALSE(reply.headers["ETag"].empty());
    EXPECT_NE(reply.headers["Last-Modified"].find("GMT"), std::string::npos);
    EXPECT_EQ(reply.headers["Cache-Control"], "private, max-age=86400");
}

TEST_F(ThumbnailRoutes, ConditionalRequestsGet304) {
    Reply first = httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/1");
    ASSERT_EQ(first.status, 200) << first.text;
    Reply by_etag = httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/1",
                            {{"If-None-Match", "\"other\", " + first.headers["ETag"]}});
    EXPECT_EQ(by_etag.status, 304);
    EXPECT_TRUE(by_etag.text.empty());
    EXPECT_EQ(by_etag.headers["ETag"], first.headers["ETag"]);
    Reply by_date = httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/1",
                            {{"If-Modified-Since", first.headers["Last-Modified"]}});
    EXPECT_EQ(by_date.status, 304);
    Reply stale = httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/1",
                          {{"If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}});
    EXPECT_EQ(stale.status, 200);
    Reply other_etag = httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/1", {{"If-None-Match", "\"x\""}});
    EXPECT_EQ(other_etag.status, 200);
    // A different thumbnail has a different validator.
    EXPECT_NE(httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/2").headers["ETag"], first.headers["ETag"]);
}

TEST_F(ThumbnailRoutes, MissingClipsIndexesAndTraversalAre404OrValidationErrors) {
    EXPECT_EQ(httpGet(port(), "/api/thumbnail/no-such-clip").status, 404);
    Reply beyond = httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/99");
    EXPECT_EQ(beyond.status, 404);
    EXPECT_NE(beyond.text.find("no thumbnail 99"), std::string::npos) << beyond.text;
    EXPECT_EQ(httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/-1").status, 400);
    EXPECT_EQ(httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/abc").status, 400);
    EXPECT_EQ(httpGet(port(), "/api/thumbnail/..%2F..%2F..%2Fetc%2Fpasswd").status, 404);
}

TEST_F(ThumbnailRoutes, AStoredPathOutsideTheDataDirectoryIsRefused) {
    // A tampered (or foreign) catalog row must not turn the route into a file server for the whole disk.
    const auto outcome = runtime_->catalog().query(
        "UPDATE clips SET thumbnails = :paths WHERE id = :id",
        json{{"paths", json::array({"/etc/passwd", (data() / ".." / ".." / "x.jpg").string()}).dump()},
             {"id", clip_id_}});
    (void)outcome;
    EXPECT_EQ(httpGet(port(), "/api/thumbnail/" + clip_id_).status, 403);
    EXPECT_EQ(httpGet(port(), "/api/clips/" + clip_id_ + "/thumbnails/1").status, 403);
}

}  // namespace
