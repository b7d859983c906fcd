// The fulltext backend's ranking against FTS5's own: a generated catalog of a few thousand clips with a small
// vocabulary (common words, many equal scores, rowid gaps from deletions), ranked by the backend split into
// 3 rowid partitions and in one query, must give exactly the order of a plain `ORDER BY rank` over every match
// (ties by rowid), with the same scores and totals, through filters, owners, offsets and the transcript scope.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
namespace fs = std::filesystem;

constexpr int kClips = 2400;

struct Expected {
    std::vector<std::string> ids;
    std::vector<double> scores;  // fts_rank = -bm25
};

class SearchFulltextRanking : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path config = home_ / "config.json";
        std::ofstream(config)
            << json{{"plugins", {{"clipdex.search", {{"fulltext", {{"partitions", 3}, {"partition_min_clips", 1}}}}}}}}
                   .dump();
        partitioned_ = clipdex::test::bundledRuntime(home_ / "catalog.db", {}, config);
        generate();
        const fs::path single = home_ / "single.json";
        std::ofstream(single) << json{{"plugins", {{"clipdex.search", {{"fulltext", {{"partitions", 1}}}}}}}}.dump();
        single_ = clipdex::test::bundledRuntime(home_ / "catalog.db", {}, single);
    }

    // Words drawn with skewed frequencies (the first few are in most clips) into five columns of varying length.
    void generate() {
        const std::vector<std::string> vocabulary = {"alpha", "beta", "gamma", "delta", "harbor", "forest",
                                                     "crowd", "pier", "deer",  "nets",  "tide",   "moss"};
        std::mt19937 rng(11);
        auto text = [&](int count) {
            std::string out;
            for (int i = 0; i < count; ++i) {
                const auto pick = std::min<std::size_t>(rng() % 7 + rng() % 7, vocabulary.size() - 1);
                out += (i ? " " : "") + vocabulary[pick];
            }
            return out;
        };
        json statements = json::array();
        for (int i = 0; i < kClips; ++i) {
            const std::string id = "clip-" + std::to_string(i);
            statements.push_back(
                {{"sql",
                  "INSERT INTO clips (id, user_id, file_path, local_path, file_name, file_checksum, file_size_bytes, "
                  "duration_seconds, processed_at, updated_at, codec, content_summary, content_tags, full_transcript, "
                  "searchable_content) VALUES (:id, :owner, :path, :path, :name, :id, 1000, :duration, "
                  "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', :codec, :summary, :tags, :transcript, :technical)"},
                 {"params",
                  {{"id", id},
                   {"owner", i % 4 == 0 ? "alice" : "local"},
                   {"path", "/media/" + id + ".mp4"},
                   {"name", text(1 + static_cast<int>(rng() % 3)) + ".mp4"},
                   {"duration", static_cast<double>(rng() % 100)},
                   {"codec", i % 3 == 0 ? "hevc" : "h264"},
                   {"summary", text(static_cast<int>(rng() % 12))},
                   {"tags", json::array({text(1), text(1)}).dump()},
                   {"transcript", text(static_cast<int>(rng() % 40))},
                   {"technical", text(static_cast<int>(rng() % 6))}}}});
            if (i % 5 == 0)
                statements.push_back({{"sql",
                                       "INSERT INTO transcripts (clip_id, full_text, created_at) "
                                       "VALUES (:id, :text, '2026-01-01T00:00:00Z')"},
                                      {"params", {{"id", id}, {"text", text(10)}}}});
        }
        // Gaps in the rowids, at the partition edges among others.
        statements.push_back({{"sql", "DELETE FROM clips WHERE rowid % 7 = 3 OR rowid IN (800, 801, 1600)"},
                              {"params", json::object()}});
        partitioned_->catalog().transaction(statements);
    }

    /// FTS5's own ranking of every match (the backend's former query), ties ordered by rowid.
    Expected reference(const std::string& match, const std::string& condition = "1 = 1", json params = json::object()) {
        params["match"] = match;
        const json rows = partitioned_->catalog().query(
            "SELECT c.id, c.rowid AS rid, -rank AS score FROM clips_fts JOIN clips c ON c.rowid = clips_fts.rowid "
            "WHERE clips_fts MATCH :match AND rank MATCH 'bm25(4.0, 2.0, 3.0, 3.0, 1.0)' AND " +
                condition + " ORDER BY rank",
            params);
        std::vector<json> sorted(rows.begin(), rows.end());
        std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
            const double sa = a["score"].get<double>(), sb = b["score"].get<double>();
            return sa != sb ? sa > sb : a["rid"].get<std::int64_t>() < b["rid"].get<std::int64_t>();
        });
        Expected out;
        for (const json& row : sorted) {
            out.ids.push_back(row["id"]);
            out.scores.push_back(row["score"]);
        }
        return out;
    }

    static json search(clipdex::Runtime& runtime, const json& query, const std::string& principal = "") {
        clipdex::Invocation call;
        if (!principal.empty()) call.principal_json = principal;
        const auto outcome = runtime.searchBackend(call, "fulltext", query);
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return outcome.result;
    }

    /// The backend's page equals reference rows [offset, offset + limit), in order, with the same scores.
    static void expectPage(const json& answer, const Expected& want, std::int64_t offset, std::int64_t limit,
                           const std::string& label) {
        SCOPED_TRACE(label + " offset " + std::to_string(offset) + " limit " + std::to_string(limit));
        EXPECT_EQ(answer["summary"]["total"], static_cast<std::int64_t>(want.ids.size()));
        const auto begin = std::min<std::size_t>(static_cast<std::size_t>(offset), want.ids.size());
        const auto end = std::min<std::size_t>(static_cast<std::size_t>(offset + limit), want.ids.size());
        ASSERT_EQ(answer["hits"].size(), end - begin);
        for (std::size_t i = begin; i < end; ++i) {
            const json& hit = answer["hits"][i - begin];
            EXPECT_EQ(hit["id"], want.ids[i]) << "position " << i;
            EXPECT_NEAR(hit["score"].get<double>(), want.scores[i], 1e-9) << "position " << i;
            EXPECT_EQ(hit["rank"], static_cast<std::int64_t>(i + 1));
        }
    }

    clipdex::test::TempDir home_;
    std::unique_ptr<clipdex::Runtime> partitioned_;
    std::unique_ptr<clipdex::Runtime> single_;
};

TEST_F(SearchFulltextRanking, PartitionedAndSingleQueryRankingsEqualFts5sOwnOrder) {
    const std::vector<std::pair<std::string, std::string>> queries = {
        {"alpha", "\"alpha\""},
        {"alpha beta", "\"alpha\" \"beta\""},
        {"gamma OR moss", "\"gamma\" OR \"moss\""},
        {"\"alpha beta\"", "\"alpha beta\""},
        {"beta -alpha", "\"beta\" NOT \"alpha\""},
        {"ha*", "\"ha\"*"},
        {"moss tide", "\"moss\" \"tide\""},
    };
    for (const auto& [q, match] : queries) {
        const Expected want = reference(match);
        ASSERT_FALSE(want.ids.empty()) << q;
        for (const auto& [offset, limit] : std::vector<std::pair<int, int>>{{0, 10}, {0, 1}, {7, 13}, {95, 50}}) {
            const json query = {{"q", q}, {"limit", limit}, {"offset", offset}};
            expectPage(search(*partitioned_, query), want, offset, limit, q + " (3 partitions)");
            expectPage(search(*single_, query), want, offset, limit, q + " (one query)");
            // Ranks only (what hybrid search asks for): the same page, without snippets or segments.
            json rank_only = query;
            rank_only["fields"] = "rank";
            const json ranked = search(*partitioned_, rank_only);
            expectPage(ranked, want, offset, limit, q + " (ranks only)");
            for (const json& hit : ranked["hits"])
                EXPECT_FALSE(hit.contains("snippet") || hit.contains("matched_segment")) << hit.dump();
        }
        // Past the last match: an empty page that still counts every match.
        const json past = search(*partitioned_, {{"q", q}, {"offset", static_cast<int>(want.ids.size()) + 3}});
        EXPECT_TRUE(past["hits"].empty()) << q;
        EXPECT_EQ(past["summary"]["total"], static_cast<std::int64_t>(want.ids.size())) << q;
    }
    clipdex::Invocation call;
    const auto unknown = partitioned_->searchBackend(call, "fulltext", {{"q", "alpha"}, {"fields", "everything"}});
    EXPECT_EQ(unknown.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(unknown.message.find("'fields' must be all or rank"), std::string::npos) << unknown.message;
}

TEST_F(SearchFulltextRanking, FiltersOwnersAndTheTranscriptScopeRankTheSameRowsAsFts5) {
    const Expected hevc = reference("\"alpha\"", "c.codec = 'hevc' AND c.duration_seconds >= 20");
    const json filters = {{"codec", "HEVC"}, {"duration_min", 20}};
    for (int offset : {0, 30}) {
        expectPage(search(*partitioned_, {{"q", "alpha"}, {"limit", 25}, {"offset", offset}, {"filters", filters}}),
                   hevc, offset, 25, "codec + duration filters");
        expectPage(search(*single_, {{"q", "alpha"}, {"limit", 25}, {"offset", offset}, {"filters", filters}}), hevc,
                   offset, 25, "codec + duration filters, one query");
    }

    // A non-admin caller sees only its own clips, ranked among themselves.
    const Expected alice = reference("\"beta\"", "c.user_id = 'alice'");
    const std::string principal = R"({"id":"alice","role":"user"})";
    expectPage(search(*partitioned_, {{"q", "beta"}, {"limit", 40}}, principal), alice, 0, 40, "owner alice");
    expectPage(search(*partitioned_, {{"q", "beta"}, {"limit", 40}, {"offset", 40}}, principal), alice, 40, 40,
               "owner alice");

    const Expected spoken =
        reference("{transcript} : (\"gamma\")", "EXISTS (SELECT 1 FROM transcripts t WHERE t.clip_id = c.id)");
    ASSERT_FALSE(spoken.ids.empty());
    const json answer = search(*partitioned_, {{"q", "gamma"}, {"limit", 20}, {"scope", "transcripts"}});
    expectPage(answer, spoken, 0, 20, "transcripts scope");
    for (const json& hit : answer["hits"]) EXPECT_TRUE(hit.contains("full_text"));
}

TEST_F(SearchFulltextRanking, NoMatchAndTinyCatalogsAnswerWithoutPartitionsGoingWrong) {
    const json none = search(*partitioned_, {{"q", "nonexistentword"}});
    EXPECT_TRUE(none["hits"].empty());
    EXPECT_EQ(none["summary"]["total"], 0);

    // Two clips left: fewer rowids than partitions around the gap between them.
    partitioned_->catalog().query("DELETE FROM clips WHERE id NOT IN ('clip-1', 'clip-2000')", json::object());
    const Expected want = reference("\"alpha\" OR \"beta\" OR \"gamma\" OR \"delta\"");
    expectPage(search(*partitioned_, {{"q", "alpha OR beta OR gamma OR delta"}}), want, 0, 10, "two clips");
    partitioned_->catalog().query("DELETE FROM clips", json::object());
    EXPECT_EQ(search(*partitioned_, {{"q", "alpha"}})["summary"]["total"], 0);
}

}  // namespace
