// preScan: global options read from argv before plugins load, never failing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_router.hpp"

namespace clipdex::cli {
namespace {

GlobalOptions scan(std::vector<std::string> args) {
    args.insert(args.begin(), "clipdex");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    return preScan(static_cast<int>(argv.size()), argv.data());
}

TEST(CliPreScan, DefaultsWhenNothingIsGiven) {
    const GlobalOptions options = scan({"search", "recent"});
    EXPECT_TRUE(options.plugin_dirs.empty());
    EXPECT_FALSE(options.catalog.has_value());
    EXPECT_FALSE(options.config_file.has_value());
    EXPECT_EQ(options.log_level, "warn");
}

TEST(CliPreScan, BothSpellingsAnywhere) {
    const GlobalOptions options = scan({"--plugin-dir", "a", "search", "recent", "-l", "5", "--plugin-dir=b",
                                        "--catalog", "x.db", "--log-level=debug", "--config-file", "c.json"});
    ASSERT_EQ(options.plugin_dirs.size(), 2u);
    EXPECT_EQ(options.plugin_dirs[0], "a");
    EXPECT_EQ(options.plugin_dirs[1], "b");
    EXPECT_EQ(options.catalog, "x.db");
    EXPECT_EQ(options.config_file, std::filesystem::path("c.json"));
    EXPECT_EQ(options.log_level, "debug");
}

TEST(CliPreScan, LastValueWinsAndEmptyValuesAreKept) {
    const GlobalOptions options = scan({"--catalog=a.db", "--catalog", "b.db", "--log-level="});
    EXPECT_EQ(options.catalog, "b.db");
    EXPECT_EQ(options.log_level, "");
}

TEST(CliPreScan, NeverFails) {
    EXPECT_FALSE(scan({"--catalog"}).catalog.has_value());                // value missing at the end
    EXPECT_TRUE(scan({"--", "--catalog", "x"}).catalog == std::nullopt);  // after -- everything is positional
    EXPECT_EQ(scan({"--catalogue", "x", "--plugin-directory=y"}).plugin_dirs.size(), 0u);  // no prefix matching
    EXPECT_EQ(scan({"--catalog", "--log-level"}).catalog, "--log-level");  // like CLI11, the next word is the value
    EXPECT_TRUE(preScan(0, nullptr).plugin_dirs.empty());
    const char* with_null[] = {"clipdex", "--catalog", nullptr};
    EXPECT_FALSE(preScan(3, with_null).catalog.has_value());
}

}  // namespace
}  // namespace clipdex::cli
