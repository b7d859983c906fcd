// Reads and writes jobs and job_files in the catalog (migration v6). Parameterised SQL only; every method is
// safe to call from any thread (the catalog is).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "jobs/job_model.hpp"
#include "jobs/progress_feed.hpp"

namespace clipdex::jobs {

struct JobControl {
    std::string status;
    bool cancel_requested = false;
};

class JobStore {
public:
    explicit JobStore(catalog::Catalog& catalog) : catalog_(catalog) {}

    void insertJob(const JobState& job);
    /// Writes the job row (status, message, counts, timestamps) and the given files, in one transaction.
    void save(const JobState& job, const std::vector<FileState>& files);
    /// Inserts the scanned file list and marks the job scanned, in one transaction.
    void insertFiles(const JobState& job);
    /// The job with its files, or nothing.
    std::optional<JobState> load(const std::string& id, bool with_files = true);
    /// The jobs `viewer` may see, newest first, without files; `status` empty: any.
    std::vector<JobState> list(const Viewer& viewer, const std::string& status, int limit);
    /// The newest visible job id, preferring unfinished ones; empty when there is none.
    std::string latestVisible(const Viewer& viewer);
    /// Ids of jobs in one of `statuses`, oldest first.
    std::vector<std::string> idsWithStatus(const std::vector<std::string>& statuses);
    std::optional<JobControl> control(const std::string& id);
    /// queued -> running; false when the job is no longer queued or running (cancelled by another process).
    bool claim(const std::string& id, const std::string& started_at);
    /// queued -> cancelled; false when it was not queued.
    bool cancelQueued(const std::string& id, const std::string& message);
    /// Asks the process running the job to stop it; false when it is not running.
    bool requestCancel(const std::string& id);
    /// The unfinished job of `user_id` on `directory`, if any.
    std::optional<std::string> unfinishedFor(const std::string& user_id, const std::string& directory);

private:
    catalog::Catalog& catalog_;
};

}  // namespace clipdex::jobs
