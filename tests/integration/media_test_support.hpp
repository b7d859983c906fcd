// Helpers for the media plugin's integration tests: generating clips with the ffmpeg CLI, probing them
// with ffprobe for comparison, and running the plugin's steps in-process through the step interface.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "loader/plugin_step.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace clipdex::media_test {

using clipdex::json;

/// Runs ffmpeg quietly; fails the test (returns false) with its stderr when it fails.
inline bool ffmpeg(const std::vector<std::string>& args) {
    std::vector<std::string> all{"-hide_banner", "-nostdin", "-v", "error", "-y"};
    all.insert(all.end(), args.begin(), args.end());
    const auto result = clipdex::test::runProcess("/usr/bin/ffmpeg", all);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0;
}

/// ffprobe -show_format -show_streams -show_chapters as JSON.
inline json ffprobe(const std::filesystem::path& file, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(file.string());
    const auto result = clipdex::test::runProcess("/usr/bin/ffprobe", args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
}

inline bool hasEncoder(const std::string& name) {
    const auto result = clipdex::test::runProcess("/usr/bin/ffmpeg", {"-hide_banner", "-encoders"});
    return result.out.find(" " + name + " ") != std::string::npos;
}

inline void writeFile(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// A lavfi test pattern of `seconds` at 320x180, 25 fps.
inline std::vector<std::string> testVideo(const std::string& seconds = "1") {
    return {"-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=" + seconds};
}
inline std::vector<std::string> testAudio(const std::string& seconds = "1") {
    return {"-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=" + seconds};
}
inline std::vector<std::string> concat(std::vector<std::vector<std::string>> parts) {
    std::vector<std::string> out;
    for (auto& part : parts) out.insert(out.end(), part.begin(), part.end());
    return out;
}

inline double fraction(const json& text) {  // "34000/50000" → 0.68
    const std::string s = text.get<std::string>();
    const auto slash = s.find('/');
    return std::stod(s.substr(0, slash)) / std::stod(s.substr(slash + 1));
}

inline json probeStream(const json& probe, int index) {
    for (const json& stream : probe["streams"])
        if (stream["index"] == index) return stream;
    return json::object();
}

// Every field that ffprobe also reports must agree with it; a field ffprobe omits must be null here.
inline void expectSameAsFfprobe(const json& ours, const json& probe) {
    const json& format = probe["format"];
    EXPECT_EQ(ours["container"]["format_name"], format["format_name"]);
    EXPECT_EQ(ours["container"]["format_long_name"], format["format_long_name"]);
    EXPECT_NEAR(ours["container"]["duration_seconds"].get<double>(), std::stod(format["duration"].get<std::string>()),
                0.05);
    EXPECT_NEAR(ours["duration_seconds"].get<double>(), std::stod(format["duration"].get<std::string>()), 0.05);
    EXPECT_EQ(ours["container"]["size_bytes"], std::stoll(format["size"].get<std::string>()));
    EXPECT_EQ(ours["file_size_bytes"], std::stoll(format["size"].get<std::string>()));
    EXPECT_EQ(ours["container"]["nb_streams"], format["nb_streams"]);
    if (format.contains("bit_rate")) {
        const long long bps = std::stoll(format["bit_rate"].get<std::string>());
        EXPECT_EQ(ours["container"]["bit_rate"], bps);
        EXPECT_EQ(ours["bit_rate_kbps"], std::llround(bps / 1000.0));
    }
    EXPECT_EQ(ours["container"]["tags"], format.value("tags", json::object()));
    for (const json& v : ours["video"]) {
        const json s = probeStream(probe, v["index"]);
        SCOPED_TRACE("video stream " + v["index"].dump());
        EXPECT_EQ(v["codec"], s["codec_name"]);
        EXPECT_EQ(v["codec_long_name"], s["codec_long_name"]);
        EXPECT_EQ(v["profile"], s.value("profile", json()));
        const json level = s.value("level", json());
        EXPECT_EQ(v["level_idc"], level == -99 ? json() : level);  // ffprobe prints FF_LEVEL_UNKNOWN
        EXPECT_EQ(v["width"], s["width"]);
        EXPECT_EQ(v["height"], s["height"]);
        EXPECT_EQ(v["pixel_format"], s["pix_fmt"]);
        EXPECT_EQ(v["field_order"], s.value("field_order", json()));
        for (const char* key : {"color_range", "color_space", "color_primaries", "color_transfer"})
            EXPECT_EQ(v[key], s.value(key, json())) << key;
        EXPECT_EQ(v["sample_aspect_ratio"], s.value("sample_aspect_ratio", json()));
        EXPECT_EQ(v["display_aspect_ratio"], s.value("display_aspect_ratio", json()));
        EXPECT_EQ(v["r_frame_rate"], s["r_frame_rate"]);
        EXPECT_EQ(v["avg_frame_rate"], s["avg_frame_rate"]);
        EXPECT_NEAR(v["frame_rate"].get<double>(), fraction(s["avg_frame_rate"]), 1e-9);
        EXPECT_NEAR(v["real_frame_rate"].get<double>(), fraction(s["r_frame_rate"]), 1e-9);
        EXPECT_EQ(v["language"], s.value("tags", json::object()).value("language", json()));
        EXPECT_EQ(v["is_default"], s["disposition"]["default"] == 1);
        // ref_frames is the decoder's SPS value after one frame; ffprobe prints the unopened default (1).
        int rotation = 0;
        for (const json& sd : s.value("side_data_list", json::array()))
            if (sd.contains("rotation")) rotation = sd["rotation"];
        EXPECT_EQ(v["rotation"], rotation);
    }
    for (const json& a : ours["audio"]) {
        const json s = probeStream(probe, a["index"]);
        SCOPED_TRACE("audio stream " + a["index"].dump());
        EXPECT_EQ(a["codec"], s["codec_name"]);
        EXPECT_EQ(a["profile"], s.value("profile", json()));
        EXPECT_EQ(a["channels"], s["channels"]);
        EXPECT_EQ(a["channel_layout"], s.value("channel_layout", json()));
        EXPECT_EQ(a["sample_rate"], std::stoi(s["sample_rate"].get<std::string>()));
        EXPECT_EQ(a["language"], s.value("tags", json::object()).value("language", json()));
        EXPECT_EQ(a["is_default"], s["disposition"]["default"] == 1);
    }
    for (const json& t : ours["subtitles"]) {
        const json s = probeStream(probe, t["index"]);
        EXPECT_EQ(t["codec"], s["codec_name"]);
        EXPECT_EQ(t["language"], s.value("tags", json::object()).value("language", json()));
        EXPECT_EQ(t["is_default"], s["disposition"]["default"] == 1);
        EXPECT_EQ(t["is_forced"], s["disposition"]["forced"] == 1);
    }
    ASSERT_EQ(ours["chapters"].size(), probe["chapters"].size());
    for (size_t i = 0; i < ours["chapters"].size(); ++i) {
        EXPECT_NEAR(ours["chapters"][i]["start_seconds"].get<double>(),
                    std::stod(probe["chapters"][i]["start_time"].get<std::string>()), 1e-6);
        EXPECT_NEAR(ours["chapters"][i]["end_seconds"].get<double>(),
                    std::stod(probe["chapters"][i]["end_time"].get<std::string>()), 1e-6);
        EXPECT_EQ(ours["chapters"][i]["title"], probe["chapters"][i]["tags"]["title"]);
    }
}

/// The bundled plugins loaded in-process, steps run through the same interface the executor uses.
class MediaSteps : public ::testing::Test {
protected:
    void SetUp() override { runtime_ = clipdex::test::bundledRuntime(home_ / "c.db"); }

    clipdex::Outcome run(const std::string& step_id, const std::filesystem::path& file, json steps = json::object()) {
        const json inputs{{"file", {{"path", file.string()}, {"name", file.filename().string()}}},
                          {"data_dir", (home_ / "data").string()},
                          {"options", json::object()},
                          {"steps", std::move(steps)}};
        return clipdex::test::runStep(*runtime_, step_id, json::object(), inputs);
    }

    /// Runs extract_metadata_step and requires success.
    json metadata(const std::filesystem::path& file) {
        const auto outcome = run("extract_metadata_step", file);
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return outcome.ok() ? outcome.result : json::object();
    }

    std::filesystem::path path(const std::string& name) const { return home_ / name; }

    clipdex::test::TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
};

}  // namespace clipdex::media_test
