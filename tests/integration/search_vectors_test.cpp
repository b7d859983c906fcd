// clipdex.vectors end to end: ingest with --generate-embeddings (real local-text / local-visual providers),
// then the semantic, hybrid and similar backends through the host's dispatch, the persisted index, deletions
// and a model change.
#include <atomic>
#include <cmath>
#include <thread>

#include "vectors_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::vectors_test::VectorsCatalog;
namespace fs = std::filesystem;

constexpr const char* kTextModel = "clipdex-hash-ngram-v1-384";

TEST_F(VectorsCatalog, IngestStoresSummaryKeywordAndVisualVectorsPerClip) {
    const json rows =
        sql("SELECT c.file_name, e.kind, e.model, e.dimension, e.vector, e.source_text FROM "
            "clip_embeddings e JOIN clips c ON c.id = e.clip_id ORDER BY c.file_name, e.kind");
    std::map<std::string, std::map<std::string, json>> by_clip;
    for (const json& row : rows) by_clip[row["file_name"]][row["kind"]] = row;
    ASSERT_EQ(by_clip.size(), 6U) << rows.dump();
    for (const auto& [file, kinds] : by_clip) {
        SCOPED_TRACE(file);
        ASSERT_EQ(kinds.count("summary"), 1U);
        ASSERT_EQ(kinds.count("keyword"), 1U);
        EXPECT_EQ(kinds.at("summary")["model"], kTextModel);
        EXPECT_EQ(kinds.at("summary")["dimension"], 384);
        EXPECT_EQ(kinds.count("visual"), 1U) << "every clip has thumbnails";
    }
    const std::string summary = by_clip["harbor.mp4"]["summary"]["source_text"];
    EXPECT_NE(summary.find("harbor. "), std::string::npos) << summary;
    EXPECT_NE(summary.find("Fishermen unload the nets at the pier"), std::string::npos) << summary;
    const std::string keyword = by_clip["harbor_again.mkv"]["keyword"]["source_text"];
    EXPECT_NE(keyword.find("mpeg4"), std::string::npos) << keyword;
    EXPECT_NE(keyword.find("160x90"), std::string::npos) << keyword;
    // base64 of 384 float32 = 1536 bytes → 2048 characters; the step stores unit vectors.
    EXPECT_EQ(by_clip["forest.mp4"]["summary"]["vector"].get<std::string>().size(), 2048U);
}

TEST_F(VectorsCatalog, TheStepReportsItsOutputsAndTruncatesToTheConfiguredBudget) {
    const json inputs{{"file", {{"path", (home_ / "media/harbor.mp4").string()}, {"name", "harbor.mp4"}}},
                      {"data_dir", (home_ / "data").string()},
                      {"options", json::object()},
                      {"steps", {{"database_storage_step", {{"clip_id", id("harbor.mp4")}}}}}};
    const auto outcome = clipdex::test::runStep(*runtime_, "generate_embeddings_step",
                                                {{"truncate_chars", 60}, {"visual", false}}, inputs);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    const json& out = outcome.result;
    EXPECT_EQ(out["embeddings_generated"], true);
    EXPECT_EQ(out["clip_id"], id("harbor.mp4"));
    EXPECT_EQ(out["model"], kTextModel);
    EXPECT_EQ(out["dimension"], 384);
    EXPECT_EQ(out["truncation_applied"], true);
    EXPECT_EQ(out["thumbnail_embeddings_count"], 0) << "visual off in this run";
    EXPECT_EQ(out["token_unit"], "words");
    const json rows = sql("SELECT kind, source_text FROM clip_embeddings WHERE clip_id = :id ORDER BY kind",
                          {{"id", id("harbor.mp4")}});
    ASSERT_EQ(rows.size(), 3U) << "summary and keyword replaced, the visual row kept: " << rows.dump();
    const std::string summary = rows[1]["source_text"];
    EXPECT_LE(summary.size(), 60U);
    EXPECT_EQ(summary.substr(summary.size() - 3), "...");
    EXPECT_EQ(out["summary_tokens"], std::count(summary.begin(), summary.end(), ' ') + 1);
    const auto missing = clipdex::test::runStep(*runtime_, "generate_embeddings_step", json::object(),
                                                {{"steps", {{"database_storage_step", json::object()}}}});
    EXPECT_EQ(missing.status, CDX_E_INVALID_ARGUMENT);
}

TEST_F(VectorsCatalog, SimilarRanksTheReencodedCopyFirstInEveryMode) {
    for (const char* mode : {"text", "visual", "combined"}) {
        SCOPED_TRACE(mode);
        const json answer = search("similar", {{"clip_id", id("harbor.mp4")}, {"mode", mode}, {"threshold", 0.0}});
        const auto files = names(answer["hits"]);
        ASSERT_FALSE(files.empty()) << answer.dump();
        EXPECT_EQ(files.front(), "harbor_again.mkv") << answer.dump();
        EXPECT_EQ(std::count(files.begin(), files.end(), "harbor.mp4"), 0) << "the source is excluded";
        EXPECT_LE(files.size(), 5U) << "limit defaults to 5";
        const json& best = answer["hits"][0];
        EXPECT_GT(best["similarity_score"].get<double>(), answer["hits"][1]["similarity_score"].get<double>());
        EXPECT_EQ(best["id"], id("harbor_again.mkv"));
        for (const char* field : {"local_path", "duration_seconds", "content_tags", "processed_at", "width", "codec"})
            EXPECT_TRUE(best.contains(field)) << field;
        EXPECT_EQ(answer["summary"]["mode"], mode);
    }
    // A prefix works; the default threshold keeps the near-duplicate and drops unrelated clips.
    const json text = search("similar", {{"clip_id", id("kitchen.mp4").substr(0, 8)}, {"limit", 3}});
    EXPECT_EQ(text["summary"]["clip_id"], id("kitchen.mp4"));
    const json strict = search("similar", {{"clip_id", id("harbor.mp4")}, {"threshold", 0.95}, {"mode", "visual"}});
    EXPECT_EQ(names(strict["hits"]), std::vector<std::string>{"harbor_again.mkv"}) << strict.dump();
}

TEST_F(VectorsCatalog, SimilarWithoutEmbeddingsFailsCleanlyNamingTheFix) {
    runtime_->catalog().transaction(
        {{{"sql", "DELETE FROM clip_embeddings WHERE clip_id = :id"}, {"params", {{"id", id("forest.mp4")}}}}});
    const auto outcome = backend("similar", {{"clip_id", id("forest.mp4")}});
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.status, CDX_E_UNAVAILABLE);
    EXPECT_NE(outcome.message.find("--generate-embeddings"), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("clipdex search reembed"), std::string::npos) << outcome.message;
    EXPECT_EQ(backend("similar", {{"clip_id", "ffffffff-ffff"}}).status, CDX_E_NOT_FOUND);
    EXPECT_EQ(backend("similar", {{"clip_id", id("harbor.mp4")}, {"mode", "sideways"}}).status, CDX_E_INVALID_ARGUMENT);
}

TEST_F(VectorsCatalog, SemanticFindsTheClipWhoseTranscriptMatches) {
    const json answer = search("semantic", {{"q", "simmer tomato sauce with onions and garlic"}, {"limit", 3}});
    ASSERT_FALSE(answer["hits"].empty()) << answer.dump();
    const json& best = answer["hits"][0];
    EXPECT_EQ(best["file_name"], "kitchen.mp4") << answer.dump();
    const double combined =
        best["summary_similarity"].get<double>() * 1.0 + best["keyword_similarity"].get<double>() * 0.8;
    EXPECT_NEAR(best["combined_similarity"].get<double>(), combined, 1e-6);
    EXPECT_EQ(best["score"], best["combined_similarity"]);
    EXPECT_TRUE(best["content_tags"].is_array());
    EXPECT_EQ(answer["summary"]["model"], kTextModel);
    for (const json& hit : answer["hits"])
        EXPECT_GE(hit["summary_similarity"].get<double>(), answer["summary"]["threshold"].get<double>());

    const json pier = search("semantic", {{"q", "fishermen at the pier"}, {"limit", 2}});
    auto files = names(pier["hits"]);
    std::sort(files.begin(), files.end());
    EXPECT_EQ(files, (std::vector<std::string>{"harbor.mp4", "harbor_again.mkv"})) << pier.dump();

    // Filters narrow the candidates: only the mpeg4 copy is left.
    const json filtered = search("semantic", {{"q", "fishermen at the pier"}, {"filters", {{"codec", "mpeg4"}}}});
    EXPECT_EQ(names(filtered["hits"]), std::vector<std::string>{"harbor_again.mkv"}) << filtered.dump();
    EXPECT_EQ(backend("semantic", {{"q", "  "}}).status, CDX_E_INVALID_ARGUMENT);
}

TEST_F(VectorsCatalog, HybridExplainsEachHitWithMatchTypeAndPerListRanks) {
    const json answer = search("hybrid", {{"q", "harbor pier fishermen"}, {"limit", 4}});
    const json& hits = answer["hits"];
    ASSERT_FALSE(hits.empty()) << answer.dump();
    const json& summary = answer["summary"];
    EXPECT_EQ(summary["rrf_k"], 50.0);
    const double k = 50, w_ft = 2.5, w_sum = 1.0, w_kw = 0.8;
    const bool fulltext = !summary.contains("unavailable") || !summary["unavailable"].contains("fulltext");
    for (const json& hit : hits) {
        SCOPED_TRACE(hit.dump());
        double expected = 0;
        const json& lists = hit["lists"];
        if (lists.contains("fulltext")) expected += w_ft / (k + lists["fulltext"]["rank"].get<int>());
        if (lists.contains("summary")) expected += w_sum / (k + lists["summary"]["rank"].get<int>());
        if (lists.contains("keyword")) expected += w_kw / (k + lists["keyword"]["rank"].get<int>());
        EXPECT_NEAR(hit["search_rank"].get<double>(), expected, 1e-12);
        const bool in_vector = lists.contains("summary") || lists.contains("keyword");
        EXPECT_EQ(hit["match_type"], lists.contains("fulltext") ? (in_vector ? "hybrid" : "fulltext") : "semantic");
        EXPECT_EQ(hit["similarity_score"], lists.contains("summary") ? lists["summary"]["score"] : json(0.0));
    }
    auto top = names(hits);
    top.resize(std::min<std::size_t>(top.size(), 2));
    std::sort(top.begin(), top.end());
    EXPECT_EQ(top, (std::vector<std::string>{"harbor.mp4", "harbor_again.mkv"})) << answer.dump();
    if (fulltext) {
        EXPECT_EQ(hits[0]["match_type"], "hybrid") << answer.dump();
        EXPECT_EQ(hits[0]["lists"]["fulltext"]["rank"].get<int>() <= 2, true);
    }
    // Weights from the query change the fusion.
    const json keyword_only = search(
        "hybrid", {{"q", "harbor pier fishermen"}, {"weights", {{"fulltext", 0}, {"summary", 0}, {"keyword", 1}}}});
    EXPECT_EQ(keyword_only["summary"]["weights"]["keyword"], 1.0);
}

TEST_F(VectorsCatalog, HybridFusesWhatIsAvailableWhenFullTextIsNotInstalled) {
    // The bundled plugins without clipdex.search (and, second, without clipdex.embedders).
    auto runtimeWithout = [&](const std::string& skipped) {
        const fs::path dir = home_ / ("plugins-without-" + skipped);
        fs::create_directories(dir);
        for (const auto& entry : fs::directory_iterator(clipdex::test::requiredEnv("CLIPDEX_BUNDLED_PLUGINS")))
            if (entry.path().filename().string().rfind(skipped, 0) != 0)
                fs::create_symlink(entry.path(), dir / entry.path().filename());
        clipdex::RuntimeOptions options;
        options.plugin_dirs = {dir};
        options.load_bundled_plugins = false;
        options.load_env_plugins = false;
        options.catalog = catalogPath().string();
        runtime_.reset();
        runtime_ = std::make_unique<clipdex::Runtime>(options);
    };
    runtimeWithout("clipdex-search");
    const json answer = search("hybrid", {{"q", "fishermen at the pier"}});
    ASSERT_FALSE(answer["hits"].empty()) << answer.dump();
    EXPECT_TRUE(answer["summary"]["unavailable"].contains("fulltext")) << answer["summary"].dump();
    for (const json& hit : answer["hits"]) {
        EXPECT_EQ(hit["match_type"], "semantic");
        EXPECT_FALSE(hit["lists"].contains("fulltext"));
    }
    runtimeWithout("clipdex-embedders");
    const auto semantic = backend("semantic", {{"q", "harbor"}});
    EXPECT_EQ(semantic.status, CDX_E_UNSUPPORTED) << semantic.message;
    EXPECT_NE(semantic.message.find("local-text"), std::string::npos) << semantic.message;
    const json fulltext_only = search("hybrid", {{"q", "harbor"}});
    EXPECT_TRUE(fulltext_only["summary"]["unavailable"].contains("vectors")) << fulltext_only["summary"].dump();
    EXPECT_FALSE(fulltext_only["hits"].empty());
    // Similar needs no provider: it uses the stored vectors.
    EXPECT_EQ(names(search("similar", {{"clip_id", id("harbor.mp4")}})["hits"]).front(), "harbor_again.mkv");
}

TEST_F(VectorsCatalog, TheIndexIsSavedReusedAndFollowsDeletions) {
    json first = search("similar", {{"clip_id", id("harbor.mp4")}, {"threshold", 0.0}, {"mode", "combined"}});
    ASSERT_FALSE(first["summary"]["index"].empty());
    EXPECT_EQ(first["summary"]["index"][0]["source"], "built");
    EXPECT_EQ(first["summary"]["index"][0]["size"], 6);
    int sidecars = 0;
    for (const auto& entry : fs::recursive_directory_iterator(indexDir()))
        sidecars += entry.path().extension() == ".json";
    EXPECT_EQ(sidecars, 3) << "summary, keyword and visual spaces";

    openRuntime();  // a second process: loads the saved graph instead of rebuilding it
    json second = search("similar", {{"clip_id", id("harbor.mp4")}, {"threshold", 0.0}, {"mode", "combined"}});
    EXPECT_EQ(second["summary"]["index"][0]["source"], "disk") << second.dump();
    for (const json& space : second["summary"]["index"]) {  // reused as saved, in every build type
        EXPECT_EQ(space["added"], 0) << second["summary"].dump();
        EXPECT_EQ(space["removed"], 0) << second["summary"].dump();
    }
    EXPECT_EQ(names(second["hits"]), names(first["hits"]));

    // Deleting a clip (its vectors cascade) removes it from results, in this process and the next.
    runtime_->catalog().transaction(
        {{{"sql", "DELETE FROM clips WHERE id = :id"}, {"params", {{"id", id("harbor_again.mkv")}}}}});
    json after = search("similar", {{"clip_id", id("harbor.mp4")}, {"threshold", 0.0}});
    auto files = names(after["hits"]);
    EXPECT_EQ(std::count(files.begin(), files.end(), "harbor_again.mkv"), 0) << after.dump();
    EXPECT_EQ(files.size(), 4U);
    json later = search("semantic", {{"q", "fishermen at the pier"}});
    files = names(later["hits"]);
    EXPECT_EQ(std::count(files.begin(), files.end(), "harbor_again.mkv"), 0) << later.dump();
    openRuntime();
    json third = search("similar", {{"clip_id", id("harbor.mp4")}, {"threshold", 0.0}});
    EXPECT_EQ(third["summary"]["index"][0]["size"], 5) << third.dump();
    EXPECT_EQ(names(third["hits"]).size(), 4U);
}

TEST_F(VectorsCatalog, ConcurrentQueriesWhileTheIndexLoadsAgreeWithASerialRun) {
    const json expected = search("similar", {{"clip_id", id("kitchen.mp4")}, {"threshold", 0.0}});
    openRuntime();  // every thread races to load the saved spaces
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                const json query = t % 2 ? json{{"q", "fishermen at the pier"}}
                                         : json{{"clip_id", id("kitchen.mp4")}, {"threshold", 0.0}};
                const auto outcome = backend(t % 2 ? "semantic" : "similar", query);
                if (!outcome.ok() || (t % 2 == 0 && names(outcome.result["hits"]) != names(expected["hits"])))
                    ++failures;
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
}

TEST_F(VectorsCatalog, AModelChangeIsUnavailableUntilReembedFillsTheNewSpace) {
    // Another vector space: the same provider at 1024 dimensions is a different model id.
    fs::create_directories(home_ / "config/clipdex");
    std::ofstream(home_ / "config/clipdex/config.json")
        << json{{"plugins", {{"clipdex.embedders", {{"local_text", {{"dimension", 1024}}}}}}}}.dump();
    openRuntime();
    const auto before = backend("semantic", {{"q", "harbor"}});
    if (before.ok())
        GTEST_SKIP() << "the config file did not switch the local-text dimension: " << before.result.dump();
    EXPECT_EQ(before.status, CDX_E_UNAVAILABLE);
    EXPECT_NE(before.message.find("clipdex search reembed"), std::string::npos) << before.message;
    EXPECT_NE(before.message.find(kTextModel), std::string::npos) << "names the model it has: " << before.message;

    clipdex::Outcome reembed;
    for (auto* command : runtime_->registry().commands())
        if (command->decl().id == "search-reembed") {
            clipdex::Invocation call;
            call.args = {{"batch_size", 4}, {"force", false}, {"visual", false}, {"limit", 0}};
            reembed = command->run(call);
        }
    ASSERT_TRUE(reembed.ok()) << reembed.message;
    EXPECT_EQ(reembed.result["embedded"], 6);
    EXPECT_EQ(reembed.result["dimension"], 1024);
    const json answer = search("semantic", {{"q", "fishermen at the pier"}});
    ASSERT_FALSE(answer["hits"].empty()) << answer.dump();
    EXPECT_NE(answer["summary"]["model"], kTextModel);
    // Nothing left to do the second time.
    for (auto* command : runtime_->registry().commands())
        if (command->decl().id == "search-reembed") {
            clipdex::Invocation call;
            call.args = {{"batch_size", 4}, {"force", false}, {"visual", false}, {"limit", 0}};
            EXPECT_EQ(command->run(call).result["embedded"], 0);
        }
}

}  // namespace
