#include "pipeline/ingest_command.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "pipeline/executor.hpp"
#include "pipeline/ingest_report.hpp"
#include "pipeline/scanner.hpp"
#include "pipeline/step_graph.hpp"
#include "runtime/runtime.hpp"
#include "util/paths.hpp"

namespace clipdex {
namespace pipeline {
namespace {
namespace fs = std::filesystem;

// Declared in manifest form like the other builtins; --enable/--disable choices are filled in at registration.
constexpr const char* kIngestManifest = R"json({
  "schema": "clipdex.manifest/1", "id": "clipdex.host.ingest", "name": "clipdex ingest", "version": "0.0.0",
  "abi": {"major": 1},
  "provides": {"commands": [
    {"id": "ingest", "summary": "Scan a directory for videos and run the pipeline steps on each",
     "description": "Finds video files (by probing their content), runs the enabled pipeline steps on each in parallel and reports per-file results. Exit code 0 when no file failed, 1 when some failed.",
     "cli": {"path": ["ingest"]}, "http": false,
     "output": {"table": {"rows": "/files", "title": "Ingest: {count} files",
       "footer": "Processed {processed}, skipped {skipped}, failed {failed} of {total_files} files in {duration_seconds} s ({files_per_second} files/s)",
       "columns": [
       {"key": "name", "title": "Name"}, {"key": "status", "title": "Status"}, {"key": "reason", "title": "Reason"}]}},
     "args": {"type": "object", "required": ["directory"], "properties": {
       "directory": {"type": "string", "description": "Directory containing video files", "x-cli-positional": 0},
       "recursive": {"type": "boolean", "default": true, "x-cli-short": "r", "description": "Search subdirectories"},
       "limit": {"type": "integer", "default": 0, "minimum": 0, "x-cli-short": "l", "description": "Maximum number of files to process (0 = no limit)"},
       "file_types": {"type": "string", "default": "mp4,mov,avi,mkv,m4v,wmv,flv,webm,3gp,mpg,mpeg,m2v,m4v", "description": "Comma-separated list of file extensions"},
       "force": {"type": "boolean", "default": false, "x-cli-short": "f", "description": "Force reprocess existing files"},
       "save_json": {"type": "boolean", "default": true, "description": "Save results as JSON"},
       "save_directory": {"type": "string", "description": "Directory to save outputs [default: <data dir>/runs]"},
       "ai_analysis": {"type": "boolean", "default": false, "description": "Enable AI video analysis"},
       "compression": {"type": "boolean", "default": false, "description": "Enable video compression for AI analysis"},
       "compression_fps": {"type": "integer", "default": 2, "minimum": 1, "description": "Frame rate for compression"},
       "compression_bitrate": {"type": "string", "default": "500k", "description": "Bitrate for compression"},
       "database_storage": {"type": "boolean", "default": true, "description": "Store results in database"},
       "generate_embeddings": {"type": "boolean", "default": false, "description": "Generate vector embeddings"},
       "parallel_tasks": {"type": "integer", "default": 0, "minimum": 0, "x-cli-short": "p", "description": "Number of parallel processing tasks (0 = number of cores)"},
       "enable": {"type": "array", "items": {"type": "string"}, "description": "Steps to enable in the pipeline (repeatable, comma lists)"},
       "disable": {"type": "array", "items": {"type": "string"}, "description": "Steps to disable in the pipeline (repeatable, comma lists)"},
       "config": {"type": "string", "description": "JSON configuration file for pipeline steps"},
       "dry_run": {"type": "boolean", "default": false, "description": "List what would be processed without running steps"}}}}
  ]}
})json";

/// An option whose provider arrives later: force its step on when a plugin provides it, else warn.
void capability(const json& args, const char* option, const char* step, const std::vector<AvailableStep>& available,
                StepChoice& choice, json& warnings) {
    if (!args.value(option, false)) return;
    for (const AvailableStep& candidate : available)
        if (candidate.decl.id == step) {
            choice.forced[step] = true;
            return;
        }
    warnings.push_back(
        fmt::format("--{}: not available: no provider configured (no plugin provides {})", option, step));
}

json readConfigFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CommandError(CDX_E_INVALID_ARGUMENT, "--config: cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    try {
        return json::parse(text.str());
    } catch (const json::exception& error) {
        throw CommandError(CDX_E_INVALID_ARGUMENT, "--config: " + path + " is not valid JSON: " + error.what());
    }
}

json stepConfigDocument(const std::vector<AvailableStep>& available, const std::vector<PlannedStep>& planned) {
    json flat = effectiveConfig(available, planned);
    json steps = json::object();
    for (const auto& [id, enabled] : flat.items()) steps[id] = {{"enabled", enabled}};
    for (const PlannedStep& step : planned) steps[step.decl.id]["config"] = step.config;
    return json{{"steps", steps}};
}

}  // namespace

json ingestArgsSchema() {
    return parseManifest(kIngestManifest).commands.front().args;
}

fs::path ingestDirectory(const std::string& directory) {
    std::error_code error;
    const json field = {{"field", "directory"}};
    if (!fs::exists(directory, error))
        throw CommandError(CDX_E_INVALID_ARGUMENT, "Directory not found: " + directory, field);
    if (!fs::is_directory(directory, error))
        throw CommandError(CDX_E_INVALID_ARGUMENT, "Path is not a directory: " + directory, field);
    const fs::path canonical = fs::canonical(directory, error);
    return error ? fs::absolute(directory).lexically_normal() : canonical;
}

IngestPlan planIngest(Runtime& runtime, const json& args) {
    IngestPlan plan;
    plan.available = availableSteps(runtime.registry());
    StepChoice choice;
    if (args.contains("config")) choice.config_file = readConfigFile(args["config"].get<std::string>());
    if (!args.value("database_storage", true)) choice.forced["database_storage_step"] = false;
    capability(args, "ai_analysis", "ai_video_analysis_step", plan.available, choice, plan.warnings);
    capability(args, "compression", "video_compression_step", plan.available, choice, plan.warnings);
    capability(args, "generate_embeddings", "generate_embeddings_step", plan.available, choice, plan.warnings);
    for (const char* key : {"disable", "enable"})
        if (args.contains(key))
            for (const json& id : args[key])
                (key[0] == 'd' ? choice.disable : choice.enable).push_back(id.get<std::string>());
    plan.steps = planSteps(plan.available, choice);

    plan.scan.recursive = args.value("recursive", true);
    plan.scan.limit = args.value("limit", 0U);
    plan.scan.extensions = parseFileTypes(args.value("file_types", std::string(kDefaultFileTypes)));
    plan.scan.probe = contentProbe(runtime.registry().commands());
    if (!plan.scan.probe)
        plan.warnings.push_back(
            "content not probed: no plugin provides 'media probe', so every file with a listed "
            "extension is treated as a video");
    return plan;
}

std::vector<ScanEntry> scanForIngest(const fs::path& directory, const ScanOptions& scan) {
    try {
        return scanDirectory(directory, scan);
    } catch (const fs::filesystem_error& failure) {
        throw CommandError(CDX_E_IO, "cannot scan " + directory.string() + ": " + failure.code().message());
    }
}

ExecutorOptions ingestExecutorOptions(const json& args, std::string principal_json,
                                      std::shared_ptr<CancelToken> cancel) {
    ExecutorOptions options;
    options.parallel_tasks = args.value("parallel_tasks", 0U);
    options.options = args;
    options.data_dir = paths::dataDir().string();
    options.principal_json = std::move(principal_json);
    options.cancel = std::move(cancel);
    return options;
}

}  // namespace pipeline

namespace {
namespace fs = std::filesystem;
using namespace pipeline;

json ingest(Runtime& runtime, Invocation& call) {
    const json& args = call.args;
    const auto start = std::chrono::steady_clock::now();
    const std::string directory = args.at("directory").get<std::string>();
    ingestDirectory(directory);
    const IngestPlan plan = planIngest(runtime, args);
    const std::vector<AvailableStep>& available = plan.available;
    const std::vector<PlannedStep>& planned = plan.steps;
    const json& warnings = plan.warnings;
    const std::vector<ScanEntry> entries = scanForIngest(fs::absolute(directory), plan.scan);
    std::vector<fs::path> videos;
    for (const ScanEntry& entry : entries)
        if (entry.status == "video") videos.push_back(entry.path);

    std::error_code error;
    json summary = {{"run_id", nullptr},      {"directory", fs::absolute(directory, error).string()},
                    {"dry_run", false},       {"run_dir", nullptr},
                    {"steps", json::array()}, {"warnings", warnings}};
    for (const PlannedStep& step : planned) summary["steps"].push_back(step.decl.id);
    std::vector<FileResult> results;
    if (args.value("dry_run", false)) {
        summary["dry_run"] = true;
        fillFiles(summary, entries, results);
        for (json& row : summary["files"]) {
            if (row["status"] != "cancelled") continue;
            row["status"] = "would_process";
            row["reason"] = "";
        }
        summary["would_process"] = summary["cancelled"];
        summary["cancelled"] = 0;
        summary["duration_seconds"] = 0;
        summary["files_per_second"] = 0;
        return summary;
    }

    ExecutorOptions options = ingestExecutorOptions(args, call.principal_json, call.cancel);
    options.on_progress = [&call](const ProgressEvent& event) {
        if (!call.on_progress || event.kind == ProgressEvent::Kind::StepStarted) return;
        const double fraction = event.total_files == 0 ? 1.0 : double(event.files_done) / double(event.total_files);
        std::string what = event.kind == ProgressEvent::Kind::FileFinished  ? event.status
                           : event.kind == ProgressEvent::Kind::FileStarted ? "started"
                                                                            : event.step_id + " " + event.status;
        if (event.kind == ProgressEvent::Kind::StepProgress)
            what = fmt::format("{} {:.0f}% {}", event.step_id, event.fraction * 100, event.status);
        call.on_progress(fraction, fmt::format("{}/{} {}: {}", event.files_done, event.total_files,
                                               event.path.filename().string(), what));
    };
    results = Executor(planned, options).run(videos);

    fillFiles(summary, entries, results);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    summary["duration_seconds"] = seconds;
    summary["files_per_second"] = seconds > 0 ? summary["processed"].get<double>() / seconds : 0.0;
    if (args.value("save_json", true)) {
        const fs::path save = args.contains("save_directory") ? fs::path(args["save_directory"].get<std::string>())
                                                              : paths::dataDir() / "runs";
        std::string run_id;
        try {
            const fs::path run_dir = makeRunDir(save, run_id);
            summary["run_id"] = run_id;
            summary["run_dir"] = run_dir.string();
            saveRun(run_dir, summary, stepConfigDocument(available, planned), results);
        } catch (const std::exception& failure) {
            summary["warnings"].push_back(std::string("results not saved: ") + failure.what());
        }
    }
    const int failed = summary["failed"].get<int>();
    const int total = summary["total_files"].get<int>();
    spdlog::info("ingest of {}: {} processed, {} skipped, {} failed in {:.1f} s", directory,
                 summary["processed"].get<int>(), summary["skipped"].get<int>(), failed, seconds);
    if (call.cancel->cancelled())
        throw CommandError(CDX_E_CANCELLED,
                           fmt::format("ingest cancelled: {} of {} files finished",
                                       std::count_if(results.begin(), results.end(),
                                                     [](const FileResult& r) { return r.status != "cancelled"; }),
                                       videos.size()),
                           json{{"summary", summary}});
    if (failed > 0) {
        // The CLI prints the hint on stderr, so people see which files failed and why without --format json.
        std::string hint;
        for (const json& file : summary["files"])
            if (file["status"] == "failed")
                hint += fmt::format("\n  {}: {}", file["name"].get<std::string>(), file["reason"].get<std::string>());
        if (summary["run_dir"].is_string())
            hint += "\n  summary: " + summary["run_dir"].get<std::string>() + "/summary.json";
        throw CommandError(CDX_E_IO, fmt::format("{} of {} files failed", failed, total),
                           json{{"summary", summary}, {"hint", "failed files:" + hint}});
    }
    return summary;
}

}  // namespace

void registerIngest(Runtime& runtime) {
    Manifest manifest = parseManifest(kIngestManifest);
    CommandDecl decl = std::move(manifest.commands.front());
    json choices = json::array();
    for (const AvailableStep& step : availableSteps(runtime.registry())) choices.push_back(step.decl.id);
    if (!choices.empty())
        for (const char* key : {"enable", "disable"}) decl.args["properties"][key]["items"]["enum"] = choices;
    decl.args["properties"]["save_directory"]["description"] =
        "Directory to save outputs [default: " + (paths::dataDir() / "runs").string() + "]";
    runtime.registry().addBuiltin(std::make_unique<BuiltinCommand>(
        std::move(decl), [&runtime](Invocation& call) { return ingest(runtime, call); }));
}

}  // namespace clipdex
