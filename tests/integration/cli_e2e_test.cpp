// The real clipdex binary: commands generated from the loaded plugins, output formats, exit codes.
#include <clipdex/abi.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/json.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
using clipdex::test::fixturePluginDir;
using clipdex::test::ProcessResult;
using clipdex::test::runClipdex;
using clipdex::test::TempDir;

using clipdex::test::describe;

json stdoutJson(const ProcessResult& run) {
    json value = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(value.is_discarded()) << "stdout is not JSON:\n" << describe(run);
    return value;
}

class CliEndToEnd : public ::testing::Test {
protected:
    ProcessResult run(std::vector<std::string> args, const std::string& stdin_text = "") {
        return runClipdex(home_, args, stdin_text);
    }
    std::vector<std::string> withFixture(const std::string& fixture, std::vector<std::string> args) {
        args.insert(args.begin(), {"--plugin-dir", fixturePluginDir(fixture).string()});
        return args;
    }
    TempDir home_;
};

TEST_F(CliEndToEnd, VersionFromTheSystemPluginPrintsOnlyJson) {
    const auto result = run({"version", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    const json version = stdoutJson(result);
    EXPECT_EQ(version["name"], "clipdex");
    EXPECT_EQ(version["abi"], std::to_string(CDX_ABI_MAJOR) + "." + std::to_string(CDX_ABI_MINOR));
    EXPECT_FALSE(version["version"].get<std::string>().empty());
}

TEST_F(CliEndToEnd, HelpListsCommandsDiscoveredFromPlugins) {
    const auto root = run({"--help"});
    EXPECT_EQ(root.exit_code, 0) << describe(root);
    for (const char* word : {"version", "list-steps", "plugins", "serve"})
        EXPECT_NE(root.out.find(word), std::string::npos) << word << " missing from help\n" << root.out;
    const auto with_fixture = run(withFixture("good", {"fixture", "echo", "--help"}));
    EXPECT_EQ(with_fixture.exit_code, 0) << describe(with_fixture);
    EXPECT_NE(with_fixture.out.find("--count"), std::string::npos) << with_fixture.out;
}

TEST_F(CliEndToEnd, ListStepsShowsStepsOfEveryLoadedPlugin) {
    const auto result = run(withFixture("good", {"list-steps", "--format", "json"}));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    const json all_steps = stdoutJson(result);
    ASSERT_TRUE(all_steps.is_array()) << all_steps;
    json steps = json::array();
    for (const json& step : all_steps)
        if (step["plugin"] == "fixture.good") steps.push_back(step);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0]["name"], "fixture_checksum");
    EXPECT_EQ(steps[0]["category"], "Processing");
    EXPECT_EQ(steps[1]["enabled"], false);
    const auto table = run(withFixture("good", {"list-steps"}));
    EXPECT_EQ(table.exit_code, 0);
    EXPECT_NE(table.out.find("Step Name"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("fixture_thumbs"), std::string::npos) << table.out;
}

TEST_F(CliEndToEnd, RefusedPluginsAreListedWithReasonsAndTheRestWorks) {
    const auto result = run(withFixture("bad_abi_major", {"plugins", "list", "--format", "json"}));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    bool refused = false;
    bool system_loaded = false;
    for (const json& plugin : stdoutJson(result)) {
        if (plugin["status"] == "refused") {
            refused = true;
            EXPECT_NE(plugin["reason"].get<std::string>().find("ABI 2.x"), std::string::npos) << plugin;
        }
        system_loaded |= plugin["id"] == "clipdex.system" && plugin["status"] == "loaded";
    }
    EXPECT_TRUE(refused && system_loaded) << result.out;
    EXPECT_NE(result.err.find("fixture-bad_abi_major.so refused"), std::string::npos) << result.err;

    const auto info =
        run(withFixture("bad_abi_major", {"plugins", "info", "fixture-bad_abi_major.so", "--format", "json"}));
    ASSERT_EQ(info.exit_code, 0) << describe(info);
    EXPECT_EQ(stdoutJson(info)["status"], "refused");
    const auto loaded = run({"plugins", "info", "clipdex.system", "--format", "json"});
    EXPECT_EQ(stdoutJson(loaded)["provides"]["commands"].size(), 2u);
    const auto unknown = run({"plugins", "info", "no.such.plugin"});
    EXPECT_EQ(unknown.exit_code, 1) << describe(unknown);
}

TEST_F(CliEndToEnd, ExitCodesSeparateUsageErrorsFromFailures) {
    const auto bad_value = run(withFixture("good", {"fixture", "echo", "hi", "--count", "eleven"}));
    EXPECT_EQ(bad_value.exit_code, 2) << describe(bad_value);
    EXPECT_NE(bad_value.err.find("--count"), std::string::npos) << bad_value.err;
    EXPECT_TRUE(bad_value.out.empty());
    const auto unknown_option = run({"version", "--colour"});
    EXPECT_EQ(unknown_option.exit_code, 2) << describe(unknown_option);
    EXPECT_NE(unknown_option.err.find("--colour"), std::string::npos) << unknown_option.err;
    const auto unknown_command = run({"frobnicate"});
    EXPECT_EQ(unknown_command.exit_code, 2) << describe(unknown_command);
    const auto not_found = run(withFixture("good", {"fixture", "item", "7"}));
    EXPECT_EQ(not_found.exit_code, 1) << describe(not_found);
    EXPECT_NE(not_found.err.find("item 7 not found"), std::string::npos) << not_found.err;
}

TEST_F(CliEndToEnd, TypedArgumentsReachThePlugin) {
    const auto result = run(withFixture("good", {"fixture", "echo", "hé llo", "-c", "2", "--loud", "--tags", "a,b",
                                                 "--tags", "c", "--mode", "keyword", "--format", "json"}));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    const json echo = stdoutJson(result);
    EXPECT_EQ(echo["count"], 2);
    EXPECT_EQ(echo["tags"], json::array({"a", "b", "c"}));
    EXPECT_EQ(echo["mode"], "fulltext");
    EXPECT_EQ(echo["repeated"].size(), 2u);
}

TEST_F(CliEndToEnd, ThrowingPluginCommandFailsCleanly) {
    const auto result = run(withFixture("throws", {"boom"}));
    EXPECT_EQ(result.exit_code, 1) << describe(result);
    EXPECT_NE(result.err.find("the fixture exploded on purpose"), std::string::npos) << result.err;
    const auto after = run(withFixture("throws", {"version", "--format", "json"}));
    EXPECT_EQ(after.exit_code, 0) << describe(after);
}

TEST_F(CliEndToEnd, PromptsReadPipedInputForScripts) {
    const auto result =
        run(withFixture("good", {"fixture", "login", "--format", "json"}), "ada@example.com\nsecret\nsecret\n");
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    EXPECT_EQ(stdoutJson(result)["email"], "ada@example.com");
    EXPECT_EQ(stdoutJson(result)["password_length"], 6);
    EXPECT_EQ(result.out.find("secret"), std::string::npos) << "the password must not be echoed";
    const auto closed = run(withFixture("good", {"fixture", "login"}));
    EXPECT_EQ(closed.exit_code, 2) << describe(closed);
}

TEST_F(CliEndToEnd, CatalogAndConfigReachPluginsThroughServices) {
    const auto config = home_ / "config.json";
    std::ofstream(config) << R"({"plugins": {"fixture.good": {"greeting": "hej"}}})";
    const auto catalog = home_ / "custom" / "catalog.db";
    const auto result = run(withFixture("good", {"--catalog", catalog.string(), "--config-file", config.string(),
                                                 "fixture", "services", "--format", "json"}));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    const json services = stdoutJson(result);
    EXPECT_EQ(services["config"]["greeting"], "hej");
    EXPECT_EQ(services["dialect"], "sqlite");
    EXPECT_TRUE(std::filesystem::exists(catalog)) << "--catalog must create the catalog there";
}

TEST_F(CliEndToEnd, DefaultCatalogLivesInTheXdgDataDirectory) {
    const auto result = run(withFixture("good", {"fixture", "services", "--format", "json"}));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    EXPECT_TRUE(std::filesystem::exists(home_ / "data" / "clipdex" / "catalog.db"));
}

}  // namespace

namespace {

TEST_F(CliEndToEnd, APluginIsMappedOnFirstUseAndRefusedThenIfItsSidecarLies) {
    // A copy of the good fixture whose installed manifest no longer matches the embedded one.
    const auto dir = home_ / "tampered";
    std::filesystem::create_directories(dir);
    const auto source = fixturePluginDir("good");
    std::filesystem::copy_file(source / "fixture-good.so", dir / "fixture-good.so");
    json manifest = json::parse(std::ifstream(source / "fixture-good.json"));
    manifest["version"] = "9.9.9";
    std::ofstream(dir / "fixture-good.json") << manifest.dump();

    const auto help = run({"--plugin-dir", dir.string(), "fixture", "echo", "--help"});
    EXPECT_EQ(help.exit_code, 0) << "routes come from the sidecar without mapping the library\n" << describe(help);
    const auto call = run({"--plugin-dir", dir.string(), "fixture", "echo", "hi"});
    EXPECT_EQ(call.exit_code, 1) << describe(call);
    EXPECT_NE(call.err.find("differs from the one embedded"), std::string::npos) << call.err;
    const auto list = run({"--plugin-dir", dir.string(), "plugins", "list", "--format", "json"});
    bool refused = false;
    for (const json& plugin : stdoutJson(list))
        refused |= plugin["id"] == "fixture.good" && plugin["status"] == "refused";
    EXPECT_TRUE(refused) << list.out;
}

}  // namespace
