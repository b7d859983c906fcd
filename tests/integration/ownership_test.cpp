// Every clip belongs to its owner (docs/auth/ownership.md), end to end in team mode: three real accounts (the
// first signup is the admin), users A and B each log in on the CLI and ingest with embeddings — both ingest the
// same file, which gives two clips, one per owner — then every clip and search route is called over loopback
// HTTP with each one's Bearer token. B never sees or touches A's clips (A's ids answer 404 CLIP_NOT_FOUND
// exactly like a missing clip), the admin sees both.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "http/http_server.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"
#include "vectors_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::describe;
using clipdex::test::runClipdex;
using Reply = clipdex::test::HttpReply;
namespace vt = clipdex::vectors_test;

const std::string kPassword = "correct horse battery";

class Ownership : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path a_media = home_ / "a" / "media";
        const fs::path b_media = home_ / "b" / "media";
        fs::create_directories(a_media);
        fs::create_directories(b_media);
        vt::makeClip(a_media, {"harbor.mp4", "testsrc2", "libx264",
                               vt::srt("Morning light over the harbor", "Fishermen unload the nets at the pier")});
        vt::makeClip(a_media, {"alpha_forest.mp4", "smptebars", "libx264",
                               vt::srt("Wind moves through the pine forest", "A deer walks to the harbor")});
        vt::makeClip(b_media, {"beta_concert.mp4", "mandelbrot", "libx264",
                               vt::srt("The crowd cheers at the harbor", "Drums and guitars on stage")});
        if (HasFatalFailure()) return;
        fs::copy_file(a_media / "harbor.mp4", b_media / "harbor.mp4");  // the same file: one clip per owner

        for (const char* who : {"admin", "a", "b"}) signup(who);
        ingestAs("a", a_media);
        ingestAs("b", b_media);
        if (HasFatalFailure()) return;

        // The in-process host shares the CLI's catalog, XDG directories (vector index) and team mode.
        for (const auto& [name, dir] :
             std::map<std::string, std::string>{{"XDG_STATE_HOME", "state"}, {"XDG_DATA_HOME", "data"}})
            ::setenv(name.c_str(), (home_ / dir).c_str(), 1);
        ::setenv("CLIPDEX_AUTH_MODE", "team", 1);
        // exact_below 1: vector searches take the shared HNSW graph and filter its candidates by owner (the
        // exact scan of a small catalog would hide a missing filter there).
        const fs::path config = home_ / "server-config.json";
        std::ofstream(config) << R"({"plugins": {"clipdex.vectors": {"index": {"exact_below": 1}}}})";
        runtime_ = clipdex::test::bundledRuntime(home_ / "data" / "clipdex" / "catalog.db", {}, config);
        ::unsetenv("CLIPDEX_AUTH_MODE");
        clipdex::http::ServerOptions options = clipdex::test::identifiedServerOptions(*runtime_);
        options.file_roots = {home_ / "data" / "clipdex"};  // the thumbnails live there
        server_ = std::make_unique<clipdex::http::HttpServer>(runtime_->registry().commands(), options);
        server_->start();
        for (const char* who : {"admin", "a", "b"}) token_[who] = login(who);

        for (const json& row : runtime_->catalog().query(
                 "SELECT c.id, c.file_name, u.email FROM clips c JOIN users u ON u.id = c.user_id", json::object()))
            clips_[row["email"].get<std::string>().substr(0, row["email"].get<std::string>().find('@')) + "/" +
                   row["file_name"].get<std::string>()] = row["id"].get<std::string>();
        ASSERT_EQ(clips_.size(), 4U) << "harbor.mp4 twice (one per owner), alpha_forest.mp4, beta_concert.mp4";
        // Every clip has an analysis row, so the analysis routes answer 200 for a visible clip.
        for (const auto& [name, id] : clips_)
            runtime_->catalog().query(
                "INSERT INTO analysis (clip_id, provider, model, analysis, created_at) "
                "VALUES (:id, 'test', 'm1', '{\"summary\": \"x\"}', '2026-01-01T00:00:00Z')",
                {{"id", id}});
    }

    void TearDown() override {
        if (server_) server_->stop();
    }

    static std::string email(const std::string& who) { return who + "@example.com"; }

    std::map<std::string, std::string> cliEnv(const std::string& who) const {
        return {{"CLIPDEX_AUTH_MODE", "team"}, {"XDG_CONFIG_HOME", (home_ / (who + "-config")).string()}};
    }

    void signup(const std::string& who) {
        const auto run = runClipdex(home_, {"auth", "signup", "--email", email(who), "--password-stdin"},
                                    kPassword + "\n", cliEnv(who));
        ASSERT_EQ(run.exit_code, 0) << describe(run);
    }

    /// `clipdex ingest` as the user logged in on the CLI (their own session file).
    void ingestAs(const std::string& who, const fs::path& media) {
        const auto login = runClipdex(home_, {"auth", "login", "--email", email(who), "--password-stdin"},
                                      kPassword + "\n", cliEnv(who));
        ASSERT_EQ(login.exit_code, 0) << describe(login);
        const auto run =
            runClipdex(home_, {"ingest", media.string(), "--generate-embeddings", "--format", "json"}, "", cliEnv(who));
        ASSERT_EQ(run.exit_code, 0) << describe(run);
    }

    std::string login(const std::string& who) {
        const Reply reply = clipdex::test::httpRequest(server_->port(), "POST", "/api/auth/login",
                                                       {{"email", email(who)}, {"password", kPassword}});
        for (const std::string& cookie : reply.cookies)
            if (cookie.rfind("clipdex_session=", 0) == 0) return cookie.substr(16, cookie.find(';') - 16);
        ADD_FAILURE() << "no session for " << who << ": " << reply.text;
        return {};
    }

    Reply as(const std::string& who, const std::string& method, const std::string& path, const json& body = nullptr) {
        return clipdex::test::httpRequest(server_->port(), method, path, body,
                                          {{"Authorization", "Bearer " + token_.at(who)}});
    }

    /// The clip ids of a listing or search answer (top-level `results`).
    static std::set<std::string> ids(const Reply& reply) {
        std::set<std::string> out;
        for (const json& row : reply.body.value("results", json::array())) out.insert(row.at("id").get<std::string>());
        return out;
    }

    std::set<std::string> idsOf(const std::string& owner) const {
        std::set<std::string> out;
        for (const auto& [name, id] : clips_)
            if (name.rfind(owner + "/", 0) == 0) out.insert(id);
        return out;
    }

    static void expectMissing(const Reply& reply, const std::string& what) {
        EXPECT_EQ(reply.status, 404) << what << ": " << reply.text;
        EXPECT_EQ(reply.body.value("code", ""), "CLIP_NOT_FOUND") << what << ": " << reply.text;
    }

    clipdex::test::TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::unique_ptr<clipdex::http::HttpServer> server_;
    std::map<std::string, std::string> token_;
    std::map<std::string, std::string> clips_;  // "<a|b>/<file name>" -> clip id
};

TEST_F(Ownership, TheSameFileGivesOneClipPerOwnerAndListingsAndStatsAreScoped) {
    EXPECT_NE(clips_.at("a/harbor.mp4"), clips_.at("b/harbor.mp4"));
    for (const char* path : {"/api/clips?limit=100", "/api/search/recent?limit=100"}) {
        EXPECT_EQ(ids(as("a", "GET", path)), idsOf("a")) << path;
        EXPECT_EQ(ids(as("b", "GET", path)), idsOf("b")) << path;
        const Reply all = as("admin", "GET", path);
        EXPECT_EQ(ids(all).size(), 4U) << path << ": " << all.text;
        EXPECT_EQ(as("b", "GET", path).body["total"], 2) << path;
    }
    for (const char* path : {"/api/stats", "/api/search/stats"}) {
        const Reply b = as("b", "GET", path);
        ASSERT_EQ(b.status, 200) << b.text;
        EXPECT_EQ(b.body["total_videos"], 2) << path;
        EXPECT_EQ(b.body["data"]["stats"]["total_clips"], 2) << path;
        EXPECT_EQ(b.body["clips_with_transcripts"], 2) << path;
        EXPECT_EQ(b.body["data"]["stats"]["clips_with_embeddings"], 2) << path;
        EXPECT_EQ(as("admin", "GET", path).body["total_videos"], 4) << path;
    }
    // A principal that is neither an admin nor an account (an anonymous call reaching a plugin) sees nothing.
    for (auto* command : runtime_->registry().commands()) {
        if (command->decl().id != "clip-list") continue;
        clipdex::Invocation call;
        call.args = json::object();
        call.principal_json = R"({"id": "anonymous", "role": "anonymous"})";
        const clipdex::Outcome outcome = command->run(call);
        ASSERT_TRUE(outcome.ok()) << outcome.message;
        EXPECT_EQ(outcome.result["total"], 0);
    }
}

TEST_F(Ownership, SearchesOfEveryTypeFindOnlyTheCallersClips) {
    // Every clip mentions the harbor; B must only get B's.
    for (const char* type : {"fulltext", "transcripts", "semantic", "hybrid"}) {
        const std::string path = std::string("/api/search?q=harbor&limit=50&type=") + type;
        const Reply b = as("b", "GET", path);
        ASSERT_EQ(b.status, 200) << type << ": " << b.text;
        EXPECT_FALSE(ids(b).empty()) << type;
        for (const std::string& id : ids(b)) EXPECT_TRUE(idsOf("b").count(id)) << type << " leaked " << id;
        EXPECT_LE(b.body["total"].get<int>(), 2) << type;
        const Reply admin = as("admin", "GET", path);
        EXPECT_GT(ids(admin).size(), ids(b).size()) << type << ": " << admin.text;
    }

    // Similar: A's copy of the same file is the nearest neighbour of B's, but B never gets it.
    const std::string b_harbor = clips_.at("b/harbor.mp4");
    for (const char* route : {"/api/search/similar", "/api/similar"}) {
        const std::string path = std::string(route) + "?clip_id=" + b_harbor + "&limit=10&threshold=0";
        const Reply b = as("b", "GET", path);
        ASSERT_EQ(b.status, 200) << b.text;
        for (const std::string& id : ids(b))
            EXPECT_TRUE(idsOf("b").count(id) && id != b_harbor) << route << " leaked " << id << ": " << b.text;
        const Reply admin = as("admin", "GET", path);
        ASSERT_FALSE(admin.body["results"].empty()) << admin.text;
        EXPECT_EQ(admin.body["results"][0]["id"], clips_.at("a/harbor.mp4")) << "the identical copy ranks first";
        expectMissing(as("b", "GET", std::string(route) + "?clip_id=" + clips_.at("a/harbor.mp4")), route);
    }

    // Re-embedding covers the caller's own clips; the admin's covers all.
    const Reply b_reembed = as("b", "POST", "/api/search/reembed", {{"force", true}, {"visual", false}});
    ASSERT_EQ(b_reembed.status, 200) << b_reembed.text;
    EXPECT_EQ(b_reembed.body["data"]["clips_to_embed"], 2);
    const Reply admin_reembed = as("admin", "POST", "/api/search/reembed", {{"force", true}, {"visual", false}});
    EXPECT_EQ(admin_reembed.body["data"]["clips_to_embed"], 4) << admin_reembed.text;
}

TEST_F(Ownership, AnotherOwnersClipAnswersExactlyLikeAMissingOne) {
    const std::string a_harbor = clips_.at("a/harbor.mp4");
    const std::string b_harbor = clips_.at("b/harbor.mp4");
    const std::string missing = "00000000-0000-4000-8000-000000000000";
    const std::vector<std::string> routes = {
        "/api/clips/{id}",      "/api/clips/{id}?include=transcript", "/api/clips/{id}/transcript",
        "/api/transcript/{id}", "/api/clips/{id}/analysis",           "/api/analysis/{id}",
        "/api/thumbnail/{id}",  "/api/clips/{id}/thumbnails/0"};
    auto route = [](std::string path, const std::string& id) { return path.replace(path.find("{id}"), 4, id); };
    for (const std::string& path : routes) {
        const Reply foreign = as("b", "GET", route(path, a_harbor));
        expectMissing(foreign, "B on A's clip: " + path);
        const Reply absent = as("b", "GET", route(path, missing));
        auto shape = [](std::string message, const std::string& id) {
            const auto at = message.find(id);
            return at == std::string::npos ? message : message.replace(at, id.size(), "<id>");
        };
        EXPECT_EQ(shape(foreign.body.value("error", ""), a_harbor), shape(absent.body.value("error", ""), missing))
            << "an existing foreign clip and a missing one must be indistinguishable: " << path;
        EXPECT_EQ(as("b", "GET", route(path, b_harbor)).status, 200) << "B on B's clip: " << path;
        EXPECT_EQ(as("admin", "GET", route(path, a_harbor)).status, 200) << "admin on A's clip: " << path;
    }
    // A prefix of A's id does not resolve for B either.
    expectMissing(as("b", "GET", "/api/clips/" + a_harbor.substr(0, 12)), "prefix");

    expectMissing(as("b", "DELETE", "/api/clips/" + a_harbor), "B deleting A's clip");
    EXPECT_EQ(as("a", "GET", "/api/clips/" + a_harbor).status, 200) << "still there";

    // B deletes B's copy: A's clip of the same file keeps its thumbnails (the folder is keyed by checksum).
    const Reply deleted = as("b", "DELETE", "/api/clips/" + b_harbor);
    ASSERT_EQ(deleted.status, 200) << deleted.text;
    EXPECT_EQ(deleted.body["success"], true);
    EXPECT_TRUE(deleted.body["data"]["deleted"]["thumbnails_removed"].is_null()) << deleted.text;
    EXPECT_EQ(as("a", "GET", "/api/thumbnail/" + a_harbor).status, 200);
    expectMissing(as("b", "GET", "/api/clips/" + b_harbor), "deleted");
    EXPECT_EQ(as("admin", "GET", "/api/clips?limit=100").body["total"], 3);
}

}  // namespace
