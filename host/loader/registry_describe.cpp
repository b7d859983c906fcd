// JSON views of the registry for `plugins list/info`, clipdex.registry/1 and `list-steps`.
#include "loader/plugin_registry.hpp"

namespace clipdex {
namespace {

json commandJson(const CommandDecl& decl) {
    json command = {{"id", decl.id},
                    {"plugin", decl.plugin_id.empty() ? "clipdex.host" : decl.plugin_id},
                    {"summary", decl.summary}};
    std::string cli;
    for (const auto& word : decl.cli_path) cli += (cli.empty() ? "" : " ") + word;
    command["cli"] = cli.empty() ? json() : json(cli);
    command["http"] = decl.http_method.empty() ? json() : json{{"method", decl.http_method}, {"path", decl.http_path}};
    return command;
}

json stepJson(const StepDecl& step) {
    return json{{"name", step.id},
                {"id", step.id},
                {"plugin", step.plugin_id},
                {"category", step.category},
                {"enabled", step.enabled_by_default},
                {"enabled_by_default", step.enabled_by_default},
                {"description", step.description},
                {"depends_on", step.depends_on},
                {"after", step.after},
                {"timeout_ms", step.timeout_ms},
                {"retries", step.retries},
                {"inputs", step.inputs},
                {"outputs", step.outputs},
                {"config", step.config}};
}

json providerJson(const ProviderDecl& provider, const char* list_key) {
    return json{{"id", provider.id},
                {"plugin", provider.plugin_id},
                {"summary", provider.summary},
                {list_key, provider.capabilities}};
}

json pluginJson(const LoadedPlugin& plugin) {
    const Manifest& manifest = plugin.manifest;
    json provides = {{"commands", json::array()},
                     {"steps", json::array()},
                     {"search_backends", json::array()},
                     {"auth_providers", json::array()},
                     {"embedding_providers", json::array()}};
    for (const auto& command : manifest.commands) provides["commands"].push_back(commandJson(command));
    for (const auto& step : manifest.steps) provides["steps"].push_back(step.id);
    for (const auto& backend : manifest.search_backends) provides["search_backends"].push_back(backend.id);
    for (const auto& provider : manifest.auth_providers) provides["auth_providers"].push_back(provider.id);
    for (const auto& provider : manifest.embedding_providers) provides["embedding_providers"].push_back(provider.id);
    // "available": routed from its sidecar manifest, library not mapped yet (PluginRegistry::activateAll).
    const LoadedPlugin::Activation state = plugin.activation.load(std::memory_order_acquire);
    const std::string status = state == LoadedPlugin::Activation::Active    ? "loaded"
                               : state == LoadedPlugin::Activation::Refused ? "refused"
                                                                            : "available";
    json row = json{{"id", manifest.id},
                    {"status", status},
                    {"name", manifest.name},
                    {"version", manifest.version},
                    {"description", manifest.description},
                    {"vendor", manifest.vendor},
                    {"license", manifest.license},
                    {"path", plugin.path.string()},
                    {"abi",
                     {{"major", plugin.entry ? plugin.entry->abi_major : manifest.abi_major},
                      {"min_host_minor", plugin.entry ? plugin.entry->min_host_minor : manifest.min_host_minor}}},
                    {"concurrency", manifest.serial ? "serial" : "parallel"},
                    {"build_info", plugin.build_info},
                    {"provides", provides}};
    if (state == LoadedPlugin::Activation::Refused) row["reason"] = plugin.failure;
    return row;
}

}  // namespace

json PluginRegistry::describe(std::string_view what) const {
    json result = json::array();
    if (what == "plugins") {
        for (const auto& plugin : plugins_) result.push_back(pluginJson(*plugin));
        for (const auto& refused : refused_)
            result.push_back(json{{"id", refused.plugin_id.empty() ? json() : json(refused.plugin_id)},
                                  {"status", "refused"},
                                  {"path", refused.path.string()},
                                  {"reason", refused.reason}});
    } else if (what == "commands") {
        for (const auto& command : commands_) result.push_back(commandJson(command->decl()));
    } else if (what == "steps") {
        for (const auto& plugin : plugins_)
            for (const auto& step : plugin->manifest.steps) result.push_back(stepJson(step));
    } else if (what == "search_backends") {
        for (const auto& plugin : plugins_)
            for (const auto& backend : plugin->manifest.search_backends)
                result.push_back(providerJson(backend, "capabilities"));
    } else if (what == "auth_providers") {
        for (const auto& plugin : plugins_)
            for (const auto& provider : plugin->manifest.auth_providers)
                result.push_back(providerJson(provider, "schemes"));
    } else if (what == "embedding_providers") {
        for (const auto& plugin : plugins_)
            for (const auto& provider : plugin->manifest.embedding_providers)
                result.push_back(providerJson(provider, "kinds"));
    } else {
        throw std::invalid_argument(
            "unknown registry view '" + std::string(what) +
            "'; use plugins, commands, steps, search_backends, embedding_providers or auth_providers");
    }
    return result;
}

}  // namespace clipdex
