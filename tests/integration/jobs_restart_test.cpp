// Background jobs across process boundaries: a graceful shutdown (SIGTERM) hands the running job back to the
// queue and the next server finishes it; the CLI queues a job that the running server picks up; and
// check-progress explains an unreachable server.
#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "jobs_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::describe;
using clipdex::test::runClipdex;
using clipdex::test::TempDir;
using clipdex::test::jobs::ended;
using clipdex::test::jobs::pollUntil;
using clipdex::test::jobs::ServeProcess;

constexpr int kClips = 8;

class JobsRestart : public ::testing::Test {
protected:
    void SetUp() override { clipdex::test::jobs::makeClips(home_ / "clips", kClips); }
    std::string clips() const { return fs::canonical(home_ / "clips").string(); }
    std::string stepsDir() const { return clipdex::test::fixturePluginDir("steps").string(); }
    TempDir home_;
};

TEST_F(JobsRestart, SigtermRequeuesTheRunningJobAndTheNextServerFinishesIt) {
    std::string id;
    {
        ServeProcess server(home_);
        ASSERT_TRUE(server.start());
        const auto submitted = server.request(
            "POST", "/api/ingest", json{{"directory", clips()}, {"enable", {"fx_slow"}}, {"parallel_tasks", 1}});
        ASSERT_EQ(submitted.status, 202) << submitted.text;
        id = submitted.body["job_id"].get<std::string>();
        ASSERT_TRUE(pollUntil(server, "/api/progress/" + id,
                              [](const json& progress) { return progress.value("completed_count", 0) >= 1; }));
        EXPECT_EQ(server.kill(SIGTERM), 0);
    }
    {
        auto catalog = clipdex::catalog::openCatalog((home_ / "data" / "clipdex" / "catalog.db").string());
        const json job = catalog->query("SELECT status, ended_at FROM jobs WHERE id = :id", {{"id", id}});
        ASSERT_EQ(job.size(), 1u);
        EXPECT_EQ(job[0]["status"], "queued") << "handed back to the queue, not failed or cancelled";
        EXPECT_TRUE(job[0]["ended_at"].is_null());
        const json files = catalog->query(
            "SELECT status, COUNT(*) AS n FROM job_files WHERE job_id = :id GROUP BY status", {{"id", id}});
        for (const json& row : files)
            EXPECT_TRUE(row["status"] == "completed" || row["status"] == "waiting") << row.dump();
    }
    ServeProcess restarted(home_);
    ASSERT_TRUE(restarted.start());
    json last;
    ASSERT_TRUE(pollUntil(restarted, "/api/progress/" + id, ended, {}, [&last](const json& p) { last = p; }));
    EXPECT_EQ(last["job_status"], "completed") << last.dump();
    EXPECT_EQ(last["completed_count"], kClips) << last.dump();
}

TEST_F(JobsRestart, AJobQueuedFromTheCliRunsOnTheServer) {
    ServeProcess server(home_);
    ASSERT_TRUE(server.start());
    const auto submitted =
        runClipdex(home_, {"--plugin-dir", stepsDir(), "jobs", "submit", clips(), "--format", "json"});
    ASSERT_EQ(submitted.exit_code, 0) << describe(submitted);
    const json job = json::parse(submitted.out);
    EXPECT_EQ(job["status"], "queued");
    const std::string id = job["job_id"].get<std::string>();
    json last;
    ASSERT_TRUE(pollUntil(server, "/api/progress/" + id, ended, {}, [&last](const json& p) { last = p; }));
    EXPECT_EQ(last["job_status"], "completed") << last.dump();
    EXPECT_EQ(last["processed_count"], kClips);

    const auto listed = runClipdex(home_, {"--plugin-dir", stepsDir(), "jobs", "list", "--format", "json"});
    ASSERT_EQ(listed.exit_code, 0) << describe(listed);
    const json jobs = json::parse(listed.out)["jobs"];
    ASSERT_EQ(jobs.size(), 1u) << listed.out;
    EXPECT_EQ(jobs[0]["job_id"], id);
    EXPECT_EQ(jobs[0]["status"], "completed");
}

TEST_F(JobsRestart, CheckProgressNamesAnUnreachableServer) {
    const std::string url = "http://127.0.0.1:" + std::to_string(clipdex::test::jobs::freePort());
    const auto checked = runClipdex(home_, {"check-progress", "--api-url", url});
    EXPECT_EQ(checked.exit_code, 1) << describe(checked);
    EXPECT_NE(checked.err.find("cannot reach the clipdex server at " + url), std::string::npos) << checked.err;
    EXPECT_NE(checked.err.find("clipdex serve"), std::string::npos) << checked.err;
}

}  // namespace
