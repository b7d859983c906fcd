#include "pipeline/executor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <optional>
#include <thread>

#include "loader/plugin_step.hpp"

namespace clipdex::pipeline {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool retryable(cdx_status status) {
    return status != CDX_E_INVALID_ARGUMENT && status != CDX_E_UNSUPPORTED && status != CDX_E_CANCELLED;
}

}  // namespace

struct Executor::Worker {
    std::vector<std::unique_ptr<PluginStep>> instances;
    std::vector<std::string> create_errors;
};

json fileInputs(const fs::path& path) {
    std::error_code error;
    json file = {{"path", fs::absolute(path, error).string()}, {"name", path.filename().string()}};
    file["size_bytes"] = fs::file_size(path, error);
    if (error) file["size_bytes"] = 0;
    const auto written = fs::last_write_time(path, error);
    if (!error) {
        const auto system = std::chrono::file_clock::to_sys(written);
        const std::time_t seconds = std::chrono::system_clock::to_time_t(
            std::chrono::time_point_cast<std::chrono::system_clock::duration>(system));
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char text[32];
        std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
        file["mtime"] = text;
        file["mtime_ns"] = std::chrono::duration_cast<std::chrono::nanoseconds>(system.time_since_epoch()).count();
    }
    return file;
}

Executor::Executor(std::vector<PlannedStep> steps, ExecutorOptions options)
    : steps_(std::move(steps)), options_(std::move(options)) {}

void Executor::emit(ProgressEvent event) {
    const std::lock_guard lock(progress_mutex_);
    if (event.kind == ProgressEvent::Kind::FileFinished) ++done_;
    event.files_done = done_;
    if (options_.on_progress) options_.on_progress(event);
}

std::vector<FileResult> Executor::run(const std::vector<fs::path>& files) {
    if (files.empty()) return {};
    std::size_t parallel =
        options_.parallel_tasks != 0 ? options_.parallel_tasks : std::max(1U, std::thread::hardware_concurrency());
    parallel = std::max<std::size_t>(1, std::min(parallel, files.size()));
    std::vector<std::optional<FileResult>> results(files.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> finished{false};

    // CancelToken has no callback, so a watcher forwards Ctrl-C to the tokens of the running steps.
    std::thread watcher([this, &finished] {
        while (!finished.load()) {
            if (options_.cancel->cancelled()) {
                const std::lock_guard lock(active_mutex_);
                for (const auto& token : active_) token->cancel();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    auto work = [&] {
        Worker worker;
        for (const PlannedStep& step : steps_) {
            Outcome error;
            Invocation call;
            call.principal_json = options_.principal_json;
            call.cancel = options_.cancel;
            std::unique_ptr<PluginStep> instance;
            if (step.plugin != nullptr)
                instance = PluginStep::create(*step.plugin, step.decl, step.config, call, error);
            else
                error = Outcome::failure(CDX_E_INTERNAL, "no plugin provides step " + step.decl.id);
            worker.create_errors.push_back(instance ? "" : "cannot create step: " + error.message);
            worker.instances.push_back(std::move(instance));
        }
        while (!options_.cancel->cancelled()) {
            const std::size_t index = next.fetch_add(1);
            if (index >= files.size()) break;
            try {
                results[index] = runFile(worker, index, files[index], files.size());
            } catch (const std::exception& error) {
                spdlog::error("ingest of {} failed in the host: {}", files[index].string(), error.what());
                results[index] = FileResult{
                    files[index], "failed", std::string("internal error: ") + error.what(), {}, json::object(), 0};
            }
        }
    };
    std::vector<std::thread> workers;
    for (std::size_t index = 0; index < parallel; ++index) workers.emplace_back(work);
    for (std::thread& thread : workers) thread.join();
    finished = true;
    watcher.join();

    std::vector<FileResult> done;
    for (auto& result : results)
        if (result) done.push_back(std::move(*result));
    return done;
}

std::vector<std::size_t> Executor::readySteps(const std::vector<bool>& done) const {
    std::vector<std::size_t> ready;
    for (std::size_t step = 0; step < steps_.size(); ++step) {
        if (done[step]) continue;
        bool waiting = false;
        for (std::size_t earlier = 0; earlier < step && !waiting; ++earlier) {
            if (done[earlier]) continue;
            const StepDecl& before = steps_[earlier].decl;
            const StepDecl& decl = steps_[step].decl;
            const auto names = [&](const std::vector<std::string>& list) {
                return std::find(list.begin(), list.end(), before.id) != list.end();
            };
            waiting = before.may_skip_file || names(decl.depends_on) || names(decl.after);
        }
        if (!waiting) ready.push_back(step);
        if (!options_.concurrent_steps && !ready.empty()) break;
    }
    return ready;
}

FileResult Executor::runFile(Worker& worker, std::size_t index, const fs::path& path, std::size_t total) {
    const auto start = Clock::now();
    FileResult result{path, "processed", "", {}, json::object(), 0};
    emit({ProgressEvent::Kind::FileStarted, index, total, 0, path, "", "", 0});
    const json base = {{"file", fileInputs(path)}, {"data_dir", options_.data_dir}, {"options", options_.options}};
    std::string stop_reason;  // set once the file stops (skip_file or cancellation)
    std::vector<bool> done(steps_.size(), false);
    // Rounds: every step whose predecessors (depends_on, after, and any earlier may_skip_file step) finished
    // runs now, concurrently with the others of its round; the plan order decides only ties.
    for (std::vector<std::size_t> round = readySteps(done); !round.empty(); round = readySteps(done)) {
        struct Pending {
            std::size_t step;
            json inputs;
            json output;
            StepRecord record;
        };
        std::vector<Pending> runnable;
        for (std::size_t step : round) {
            done[step] = true;
            const StepDecl& decl = steps_[step].decl;
            if (!stop_reason.empty()) {
                result.steps[decl.id] = {result.status == "cancelled" ? "cancelled" : "skipped", stop_reason, 0, 0};
                continue;
            }
            std::string missing;
            for (const std::string& dependency : decl.depends_on) {
                auto found = result.steps.find(dependency);
                if (found == result.steps.end())
                    missing = "dependency " + dependency + " is not enabled";
                else if (found->second.status != "succeeded")
                    missing = "dependency " + dependency + " " + found->second.status;
                if (!missing.empty()) break;
            }
            if (!missing.empty()) {
                result.steps[decl.id] = {"skipped", missing, 0, 0};
                emit({ProgressEvent::Kind::StepFinished, index, total, 0, path, decl.id, "skipped", 0});
                continue;
            }
            json inputs = base;
            inputs["steps"] = json::object();
            for (const auto* list : {&decl.depends_on, &decl.after})
                for (const std::string& id : *list)
                    if (result.outputs.contains(id)) inputs["steps"][id] = result.outputs[id];
            runnable.push_back({step, std::move(inputs), json(), {}});
        }
        auto run = [&](Pending& pending) {
            const StepDecl& decl = steps_[pending.step].decl;
            const ProgressEvent started{ProgressEvent::Kind::StepStarted, index, total, 0, path, decl.id, "", 0};
            emit(started);
            pending.record = runStep(worker, pending.step, pending.inputs, pending.output, started);
            emit({ProgressEvent::Kind::StepFinished, index, total, 0, path, decl.id, pending.record.status, 0});
        };
        std::vector<std::thread> helpers;
        for (std::size_t extra = 1; extra < runnable.size(); ++extra)
            helpers.emplace_back([&run, &runnable, extra] { run(runnable[extra]); });
        if (!runnable.empty()) run(runnable.front());
        for (std::thread& helper : helpers) helper.join();

        for (Pending& pending : runnable) {
            const StepDecl& decl = steps_[pending.step].decl;
            StepRecord& record = pending.record;
            if (record.status == "succeeded") {
                result.outputs[decl.id] = std::move(pending.output);
                const json& output = result.outputs[decl.id];
                const json* control = output.contains("control") ? &output["control"] : nullptr;
                if (control != nullptr && control->is_object() && control->value("action", "") == "skip_file" &&
                    stop_reason.empty()) {
                    result.status = "skipped";
                    result.reason = control->value("reason", "skipped by " + decl.id);
                    stop_reason = "file skipped by " + decl.id;
                }
            } else if (record.status == "cancelled") {
                result.status = "cancelled";
                result.reason = "cancelled during " + decl.id;
                stop_reason = "cancelled";
            } else if (record.status == "failed" && result.status == "processed") {
                result.status = "failed";
                result.reason = decl.id + ": " + record.error;
            }
            result.steps[decl.id] = std::move(record);
        }
    }
    result.ms = msSince(start);
    emit({ProgressEvent::Kind::FileFinished, index, total, 0, path, "", result.status, 0, &result});
    return result;
}

StepRecord Executor::runStep(Worker& worker, std::size_t step, const json& inputs, json& output,
                             const ProgressEvent& where) {
    const auto start = Clock::now();
    StepRecord record{"failed", "", 0, 0};
    PluginStep* instance = worker.instances[step].get();
    if (instance == nullptr) {
        record.error = worker.create_errors[step];
        return record;
    }
    const StepDecl& decl = steps_[step].decl;
    const int timeout_ms = decl.timeout_ms > 0 ? decl.timeout_ms : options_.default_timeout_ms;
    for (int attempt = 0;; ++attempt) {
        Invocation call;
        call.principal_json = options_.principal_json;
        call.cancel->setDeadline(Clock::now() + std::chrono::milliseconds(timeout_ms));
        call.on_progress = [&](double fraction, std::string_view note) {
            ProgressEvent event = where;
            event.kind = ProgressEvent::Kind::StepProgress;
            event.status = std::string(note);
            event.fraction = fraction;
            emit(std::move(event));
        };
        {
            const std::lock_guard lock(active_mutex_);
            active_.push_back(call.cancel);
        }
        Outcome outcome = instance->run(inputs, call);
        {
            const std::lock_guard lock(active_mutex_);
            active_.erase(std::find(active_.begin(), active_.end(), call.cancel));
        }
        record.attempts = attempt + 1;
        if (outcome.ok() && outcome.result.is_object()) {
            record.status = "succeeded";
            record.error.clear();
            output = std::move(outcome.result);
            break;
        }
        if (options_.cancel->cancelled()) {
            record.status = "cancelled";
            record.error = "cancelled";
            break;
        }
        cdx_status status = outcome.status;
        if (outcome.ok()) {
            status = CDX_E_INTERNAL;
            record.error = "the step returned " + std::string(outcome.result.type_name()) + ", not an object";
        } else if (status == CDX_E_TIMEOUT) {
            record.error = "timed out after " + std::to_string(timeout_ms) + " ms";
        } else {
            record.error = outcome.message.empty() ? "failed with status " + std::to_string(status) : outcome.message;
        }
        if (!retryable(status) || attempt >= decl.retries) break;
        spdlog::info("step {} failed ({}), retrying ({} of {})", decl.id, record.error, attempt + 1, decl.retries);
        const auto wake =
            Clock::now() + std::chrono::milliseconds(options_.backoff_initial_ms << std::min(attempt, 10));
        while (Clock::now() < wake && !options_.cancel->cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    record.ms = msSince(start);
    return record;
}

}  // namespace clipdex::pipeline
