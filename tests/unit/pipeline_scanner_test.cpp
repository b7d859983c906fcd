// The scanner on real media generated with the ffmpeg CLI, plus every bad input kind.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "pipeline/scanner.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace clipdex::pipeline;
using clipdex::test::runProcess;
using clipdex::test::TempDir;

void ffmpeg(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"-y", "-loglevel", "error"};
    all.insert(all.end(), args.begin(), args.end());
    const auto result = runProcess("ffmpeg", all);
    ASSERT_EQ(result.exit_code, 0) << result.err;
}

void makeVideo(const fs::path& path, const std::string& duration = "1") {
    ffmpeg({"-f", "lavfi", "-i", "testsrc=size=128x72:rate=10", "-t", duration, "-pix_fmt", "yuv420p", path.string()});
}

const ScanEntry* find(const std::vector<ScanEntry>& entries, const std::string& name) {
    for (const ScanEntry& entry : entries)
        if (entry.path.filename() == name) return &entry;
    return nullptr;
}

std::vector<std::string> names(const std::vector<ScanEntry>& entries) {
    std::vector<std::string> out;
    for (const ScanEntry& entry : entries) out.push_back(entry.path.filename().string());
    return out;
}

class PipelineScanner : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        media_ = new TempDir();
        const fs::path root = media_->path();
        fs::create_directories(root / "sub" / "deeper");
        fs::create_directories(root / ".hidden_dir");
        makeVideo(root / "b_clip.mp4");
        makeVideo(root / "café clip.mp4");
        makeVideo(root / "sub" / "deeper" / "deep.mkv");
        makeVideo(root / ".hidden.mp4");
        makeVideo(root / ".hidden_dir" / "inside.mp4");
        makeVideo(root / "clip.mp4");
        fs::rename(root / "clip.mp4", root / "clip.avi.txt");
        std::ofstream(root / "zero.mp4");
        std::mt19937 random(42);
        std::ofstream noise(root / "random.mp4", std::ios::binary);
        for (int i = 0; i < 8192; ++i) noise.put(static_cast<char>(random() & 0xff));
        noise.close();
        ffmpeg({"-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1", (root / "still.png").string()});
        fs::rename(root / "still.png", root / "picture.mp4");
        ffmpeg({"-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", (root / "song.m4a").string()});
        fs::copy_file(root / "b_clip.mp4", root / "sub" / "truncated.mov");
        fs::resize_file(root / "sub" / "truncated.mov", 600);
        fs::create_directory_symlink("..", root / "sub" / "loop");
        fs::create_symlink(root / "b_clip.mp4", root / "sub" / "link.mp4");
    }
    static void TearDownTestSuite() {
        delete media_;
        runtime_.reset();
        delete home_;
    }
    /// Scan options whose content probe is the bundled media plugin's `media probe`, as ingest uses.
    static ScanOptions probed() {
        if (!runtime_) {
            home_ = new TempDir;
            runtime_ = clipdex::test::bundledRuntime(home_->path() / "c.db");
        }
        ScanOptions options;
        options.probe = clipdex::pipeline::contentProbe(runtime_->registry().commands());
        EXPECT_TRUE(options.probe) << "the media plugin's probe command is not loaded";
        return options;
    }
    static TempDir* media_;
    static TempDir* home_;
    static std::unique_ptr<clipdex::Runtime> runtime_;
};
TempDir* PipelineScanner::media_ = nullptr;
TempDir* PipelineScanner::home_ = nullptr;
std::unique_ptr<clipdex::Runtime> PipelineScanner::runtime_;

TEST_F(PipelineScanner, FindsVideosByContentAndReportsEveryBadInput) {
    ScanOptions options = probed();
    options.extensions = parseFileTypes(std::string(kDefaultFileTypes) + ",m4a");
    const auto entries = scanDirectory(media_->path(), options);
    EXPECT_EQ(names(entries),
              (std::vector<std::string>{"b_clip.mp4", "café clip.mp4", "picture.mp4", "random.mp4", "song.m4a",
                                        "deep.mkv", "link.mp4", "loop", "truncated.mov", "zero.mp4"}))
        << "sorted, depth first, hidden names and unlisted extensions left out";
    for (const char* video : {"b_clip.mp4", "café clip.mp4", "deep.mkv", "link.mp4"}) {
        ASSERT_NE(find(entries, video), nullptr) << video;
        EXPECT_EQ(find(entries, video)->status, "video") << video << ": " << find(entries, video)->reason;
    }
    EXPECT_EQ(find(entries, "zero.mp4")->reason, "empty file");
    EXPECT_EQ(find(entries, "random.mp4")->status, "skipped");
    EXPECT_EQ(find(entries, "random.mp4")->reason, "not a recognised media format");
    EXPECT_EQ(find(entries, "picture.mp4")->status, "skipped");
    EXPECT_NE(find(entries, "picture.mp4")->reason.find("still image"), std::string::npos)
        << find(entries, "picture.mp4")->reason;
    EXPECT_EQ(find(entries, "song.m4a")->reason, "no video stream (audio only)");
    EXPECT_EQ(find(entries, "truncated.mov")->status, "skipped");
    EXPECT_FALSE(find(entries, "truncated.mov")->reason.empty());
    EXPECT_EQ(find(entries, "loop")->status, "skipped");
    EXPECT_NE(find(entries, "loop")->reason.find("symlink loop"), std::string::npos);
    EXPECT_GT(find(entries, "b_clip.mp4")->size_bytes, 0U);
}

TEST_F(PipelineScanner, NonRecursiveFileTypesAndLimitNarrowTheSet) {
    ScanOptions options = probed();
    options.recursive = false;
    options.extensions = parseFileTypes("mp4");
    EXPECT_EQ(names(scanDirectory(media_->path(), options)),
              (std::vector<std::string>{"b_clip.mp4", "café clip.mp4", "picture.mp4", "random.mp4", "zero.mp4"}));
    options.extensions = parseFileTypes("MKV");
    options.recursive = true;
    EXPECT_EQ(names(scanDirectory(media_->path(), options)), (std::vector<std::string>{"deep.mkv", "loop"}))
        << "a symlink loop is reported whatever the file types";
    options.extensions = parseFileTypes("mp4,mkv");
    options.limit = 2;
    const auto limited = scanDirectory(media_->path(), options);
    EXPECT_EQ(names(limited), (std::vector<std::string>{"b_clip.mp4", "café clip.mp4"}));
}

TEST_F(PipelineScanner, UnreadableFilesAreReported) {
    TempDir dir;
    makeVideo(dir / "locked.mp4");
    fs::permissions(dir / "locked.mp4", fs::perms::none);
    const ScanOptions options = probed();
    auto check = [&]() -> int {
        const auto entries = scanDirectory(dir.path(), options);
        if (entries.size() != 1U) return 10;
        if (entries[0].status != "unreadable") return 11;
        return entries[0].reason.find("cannot read file") == std::string::npos ? 12 : 0;
    };
    if (::geteuid() != 0) {
        EXPECT_EQ(check(), 0);
        return;
    }
    // Root reads a mode-000 file anyway (CI runs as root), so the scan runs in a child that gave up root.
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    const pid_t child = ::fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
        if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(20);
        ::_exit(check());
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: wrong entry count, 11: not unreadable, 12: reason, 20: setresuid";
}

TEST(PipelineScannerTypes, ParsesCommaListsOfExtensions) {
    EXPECT_EQ(parseFileTypes(" mp4, .MOV,,mkv,mp4 "), (std::vector<std::string>{"mp4", "mov", "mkv"}));
    EXPECT_TRUE(parseFileTypes("").empty());
}

TEST(PipelineScannerTypes, AMissingRootThrows) {
    EXPECT_THROW(scanDirectory("/nonexistent/clipdex/dir", {}), fs::filesystem_error);
}

}  // namespace
