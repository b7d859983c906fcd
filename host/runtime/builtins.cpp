#include "runtime/builtins.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "http/http_server.hpp"
#include "jobs/job_commands.hpp"
#include "jobs/job_manager.hpp"
#include "pipeline/ingest_command.hpp"
#include "util/paths.hpp"

namespace clipdex {
namespace {

// Declared in manifest form so the routers, OpenAPI and validation treat builtins like plugin commands.
constexpr const char* kHostManifest = R"json({
  "schema": "clipdex.manifest/1", "id": "clipdex.host", "name": "clipdex host", "version": "0.0.0",
  "abi": {"major": 1},
  "provides": {"commands": [
    {"id": "plugins-list", "summary": "List loaded and refused plugins",
     "description": "Shows every plugin found in the plugin directories, what it provides, and why any was refused.",
     "cli": {"path": ["plugins", "list"]}, "http": {"method": "GET", "path": "/api/plugins"},
     "output": {"table": {"columns": [{"key": "plugin", "title": "Plugin"}, {"key": "status", "title": "Status"},
                                       {"key": "version", "title": "Version"}, {"key": "detail", "title": "Path / reason"}]}}},
    {"id": "plugins-info", "summary": "Show one plugin: identity, ABI, commands, steps and providers",
     "cli": {"path": ["plugins", "info"]}, "http": {"method": "GET", "path": "/api/plugins/{id}"},
     "args": {"type": "object", "required": ["id"], "properties": {
       "id": {"type": "string", "description": "Plugin id, or the file name of a refused library", "x-cli-positional": 0}}}},
    {"id": "serve", "summary": "Serve the REST API over HTTP until SIGTERM or Ctrl-C",
     "cli": {"path": ["serve"]}, "http": false, "auth": "none",
     "args": {"type": "object", "properties": {
       "host": {"type": "string", "default": "127.0.0.1", "description": "Address to bind"},
       "port": {"type": "integer", "default": 8000, "minimum": 0, "maximum": 65535, "description": "Port to bind (0 picks a free one)"},
       "max_body_bytes": {"type": "integer", "default": 1048576, "minimum": 1024, "description": "Largest accepted request body"}}}}
  ]}
})json";

json pluginsList(Runtime& runtime) {
    runtime.registry().activateAll();
    json rows = runtime.registry().describe("plugins");
    for (json& row : rows) {
        row["detail"] = row.contains("reason") ? row["reason"] : row["path"];
        row["plugin"] = row["id"].is_string()
                            ? row["id"]
                            : json(std::filesystem::path(row["path"].get<std::string>()).filename().string());
    }
    return rows;
}

json pluginInfo(Runtime& runtime, const std::string& id) {
    runtime.registry().activateAll();
    for (const json& row : runtime.registry().describe("plugins")) {
        const std::string path = row["path"].get<std::string>();
        const std::string file = std::filesystem::path(path).filename().string();
        if ((row["id"].is_string() && row["id"] == id) || file == id || path == id) return row;
    }
    throw CommandError(CDX_E_NOT_FOUND, "no plugin '" + id + "' was found; run 'clipdex plugins list' to see them",
                       json{{"code", "PLUGIN_NOT_FOUND"}});
}

json serve(Runtime& runtime, const json& args) {
    const std::string location = runtime.catalogLocation();
    runtime.catalog();  // open and migrate now, so a bad catalog fails at start, not at the first request
    http::ServerOptions options;
    options.host = args.at("host").get<std::string>();
    options.port = static_cast<std::uint16_t>(args.at("port").get<int>());
    options.max_body_bytes = args.at("max_body_bytes").get<std::size_t>();
    options.version = runtime.hostVersion();
    options.file_roots = {paths::dataDir()};
    options.principal_for = [&runtime](const CommandDecl& decl, const std::optional<auth::Credential>& credential,
                                       const auth::Caller& caller) {
        return runtime.identity().principalFor(decl, credential, caller);
    };
    options.catalog_version = [&runtime] { return runtime.catalog().changeCounter(); };
    const json cache_mb = runtime.config().value("/http/response_cache_mb");
    if (!cache_mb.is_null()) {
        if (!cache_mb.is_number_integer() || cache_mb.get<long long>() < 0)
            throw CommandError(CDX_E_INVALID_ARGUMENT,
                               "config http.response_cache_mb must be a whole number of megabytes (0 turns the "
                               "response cache off), not " +
                                   cache_mb.dump());
        options.response_cache_bytes = cache_mb.get<std::size_t>() << 20;
    }
    const bool loopback = options.host == "127.0.0.1" || options.host == "localhost" || options.host == "::1";
    if (runtime.identity().settings().mode == auth::Mode::Local && !loopback)
        spdlog::warn(
            "serving {} in local auth mode: every request acts as the local admin without credentials; "
            "set auth.mode to \"team\" (or CLIPDEX_AUTH_MODE=team) before exposing the server",
            options.host);
    const std::shared_ptr<jobs::JobManager> jobs = runtime.jobsShared();
    options.progress_feed = jobs;
    http::HttpServer server(runtime.registry().commands(), options);
    server.start();
    // Jobs start once the port is bound (a second server on a busy port must not run them too) and stop after
    // the HTTP side, so no request reaches a stopped manager; stop() leaves unfinished work to resume.
    const json configured = runtime.config().value("/jobs/max_concurrent");
    const std::size_t max_concurrent =
        configured.is_number_integer() && configured.get<int>() > 0 ? configured.get<std::size_t>() : 1;
    jobs->start(max_concurrent);
    fmt::print(stderr, "clipdex {} serving catalog {} on http://{}:{} (Ctrl-C or SIGTERM to stop)\n", options.version,
               location, options.host, server.port());
    std::fflush(stderr);
    http::serveUntilSignal(server);
    jobs->stop();
    return json{{"stopped", true}};
}

}  // namespace

void registerBuiltins(Runtime& runtime) {
    runtime.registry().reserveHttpRoute("GET", "/api/health");
    runtime.registry().reserveHttpRoute("GET", "/api/openapi.json");
    Manifest host = parseManifest(kHostManifest);
    for (CommandDecl& decl : host.commands) {
        BuiltinCommand::Handler handler;
        if (decl.id == "plugins-list") {
            handler = [&runtime](Invocation&) { return pluginsList(runtime); };
        } else if (decl.id == "plugins-info") {
            handler = [&runtime](Invocation& call) {
                return pluginInfo(runtime, call.args.at("id").get<std::string>());
            };
        } else {
            handler = [&runtime](Invocation& call) { return serve(runtime, call.args); };
        }
        runtime.registry().addBuiltin(std::make_unique<BuiltinCommand>(std::move(decl), std::move(handler)));
    }
    registerIngest(runtime);
    registerJobs(runtime);
}

}  // namespace clipdex
