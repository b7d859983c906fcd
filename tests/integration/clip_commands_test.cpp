// The clipdex.search plugin's clip commands (transcript, analysis, delete) and `search stats`, plus the
// library plugin's `clip show --analysis`, on a real ingested catalog.
#include "search_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::search_test::SearchCatalog;
namespace fs = std::filesystem;

using ClipCommands = SearchCatalog;

TEST_F(ClipCommands, TranscriptAsTextJsonSrtAndVtt) {
    const std::string harbor = id("harbor.mp4");
    const auto text = command("clip-transcript", {{"clip_id", harbor}, {"format", "text"}});
    ASSERT_TRUE(text.ok()) << text.message;
    EXPECT_EQ(text.result, "Morning light over the harbor\nFishermen unload the nets at the pier");

    const auto srt = command("clip-transcript", {{"clip_id", harbor.substr(0, 8)}, {"format", "srt"}});
    ASSERT_TRUE(srt.ok()) << srt.message;
    EXPECT_EQ(srt.result,
              "1\n00:00:00,000 --> 00:00:00,900\nMorning light over the harbor\n\n"
              "2\n00:00:01,000 --> 00:00:01,900\nFishermen unload the nets at the pier\n\n");

    const auto vtt = command("clip-transcript", {{"clip_id", harbor}, {"format", "vtt"}});
    ASSERT_TRUE(vtt.ok()) << vtt.message;
    EXPECT_EQ(vtt.result,
              "WEBVTT\n\n00:00:00.000 --> 00:00:00.900\nMorning light over the harbor\n\n"
              "00:00:01.000 --> 00:00:01.900\nFishermen unload the nets at the pier\n\n");

    // No format (HTTP without ?output=): the original API's {"transcript": row}, with timed segments.
    const auto as_json = command("clip-transcript", {{"clip_id", harbor}});
    ASSERT_TRUE(as_json.ok()) << as_json.message;
    EXPECT_EQ(as_json.result["success"], true);
    EXPECT_EQ(as_json.result["clip_id"], harbor);
    const json& segments = as_json.result["transcript"]["segments"];
    ASSERT_EQ(segments.size(), 2u);
    EXPECT_EQ(segments[1]["timecode"], "00:00:01.000");
    EXPECT_EQ(segments[1]["text"], "Fishermen unload the nets at the pier");
    EXPECT_EQ(command("clip-transcript", {{"clip_id", harbor}, {"output", "srt"}}).result, srt.result);

    // The CLI prints srt as raw text (its own --format replaces the global one).
    const auto cli = clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "transcript", harbor, "--format", "srt"});
    ASSERT_EQ(cli.exit_code, 0) << clipdex::test::describe(cli);
    EXPECT_EQ(cli.out, srt.result.get<std::string>());
    const auto cli_text = clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "transcript", harbor});
    EXPECT_EQ(cli_text.out, "Morning light over the harbor\nFishermen unload the nets at the pier\n");
    const auto cli_json = clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "transcript", harbor, "-f", "json"});
    ASSERT_EQ(cli_json.exit_code, 0) << clipdex::test::describe(cli_json);
    EXPECT_EQ(json::parse(cli_json.out)["transcript"]["segments"].size(), 2u);
}

TEST_F(ClipCommands, MissingTranscriptAndAnalysisAreNotFound) {
    const auto transcript = command("clip-transcript", {{"clip_id", id("silent.mp4")}, {"format", "srt"}});
    EXPECT_EQ(transcript.status, CDX_E_NOT_FOUND);
    EXPECT_EQ(transcript.message, "Transcript not found for this clip");
    EXPECT_EQ(transcript.details.value("code", ""), "TRANSCRIPT_NOT_FOUND");

    const auto analysis = command("clip-analysis", {{"clip_id", id("silent.mp4")}});
    EXPECT_EQ(analysis.status, CDX_E_NOT_FOUND);
    EXPECT_EQ(analysis.message, "Analysis not found for this clip");
    EXPECT_EQ(command("clip-analysis", {{"clip_id", "ffffffff-0000-4000-8000-000000000000"}}).status, CDX_E_NOT_FOUND);

    const auto cli = clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "transcript", id("silent.mp4")});
    EXPECT_EQ(cli.exit_code, 1);
    EXPECT_NE(cli.err.find("Transcript not found for this clip"), std::string::npos) << cli.err;
}

TEST_F(ClipCommands, AnalysisRowIsParsedByClipAnalysisAndClipShow) {
    const std::string forest = id("forest.mkv");
    runtime_->catalog().query(
        "INSERT INTO analysis (clip_id, provider, model, analysis, created_at) "
        "VALUES (:id, 'test', 'm1', :doc, '2026-01-01T00:00:00Z')",
        {{"id", forest}, {"doc", R"({"summary": "A forest walk", "tags": ["nature"]})"}});
    const auto analysis = command("clip-analysis", {{"clip_id", forest}});
    ASSERT_TRUE(analysis.ok()) << analysis.message;
    EXPECT_EQ(analysis.result["analysis"]["analysis"]["summary"], "A forest walk");
    EXPECT_EQ(analysis.result["analysis"]["provider"], "test");

    const auto shown = command("clip-show", {{"clip_id", forest}, {"analysis", true}, {"transcript", false}});
    ASSERT_TRUE(shown.ok()) << shown.message;
    EXPECT_EQ(shown.result["analysis"]["analysis"]["tags"], json::array({"nature"}));
    // The CLI's flags (both false unless given) leave the analysis out; HTTP's default includes both parts.
    EXPECT_TRUE(command("clip-show", {{"clip_id", forest}, {"analysis", false}, {"transcript", false}})
                    .result["analysis"]
                    .is_null());
    EXPECT_EQ(command("clip-show", {{"clip_id", forest}}).result["analysis"]["summary"], "A forest walk");
    EXPECT_EQ(command("clip-show", {{"clip_id", forest}, {"include", "transcript"}}).result["analysis"], nullptr);
    EXPECT_TRUE(command("clip-show", {{"clip_id", id("silent.mp4")}, {"analysis", true}}).result["analysis"].is_null());

    const auto stats = command("search-stats");
    EXPECT_EQ(stats.result["stats"]["clips_with_ai_analysis"], 1);
}

TEST_F(ClipCommands, StatsCountTheCatalog) {
    const auto outcome = command("search-stats");
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    const json& stats = outcome.result["stats"];
    EXPECT_EQ(outcome.result["success"], true);
    EXPECT_EQ(stats["total_clips"], 5);
    EXPECT_EQ(stats["total_videos"], 5);
    EXPECT_EQ(stats["clips_with_transcripts"], 4);
    EXPECT_EQ(stats["clips_with_ai_analysis"], 0);
    EXPECT_EQ(stats["clips_with_embeddings"], 0);
    EXPECT_EQ(stats["by_codec"], json({{"h264", 4}, {"mpeg4", 1}}));
    EXPECT_EQ(stats["by_resolution"], json({{"64x36", 2}, {"96x54", 1}, {"128x72", 2}}));
    EXPECT_EQ(stats["by_category"], json({{"unknown", 5}}));
    EXPECT_EQ(stats["videos_by_category"], stats["by_category"]);
    EXPECT_NEAR(stats["total_duration_seconds"].get<double>(), 8.0, 0.3);
    EXPECT_GT(stats["total_storage_bytes"].get<std::int64_t>(), 0);
    EXPECT_EQ(stats["total_file_size_bytes"], stats["total_storage_bytes"]);

    const auto cli = clipdex::test::runClipdex(home_, {catalogFlag(), "search", "stats"});
    ASSERT_EQ(cli.exit_code, 0) << clipdex::test::describe(cli);
    EXPECT_NE(cli.out.find("Total Clips"), std::string::npos) << cli.out;
}

TEST_F(ClipCommands, DeleteAsksUnlessForcedAndRemovesEverything) {
    const std::string harbor = id("harbor.mp4");
    const fs::path thumbs = home_ / "data" / "clipdex" / "thumbnails";
    const json checksum = runtime_->catalog()
                              .query("SELECT file_checksum FROM clips WHERE id = :id", {{"id", harbor}})
                              .at(0)
                              .at("file_checksum");
    const fs::path folder = thumbs / checksum.get<std::string>();
    ASSERT_TRUE(fs::is_directory(folder)) << folder;

    // Non-interactive without --force: no answer on stdin is a usage error, "no" refuses; nothing is deleted.
    const auto unanswered = clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "delete", harbor});
    EXPECT_EQ(unanswered.exit_code, 2) << clipdex::test::describe(unanswered);
    EXPECT_NE(unanswered.err.find("--force"), std::string::npos) << unanswered.err;
    const auto refused = clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "delete", harbor}, "no\n");
    EXPECT_EQ(refused.exit_code, 1) << clipdex::test::describe(refused);
    EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
    EXPECT_EQ(clipCount(), 5);

    const auto forced = clipdex::test::runClipdex(
        home_, {catalogFlag(), "clip", "delete", harbor.substr(0, 8), "--force", "--format", "json"});
    ASSERT_EQ(forced.exit_code, 0) << clipdex::test::describe(forced);
    const json deleted = json::parse(forced.out);
    EXPECT_EQ(deleted["success"], true);
    EXPECT_EQ(deleted["deleted"]["id"], harbor);
    EXPECT_EQ(deleted["deleted"]["file_name"], "harbor.mp4");
    EXPECT_EQ(clipCount(), 4);
    EXPECT_FALSE(fs::exists(folder));
    for (const char* table : {"transcripts", "transcript_segments", "segments_fts", "analysis", "clip_embeddings"}) {
        const json rows = runtime_->catalog().query(
            std::string("SELECT COUNT(*) AS n FROM ") + table + " WHERE clip_id = :id", {{"id", harbor}});
        EXPECT_EQ(rows.at(0).at("n"), 0) << table;
    }
    EXPECT_EQ(command("search-query", {{"q", "fishermen"}, {"type", "fulltext"}}).result["total"], 0);
    EXPECT_EQ(command("clip-show", {{"clip_id", harbor}}).status, CDX_E_NOT_FOUND);

    // "yes" on stdin confirms; the in-process form (HTTP DELETE) needs no confirmation.
    const auto confirmed =
        clipdex::test::runClipdex(home_, {catalogFlag(), "clip", "delete", id("silent.mp4")}, "yes\n");
    EXPECT_EQ(confirmed.exit_code, 0) << clipdex::test::describe(confirmed);
    const auto direct = command("clip-delete", {{"clip_id", id("concert.mp4")}});
    ASSERT_TRUE(direct.ok()) << direct.message;
    EXPECT_EQ(clipCount(), 2);
    EXPECT_EQ(command("clip-delete", {{"clip_id", id("concert.mp4")}}).status, CDX_E_NOT_FOUND);
    EXPECT_EQ(command("clip-delete", {{"clip_id", id("forest.mkv")}, {"force", false}}).status, CDX_E_CANCELLED);
    EXPECT_EQ(clipCount(), 2);
}

}  // namespace
