// Loading real fixture plugins in-process: one per failure mode is refused or contained, with a clear
// reason, and everything else keeps working.
#include <gtest/gtest.h>

#include "loader/plugin_step.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::Invocation;
using clipdex::json;
using clipdex::Runtime;
using clipdex::RuntimeOptions;
using clipdex::test::fixturePluginDir;
using clipdex::test::TempDir;

class Registry : public ::testing::Test {
protected:
    std::unique_ptr<Runtime> load(const std::vector<std::string>& fixtures) {
        RuntimeOptions options;
        for (const auto& name : fixtures) options.plugin_dirs.push_back(fixturePluginDir(name));
        options.plugin_dirs.push_back(clipdex::test::requiredEnv("CLIPDEX_BUNDLED_PLUGINS"));
        options.load_bundled_plugins = false;
        options.load_env_plugins = false;
        options.catalog = (home_ / "catalog.db").string();
        return std::make_unique<Runtime>(options);
    }
    std::string reasonFor(Runtime& runtime, const std::string& file) {
        for (const auto& refused : runtime.registry().refused())
            if (refused.path.filename() == file) return refused.reason;
        return "<not refused>";
    }
    clipdex::Command* command(Runtime& runtime, const std::string& id) {
        for (auto* candidate : runtime.registry().commands())
            if (candidate->decl().id == id) return candidate;
        return nullptr;
    }
    TempDir home_;
};

TEST_F(Registry, RefusesEachBrokenPluginWithItsReasonAndKeepsTheRest) {
    auto runtime = load({"bad_abi_major", "newer_minor", "no_entry", "bad_manifest", "init_fails", "missing_interface",
                         "clashes_builtin", "good"});
    EXPECT_NE(reasonFor(*runtime, "fixture-bad_abi_major.so").find("built for ABI 2.x"), std::string::npos);
    EXPECT_NE(reasonFor(*runtime, "fixture-newer_minor.so").find("upgrade clipdex"), std::string::npos);
    EXPECT_NE(reasonFor(*runtime, "fixture-no_entry.so").find("does not export clipdex_plugin_entry_v1"),
              std::string::npos);
    EXPECT_NE(reasonFor(*runtime, "fixture-bad_manifest.so").find("invalid manifest: provides.commands[0]"),
              std::string::npos);
    EXPECT_NE(reasonFor(*runtime, "fixture-init_fails.so").find("FIXTURE_API_KEY is not set"), std::string::npos);
    EXPECT_NE(reasonFor(*runtime, "fixture-missing_interface.so").find("clipdex.command/1"), std::string::npos);
    EXPECT_NE(reasonFor(*runtime, "fixture-clashes_builtin.so").find("clipdex serve"), std::string::npos);
    EXPECT_EQ(runtime->registry().refused().size(), 7u);
    ASSERT_NE(runtime->registry().findPlugin("fixture.good"), nullptr);
    ASSERT_NE(runtime->registry().findPlugin("clipdex.system"), nullptr);
    EXPECT_EQ(command(*runtime, "ghost"), nullptr) << "a refused plugin's commands must not be routed";
}

TEST_F(Registry, InvokesPluginCommandsThroughTheAbi) {
    auto runtime = load({"good"});
    Invocation echo;
    echo.args = json{{"text", "hi"}, {"count", 2}, {"loud", true}, {"ratio", 0.5}, {"mode", "hybrid"}};
    const auto outcome = command(*runtime, "echo")->run(echo);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["repeated"], json::array({"HI", "HI"}));

    Invocation missing;
    missing.args = json{{"id", "7"}};
    const auto not_found = command(*runtime, "get-item")->run(missing);
    EXPECT_EQ(not_found.status, CDX_E_NOT_FOUND);
    EXPECT_EQ(not_found.message, "item 7 not found");
    EXPECT_EQ(not_found.details["code"], "ITEM_NOT_FOUND");
}

TEST_F(Registry, StreamsRecordsToAConsumerOrBuffersThem) {
    auto runtime = load({"good"});
    Invocation buffered;
    buffered.args = json{{"n", 4}};
    const auto outcome = command(*runtime, "stream")->run(buffered);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.records.size(), 4u);
    EXPECT_EQ(outcome.records[3]["index"], 3);

    std::vector<json> seen;
    Invocation streamed;
    streamed.args = json{{"n", 2}};
    streamed.on_record = [&](const json& record) { seen.push_back(record); };
    EXPECT_TRUE(command(*runtime, "stream")->run(streamed).records.empty());
    EXPECT_EQ(seen.size(), 2u);
}

TEST_F(Registry, CancellationAndDeadlineReachThePlugin) {
    auto runtime = load({"good"});
    Invocation cancelled;
    cancelled.args = json{{"ms", 10000}};
    cancelled.cancel->cancel();
    EXPECT_EQ(command(*runtime, "slow")->run(cancelled).status, CDX_E_CANCELLED);

    Invocation too_slow;  // the manifest's timeout_ms is 2000
    too_slow.args = json{{"ms", 60000}};
    EXPECT_EQ(command(*runtime, "slow")->run(too_slow).status, CDX_E_TIMEOUT);
}

TEST_F(Registry, ContainsThrowingAndMisbehavingCommands) {
    auto runtime = load({"throws"});
    Invocation call;
    const auto boom = command(*runtime, "boom")->run(call);
    EXPECT_EQ(boom.status, CDX_E_INTERNAL);
    EXPECT_EQ(boom.message, "the fixture exploded on purpose");
    EXPECT_EQ(command(*runtime, "boom-int")->run(call).status, CDX_E_INTERNAL);
    const auto garbage = command(*runtime, "bad-json")->run(call);
    EXPECT_EQ(garbage.status, CDX_E_INTERNAL);
    EXPECT_NE(garbage.message.find("not valid JSON"), std::string::npos);
    EXPECT_TRUE(command(*runtime, "boom")->run(call).status == CDX_E_INTERNAL) << "still callable afterwards";
}

TEST_F(Registry, HostServicesAnswerThePlugin) {
    auto runtime = load({"good"});
    Invocation call;
    call.request_id = "req-1";
    const auto outcome = command(*runtime, "services")->run(call);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["plugin_id"], "fixture.good");
    EXPECT_EQ(outcome.result["request_id"], "req-1");
    EXPECT_EQ(outcome.result["dialect"], "sqlite");
    EXPECT_GE(outcome.result["migrations"][0]["n"].get<int>(), 1);
    EXPECT_EQ(outcome.result["steps"], runtime->registry().describe("steps").size());
    EXPECT_EQ(outcome.result["principal"]["id"], "local");
}

TEST_F(Registry, DuplicateIdsAndRouteClashesAreRefusedNamingBoth) {
    auto runtime = load({"good", "good"});
    EXPECT_TRUE(runtime->registry().refused().empty()) << "the same file twice is loaded once";
    clipdex::RuntimeOptions options;
    EXPECT_THROW(runtime->registry().addBuiltin(std::make_unique<clipdex::BuiltinCommand>(
                     runtime->registry().commands().front()->decl(), [](Invocation&) { return json(); })),
                 std::invalid_argument);
}

TEST_F(Registry, DescribesPluginsAndStepsForIntrospection) {
    auto runtime = load({"good", "no_entry"});
    const json plugins = runtime->registry().describe("plugins");
    bool saw_refused = false;
    for (const json& plugin : plugins) saw_refused |= plugin["status"] == "refused";
    EXPECT_TRUE(saw_refused);
    json steps = json::array();
    for (const json& step : runtime->registry().describe("steps"))
        if (step["plugin"] == "fixture.good") steps.push_back(step);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[1]["depends_on"], json::array({"fixture_checksum"}));
    EXPECT_EQ(steps[1]["enabled_by_default"], false);
    EXPECT_THROW(runtime->registry().describe("widgets"), std::invalid_argument);
}

}  // namespace

namespace {

TEST(PluginSteps, CreateAndRunThroughTheStepInterface) {
    TempDir home;
    clipdex::RuntimeOptions options;
    options.plugin_dirs = {fixturePluginDir("good")};
    options.load_bundled_plugins = false;
    options.load_env_plugins = false;
    options.catalog = (home / "catalog.db").string();
    Runtime runtime(options);
    auto [plugin, decl] = clipdex::findStep(runtime.registry(), "fixture_checksum");
    ASSERT_NE(plugin, nullptr);
    Invocation call;
    clipdex::Outcome error;
    auto step = clipdex::PluginStep::create(*plugin, *decl, json::object(), call, error);
    ASSERT_NE(step, nullptr) << error.message;
    const auto outcome = step->run(json{{"path", "a.mp4"}}, call);
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["checksum"], "sum-of-a.mp4");
    auto [missing_plugin, missing] = clipdex::findStep(runtime.registry(), "fixture_thumbs");
    ASSERT_NE(missing, nullptr);
    EXPECT_EQ(clipdex::PluginStep::create(*missing_plugin, *missing, json::object(), call, error), nullptr);
    EXPECT_EQ(error.status, CDX_E_UNSUPPORTED);
}

}  // namespace
