#include "jobs/job_manager.hpp"

#include <Poco/UUIDGenerator.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "jobs/progress_document.hpp"
#include "pipeline/ingest_command.hpp"
#include "runtime/runtime.hpp"

namespace clipdex::jobs {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kNotifyEvery = std::chrono::milliseconds(250);
constexpr auto kFlushEvery = std::chrono::seconds(1);
constexpr auto kSyncEvery = std::chrono::seconds(1);

/// The part of the submitter's principal a job keeps: enough to act as them, nothing about the request.
std::string ownerPrincipal(const std::string& principal_json) {
    const json principal = json::parse(principal_json, nullptr, false);
    json owner = {{"channel", "job"}};
    if (principal.is_object())
        for (const char* key : {"id", "email", "role", "display_name", "user_id"})
            if (principal.contains(key)) owner[key] = principal[key];
    return owner.dump();
}

CommandError notFound(const std::string& id) {
    return CommandError(CDX_E_NOT_FOUND, "no job '" + id + "'; 'clipdex jobs list' shows your jobs",
                        json{{"code", "JOB_NOT_FOUND"}});
}

}  // namespace

JobManager::JobManager(Runtime& runtime) : runtime_(runtime), store_(runtime.catalog()) {}

JobManager::~JobManager() {
    stop();
}

void JobManager::start(std::size_t max_concurrent) {
    {
        const std::lock_guard lock(mutex_);
        if (started_) return;
        started_ = true;
        stopping_ = false;
        stopped_ = false;
    }
    // Running ones first: they were interrupted and are the oldest work.
    for (const std::string& id : store_.idsWithStatus({"running", "queued"})) {
        std::optional<JobState> job = store_.load(id);
        if (!job) continue;
        std::vector<FileState> reset;
        for (FileState& file : job->files)
            if (!file.finished() && file.status != "waiting") {
                // Interrupted mid-file: run it again; the per-owner duplicate check keeps the clip unique.
                file = file.fresh();
                reset.push_back(file);
            }
        if (job->cancel_requested) {  // the cancellation was requested but the process died before it ended
            for (FileState& file : job->files)
                if (!file.finished()) file.status = "cancelled";
            job->status = "cancelled";
            job->message = "Cancelled";
            job->ended_at = job->updated_at = nowIso();
            store_.save(*job, job->files);
            continue;
        }
        const bool was_running = job->status == "running";
        job->status = "queued";
        job->message = was_running ? "Resuming after a restart" : job->message;
        job->updated_at = nowIso();
        store_.save(*job, reset);
        spdlog::info("jobs: resuming {} job {} on {}", was_running ? "interrupted" : "queued", job->id, job->directory);
        enqueue(std::move(*job));
    }
    // The job threads (and the executor threads they start) inherit a mask blocking SIGINT and SIGTERM, so
    // those reach serveUntilSignal()'s sigwait instead of killing the process from a job thread.
    sigset_t signals;
    sigset_t previous;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, &previous);
    {
        const std::lock_guard lock(mutex_);
        for (std::size_t index = 0; index < std::max<std::size_t>(1, max_concurrent); ++index)
            workers_.emplace_back([this] { workerLoop(); });
        housekeeping_ = std::thread([this] { housekeepingLoop(); });
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void JobManager::stop() {
    {
        const std::lock_guard lock(mutex_);
        if (!started_ || stopped_) return;
        stopped_ = true;
        stopping_ = true;
        for (auto& [id, job] : active_)
            if (job->state.status == "running" && job->stop == StopReason::None) {
                job->stop = StopReason::Shutdown;
                job->cancel->cancel();
            }
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    if (housekeeping_.joinable()) housekeeping_.join();
    workers_.clear();
    flushDirty(true);
    const std::lock_guard lock(mutex_);
    active_.clear();
    queue_.clear();
    started_ = false;
}

void JobManager::enqueue(JobState job) {
    {
        const std::lock_guard lock(mutex_);
        enqueueLocked(std::move(job));
    }
    wake_.notify_all();
}

void JobManager::enqueueLocked(JobState job) {
    auto active = std::make_shared<Active>();
    const std::string id = job.id;
    active->state = std::move(job);
    active->notify_pending = true;  // listeners learn of a queued job (housekeeping), not only once a worker runs it
    active_[id] = active;
    queue_.push_back(id);
}

JobState JobManager::submit(json args, const std::string& principal_json) {
    const Viewer owner = viewerOf(principal_json);
    if (owner.user_id.empty())
        throw CommandError(CDX_E_UNAUTHENTICATED, "submitting a job needs a signed-in user; run 'clipdex auth login'");
    const std::string directory = pipeline::ingestDirectory(args.at("directory").get<std::string>()).string();
    args["directory"] = directory;
    pipeline::planIngest(runtime_, args);  // a bad step name or --config fails now, not when the job starts

    JobState job;
    job.principal_json = ownerPrincipal(principal_json);
    job.directory = directory;
    job.args = std::move(args);
    return queueJob(std::move(job), owner, "Ingest job already running", "INGEST_ALREADY_RUNNING");
}

JobState JobManager::submitCommand(const CommandDecl& command, json args, const std::string& principal_json,
                                   const std::string& label) {
    const Viewer owner = viewerOf(principal_json);
    if (owner.user_id.empty())
        throw CommandError(CDX_E_UNAUTHENTICATED, "submitting a job needs a signed-in user; run 'clipdex auth login'");
    JobState job;
    job.kind = "command";
    job.principal_json = ownerPrincipal(principal_json);
    job.directory = label;
    job.args = {{"plugin", command.plugin_id}, {"command", command.id}, {"args", std::move(args)}};
    return queueJob(std::move(job), owner, "A job of this kind is already running", "JOB_ALREADY_RUNNING");
}

JobState JobManager::queueJob(JobState job, const Viewer& owner, const char* conflict_message,
                              const char* conflict_code) {
    job.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    job.user_id = owner.user_id;
    job.created_at = job.updated_at = nowIso();
    std::unique_lock lock(mutex_);
    const bool serving = started_ && !stopping_;
    job.message = serving ? "Queued: waiting for a free job slot"
                          : "Queued: runs while 'clipdex serve' is running on this catalog";
    if (const auto running = store_.unfinishedFor(owner.user_id, job.directory))
        throw CommandError(CDX_E_CONFLICT, conflict_message,
                           json{{"code", conflict_code},
                                {"job_id", *running},
                                {"task_run_id", *running},
                                {"directory", job.directory}});
    store_.insertJob(job);
    // Enqueued under the same lock as the insert, so the catalog sync never adopts it a second time.
    if (serving) enqueueLocked(job);
    lock.unlock();
    wake_.notify_all();
    spdlog::info("jobs: queued {} job {} ({}) for {}", job.kind, job.id, job.directory, job.user_id);
    return job;
}

std::shared_ptr<JobManager::Active> JobManager::activeJob(const std::string& id) {
    const std::lock_guard lock(mutex_);
    const auto found = active_.find(id);
    return found == active_.end() ? nullptr : found->second;
}

JobState JobManager::find(const std::string& id, const Viewer& viewer) {
    std::optional<JobState> job;
    if (const auto active = activeJob(id)) {
        const std::lock_guard lock(mutex_);
        job = active->state;
    } else {
        job = store_.load(id);
    }
    if (!job || !visibleTo(*job, viewer)) throw notFound(id);  // 404, never 403: others' ids are not confirmed
    return std::move(*job);
}

std::string JobManager::latest(const Viewer& viewer) {
    {
        const std::lock_guard lock(mutex_);
        const JobState* best = nullptr;
        for (const auto& [id, active] : active_) {
            const JobState& job = active->state;
            if (!visibleTo(job, viewer)) continue;
            const bool better = best == nullptr || (job.status == "running" && best->status != "running") ||
                                (job.status == best->status && job.created_at > best->created_at);
            if (better) best = &job;
        }
        if (best != nullptr) return best->id;
    }
    return store_.latestVisible(viewer);
}

json JobManager::progress(const std::string& job_id, const Viewer& viewer) {
    const std::string id = job_id.empty() ? latest(viewer) : job_id;
    if (id.empty()) return idleProgress();
    return progressDocument(find(id, viewer));
}

json JobManager::list(const Viewer& viewer, const std::string& status, int limit) {
    json jobs = json::array();
    for (JobState& job : store_.list(viewer, status, limit)) {
        if (const auto active = activeJob(job.id)) {
            const std::lock_guard lock(mutex_);
            job = active->state;
        }
        json row = jobSummary(job);
        row["progress"] = progressDocument(job)["progress"];
        jobs.push_back(std::move(row));
    }
    return json{{"jobs", jobs}, {"count", jobs.size()}};
}

json JobManager::cancel(const std::string& id, const Viewer& viewer) {
    const JobState job = find(id, viewer);
    if (job.finished())
        throw CommandError(CDX_E_CONFLICT, "job " + id + " already " + job.status + "; there is nothing to cancel",
                           json{{"code", "JOB_FINISHED"}, {"job_id", id}, {"status", job.status}});
    json reply = {{"job_id", id}, {"task_run_id", id}};
    bool queued_here = false;
    if (const auto active = activeJob(id)) {
        const std::lock_guard lock(mutex_);
        const auto waiting = std::find(queue_.begin(), queue_.end(), id);
        if (waiting != queue_.end()) {
            queued_here = true;
            queue_.erase(waiting);
            active_.erase(id);
        } else if (active->stop == StopReason::None) {  // running, or a worker is just starting it
            active->stop = StopReason::User;
            active->state.cancel_requested = true;
            active->state.message = "Cancelling: waiting for the running steps to stop";
            active->dirty = true;
            active->cancel->cancel();
        }
    }
    if ((queued_here || job.status == "queued") && store_.cancelQueued(id, "Cancelled before it started")) {
        if (const auto cancelled = store_.load(id)) emit(*cancelled);
        reply["status"] = "cancelled";
        reply["message"] = "Cancelled before it started";
        return reply;
    }
    store_.requestCancel(id);  // a job this process does not run: its server sees the flag within a second
    if (const auto active = activeJob(id)) notifyNow(active);
    reply["status"] = "cancelling";
    reply["message"] = "Cancelling: the job stops once its running steps stop";
    return reply;
}

std::uint64_t JobManager::subscribe(Listener listener) {
    const std::lock_guard lock(listeners_mutex_);
    const std::uint64_t handle = next_listener_++;
    listeners_[handle] = std::move(listener);
    return handle;
}

void JobManager::unsubscribe(std::uint64_t handle) {
    const std::lock_guard lock(listeners_mutex_);
    listeners_.erase(handle);
}

void JobManager::emit(const JobState& snapshot, Active* job, std::uint64_t seq) {
    const json document = progressDocument(snapshot);
    const std::lock_guard lock(listeners_mutex_);
    if (job != nullptr) {
        if (seq < job->sent_seq) return;
        job->sent_seq = seq;
    }
    for (const auto& [handle, listener] : listeners_) {
        try {
            listener(snapshot.id, snapshot.user_id, document);
        } catch (const std::exception& error) {
            spdlog::warn("jobs: a progress listener failed: {}", error.what());
        }
    }
}

void JobManager::notifyNow(const std::shared_ptr<Active>& job) {
    JobState copy;
    std::uint64_t seq = 0;
    {
        const std::lock_guard lock(mutex_);
        job->notify_pending = false;
        job->last_notify = Clock::now();
        copy = job->state;
        seq = ++job->snapshot_seq;
    }
    emit(copy, job.get(), seq);
}

void JobManager::persist(const std::shared_ptr<Active>& job, const std::vector<int>& file_seqs) {
    const std::lock_guard order(persist_mutex_);
    JobState copy;
    std::vector<FileState> files;
    {
        const std::lock_guard lock(mutex_);
        job->state.updated_at = nowIso();
        copy = job->state;
        copy.files.clear();
        for (int seq : file_seqs) {
            FileState& file = job->state.files.at(static_cast<std::size_t>(seq));
            file.dirty = false;
            files.push_back(file);
        }
        job->dirty = false;
        job->last_flush = Clock::now();
    }
    try {
        store_.save(copy, files);
    } catch (const std::exception& error) {
        spdlog::error("jobs: cannot save job {}: {}", copy.id, error.what());
    }
}

void JobManager::flushDirty(bool force) {
    std::vector<std::pair<std::shared_ptr<Active>, std::vector<int>>> due;
    {
        const std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        for (auto& [id, job] : active_) {
            std::vector<int> files;
            for (const FileState& file : job->state.files)
                if (file.dirty) files.push_back(file.seq);
            if ((job->dirty || !files.empty()) && (force || now - job->last_flush >= kFlushEvery))
                due.emplace_back(job, std::move(files));
        }
    }
    for (const auto& [job, files] : due) persist(job, files);
}

void JobManager::syncWithCatalog() {
    std::vector<std::shared_ptr<Active>> mine;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [id, job] : active_) mine.push_back(job);
    }
    for (const auto& job : mine) {
        const auto control = store_.control(job->state.id);
        const std::lock_guard lock(mutex_);
        if (!control) continue;
        if (job->state.status == "queued" && control->status == "cancelled") {  // by another process
            queue_.erase(std::remove(queue_.begin(), queue_.end(), job->state.id), queue_.end());
            active_.erase(job->state.id);
        } else if (job->state.status == "running" && control->cancel_requested && job->stop == StopReason::None) {
            job->stop = StopReason::User;
            job->state.cancel_requested = true;
            job->state.message = "Cancelling: waiting for the running steps to stop";
            job->cancel->cancel();
        }
    }
    for (const std::string& id : store_.idsWithStatus({"queued"})) {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_ || active_.count(id) != 0) continue;
        }
        if (auto job = store_.load(id)) {
            spdlog::info("jobs: picked up job {} queued by another process", id);
            enqueue(std::move(*job));
        }
    }
}

void JobManager::housekeepingLoop() {
    auto last_sync = Clock::now();
    for (;;) {
        std::vector<std::shared_ptr<Active>> due;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, kNotifyEvery, [this] { return stopping_; });
            if (stopping_) return;
            const auto now = Clock::now();
            for (const auto& [id, job] : active_)
                if (job->notify_pending && now - job->last_notify >= kNotifyEvery) due.push_back(job);
        }
        for (const auto& job : due) notifyNow(job);
        try {
            flushDirty(false);
            if (Clock::now() - last_sync >= kSyncEvery) {
                last_sync = Clock::now();
                syncWithCatalog();
            }
        } catch (const std::exception& error) {
            spdlog::warn("jobs: catalog sync failed: {}", error.what());
        }
    }
}

}  // namespace clipdex::jobs
