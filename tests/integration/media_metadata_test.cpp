// extract_metadata_step on clips generated at test time with the ffmpeg CLI, compared field by field
// with what ffprobe reports for the same file; plus the bad inputs a catalog meets.
#include <cmath>
#include <random>
#include <sstream>

#include "media_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::media_test::concat;
using clipdex::media_test::expectSameAsFfprobe;
using clipdex::media_test::ffmpeg;
using clipdex::media_test::ffprobe;
using clipdex::media_test::MediaSteps;
using clipdex::media_test::testAudio;
using clipdex::media_test::testVideo;

TEST_F(MediaSteps, H264AacMp4WithQuickTimeCameraAndLocationTags) {
    const auto file = path("phone.mp4");
    ASSERT_TRUE(ffmpeg(
        concat({testVideo(),
                testAudio(),
                {"-c:v", "libx264", "-c:a", "aac", "-metadata", "make=Apple", "-metadata", "model=iPhone 12",
                 "-metadata", "location=+48.8584+002.2945/", "-movflags", "use_metadata_tags", file.string()}})));
    const json probe = ffprobe(file);
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, probe);
    EXPECT_EQ(out["camera"]["make"], probe["format"]["tags"]["make"]);
    EXPECT_EQ(out["camera"]["model"], "iPhone 12");
    EXPECT_EQ(out["location"]["iso6709"], probe["format"]["tags"]["location"]);
    EXPECT_NEAR(out["location"]["latitude"].get<double>(), 48.8584, 1e-9);
    EXPECT_NEAR(out["location"]["longitude"].get<double>(), 2.2945, 1e-9);
    EXPECT_TRUE(out["location"]["altitude"].is_null());
    EXPECT_EQ(out["codec"], "h264");
    EXPECT_EQ(out["container"]["name"], "MPEG-4");
    EXPECT_EQ(out["width"], 320);
    EXPECT_EQ(out["height"], 180);
    EXPECT_DOUBLE_EQ(out["frame_rate"].get<double>(), 25.0);
    EXPECT_TRUE(out["has_video"]);
    EXPECT_TRUE(out["has_audio"]);
    const json& v = out["video"][0];
    EXPECT_EQ(v["bit_depth"], 8);
    EXPECT_EQ(v["chroma_subsampling"], "4:2:0");
    EXPECT_EQ(v["scan_type"], "progressive");
    EXPECT_EQ(v["level"], "1.2");
    EXPECT_TRUE(v["hdr_format"].is_null());
    EXPECT_EQ(out["audio"][0]["sample_rate"], 48000);
}

TEST_F(MediaSteps, AppleQuickTimeKeysCreationTimeAndAltitude) {
    const auto file = path("apple.mov");
    ASSERT_TRUE(
        ffmpeg(concat({testVideo("0.4"),
                       {"-c:v", "libx264", "-metadata", "com.apple.quicktime.make=Apple", "-metadata",
                        "com.apple.quicktime.model=iPhone 15 Pro", "-metadata", "com.apple.quicktime.software=17.1",
                        "-metadata", "com.apple.quicktime.location.ISO6709=-33.8568+151.2153+012.500/", "-metadata",
                        "creation_time=2024-01-02T03:04:05Z", "-movflags", "use_metadata_tags", file.string()}})));
    const json probe = ffprobe(file);
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, probe);
    const json& tags = probe["format"]["tags"];
    EXPECT_EQ(out["camera"]["make"], tags["com.apple.quicktime.make"]);
    EXPECT_EQ(out["camera"]["model"], "iPhone 15 Pro");
    EXPECT_EQ(out["camera"]["software"], "17.1");
    EXPECT_EQ(out["creation_time"], tags["creation_time"]);
    EXPECT_NEAR(out["location"]["latitude"].get<double>(), -33.8568, 1e-9);
    EXPECT_NEAR(out["location"]["longitude"].get<double>(), 151.2153, 1e-9);
    EXPECT_NEAR(out["location"]["altitude"].get<double>(), 12.5, 1e-9);
    EXPECT_EQ(out["container"]["name"], "QuickTime");
}

TEST_F(MediaSteps, Iso6709LocationForms) {
    // MP4 udta ©xyz (decimal degrees, altitude) and a verbatim Matroska tag in degrees-minutes-seconds.
    const auto mp4 = path("xyz.mp4");
    ASSERT_TRUE(ffmpeg(concat(
        {testVideo("0.2"), {"-c:v", "libx264", "-metadata", "location=+48.8584+002.2945+035.0/", mp4.string()}})));
    json out = metadata(mp4);
    ASSERT_TRUE(out["location"].is_object()) << out.dump();
    EXPECT_EQ(out["location"]["iso6709"], ffprobe(mp4)["format"]["tags"]["location"]);
    EXPECT_NEAR(out["location"]["latitude"].get<double>(), 48.8584, 1e-9);
    EXPECT_NEAR(out["location"]["longitude"].get<double>(), 2.2945, 1e-9);
    EXPECT_NEAR(out["location"]["altitude"].get<double>(), 35.0, 1e-9);
    const auto mkv = path("dms.mkv");
    ASSERT_TRUE(ffmpeg(
        concat({testVideo("0.2"), {"-c:v", "libx264", "-metadata", "location=+404530.00-0735900.00/", mkv.string()}})));
    out = metadata(mkv);
    ASSERT_TRUE(out["location"].is_object()) << out.dump();
    EXPECT_NEAR(out["location"]["latitude"].get<double>(), 40 + 45 / 60.0 + 30 / 3600.0, 1e-9);
    EXPECT_NEAR(out["location"]["longitude"].get<double>(), -(73 + 59 / 60.0), 1e-9);
    EXPECT_TRUE(out["location"]["altitude"].is_null());
}

TEST_F(MediaSteps, Vp9OpusWebmWithWebVttTrack) {
    const auto file = path("clip.webm");
    const auto vtt = path("subs.vtt");
    clipdex::media_test::writeFile(vtt, "WEBVTT\n\n00:00.100 --> 00:00.400\nHello\n");
    ASSERT_TRUE(ffmpeg(
        concat({testVideo(),
                testAudio(),
                {"-i", vtt.string(), "-map", "0:v", "-map", "1:a", "-map", "2", "-c:v", "libvpx-vp9", "-deadline",
                 "realtime", "-c:a", "libopus", "-c:s", "webvtt", "-metadata:s:s:0", "language=eng", file.string()}})));
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, ffprobe(file));
    EXPECT_EQ(out["codec"], "vp9");
    EXPECT_EQ(out["container"]["name"], "WebM");
    EXPECT_EQ(out["audio"][0]["codec"], "opus");
    ASSERT_EQ(out["subtitles"].size(), 1u);
    EXPECT_EQ(out["subtitles"][0]["codec"], "webvtt");
    EXPECT_EQ(out["subtitles"][0]["is_text"], true);
}

TEST_F(MediaSteps, MkvWithTwoAudioLanguagesSubtitlesAndChapters) {
    const auto file = path("two.mkv");
    clipdex::media_test::writeFile(path("a.srt"), "1\n00:00:00,100 --> 00:00:00,400\nHello\n");
    clipdex::media_test::writeFile(path("chapters.txt"),
                                   ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=Intro\n"
                                   "[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=Main\n");
    ASSERT_TRUE(ffmpeg(concat({testVideo(),
                               testAudio(),
                               {"-i",
                                path("a.srt").string(),
                                "-i",
                                path("chapters.txt").string(),
                                "-map",
                                "0:v",
                                "-map",
                                "1:a",
                                "-map",
                                "1:a",
                                "-map",
                                "2",
                                "-map",
                                "2",
                                "-map_chapters",
                                "3",
                                "-c:v",
                                "libx264",
                                "-c:a",
                                "aac",
                                "-c:s:0",
                                "srt",
                                "-c:s:1",
                                "ass",
                                "-metadata:s:a:0",
                                "language=eng",
                                "-metadata:s:a:1",
                                "language=fra",
                                "-metadata:s:s:0",
                                "language=eng",
                                "-metadata:s:s:1",
                                "language=fra",
                                "-metadata:s:s:1",
                                "title=Français",
                                "-disposition:s:1",
                                "default+forced",
                                file.string()}})));
    const json probe = ffprobe(file);
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, probe);
    ASSERT_EQ(out["audio"].size(), 2u);
    EXPECT_EQ(out["audio"][0]["language"], "eng");
    EXPECT_EQ(out["audio"][1]["language"], "fra");
    ASSERT_EQ(out["subtitles"].size(), 2u);
    EXPECT_EQ(out["subtitles"][0]["codec"], "subrip");
    EXPECT_EQ(out["subtitles"][1]["codec"], "ass");
    EXPECT_EQ(out["subtitles"][1]["title"], "Français");
    EXPECT_EQ(out["subtitles"][1]["is_default"], true);
    EXPECT_EQ(out["subtitles"][1]["is_forced"], true);
    EXPECT_EQ(out["subtitles"][0]["is_default"], false);
    ASSERT_EQ(out["chapters"].size(), 2u);
    EXPECT_EQ(out["chapters"][1]["title"], "Main");
    EXPECT_EQ(out["container"]["name"], "Matroska");
}

TEST_F(MediaSteps, ProResMovWithTimecode) {
    const auto file = path("prores.mov");
    ASSERT_TRUE(ffmpeg(concat({testVideo("0.4"), {"-c:v", "prores_ks", "-timecode", "01:00:00:00", file.string()}})));
    const json probe = ffprobe(file);
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, probe);
    EXPECT_EQ(out["timecode"], "01:00:00:00");
    EXPECT_EQ(out["video"][0]["codec"], "prores");
    EXPECT_EQ(out["video"][0]["bit_depth"], 10);
    EXPECT_EQ(out["video"][0]["chroma_subsampling"], "4:2:2");
    EXPECT_EQ(out["container"]["name"], "QuickTime");
    EXPECT_FALSE(out["has_audio"]);
}

TEST_F(MediaSteps, InterlacedMpeg2TransportStream) {
    const auto file = path("interlaced.ts");
    ASSERT_TRUE(
        ffmpeg(concat({testVideo(), {"-c:v", "mpeg2video", "-flags", "+ilme+ildct", "-top", "1", file.string()}})));
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, ffprobe(file));
    EXPECT_EQ(out["video"][0]["field_order"], "tt");
    EXPECT_EQ(out["video"][0]["scan_type"], "interlaced");
    EXPECT_EQ(out["container"]["name"], "MPEG-TS");
    // GOP length as the distance between the first two keyframes ffprobe lists.
    const auto packets = clipdex::test::runProcess(
        "/usr/bin/ffprobe",
        {"-v", "error", "-select_streams", "v", "-show_entries", "packet=flags", "-of", "csv=p=0", file.string()});
    std::vector<int> keys;
    int n = 0;
    std::istringstream lines(packets.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;  // ffprobe's csv writer adds an empty line per packet's side data
        if (line[0] == 'K') keys.push_back(n);
        ++n;
    }
    ASSERT_GE(keys.size(), 2u);
    EXPECT_EQ(out["video"][0]["gop_size"], keys[1] - keys[0]);
}

TEST_F(MediaSteps, RotatedPhoneClipReportsDisplayMatrixRotation) {
    const auto plain = path("plain.mp4");
    const auto file = path("rotated.mp4");
    ASSERT_TRUE(ffmpeg(concat({testVideo("0.4"), {"-c:v", "libx264", plain.string()}})));
    ASSERT_TRUE(ffmpeg({"-i", plain.string(), "-c", "copy", "-metadata:s:v:0", "rotate=90", file.string()}));
    const json probe = ffprobe(file);
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, probe);  // includes side_data_list rotation
    EXPECT_NE(out["video"][0]["rotation"], 0);
    EXPECT_EQ(std::abs(out["video"][0]["rotation"].get<int>()), 90);
}

TEST_F(MediaSteps, UnicodeFileName) {
    const auto file = path("clip été 東京.mp4");
    ASSERT_TRUE(ffmpeg(
        concat({testVideo("0.4"), {"-c:v", "libx264", "-x264-params", "ref=2:bframes=0:keyint=5", file.string()}})));
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, ffprobe(file));
    EXPECT_FALSE(out["has_audio"]);
    EXPECT_TRUE(out["location"].is_null());
    EXPECT_EQ(out["video"][0]["ref_frames"], 2);  // the SPS max_num_ref_frames
    EXPECT_EQ(out["video"][0]["has_b_frames"], 0);
    EXPECT_EQ(out["video"][0]["gop_size"], 5);
}

TEST_F(MediaSteps, BadInputsAreInvalidArgumentsNamingTheFile) {
    const auto empty = path("empty.mp4");
    clipdex::media_test::writeFile(empty, "");
    auto outcome = run("extract_metadata_step", empty);
    EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(outcome.message.find("cannot read empty.mp4 as media"), std::string::npos) << outcome.message;

    const auto noise = path("noise.mov");
    std::string bytes(64 * 1024, '\0');
    std::mt19937 random(42);
    for (char& c : bytes) c = static_cast<char>(random() & 0xff);
    clipdex::media_test::writeFile(noise, bytes);
    outcome = run("extract_metadata_step", noise);
    EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(outcome.message.find("noise.mov"), std::string::npos) << outcome.message;

    outcome = run("extract_metadata_step", path("missing.mp4"));
    EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(outcome.message.find("missing.mp4"), std::string::npos) << outcome.message;

    const auto whole = path("whole.mp4");
    ASSERT_TRUE(ffmpeg(concat({testVideo("0.4"), {"-c:v", "libx264", whole.string()}})));
    const auto size = std::filesystem::file_size(whole);
    std::filesystem::copy_file(whole, path("truncated.mp4"));
    std::filesystem::resize_file(path("truncated.mp4"), size / 2);  // the moov box at the end is gone
    outcome = run("extract_metadata_step", path("truncated.mp4"));
    EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(outcome.message.find("truncated.mp4"), std::string::npos) << outcome.message;

    ASSERT_TRUE(ffmpeg(concat({testVideo("0.1"), {"-frames:v", "1", path("still.png").string()}})));
    std::filesystem::rename(path("still.png"), path("still.mp4"));
    outcome = run("extract_metadata_step", path("still.mp4"));
    EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(outcome.message.find("still.mp4 is a still image"), std::string::npos) << outcome.message;

    const auto audio = path("audio.m4a");
    ASSERT_TRUE(ffmpeg(concat({testAudio("0.3"), {"-c:a", "aac", audio.string()}})));
    outcome = run("extract_metadata_step", audio);
    EXPECT_EQ(outcome.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(outcome.message.find("no video stream"), std::string::npos) << outcome.message;
}

}  // namespace
