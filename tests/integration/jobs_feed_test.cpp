// The job manager as the live transports see it (ProgressFeed), in process with the step fixture: listeners
// get every status change with the owner, snapshots follow the visibility rules, and unsubscribe stops calls.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "jobs/job_manager.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::json;
using clipdex::jobs::Viewer;
using clipdex::test::TempDir;

/// Points XDG_DATA_HOME (the executor's data_dir, where the fixture steps log) into a test directory.
class DataHome {
public:
    explicit DataHome(const std::filesystem::path& dir) {
        if (const char* old = std::getenv("XDG_DATA_HOME")) previous_ = old;
        ::setenv("XDG_DATA_HOME", dir.c_str(), 1);
    }
    ~DataHome() {
        if (previous_)
            ::setenv("XDG_DATA_HOME", previous_->c_str(), 1);
        else
            ::unsetenv("XDG_DATA_HOME");
    }

private:
    std::optional<std::string> previous_;
};

json waitUntilEnded(clipdex::jobs::JobManager& jobs, const std::string& id, const Viewer& viewer) {
    json progress;
    for (int attempt = 0; attempt < 3000; ++attempt) {
        progress = jobs.progress(id, viewer);
        const std::string status = progress.value("job_status", "");
        if (status == "completed" || status == "failed" || status == "cancelled") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return progress;
}

TEST(JobsFeed, ListenersSeeEveryStatusChangeAndSnapshotsFollowVisibility) {
    TempDir home;
    DataHome data(home / "data");
    std::filesystem::create_directories(home / "media");
    for (const char* name : {"a.mp4", "b.mp4", "c.mp4"}) std::ofstream(home / "media" / name) << name;
    auto runtime = clipdex::test::fixtureRuntime("steps", home / "catalog.db");
    clipdex::jobs::JobManager& jobs = runtime->jobs();

    std::mutex mutex;
    std::vector<json> seen;
    const std::uint64_t handle = jobs.subscribe([&](const std::string& id, const std::string& owner, const json& p) {
        const std::lock_guard lock(mutex);
        seen.push_back({{"id", id}, {"owner", owner}, {"progress", p}});
    });
    jobs.start(1);
    const Viewer alice{"alice", false};
    const auto job = jobs.submit(json{{"directory", (home / "media").string()}}, R"({"id":"alice","role":"user"})");
    const json final_progress = waitUntilEnded(jobs, job.id, alice);
    ASSERT_EQ(final_progress["job_status"], "completed") << final_progress.dump();
    EXPECT_EQ(final_progress["processed_count"], 3);

    // The final call may follow the snapshot by a moment (snapshots read the live state first).
    for (int attempt = 0; attempt < 3000; ++attempt) {
        {
            const std::lock_guard lock(mutex);
            if (!seen.empty() && seen.back()["progress"]["job_status"] == "completed") break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    jobs.unsubscribe(handle);
    std::vector<json> calls;
    {
        const std::lock_guard lock(mutex);
        calls = seen;
    }
    ASSERT_FALSE(calls.empty());
    std::vector<std::string> statuses;
    for (const json& call : calls) {
        EXPECT_EQ(call["id"], job.id);
        EXPECT_EQ(call["owner"], "alice");
        const std::string status = call["progress"]["job_status"].get<std::string>();
        if (statuses.empty() || statuses.back() != status) statuses.push_back(status);
    }
    EXPECT_EQ(statuses.front(), "running") << "the first change is the job starting";
    EXPECT_EQ(statuses.back(), "completed");
    EXPECT_EQ(calls.back()["progress"]["progress"], 100);

    EXPECT_EQ(jobs.progress("", alice)["job_id"], job.id) << "the latest job of the viewer";
    EXPECT_EQ(jobs.progress("", Viewer{"root", true})["job_id"], job.id) << "an admin sees everyone's";
    EXPECT_EQ(jobs.progress("", Viewer{"bob", false})["status"], "idle");
    EXPECT_EQ(jobs.progress("", Viewer{})["status"], "idle") << "anonymous sees nothing";
    try {
        jobs.progress(job.id, Viewer{"bob", false});
        ADD_FAILURE() << "bob must not see alice's job";
    } catch (const clipdex::CommandError& error) {
        EXPECT_EQ(error.status(), CDX_E_NOT_FOUND);
    }

    // No call after unsubscribe, whatever runs next.
    const auto second =
        jobs.submit(json{{"directory", (home / "media").string()}, {"force", true}}, R"({"id":"alice","role":"user"})");
    EXPECT_EQ(waitUntilEnded(jobs, second.id, alice)["job_status"], "completed");
    const std::lock_guard lock(mutex);
    EXPECT_EQ(seen.size(), calls.size());
}

TEST(JobsFeed, ViewerOfReadsThePrincipal) {
    EXPECT_EQ(clipdex::jobs::viewerOf(R"({"id":"u1","role":"admin"})").admin, true);
    EXPECT_EQ(clipdex::jobs::viewerOf(R"({"id":"u2","role":"user"})").user_id, "u2");
    EXPECT_FALSE(clipdex::jobs::viewerOf(R"({"id":"u2","role":"user"})").admin);
    EXPECT_TRUE(clipdex::jobs::viewerOf("").user_id.empty());
    EXPECT_TRUE(clipdex::jobs::viewerOf("not json").user_id.empty());
}

}  // namespace
