// A small real catalog for the clipdex.vectors tests: six generated clips with known subtitle transcripts and
// distinct test patterns, ingested by the real `clipdex ingest --generate-embeddings` (bundled local-text and
// local-visual providers). harbor_again.mkv is harbor.mp4 re-encoded (same frames and transcript, another codec
// and container), so it is the near-duplicate every similar mode must rank first.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace clipdex::vectors_test {

using clipdex::json;
namespace fs = std::filesystem;

struct ClipSpec {
    std::string file;
    std::string source;  // lavfi video source
    std::string codec;
    std::string srt;  // "" = no subtitles
};

inline std::string srt(const std::string& first, const std::string& second) {
    return "1\n00:00:00,000 --> 00:00:00,900\n" + first + "\n\n2\n00:00:01,000 --> 00:00:01,900\n" + second + "\n\n";
}

inline const std::vector<ClipSpec>& clipSpecs() {
    static const std::vector<ClipSpec> specs = {
        {"harbor.mp4", "testsrc2", "libx264",
         srt("Morning light over the harbor", "Fishermen unload the nets at the pier")},
        {"harbor_again.mkv", "testsrc2", "mpeg4",
         srt("Morning light over the harbor", "Fishermen unload the nets at the pier")},
        {"forest.mp4", "smptebars", "libx264", srt("Wind moves through the pine forest", "A deer crosses the trail")},
        {"concert.mp4", "mandelbrot", "libx264",
         srt("The crowd cheers as the band plays", "Drums and guitars on stage")},
        {"kitchen.mp4", "rgbtestsrc", "libx264",
         srt("Chop the onions and garlic finely", "Simmer the tomato sauce for ten minutes")},
        {"silent.mp4", "color=c=0x2050a0", "libx264", ""},
    };
    return specs;
}

inline void makeClip(const fs::path& media, const ClipSpec& spec) {
    const bool mkv = spec.file.ends_with(".mkv");
    std::string source = spec.source + (spec.source.find('=') == std::string::npos ? "=" : ":") + "s=160x90:r=10";
    std::vector<std::string> args{"-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source};
    if (!spec.srt.empty()) {
        const fs::path file = media.parent_path() / (spec.file + ".srt");
        std::ofstream(file, std::ios::binary) << spec.srt;
        args.insert(args.end(), {"-i", file.string(), "-map", "0:v", "-map", "1:s", "-c:s", mkv ? "srt" : "mov_text"});
    }
    args.insert(args.end(), {"-t", "2", "-c:v", spec.codec, "-pix_fmt", "yuv420p", (media / spec.file).string()});
    const auto run = clipdex::test::runProcess("/usr/bin/ffmpeg", args);
    ASSERT_EQ(run.exit_code, 0) << spec.file << ": " << run.err;
}

/// Ingests the clips once per test (each test runs in its own process under ctest) with embeddings, in an
/// isolated HOME; the in-process host gets the same XDG directories so the index lands beside the catalog.
class VectorsCatalog : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(home_ / "media");
        for (const ClipSpec& spec : clipSpecs()) {
            makeClip(home_ / "media", spec);
            if (HasFatalFailure()) return;
        }
        const auto run = clipdex::test::runClipdex(
            home_, {"ingest", (home_ / "media").string(), "--generate-embeddings", "--format", "json"});
        ASSERT_EQ(run.exit_code, 0) << clipdex::test::describe(run);
        ingest_ = json::parse(run.out);
        // The in-process host reads config and state from the environment: point it at the test's HOME.
        for (const auto& [name, dir] : std::map<std::string, std::string>{
                 {"XDG_STATE_HOME", "state"}, {"XDG_CONFIG_HOME", "config"}, {"XDG_DATA_HOME", "data"}}) {
            const char* old = std::getenv(name.c_str());
            saved_env_[name] = old ? std::optional<std::string>(old) : std::nullopt;
            ::setenv(name.c_str(), (home_ / dir).c_str(), 1);
        }
        for (const char* name : {"CLIPDEX_TEXT_EMBEDDINGS", "CLIPDEX_IMAGE_EMBEDDINGS"}) ::unsetenv(name);
        openRuntime();
        for (const json& row : runtime_->catalog().query("SELECT id, file_name FROM clips", json::object()))
            ids_[row["file_name"].get<std::string>()] = row["id"].get<std::string>();
        ASSERT_EQ(ids_.size(), clipSpecs().size()) << run.out;
    }

    void TearDown() override {
        runtime_.reset();
        for (const auto& [name, value] : saved_env_) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }

    /// A fresh host (and so a fresh plugin instance, as in a second process); the old one saves its index.
    void openRuntime() {
        runtime_.reset();
        runtime_ = clipdex::test::bundledRuntime(catalogPath());
    }

    fs::path catalogPath() const { return home_ / "data/clipdex/catalog.db"; }
    fs::path indexDir() const { return home_ / "state/clipdex/plugins/clipdex.vectors/index"; }
    const std::string& id(const std::string& file) const { return ids_.at(file); }

    clipdex::Outcome backend(const std::string& backend_id, const json& query) {
        clipdex::Invocation parent;
        return runtime_->searchBackend(parent, backend_id, query);
    }

    /// Runs a backend that must succeed; returns {"summary", "hits"}.
    json search(const std::string& backend_id, const json& query) {
        const auto outcome = backend(backend_id, query);
        EXPECT_TRUE(outcome.ok()) << backend_id << ": " << outcome.message << " " << outcome.details.dump();
        return outcome.ok() ? outcome.result : json{{"summary", json::object()}, {"hits", json::array()}};
    }

    json sql(const std::string& text, const json& params = json::object()) {
        return runtime_->catalog().query(text, params);
    }

    static std::vector<std::string> names(const json& hits) {
        std::vector<std::string> out;
        for (const json& hit : hits) out.push_back(hit.at("file_name").get<std::string>());
        return out;
    }

    clipdex::test::TempDir home_;
    json ingest_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::map<std::string, std::string> ids_;
    std::map<std::string, std::optional<std::string>> saved_env_;
};

}  // namespace clipdex::vectors_test
