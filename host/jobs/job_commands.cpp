#include "jobs/job_commands.hpp"

#include "core/schema.hpp"
#include "http/envelope.hpp"
#include "jobs/job_manager.hpp"
#include "jobs/progress_document.hpp"
#include "pipeline/ingest_command.hpp"
#include "runtime/runtime.hpp"

namespace clipdex {
namespace {

// Declared in manifest form like the other builtins. jobs-submit's arguments are ingest's plus the legacy
// fields both panel generations send (filled in at registration).
constexpr const char* kJobsManifest = R"json({
  "schema": "clipdex.manifest/1", "id": "clipdex.host.jobs", "name": "clipdex jobs", "version": "0.0.0",
  "abi": {"major": 1},
  "provides": {"commands": [
    {"id": "jobs-submit", "summary": "Queue a background ingest of a directory on the server",
     "description": "Stores an ingest job and returns at once (HTTP 202); 'clipdex serve' runs it in the background, resumes it after a restart and reports progress on /api/progress/{job_id}. A second job for the same directory while one is queued or running is refused (409 INGEST_ALREADY_RUNNING).",
     "cli": {"path": ["jobs", "submit"]},
     "http": {"method": "POST", "path": "/api/ingest", "status": 202},
     "output": {"http_envelope": false}},
    {"id": "jobs-reembed", "summary": "Queue a background re-embedding of your clips (after an embedding model change)",
     "description": "Runs 'clipdex search reembed' as a durable job on the server: it embeds every clip that has no vectors for the configured model (all of them with --force), survives a restart and reports progress on /api/jobs/{id} and /api/progress/{id}. Vector spaces of different models are never mixed, so search keeps using the old space's clips until the new one is filled.",
     "cli": {"path": ["jobs", "reembed"]},
     "http": {"method": "POST", "path": "/api/jobs/reembed", "status": 202},
     "args": {"type": "object", "properties": {
       "force": {"type": "boolean", "default": false, "description": "Re-embed clips that already have vectors for the model"},
       "limit": {"type": "integer", "default": 0, "minimum": 0, "description": "Embed at most this many clips (0: all)"}}}},
    {"id": "jobs-cancel", "summary": "Cancel a queued or running job",
     "cli": {"path": ["jobs", "cancel"]},
     "http": {"method": "DELETE", "path": "/api/ingest/{id}", "aliases": ["/api/jobs/{id}"]},
     "args": {"type": "object", "required": ["id"], "properties": {
       "id": {"type": "string", "description": "Job id", "x-cli-positional": 0}}}},
    {"id": "jobs-list", "summary": "List your jobs (an admin sees everyone's), newest first",
     "cli": {"path": ["jobs", "list"]}, "http": {"method": "GET", "path": "/api/jobs"},
     "output": {"table": {"rows": "/jobs", "title": "Jobs: {count}", "columns": [
       {"key": "job_id", "title": "Job"}, {"key": "status", "title": "Status"}, {"key": "progress", "title": "%"},
       {"key": "directory", "title": "Directory"}, {"key": "created_at", "title": "Created"}]}},
     "args": {"type": "object", "properties": {
       "status": {"type": "string", "enum": ["queued", "running", "completed", "failed", "cancelled"], "description": "Only jobs in this state"},
       "limit": {"type": "integer", "default": 20, "minimum": 1, "maximum": 1000, "description": "Maximum number of jobs"}}}},
    {"id": "jobs-show", "summary": "Show a job with per-file and per-step detail",
     "cli": {"path": ["jobs", "show"]}, "http": {"method": "GET", "path": "/api/jobs/{id}"},
     "output": {"table": {"rows": "/files", "title": "Files: {count}", "footer": "Job {job_id}: {status} ({progress}%). {message}",
       "columns": [{"key": "file_name", "title": "File"}, {"key": "status", "title": "Status"},
                   {"key": "current_step", "title": "Step"}, {"key": "progress", "title": "%"},
                   {"key": "clip_id", "title": "Clip"}, {"key": "error", "title": "Error"}]}},
     "args": {"type": "object", "required": ["id"], "properties": {
       "id": {"type": "string", "description": "Job id", "x-cli-positional": 0}}}},
    {"id": "progress", "summary": "Progress of your latest ingest job (IngestProgress), or idle",
     "http": {"method": "GET", "path": "/api/progress", "aliases": ["/api/ingest/progress"], "lift": ["*"]}},
    {"id": "progress-job", "summary": "Progress of one ingest job (IngestProgress)",
     "http": {"method": "GET", "path": "/api/progress/{job_id}", "lift": ["*"]},
     "args": {"type": "object", "required": ["job_id"], "properties": {
       "job_id": {"type": "string", "description": "Job id (the task_run_id of POST /api/ingest)"}}}},
    {"id": "ingest-results", "summary": "Per-file results of your latest (or the given) ingest job",
     "http": {"method": "GET", "path": "/api/ingest/results", "lift": ["results", "count"]},
     "args": {"type": "object", "properties": {
       "job_id": {"type": "string", "description": "Job id; default: your latest job"}}}},
    {"id": "check-progress", "summary": "Show the progress of an ingest job on a running server",
     "description": "Asks the server at --api-url for a job's progress (your latest job by default), once or, with --watch, every half second until the job ends. Sends the session of 'clipdex auth login' when there is one.",
     "cli": {"path": ["check-progress"]}, "http": false, "auth": "none",
     "output": {"table": {"rows": "/processed_files", "title": "Files: {count}",
       "footer": "{status} {progress}%: {message} (processed {processed_count}, failed {failed_count} of {total_count} files)",
       "columns": [{"key": "file_name", "title": "File"}, {"key": "status", "title": "Status"},
                   {"key": "current_step", "title": "Step"}, {"key": "progress_percentage", "title": "%"},
                   {"key": "error", "title": "Error"}]}},
     "args": {"type": "object", "properties": {
       "api_url": {"type": "string", "default": "http://localhost:8000", "description": "API server URL"},
       "job": {"type": "string", "description": "Job id (default: your latest job)"},
       "watch": {"type": "boolean", "default": false, "description": "Poll until the job ends, printing a line per change"}}}}
  ]}
})json";

/// ingest's arguments minus the foreground-only ones, plus the original panels' spellings.
json submitArgs() {
    json args = pipeline::ingestArgsSchema();
    json& properties = args["properties"];
    for (const char* foreground_only : {"dry_run", "save_json", "save_directory"}) properties.erase(foreground_only);
    properties["database_storage"]["x-http-aliases"] = json::array({"store_database"});
    properties["force"]["x-http-aliases"] = json::array({"force_reprocess"});
    properties["output_dir"] = {
        {"type", "string"},
        {"x-http-only", true},
        {"description",
         "Accepted for compatibility with the original panel and ignored: outputs live in the catalog and the "
         "data directory"}};
    return args;
}

/// The original's success envelope around `data`, with `top`'s keys also at the top level: POST /api/ingest
/// answers "started" there while its data says "queued", which the manifest's `lift` cannot express.
json legacyEnvelope(const json& top, const json& data) {
    json body = http::successEnvelope(data, top.value("message", "Success"));
    for (const auto& [key, value] : top.items())
        if (!body.contains(key)) body[key] = value;
    return body;
}

json submit(Runtime& runtime, Invocation& call) {
    const jobs::JobState job = runtime.jobs().submit(call.args, call.principal_json);
    const json data = {{"task_run_id", job.id},       {"job_id", job.id},       {"status", "queued"},
                       {"directory", job.directory},  {"message", job.message}, {"total_files", 0},
                       {"created_at", job.created_at}};
    // Over HTTP the original's body (its envelope plus the legacy top-level keys); on the CLI just the job.
    const json principal = json::parse(call.principal_json, nullptr, false);
    if (principal.is_object() && principal.value("channel", "") == "cli") return data;
    return legacyEnvelope({{"status", "started"},
                           {"directory", job.directory},
                           {"task_run_id", job.id},
                           {"job_id", job.id},
                           {"message", "Ingest process started for " + job.directory}},
                          data);
}

/// `search reembed` as a background job: the command comes from whichever plugin provides it.
json submitReembed(Runtime& runtime, Invocation& call) {
    const std::vector<std::string> path = {"search", "reembed"};
    for (Command* command : runtime.registry().commands()) {
        if (command->decl().cli_path != path) continue;
        const json args = schema::validateArgs(command->decl().args, call.args, schema::Origin::Json);
        const jobs::JobState job =
            runtime.jobs().submitCommand(command->decl(), args, call.principal_json, "search reembed");
        return {{"job_id", job.id},   {"task_run_id", job.id},  {"kind", job.kind},
                {"status", "queued"}, {"message", job.message}, {"created_at", job.created_at}};
    }
    throw CommandError(CDX_E_UNSUPPORTED,
                       "no loaded plugin provides 'search reembed'; install the vectors plugin (clipdex.vectors)");
}

json progressReply(Runtime& runtime, const std::string& job_id, const std::string& principal_json) {
    return runtime.jobs().progress(job_id, jobs::viewerOf(principal_json));  // enveloped and lifted by the manifest
}

json results(Runtime& runtime, Invocation& call) {
    const jobs::Viewer viewer = jobs::viewerOf(call.principal_json);
    const std::string id =
        call.args.contains("job_id") ? call.args["job_id"].get<std::string>() : runtime.jobs().latest(viewer);
    if (id.empty()) return json{{"results", json::array()}, {"count", 0}};
    return jobs::jobResults(runtime.jobs().find(id, viewer));
}

}  // namespace

void registerJobs(Runtime& runtime) {
    Manifest manifest = parseManifest(kJobsManifest);
    for (CommandDecl& decl : manifest.commands) {
        BuiltinCommand::Handler handler;
        if (decl.id == "jobs-submit") {
            decl.args = submitArgs();
            handler = [&runtime](Invocation& call) { return submit(runtime, call); };
        } else if (decl.id == "jobs-reembed") {
            handler = [&runtime](Invocation& call) { return submitReembed(runtime, call); };
        } else if (decl.id == "jobs-cancel") {
            handler = [&runtime](Invocation& call) {
                return runtime.jobs().cancel(call.args.at("id").get<std::string>(),
                                             jobs::viewerOf(call.principal_json));
            };
        } else if (decl.id == "jobs-list") {
            handler = [&runtime](Invocation& call) {
                return runtime.jobs().list(jobs::viewerOf(call.principal_json), call.args.value("status", ""),
                                           call.args.at("limit").get<int>());
            };
        } else if (decl.id == "jobs-show") {
            handler = [&runtime](Invocation& call) {
                return jobs::jobDetail(
                    runtime.jobs().find(call.args.at("id").get<std::string>(), jobs::viewerOf(call.principal_json)));
            };
        } else if (decl.id == "progress") {
            handler = [&runtime](Invocation& call) { return progressReply(runtime, "", call.principal_json); };
        } else if (decl.id == "progress-job") {
            handler = [&runtime](Invocation& call) {
                return progressReply(runtime, call.args.at("job_id").get<std::string>(), call.principal_json);
            };
        } else if (decl.id == "ingest-results") {
            handler = [&runtime](Invocation& call) { return results(runtime, call); };
        } else {
            handler = [](Invocation& call) { return jobs::checkProgress(call.args, call.cancel); };
        }
        runtime.registry().addBuiltin(std::make_unique<BuiltinCommand>(std::move(decl), std::move(handler)));
    }
}

}  // namespace clipdex
