// extract_subtitle_transcript_step: text subtitle tracks (SRT, ASS, WebVTT, mov_text) muxed at test time
// with known lines and timestamps become timed segments and a full text, markup removed.
#include "media_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::media_test::concat;
using clipdex::media_test::ffmpeg;
using clipdex::media_test::MediaSteps;
using clipdex::media_test::testVideo;
using clipdex::media_test::writeFile;

const char* kSrt =
    "1\n00:00:00,100 --> 00:00:00,400\nHello <i>world</i>\n\n"
    "2\n00:00:00,500 --> 00:00:00,900\nSecond line\n";

const char* kAss =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 180\n\n"
    "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
    "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    "MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.20,0:00:00.60,Default,,0,0,0,,{\\b1}Bonjour{\\b0}, le\\Nmonde\n";

void expectSegment(const json& segment, double start, double end, const std::string& text) {
    EXPECT_NEAR(segment["start_seconds"].get<double>(), start, 0.011) << segment.dump();
    EXPECT_NEAR(segment["end_seconds"].get<double>(), end, 0.011) << segment.dump();
    EXPECT_EQ(segment["text"], text);
}

void expectSrtSegments(const json& segments) {
    ASSERT_EQ(segments.size(), 2u) << segments.dump();
    expectSegment(segments[0], 0.1, 0.4, "Hello world");
    expectSegment(segments[1], 0.5, 0.9, "Second line");
}

TEST_F(MediaSteps, MkvSrtAndAssTracksPreferTheDefaultTrack) {
    writeFile(path("a.srt"), kSrt);
    writeFile(path("a.ass"), kAss);
    const auto file = path("subs.mkv");
    ASSERT_TRUE(ffmpeg(concat({testVideo(),
                               {"-i",
                                path("a.srt").string(),
                                "-i",
                                path("a.ass").string(),
                                "-map",
                                "0:v",
                                "-map",
                                "1",
                                "-map",
                                "2",
                                "-c:v",
                                "libx264",
                                "-c:s",
                                "copy",
                                "-metadata:s:s:0",
                                "language=eng",
                                "-metadata:s:s:1",
                                "language=fra",
                                "-disposition:s:0",
                                "0",
                                "-disposition:s:1",
                                "default",
                                file.string()}})));
    const auto outcome = run("extract_subtitle_transcript_step", file);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    const json& out = outcome.result;
    ASSERT_EQ(out["tracks"].size(), 2u);
    EXPECT_EQ(out["tracks"][0]["codec"], "subrip");
    EXPECT_EQ(out["tracks"][0]["language"], "eng");
    expectSrtSegments(out["tracks"][0]["segments"]);
    EXPECT_EQ(out["tracks"][0]["full_text"], "Hello world\nSecond line");
    EXPECT_EQ(out["tracks"][1]["codec"], "ass");
    ASSERT_TRUE(out["transcript"].is_object());
    EXPECT_EQ(out["transcript"]["source"], "subtitles");
    EXPECT_EQ(out["transcript"]["track_index"], 2);
    EXPECT_EQ(out["transcript"]["language"], "fra");
    ASSERT_EQ(out["transcript"]["segments"].size(), 1u);
    expectSegment(out["transcript"]["segments"][0], 0.2, 0.6, "Bonjour, le\nmonde");
    EXPECT_EQ(out["transcript"]["full_text"], "Bonjour, le\nmonde");
}

TEST_F(MediaSteps, WithoutADefaultTrackTheFirstTextTrackIsTheTranscript) {
    writeFile(path("a.srt"), kSrt);
    const auto file = path("srt.mkv");
    ASSERT_TRUE(ffmpeg(concat({testVideo(),
                               {"-i", path("a.srt").string(), "-map", "0:v", "-map", "1", "-c:v", "libx264", "-c:s",
                                "srt", "-disposition:s:0", "0", file.string()}})));
    const auto outcome = run("extract_subtitle_transcript_step", file);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["transcript"]["track_index"], 1);
    expectSrtSegments(outcome.result["transcript"]["segments"]);
}

TEST_F(MediaSteps, WebVttInWebm) {
    writeFile(path("a.vtt"),
              "WEBVTT\n\n00:00.100 --> 00:00.400\n<b>Hello</b> world\n\n"
              "00:00.500 --> 00:00.900\nSecond line\n");
    const auto file = path("vtt.webm");
    ASSERT_TRUE(ffmpeg(concat({testVideo(),
                               {"-i", path("a.vtt").string(), "-map", "0:v", "-map", "1", "-c:v", "libvpx-vp9",
                                "-deadline", "realtime", "-c:s", "webvtt", file.string()}})));
    const auto outcome = run("extract_subtitle_transcript_step", file);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    ASSERT_TRUE(outcome.result["transcript"].is_object()) << outcome.result.dump();
    EXPECT_EQ(outcome.result["transcript"]["segments"][0]["text"], "Hello world");
    expectSrtSegments(outcome.result["transcript"]["segments"]);
}

TEST_F(MediaSteps, MovTextInMp4) {
    writeFile(path("a.srt"), kSrt);
    const auto file = path("movtext.mp4");
    ASSERT_TRUE(ffmpeg(concat({testVideo(),
                               {"-i", path("a.srt").string(), "-map", "0:v", "-map", "1", "-c:v", "libx264", "-c:s",
                                "mov_text", file.string()}})));
    const auto outcome = run("extract_subtitle_transcript_step", file);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    ASSERT_TRUE(outcome.result["transcript"].is_object()) << outcome.result.dump();
    EXPECT_EQ(outcome.result["transcript"]["segments"][0]["text"], "Hello world");
    expectSrtSegments(outcome.result["transcript"]["segments"]);
}

TEST_F(MediaSteps, NoTextSubtitlesMeansNoTranscript) {
    const auto file = path("plain.mp4");
    ASSERT_TRUE(ffmpeg(concat({testVideo("0.4"), {"-c:v", "libx264", file.string()}})));
    auto outcome = run("extract_subtitle_transcript_step", file);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_TRUE(outcome.result["transcript"].is_null());
    EXPECT_EQ(outcome.result["tracks"], json::array());
    // With the metadata step's output saying there are no text tracks, the file is not even opened.
    outcome = run("extract_subtitle_transcript_step", path("does-not-exist.mkv"),
                  json{{"extract_metadata_step", {{"subtitles", json::array()}}}});
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_TRUE(outcome.result["transcript"].is_null());
}

}  // namespace
