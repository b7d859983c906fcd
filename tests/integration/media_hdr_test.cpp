// HDR signalling in extract_metadata_step: HDR10 (PQ + mastering display + content light level from the
// first frame's SEI), HLG, and a Dolby Vision configuration record (a dvvC box added to an HEVC MP4, as
// ffmpeg 5.1 cannot encode Dolby Vision), each compared with ffprobe.
#include <fstream>
#include <iterator>

#include "media_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::media_test::concat;
using clipdex::media_test::expectSameAsFfprobe;
using clipdex::media_test::ffmpeg;
using clipdex::media_test::ffprobe;
using clipdex::media_test::fraction;
using clipdex::media_test::hasEncoder;
using clipdex::media_test::MediaSteps;
using clipdex::media_test::testVideo;

void hevcCase(const std::filesystem::path& file, const std::string& params) {
    ASSERT_TRUE(ffmpeg(concat(
        {testVideo("0.4"),
         {"-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error:" + params, file.string()}})));
}

const char* kHdr10 =
    "hdr10=1:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):"
    "max-cll=1000,400:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc";

// --- a minimal MP4 box editor: append a box to the first sample entry of the first track ------------

uint32_t be32(const std::string& bytes, size_t at) {
    return (uint32_t(uint8_t(bytes[at])) << 24) | (uint32_t(uint8_t(bytes[at + 1])) << 16) |
           (uint32_t(uint8_t(bytes[at + 2])) << 8) | uint32_t(uint8_t(bytes[at + 3]));
}
void put32(std::string& bytes, size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = char((value >> (24 - 8 * i)) & 0xff);
}
size_t findBox(const std::string& bytes, size_t begin, size_t end, const std::string& type) {
    for (size_t at = begin; at + 8 <= end;) {
        const uint32_t size = be32(bytes, at);
        if (size < 8) return std::string::npos;
        if (bytes.compare(at + 4, 4, type) == 0) return at;
        at += size;
    }
    return std::string::npos;
}

// Adds a 'dvvC' record (profile 8, level 4, RPU + BL, compatibility id 1) to the video sample entry.
bool addDolbyVisionRecord(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<size_t> chain;  // moov, trak, mdia, minf, stbl, stsd, sample entry
    size_t begin = 0;
    size_t end = bytes.size();
    for (const char* type : {"moov", "trak", "mdia", "minf", "stbl", "stsd"}) {
        const size_t at = findBox(bytes, begin, end, type);
        if (at == std::string::npos) return false;
        chain.push_back(at);
        begin = at + 8;
        end = at + be32(bytes, at);
    }
    const size_t entry = chain.back() + 16;  // after the stsd header, version/flags and entry count
    chain.push_back(entry);
    // Offsets in stco point into mdat; they stay valid only when mdat precedes moov (ffmpeg's default).
    const size_t mdat = findBox(bytes, 0, bytes.size(), "mdat");
    if (mdat == std::string::npos || mdat > chain.front()) return false;
    std::string box(8 + 24, '\0');
    put32(box, 0, uint32_t(box.size()));
    box.replace(4, 4, "dvvC");
    box[8] = 1;                                                // dv_version_major
    box[9] = 0;                                                // dv_version_minor
    const uint16_t bits = (8 << 9) | (4 << 3) | (1 << 2) | 1;  // profile 8, level 4, rpu, no el, bl
    box[10] = char(bits >> 8);
    box[11] = char(bits & 0xff);
    box[12] = char(1 << 4);  // dv_bl_signal_compatibility_id 1
    bytes.insert(entry + be32(bytes, entry), box);
    for (size_t at : chain) put32(bytes, at, be32(bytes, at) + uint32_t(box.size()));
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    return bool(out);
}

TEST_F(MediaSteps, Hevc10BitHdr10MasteringDisplayAndContentLight) {
    if (!hasEncoder("libx265")) GTEST_SKIP() << "ffmpeg has no libx265 encoder";
    const auto file = path("hdr10.mp4");
    hevcCase(file, kHdr10);
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, ffprobe(file));
    const json& v = out["video"][0];
    EXPECT_EQ(v["profile"], "Main 10");
    EXPECT_EQ(v["bit_depth"], 10);
    EXPECT_EQ(v["color_transfer"], "smpte2084");
    EXPECT_EQ(v["hdr_format"], "HDR10");
    EXPECT_TRUE(v["is_hdr"]);
    EXPECT_TRUE(v["dolby_vision"].is_null());
    // The SEI side data is on the first frame, where ffprobe -show_frames finds it too.
    const json frames = ffprobe(file, {"-show_frames", "-read_intervals", "%+#1", "-select_streams", "v"});
    ASSERT_FALSE(frames["frames"].empty());
    bool saw_mastering = false;
    for (const json& sd : frames["frames"][0]["side_data_list"]) {
        if (sd["side_data_type"] == "Mastering display metadata") {
            saw_mastering = true;
            for (const char* key : {"red_x", "red_y", "green_x", "green_y", "blue_x", "blue_y", "white_point_x",
                                    "white_point_y", "min_luminance", "max_luminance"})
                EXPECT_NEAR(v["mastering_display"][key].get<double>(), fraction(sd[key]), 1e-9) << key;
        }
        if (sd["side_data_type"] == "Content light level metadata") {
            EXPECT_EQ(v["content_light_level"]["max_cll"], sd["max_content"]);
            EXPECT_EQ(v["content_light_level"]["max_fall"], sd["max_average"]);
        }
    }
    EXPECT_TRUE(saw_mastering);
    EXPECT_EQ(v["content_light_level"], (json{{"max_cll", 1000}, {"max_fall", 400}}));
    EXPECT_NEAR(v["mastering_display"]["max_luminance"].get<double>(), 1000.0, 1e-9);
}

TEST_F(MediaSteps, HevcHlgIsClassifiedByTransfer) {
    if (!hasEncoder("libx265")) GTEST_SKIP() << "ffmpeg has no libx265 encoder";
    const auto file = path("hlg.mp4");
    hevcCase(file, "colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc");
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, ffprobe(file));
    EXPECT_EQ(out["video"][0]["color_transfer"], "arib-std-b67");
    EXPECT_EQ(out["video"][0]["hdr_format"], "HLG");
    EXPECT_TRUE(out["video"][0]["mastering_display"].is_null());
}

TEST_F(MediaSteps, DolbyVisionConfigurationRecord) {
    if (!hasEncoder("libx265")) GTEST_SKIP() << "ffmpeg has no libx265 encoder";
    const auto file = path("dovi.mp4");
    hevcCase(file, kHdr10);
    ASSERT_TRUE(addDolbyVisionRecord(file));
    const json probe = ffprobe(file);
    json record;
    for (const json& sd : probe["streams"][0].value("side_data_list", json::array()))
        if (sd["side_data_type"] == "DOVI configuration record") record = sd;
    ASSERT_TRUE(record.is_object()) << "ffprobe does not see the injected dvvC box: " << probe.dump();
    const json out = metadata(file);
    ASSERT_FALSE(out.empty());
    expectSameAsFfprobe(out, probe);
    const json& v = out["video"][0];
    EXPECT_EQ(v["hdr_format"], "Dolby Vision");
    ASSERT_TRUE(v["dolby_vision"].is_object());
    EXPECT_EQ(v["dolby_vision"]["profile"], record["dv_profile"]);
    EXPECT_EQ(v["dolby_vision"]["level"], record["dv_level"]);
    EXPECT_EQ(v["dolby_vision"]["rpu_present"], record["rpu_present_flag"] == 1);
    EXPECT_EQ(v["dolby_vision"]["el_present"], record["el_present_flag"] == 1);
    EXPECT_EQ(v["dolby_vision"]["bl_present"], record["bl_present_flag"] == 1);
    EXPECT_EQ(v["dolby_vision"]["bl_signal_compatibility_id"], record["dv_bl_signal_compatibility_id"]);
    EXPECT_EQ(v["dolby_vision"]["profile"], 8);
    EXPECT_EQ(v["dolby_vision"]["level"], 4);
    EXPECT_EQ(v["dolby_vision"]["version"], "1.0");
    EXPECT_FALSE(v["mastering_display"].is_null());  // the HDR10 base layer's SEI is still reported
}

}  // namespace
