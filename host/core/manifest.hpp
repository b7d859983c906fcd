// The plugin manifest (clipdex.manifest/1): what a plugin is and everything it provides.
// The host builds CLI and HTTP routes from it without running plugin code.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace clipdex {

inline constexpr const char* kManifestSchema = "clipdex.manifest/1";

struct CommandDecl {
    std::string plugin_id;
    std::string id;
    std::string summary;
    std::string description;
    std::vector<std::string> cli_path;  // empty: not on the CLI
    std::string http_method;            // empty: not over HTTP
    std::string http_path;              // "/api/clips/{id}"; {name} segments bind arguments
    // "json": the result is the reply body. "file": the result names a file under the data directory,
    // {"path", "content_type", "max_age_seconds"}, which the host sends with ETag / Last-Modified / 304.
    std::string http_response = "json";
    std::vector<std::string> http_aliases;  // more paths (same method and parameters) for the same command
    int http_status = 200;                  // the success status, e.g. 202 for a job accepted to run later
    // Keys of the result object also copied to the top level of the success envelope, so clients that read
    // either the enveloped or the legacy unwrapped shape both work ("*": every key).
    // An entry "key=/pointer" copies that part of the result instead ("key=" the whole result).
    std::vector<std::string> http_lift;
    // After lifting, keys of the result renamed inside the envelope's data ({"results": "data"}), and keys
    // left out of it (CLI-only rendering rows, copies already lifted), so superset bodies carry no third copy.
    std::vector<std::pair<std::string, std::string>> http_rename;
    std::vector<std::string> http_omit;
    std::string http_body;  // a JSON pointer: send that part of the result bare, without the envelope
    // "catalog": a GET whose reply depends only on its arguments, its caller and the catalog, so the server may
    // answer a repeat from memory until the catalog next changes. "none" (default): always run the command.
    std::string http_cache = "none";
    json args = json::object();        // argument schema (docs/sdk/plugin-guide.md, "The argument schema profile")
    json output = json::object();      // rendering hints for the CLI: {"json": "/ptr", "table": {...}}
    int timeout_ms = 0;                // 0: no deadline
    bool cli_only_in_process = false;  // host builtins like `serve` that make no sense over HTTP
    // Who may call it in team mode: "required" (an identity), "optional" (identity attached when given),
    // "none" (never looked at: signup, login). Local mode acts as the local admin unless credentials are given.
    std::string auth = "required";
    // "set": the result carries {"session": {"token", "expires_at"}} that the host keeps for the caller (an
    // HttpOnly cookie over HTTP, a 0600 file in the XDG config directory on the CLI); "clear": forget it.
    std::string session;
};

struct StepDecl {
    std::string plugin_id;
    std::string id;
    std::string category;
    bool enabled_by_default = true;
    std::string description;
    std::vector<std::string> depends_on;  // must have succeeded; their outputs are this step's inputs
    std::vector<std::string> after;       // run after these if they run; outputs passed when present
    json inputs = json::object();
    json outputs = json::object();
    json config = json::object();
    int timeout_ms = 0;  // 0: the executor's default
    int retries = 0;     // extra attempts after a retryable failure
    // The step may answer control.skip_file (a duplicate check, say). The executor starts no later step of
    // the file until it has finished, so a skipped file costs no wasted work.
    bool may_skip_file = false;
};

struct ProviderDecl {  // a search backend, an embedding provider or an auth provider
    std::string plugin_id;
    std::string id;
    std::string summary;
    std::vector<std::string> capabilities;  // search: "fulltext", "vector", ...; embedding: kinds; auth: schemes
    json config = json::object();
};

struct Manifest {
    std::string id;
    std::string name;
    std::string version;
    std::string description;
    std::string vendor;
    std::string license;
    int abi_major = 0;
    int min_host_minor = 0;
    bool serial = false;  // "concurrency": "serial" — the host serialises calls into the plugin
    std::vector<CommandDecl> commands;
    std::vector<StepDecl> steps;
    std::vector<ProviderDecl> search_backends;
    std::vector<ProviderDecl> auth_providers;
    std::vector<ProviderDecl> embedding_providers;  // since ABI 1.1
    json raw;
};

/// A manifest problem; what() names the JSON location, e.g. "provides.commands[1].cli.path: ...".
class ManifestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses and validates manifest text. Throws ManifestError.
Manifest parseManifest(std::string_view text);

}  // namespace clipdex
