// Running one job on a worker thread: claim it, scan its directory (first run only), run the pipeline over the
// files not finished yet, and record the outcome. Part of JobManager (job_manager.hpp).
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "jobs/job_manager.hpp"
#include "pipeline/executor.hpp"
#include "pipeline/ingest_command.hpp"
#include "runtime/runtime.hpp"

namespace clipdex::jobs {
namespace {

namespace fs = std::filesystem;
using pipeline::ProgressEvent;

/// Thrown out of the scan when the job is stopped while scanning.
struct ScanInterrupted {};

/// The clip a finished file ended up as: stored now, or already in the library.
std::string clipIdOf(const pipeline::FileResult& result) {
    for (const char* key : {"clip_id", "existing_clip_id", "unchanged_clip_id"})
        for (const auto& [step, output] : result.outputs.items())
            if (output.is_object() && output.contains(key) && (*output.find(key)).is_string())
                return (*output.find(key)).get<std::string>();
    return {};
}

std::string fileStatusFor(const std::string& executor_status) {
    if (executor_status == "processed") return "completed";
    return executor_status;  // skipped, failed, cancelled
}

int percent(double done, std::size_t steps) {
    if (steps == 0) return 0;
    return std::clamp(static_cast<int>(done * 100.0 / static_cast<double>(steps)), 0, 99);
}

}  // namespace

void JobManager::workerLoop() {
    for (;;) {
        std::shared_ptr<Active> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            const std::string id = queue_.front();
            queue_.pop_front();
            const auto found = active_.find(id);
            if (found == active_.end()) continue;  // cancelled while queued
            job = found->second;
        }
        runJob(job);
    }
}

void JobManager::runJob(const std::shared_ptr<Active>& job) {
    const std::string id = job->state.id;  // immutable after submit
    const std::string now = nowIso();
    if (!store_.claim(id, now)) {  // cancelled by another process meanwhile
        const std::lock_guard lock(mutex_);
        active_.erase(id);
        return;
    }
    {
        const std::lock_guard lock(mutex_);
        JobState& state = job->state;
        state.status = "running";
        if (state.started_at.empty()) state.started_at = now;
        state.scanning = !state.scanned;
        state.message = state.scanned ? fmt::format("Resuming: {} of {} files already finished",
                                                    state.completed + state.skipped + state.failed, state.total)
                                      : "Scanning " + state.directory;
        job->dirty = true;
    }
    persist(job, {});
    notifyNow(job);
    spdlog::info("jobs: started job {} on {}", id, job->state.directory);
    try {
        if (job->state.kind == "command") {
            runCommandJob(job);
        } else {
            const pipeline::IngestPlan plan = pipeline::planIngest(runtime_, job->state.args);
            if (!job->state.scanned && !job->cancel->cancelled()) scanFiles(job, plan);
            if (!job->cancel->cancelled()) executeFiles(job, plan);
        }
    } catch (const ScanInterrupted&) {
        // stopped while scanning: finish() decides between cancelled and re-queued
    } catch (const std::exception& error) {
        spdlog::error("jobs: job {} failed: {}", id, error.what());
        const std::lock_guard lock(mutex_);
        job->state.status = "failed";
        job->state.error = error.what();
        job->state.message = std::string("Failed: ") + error.what();
    }
    finish(job);
}

void JobManager::scanFiles(const std::shared_ptr<Active>& job, const pipeline::IngestPlan& plan) {
    pipeline::ScanOptions scan = plan.scan;
    // Probing each file can take a while on a large tree; a stop request interrupts it between files.
    scan.probe = [probe = plan.scan.probe, cancel = job->cancel](const fs::path& path) {
        if (cancel->cancelled()) throw ScanInterrupted{};
        return probe ? probe(path) : std::string();
    };
    const auto entries = pipeline::scanForIngest(job->state.directory, scan);
    {
        const std::lock_guard lock(mutex_);
        JobState& state = job->state;
        state.files.clear();
        for (const pipeline::ScanEntry& entry : entries) {
            if (entry.status != "video") continue;
            FileState file;
            file.seq = static_cast<int>(state.files.size());  // seq is the index in files
            file.path = entry.path.string();
            file.file_name = entry.path.filename().string();
            state.files.push_back(std::move(file));
        }
        state.total = static_cast<int>(state.files.size());
        state.scanned = true;
        state.scanning = false;
        state.message = fmt::format("Processing {} files...", state.total);
    }
    {
        const std::lock_guard order(persist_mutex_);
        JobState copy;
        {
            const std::lock_guard lock(mutex_);
            job->state.updated_at = nowIso();
            copy = job->state;
            job->dirty = false;
        }
        store_.insertFiles(copy);
    }
    notifyNow(job);
}

void JobManager::executeFiles(const std::shared_ptr<Active>& job, const pipeline::IngestPlan& plan) {
    std::vector<fs::path> paths;
    std::vector<int> seq_of;  // executor input index -> file seq
    json args;
    std::string principal;
    {
        const std::lock_guard lock(mutex_);
        for (const FileState& file : job->state.files)
            if (file.status == "waiting") {
                paths.emplace_back(file.path);
                seq_of.push_back(file.seq);
            }
        args = job->state.args;
        principal = job->state.principal_json;
    }
    if (paths.empty()) return;
    // The job runs as its owner, so the library stores the clips under their user id.
    pipeline::ExecutorOptions options = pipeline::ingestExecutorOptions(args, principal, job->cancel);
    const std::size_t step_count = plan.steps.size();
    options.on_progress = [this, &job, &seq_of, step_count](const ProgressEvent& event) {
        onEvent(job, seq_of, event, step_count);
    };
    pipeline::Executor(plan.steps, options).run(paths);
}

void JobManager::onEvent(const std::shared_ptr<Active>& job, const std::vector<int>& seq_of, const ProgressEvent& event,
                         std::size_t step_count) {
    const int seq = seq_of.at(event.file_index);
    bool file_done = false;
    bool notify = false;
    {
        const std::lock_guard lock(mutex_);
        JobState& state = job->state;
        FileState& file = state.files.at(static_cast<std::size_t>(seq));
        const double done_steps = static_cast<double>(file.completed_steps.size());
        switch (event.kind) {
            case ProgressEvent::Kind::FileStarted:
                file = file.fresh();
                file.status = "processing";
                file.started_at = nowIso();
                break;
            case ProgressEvent::Kind::StepStarted:
                file.current_step = event.step_id;
                file.steps[event.step_id] = {{"status", "running"}};
                break;
            case ProgressEvent::Kind::StepProgress:
                file.progress = percent(done_steps + std::clamp(event.fraction, 0.0, 1.0), step_count);
                break;
            case ProgressEvent::Kind::StepFinished:
                file.steps[event.step_id]["status"] = event.status;
                if (event.status == "succeeded" || event.status == "skipped") {
                    file.completed_steps.push_back(event.step_id);
                    file.progress = percent(done_steps + 1, step_count);
                }
                break;
            case ProgressEvent::Kind::FileFinished: {
                file_done = true;
                const std::string status = fileStatusFor(event.status);
                if (status == "cancelled" && job->stop == StopReason::Shutdown) {
                    file = file.fresh();  // runs again on resume
                    break;
                }
                file.status = status;
                file.completed_at = nowIso();
                if (event.result != nullptr) {
                    file.error = event.result->reason;
                    file.clip_id = clipIdOf(*event.result);
                    for (const auto& [step, record] : event.result->steps) {
                        json row = {{"status", record.status}, {"attempts", record.attempts}, {"ms", record.ms}};
                        if (!record.error.empty()) row["error"] = record.error;
                        file.steps[step] = std::move(row);
                    }
                }
                if (file.finished()) file.progress = 100;
                state.completed += status == "completed" ? 1 : 0;
                state.skipped += status == "skipped" ? 1 : 0;
                state.failed += status == "failed" ? 1 : 0;
                break;
            }
        }
        if (job->stop == StopReason::None)
            state.message = fmt::format("Processing: {}/{} files processed",
                                        state.completed + state.skipped + state.failed, state.total);
        file.dirty = true;
        job->dirty = true;
        job->notify_pending = true;
        // Listeners hear at most one change per job every 250 ms; housekeeping delivers what is held back.
        notify = std::chrono::steady_clock::now() - job->last_notify >= std::chrono::milliseconds(250);
    }
    if (file_done) persist(job, {seq});  // always at file end, so a restart never runs a finished file again
    if (notify) notifyNow(job);
}

void JobManager::runCommandJob(const std::shared_ptr<Active>& job) {
    json spec;
    std::string principal;
    {
        const std::lock_guard lock(mutex_);
        JobState& state = job->state;
        if (!state.scanned) {
            FileState entry;
            entry.path = state.args.value("plugin", "") + " " + state.args.value("command", "");
            entry.file_name = state.directory;
            entry.dirty = true;
            state.files = {entry};
            state.total = 1;
            state.scanned = true;
            job->dirty = true;
        }
        state.scanning = false;
        if (state.files.front().finished()) return;  // finished before a restart
        state.files.front() = state.files.front().fresh();
        state.files.front().status = "processing";
        state.files.front().started_at = nowIso();
        state.message = "Running " + state.directory;
        spec = state.args;
        principal = state.principal_json;
    }
    {
        const std::lock_guard order(persist_mutex_);
        JobState copy;
        {
            const std::lock_guard lock(mutex_);
            copy = job->state;
        }
        store_.insertFiles(copy);
    }
    notifyNow(job);

    Command* command = nullptr;
    for (Command* candidate : runtime_.registry().commands())
        if (candidate->decl().plugin_id == spec.value("plugin", "") &&
            candidate->decl().id == spec.value("command", ""))
            command = candidate;
    if (command == nullptr)
        throw std::runtime_error("no loaded plugin provides the command '" + spec.value("command", "") + "' of " +
                                 spec.value("plugin", "") + "; is the plugin installed?");
    Invocation call;
    call.request_id = job->state.id;
    call.args = spec.value("args", json::object());
    call.principal_json = principal;
    call.cancel = job->cancel;
    call.on_progress = [this, &job](double fraction, std::string_view note) {
        bool notify = false;
        {
            const std::lock_guard lock(mutex_);
            FileState& entry = job->state.files.front();
            entry.progress = std::clamp(static_cast<int>(fraction * 100.0), 0, 99);
            entry.current_step = std::string(note);
            entry.dirty = true;
            job->dirty = true;
            job->notify_pending = true;
            notify = std::chrono::steady_clock::now() - job->last_notify >= std::chrono::milliseconds(250);
        }
        if (notify) notifyNow(job);
    };
    const Outcome outcome = command->run(call);
    {
        const std::lock_guard lock(mutex_);
        JobState& state = job->state;
        FileState& entry = state.files.front();
        if (!outcome.ok() && job->stop == StopReason::Shutdown) {
            entry = entry.fresh();  // runs again on resume
        } else if (!outcome.ok() && job->cancel->cancelled()) {
            entry.status = "cancelled";
        } else {
            if (!outcome.ok()) {
                state.status = "failed";
                state.error = outcome.message;
                state.message = "Failed: " + outcome.message;
            }
            entry.status = outcome.ok() ? "completed" : "failed";
            entry.error = outcome.ok() ? "" : outcome.message;
            entry.progress = 100;
            entry.completed_at = nowIso();
            entry.steps = outcome.ok() ? outcome.result : json{{"error", outcome.message}};
            state.completed += outcome.ok() ? 1 : 0;
            state.failed += outcome.ok() ? 0 : 1;
        }
        entry.dirty = true;
        job->dirty = true;
    }
    persist(job, {0});
}

void JobManager::finish(const std::shared_ptr<Active>& job) {
    std::vector<int> all;
    {
        const std::lock_guard lock(mutex_);
        JobState& state = job->state;
        const bool shutdown = job->stop == StopReason::Shutdown && state.status != "failed";
        for (FileState& file : state.files) {
            all.push_back(file.seq);
            if (file.finished()) continue;
            if (shutdown) {
                file = file.fresh();
            } else {
                file.status = "cancelled";
                file.current_step.clear();
            }
        }
        state.scanning = false;
        const int done = state.completed + state.skipped + state.failed;
        if (shutdown) {
            state.status = "queued";
            state.message = "Interrupted by a server shutdown; resumes when 'clipdex serve' starts again";
        } else if (state.status != "failed") {
            state.ended_at = nowIso();
            if (job->stop == StopReason::User) {
                state.status = "cancelled";
                state.message = fmt::format("Cancelled: {} of {} files finished", done, state.total);
            } else {
                state.status = "completed";
                state.message = state.total == 0 ? "No video files found in " + state.directory
                                                 : fmt::format("Completed: {} successful, {} skipped, {} failed",
                                                               state.completed, state.skipped, state.failed);
            }
        } else {
            state.ended_at = nowIso();
        }
        job->dirty = true;
    }
    persist(job, all);
    JobState final_state;
    std::uint64_t seq = 0;
    {
        const std::lock_guard lock(mutex_);
        final_state = job->state;
        seq = ++job->snapshot_seq;
        active_.erase(final_state.id);
    }
    spdlog::info("jobs: job {} {}: {}", final_state.id, final_state.status, final_state.message);
    emit(final_state, job.get(), seq);
}

}  // namespace clipdex::jobs
