// The thumbnails plugin in-process on media generated with the ffmpeg CLI: JPEG validity and size, even
// spacing, black-frame skipping, aspect ratio (portrait, non-square pixels), exposure numbers, bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "loader/plugin_step.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::runProcess;
using clipdex::test::TempDir;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class Thumbnails : public ::testing::Test {
protected:
    void SetUp() override { runtime_ = clipdex::test::bundledRuntime(home_ / "c.db"); }

    /// Generates a clip with the ffmpeg CLI from lavfi filter graph `source`.
    fs::path makeClip(const std::string& name, const std::string& source, std::vector<std::string> extra = {}) {
        const fs::path out = home_ / name;
        std::vector<std::string> args = {"-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source};
        args.insert(args.end(), extra.begin(), extra.end());
        for (const char* arg : {"-c:v", "libx264", "-pix_fmt", "yuv420p"}) args.emplace_back(arg);
        args.push_back(out.string());
        const auto result = runProcess("ffmpeg", args);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return out;
    }

    clipdex::Outcome runStep(const std::string& id, const json& config, const json& inputs) {
        return clipdex::test::runStep(*runtime_, id, config, inputs);
    }

    json inputsFor(const fs::path& clip, const std::string& checksum = "") {
        json inputs{{"file", {{"path", clip.string()}, {"name", clip.filename().string()}}},
                    {"data_dir", (home_ / "data").string()},
                    {"options", json::object()},
                    {"steps", json::object()}};
        if (!checksum.empty()) inputs["steps"]["generate_checksum_step"] = {{"checksum", checksum}};
        return inputs;
    }

    json thumbnails(const fs::path& clip, const json& config = json::object(), const std::string& checksum = "c0ffee") {
        const auto outcome = runStep("generate_thumbnails_step", config, inputsFor(clip, checksum));
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return outcome.result;
    }

    json exposure(const fs::path& clip) {
        json inputs = inputsFor(clip, clip.stem().string());
        inputs["steps"]["generate_thumbnails_step"] = thumbnails(clip, json::object(), clip.stem().string());
        const auto outcome = runStep("analyze_exposure_step", json::object(), inputs);
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return outcome.result.value("exposure", json::object());
    }

    /// {codec, width, height} of an image as ffprobe sees it.
    json probe(const fs::path& image) {
        const auto result = runProcess("ffprobe", {"-v", "error", "-select_streams", "v:0", "-show_entries",
                                                   "stream=codec_name,width,height", "-of", "json", image.string()});
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return json::parse(result.out).at("streams").at(0);
    }

    /// The pixels of an image decoded by the ffmpeg CLI ("gray" or "rgb24").
    std::string pixels(const fs::path& image, const std::string& format) {
        const auto result =
            runProcess("ffmpeg", {"-v", "error", "-i", image.string(), "-f", "rawvideo", "-pix_fmt", format, "-"});
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return result.out;
    }

    /// Ours against the ffmpeg CLI's own thumbnail at the same time (accurate seek, autorotate, scale).
    double meanDifferenceFromCli(const fs::path& clip, const json& thumb, const std::string& format) {
        const fs::path reference = home_ / "reference.jpg";
        const std::string size =
            std::to_string(thumb["width"].get<int>()) + ":" + std::to_string(thumb["height"].get<int>());
        const auto made =
            runProcess("ffmpeg", {"-hide_banner", "-loglevel", "error", "-y", "-ss",
                                  std::to_string(thumb["timestamp_seconds"].get<double>()), "-i", clip.string(),
                                  "-frames:v", "1", "-vf", "scale=" + size, reference.string()});
        EXPECT_EQ(made.exit_code, 0) << made.err;
        const std::string ours = pixels(thumb["path"].get<std::string>(), format);
        const std::string theirs = pixels(reference, format);
        EXPECT_EQ(ours.size(), theirs.size());
        if (ours.empty() || ours.size() != theirs.size()) return 255;
        double difference = 0;
        for (size_t i = 0; i < ours.size(); ++i)
            difference += std::abs(static_cast<unsigned char>(ours[i]) - static_cast<unsigned char>(theirs[i]));
        return difference / static_cast<double>(ours.size());
    }

    /// 256-bin luma histogram (normalised) of a JPEG, decoded by the ffmpeg CLI.
    std::vector<double> histogram(const fs::path& image) {
        const std::string gray = pixels(image, "gray");
        std::vector<double> hist(256, 0.0);
        for (unsigned char c : gray) hist[c] += 1.0 / static_cast<double>(gray.size());
        return hist;
    }

    double meanLuma(const fs::path& image) {
        double mean = 0;
        const auto hist = histogram(image);
        for (size_t i = 0; i < hist.size(); ++i) mean += static_cast<double>(i) * hist[i];
        return mean;
    }

    /// Positions duration*i/(count+1); each frame in the window [position - spacing/2, position] plus one
    /// frame (0.04 s) of slack, in order.
    static void expectEvenlySpaced(const json& result, double duration) {
        const auto count = static_cast<double>(result["thumbnails"].size());
        double previous = -1;
        for (const json& thumb : result["thumbnails"]) {
            const double position = duration * thumb["index"].get<int>() / (count + 1);
            const double timestamp = thumb["timestamp_seconds"].get<double>();
            EXPECT_DOUBLE_EQ(thumb["target_seconds"].get<double>(), position);
            EXPECT_GE(timestamp, position - duration / (count + 1) / 2 - 0.001) << thumb.dump();
            EXPECT_LE(timestamp, position + 0.04) << thumb.dump();
            EXPECT_GT(timestamp, previous) << thumb.dump();
            previous = timestamp;
        }
    }

    TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
};

TEST_F(Thumbnails, EvenlySpacedValidJpegsKeyedByChecksum) {
    const fs::path clip = makeClip("testsrc.mp4", "testsrc=size=320x180:rate=25:duration=2");
    const json result = thumbnails(clip);
    ASSERT_EQ(result["thumbnails"].size(), 5u) << result.dump(2);
    const fs::path dir = home_ / "data" / "thumbnails" / "c0ffee";
    EXPECT_EQ(result["thumbnail_dir"], dir.string());
    EXPECT_EQ(result["primary_thumbnail"], (dir / "1.jpg").string());
    for (int i = 1; i <= 5; ++i) {
        const json& thumb = result["thumbnails"][i - 1];
        const fs::path path = dir / (std::to_string(i) + ".jpg");
        EXPECT_EQ(thumb["index"], i);
        EXPECT_EQ(thumb["path"], path.string());
        ASSERT_TRUE(fs::exists(path)) << path;
        const std::string bytes = readFile(path);
        ASSERT_GT(bytes.size(), 4u);
        EXPECT_EQ(bytes.substr(0, 2), "\xFF\xD8") << "no SOI marker in " << path;
        EXPECT_EQ(bytes.substr(bytes.size() - 2), "\xFF\xD9") << "no EOI marker in " << path;
        EXPECT_EQ(thumb["bytes"], bytes.size());
        const json info = probe(path);
        EXPECT_EQ(info["codec_name"], "mjpeg");
        EXPECT_EQ(info["width"], 640);
        EXPECT_EQ(info["height"], 360);
        EXPECT_EQ(thumb["width"], 640);
        EXPECT_EQ(thumb["height"], 360);
    }
    // Decoded forward from the only keyframe (libx264 GOP 250 > 50 frames).
    expectEvenlySpaced(result, 2.0);
    for (const auto& entry : fs::recursive_directory_iterator(home_ / "data"))
        EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
}

TEST_F(Thumbnails, InterlacedMpegTsSeeksLandNearTheirPositions) {
    // MPEG-TS timestamp seeks can land after the target (and after the first keyframe from the start).
    const fs::path clip = home_ / "interlaced.ts";
    const auto made = runProcess("ffmpeg", {"-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                            "testsrc=size=320x180:rate=25:duration=2", "-c:v", "mpeg2video", "-flags",
                                            "+ildct+ilme", "-g", "12", "-f", "mpegts", clip.string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const json result = thumbnails(clip);
    ASSERT_EQ(result["thumbnails"].size(), 5u) << result.dump(2);
    expectEvenlySpaced(result, 2.0);
}

TEST_F(Thumbnails, CountWidthAndThePathHashFallback) {
    const fs::path clip = makeClip("small.mp4", "testsrc=size=320x180:rate=25:duration=2");
    const auto first = runStep("generate_thumbnails_step", {{"count", 7}, {"width", 320}}, inputsFor(clip));
    ASSERT_TRUE(first.ok()) << first.message;
    ASSERT_EQ(first.result["thumbnails"].size(), 7u);
    EXPECT_EQ(first.result["thumbnails"][2]["width"], 320);
    EXPECT_EQ(first.result["thumbnails"][2]["height"], 180);
    const fs::path dir = first.result["thumbnail_dir"].get<std::string>();
    EXPECT_EQ(dir.parent_path(), home_ / "data" / "thumbnails");
    const auto again = runStep("generate_thumbnails_step", {{"count", 3}, {"width", 320}}, inputsFor(clip));
    ASSERT_TRUE(again.ok()) << again.message;
    EXPECT_EQ(again.result["thumbnail_dir"], first.result["thumbnail_dir"]);  // stable without a checksum
    ASSERT_EQ(again.result["thumbnails"].size(), 3u);
    // The second run with a smaller count removed 4.jpg .. 7.jpg of the first.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 3);
    for (const json& bad : {json{{"count", 0}}, json{{"count", 51}}, json{{"width", 10}}, json{{"count", "x"}}}) {
        const auto refused = runStep("generate_thumbnails_step", bad, inputsFor(clip));
        EXPECT_EQ(refused.status, CDX_E_INVALID_ARGUMENT) << bad << ": " << refused.message;
    }
}

TEST_F(Thumbnails, BlackFramesAreSkipped) {
    const fs::path clip = makeClip(
        "black-intro.mp4", "color=c=black:s=320x180:r=25:d=1[b];testsrc=s=320x180:r=25:d=1[t];[b][t]concat=n=2:v=1");
    const json result = thumbnails(clip);
    ASSERT_EQ(result["thumbnails"].size(), 5u) << result.dump(2);
    const json& first = result["thumbnails"][0];
    EXPECT_GE(first["timestamp_seconds"].get<double>(), 1.0) << first.dump();
    EXPECT_GE(first["blank_frames_skipped"].get<int>(), 1) << first.dump();
    EXPECT_GT(meanLuma(first["path"].get<std::string>()), 40.0);
    EXPECT_EQ(result["thumbnails"][4]["blank_frames_skipped"], 0);  // 1.67 s is already bright
}

TEST_F(Thumbnails, PortraitClipKeepsItsAspect) {
    const fs::path clip = makeClip("portrait.mp4", "testsrc=size=1080x1920:rate=25:duration=1");
    const json result = thumbnails(clip, {{"count", 2}});
    ASSERT_EQ(result["thumbnails"].size(), 2u) << result.dump(2);
    const json info = probe(result["primary_thumbnail"].get<std::string>());
    EXPECT_EQ(info["width"], 640);
    EXPECT_EQ(info["height"], 1138);  // 640 * 1920 / 1080 = 1137.8, rounded to even
    EXPECT_EQ(result["thumbnails"][0]["height"], 1138);
}

TEST_F(Thumbnails, NonSquarePixelsAreScaledToTheDisplayAspect) {
    const fs::path clip = makeClip("anamorphic.mp4", "testsrc=size=320x180:rate=25:duration=1", {"-vf", "setsar=2"});
    const json result = thumbnails(clip, {{"count", 1}});
    ASSERT_EQ(result["thumbnails"].size(), 1u) << result.dump(2);
    const json info = probe(result["primary_thumbnail"].get<std::string>());
    EXPECT_EQ(info["width"], 640);
    EXPECT_EQ(info["height"], 180);  // displayed 640x180
}

TEST_F(Thumbnails, RotatedClipsComeOutUprightLikeTheFfmpegCli) {
    // FFmpeg 5.1 writes a display matrix for the rotate tag only when stream-copying.
    const fs::path plain = makeClip("plain.mp4", "testsrc=size=320x180:rate=25:duration=1");
    const fs::path clip = home_ / "rotated.mp4";
    const auto remux = runProcess("ffmpeg", {"-hide_banner", "-loglevel", "error", "-y", "-i", plain.string(), "-c",
                                             "copy", "-metadata:s:v:0", "rotate=90", clip.string()});
    ASSERT_EQ(remux.exit_code, 0) << remux.err;
    const json result = thumbnails(clip, {{"count", 1}});
    ASSERT_EQ(result["thumbnails"].size(), 1u) << result.dump(2);
    const json& thumb = result["thumbnails"][0];
    EXPECT_EQ(thumb["width"], 640);
    EXPECT_EQ(thumb["height"], 1138);  // displayed 180x320
    // The ffmpeg CLI autorotates: its frame at the same timestamp must look the same as ours.
    EXPECT_LT(meanDifferenceFromCli(clip, thumb, "gray"), 8.0);
}

TEST_F(Thumbnails, ColoursMatchTheFfmpegCli) {
    // Full-range BT.601 JPEG from limited-range video (toolchain pitfall 10): a washed-out conversion
    // would never reach 0 and 255 and differ by far more than rounding.
    const fs::path clip = makeClip("colours.mp4", "testsrc=size=320x180:rate=25:duration=2");
    const json thumb = thumbnails(clip, {{"count", 1}})["thumbnails"][0];
    EXPECT_LT(meanDifferenceFromCli(clip, thumb, "rgb24"), 3.0);
    const std::string rgb = pixels(thumb["path"].get<std::string>(), "rgb24");
    const auto [lowest, highest] = std::minmax_element(rgb.begin(), rgb.end(), [](char a, char b) {
        return static_cast<unsigned char>(a) < static_cast<unsigned char>(b);
    });
    EXPECT_EQ(static_cast<unsigned char>(*lowest), 0);
    EXPECT_EQ(static_cast<unsigned char>(*highest), 255);
}

TEST_F(Thumbnails, CancellationStopsTheStep) {
    const fs::path clip = makeClip("cancel.mp4", "testsrc=size=320x180:rate=25:duration=1");
    auto [plugin, decl] = clipdex::findStep(runtime_->registry(), "generate_thumbnails_step");
    ASSERT_NE(plugin, nullptr);
    clipdex::Invocation call;
    clipdex::Outcome error;
    auto step = clipdex::PluginStep::create(*plugin, *decl, json::object(), call, error);
    ASSERT_NE(step, nullptr) << error.message;
    call.cancel->cancel();
    const auto outcome = step->run(inputsFor(clip), call);
    EXPECT_EQ(outcome.status, CDX_E_CANCELLED) << outcome.message;
}

TEST_F(Thumbnails, ExposureOfWhiteBlackAndTestsrc) {
    const json white = exposure(makeClip("white.mp4", "color=c=white:s=320x180:r=25:d=1"));
    EXPECT_TRUE(white["warning"]) << white.dump();
    EXPECT_NEAR(white["overexposed_percentage"].get<double>(), 100.0, 1.0);
    EXPECT_NEAR(white["underexposed_percentage"].get<double>(), 0.0, 1.0);
    EXPECT_NEAR(white["stops"].get<double>(), std::log2(20.0), 0.05);
    EXPECT_EQ(white["per_thumbnail"].size(), 5u);

    const json black = exposure(makeClip("black.mp4", "color=c=black:s=320x180:r=25:d=1"));
    EXPECT_TRUE(black["warning"]) << black.dump();
    EXPECT_NEAR(black["underexposed_percentage"].get<double>(), 100.0, 1.0);
    EXPECT_NEAR(black["overexposed_percentage"].get<double>(), 0.0, 1.0);
    EXPECT_NEAR(black["stops"].get<double>(), -std::log2(20.0), 0.05);

    // testsrc: compare with a histogram the ffmpeg CLI computes from the same JPEGs.
    const fs::path clip = makeClip("bars.mp4", "testsrc=size=320x180:rate=25:duration=2");
    const json bars = exposure(clip);
    ASSERT_EQ(bars["per_thumbnail"].size(), 5u) << bars.dump();
    double over = 0;
    double under = 0;
    for (const json& thumb : bars["per_thumbnail"]) {
        const auto hist = histogram(thumb["path"].get<std::string>());
        double thumb_over = 0;
        double thumb_under = 0;
        for (int i = 240; i < 256; ++i) thumb_over += hist[i];
        for (int i = 0; i < 16; ++i) thumb_under += hist[i];
        EXPECT_NEAR(thumb["overexposed_percentage"].get<double>(), thumb_over * 100, 0.5) << thumb.dump();
        EXPECT_NEAR(thumb["underexposed_percentage"].get<double>(), thumb_under * 100, 0.5) << thumb.dump();
        over += thumb_over / 5;
        under += thumb_under / 5;
    }
    EXPECT_NEAR(bars["overexposed_percentage"].get<double>(), over * 100, 0.5);
    EXPECT_NEAR(bars["underexposed_percentage"].get<double>(), under * 100, 0.5);
    EXPECT_EQ(bars["warning"], over > 0.05 || under > 0.05);
}

TEST_F(Thumbnails, BadInputIsAnInvalidArgumentNamingTheFile) {
    const fs::path junk = home_ / "junk.mp4";
    std::ofstream(junk, std::ios::binary) << std::string(4096, '\x5a');
    const fs::path audio = home_ / "audio.m4a";
    const auto made = runProcess("ffmpeg", {"-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                            "sine=frequency=440:duration=1", audio.string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    for (const fs::path& bad : {junk, audio, home_ / "missing.mp4"}) {
        const auto outcome = runStep("generate_thumbnails_step", json::object(), inputsFor(bad, "bad"));
        EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT) << bad << ": " << outcome.message;
        EXPECT_NE(outcome.message.find(bad.string()), std::string::npos) << outcome.message;
    }
    const auto no_thumbs = runStep("analyze_exposure_step", json::object(), inputsFor(junk));
    EXPECT_EQ(no_thumbs.status, CDX_E_INVALID_ARGUMENT) << no_thumbs.message;
}

}  // namespace
