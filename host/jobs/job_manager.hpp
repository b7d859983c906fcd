// Durable background jobs (docs/service/jobs.md). The catalog is the queue: a job is a row in `jobs`, its files
// rows in `job_files`. In `clipdex serve` the manager also runs jobs on its own worker threads (never the HTTP
// threads), keeps live per-file / per-step state in memory, writes it back throttled (and always at file and
// job end), resumes unfinished jobs at start, and streams progress to the live transports (ProgressFeed).
// In other processes (the CLI) it only reads and writes the rows; a running server picks queued jobs up.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/command.hpp"
#include "jobs/job_model.hpp"
#include "jobs/job_store.hpp"
#include "jobs/progress_feed.hpp"

namespace clipdex {
class Runtime;
}
namespace clipdex::pipeline {
struct ProgressEvent;
struct IngestPlan;
}  // namespace clipdex::pipeline

namespace clipdex::jobs {

class JobManager final : public ProgressFeed {
public:
    explicit JobManager(Runtime& runtime);
    ~JobManager() override;
    JobManager(const JobManager&) = delete;
    JobManager& operator=(const JobManager&) = delete;

    /// Starts `max_concurrent` workers and the housekeeping thread, and re-queues the jobs left queued or
    /// running by an earlier process (their finished files are not run again).
    void start(std::size_t max_concurrent);
    /// Stops the workers: running jobs are interrupted, their unfinished files go back to waiting and the job
    /// back to queued, so the next start resumes them. Joins every thread. Idempotent.
    void stop();

    /// Validates the ingest arguments, stores the job as queued and returns its summary at once. Throws
    /// CommandError: INVALID_ARGUMENT (field "directory"), CONFLICT (code INGEST_ALREADY_RUNNING).
    JobState submit(json args, const std::string& principal_json);

    /// Queues a run of `command` (already-validated `args`) as a durable job of kind "command" that runs as
    /// the submitter, with progress, cancel, visibility and resume like an ingest. `label` names it in lists
    /// ("search reembed"); one unfinished job per owner and label (CONFLICT, code JOB_ALREADY_RUNNING).
    JobState submitCommand(const CommandDecl& command, json args, const std::string& principal_json,
                           const std::string& label);
    /// Cancels a visible job: a queued one at once, a running one once its running steps stop.
    json cancel(const std::string& id, const Viewer& viewer);
    json list(const Viewer& viewer, const std::string& status, int limit);
    /// The job with its files; CommandError(NOT_FOUND) when unknown or not visible.
    JobState find(const std::string& id, const Viewer& viewer);
    /// The viewer's latest job id (unfinished ones first), or empty.
    std::string latest(const Viewer& viewer);

    json progress(const std::string& job_id, const Viewer& viewer) override;
    std::uint64_t subscribe(Listener listener) override;
    void unsubscribe(std::uint64_t handle) override;

private:
    enum class StopReason { None, User, Shutdown };
    struct Active {
        JobState state;
        std::shared_ptr<CancelToken> cancel = std::make_shared<CancelToken>();
        StopReason stop = StopReason::None;
        bool dirty = false;           // job row changed since the last write
        bool notify_pending = false;  // listeners have not seen the latest change
        std::chrono::steady_clock::time_point last_notify{};
        std::chrono::steady_clock::time_point last_flush{};
        // Snapshots are taken under mutex_ but sent under listeners_mutex_, so two threads may send in the
        // opposite order they copied: numbered under mutex_, a snapshot older than one already sent is dropped.
        std::uint64_t snapshot_seq = 0;
        std::uint64_t sent_seq = 0;  // guarded by listeners_mutex_
    };

    void workerLoop();
    void housekeepingLoop();
    /// Adopts jobs queued by other processes and applies cancellations requested through the catalog.
    void syncWithCatalog();
    void flushDirty(bool force);
    void enqueue(JobState job);
    void enqueueLocked(JobState job);
    void runJob(const std::shared_ptr<Active>& job);
    void scanFiles(const std::shared_ptr<Active>& job, const pipeline::IngestPlan& plan);
    void executeFiles(const std::shared_ptr<Active>& job, const pipeline::IngestPlan& plan);
    void onEvent(const std::shared_ptr<Active>& job, const std::vector<int>& seq_of,
                 const pipeline::ProgressEvent& event, std::size_t step_count);
    void finish(const std::shared_ptr<Active>& job);
    /// A "command" job: one entry in the file list stands for the command's run and carries its progress.
    void runCommandJob(const std::shared_ptr<Active>& job);
    JobState queueJob(JobState job, const Viewer& owner, const char* conflict_message, const char* conflict_code);
    /// Writes the job row and `files` now.
    void persist(const std::shared_ptr<Active>& job, const std::vector<int>& file_seqs);
    /// Tells the listeners now (status changes, file ends).
    void notifyNow(const std::shared_ptr<Active>& job);
    /// Sends snapshot number `seq` of a running `job` unless a newer one already went out; with no running job
    /// (cancelled while queued) there is nothing to order against.
    void emit(const JobState& snapshot, Active* job = nullptr, std::uint64_t seq = 0);
    std::shared_ptr<Active> activeJob(const std::string& id);

    Runtime& runtime_;
    JobStore store_;
    std::mutex persist_mutex_;  // taken before mutex_: snapshots reach the catalog in the order they were taken
    std::mutex mutex_;          // guards everything below and the Active states
    std::condition_variable wake_;
    std::map<std::string, std::shared_ptr<Active>> active_;  // queued and running jobs of this process
    std::deque<std::string> queue_;
    bool started_ = false;
    bool stopping_ = false;
    bool stopped_ = false;
    std::vector<std::thread> workers_;
    std::thread housekeeping_;

    std::mutex listeners_mutex_;  // held while calling listeners, so unsubscribe() waits for a running call
    std::map<std::uint64_t, Listener> listeners_;
    std::uint64_t next_listener_ = 1;
};

}  // namespace clipdex::jobs
