// The executor with the real fixture step plugin (tests/fixtures/plugins/steps): file names choose what the
// steps do ("fail", "bad", "skip"), so each test is a directory of files plus a step selection.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "pipeline/executor.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using namespace clipdex::pipeline;
using clipdex::test::TempDir;

class PipelineExecutor : public ::testing::Test {
protected:
    void SetUp() override {
        runtime_ = clipdex::test::fixtureRuntime("steps", home_ / "catalog.db");
        fs::create_directories(home_ / "data");
    }

    std::vector<fs::path> files(const std::vector<std::string>& names) {
        std::vector<fs::path> paths;
        for (const std::string& name : names) {
            paths.push_back(media_ / name);
            std::ofstream(paths.back()) << name;
        }
        return paths;
    }

    std::vector<FileResult> run(const std::vector<fs::path>& paths, StepChoice choice, std::size_t parallel = 2,
                                std::shared_ptr<clipdex::CancelToken> cancel = nullptr, bool concurrent_steps = true) {
        ExecutorOptions options;
        options.concurrent_steps = concurrent_steps;
        options.parallel_tasks = parallel;
        options.backoff_initial_ms = 1;
        options.data_dir = (home_ / "data").string();
        if (cancel) options.cancel = cancel;
        options.on_progress = [this](const ProgressEvent& event) {
            const std::lock_guard lock(events_mutex_);
            events_.push_back(event);
        };
        return Executor(planSteps(availableSteps(runtime_->registry()), choice), options).run(paths);
    }

    std::vector<std::string> orderFor(const std::string& name) {
        std::ifstream log(home_ / "data" / "order.log");
        std::vector<std::string> order;
        std::string step, file;
        while (log >> step && std::getline(log, file))
            if (file == " " + name) order.push_back(step);
        return order;
    }

    TempDir home_;
    TempDir media_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    std::mutex events_mutex_;
    std::vector<ProgressEvent> events_;
};

TEST_F(PipelineExecutor, RunsStepsInDependencyOrderAndIsolatesAFailingFile) {
    const auto results = run(files({"a.mp4", "b fail.mp4", "c.mp4", "d.mp4"}), {}, 3);
    ASSERT_EQ(results.size(), 4U);
    for (const FileResult& result : results) {
        const std::string name = result.path.filename().string();
        if (name == "b fail.mp4") continue;
        EXPECT_EQ(result.status, "processed") << name << ": " << result.reason;
        // fx_dependent and fx_after both wait only for fx_fail, so they run side by side in either order.
        auto order = orderFor(name);
        ASSERT_EQ(order.size(), 4U) << name;
        EXPECT_EQ(std::vector<std::string>(order.begin(), order.begin() + 2),
                  (std::vector<std::string>{"fx_checksum", "fx_fail"}));
        std::sort(order.begin() + 2, order.end());
        EXPECT_EQ(std::vector<std::string>(order.begin() + 2, order.end()),
                  (std::vector<std::string>{"fx_after", "fx_dependent"}));
        EXPECT_EQ(result.outputs["fx_dependent"]["seen"], json::array({"fx_fail"}));
    }
    const FileResult& failed = results[1];
    EXPECT_EQ(failed.status, "failed");
    EXPECT_EQ(failed.reason, "fx_fail: fx_fail failed on purpose");
    EXPECT_EQ(failed.steps.at("fx_fail").status, "failed");
    EXPECT_EQ(failed.steps.at("fx_dependent").status, "skipped");
    EXPECT_EQ(failed.steps.at("fx_dependent").error, "dependency fx_fail failed");
    EXPECT_EQ(failed.steps.at("fx_after").status, "succeeded") << "'after' is ordering only";
    EXPECT_EQ(failed.outputs["fx_after"]["seen"], json::array()) << "a failed step's outputs are not passed on";
    EXPECT_EQ(orderFor("b fail.mp4"), (std::vector<std::string>{"fx_checksum", "fx_fail", "fx_after"}));
}

TEST_F(PipelineExecutor, DisabledDependencySkipsItsDependentsWithTheReason) {
    StepChoice choice;
    choice.disable = {"fx_fail"};
    const auto results = run(files({"a.mp4"}), choice);
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].status, "processed");
    EXPECT_EQ(results[0].steps.at("fx_dependent").error, "dependency fx_fail is not enabled");
    EXPECT_EQ(results[0].steps.at("fx_after").status, "succeeded");
}

TEST_F(PipelineExecutor, SkipFileStopsTheFileWithTheStepsReason) {
    const auto results = run(files({"skip me.mp4", "keep.mp4"}), {});
    ASSERT_EQ(results.size(), 2U);
    EXPECT_EQ(results[0].status, "skipped");
    EXPECT_EQ(results[0].reason, "duplicate of an earlier clip");
    EXPECT_EQ(results[0].steps.at("fx_fail").status, "skipped");
    EXPECT_EQ(orderFor("skip me.mp4"), std::vector<std::string>{"fx_checksum"});
    EXPECT_EQ(results[1].status, "processed");
}

TEST_F(PipelineExecutor, RetriesRetryableFailuresWithBackoffButNotBadInput) {
    StepChoice choice;
    choice.enable = {"fx_flaky"};
    auto results = run(files({"flaky.mp4", "bad.mp4"}), choice);
    ASSERT_EQ(results.size(), 2U);
    EXPECT_EQ(results[0].steps.at("fx_flaky").status, "succeeded");
    EXPECT_EQ(results[0].steps.at("fx_flaky").attempts, 3);
    EXPECT_EQ(results[1].steps.at("fx_fail").attempts, 1) << "INVALID_ARGUMENT is not retried";
    EXPECT_EQ(results[1].reason, "fx_fail: bad input for fx_fail");

    choice.config_file = json{{"steps", {{"fx_flaky", {{"config", {{"failures", 3}}}}}}}};
    results = run(files({"flaky.mp4"}), choice);
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].status, "failed");
    EXPECT_EQ(results[0].steps.at("fx_flaky").attempts, 3) << "one attempt plus retries: 2";
    EXPECT_EQ(results[0].steps.at("fx_flaky").error, "flaky failure");
}

TEST_F(PipelineExecutor, TimedOutStepsFailAndFilesRunInParallel) {
    StepChoice choice;
    choice.enable = {"fx_stall"};  // stalls until its 400 ms timeout
    const auto start = std::chrono::steady_clock::now();
    const auto results = run(files({"1.mp4", "2.mp4", "3.mp4", "4.mp4"}), choice, 4);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(results.size(), 4U);
    for (const FileResult& result : results) {
        EXPECT_EQ(result.status, "failed");
        EXPECT_EQ(result.steps.at("fx_stall").error, "timed out after 400 ms");
        EXPECT_EQ(result.steps.at("fx_stall").attempts, 1);
    }
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500)) << "4 files x 400 ms must overlap on 4 workers";
}

TEST_F(PipelineExecutor, CancellationStopsNewFilesAndCancelsRunningSteps) {
    StepChoice choice;
    choice.enable = {"fx_stall"};
    auto cancel = std::make_shared<clipdex::CancelToken>();
    std::thread canceller([cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cancel->cancel();
    });
    const auto start = std::chrono::steady_clock::now();
    const auto results = run(files({"1.mp4", "2.mp4", "3.mp4", "4.mp4", "5.mp4", "6.mp4"}), choice, 2, cancel);
    canceller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(380)) << "before the step timeout";
    ASSERT_EQ(results.size(), 2U) << "only the two running files were started";
    for (const FileResult& result : results) {
        EXPECT_EQ(result.status, "cancelled");
        EXPECT_EQ(result.steps.at("fx_stall").status, "cancelled");
    }
}

TEST_F(PipelineExecutor, ReportsProgressPerFileAndPerStep) {
    run(files({"a.mp4", "b fail.mp4"}), {}, 1);
    std::size_t file_finished = 0, step_started = 0, step_finished = 0, last_done = 0;
    for (const ProgressEvent& event : events_) {
        if (event.kind == ProgressEvent::Kind::FileFinished) {
            ++file_finished;
            last_done = event.files_done;
        }
        if (event.kind == ProgressEvent::Kind::StepStarted) ++step_started;
        if (event.kind == ProgressEvent::Kind::StepFinished) ++step_finished;
        EXPECT_EQ(event.total_files, 2U);
    }
    EXPECT_EQ(file_finished, 2U);
    EXPECT_EQ(last_done, 2U);
    EXPECT_EQ(step_started, 7U) << "4 steps, then 3 for the failed file (its dependent is skipped)";
    EXPECT_EQ(step_finished, 8U);
}

TEST_F(PipelineExecutor, PassesEachStepItsValidatedConfigAndForwardsStepProgress) {
    StepChoice choice;
    choice.enable = {"fx_config"};
    choice.config_file = json{{"steps", {{"fx_config", {{"config", {{"label", "custom"}}}}}}}};
    const auto results = run(files({"a.mp4"}), choice);
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].outputs["fx_config"]["label"], "custom");
    bool progress = false;
    for (const ProgressEvent& event : events_)
        if (event.kind == ProgressEvent::Kind::StepProgress && event.step_id == "fx_checksum") {
            progress = true;
            EXPECT_DOUBLE_EQ(event.fraction, 1.0);
            EXPECT_EQ(event.status, "checksummed");
            EXPECT_EQ(event.total_files, 1U);
        }
    EXPECT_TRUE(progress);
}

TEST(PipelineFileInputs, DescribeTheFile) {
    TempDir dir;
    std::ofstream(dir / "x y.mp4") << "12345";
    const json file = fileInputs(dir / "x y.mp4");
    EXPECT_EQ(file["name"], "x y.mp4");
    EXPECT_EQ(file["size_bytes"], 5);
    EXPECT_EQ(file["mtime"].get<std::string>().size(), 20U);
    EXPECT_GT(file["mtime_ns"].get<long long>(), 0);
}

}  // namespace

TEST_F(PipelineExecutor, IndependentStepsOfOneFileRunConcurrently) {
    StepChoice choice;
    choice.enable = {"fx_overlap_a", "fx_overlap_b"};
    const auto results = run(files({"one.mp4"}), choice, 1);
    ASSERT_EQ(results.size(), 1U);
    ASSERT_EQ(results[0].status, "processed") << results[0].reason;
    EXPECT_EQ(results[0].outputs["fx_overlap_a"]["max_in_flight"], 2);
    EXPECT_EQ(results[0].outputs["fx_overlap_b"]["max_in_flight"], 2);
    // Dependencies still order the rest: fx_fail after fx_checksum, fx_dependent after fx_fail.
    const auto order = orderFor("one.mp4");
    const auto position = [&](const std::string& step) { return std::find(order.begin(), order.end(), step); };
    EXPECT_LT(position("fx_checksum"), position("fx_fail"));
    EXPECT_LT(position("fx_fail"), position("fx_dependent"));
}

TEST_F(PipelineExecutor, StepsRunOneAtATimeWhenConcurrencyIsOff) {
    StepChoice choice;
    choice.enable = {"fx_overlap_a", "fx_overlap_b"};
    const auto results = run(files({"one.mp4"}), choice, 1, nullptr, false);
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].outputs["fx_overlap_a"]["max_in_flight"], 1);
    EXPECT_EQ(results[0].outputs["fx_overlap_b"]["max_in_flight"], 1);
}

TEST_F(PipelineExecutor, NoStepStartsBeforeAStepThatMaySkipTheFileHasFinished) {
    StepChoice choice;
    choice.enable = {"fx_overlap_a", "fx_overlap_b"};
    const auto results = run(files({"x skip.mp4"}), choice, 1);
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].status, "skipped");
    // fx_overlap_* depend on nothing, yet wait for fx_checksum (may_skip_file) and so never run.
    EXPECT_EQ(results[0].steps.at("fx_overlap_a").status, "skipped");
    EXPECT_EQ(results[0].steps.at("fx_overlap_b").status, "skipped");
    EXPECT_EQ(orderFor("x skip.mp4"), (std::vector<std::string>{"fx_checksum"}));
}
