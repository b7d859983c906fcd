// `clip show` and `search recent` of the library plugin: in-process through the registry's commands,
// and through the real binary for argument validation and exit codes.
#include <gtest/gtest.h>

#include <fstream>

#include "core/status.hpp"
#include "loader/plugin_step.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
using clipdex::test::TempDir;
namespace fs = std::filesystem;

class LibraryCommands : public ::testing::Test {
protected:
    void SetUp() override {
        runtime_ = clipdex::test::bundledRuntime(catalogPath());
        // Three clips with known order on each sort column.
        insert("11111111-aaaa-4aaa-8aaa-000000000001", "b.mov", 30.0, "2026-01-02T00:00:00.000000Z");
        insert("22222222-bbbb-4bbb-8bbb-000000000002", "a.mov", 10.0, "2026-01-03T00:00:00.000000Z");
        insert("22222222-cccc-4ccc-8ccc-000000000003", "c.mov", 20.0, "2026-01-01T00:00:00.000000Z");
    }
    fs::path catalogPath() const { return home_ / "c.db"; }

    void insert(const std::string& id, const std::string& name, double duration, const std::string& at) {
        runtime_->catalog().query(
            "INSERT INTO clips (id, file_path, local_path, file_name, file_checksum, file_size_bytes, "
            "duration_seconds, processed_at, updated_at, width, height, codec, audio_tracks) "
            "VALUES (:id, :path, :path, :name, :id, 1000, :d, :at, :at, 1920, 1080, 'h264', '[{\"channels\":2}]')",
            {{"id", id}, {"path", "/footage/" + name}, {"name", name}, {"d", duration}, {"at", at}});
    }

    clipdex::Outcome command(const std::string& id, json args) {
        for (auto* candidate : runtime_->registry().commands()) {
            if (candidate->decl().id != id) continue;
            clipdex::Invocation call;
            call.args = std::move(args);
            return candidate->run(call);
        }
        return clipdex::Outcome::failure(CDX_E_NOT_FOUND, "no command " + id);
    }
    static std::vector<std::string> names(const json& result) {
        std::vector<std::string> out;
        for (const auto& row : result.at("results")) out.push_back(row.at("file_name"));
        return out;
    }

    TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
};

TEST_F(LibraryCommands, ClipShowByIdAndUniquePrefix) {
    const auto full = command(
        "clip-show", {{"clip_id", "11111111-aaaa-4aaa-8aaa-000000000001"}, {"transcript", false}, {"analysis", false}});
    ASSERT_TRUE(full.ok()) << full.message;
    EXPECT_EQ(full.result["clip"]["file_name"], "b.mov");
    EXPECT_EQ(full.result["clip"]["audio_tracks"], json::parse(R"([{"channels":2}])"));  // JSON column parsed
    EXPECT_TRUE(full.result["transcript"].is_null());
    EXPECT_TRUE(full.result["analysis"].is_null());

    const auto prefix = command("clip-show", {{"clip_id", "11111111"}});
    ASSERT_TRUE(prefix.ok()) << prefix.message;
    EXPECT_EQ(prefix.result["clip"]["id"], "11111111-aaaa-4aaa-8aaa-000000000001");

    const auto ambiguous = command("clip-show", {{"clip_id", "22222222"}});
    EXPECT_EQ(ambiguous.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_EQ(ambiguous.details.value("code", ""), "AMBIGUOUS_CLIP_ID");
}

TEST_F(LibraryCommands, ClipShowUnknownIdIsNotFound) {
    const auto missing = command("clip-show", {{"clip_id", "99999999-0000-4000-8000-000000000000"}});
    EXPECT_EQ(missing.status, CDX_E_NOT_FOUND);
    EXPECT_EQ(clipdex::httpStatusFor(missing.status), 404);
    EXPECT_EQ(missing.message, "Clip not found: 99999999-0000-4000-8000-000000000000");
    EXPECT_EQ(missing.details.value("code", ""), "CLIP_NOT_FOUND");
}

TEST_F(LibraryCommands, ClipShowIncludesTheStoredTranscript) {
    const auto file = home_ / "talk.srt.mkv";
    std::ofstream(file, std::ios::binary) << "not really a video";
    json inputs = {
        {"file", {{"path", file.string()}, {"name", "talk.srt.mkv"}}},
        {"options", json::object()},
        {"steps",
         {{"extract_subtitle_transcript_step",
           {{"transcript",
             {{"segments", json::array({{{"start_seconds", 1.0}, {"end_seconds", 2.0}, {"text", "One"}},
                                        {{"start_seconds", 3.0}, {"end_seconds", 4.0}, {"text", "Two"}}})}}}}}}}};
    clipdex::Invocation call;
    clipdex::Outcome error;
    for (const char* step_id : {"generate_checksum_step", "database_storage_step"}) {
        auto [plugin, decl] = clipdex::findStep(runtime_->registry(), step_id);
        ASSERT_NE(plugin, nullptr) << step_id;
        auto step = clipdex::PluginStep::create(*plugin, *decl, json::object(), call, error);
        ASSERT_NE(step, nullptr) << error.message;
        const auto outcome = step->run(inputs, call);
        ASSERT_TRUE(outcome.ok()) << outcome.message;
        inputs["steps"][step_id] = outcome.result;
    }
    const std::string id = inputs["steps"]["database_storage_step"]["clip_id"];
    const auto shown = command("clip-show", {{"clip_id", id}, {"transcript", true}});
    ASSERT_TRUE(shown.ok()) << shown.message;
    EXPECT_EQ(shown.result["transcript"]["full_text"], "One\nTwo");
    ASSERT_EQ(shown.result["transcript"]["segments"].size(), 2u);
    EXPECT_EQ(shown.result["transcript"]["segments"][1], json({{"index", 1},
                                                               {"start_seconds", 3.0},
                                                               {"end_seconds", 4.0},
                                                               {"text", "Two"},
                                                               {"timecode", "00:00:03.000"}}));
}

TEST_F(LibraryCommands, SearchRecentSortsPagesAndCounts) {
    const auto recent = command("search-recent", json::object());
    ASSERT_TRUE(recent.ok()) << recent.message;
    EXPECT_EQ(names(recent.result), (std::vector<std::string>{"a.mov", "b.mov", "c.mov"}));
    EXPECT_EQ(recent.result["total"], 3);
    EXPECT_EQ(recent.result["limit"], 10);
    EXPECT_EQ(recent.result["offset"], 0);
    EXPECT_EQ(recent.result["sort_by"], "processed_at");
    EXPECT_EQ(recent.result["sort_order"], "descending");
    EXPECT_EQ(recent.result["results"][0]["resolution"], "1920x1080");
    EXPECT_FALSE(recent.result["results"][0].contains("metadata"));

    const auto page =
        command("search-recent", {{"limit", 1}, {"offset", 1}, {"sort_by", "file_name"}, {"sort_order", "ascending"}});
    ASSERT_TRUE(page.ok()) << page.message;
    EXPECT_EQ(names(page.result), std::vector<std::string>{"b.mov"});
    EXPECT_EQ(page.result["total"], 3);

    const auto by_duration = command("search-recent", {{"sort_by", "duration_seconds"}, {"sort_order", "desc"}});
    ASSERT_TRUE(by_duration.ok()) << by_duration.message;
    EXPECT_EQ(names(by_duration.result), (std::vector<std::string>{"b.mov", "c.mov", "a.mov"}));
    EXPECT_EQ(by_duration.result["sort_order"], "descending");

    const auto injected = command("search-recent", {{"sort_by", "id; DROP TABLE clips"}});
    EXPECT_EQ(injected.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_EQ(command("search-recent", json::object()).result["total"], 3);
}

TEST_F(LibraryCommands, TheCliValidatesAndRendersThroughTheBinary) {
    TempDir cli_home;
    const std::string catalog = "--catalog=" + catalogPath().string();
    auto table = clipdex::test::runClipdex(cli_home, {catalog, "search", "recent", "-l", "2", "--sort-order", "asc"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("File Name"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("c.mov"), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find("a.mov"), std::string::npos) << table.out;

    auto bad = clipdex::test::runClipdex(cli_home, {catalog, "search", "recent", "--sort-by", "id"});
    EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;

    auto as_json = clipdex::test::runClipdex(cli_home, {catalog, "clip", "show", "11111111", "--format", "json"});
    ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
    EXPECT_EQ(json::parse(as_json.out)["clip"]["file_name"], "b.mov");

    auto missing = clipdex::test::runClipdex(cli_home, {catalog, "clip", "show", "deadbeef-0000"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("Clip not found: deadbeef-0000"), std::string::npos) << missing.err;
}

}  // namespace
