// Re-embedding as a background job: after the embedding model changes, POST /api/jobs/reembed queues a durable
// job that fills the new vector space while the old one stays untouched, and semantic search then answers from
// the new model. A real `clipdex serve` child process over generated clips.
#include <gtest/gtest.h>

#include <fstream>

#include "catalog/catalog.hpp"
#include "jobs_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::runClipdex;
using clipdex::test::TempDir;
using clipdex::test::jobs::makeClips;
using clipdex::test::jobs::pollUntil;
using clipdex::test::jobs::ServeProcess;

constexpr int kClips = 3;

/// Summary-text vectors per model in the catalog of `home`.
std::map<std::string, int> vectorsPerModel(const TempDir& home) {
    std::map<std::string, int> counts;
    const auto catalog = clipdex::catalog::openCatalog((home / "data" / "clipdex" / "catalog.db").string());
    for (const json& row : catalog->query(
             "SELECT model, COUNT(*) AS n FROM clip_embeddings WHERE kind = 'summary' GROUP BY model", json::object()))
        counts[row["model"].get<std::string>()] = static_cast<int>(row["n"].get<std::int64_t>());
    return counts;
}

/// Submits a re-embed job and waits for it to end; returns its final detail.
json reembed(const ServeProcess& server) {
    const auto submitted = server.request("POST", "/api/jobs/reembed", json::object());
    EXPECT_EQ(submitted.status, 202) << submitted.text;
    const json data = submitted.body.is_object() ? submitted.body.value("data", json::object()) : json::object();
    const std::string id = data.is_object() ? data.value("job_id", "") : "";
    if (id.empty()) {
        ADD_FAILURE() << "no job id: " << submitted.text;
        return json::object();
    }
    json detail;
    const bool ended = pollUntil(server, "/api/jobs/" + id, [&detail](const json& body) {
        detail = body["data"];
        const std::string status = detail.value("status", "");
        return status == "completed" || status == "failed" || status == "cancelled";
    });
    EXPECT_TRUE(ended) << "the re-embed job never ended: " << detail.dump();
    return detail;
}

TEST(JobsReembed, AModelChangeIsReembeddedInTheBackgroundWithoutMixingSpaces) {
    TempDir home;
    makeClips(home / "footage", kClips);
    const auto ingested = runClipdex(home, {"ingest", (home / "footage").string(), "--generate-embeddings"});
    ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
    const auto before = vectorsPerModel(home);
    ASSERT_EQ(before.size(), 1u) << "one model so far";
    const std::string old_model = before.begin()->first;
    EXPECT_EQ(before.begin()->second, kClips);

    // The model changes: local-text at 1024 dimensions is another vector space.
    fs::create_directories(home / "config" / "clipdex");
    std::ofstream(home / "config" / "clipdex" / "config.json")
        << R"({"plugins": {"clipdex.embedders": {"local_text": {"dimension": 1024}}}})";
    ServeProcess server(home);
    ASSERT_TRUE(server.start());
    const auto stale = server.request("GET", "/api/search?q=clip&type=semantic");
    EXPECT_NE(stale.status, 200) << "no vectors of the new model yet: " << stale.text;

    const json detail = reembed(server);
    EXPECT_EQ(detail.value("status", ""), "completed") << detail.dump();
    ASSERT_TRUE(detail["files"].is_array() && detail["files"].size() == 1) << detail.dump();
    EXPECT_EQ(detail["files"][0]["status"], "completed") << detail.dump();

    const auto after = vectorsPerModel(home);
    ASSERT_EQ(after.size(), 2u) << "the old space is kept, the new one filled";
    EXPECT_EQ(after.at(old_model), kClips) << "the old space is not touched";
    for (const auto& [model, count] : after)
        if (model != old_model) {
            EXPECT_NE(model.find("1024"), std::string::npos) << model;
            EXPECT_EQ(count, kClips) << model;
        }
    const auto semantic = server.request("GET", "/api/search?q=clip&type=semantic");
    ASSERT_EQ(semantic.status, 200) << semantic.text;
    EXPECT_EQ(semantic.body["results"].size(), static_cast<std::size_t>(kClips)) << semantic.text;

    // Nothing is left to embed: a second run completes and adds no vectors.
    EXPECT_EQ(reembed(server).value("status", ""), "completed");
    EXPECT_EQ(vectorsPerModel(home), after);
}

TEST(JobsReembed, BadArgumentsAreRefusedAndAnEmptyCatalogCompletes) {
    TempDir home;
    ServeProcess server(home);
    ASSERT_TRUE(server.start());
    const auto bad = server.request("POST", "/api/jobs/reembed", json{{"limit", "many"}});
    EXPECT_EQ(bad.status, 400) << bad.text;
    EXPECT_EQ(bad.body.value("field", ""), "limit") << bad.text;
    const json detail = reembed(server);  // an empty catalog: nothing to embed, still completes
    EXPECT_EQ(detail.value("status", ""), "completed") << detail.dump();
    EXPECT_EQ(detail.value("kind", ""), "command") << detail.dump();
}

}  // namespace
