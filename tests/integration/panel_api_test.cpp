// Both Premiere panel generations against the real server over loopback HTTP, reading exactly the fields the
// inventory lists: the first generation (§7.1: top-level `results`, `clip`, `transcript.full_text`,
// `analysis.summary`, the /api/similar, /api/stats, /api/transcript and /api/analysis paths, the VideoFile
// fields) and the second (§7.5: `data.data`, `data.pagination.total`, `data.match_count`, `body.data` as the
// clip, DELETE's `success`). One superset body serves both (§7.6).
#include <gtest/gtest.h>

#include "http/http_server.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"
#include "vectors_test_support.hpp"

namespace {

using clipdex::json;
using Reply = clipdex::test::HttpReply;
namespace fs = std::filesystem;

/// The VideoFile fields the first panel reads from every clip it shows (inventory §7.1).
const std::vector<std::string> kVideoFileFields = {
    "id",           "file_name",   "local_path",      "duration_seconds",   "content_summary",
    "content_tags", "camera_make", "camera_model",    "all_thumbnail_urls", "thumbnail_url",
    "width",        "height",      "file_size_bytes", "frame_rate",         "full_transcript",
    "container",    "codec",       "camera_details",  "technical_metadata", "audio_tracks"};

class PanelApi : public clipdex::vectors_test::VectorsCatalog {
protected:
    void SetUp() override {
        VectorsCatalog::SetUp();
        if (HasFatalFailure()) return;
        // One clip with an audio track, for audio_tracks[].bit_rate_kbps.
        const fs::path voice = home_ / "voice";
        fs::create_directories(voice);
        const auto made = clipdex::test::runProcess("/usr/bin/ffmpeg", {"-hide_banner",
                                                                        "-nostdin",
                                                                        "-v",
                                                                        "error",
                                                                        "-y",
                                                                        "-f",
                                                                        "lavfi",
                                                                        "-i",
                                                                        "testsrc2=s=160x90:r=10:d=1",
                                                                        "-f",
                                                                        "lavfi",
                                                                        "-i",
                                                                        "sine=f=440:sample_rate=48000:d=1",
                                                                        "-c:v",
                                                                        "libx264",
                                                                        "-pix_fmt",
                                                                        "yuv420p",
                                                                        "-c:a",
                                                                        "aac",
                                                                        "-b:a",
                                                                        "64k",
                                                                        (voice / "voice.mp4").string()});
        ASSERT_EQ(made.exit_code, 0) << made.err;
        const auto ingested = clipdex::test::runClipdex(home_, {"ingest", voice.string(), "--format", "json"});
        ASSERT_EQ(ingested.exit_code, 0) << clipdex::test::describe(ingested);
        const json voice_row = sql("SELECT id FROM clips WHERE file_name = 'voice.mp4'");
        ASSERT_EQ(voice_row.size(), 1U);
        voice_id_ = voice_row[0]["id"].get<std::string>();
        sql("INSERT INTO analysis (clip_id, provider, model, analysis, created_at) VALUES (:id, 'test', 'm1', "
            "'{\"summary\": \"Boats at the harbor\", \"tags\": [\"harbor\", \"boats\"]}', '2026-01-01T00:00:00Z')",
            {{"id", id("harbor.mp4")}});

        clipdex::http::ServerOptions options;
        options.port = 0;
        options.file_roots = {home_ / "data" / "clipdex"};
        options.catalog_version = clipdex::test::catalogVersionOf(*runtime_);
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), options);
        server_->start();
    }
    void TearDown() override {
        if (server_) server_->stop();
        VectorsCatalog::TearDown();
    }

    Reply get(const std::string& path) { return clipdex::test::httpRequest(server_->port(), "GET", path); }

    static void expectVideoFile(const json& clip, const std::string& where) {
        for (const std::string& key : kVideoFileFields)
            EXPECT_TRUE(clip.contains(key)) << where << " lacks " << key << ": " << clip.dump().substr(0, 400);
        EXPECT_TRUE(clip["content_tags"].is_array()) << where;
        EXPECT_TRUE(clip["camera_details"].is_object()) << where;
        EXPECT_TRUE(clip["technical_metadata"].is_object()) << where;
        EXPECT_TRUE(clip["audio_tracks"].is_array()) << where;
        EXPECT_TRUE(fs::path(clip["local_path"].get<std::string>()).is_absolute()) << where;
        ASSERT_TRUE(clip["all_thumbnail_urls"].is_array()) << where;
        for (const json& thumbnail : clip["all_thumbnail_urls"])
            for (const char* key : {"url", "filename", "is_ai_selected", "rank", "timestamp", "description", "reason"})
                EXPECT_TRUE(thumbnail.contains(key)) << where << " thumbnail lacks " << key;
    }

    std::unique_ptr<clipdex::http::HttpServer> server_;
    std::string voice_id_;
};

TEST_F(PanelApi, TheFirstGenerationReadsTopLevelFieldsOnItsOwnPaths) {
    // #10 the library: top-level results[] of VideoFiles.
    const Reply clips = get("/api/clips?sort_by=duration_seconds&sort_order=ascending&limit=50");
    ASSERT_EQ(clips.status, 200) << clips.text;
    ASSERT_EQ(clips.body["results"].size(), 7U);
    EXPECT_EQ(clips.body["total"], 7);
    for (const json& clip : clips.body["results"]) expectVideoFile(clip, "GET /api/clips");
    EXPECT_EQ(clips.body["results"][0]["file_name"], "voice.mp4") << "the 1 s clip first";

    // The clip with audio: bit_rate_kbps holds bits per second, which the panel divides by 1000.
    const Reply voice = get("/api/clips/" + voice_id_);
    ASSERT_EQ(voice.status, 200) << voice.text;
    const json& track = voice.body["clip"]["audio_tracks"].at(0);
    ASSERT_TRUE(track["bit_rate_kbps"].is_number()) << track.dump();
    EXPECT_GT(track["bit_rate_kbps"].get<double>(), 10000) << "bits per second, as the original stored it";
    EXPECT_EQ(voice.body["clip"]["technical_metadata"]["codec_details"]["name"], "h264");
    EXPECT_TRUE(voice.body["clip"]["technical_metadata"]["color_details"].is_object());

    // #16 details: top-level clip, transcript.full_text, analysis.summary / tags.
    const Reply harbor = get("/api/clips/" + id("harbor.mp4"));
    ASSERT_EQ(harbor.status, 200) << harbor.text;
    expectVideoFile(harbor.body["clip"], "GET /api/clips/{id}");
    EXPECT_NE(harbor.body["transcript"]["full_text"].get<std::string>().find("harbor"), std::string::npos);
    EXPECT_EQ(harbor.body["analysis"]["summary"], "Boats at the harbor");
    EXPECT_EQ(harbor.body["analysis"]["tags"], json::array({"harbor", "boats"}));
    EXPECT_TRUE(get("/api/clips/" + id("silent.mp4")).body["transcript"].is_null());

    // The gallery's thumbnail URLs are our routes and serve JPEGs.
    const json& thumbnails = harbor.body["clip"]["all_thumbnail_urls"];
    ASSERT_FALSE(thumbnails.empty());
    for (const json& thumbnail : thumbnails) {
        const Reply image = get(thumbnail["url"].get<std::string>());
        EXPECT_EQ(image.status, 200) << thumbnail.dump();
        EXPECT_EQ(image.headers.at("Content-Type"), "image/jpeg");
    }
    EXPECT_EQ(get(harbor.body["clip"]["thumbnail_url"].get<std::string>()).status, 200);

    // #8 search with `query`: top-level results, total, query, search_type.
    const Reply search = get("/api/search?query=harbor&type=hybrid&limit=20");
    ASSERT_EQ(search.status, 200) << search.text;
    EXPECT_EQ(search.body["query"], "harbor");
    EXPECT_EQ(search.body["search_type"], "hybrid");
    ASSERT_FALSE(search.body["results"].empty());
    EXPECT_GE(search.body["total"].get<int>(), 2);
    for (const json& hit : search.body["results"]) expectVideoFile(hit, "GET /api/search");

    // #9 similar on the legacy path: results[] of VideoFiles.
    const Reply similar = get("/api/similar?clip_id=" + id("harbor.mp4") + "&limit=5");
    ASSERT_EQ(similar.status, 200) << similar.text;
    ASSERT_FALSE(similar.body["results"].empty());
    EXPECT_EQ(similar.body["results"][0]["file_name"], "harbor_again.mkv");
    EXPECT_EQ(similar.body["source_clip_id"], id("harbor.mp4"));
    for (const json& hit : similar.body["results"]) expectVideoFile(hit, "GET /api/similar");

    // #13 the dashboard.
    const Reply stats = get("/api/stats");
    ASSERT_EQ(stats.status, 200) << stats.text;
    EXPECT_EQ(stats.body["total_videos"], 7);
    EXPECT_GT(stats.body["total_duration_seconds"].get<double>(), 0);
    EXPECT_GT(stats.body["total_file_size_bytes"].get<double>(), 0);
    EXPECT_TRUE(stats.body["videos_by_category"].is_object());
    for (const char* key : {"total_clips", "total_duration_hours", "total_storage_gb", "clips_with_transcripts",
                            "clips_with_ai_analysis"})
        EXPECT_TRUE(stats.body.contains(key)) << key;

    // The legacy transcript / analysis paths.
    EXPECT_NE(get("/api/transcript/" + id("harbor.mp4")).body["transcript"]["full_text"], nullptr);
    EXPECT_EQ(get("/api/analysis/" + id("harbor.mp4")).body["analysis"]["summary"], "Boats at the harbor");

    // A cleared search box lists nothing instead of failing, as the legacy server answered.
    const Reply empty = get("/api/search?query=&type=hybrid&limit=20");
    EXPECT_EQ(empty.status, 200) << empty.text;
    EXPECT_EQ(empty.body["results"], json::array());
    EXPECT_EQ(empty.body["total"], 0);
}

TEST_F(PanelApi, TheSecondGenerationReadsDataDataAndPagination) {
    // GET /clips?sort_by&sort_order=asc|desc&limit&offset -> data.data, data.pagination.total
    const Reply page = get("/api/clips?sort_by=file_name&sort_order=asc&limit=2&offset=1");
    ASSERT_EQ(page.status, 200) << page.text;
    EXPECT_EQ(page.body["success"], true);
    ASSERT_EQ(page.body["data"]["data"].size(), 2U);
    EXPECT_EQ(page.body["data"]["data"][0]["file_name"], "forest.mp4") << "concert, forest, harbor, ... ascending";
    EXPECT_EQ(page.body["data"]["pagination"], json({{"limit", 2}, {"offset", 1}, {"total", 7}}));
    const Reply desc = get("/api/clips?sort=file_name&order=desc&limit=1");
    EXPECT_EQ(desc.body["data"]["data"][0]["file_name"], "voice.mp4") << desc.text;
    // date_start / date_end / category are accepted (and filter).
    EXPECT_EQ(get("/api/clips?date_start=2000-01-01&date_end=2999-12-31").body["total"], 7);
    EXPECT_EQ(get("/api/clips?date_end=2000-01-01").body["total"], 0);
    EXPECT_EQ(get("/api/clips?category=none-such").body["total"], 0);

    // GET /search?q=&type=&limit=50 -> data.data, data.pagination.total || data.match_count, data.query,
    // data.search_type
    for (const char* type : {"fulltext", "keyword", "semantic", "hybrid", "all", "transcripts"}) {
        const Reply search = get(std::string("/api/search?q=harbor&limit=50&type=") + type);
        ASSERT_EQ(search.status, 200) << type << ": " << search.text;
        const json& data = search.body["data"];
        EXPECT_EQ(data["query"], "harbor") << type;
        EXPECT_TRUE(data["search_type"].is_string()) << type;
        ASSERT_FALSE(data["data"].empty()) << type;
        EXPECT_EQ(data["match_count"], data["data"].size()) << type;
        EXPECT_GE(data["pagination"]["total"].get<int>(), data["match_count"].get<int>()) << type;
        EXPECT_EQ(data["data"], search.body["results"]) << "one row list under both names";
    }

    // GET /search/similar?clip_id&limit=5&similarity_threshold&mode -> data.data, data.pagination.total
    const Reply similar =
        get("/api/search/similar?clip_id=" + id("harbor.mp4") + "&limit=5&similarity_threshold=0.5&mode=combined");
    ASSERT_EQ(similar.status, 200) << similar.text;
    ASSERT_FALSE(similar.body["data"]["data"].empty());
    EXPECT_EQ(similar.body["data"]["data"][0]["file_name"], "harbor_again.mkv");
    EXPECT_GE(similar.body["data"]["pagination"]["total"].get<int>(), 1);
    EXPECT_EQ(similar.body["data"]["similarity_threshold"], 0.5);

    // GET /clips/<id>?include=transcript,analysis -> body.data is the clip with transcript and analysis.
    const Reply details = get("/api/clips/" + id("harbor.mp4") + "?include=transcript,analysis");
    ASSERT_EQ(details.status, 200) << details.text;
    const json& clip = details.body["data"];
    EXPECT_EQ(clip["id"], id("harbor.mp4"));
    expectVideoFile(clip, "data of GET /api/clips/{id}");
    EXPECT_TRUE(clip["transcript"].is_object());
    EXPECT_EQ(clip["analysis"]["summary"], "Boats at the harbor");
    const Reply transcript_only = get("/api/clips/" + id("harbor.mp4") + "?include=transcript");
    EXPECT_TRUE(transcript_only.body["data"]["analysis"].is_null());
    EXPECT_TRUE(transcript_only.body["data"]["transcript"].is_object());

    // DELETE /clips/<id> -> response.ok && body.success
    const Reply deleted = clipdex::test::httpRequest(server_->port(), "DELETE", "/api/clips/" + id("silent.mp4"));
    EXPECT_EQ(deleted.status, 200) << deleted.text;
    EXPECT_EQ(deleted.body["success"], true);
    EXPECT_EQ(get("/api/clips/" + id("silent.mp4")).status, 404);
    EXPECT_EQ(get("/api/clips").body["data"]["pagination"]["total"], 6);
}

}  // namespace
