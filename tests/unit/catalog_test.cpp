// The catalog against real SQLite files in a temporary directory.
#include "catalog/catalog.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

#include "catalog/sqlite/migrations.hpp"
#include "support/test_support.hpp"

namespace clipdex::catalog {
namespace {

using clipdex::test::TempDir;

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "2024-05-01T10:00:00Z" (std::regex would do, but trips GCC 12's -Wmaybe-uninitialized under ASan).
bool isIsoUtcTimestamp(const std::string& text) {
    static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (kShape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(text[i])) : text[i] != kShape[i]) return false;
    }
    return true;
}

// Runs `action`, expecting a CatalogError with `status` whose message contains every one of `parts`.
void expectCatalogError(const std::function<void()>& action, cdx_status status, const std::vector<std::string>& parts) {
    try {
        action();
        FAIL() << "expected CatalogError " << status;
    } catch (const CatalogError& error) {
        EXPECT_EQ(error.status(), status) << error.what();
        for (const auto& part : parts)
            EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
    }
}

json clipParams(const std::string& id, const json& file_name = "clip.mp4", const json& size = 1024) {
    return {{"id", id},
            {"path", "/footage/" + id + ".mp4"},
            {"name", file_name},
            {"size", size},
            {"at", "2024-05-01T10:00:00Z"}};
}

constexpr const char* kInsertClip =
    "INSERT INTO clips (id, file_path, local_path, file_name, file_size_bytes, processed_at, updated_at) "
    "VALUES (:id, :path, :path, :name, :size, :at, :at)";

std::int64_t clipCount(Catalog& catalog) {
    return catalog.query("SELECT COUNT(*) AS n FROM clips", nullptr).at(0).at("n").get<std::int64_t>();
}

bool tableExists(Catalog& catalog, const std::string& name) {
    return !catalog.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = :name", {{"name", name}})
                .empty();
}

class CatalogTest : public ::testing::Test {
protected:
    TempDir dir;
    std::filesystem::path file = dir / "catalog.db";
};

int latestVersion() {
    return clipdex::catalog::sqlite::builtinMigrations().back().version;
}

TEST_F(CatalogTest, FreshOpenCreatesFileAndParentDirectories) {
    const auto nested = dir / "a" / "b" / "catalog.db";
    auto catalog = openCatalog(nested.string());
    EXPECT_TRUE(std::filesystem::is_regular_file(nested));
    EXPECT_EQ(catalog->dialect(), "sqlite");
    EXPECT_EQ(catalog->location(), nested.string());
    EXPECT_EQ(catalog->schemaVersion(), latestVersion());
    EXPECT_TRUE(tableExists(*catalog, "clips"));
}

TEST_F(CatalogTest, SqlitePrefixOpensThePath) {
    { openCatalog("sqlite:" + file.string())->query(kInsertClip, clipParams("c1")); }
    EXPECT_EQ(clipCount(*openCatalog(file.string())), 1);
}

TEST_F(CatalogTest, EverySessionRunsInWalModeWithForeignKeysAndBusyTimeout) {
    auto catalog = openCatalog(file.string());
    for (int i = 0; i < 8; ++i) {  // more than the pool holds, so every session is seen
        EXPECT_EQ(catalog->query("PRAGMA journal_mode", {}).at(0).at("journal_mode"), "wal");
        EXPECT_EQ(catalog->query("PRAGMA foreign_keys", {}).at(0).at("foreign_keys"), 1);
        EXPECT_EQ(catalog->query("PRAGMA busy_timeout", {}).at(0).at("timeout"), 5000);
        EXPECT_EQ(catalog->query("PRAGMA synchronous", {}).at(0).at("synchronous"), 1);  // NORMAL
    }
}

TEST_F(CatalogTest, MigrationsAreRecordedOnceAcrossReopen) {
    json first;
    {
        auto catalog = openCatalog(file.string());
        first = catalog->query("SELECT version, name, applied_at FROM schema_migrations", {});
        ASSERT_EQ(first.size(), clipdex::catalog::sqlite::builtinMigrations().size());
        EXPECT_EQ(first[0]["version"], 1);
        EXPECT_EQ(first.back()["version"], latestVersion());
        EXPECT_TRUE(isIsoUtcTimestamp(first[0]["applied_at"].get<std::string>())) << first[0]["applied_at"];
        const auto info = catalog->query("SELECT key, value FROM catalog_info ORDER BY key", {});
        ASSERT_EQ(info.size(), 2u);
        EXPECT_EQ(info[0]["key"], "created_at");
        EXPECT_EQ(info[1]["key"], "created_by_version");
        EXPECT_EQ(info[1]["value"], CLIPDEX_VERSION);
        EXPECT_EQ(catalog->query("SELECT name FROM pragma_table_info('clips')", {}).size(), 31u);
        EXPECT_EQ(catalog->query("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_clips_%'", {})
                      .size(),
                  8u);  // v1 three, v2 local_path, v3 codec + duration, v4 user_id, v5 (user, checksum) + checksum
    }
    auto reopened = openCatalog(file.string());
    EXPECT_EQ(reopened->query("SELECT version, name, applied_at FROM schema_migrations", {}), first);
    EXPECT_EQ(reopened->schemaVersion(), latestVersion());
}

TEST_F(CatalogTest, NewerSchemaIsRefusedAndTheFileIsLeftUntouched) {
    MigrationList future;
    for (int version = 1; version <= latestVersion() + 1; ++version)
        future.push_back({version, "m" + std::to_string(version), "CREATE TABLE t" + std::to_string(version) + " (x)"});
    { openCatalog(file.string(), future); }
    const std::string before = readFile(file);
    expectCatalogError([&] { openCatalog(file.string()); }, CDX_E_UNAVAILABLE,
                       {"catalog " + file.string() + " has schema version " + std::to_string(latestVersion() + 1) +
                        ", newer than this clipdex supports (" + std::to_string(latestVersion()) +
                        "); "
                        "upgrade clipdex"});
    EXPECT_EQ(readFile(file), before);
    EXPECT_FALSE(tableExists(*openCatalog(file.string(), future), "clips"));
}

TEST_F(CatalogTest, FailingMigrationRollsBackCompletelyAndNamesIt) {
    const MigrationList good = {{1, "first", "CREATE TABLE first_table (x)"}};
    MigrationList broken = good;
    broken.push_back(
        {2, "half done", "CREATE TABLE half (x); INSERT INTO half VALUES (1); INSERT INTO missing VALUES (1)"});
    expectCatalogError([&] { openCatalog(file.string(), broken); }, CDX_E_INTERNAL,
                       {"migration 2 (half done) failed", "rolled back", "stays 1", "no such table: missing"});
    auto catalog = openCatalog(file.string(), good);
    EXPECT_TRUE(tableExists(*catalog, "first_table"));
    EXPECT_FALSE(tableExists(*catalog, "half"));
    EXPECT_EQ(catalog->query("SELECT version FROM schema_migrations", {}), json::parse(R"([{"version": 1}])"));
}

TEST_F(CatalogTest, MalformedMigrationListIsRejected) {
    expectCatalogError(
        [&] {
            openCatalog(file.string(), {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}});
        },
        CDX_E_INVALID_ARGUMENT, {"increasing"});
}

TEST_F(CatalogTest, BoundValuesRoundTripWithTheirTypes) {
    auto catalog = openCatalog(file.string());
    const std::string unicode = "Überraschung 🎬 日本語 ñ.mp4";
    json params = clipParams("c1", unicode, std::int64_t{5'000'000'000});  // beyond 2^31 and 2^32
    catalog->query(kInsertClip, params);
    catalog->query("UPDATE clips SET duration_seconds = :d, user_id = :u, width = :w WHERE id = :id",
                   {{"d", 12.375}, {"u", nullptr}, {"w", true}, {"id", "c1"}});
    const auto row = catalog->query("SELECT * FROM clips WHERE id = :id", {{"id", "c1"}}).at(0);
    EXPECT_TRUE(row["file_size_bytes"].is_number_integer());
    EXPECT_EQ(row["file_size_bytes"].get<std::int64_t>(), 5'000'000'000);
    EXPECT_DOUBLE_EQ(row["duration_seconds"].get<double>(), 12.375);
    EXPECT_EQ(row["file_name"], unicode);
    EXPECT_TRUE(row["user_id"].is_null());
    EXPECT_EQ(row["width"], 1);

    const auto expr = catalog
                          ->query("SELECT :big AS big, :neg AS neg, :f AS f, :s AS s, :n AS n, COUNT(*) AS c",
                                  {{"big", INT64_MAX}, {"neg", -7}, {"f", 0.5}, {"s", "x"}, {"n", nullptr}})
                          .at(0);
    EXPECT_EQ(expr["big"].get<std::int64_t>(), INT64_MAX);
    EXPECT_EQ(expr["neg"], -7);
    EXPECT_EQ(expr["f"], 0.5);
    EXPECT_EQ(expr["s"], "x");
    EXPECT_TRUE(expr["n"].is_null());
    EXPECT_TRUE(expr["c"].is_number_integer());
    EXPECT_EQ(catalog->query("SELECT x'00ff10' AS three, x'ff' AS one", {}),
              json::parse(R"([{"three": "AP8Q", "one": "/w=="}])"));  // blobs as base64
}

TEST_F(CatalogTest, SqlMetacharactersInBoundValuesAreStoredLiterally) {
    auto catalog = openCatalog(file.string());
    const std::string attack = "'; DROP TABLE clips; --";
    catalog->query(kInsertClip, clipParams("c1", attack));
    const auto rows = catalog->query("SELECT id FROM clips WHERE file_name = :name", {{"name", attack}});
    EXPECT_EQ(rows, json::parse(R"([{"id": "c1"}])"));
    EXPECT_TRUE(tableExists(*catalog, "clips"));
    EXPECT_EQ(catalog->query("SELECT ':text' AS t", {}).at(0).at("t"), ":text");  // not a placeholder
}

TEST_F(CatalogTest, UnknownAndMissingParametersAreNamed) {
    auto catalog = openCatalog(file.string());
    json extra = clipParams("c1");
    extra["colour"] = "red";
    expectCatalogError([&] { catalog->query(kInsertClip, extra); }, CDX_E_INVALID_ARGUMENT,
                       {"unknown parameter 'colour'"});
    json missing = clipParams("c1");
    missing.erase("size");
    expectCatalogError([&] { catalog->query(kInsertClip, missing); }, CDX_E_INVALID_ARGUMENT,
                       {"missing parameter 'size'"});
    expectCatalogError([&] { catalog->query("SELECT ? AS x", {}); }, CDX_E_INVALID_ARGUMENT, {":name"});
    EXPECT_EQ(clipCount(*catalog), 0);
}

TEST_F(CatalogTest, BadParameterShapesAreInvalidArguments) {
    auto catalog = openCatalog(file.string());
    expectCatalogError([&] { catalog->query("SELECT 1", json::array({1})); }, CDX_E_INVALID_ARGUMENT, {"object"});
    expectCatalogError([&] { catalog->query("SELECT 1", "x"); }, CDX_E_INVALID_ARGUMENT, {"object"});
    expectCatalogError(
        [&] {
            catalog->query("SELECT :a AS a", {{"a", json::array({1})}});
        },
        CDX_E_INVALID_ARGUMENT, {"parameter 'a' is an array"});
}

TEST_F(CatalogTest, StatementWithoutRowsReturnsEmptyArray) {
    auto catalog = openCatalog(file.string());
    EXPECT_EQ(catalog->query(kInsertClip, clipParams("c1")), json::array());
    EXPECT_EQ(catalog->query("SELECT * FROM clips WHERE id = 'none'", {}), json::array());
}

TEST_F(CatalogTest, SqlErrorsCarrySqliteMessages) {
    auto catalog = openCatalog(file.string());
    expectCatalogError([&] { catalog->query("SELECT * FROM nowhere", {}); }, CDX_E_INVALID_ARGUMENT,
                       {"no such table: nowhere"});
    expectCatalogError([&] { catalog->query("SELECT 1; DROP TABLE clips", {}); }, CDX_E_INVALID_ARGUMENT,
                       {"one SQL statement"});
    expectCatalogError([&] { catalog->query("  /* x */ BEGIN", {}); }, CDX_E_INVALID_ARGUMENT, {"transaction"});
    EXPECT_EQ(catalog->query("SELECT 1 AS one; -- a trailing comment is fine", {}).size(), 1u);
    EXPECT_TRUE(tableExists(*catalog, "clips"));
}

TEST_F(CatalogTest, ConstraintViolationsAreConflicts) {
    auto catalog = openCatalog(file.string());
    catalog->query(kInsertClip, clipParams("c1"));
    expectCatalogError([&] { catalog->query(kInsertClip, clipParams("c1")); }, CDX_E_CONFLICT,
                       {"UNIQUE constraint failed: clips.id"});
    expectCatalogError([&] { catalog->query(kInsertClip, clipParams("c2", "a.mp4", nullptr)); }, CDX_E_CONFLICT,
                       {"NOT NULL constraint failed: clips.file_size_bytes"});
}

TEST_F(CatalogTest, TransactionCommitsAllAndReportsAffectedRows) {
    auto catalog = openCatalog(file.string());
    const auto result =
        catalog->transaction(json::array({{{"sql", kInsertClip}, {"params", clipParams("c1")}},
                                          {{"sql", kInsertClip}, {"params", clipParams("c2")}},
                                          {{"sql", "UPDATE clips SET codec = :codec"}, {"params", {{"codec", "h264"}}}},
                                          {{"sql", "SELECT * FROM clips"}}}));
    EXPECT_EQ(result, json::parse(R"({"affected": [1, 1, 2, 0]})"));
    EXPECT_EQ(clipCount(*catalog), 2);
}

TEST_F(CatalogTest, OnlyChangesToIndexedColumnsRewriteTheFullTextIndex) {
    auto catalog = openCatalog(file.string());
    catalog->query(kInsertClip, clipParams("c1"));
    // Every FTS5 write adds rows to the index's data table; an update that leaves the indexed text alone must not.
    auto indexRows = [&catalog] {
        return catalog->query("SELECT COUNT(*) AS n FROM clips_fts_data", nullptr).at(0).at("n").get<std::int64_t>();
    };
    const auto before = indexRows();
    catalog->query("UPDATE clips SET user_id = 'someone', processed_at = 'later', codec = 'h264'", nullptr);
    EXPECT_EQ(indexRows(), before);
    catalog->query("UPDATE clips SET file_name = 'harbour_sunrise.mp4'", nullptr);
    EXPECT_GT(indexRows(), before);
    const json found = catalog->query("SELECT rowid FROM clips_fts WHERE clips_fts MATCH 'harbour_sunrise'", nullptr);
    EXPECT_EQ(found.size(), 1u) << "the renamed clip is found by its new name";
    EXPECT_TRUE(catalog->query("SELECT rowid FROM clips_fts WHERE clips_fts MATCH 'file_name : clip'", nullptr).empty())
        << "the old name is gone from the index";
}

TEST_F(CatalogTest, TransactionIsAllOrNothing) {
    auto catalog = openCatalog(file.string());
    const json batch = json::array({{{"sql", kInsertClip}, {"params", clipParams("c1")}},
                                    {{"sql", kInsertClip}, {"params", clipParams("c2")}},
                                    {{"sql", kInsertClip}, {"params", clipParams("c1")}}});
    expectCatalogError([&] { catalog->transaction(batch); }, CDX_E_CONFLICT,
                       {"transaction statement 3 of 3", "UNIQUE constraint failed"});
    EXPECT_EQ(clipCount(*catalog), 0);
    catalog->query(kInsertClip, clipParams("c9"));  // the session is usable again, not stuck in a transaction
    EXPECT_EQ(clipCount(*catalog), 1);
}

TEST_F(CatalogTest, MalformedTransactionsTouchNothing) {
    auto catalog = openCatalog(file.string());
    const json insert = {{"sql", kInsertClip}, {"params", clipParams("c1")}};
    expectCatalogError([&] { catalog->transaction({{"sql", "SELECT 1"}}); }, CDX_E_INVALID_ARGUMENT, {"array"});
    expectCatalogError(
        [&] {
            catalog->transaction(json::array({insert, {{"params", json::object()}}}));
        },
        CDX_E_INVALID_ARGUMENT, {"statement 2 of 2", "\"sql\""});
    expectCatalogError(
        [&] {
            catalog->transaction(json::array({insert, {{"sql", "COMMIT"}}}));
        },
        CDX_E_INVALID_ARGUMENT, {"statement 2 of 2", "transaction"});
    EXPECT_EQ(clipCount(*catalog), 0);
}

TEST_F(CatalogTest, ConcurrentQueriesFromSeveralThreads) {
    auto catalog = openCatalog(file.string());
    constexpr int kThreads = 6;  // more than the pool's sessions, so some callers wait for one
    constexpr int kRowsPerThread = 40;
    std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                for (int i = 0; i < kRowsPerThread; i += 2) {
                    const std::string prefix = "t" + std::to_string(t) + "-" + std::to_string(i);
                    catalog->query(kInsertClip, clipParams(prefix + "a"));
                    // Reads before it writes: with a deferred BEGIN this fails with "database is locked".
                    catalog->transaction(json::array({{{"sql", "SELECT COUNT(*) FROM clips"}},
                                                      {{"sql", kInsertClip}, {"params", clipParams(prefix + "b")}}}));
                    clipCount(*catalog);
                }
            } catch (const std::exception& error) {
                std::lock_guard lock(mutex);
                failures.emplace_back(error.what());
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_TRUE(failures.empty()) << failures.front();
    EXPECT_EQ(clipCount(*catalog), kThreads * kRowsPerThread);
}

TEST_F(CatalogTest, UnsupportedLocationsSayWhatToUse) {
    expectCatalogError([] { openCatalog("postgresql://clipdex:s3cret@db.example/clips"); }, CDX_E_UNSUPPORTED,
                       {"PostgreSQL catalogs arrive in a later release; use a SQLite path"});
    try {
        openCatalog("postgresql://clipdex:s3cret@db.example/clips");
    } catch (const CatalogError& error) {
        EXPECT_EQ(std::string(error.what()).find("s3cret"), std::string::npos) << error.what();
    }
    expectCatalogError([] { openCatalog("mysql://localhost/clips"); }, CDX_E_UNSUPPORTED, {"'mysql'", "SQLite"});
    expectCatalogError([] { openCatalog(":memory:"); }, CDX_E_INVALID_ARGUMENT, {"in-memory"});
    expectCatalogError([] { openCatalog(""); }, CDX_E_INVALID_ARGUMENT, {"empty"});
}

TEST_F(CatalogTest, FileThatIsNotADatabaseIsAnIoErrorNamingIt) {
    std::ofstream(file) << "this is not a database, just text that is long enough to fill a header page";
    expectCatalogError([&] { openCatalog(file.string()); }, CDX_E_IO, {file.string(), "not a database"});
    expectCatalogError([&] { openCatalog(dir.path().string()); }, CDX_E_IO, {dir.path().string(), "unable to open"});
}

TEST_F(CatalogTest, TheChangeCounterMovesOnEveryCommitFromAnyConnectionAndOnlyThen) {
    auto catalog = openCatalog(file.string());
    const auto before = catalog->changeCounter();
    ASSERT_TRUE(before.has_value());
    catalog->query("SELECT COUNT(*) AS n FROM clips", nullptr);
    EXPECT_EQ(catalog->changeCounter(), before) << "reads change nothing";

    catalog->query(kInsertClip, clipParams("c1"));
    const auto after_own = catalog->changeCounter();
    EXPECT_NE(after_own, before) << "a commit through the catalog's own pool";

    auto other = openCatalog(file.string());  // another connection set, as another process would have
    other->transaction(json::array({{{"sql", kInsertClip}, {"params", clipParams("c2")}}}));
    const auto after_other = catalog->changeCounter();
    EXPECT_NE(after_other, after_own) << "a commit through another connection";
    EXPECT_EQ(catalog->changeCounter(), after_other);

    // A failed transaction commits nothing.
    EXPECT_THROW(other->transaction(json::array({{{"sql", kInsertClip}, {"params", clipParams("c1")}}})), CatalogError);
    EXPECT_EQ(catalog->changeCounter(), after_other);
}

}  // namespace
}  // namespace clipdex::catalog
