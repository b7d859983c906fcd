// Runs the planned steps over files: files in parallel on a worker pool; within a file, steps in dependency
// order, independent ones concurrently; with per-step timeouts, retries with backoff, failure isolation and
// cancellation. One PluginStep instance per step per worker, so no instance ever runs concurrently.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "pipeline/step_graph.hpp"

namespace clipdex::pipeline {

struct StepRecord {
    std::string status;  // "succeeded", "failed", "skipped", "cancelled"
    std::string error;   // failure message or skip reason
    double ms = 0;
    int attempts = 0;
};

struct FileResult {
    std::filesystem::path path;
    std::string status;  // "processed", "skipped", "failed", "cancelled"
    std::string reason;
    std::map<std::string, StepRecord> steps;
    json outputs = json::object();  // step id -> outputs of each succeeded step
    double ms = 0;
};

/// One progress event: a file or a step started or finished, or a step reported progress. Delivered from worker
/// threads, serialised.
struct ProgressEvent {
    enum class Kind { FileStarted, FileFinished, StepStarted, StepProgress, StepFinished };
    Kind kind;
    std::size_t file_index = 0;  // index in the input list
    std::size_t total_files = 0;
    std::size_t files_done = 0;  // finished files so far, this one included when FileFinished
    std::filesystem::path path;
    std::string step_id;  // step events only
    std::string status;   // FileFinished / StepFinished: the result status; StepProgress: the step's note
    double fraction = 0;  // StepProgress: what the step reported through ctx.progress
    const FileResult* result = nullptr;  // FileFinished: the file's result (valid during the callback only)
};
using ProgressSink = std::function<void(const ProgressEvent&)>;

struct ExecutorOptions {
    std::size_t parallel_tasks = 0;   // 0: hardware concurrency
    int default_timeout_ms = 300000;  // for steps declaring no timeout_ms
    int backoff_initial_ms = 200;     // doubled after each retryable failure
    json options = json::object();    // the ingest arguments, passed to steps as inputs.options
    std::string data_dir;
    std::string principal_json = R"({"id":"local","role":"admin"})";
    bool concurrent_steps = true;  // false: one step at a time in plan order
    std::shared_ptr<CancelToken> cancel =
        std::make_shared<CancelToken>();  // Ctrl-C: no new files, running steps cancelled
    ProgressSink on_progress;
};

class Executor {
public:
    Executor(std::vector<PlannedStep> steps, ExecutorOptions options);
    /// Processes the files. Returns one result per file that was started, in input order; files never
    /// started because of cancellation are left out.
    std::vector<FileResult> run(const std::vector<std::filesystem::path>& files);

private:
    struct Worker;
    /// Not-yet-run steps whose predecessors have all finished, in plan order.
    std::vector<std::size_t> readySteps(const std::vector<bool>& done) const;
    FileResult runFile(Worker& worker, std::size_t index, const std::filesystem::path& path, std::size_t total);
    StepRecord runStep(Worker& worker, std::size_t step, const json& inputs, json& output, const ProgressEvent& where);
    void emit(ProgressEvent event);

    std::vector<PlannedStep> steps_;
    ExecutorOptions options_;
    std::mutex progress_mutex_;
    std::size_t done_ = 0;
    std::mutex active_mutex_;
    std::vector<std::shared_ptr<CancelToken>> active_;  // the running steps' tokens, cancelled on Ctrl-C
};

/// The file part of a step's inputs: path, name, size_bytes, mtime (UTC ISO 8601) and mtime_ns.
json fileInputs(const std::filesystem::path& path);

}  // namespace clipdex::pipeline
