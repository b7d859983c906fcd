// FFmpeg's own log lines reach the host log (spdlog, with the plugin's id) instead of raw stderr, at a level
// the user chooses: quiet by default, visible with --log-level info.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::test::describe;
using clipdex::test::runClipdex;
using clipdex::test::runProcess;
using clipdex::test::TempDir;

TEST(FfmpegLog, DamagedInputIsLoggedThroughTheHostAtInfoAndQuietByDefault) {
    TempDir home;
    TempDir media;
    const fs::path whole = home / "whole.mp4";
    const auto made = runProcess("ffmpeg", {"-y", "-loglevel", "error", "-f", "lavfi", "-i",
                                            "testsrc=size=160x120:rate=25", "-t", "2", whole.string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    {
        std::ifstream in(whole, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(media / "cut.mp4", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    }

    const auto quiet = runClipdex(home, {"ingest", media.path().string()});
    EXPECT_EQ(quiet.err.find("moov atom not found"), std::string::npos) << describe(quiet);

    const auto verbose = runClipdex(home, {"--log-level", "info", "ingest", media.path().string(), "--force"});
    const auto line = verbose.err.find("ffmpeg: ");
    ASSERT_NE(line, std::string::npos) << describe(verbose);
    EXPECT_NE(verbose.err.find("[clipdex.media] ffmpeg: "), std::string::npos) << describe(verbose);
    EXPECT_NE(verbose.err.find("moov atom not found"), std::string::npos) << describe(verbose);
}

}  // namespace
