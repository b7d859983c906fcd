// The clipdex.search plugin's fulltext backend and listing commands on a real ingested catalog: ranking,
// transcript segments, filters, pages, sorting, hostile queries, dispatch to absent vector backends, HTTP routes.
#include <Poco/Net/HTTPRequest.h>

#include <algorithm>

#include "http/http_server.hpp"
#include "search_test_support.hpp"
#include "support/http_client.hpp"

namespace {

using clipdex::json;
using clipdex::search_test::SearchCatalog;

using SearchFulltext = SearchCatalog;

TEST_F(SearchFulltext, PhraseFindsTheRightClipFirstWithItsSegmentTimecode) {
    const auto found = command("search-query", {{"q", "\"unload the nets\""}, {"type", "fulltext"}});
    ASSERT_TRUE(found.ok()) << found.message;
    const json& results = found.result["results"];
    ASSERT_EQ(results.size(), 1u) << results.dump(2);
    EXPECT_EQ(results[0]["file_name"], "harbor.mp4");
    EXPECT_EQ(results[0]["id"], id("harbor.mp4"));
    EXPECT_GT(results[0]["fts_rank"].get<double>(), 0.0);
    EXPECT_EQ(results[0]["rank"], 1);
    EXPECT_EQ(results[0]["content_tags"], json::array());
    EXPECT_EQ(results[0]["codec"], "h264");
    const json& segment = results[0]["matched_segment"];
    EXPECT_EQ(segment["timecode"], "00:00:01.000");
    EXPECT_DOUBLE_EQ(segment["start_seconds"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(segment["end_seconds"].get<double>(), 1.9);
    EXPECT_EQ(segment["text"], "Fishermen unload the nets at the pier");
    EXPECT_NE(results[0]["snippet"].get<std::string>().find("[unload"), std::string::npos) << results[0]["snippet"];
    EXPECT_EQ(found.result["search_type"], "fulltext");
    EXPECT_EQ(found.result["query"], "\"unload the nets\"");
    EXPECT_EQ(found.result["total"], 1);
    EXPECT_EQ(found.result["match_count"], 1);
    EXPECT_EQ(found.result["success"], true);

    // Word order matters inside quotes, not outside.
    EXPECT_EQ(command("search-query", {{"q", "\"nets the unload\""}, {"type", "fulltext"}}).result["total"], 0);
    EXPECT_EQ(command("search-query", {{"q", "nets unload"}, {"type", "keyword"}}).result["total"], 1);
}

TEST_F(SearchFulltext, RanksFileNameMatchesFirstAndSupportsExcludeOrAndPrefix) {
    const auto harbor = command("search-query", {{"q", "harbor"}, {"type", "fulltext"}});
    ASSERT_TRUE(harbor.ok()) << harbor.message;
    EXPECT_EQ(names(harbor.result["results"]), (std::vector<std::string>{"harbor.mp4", "interview.mkv"}));
    EXPECT_GT(harbor.result["results"][0]["score"].get<double>(), harbor.result["results"][1]["score"].get<double>());
    // Matroska with AAC audio starts its timeline a few ms late: the segment times are what the file says.
    EXPECT_EQ(harbor.result["results"][1]["matched_segment"]["timecode"].get<std::string>().substr(0, 10),
              "00:00:00.0");

    const auto excluded = command("search-query", {{"q", "harbor -project"}, {"type", "fulltext"}});
    EXPECT_EQ(names(excluded.result["results"]), std::vector<std::string>{"harbor.mp4"});

    const auto either = command("search-query", {{"q", "deer OR crowd"}, {"type", "fulltext"}});
    EXPECT_EQ(either.result["total"], 2);
    const auto both = command("search-query", {{"q", "deer crowd"}, {"type", "fulltext"}});
    EXPECT_EQ(both.result["total"], 0);

    const auto prefix = command("search-query", {{"q", "rebu*"}, {"type", "fulltext"}});
    EXPECT_EQ(names(prefix.result["results"]), std::vector<std::string>{"interview.mkv"});
    EXPECT_EQ(prefix.result["results"][0]["matched_segment"]["timecode"].get<std::string>().substr(0, 10),
              "00:00:01.0");
}

TEST_F(SearchFulltext, TheMatchedSegmentIsTheOneHoldingMostOfTheQueryWords) {
    auto segmentOf = [&](const std::string& q, const std::string& file) {
        const auto found = command("search-query", {{"q", q}, {"type", "fulltext"}});
        EXPECT_TRUE(found.ok()) << found.message;
        for (const json& hit : found.result["results"])
            if (hit["file_name"] == file) return hit["matched_segment"];
        ADD_FAILURE() << q << ": no " << file << " in " << found.result.dump();
        return json();
    };
    // harbor.mp4: "Morning light over the harbor" (0 s) / "Fishermen unload the nets at the pier" (1 s).
    EXPECT_EQ(segmentOf("harbor nets pier", "harbor.mp4")["text"], "Fishermen unload the nets at the pier");
    EXPECT_EQ(segmentOf("harbor morning nets", "harbor.mp4")["text"], "Morning light over the harbor");
    // interview.mkv: "Tell me about the harbor project" (0 s) / "We rebuilt the old pier" (1 s). Equal
    // counts go to the earlier segment; a quoted phrase counts once, as one of the query's words.
    EXPECT_EQ(segmentOf("harbor pier", "interview.mkv")["text"], "Tell me about the harbor project");
    EXPECT_EQ(segmentOf("\"we rebuilt the old pier\" harbor project", "interview.mkv")["text"],
              "Tell me about the harbor project");
    EXPECT_EQ(segmentOf("\"the old pier\" rebuilt harbor", "interview.mkv")["text"], "We rebuilt the old pier");
    // Words in the file name only: the clip is found, no segment holds them.
    EXPECT_TRUE(segmentOf("interview", "interview.mkv").is_null());
}

TEST_F(SearchFulltext, TranscriptScopeReturnsTheOriginalTranscriptShape) {
    const auto found = command("search-query", {{"q", "deer"}, {"type", "transcripts"}});
    ASSERT_TRUE(found.ok()) << found.message;
    ASSERT_EQ(found.result["results"].size(), 1u);
    const json& hit = found.result["results"][0];
    EXPECT_EQ(hit["clip_id"], id("forest.mkv"));
    EXPECT_EQ(hit["id"], id("forest.mkv"));
    EXPECT_NE(hit["full_text"].get<std::string>().find("A deer crosses the trail"), std::string::npos);
    EXPECT_TRUE(hit["transcript_preview"].is_string());
    EXPECT_GT(hit["fts_rank"].get<double>(), 0.0);
    EXPECT_EQ(hit["matched_segment"]["timecode"].get<std::string>().substr(0, 10), "00:00:01.0");
    EXPECT_EQ(found.result["search_type"], "transcripts");
    // A file-name-only match is not a transcript match.
    EXPECT_EQ(command("search-query", {{"q", "silent"}, {"type", "transcripts"}}).result["total"], 0);
    EXPECT_EQ(command("search-query", {{"q", "silent"}, {"type", "fulltext"}}).result["total"], 1);
}

TEST_F(SearchFulltext, FiltersExcludeTheRightClips) {
    auto listed = [&](json args) {
        const auto outcome = command("clip-list", std::move(args));
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        std::vector<std::string> found = names(outcome.result["results"]);
        std::sort(found.begin(), found.end());
        return found;
    };
    using Names = std::vector<std::string>;
    EXPECT_EQ(listed({{"codec", "MPEG4"}}), Names{"interview.mkv"});
    EXPECT_EQ(listed({{"codec", "h264"}}).size(), 4u);
    EXPECT_EQ(listed({{"min_height", 72}}), (Names{"concert.mp4", "interview.mkv"}));
    EXPECT_EQ(listed({{"duration_max", 1.5}}), (Names{"concert.mp4", "silent.mp4"}));
    EXPECT_EQ(listed({{"duration_min", 1.5}, {"min_height", 54}}), (Names{"forest.mkv", "interview.mkv"}));
    EXPECT_EQ(listed({{"has_transcript", false}}), Names{"silent.mp4"});
    EXPECT_EQ(listed({{"has_transcript", true}}).size(), 4u);
    EXPECT_EQ(listed({{"audio_language", "fra"}}), Names{"forest.mkv"});
    EXPECT_EQ(listed({{"audio_language", "ENG"}}), (Names{"harbor.mp4", "interview.mkv"}));
    EXPECT_EQ(listed({{"container", "matroska"}}), (Names{"forest.mkv", "interview.mkv"}));
    EXPECT_EQ(listed({{"container", "mp4"}}), (Names{"concert.mp4", "harbor.mp4", "silent.mp4"}));
    EXPECT_EQ(listed({{"container", "MPEG-4"}}).size(), 3u);
    EXPECT_EQ(listed({{"hdr", "no"}}).size(), 5u);
    EXPECT_TRUE(listed({{"hdr", "HDR10"}}).empty());
    EXPECT_TRUE(listed({{"hdr", "yes"}}).empty());
    EXPECT_EQ(listed({{"processed_after", "2000-01-01"}}).size(), 5u);
    EXPECT_TRUE(listed({{"processed_before", "2000-01-01"}}).empty());

    // The same filters narrow a full-text search.
    const auto narrowed = command("search-query", {{"q", "harbor"}, {"type", "fulltext"}, {"codec", "mpeg4"}});
    EXPECT_EQ(names(narrowed.result["results"]), std::vector<std::string>{"interview.mkv"});
    EXPECT_EQ(narrowed.result["total"], 1);

    // Bad values name the field.
    for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
             {"hdr", "purple"}, {"created_after", "yesterday"}, {"duration_min", -1}, {"min_height", 1.5}}) {
        const auto bad = command("clip-list", {{field, value}});
        EXPECT_EQ(bad.status, CDX_E_INVALID_ARGUMENT) << field;
        EXPECT_EQ(bad.details.value("field", ""), field) << bad.message;
        EXPECT_NE(bad.message.find(field), std::string::npos) << bad.message;
    }
    const auto inverted = command("clip-list", {{"duration_min", 5}, {"duration_max", 1}});
    EXPECT_EQ(inverted.status, CDX_E_INVALID_ARGUMENT);
    const auto unknown = backend("fulltext", {{"q", "harbor"}, {"filters", {{"colour", "red"}}}});
    EXPECT_EQ(unknown.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(unknown.message.find("colour"), std::string::npos) << unknown.message;
}

TEST_F(SearchFulltext, HdrCameraAndCategoryFiltersReadTheStoredMetadata) {
    // A row as clipdex.media and a later analysis would leave it: HLG video, a camera, a category.
    runtime_->catalog().query(
        "INSERT INTO clips (id, file_path, local_path, file_name, file_checksum, file_size_bytes, duration_seconds, "
        "processed_at, updated_at, width, height, codec, camera_make, camera_model, container, content_category, "
        "content_summary, technical_metadata, audio_tracks) VALUES ('hlg00000-0000-4000-8000-000000000000', "
        "'/f/hlg.mov', '/f/hlg.mov', 'hlg.mov', 'hlgsum', 10, 3.0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', "
        "3840, 2160, 'hevc', 'SONY', 'ILCE-7SM3', 'QuickTime', 'Interview', 'A woman talks about the harbor', "
        ":tech, 'not json')",
        {{"tech", R"({"container": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2"},
                      "video": [{"hdr_format": "HLG", "is_hdr": true}]})"}});
    auto listed = [&](json args) {
        const auto outcome = command("clip-list", std::move(args));
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return names(outcome.result["results"]);
    };
    using Names = std::vector<std::string>;
    EXPECT_EQ(listed({{"hdr", "HLG"}}), Names{"hlg.mov"});
    EXPECT_EQ(listed({{"hdr", "yes"}}), Names{"hlg.mov"});
    EXPECT_TRUE(listed({{"hdr", "Dolby Vision"}}).empty());
    EXPECT_EQ(listed({{"hdr", "no"}}).size(), 5u);
    EXPECT_EQ(listed({{"camera_make", "sony"}, {"camera_model", "ilce-7sm3"}}), Names{"hlg.mov"});
    EXPECT_EQ(listed({{"category", "interview"}}), Names{"hlg.mov"});
    EXPECT_EQ(listed({{"container", "mov"}}), Names{"hlg.mov"});
    EXPECT_EQ(listed({{"min_height", 2160}, {"codec", "HEVC"}}), Names{"hlg.mov"});
    EXPECT_TRUE(listed({{"audio_language", "eng"}, {"codec", "hevc"}}).empty());  // audio_tracks not JSON: no error
    // The summary column is searched too, and filters apply to it.
    const auto summary = command("search-query", {{"q", "woman harbor"}, {"type", "fulltext"}, {"hdr", "hlg"}});
    ASSERT_TRUE(summary.ok()) << summary.message;
    EXPECT_EQ(names(summary.result["results"]), Names{"hlg.mov"});
    EXPECT_TRUE(summary.result["results"][0]["matched_segment"].is_null());
}

TEST_F(SearchFulltext, PagesCarryTotalsAndSortOrders) {
    const auto first = command("clip-list", {{"limit", 2}, {"sort_by", "file_name"}, {"sort_order", "ascending"}});
    ASSERT_TRUE(first.ok()) << first.message;
    EXPECT_EQ(names(first.result["results"]), (std::vector<std::string>{"concert.mp4", "forest.mkv"}));
    EXPECT_EQ(first.result["total"], 5);
    EXPECT_EQ(first.result["limit"], 2);
    EXPECT_EQ(first.result["sort_by"], "file_name");
    EXPECT_EQ(first.result["sort_order"], "ascending");
    const auto last =
        command("clip-list", {{"limit", 2}, {"offset", 4}, {"sort_by", "file_name"}, {"sort_order", "asc"}});
    EXPECT_EQ(names(last.result["results"]), std::vector<std::string>{"silent.mp4"});
    EXPECT_EQ(last.result["total"], 5);
    EXPECT_EQ(last.result["offset"], 4);

    const auto by_name_desc = command("clip-list", {{"sort_by", "file_name"}, {"sort_order", "desc"}, {"limit", 1}});
    EXPECT_EQ(names(by_name_desc.result["results"]), std::vector<std::string>{"silent.mp4"});

    const auto recent = command("search-recent", {{"sort_by", "duration_seconds"}, {"sort_order", "ascending"}});
    ASSERT_TRUE(recent.ok()) << recent.message;
    const json& rows = recent.result["results"];
    ASSERT_EQ(rows.size(), 5u);
    for (std::size_t i = 1; i < rows.size(); ++i)
        EXPECT_LE(rows[i - 1]["duration_seconds"].get<double>(), rows[i]["duration_seconds"].get<double>());
    EXPECT_EQ(recent.result["limit"], 10);
    EXPECT_TRUE(rows[0]["audio_tracks"].is_array());  // JSON columns parsed
    EXPECT_FALSE(rows[0].contains("metadata"));
    EXPECT_EQ(command("clip-list").result["limit"], 20);

    const auto filtered_page = command("search-recent", {{"limit", 1}, {"codec", "h264"}});
    EXPECT_EQ(filtered_page.result["results"].size(), 1u);
    EXPECT_EQ(filtered_page.result["total"], 4);

    const auto query_page =
        command("search-query", {{"q", "harbor"}, {"type", "fulltext"}, {"limit", 1}, {"offset", 1}});
    EXPECT_EQ(names(query_page.result["results"]), std::vector<std::string>{"interview.mkv"});
    EXPECT_EQ(query_page.result["total"], 2);
    EXPECT_EQ(query_page.result["results"][0]["rank"], 2);

    EXPECT_EQ(command("clip-list", {{"sort_by", "id; DROP TABLE clips"}}).status, CDX_E_INVALID_ARGUMENT);
}

TEST_F(SearchFulltext, HostileQueriesGiveCleanErrorsOrResultsNeverACrash) {
    std::string many_terms;
    for (int i = 0; i < 65; ++i) many_terms += "w" + std::to_string(i) + " ";
    const std::vector<std::string> queries = {"\"",
                                              "*",
                                              "NEAR(",
                                              "a OR",
                                              "OR",
                                              "'; DROP TABLE clips; --",
                                              "-",
                                              "(harbor",
                                              "harbor)",
                                              "col:harbor",
                                              "{file_name}: harbor",
                                              "^harbor",
                                              "\"\"\"",
                                              "AND NOT",
                                              "harbor NOT",
                                              "-harbor",
                                              "harbor*\"",
                                              std::string("harbor\0x", 8),
                                              std::string(100 * 1024, 'a'),
                                              many_terms};
    for (const std::string& q : queries) {
        for (const char* scope : {"clips", "transcripts"}) {
            const auto outcome = backend("fulltext", {{"q", q}, {"scope", scope}});
            if (!outcome.ok()) {
                EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT) << q.substr(0, 60) << ": " << outcome.message;
                EXPECT_EQ(outcome.details.value("field", ""), "q") << outcome.message;
            } else {
                EXPECT_TRUE(outcome.result["hits"].is_array());
            }
        }
    }
    EXPECT_EQ(clipCount(), 5);
    const auto huge = backend("fulltext", {{"q", std::string(100 * 1024, 'a')}});
    EXPECT_EQ(huge.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(huge.message.find("too long"), std::string::npos) << huge.message;
    const auto too_many = backend("fulltext", {{"q", many_terms}});
    EXPECT_EQ(too_many.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(too_many.message.find("too many terms"), std::string::npos) << too_many.message;
    const auto punctuation = backend("fulltext", {{"q", "*"}});
    EXPECT_EQ(punctuation.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(punctuation.message.find("no words"), std::string::npos) << punctuation.message;
    const auto injected = backend("fulltext", {{"q", "'; DROP TABLE clips; --"}});
    ASSERT_TRUE(injected.ok()) << injected.message;  // words "drop", "table", "clips" match nothing
    EXPECT_TRUE(injected.result["hits"].empty());
    const auto embedded_nul = backend("fulltext", {{"q", std::string("harbor\0pier", 11)}});
    ASSERT_TRUE(embedded_nul.ok()) << embedded_nul.message;
    EXPECT_EQ(embedded_nul.result["hits"].size(), 2u);  // "harbor" AND "pier": harbor.mp4 and interview.mkv
    EXPECT_EQ(embedded_nul.result["summary"]["total"], embedded_nul.result["hits"].size());

    // Through the real binary too: exit 0 (results) or 2 (usage error), never a crash.
    for (const std::string& q : {std::string("\""), std::string("NEAR("), std::string(100 * 1024, 'b')}) {
        const auto run = clipdex::test::runClipdex(home_, {catalogFlag(), "search", "query", q, "-t", "fulltext"});
        EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 2) << clipdex::test::describe(run);
    }
    EXPECT_EQ(clipCount(), 5);
}

TEST_F(SearchFulltext, VectorSearchTypesFailCleanlyOrAnswerAndTheDefaultStillWorks) {
    for (const char* type : {"semantic", "hybrid"}) {
        const auto outcome = command("search-query", {{"q", "harbor"}, {"type", type}});
        if (outcome.ok()) {
            EXPECT_TRUE(outcome.result["results"].is_array());
        } else {
            EXPECT_NE(outcome.status, CDX_E_INTERNAL) << outcome.message;
            EXPECT_FALSE(outcome.message.empty());
        }
    }
    const auto defaulted = command("search-query", {{"q", "harbor"}});
    ASSERT_TRUE(defaulted.ok()) << defaulted.message;  // hybrid, or fulltext when no vector backend is installed
    EXPECT_FALSE(defaulted.result["results"].empty());
    const auto similar = command("search-similar", {{"clip_id", id("harbor.mp4").substr(0, 8)}});
    if (!similar.ok())
        EXPECT_NE(similar.status, CDX_E_INTERNAL) << similar.message;
    else
        EXPECT_EQ(similar.result["clip_id"], id("harbor.mp4"));
    EXPECT_EQ(command("search-similar", {{"clip_id", "ffffffff-0000"}}).status, CDX_E_NOT_FOUND);

    const auto missing = command("search-query", json::object());
    EXPECT_EQ(missing.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_EQ(missing.details.value("field", ""), "q");
}

// --- HTTP over loopback -------------------------------------------------------------------------------------

using Reply = clipdex::test::HttpReply;

Reply get(std::uint16_t port, const std::string& path, const std::string& method = Poco::Net::HTTPRequest::HTTP_GET) {
    return clipdex::test::httpRequest(port, method, path);
}

TEST_F(SearchFulltext, HttpRoutesSearchAndListClips) {
    const auto server = clipdex::test::startServer(*runtime_);
    const auto port = server->port();

    const Reply search = get(port, "/api/search?q=harbor&type=keyword&limit=5");
    ASSERT_EQ(search.status, 200) << search.body.dump(2);
    EXPECT_EQ(search.body["data"]["data"][0]["file_name"], "harbor.mp4");
    EXPECT_EQ(search.body["data"]["search_type"], "fulltext");
    EXPECT_EQ(search.body["data"]["total"], 2);

    const Reply panel = get(port, "/api/search?query=deer&type=fulltext");  // the Premiere panel's parameter
    ASSERT_EQ(panel.status, 200) << panel.body.dump(2);
    EXPECT_EQ(panel.body["data"]["data"][0]["file_name"], "forest.mkv");

    const Reply filtered = get(port, "/api/search?q=harbor&type=fulltext&codec=mpeg4");
    EXPECT_EQ(filtered.body["data"]["total"], 1);

    EXPECT_EQ(get(port, "/api/search").status, 400);
    const Reply bad_filter = get(port, "/api/search?q=harbor&type=fulltext&hdr=purple");
    EXPECT_EQ(bad_filter.status, 400);
    EXPECT_EQ(bad_filter.body["field"], "hdr") << bad_filter.body.dump(2);

    const Reply clips = get(port, "/api/clips?sort=file_name&order=ascending&limit=2");
    ASSERT_EQ(clips.status, 200) << clips.body.dump(2);
    EXPECT_EQ(names(clips.body["data"]["data"]), (std::vector<std::string>{"concert.mp4", "forest.mkv"}));
    EXPECT_EQ(clips.body["data"]["total"], 5);
    const Reply panel_clips = get(port, "/api/clips?sort_by=duration_seconds&sort_order=ascending&limit=50");
    EXPECT_EQ(panel_clips.body["data"]["data"].size(), 5u);
    EXPECT_EQ(get(port, "/api/clips?min_height=72").body["data"]["total"], 2);
    // The original API's names for the processed-date range.
    EXPECT_EQ(get(port, "/api/clips?date_start=2000-01-01T00:00:00Z").body["data"]["total"], 5);
    EXPECT_EQ(get(port, "/api/clips?date_end=2000-01-01").body["data"]["total"], 0);
    EXPECT_EQ(get(port, "/api/search/recent?limit=1").body["data"]["total"], 5);
    const Reply stats = get(port, "/api/search/stats");
    EXPECT_EQ(stats.body["data"]["stats"]["total_clips"], 5);

    const std::string harbor = id("harbor.mp4");
    const Reply transcript = get(port, "/api/clips/" + harbor + "/transcript");
    ASSERT_EQ(transcript.status, 200) << transcript.body.dump(2);
    EXPECT_EQ(transcript.body["data"]["transcript"]["segments"].size(), 2u);
    const Reply vtt = get(port, "/api/clips/" + harbor + "/transcript?output=vtt");
    EXPECT_EQ(vtt.body["data"].get<std::string>().rfind("WEBVTT\n\n", 0), 0u) << vtt.body.dump(2);
    const Reply no_transcript = get(port, "/api/clips/" + id("silent.mp4") + "/transcript");
    EXPECT_EQ(no_transcript.status, 404);
    EXPECT_EQ(no_transcript.body["code"], "TRANSCRIPT_NOT_FOUND");
    EXPECT_EQ(get(port, "/api/clips/" + harbor + "/analysis").status, 404);

    const Reply deleted = get(port, "/api/clips/" + id("silent.mp4"), Poco::Net::HTTPRequest::HTTP_DELETE);
    ASSERT_EQ(deleted.status, 200) << deleted.body.dump(2);
    EXPECT_EQ(deleted.body["data"]["deleted"]["file_name"], "silent.mp4");
    EXPECT_EQ(clipCount(), 4);
    server->stop();
}

}  // namespace
