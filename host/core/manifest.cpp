#include "core/manifest.hpp"

#include <set>

#include "core/schema.hpp"

namespace clipdex {
namespace {

[[noreturn]] void bad(const std::string& where, const std::string& message) {
    throw ManifestError(where + ": " + message);
}

bool isIdentifier(const std::string& text, const std::string& extra) {
    if (text.empty() || text.size() > 128) return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != std::string::npos)) return false;
    return extra.find(text.front()) == std::string::npos && extra.find(text.back()) == std::string::npos;
}

std::string requiredString(const json& object, const std::string& key, const std::string& where) {
    if (!object.contains(key)) bad(where, "\"" + key + "\" is required");
    if (!object[key].is_string() || object[key].get<std::string>().empty())
        bad(where + "." + key, "must be a non-empty string");
    return object[key].get<std::string>();
}

std::string optionalString(const json& object, const std::string& key, const std::string& where) {
    if (!object.contains(key)) return {};
    if (!object[key].is_string()) bad(where + "." + key, "must be a string");
    return object[key].get<std::string>();
}

std::vector<std::string> stringList(const json& object, const std::string& key, const std::string& where) {
    std::vector<std::string> result;
    if (!object.contains(key)) return result;
    if (!object[key].is_array()) bad(where + "." + key, "must be an array of strings");
    for (const json& item : object[key]) {
        if (!item.is_string()) bad(where + "." + key, "must be an array of strings");
        result.push_back(item.get<std::string>());
    }
    return result;
}

json schemaOf(const json& object, const std::string& key, const std::string& where) {
    if (!object.contains(key)) return json{{"type", "object"}, {"properties", json::object()}};
    try {
        schema::checkProfile(object[key], where + "." + key);
    } catch (const std::invalid_argument& error) {
        throw ManifestError(error.what());
    }
    return object[key];
}

json arrayOf(const json& provides, const std::string& key) {
    if (!provides.contains(key)) return json::array();
    if (!provides[key].is_array()) bad("provides." + key, "must be an array");
    return provides[key];
}

void checkPositionals(const json& args, const std::string& where) {
    std::set<std::uint64_t> seen;
    const json properties = args.value("properties", json::object());
    for (const auto& [name, property] : properties.items()) {
        if (!property.contains("x-cli-positional")) continue;
        if (!seen.insert(property["x-cli-positional"].get<std::uint64_t>()).second)
            bad(where + ".args.properties." + name,
                "two arguments share x-cli-positional " + dumpJson(property["x-cli-positional"]));
    }
    std::uint64_t expected = 0;
    for (std::uint64_t index : seen)
        if (index != expected++) bad(where + ".args", "x-cli-positional indexes must count up from 0 without gaps");
}

void checkRoutePath(const std::string& path, const json& args, const std::string& where) {
    if (path.empty() || path.front() != '/') bad(where, "must start with '/'");
    const json properties = args.value("properties", json::object());
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
        const size_t close = path.find('}', open);
        if (close == std::string::npos) bad(where, "has an unclosed '{'");
        const std::string name = path.substr(open + 1, close - open - 1);
        if (!properties.contains(name)) bad(where, "binds {" + name + "}, which is not an argument");
        const bool whole_segment = path[open - 1] == '/' && (close + 1 == path.size() || path[close + 1] == '/');
        if (!whole_segment) bad(where, "{" + name + "} must be a whole path segment, as in /api/x/{id}");
    }
}

void parseHttp(const json& decl, CommandDecl& command, const std::string& where) {
    if (decl.contains("http") && decl["http"].is_boolean()) {
        if (decl["http"].get<bool>()) bad(where + ".http", "must be false or an object");
        return;  // "http": false
    }
    const json http = decl.value("http", json::object());
    if (!http.is_object()) bad(where + ".http", "must be false or an object {method, path}");
    command.http_method = http.value("method", std::string("POST"));
    static const std::set<std::string> methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    if (methods.count(command.http_method) == 0) bad(where + ".http.method", "must be GET, POST, PUT, PATCH or DELETE");
    command.http_path = http.value("path", "/api/plugins/" + command.plugin_id + "/" + command.id);
    command.http_response = http.value("response", std::string("json"));
    if (command.http_response != "json" && command.http_response != "file")
        bad(where + ".http.response", "must be \"json\" or \"file\"");
    if (command.http_response == "file" && command.http_method != "GET")
        bad(where + ".http.response", "\"file\" needs method GET");
    if (http.contains("aliases")) command.http_aliases = stringList(http, "aliases", where + ".http");
    if (http.contains("status")) {
        const json& status = http["status"];
        if (!status.is_number_integer() || status.get<int>() < 200 || status.get<int>() > 299)
            bad(where + ".http.status", "must be a 2xx status code");
        command.http_status = status.get<int>();
    }
    if (http.contains("lift")) command.http_lift = stringList(http, "lift", where + ".http");
    for (const std::string& entry : command.http_lift) {
        const auto equals = entry.find('=');
        if (equals == 0) bad(where + ".http.lift", "\"" + entry + "\" has no key before '='");
        if (equals == std::string::npos) continue;
        const std::string pointer = entry.substr(equals + 1);
        try {
            (void)json::json_pointer(pointer);
        } catch (const json::exception& error) {
            bad(where + ".http.lift", "\"" + entry + "\": not a valid JSON pointer: " + error.what());
        }
    }
    if (http.contains("rename")) {
        if (!http["rename"].is_object()) bad(where + ".http.rename", "must be an object {\"from\": \"to\"}");
        for (const auto& [from, to] : http["rename"].items()) {
            if (!to.is_string() || to.get<std::string>().empty())
                bad(where + ".http.rename." + from, "must name the new key");
            command.http_rename.emplace_back(from, to.get<std::string>());
        }
    }
    if (http.contains("omit")) command.http_omit = stringList(http, "omit", where + ".http");
    command.http_body = optionalString(http, "body", where + ".http");
    if (!command.http_body.empty() && command.http_body.front() != '/')
        bad(where + ".http.body", "must be a JSON pointer such as /steps");
    try {
        if (!command.http_body.empty()) (void)json::json_pointer(command.http_body);
    } catch (const json::exception& error) {
        bad(where + ".http.body", std::string("is not a valid JSON pointer: ") + error.what());
    }
    command.http_cache = http.value("cache", std::string("none"));
    if (command.http_cache != "none" && command.http_cache != "catalog")
        bad(where + ".http.cache", "must be \"none\" or \"catalog\"");
    if (command.http_cache == "catalog" && command.http_method != "GET")
        bad(where + ".http.cache", "\"catalog\" needs method GET: only reads may be answered from memory");
    checkRoutePath(command.http_path, command.args, where + ".http.path");
    for (const std::string& alias : command.http_aliases) checkRoutePath(alias, command.args, where + ".http.aliases");
}

/// The id every declaration starts with; `allowed` lists the punctuation its kind permits.
std::string declarationId(const json& decl, const std::string& where, const std::string& allowed) {
    if (!decl.is_object()) bad(where, "must be an object");
    std::string id = requiredString(decl, "id", where);
    if (!isIdentifier(id, allowed))
        bad(where + ".id", "\"" + id + "\" must be lower-case letters and digits, joined by any of '" + allowed + "'");
    return id;
}

CommandDecl parseCommand(const json& decl, const std::string& plugin_id, const std::string& where) {
    CommandDecl command;
    command.plugin_id = plugin_id;
    command.id = declarationId(decl, where, "-_");
    command.summary = requiredString(decl, "summary", where);
    command.description = optionalString(decl, "description", where);
    command.args = schemaOf(decl, "args", where);
    checkPositionals(command.args, where);
    if (decl.contains("output") && !decl["output"].is_object()) bad(where + ".output", "must be an object");
    command.output = decl.value("output", json::object());
    if (decl.contains("timeout_ms") && !decl["timeout_ms"].is_number_unsigned())
        bad(where + ".timeout_ms", "must be a non-negative integer");
    command.timeout_ms = decl.value("timeout_ms", 0);
    command.auth = optionalString(decl, "auth", where);
    if (command.auth.empty()) command.auth = "required";
    if (command.auth != "required" && command.auth != "optional" && command.auth != "none")
        bad(where + ".auth", "must be \"required\", \"optional\" or \"none\"");
    command.session = optionalString(decl, "session", where);
    if (!command.session.empty() && command.session != "set" && command.session != "clear")
        bad(where + ".session", "must be \"set\" or \"clear\"");

    if (decl.contains("cli") && decl["cli"].is_boolean()) {
        if (decl["cli"].get<bool>()) bad(where + ".cli", "must be false or an object");
    } else {
        const json cli = decl.value("cli", json::object());
        if (!cli.is_object()) bad(where + ".cli", "must be false or an object {path}");
        command.cli_path =
            cli.contains("path") ? stringList(cli, "path", where + ".cli") : std::vector<std::string>{command.id};
        if (command.cli_path.empty()) bad(where + ".cli.path", "must name at least one word");
        for (const std::string& word : command.cli_path)
            if (!isIdentifier(word, "-"))
                bad(where + ".cli.path", "\"" + word + "\" must be lower-case words joined by '-'");
    }
    parseHttp(decl, command, where);
    return command;
}

StepDecl parseStep(const json& decl, const std::string& plugin_id, const std::string& where) {
    StepDecl step;
    step.plugin_id = plugin_id;
    step.id = declarationId(decl, where, "_");
    step.category = decl.contains("category") ? requiredString(decl, "category", where) : "Processing";
    if (decl.contains("enabled_by_default") && !decl["enabled_by_default"].is_boolean())
        bad(where + ".enabled_by_default", "must be true or false");
    step.enabled_by_default = decl.value("enabled_by_default", true);
    step.description = requiredString(decl, "description", where);
    step.depends_on = stringList(decl, "depends_on", where);
    step.after = stringList(decl, "after", where);
    for (const char* key : {"timeout_ms", "retries"})
        if (decl.contains(key) && !decl[key].is_number_unsigned())
            bad(where + "." + key, "must be a non-negative integer");
    step.timeout_ms = decl.value("timeout_ms", 0);
    step.retries = decl.value("retries", 0);
    if (decl.contains("may_skip_file") && !decl["may_skip_file"].is_boolean())
        bad(where + ".may_skip_file", "must be true or false");
    step.may_skip_file = decl.value("may_skip_file", false);
    for (const char* key : {"inputs", "outputs"}) {
        if (decl.contains(key) && !decl[key].is_object()) bad(where + "." + key, "must be an object");
    }
    step.inputs = decl.value("inputs", json::object());
    step.outputs = decl.value("outputs", json::object());
    step.config = schemaOf(decl, "config", where);
    return step;
}

ProviderDecl parseProvider(const json& decl, const std::string& plugin_id, const std::string& where,
                           const char* list_key) {
    ProviderDecl provider;
    provider.plugin_id = plugin_id;
    provider.id = declarationId(decl, where, "-_");
    provider.summary = requiredString(decl, "summary", where);
    provider.capabilities = stringList(decl, list_key, where);
    provider.config = schemaOf(decl, "config", where);
    return provider;
}

template <class Decl>
void checkUnique(const std::vector<Decl>& decls, const std::string& list) {
    std::set<std::string> ids;
    for (const Decl& decl : decls)
        if (!ids.insert(decl.id).second) bad("provides." + list, "id \"" + decl.id + "\" is declared twice");
}

}  // namespace

Manifest parseManifest(std::string_view text) {
    json raw = json::parse(text.begin(), text.end(), nullptr, false);
    if (raw.is_discarded()) throw ManifestError("manifest is not valid JSON");
    if (!raw.is_object()) throw ManifestError("manifest must be a JSON object");

    Manifest manifest;
    const std::string schema_id = requiredString(raw, "schema", "manifest");
    if (schema_id != kManifestSchema)
        bad("manifest.schema", "is \"" + schema_id + "\"; this host reads \"" + kManifestSchema + "\"");
    manifest.id = requiredString(raw, "id", "manifest");
    if (!isIdentifier(manifest.id, ".-_"))
        bad("manifest.id",
            "\"" + manifest.id + "\" must be reverse-DNS style: lower-case words joined by '.', '-' or '_'");
    manifest.name = requiredString(raw, "name", "manifest");
    manifest.version = requiredString(raw, "version", "manifest");
    manifest.description = optionalString(raw, "description", "manifest");
    manifest.vendor = optionalString(raw, "vendor", "manifest");
    manifest.license = optionalString(raw, "license", "manifest");

    if (!raw.contains("abi") || !raw["abi"].is_object())
        bad("manifest.abi", "is required: {\"major\": 1, \"min_host_minor\": 0}");
    const json& abi = raw["abi"];
    if (!abi.contains("major") || !abi["major"].is_number_unsigned())
        bad("manifest.abi.major", "must be a non-negative integer");
    if (abi.contains("min_host_minor") && !abi["min_host_minor"].is_number_unsigned())
        bad("manifest.abi.min_host_minor", "must be a non-negative integer");
    manifest.abi_major = abi["major"].get<int>();
    manifest.min_host_minor = abi.value("min_host_minor", 0);

    const std::string concurrency = raw.value("concurrency", std::string("parallel"));
    if (concurrency != "parallel" && concurrency != "serial")
        bad("manifest.concurrency", "must be \"parallel\" or \"serial\"");
    manifest.serial = concurrency == "serial";

    const json provides = raw.value("provides", json::object());
    if (!provides.is_object()) bad("manifest.provides", "must be an object");
    static const std::set<std::string> kinds = {"commands", "steps", "search_backends", "auth_providers",
                                                "embedding_providers"};
    for (const auto& [key, value] : provides.items())
        if (kinds.count(key) == 0)
            bad("provides." + key,
                "is not a known capability (commands, steps, search_backends, auth_providers, "
                "embedding_providers)");

    const json commands = arrayOf(provides, "commands");
    for (size_t index = 0; index < commands.size(); ++index)
        manifest.commands.push_back(
            parseCommand(commands[index], manifest.id, "provides.commands[" + std::to_string(index) + "]"));
    const json steps = arrayOf(provides, "steps");
    for (size_t index = 0; index < steps.size(); ++index)
        manifest.steps.push_back(parseStep(steps[index], manifest.id, "provides.steps[" + std::to_string(index) + "]"));
    const json backends = arrayOf(provides, "search_backends");
    for (size_t index = 0; index < backends.size(); ++index)
        manifest.search_backends.push_back(parseProvider(
            backends[index], manifest.id, "provides.search_backends[" + std::to_string(index) + "]", "capabilities"));
    const json providers = arrayOf(provides, "auth_providers");
    for (size_t index = 0; index < providers.size(); ++index)
        manifest.auth_providers.push_back(parseProvider(
            providers[index], manifest.id, "provides.auth_providers[" + std::to_string(index) + "]", "schemes"));

    const json embedders = arrayOf(provides, "embedding_providers");
    for (size_t index = 0; index < embedders.size(); ++index)
        manifest.embedding_providers.push_back(parseProvider(
            embedders[index], manifest.id, "provides.embedding_providers[" + std::to_string(index) + "]", "kinds"));

    checkUnique(manifest.commands, "commands");
    checkUnique(manifest.steps, "steps");
    checkUnique(manifest.search_backends, "search_backends");
    checkUnique(manifest.auth_providers, "auth_providers");
    checkUnique(manifest.embedding_providers, "embedding_providers");
    manifest.raw = std::move(raw);
    return manifest;
}

}  // namespace clipdex
