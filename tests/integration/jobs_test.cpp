// Background ingest jobs end to end against a real `clipdex serve` child process: POST /api/ingest answers 202
// at once, progress documents (never a null number), results and clips, 409 for a second ingest of the same
// directory, cancellation, and a kill -9 in the middle of a job that the restarted server resumes without
// running finished files again or storing any clip twice.
#include <gtest/gtest.h>

#include <map>

#include "catalog/catalog.hpp"
#include "jobs_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::describe;
using clipdex::test::runClipdex;
using clipdex::test::TempDir;
using clipdex::test::jobs::ended;
using clipdex::test::jobs::nullsIn;
using clipdex::test::jobs::pollUntil;
using clipdex::test::jobs::ServeProcess;
using clipdex::test::jobs::submitIngest;

constexpr int kClips = 12;

class Jobs : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        media_ = new TempDir();
        clipdex::test::jobs::makeClips(media_->path() / "clips", kClips);
    }
    static void TearDownTestSuite() { delete media_; }

    static std::string mediaDir() { return fs::canonical(media_->path() / "clips").string(); }
    /// A job slow enough to interrupt: one file at a time, each held 250 ms by the fixture's fx_slow step.
    static json slowJob() { return {{"directory", mediaDir()}, {"enable", {"fx_slow"}}, {"parallel_tasks", 1}}; }
    fs::path catalogPath() const { return home_ / "data" / "clipdex" / "catalog.db"; }

    static TempDir* media_;
    TempDir home_;
};
TempDir* Jobs::media_ = nullptr;

TEST_F(Jobs, SubmitAnswers202AtOnceAndTheJobCompletesInTheBackground) {
    ServeProcess server(home_);
    ASSERT_TRUE(server.start());
    json body = slowJob();
    body.update({{"store_database", true}, {"force_reprocess", false}, {"output_dir", "ignored"}});  // legacy keys
    const auto submitted = server.request("POST", "/api/ingest", body);
    ASSERT_EQ(submitted.status, 202) << submitted.text;
    const std::string id = submitted.body.value("job_id", "");
    ASSERT_FALSE(id.empty()) << submitted.text;
    EXPECT_EQ(submitted.body["success"], true);
    EXPECT_EQ(submitted.body["status"], "started");
    EXPECT_EQ(submitted.body["task_run_id"], id);
    EXPECT_EQ(submitted.body["directory"], mediaDir());
    EXPECT_EQ(submitted.body["data"]["task_run_id"], id);
    EXPECT_EQ(submitted.body["data"]["status"], "queued");

    // While it runs: a second ingest of the directory is refused, and the server keeps answering.
    const auto again = server.request("POST", "/api/ingest", json{{"directory", mediaDir()}});
    EXPECT_EQ(again.status, 409) << again.text;
    EXPECT_EQ(again.body["code"], "INGEST_ALREADY_RUNNING");
    EXPECT_EQ(again.body["error"], "Ingest job already running");
    EXPECT_EQ(again.body["details"]["job_id"], id);
    EXPECT_EQ(server.request("GET", "/api/health").status, 200);
    const auto during = server.request("GET", "/api/progress/" + id);
    ASSERT_EQ(during.status, 200) << during.text;
    EXPECT_FALSE(ended(during.body)) << "the job must still run for the checks above to mean anything";

    json last;
    const bool finished = pollUntil(server, "/api/progress/" + id, ended, {}, [&last](const json& progress) {
        EXPECT_EQ(nullsIn(progress), std::vector<std::string>{}) << progress.dump();
        EXPECT_EQ(progress["data"]["job_status"], progress["job_status"]) << "top level and data agree";
        last = progress;
    });
    ASSERT_TRUE(finished) << last.dump();
    EXPECT_EQ(last["success"], true);
    EXPECT_EQ(last["status"], "completed");
    EXPECT_EQ(last["job_status"], "completed");
    EXPECT_EQ(last["task_run_id"], id);
    EXPECT_EQ(last["progress"], 100);
    EXPECT_EQ(last["total_count"], kClips);
    EXPECT_EQ(last["total_files"], kClips);
    EXPECT_EQ(last["processed_count"], kClips);
    EXPECT_EQ(last["failed_count"], 0);
    EXPECT_EQ(last["skipped_count"], 0);
    ASSERT_EQ(last["processed_files"].size(), static_cast<std::size_t>(kClips));
    for (const json& file : last["processed_files"]) {
        EXPECT_EQ(file["status"], "completed") << file.dump();
        EXPECT_EQ(file["progress_percentage"], 100) << file.dump();
        EXPECT_FALSE(file["clip_id"].get<std::string>().empty()) << file.dump();
        EXPECT_EQ(file["steps"]["fx_slow"]["status"], "succeeded") << file.dump();
        EXPECT_TRUE(file["started_at"].is_number() && file["completed_at"].is_number()) << file.dump();
    }

    // The latest job is what the panels' routes without an id show.
    for (const char* route : {"/api/progress", "/api/ingest/progress"}) {
        const auto latest = server.request("GET", route);
        EXPECT_EQ(latest.body["job_id"], id) << route << latest.text;
        EXPECT_EQ(latest.body["message"], last["message"]) << "the progress message, not the envelope's";
    }
    const auto results = server.request("GET", "/api/ingest/results");
    ASSERT_EQ(results.status, 200) << results.text;
    EXPECT_EQ(results.body["count"], kClips);
    ASSERT_EQ(results.body["results"].size(), static_cast<std::size_t>(kClips));
    for (const json& result : results.body["results"]) EXPECT_FALSE(result["clip_id"].get<std::string>().empty());
    const auto clips = server.request("GET", "/api/clips?limit=50");
    ASSERT_EQ(clips.status, 200) << clips.text;
    EXPECT_EQ(clips.body["data"]["total"], kClips);

    const auto checked =
        runClipdex(home_, {"check-progress", "--api-url", server.url(), "--job", id, "--format", "json"});
    ASSERT_EQ(checked.exit_code, 0) << describe(checked);
    const json progress = json::parse(checked.out);
    EXPECT_EQ(progress["job_id"], id);
    EXPECT_EQ(progress["status"], "completed");
    EXPECT_EQ(progress["total_count"], kClips);

    const auto shown = runClipdex(home_, {"--plugin-dir", clipdex::test::fixturePluginDir("steps").string(), "jobs",
                                          "show", id, "--format", "json"});
    ASSERT_EQ(shown.exit_code, 0) << describe(shown);
    const json detail = json::parse(shown.out);
    EXPECT_EQ(detail["status"], "completed");
    ASSERT_EQ(detail["files"].size(), static_cast<std::size_t>(kClips));
    EXPECT_EQ(detail["files"][0]["steps"]["database_storage_step"]["status"], "succeeded") << detail["files"][0];
}

TEST_F(Jobs, CancellingARunningJobStopsItBeforeTheLaterFiles) {
    ServeProcess server(home_);
    ASSERT_TRUE(server.start());
    const std::string id = submitIngest(server, slowJob());
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(pollUntil(server, "/api/progress/" + id,
                          [](const json& progress) { return progress.value("completed_count", 0) >= 1; }));
    const auto cancelled = server.request("DELETE", "/api/ingest/" + id);
    ASSERT_EQ(cancelled.status, 200) << cancelled.text;
    EXPECT_EQ(cancelled.body["data"]["job_id"], id);

    json last;
    ASSERT_TRUE(pollUntil(server, "/api/progress/" + id, ended, {}, [&last](const json& p) { last = p; }));
    EXPECT_EQ(last["job_status"], "cancelled") << last.dump();
    EXPECT_EQ(last["status"], "cancelled");
    const int completed = last["completed_count"].get<int>();
    EXPECT_LT(completed, kClips) << "later files must not run";
    int cancelled_files = 0;
    for (const json& file : last["processed_files"]) {
        const std::string status = file["status"].get<std::string>();
        EXPECT_TRUE(status == "completed" || status == "cancelled") << file.dump();
        if (status == "cancelled") {
            ++cancelled_files;
            EXPECT_EQ(file["clip_id"], "") << file.dump();
        }
    }
    EXPECT_EQ(cancelled_files, kClips - completed);
    auto catalog = clipdex::catalog::openCatalog(catalogPath().string());
    EXPECT_EQ(catalog->query("SELECT COUNT(*) AS n FROM clips", {})[0]["n"], completed);

    const auto twice = server.request("DELETE", "/api/ingest/" + id);
    EXPECT_EQ(twice.status, 409) << twice.text;
    EXPECT_EQ(twice.body["code"], "JOB_FINISHED");
}

TEST_F(Jobs, AJobInterruptedByKill9ResumesAfterARestartAndStoresEachFileOnce) {
    std::string id;
    std::map<std::string, std::string> finished_before;  // path -> started_at of files the catalog had finished
    {
        ServeProcess server(home_);
        ASSERT_TRUE(server.start());
        id = submitIngest(server, slowJob());
        ASSERT_FALSE(id.empty());
        ASSERT_TRUE(pollUntil(server, "/api/progress/" + id,
                              [](const json& progress) { return progress.value("completed_count", 0) >= 2; }));
        server.kill(SIGKILL);
    }
    {
        auto catalog = clipdex::catalog::openCatalog(catalogPath().string());
        EXPECT_EQ(catalog->query("SELECT status FROM jobs WHERE id = :id", {{"id", id}})[0]["status"], "running");
        for (const json& row : catalog->query(
                 "SELECT path, started_at FROM job_files WHERE job_id = :id AND status = 'completed'", {{"id", id}}))
            finished_before[row["path"].get<std::string>()] = row["started_at"].get<std::string>();
    }
    ASSERT_FALSE(finished_before.empty()) << "a finished file is written to the catalog before the next starts";
    ASSERT_LT(finished_before.size(), static_cast<std::size_t>(kClips));

    ServeProcess restarted(home_);
    ASSERT_TRUE(restarted.start());
    json last;
    ASSERT_TRUE(pollUntil(restarted, "/api/progress/" + id, ended, {}, [&last](const json& p) { last = p; }));
    EXPECT_EQ(last["job_status"], "completed") << last.dump();
    EXPECT_EQ(last["total_count"], kClips);
    EXPECT_EQ(last["failed_count"], 0);
    EXPECT_EQ(last["processed_count"], kClips) << "every file completed, or skipped as already stored";

    auto catalog = clipdex::catalog::openCatalog(catalogPath().string());
    for (const auto& [path, started_at] : finished_before) {
        const json row = catalog->query("SELECT status, started_at FROM job_files WHERE job_id = :id AND path = :path",
                                        {{"id", id}, {"path", path}});
        ASSERT_EQ(row.size(), 1u);
        EXPECT_EQ(row[0]["status"], "completed");
        EXPECT_EQ(row[0]["started_at"], started_at) << path << " was run again after the restart";
    }
    const json per_file = catalog->query("SELECT file_name, COUNT(*) AS n FROM clips GROUP BY file_name", {});
    EXPECT_EQ(per_file.size(), static_cast<std::size_t>(kClips));
    for (const json& row : per_file) EXPECT_EQ(row["n"], 1) << row["file_name"];
}

}  // namespace
