// A small real catalog for the search plugin's tests: five generated clips (tiny, 1-2 s) with known subtitle
// transcripts, codecs, sizes and audio languages, ingested with the real `clipdex ingest`, plus helpers to run
// the plugin's commands and backend in-process.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace clipdex::search_test {

using clipdex::json;
namespace fs = std::filesystem;

struct ClipSpec {
    std::string file;            // name with extension: decides the container
    std::string codec;           // libx264 or mpeg4
    std::string size;            // WxH
    std::string seconds;         // duration
    std::string srt;             // subtitle track ("" = none)
    std::string audio_language;  // "" = no audio track
};

// harbor.mp4  h264  64x36   2 s  eng audio  "Morning light over the harbor" 0-0.9 / "Fishermen unload the nets…" 1-1.9
// forest.mkv  h264  96x54   2 s  fra audio  "Wind moves through the pine forest" / "A deer crosses the trail"
// concert.mp4 h264  128x72  1 s  no audio   "The crowd cheers as the band plays"
// silent.mp4  h264  64x36   1 s  no audio   no transcript
// interview.mkv mpeg4 128x72 2 s eng audio  "Tell me about the harbor project" / "We rebuilt the old pier"
inline const std::vector<ClipSpec>& clipSpecs() {
    static const std::vector<ClipSpec> specs = {
        {"harbor.mp4", "libx264", "64x36", "2",
         "1\n00:00:00,000 --> 00:00:00,900\nMorning light over the harbor\n\n"
         "2\n00:00:01,000 --> 00:00:01,900\nFishermen unload the nets at the pier\n\n",
         "eng"},
        {"forest.mkv", "libx264", "96x54", "2",
         "1\n00:00:00,000 --> 00:00:00,900\nWind moves through the pine forest\n\n"
         "2\n00:00:01,000 --> 00:00:01,900\nA deer crosses the trail\n\n",
         "fra"},
        {"concert.mp4", "libx264", "128x72", "1",
         "1\n00:00:00,200 --> 00:00:00,900\nThe crowd cheers as the band plays\n\n", ""},
        {"silent.mp4", "libx264", "64x36", "1", "", ""},
        {"interview.mkv", "mpeg4", "128x72", "2",
         "1\n00:00:00,000 --> 00:00:00,900\nTell me about the harbor project\n\n"
         "2\n00:00:01,000 --> 00:00:01,900\nWe rebuilt the old pier\n\n",
         "eng"},
    };
    return specs;
}

inline void makeClip(const fs::path& dir, const ClipSpec& spec) {
    const bool mkv = spec.file.size() > 4 && spec.file.substr(spec.file.size() - 4) == ".mkv";
    std::vector<std::string> args{"-hide_banner", "-nostdin", "-v",
                                  "error",        "-y",       "-f",
                                  "lavfi",        "-i",       "testsrc2=s=" + spec.size + ":r=10:d=" + spec.seconds};
    int inputs = 1;
    int audio_input = -1;
    int subtitle_input = -1;
    if (!spec.audio_language.empty()) {
        args.insert(args.end(), {"-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=" + spec.seconds});
        audio_input = inputs++;
    }
    if (!spec.srt.empty()) {
        const fs::path srt = dir / (spec.file + ".srt");
        std::ofstream(srt, std::ios::binary) << spec.srt;
        args.insert(args.end(), {"-i", srt.string()});
        subtitle_input = inputs++;
    }
    args.insert(args.end(), {"-map", "0:v"});
    if (audio_input >= 0) args.insert(args.end(), {"-map", std::to_string(audio_input) + ":a"});
    if (subtitle_input >= 0) args.insert(args.end(), {"-map", std::to_string(subtitle_input) + ":s"});
    args.insert(args.end(), {"-c:v", spec.codec, "-pix_fmt", "yuv420p"});
    if (audio_input >= 0)
        args.insert(args.end(), {"-c:a", "aac", "-b:a", "32k", "-metadata:s:a:0", "language=" + spec.audio_language});
    if (subtitle_input >= 0)
        args.insert(args.end(), {"-c:s", mkv ? "srt" : "mov_text", "-metadata:s:s:0", "language=eng"});
    args.push_back((dir / "media" / spec.file).string());
    const auto run = clipdex::test::runProcess("/usr/bin/ffmpeg", args);
    ASSERT_EQ(run.exit_code, 0) << spec.file << ": " << run.err;
}

/// Generates the five clips, ingests them through the real binary and opens an in-process host on the catalog.
class SearchCatalog : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(home_ / "media");
        for (const ClipSpec& spec : clipSpecs()) {
            makeClip(home_.path(), spec);
            if (HasFatalFailure()) return;
        }
        const auto run = clipdex::test::runClipdex(home_, {"ingest", (home_ / "media").string(), "--format", "json"});
        ASSERT_EQ(run.exit_code, 0) << clipdex::test::describe(run);
        runtime_ = clipdex::test::bundledRuntime(catalogPath());
        for (const json& row : runtime_->catalog().query("SELECT id, file_name FROM clips", json::object()))
            ids_[row["file_name"].get<std::string>()] = row["id"].get<std::string>();
        ASSERT_EQ(ids_.size(), clipSpecs().size());
    }

    fs::path catalogPath() const { return home_ / "data" / "clipdex" / "catalog.db"; }
    std::string catalogFlag() const { return "--catalog=" + catalogPath().string(); }
    const std::string& id(const std::string& file) { return ids_.at(file); }

    /// Runs one of the loaded commands in-process (arguments as the plugin receives them).
    clipdex::Outcome command(const std::string& command_id, json args = json::object()) {
        for (auto* candidate : runtime_->registry().commands()) {
            if (candidate->decl().id != command_id) continue;
            clipdex::Invocation call;
            call.args = std::move(args);
            return candidate->run(call);
        }
        return clipdex::Outcome::failure(CDX_E_NOT_FOUND, "no command " + command_id);
    }

    /// Runs a search backend through the host's dispatch, as another plugin would.
    clipdex::Outcome backend(const std::string& backend_id, const json& query) {
        clipdex::Invocation parent;
        return runtime_->searchBackend(parent, backend_id, query);
    }

    std::int64_t clipCount() {
        return runtime_->catalog().query("SELECT COUNT(*) AS n FROM clips", json::object()).at(0).at("n");
    }

    static std::vector<std::string> names(const json& results) {
        std::vector<std::string> out;
        for (const json& row : results) out.push_back(row.at("file_name").get<std::string>());
        return out;
    }

    clipdex::test::TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::map<std::string, std::string> ids_;
};

}  // namespace clipdex::search_test
