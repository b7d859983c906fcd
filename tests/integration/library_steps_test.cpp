// The library plugin's steps, loaded in-process from the bundled plugin directory: XXH3-128 checksums
// (checked against xxhsum), cancellation, the quick re-ingest check, duplicates and catalog storage.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "loader/plugin_step.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
using clipdex::test::TempDir;
namespace fs = std::filesystem;

void writeRandomFile(const fs::path& path, std::size_t bytes, unsigned seed) {
    std::mt19937 engine(seed);
    std::string data(bytes, '\0');
    for (char& c : data) c = static_cast<char>(engine() & 0xFF);
    std::ofstream(path, std::ios::binary) << data;
}

class LibrarySteps : public ::testing::Test {
protected:
    void SetUp() override { runtime_ = clipdex::test::bundledRuntime(home_ / "c.db"); }

    static json inputsFor(const fs::path& path, json options = json::object()) {
        struct stat info {};
        EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
        return {{"file",
                 {{"path", path.string()},
                  {"name", path.filename().string()},
                  {"size_bytes", static_cast<std::int64_t>(info.st_size)},
                  {"mtime", "2026-01-01T00:00:00Z"},
                  {"mtime_ns", static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec}}},
                {"data_dir", path.parent_path().string()},
                {"options", std::move(options)},
                {"steps", json::object()}};
    }

    clipdex::Outcome run(const std::string& step_id, const json& inputs, clipdex::Invocation& call) {
        auto [plugin, decl] = clipdex::findStep(runtime_->registry(), step_id);
        if (plugin == nullptr) return clipdex::Outcome::failure(CDX_E_NOT_FOUND, "no step " + step_id);
        clipdex::Outcome error;
        auto step = clipdex::PluginStep::create(*plugin, *decl, json::object(), call, error);
        if (!step) return error;
        return step->run(inputs, call);
    }
    json runOk(const std::string& step_id, const json& inputs) {
        clipdex::Invocation call;
        auto outcome = run(step_id, inputs, call);
        EXPECT_TRUE(outcome.ok()) << step_id << ": " << outcome.message;
        return outcome.result;
    }
    /// checksum, duplicate check and storage, as the executor chains them; returns the inputs with outputs.
    json ingest(const fs::path& path, json options = json::object(), json extra_steps = json::object()) {
        json inputs = inputsFor(path, std::move(options));
        inputs["steps"] = std::move(extra_steps);
        inputs["steps"]["generate_checksum_step"] = runOk("generate_checksum_step", inputs);
        inputs["steps"]["check_duplicate_step"] = runOk("check_duplicate_step", inputs);
        if (!inputs["steps"]["check_duplicate_step"].contains("control"))
            inputs["steps"]["database_storage_step"] = runOk("database_storage_step", inputs);
        return inputs;
    }
    json query(const std::string& sql, const json& params = json::object()) {
        return runtime_->catalog().query(sql, params);
    }
    std::int64_t count(const std::string& table) {
        return query("SELECT COUNT(*) AS n FROM " + table).at(0).at("n").get<std::int64_t>();
    }

    TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
};

TEST_F(LibrarySteps, ChecksumEqualsXxhsumH2) {
    for (std::size_t size : {std::size_t{0}, std::size_t{11}, std::size_t{(9u << 20) + 123}}) {
        const auto file = home_ / ("data-" + std::to_string(size) + ".bin");
        writeRandomFile(file, size, static_cast<unsigned>(size));
        const json out = runOk("generate_checksum_step", inputsFor(file));
        // xxhsum -H2 prints "<32 hex>  <file>": the canonical (big-endian) digest, which the step also uses.
        const auto cli = clipdex::test::runProcess("xxhsum", {"-H2", file.string()});
        ASSERT_EQ(cli.exit_code, 0) << cli.err;
        EXPECT_EQ(out["checksum"], cli.out.substr(0, cli.out.find(' '))) << "size " << size;
        EXPECT_EQ(out["checksum_algorithm"], "xxh3-128");
        EXPECT_EQ(out["file_size_bytes"], size);
        EXPECT_EQ(out["file_name"], file.filename().string());
        EXPECT_FALSE(out.contains("unchanged_clip_id"));
    }
}

TEST_F(LibrarySteps, CancellationStopsAHashMidway) {
    const auto file = home_ / "huge.bin";  // sparse: 64 GiB of zeros that read() serves without disk I/O
    { std::ofstream(file, std::ios::binary).put('x'); }
    fs::resize_file(file, std::uintmax_t{64} << 30);
    clipdex::Invocation call;
    double last_progress = 0.0;
    call.on_progress = [&](double fraction, std::string_view) { last_progress = fraction; };
    std::thread canceller([&call] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        call.cancel->cancel();
    });
    const auto started = std::chrono::steady_clock::now();
    const auto outcome = run("generate_checksum_step", inputsFor(file), call);
    canceller.join();
    EXPECT_EQ(outcome.status, CDX_E_CANCELLED) << outcome.message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    EXPECT_LT(last_progress, 1.0);
}

TEST_F(LibrarySteps, QuickCheckReturnsTheCataloguedChecksumWithoutReading) {
    const auto file = home_ / "clip.mov";
    writeRandomFile(file, 4096, 1);
    const json first = ingest(file);
    const std::string clip_id = first["steps"]["database_storage_step"]["clip_id"];
    const std::string old_sum = first["steps"]["generate_checksum_step"]["checksum"];

    // Same size and mtime but other bytes: only a step that did not read the file reports the old sum.
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    writeRandomFile(file, 4096, 2);
    const timespec times[2] = {info.st_atim, info.st_mtim};
    ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);

    json inputs = inputsFor(file);
    const json quick = runOk("generate_checksum_step", inputs);
    EXPECT_EQ(quick["checksum"], old_sum);
    EXPECT_EQ(quick["unchanged_clip_id"], clip_id);
    inputs["steps"]["generate_checksum_step"] = quick;
    const json dup = runOk("check_duplicate_step", inputs);
    EXPECT_EQ(dup["is_duplicate"], true);
    EXPECT_EQ(dup["control"]["action"], "skip_file");
    EXPECT_EQ(dup["control"]["reason"], "unchanged since last ingest (clip " + clip_id + ")");

    const json forced = runOk("generate_checksum_step", inputsFor(file, {{"force", true}}));
    EXPECT_NE(forced["checksum"], old_sum);
    EXPECT_FALSE(forced.contains("unchanged_clip_id"));
}

TEST_F(LibrarySteps, DuplicateIsSkippedUnlessForced) {
    const auto original = home_ / "A001.mov";
    writeRandomFile(original, 10000, 7);
    const json first = ingest(original);
    EXPECT_EQ(first["steps"]["check_duplicate_step"], json({{"is_duplicate", false}}));
    const std::string clip_id = first["steps"]["database_storage_step"]["clip_id"];

    const auto copy = home_ / "copy of A001.mov";
    fs::copy_file(original, copy);
    const json second = ingest(copy);
    const json& dup = second["steps"]["check_duplicate_step"];
    EXPECT_EQ(dup["is_duplicate"], true);
    EXPECT_EQ(dup["existing_clip_id"], clip_id);
    EXPECT_EQ(dup["existing_file_name"], "A001.mov");
    EXPECT_EQ(dup["existing_file_path"], fs::absolute(original).string());
    EXPECT_TRUE(dup["existing_processed_at"].is_string());
    EXPECT_EQ(dup["control"],
              json({{"action", "skip_file"}, {"reason", "duplicate of A001.mov (clip " + clip_id + ")"}}));

    const json forced = ingest(copy, {{"force", true}});
    EXPECT_EQ(forced["steps"]["check_duplicate_step"]["is_duplicate"], false);
    EXPECT_EQ(forced["steps"]["database_storage_step"]["clip_id"], clip_id);  // upserted by checksum
    EXPECT_EQ(forced["steps"]["database_storage_step"]["created"], false);
    EXPECT_EQ(count("clips"), 1);
    EXPECT_EQ(query("SELECT local_path FROM clips").at(0).at("local_path"), fs::absolute(copy).string());
}

TEST_F(LibrarySteps, StorageCreatesThenUpdatesTheSameClip) {
    const auto file = home_ / "B002.mp4";
    writeRandomFile(file, 2048, 3);
    const json meta = {{"extract_metadata_step",
                        {{"duration_seconds", 42.5},
                         {"width", 1920},
                         {"height", 1080},
                         {"frame_rate", 25.0},
                         {"codec", "h264"},
                         {"container", "mov,mp4"},
                         {"camera", {{"make", "SONY"}, {"model", "ILCE-7SM3"}}},
                         {"audio_tracks", json::array({{{"codec", "aac"}, {"channels", 2}}})}}},
                       {"generate_thumbnails_step", {{"thumbnails", json::array({{{"path", "/t/0.jpg"}}})}}}};
    json inputs = ingest(file, json::object(), meta);
    const json stored = inputs["steps"]["database_storage_step"];
    EXPECT_EQ(stored["stored_in_database"], true);
    EXPECT_EQ(stored["created"], true);
    const std::string id = stored["clip_id"];
    EXPECT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');

    const json row = query("SELECT * FROM clips WHERE id = :id", {{"id", id}}).at(0);
    EXPECT_EQ(row["file_name"], "B002.mp4");
    EXPECT_EQ(row["local_path"], fs::absolute(file).string());
    EXPECT_EQ(row["file_size_bytes"], 2048);
    EXPECT_EQ(row["width"], 1920);
    EXPECT_EQ(row["duration_seconds"], 42.5);
    EXPECT_EQ(row["codec"], "h264");
    EXPECT_EQ(row["camera_make"], "SONY");
    EXPECT_EQ(row["camera_model"], "ILCE-7SM3");
    EXPECT_EQ(json::parse(row["audio_tracks"].get<std::string>())[0]["codec"], "aac");
    EXPECT_EQ(json::parse(row["thumbnails"].get<std::string>())[0]["path"], "/t/0.jpg");
    EXPECT_TRUE(json::parse(row["metadata"].get<std::string>()).contains("extract_metadata_step"));
    EXPECT_EQ(row["searchable_content"], "B002.mp4 1920x1080 25fps h264 mov,mp4 SONY ILCE-7SM3");
    EXPECT_TRUE(row["file_mtime"].get<std::string>().ends_with("Z"));

    // Re-store without metadata: same id, newer processed_at, earlier columns kept.
    inputs["steps"].erase("extract_metadata_step");
    const json again = runOk("database_storage_step", inputs);
    EXPECT_EQ(again["clip_id"], id);
    EXPECT_EQ(again["created"], false);
    const json updated = query("SELECT * FROM clips WHERE id = :id", {{"id", id}}).at(0);
    EXPECT_GT(updated["processed_at"].get<std::string>(), row["processed_at"].get<std::string>());
    EXPECT_EQ(updated["width"], 1920);
    EXPECT_EQ(count("clips"), 1);
}

TEST_F(LibrarySteps, TranscriptRowsAreStoredAndReplaced) {
    const auto file = home_ / "talk.mkv";
    writeRandomFile(file, 512, 4);
    const json segments = json::array({{{"start_seconds", 0.5}, {"end_seconds", 2.0}, {"text", "Hello there."}},
                                       {{"start_seconds", 2.5}, {"end_seconds", 4.0}, {"text", "Ça va?"}}});
    json steps = {{"extract_subtitle_transcript_step",
                   {{"transcript", {{"source", "subtitle"}, {"language", "eng"}, {"segments", segments}}}}}};
    json inputs = ingest(file, json::object(), steps);
    const std::string id = inputs["steps"]["database_storage_step"]["clip_id"];
    const json transcript = query("SELECT * FROM transcripts WHERE clip_id = :id", {{"id", id}});
    ASSERT_EQ(transcript.size(), 1u);
    EXPECT_EQ(transcript[0]["full_text"], "Hello there.\nÇa va?");
    EXPECT_EQ(transcript[0]["language"], "eng");
    const json rows =
        query("SELECT * FROM transcript_segments WHERE clip_id = :id ORDER BY segment_index", {{"id", id}});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1]["segment_index"], 1);
    EXPECT_EQ(rows[1]["start_seconds"], 2.5);
    EXPECT_EQ(rows[1]["text"], "Ça va?");
    const json clip = query("SELECT full_transcript, transcript_preview FROM clips").at(0);
    EXPECT_EQ(clip["full_transcript"], "Hello there.\nÇa va?");
    EXPECT_EQ(clip["transcript_preview"], "Hello there.\nÇa va?");

    inputs["steps"]["extract_subtitle_transcript_step"]["transcript"]["segments"].erase(0);
    inputs["steps"]["extract_subtitle_transcript_step"]["transcript"]["full_text"] = std::string(600, 'a');
    runOk("database_storage_step", inputs);
    EXPECT_EQ(count("transcript_segments"), 1);
    EXPECT_EQ(query("SELECT length(transcript_preview) AS n FROM clips").at(0).at("n"), 500);
}

TEST_F(LibrarySteps, AFailedTransactionLeavesNothingBehind) {
    // A trigger that rejects the transcript's segments fails the last statements of the transaction.
    query(
        "CREATE TRIGGER reject_segments BEFORE INSERT ON transcript_segments "
        "BEGIN SELECT RAISE(ABORT, 'rejected for the test'); END");
    const auto file = home_ / "doomed.mp4";
    writeRandomFile(file, 300, 5);
    json inputs = inputsFor(file);
    inputs["steps"]["generate_checksum_step"] = runOk("generate_checksum_step", inputs);
    inputs["steps"]["extract_subtitle_transcript_step"]["transcript"] = {
        {"segments", json::array({{{"start_seconds", 0}, {"end_seconds", 1}, {"text", "hi"}}})}};
    clipdex::Invocation call;
    const auto outcome = run("database_storage_step", inputs, call);
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(count("clips"), 0);
    EXPECT_EQ(count("transcripts"), 0);
}

TEST_F(LibrarySteps, SqlMetacharactersInNamesAreStoredLiterally) {
    const std::string name = "it's\"; DROP TABLE clips; -- 100%_ :id.mp4";
    const auto file = home_ / name;
    writeRandomFile(file, 100, 6);
    const json inputs = ingest(file);
    EXPECT_EQ(count("clips"), 1);
    const json row = query("SELECT file_name, local_path FROM clips").at(0);
    EXPECT_EQ(row["file_name"], name);
    EXPECT_EQ(row["local_path"], fs::absolute(file).string());
    // The quick check finds it again by that path.
    EXPECT_EQ(runOk("generate_checksum_step", inputsFor(file))["unchanged_clip_id"],
              inputs["steps"]["database_storage_step"]["clip_id"]);
}

}  // namespace
