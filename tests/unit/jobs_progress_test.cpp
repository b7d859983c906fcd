// The IngestProgress document built from a job's state: the panel's status vocabulary, the original's file
// order, overall progress, and no null anywhere (the panel calls number methods on what it receives).
#include <gtest/gtest.h>

#include "jobs/progress_document.hpp"

namespace {

using clipdex::json;
using clipdex::jobs::FileState;
using clipdex::jobs::JobState;

bool hasNull(const json& value) {
    if (value.is_null()) return true;
    if (value.is_structured())
        for (const auto& item : value)
            if (hasNull(item)) return true;
    return false;
}

FileState file(int seq, const std::string& status, int progress = 0) {
    FileState state;
    state.seq = seq;
    state.file_name = "f" + std::to_string(seq) + ".mp4";
    state.path = "/media/" + state.file_name;
    state.status = status;
    state.progress = progress;
    return state;
}

JobState runningJob() {
    JobState job;
    job.id = "job-1";
    job.user_id = "alice";
    job.directory = "/media";
    job.status = "running";
    job.scanned = true;
    job.created_at = "2026-01-02T03:04:05.000000Z";
    job.started_at = "2026-01-02T03:04:06.500000Z";
    job.files = {file(0, "waiting"), file(1, "skipped", 100), file(2, "failed", 100), file(3, "completed", 100),
                 file(4, "processing", 50)};
    job.total = 5;
    job.completed = 1;
    job.skipped = 1;
    job.failed = 1;
    return job;
}

TEST(JobsProgress, FilesAreSortedLikeTheOriginalAndCountsFollowItsDefinitions) {
    const json doc = clipdex::jobs::progressDocument(runningJob());
    EXPECT_FALSE(hasNull(doc)) << doc.dump();
    EXPECT_EQ(doc["status"], "processing");
    EXPECT_EQ(doc["job_status"], "running");
    EXPECT_EQ(doc["task_run_id"], "job-1");
    std::vector<std::string> order;
    for (const json& row : doc["processed_files"]) order.push_back(row["status"].get<std::string>());
    EXPECT_EQ(order, (std::vector<std::string>{"processing", "completed", "failed", "skipped", "waiting"}));
    EXPECT_EQ(doc["per_file"][0]["file_name"], "f0.mp4") << "per_file keeps the scan order";
    EXPECT_EQ(doc["processed_count"], 2) << "completed + skipped, as the original counted";
    EXPECT_EQ(doc["failed_count"], 1);
    EXPECT_EQ(doc["running_count"], 1);
    EXPECT_EQ(doc["total_count"], 5);
    EXPECT_EQ(doc["progress"], 70) << "(3 finished x 100 + 50) / 5 files";
    EXPECT_EQ(doc["current_file"], "/media/f4.mp4");
    EXPECT_DOUBLE_EQ(doc["start_time"].get<double>(), 1767323046.5);
    EXPECT_FALSE(doc.contains("end_time")) << "an unknown time is left out, never null";
    EXPECT_FALSE(doc["processed_files"][4].contains("started_at"));
}

TEST(JobsProgress, StatusesUseThePanelVocabulary) {
    JobState job = runningJob();
    job.status = "queued";
    EXPECT_EQ(clipdex::jobs::panelStatus(job), "starting");
    job.status = "running";
    job.scanned = false;
    EXPECT_EQ(clipdex::jobs::panelStatus(job), "scanning");
    job.status = "completed";
    EXPECT_EQ(clipdex::jobs::panelStatus(job), "completed");
    EXPECT_EQ(clipdex::jobs::progressDocument(job)["progress"], 100);
}

TEST(JobsProgress, TheIdleDocumentIsTheOriginalsWithOurCountsAndNoNull) {
    const json idle = clipdex::jobs::idleProgress();
    EXPECT_FALSE(hasNull(idle));
    EXPECT_EQ(idle["status"], "idle");
    EXPECT_EQ(idle["message"], "No active ingest process.");
    for (const char* key : {"progress", "total", "processed_count", "failed_count", "running_count", "total_count"})
        EXPECT_EQ(idle[key], 0) << key;
    EXPECT_EQ(idle["processed_files"], json::array());
    EXPECT_EQ(idle["per_file"], json::array());
}

TEST(JobsProgress, OnlyTheOwnerOrAnAdminSeesAJob) {
    const JobState job = runningJob();
    EXPECT_TRUE(clipdex::jobs::visibleTo(job, {"alice", false}));
    EXPECT_TRUE(clipdex::jobs::visibleTo(job, {"root", true}));
    EXPECT_FALSE(clipdex::jobs::visibleTo(job, {"bob", false}));
    EXPECT_FALSE(clipdex::jobs::visibleTo(job, {}));
    EXPECT_TRUE(clipdex::jobs::viewerOf(R"({"id":"anonymous","role":"anonymous"})").user_id.empty());
}

}  // namespace
