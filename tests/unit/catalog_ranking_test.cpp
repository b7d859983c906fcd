// The FTS5 functions the host adds to SQLite catalogs (catalog/sqlite/ranking_functions.hpp), on real files.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "support/test_support.hpp"

namespace clipdex::catalog {
namespace {

class RankingFunctions : public ::testing::Test {
protected:
    clipdex::test::TempDir dir;
    std::filesystem::path file = dir / "catalog.db";
};

// bm25 and the top-k function side by side, for every row matching `match`, by rowid.
json scoresOf(Catalog& catalog, const std::string& table, const std::string& match) {
    return catalog.query("SELECT rowid AS id, bm25(" + table + ", 3.0, 1.0) AS exact, clipdex_bm25_topk(" + table +
                             ", 1000, 3.0, 1.0) AS topk FROM " + table + " WHERE " + table +
                             " MATCH :match ORDER BY rowid",
                         json{{"match", match}});
}

void expectExact(const json& scored, const std::string& context) {
    ASSERT_FALSE(scored.empty()) << context;
    for (const json& row : scored)
        EXPECT_EQ(row["topk"].get<double>(), row["exact"].get<double>()) << context << ": " << row.dump();
}

TEST_F(RankingFunctions, Bm25TopKEqualsBm25ForTheRowsItKeepsAndSkipsOnlyRowsThatCannotBeInThePage) {
    auto catalog = openCatalog(file.string());
    catalog->query("CREATE VIRTUAL TABLE docs USING fts5(title, body)", nullptr);
    // Two strong rows first (FTS5 scans by rowid), then weak ones the bound can rule out, then a strong one.
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"harbor harbor", "harbor boats"},
        {"harbor", "harbor harbor harbor"},
        {"market",
         "a harbor and a very long "
         "text about many other things in the market square"},
        {"street", "harbor at night, far away, long ago"},
        {"harbor harbor harbor", "harbor"}};
    for (const auto& [title, body] : rows)
        catalog->query("INSERT INTO docs (title, body) VALUES (:t, :b)", json{{"t", title}, {"b", body}});
    const json scored = catalog->query(
        "SELECT rowid AS id, bm25(docs, 3.0, 1.0) AS exact, clipdex_bm25_topk(docs, 2, 3.0, 1.0) AS topk "
        "FROM docs WHERE docs MATCH 'harbor' ORDER BY rowid",
        nullptr);
    ASSERT_EQ(scored.size(), rows.size());
    int skipped = 0;
    for (const json& row : scored) {
        if (row["topk"].is_null()) {
            ++skipped;
            continue;
        }
        EXPECT_EQ(row["topk"].get<double>(), row["exact"].get<double>()) << row.dump();
    }
    EXPECT_EQ(skipped, 2) << scored.dump();
    const auto page = [&](const char* score) {
        return catalog->query(
            std::string("SELECT rowid AS id FROM docs WHERE docs MATCH 'harbor' ORDER BY ") + score + " LIMIT 2",
            nullptr);
    };
    EXPECT_EQ(page("clipdex_bm25_topk(docs, 2, 3.0, 1.0) IS NULL, clipdex_bm25_topk(docs, 2, 3.0, 1.0), rowid"),
              page("bm25(docs, 3.0, 1.0), rowid"));
    EXPECT_THROW(catalog->query("SELECT clipdex_bm25_topk(docs, 0) FROM docs WHERE docs MATCH 'harbor'", nullptr),
                 CatalogError);
}

// The lengths the function keeps between statements must never outlive a change, whoever makes it, nor be
// mistaken for another table's: each case changes only lengths, which stale ones would show as wrong scores.
TEST_F(RankingFunctions, Bm25TopKStaysExactAcrossChangesOtherConnectionsAndTables) {
    auto catalog = openCatalog(file.string());
    for (const char* table : {"docs", "other"})
        catalog->query(std::string("CREATE VIRTUAL TABLE ") + table + " USING fts5(title, body)", nullptr);
    // Rows without the word keep its document frequency low enough for a positive idf.
    for (const char* table : {"docs", "other"})
        for (int i = 0; i < 12; ++i)
            catalog->query(std::string("INSERT INTO ") + table + " (title, body) VALUES ('street', 'market day')",
                           nullptr);
    for (int i = 0; i < 6; ++i) {
        const json row{{"t", "harbor " + std::to_string(i)}, {"b", std::string(static_cast<std::size_t>(i) * 8, 'x')}};
        catalog->query("INSERT INTO docs (title, body) VALUES (:t, 'harbor ' || replace(:b, 'x', 'word '))", row);
        // The same rowids in another table, with other lengths.
        catalog->query("INSERT INTO other (title, body) VALUES (:t, 'harbor ' || replace(:b, 'x', 'a b c '))", row);
    }
    // Every pooled connection ranks a few times, so each has lengths to keep.
    auto rankAll = [&](const std::string& context) {
        for (int round = 0; round < 8; ++round) {
            expectExact(scoresOf(*catalog, "docs", "harbor"), context + " (docs)");
            expectExact(scoresOf(*catalog, "other", "harbor"), context + " (other)");
        }
    };
    rankAll("first");

    // This catalog rewrites a row: same rowid, new length.
    catalog->query("UPDATE docs SET body = 'harbor' WHERE rowid = 15", nullptr);
    rankAll("after an update through the same catalog");

    // Another connection set (another process, in effect) does the same.
    auto other = openCatalog(file.string());
    other->query("UPDATE docs SET body = 'harbor and a much longer text than before' WHERE rowid = 15", nullptr);
    other->query("DELETE FROM other WHERE rowid = 14", nullptr);
    other->query("INSERT INTO other (rowid, title, body) VALUES (14, 'harbor', 'harbor')", nullptr);
    rankAll("after changes through another connection");
}

TEST_F(RankingFunctions, MatchedPhrasesAndInstancesCountTheQuerysPhrasesInTheRow) {
    auto catalog = openCatalog(file.string());
    catalog->query("CREATE VIRTUAL TABLE docs USING fts5(title, body)", nullptr);
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"harbor", "boats in the harbor at night"},  // harbor x2, boats
        {"market", "night sky over the market"},     // "night sky"
        {"harbor boats", "night sky, night sky"},    // harbor, boats, "night sky" x2
        {"street", "nothing here"}};
    for (const auto& [title, body] : rows)
        catalog->query("INSERT INTO docs (title, body) VALUES (:t, :b)", json{{"t", title}, {"b", body}});
    const json counted = catalog->query(
        "SELECT rowid AS id, clipdex_matched_phrases(docs) AS phrases, clipdex_phrase_instances(docs) AS instances "
        "FROM docs WHERE docs MATCH 'harbor OR boats OR \"night sky\"' ORDER BY rowid",
        nullptr);
    EXPECT_EQ(counted, json::parse(R"([{"id": 1, "phrases": 2, "instances": 3},
                                       {"id": 2, "phrases": 1, "instances": 1},
                                       {"id": 3, "phrases": 3, "instances": 4}])"));
    // Over a rowid range, as the search plugin scans one clip's segments.
    const json ranged = catalog->query(
        "SELECT rowid AS id FROM docs WHERE docs MATCH 'harbor OR boats OR \"night sky\"' AND rowid BETWEEN 2 AND 4 "
        "ORDER BY clipdex_matched_phrases(docs) DESC, clipdex_phrase_instances(docs) DESC, rowid",
        nullptr);
    EXPECT_EQ(ranged, json::parse(R"([{"id": 3}, {"id": 2}])"));
}

TEST_F(RankingFunctions, TopKAggregateGivesTheSortedPageAndCountOfOneScan) {
    auto catalog = openCatalog(file.string());
    catalog->query("CREATE TABLE scores (id INTEGER PRIMARY KEY, score REAL)", nullptr);
    // Ties (-2.5 twice, inserted out of rowid order), NULLs, and more rows than k.
    const std::vector<std::pair<int, json>> rows = {{7, -2.5},   {3, -1.0},  {5, nullptr}, {2, -2.5},
                                                    {9, -0.125}, {4, -3.75}, {8, nullptr}, {6, 0.1}};
    for (const auto& [id, score] : rows)
        catalog->query("INSERT INTO scores (id, score) VALUES (:id, :score)", json{{"id", id}, {"score", score}});
    auto page = [&](int k, const std::string& where) {
        const json answer = catalog->query(
            "SELECT count(*) AS n, clipdex_topk(:k, score, id) AS page FROM scores" + where, json{{"k", k}});
        return json{{"n", answer.at(0).at("n")}, {"page", json::parse(answer.at(0).at("page").get<std::string>())}};
    };
    EXPECT_EQ(page(3, ""), json::parse(R"({"n": 8, "page": [[4, -3.75], [2, -2.5], [7, -2.5]]})"));
    // The same rows as ORDER BY score, rowid with NULLs last, whatever k.
    for (int k = 1; k <= 8; ++k) {
        json expected = json::array();
        for (const json& row : catalog->query(
                 "SELECT id, score FROM scores WHERE score IS NOT NULL ORDER BY score, id LIMIT :k", json{{"k", k}}))
            expected.push_back(json::array({row["id"], row["score"]}));
        EXPECT_EQ(page(k, "")["page"], expected) << "k = " << k;
    }
    EXPECT_EQ(page(5, " WHERE id > 100"), json::parse(R"({"n": 0, "page": []})"));
    // Scores survive the JSON text bit for bit.
    catalog->query("UPDATE scores SET score = 0.1 + 0.2 WHERE id = 4", nullptr);
    EXPECT_EQ(page(8, " WHERE id = 4")["page"][0][1].get<double>(), 0.1 + 0.2);
    EXPECT_THROW(catalog->query("SELECT clipdex_topk(0, score, id) FROM scores", nullptr), CatalogError);
}

}  // namespace
}  // namespace clipdex::catalog
