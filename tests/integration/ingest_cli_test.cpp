// `clipdex ingest` end to end with the fixture step plugin: exit codes, summary counts, the run directory,
// --dry-run, --config, and step-name errors. Bundled steps are switched off through --config so only the
// fixture steps decide the outcome.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "core/json.hpp"
#include "core/schema.hpp"
#include "pipeline/step_graph.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::fixturePluginDir;
using clipdex::test::ProcessResult;
using clipdex::test::runClipdex;
using clipdex::test::runProcess;
using clipdex::test::TempDir;

using clipdex::test::describe;

class IngestCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        media_ = new TempDir();
        int n = 1;
        for (const char* name : {"good one.mp4", "fail.mp4", "skip.mp4", "café.mov"}) {
            const auto made = runProcess(
                "ffmpeg", {"-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-t",
                           std::to_string(n++), "-pix_fmt", "yuv420p", (media_->path() / name).string()});
            ASSERT_EQ(made.exit_code, 0) << made.err;
        }
        std::ofstream(media_->path() / "empty.mp4");
    }
    static void TearDownTestSuite() { delete media_; }

    void SetUp() override {
        // Every step but the fixture's is off, whatever the bundled plugins provide.
        clipdex::RuntimeOptions options;
        options.plugin_dirs = {fixturePluginDir("steps"), clipdex::test::requiredEnv("CLIPDEX_BUNDLED_PLUGINS")};
        options.load_bundled_plugins = false;
        options.load_env_plugins = false;
        options.catalog = (home_ / "probe.db").string();
        clipdex::Runtime runtime(options);
        json steps = json::object();
        for (const auto& step : clipdex::pipeline::availableSteps(runtime.registry()))
            if (step.decl.id.rfind("fx_", 0) != 0) steps[step.decl.id] = {{"enabled", false}};
        config_ = (home_ / "steps.json").string();
        std::ofstream(config_) << json{{"steps", steps}}.dump();
    }

    ProcessResult ingest(std::vector<std::string> args) {
        args.insert(args.begin(), {"--plugin-dir", fixturePluginDir("steps").string(), "ingest"});
        args.insert(args.end(), {"--config", config_, "--save-directory", (home_ / "runs").string()});
        return runClipdex(home_, args);
    }

    static TempDir* media_;
    TempDir home_;
    std::string config_;
};
TempDir* IngestCli::media_ = nullptr;

TEST_F(IngestCli, AFailedFileMakesExitCode1WithTheSummaryInTheJsonError) {
    const auto run = ingest({media_->path().string(), "--format", "json", "-p", "2"});
    ASSERT_EQ(run.exit_code, 1) << describe(run);
    EXPECT_NE(run.err.find("1 of 5 files failed"), std::string::npos) << run.err;
    const json body = json::parse(run.out);
    EXPECT_EQ(body["success"], false);
    const json& summary = body["details"]["summary"];
    EXPECT_EQ(summary["total_files"], 5);
    EXPECT_EQ(summary["processed"], 2);
    EXPECT_EQ(summary["skipped"], 2);
    EXPECT_EQ(summary["failed"], 1);
    EXPECT_EQ(summary["steps"], json::array({"fx_checksum", "fx_fail", "fx_dependent", "fx_after"}));
    std::map<std::string, json> by_name;
    for (const json& file : summary["files"]) by_name[file["name"].get<std::string>()] = file;
    EXPECT_EQ(by_name["fail.mp4"]["status"], "failed");
    EXPECT_EQ(by_name["fail.mp4"]["steps"]["fx_dependent"]["status"], "skipped");
    EXPECT_EQ(by_name["skip.mp4"]["reason"], "duplicate of an earlier clip");
    EXPECT_EQ(by_name["empty.mp4"]["reason"], "empty file");
    EXPECT_EQ(by_name["café.mov"]["status"], "processed");

    const fs::path run_dir = summary["run_dir"].get<std::string>();
    EXPECT_EQ(run_dir.parent_path(), home_ / "runs");
    EXPECT_TRUE(fs::exists(run_dir / "summary.json"));
    const json pipeline = json::parse(std::ifstream(run_dir / "pipeline_config.json"));
    EXPECT_EQ(pipeline["steps"]["fx_checksum"]["enabled"], true);
    EXPECT_EQ(pipeline["steps"]["fx_flaky"]["enabled"], false);
    EXPECT_FALSE(pipeline["steps"]["fx_flaky"].contains("config")) << "only enabled steps carry a config";
    int per_file = 0;
    for (const auto& entry : fs::directory_iterator(run_dir / "json")) per_file += entry.path().extension() == ".json";
    EXPECT_EQ(per_file, 4) << "one per file the steps ran on";
}

TEST_F(IngestCli, ExitsZeroWhenNoFileFailsAndWarnsAboutMissingProviders) {
    const auto run = ingest(
        {media_->path().string(), "--format", "json", "--disable", "fx_fail", "--ai-analysis", "--no-save-json"});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    const json summary = json::parse(run.out);
    EXPECT_EQ(summary["failed"], 0);
    EXPECT_EQ(summary["processed"], 3);
    EXPECT_EQ(summary["run_dir"], nullptr);
    ASSERT_EQ(summary["warnings"].size(), 1U);
    EXPECT_NE(summary["warnings"][0].get<std::string>().find("not available: no provider configured"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(home_ / "runs"));
}

TEST_F(IngestCli, DryRunListsWhatWouldBeProcessedWithoutRunningSteps) {
    const auto run =
        ingest({media_->path().string(), "--format", "json", "--dry-run", "--file-types", "mp4", "-l", "2"});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    const json summary = json::parse(run.out);
    EXPECT_EQ(summary["dry_run"], true);
    EXPECT_EQ(summary["would_process"], 2);
    EXPECT_EQ(summary["files"][0]["name"], "empty.mp4");
    EXPECT_EQ(summary["files"][1]["status"], "would_process");
    EXPECT_FALSE(fs::exists(home_ / "runs"));
}

TEST_F(IngestCli, TableOutputListsFiles) {
    const auto run = ingest({media_->path().string(), "--enable", "fx_config"});
    EXPECT_EQ(run.exit_code, 1) << describe(run);
    EXPECT_NE(run.err.find("files failed"), std::string::npos);
    const auto ok = ingest({media_->path().string(), "--disable", "fx_fail"});
    ASSERT_EQ(ok.exit_code, 0) << describe(ok);
    EXPECT_NE(ok.out.find("good one.mp4"), std::string::npos) << ok.out;
    EXPECT_NE(ok.out.find("processed"), std::string::npos) << ok.out;
}

TEST_F(IngestCli, UnknownStepNamesAndMissingDirectoriesAreErrors) {
    const auto unknown = ingest({media_->path().string(), "--disable", "fx_checksum,no_such_step"});
    EXPECT_EQ(unknown.exit_code, 2) << "a bad value is a usage error\n" << describe(unknown);
    EXPECT_NE(unknown.err.find("no_such_step"), std::string::npos) << unknown.err;
    EXPECT_NE(unknown.err.find("fx_checksum"), std::string::npos) << "lists the known steps: " << unknown.err;
    const auto missing = ingest({(home_ / "nowhere").string()});
    EXPECT_EQ(missing.exit_code, 2) << describe(missing);
    EXPECT_NE(missing.err.find("Directory not found: "), std::string::npos) << missing.err;
}

TEST_F(IngestCli, CancellingTheInvocationKeepsFinishedFilesAndReportsTheRest) {
    clipdex::RuntimeOptions options;
    options.plugin_dirs = {fixturePluginDir("steps")};
    options.load_bundled_plugins = false;
    options.load_env_plugins = false;
    options.catalog = (home_ / "catalog.db").string();
    clipdex::Runtime runtime(options);
    clipdex::Command* ingest = nullptr;
    for (clipdex::Command* command : runtime.registry().commands())
        if (command->decl().id == "ingest") ingest = command;
    ASSERT_NE(ingest, nullptr);
    clipdex::Invocation call;  // as over HTTP: typed JSON arguments
    call.args = clipdex::schema::validateArgs(ingest->decl().args,
                                              json{{"directory", media_->path().string()},
                                                   {"enable", {"fx_stall"}},
                                                   {"parallel_tasks", 1},
                                                   {"save_json", false}},
                                              clipdex::schema::Origin::Json);
    std::thread canceller([&call] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        call.cancel->cancel();
    });
    const clipdex::Outcome outcome = ingest->run(call);
    canceller.join();
    ASSERT_EQ(outcome.status, CDX_E_CANCELLED) << outcome.message;
    EXPECT_NE(outcome.message.find("ingest cancelled: 0 of 4 files finished"), std::string::npos) << outcome.message;
    const json& summary = outcome.details["summary"];
    EXPECT_EQ(summary["cancelled"], 4) << "one interrupted, three never started";
    EXPECT_EQ(summary["skipped"], 1) << "the empty file";
}

TEST(IngestCommand, IsDeclaredForTheCliWhileHttpQueuesAJob) {
    TempDir home;
    clipdex::RuntimeOptions options;
    options.load_bundled_plugins = false;
    options.load_env_plugins = false;
    options.catalog = (home / "catalog.db").string();
    clipdex::Runtime runtime(options);
    const clipdex::Command* ingest = nullptr;
    for (const clipdex::Command* command : runtime.registry().commands())
        if (command->decl().id == "ingest") ingest = command;
    ASSERT_NE(ingest, nullptr);
    EXPECT_EQ(ingest->decl().cli_path, std::vector<std::string>{"ingest"});
    EXPECT_TRUE(ingest->decl().http_path.empty()) << "POST /api/ingest queues a background job (jobs-submit)";
    const json& properties = ingest->decl().args["properties"];
    EXPECT_EQ(properties["file_types"]["default"], "mp4,mov,avi,mkv,m4v,wmv,flv,webm,3gp,mpg,mpeg,m2v,m4v");
    EXPECT_EQ(properties["recursive"]["x-cli-short"], "r");
    EXPECT_EQ(properties["parallel_tasks"]["x-cli-short"], "p");
}

}  // namespace
