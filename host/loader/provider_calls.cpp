#include "loader/provider_calls.hpp"

#include <spdlog/spdlog.h>

#include <optional>

#include "services/call_state.hpp"

namespace clipdex {
namespace {

Invocation childOf(const Invocation& parent) {
    Invocation child;
    child.request_id = parent.request_id;
    child.principal_json = parent.principal_json;
    child.cancel = parent.cancel;
    return child;
}

/// Finds and activates the provider's plugin, then runs `call` on it with a child invocation.
template <class Api, class Call>
Outcome callProvider(PluginRegistry& registry, PluginRegistry::ProviderKind kind, const char* what, std::string_view id,
                     const Invocation& parent, Api LoadedPlugin::*api, const json& request, Call&& call) noexcept {
    try {
        const std::string request_text = dumpJson(request);
        LoadedPlugin* plugin = registry.findProvider(kind, id);
        if (plugin == nullptr)
            return Outcome::failure(CDX_E_UNSUPPORTED,
                                    std::string("no loaded plugin provides the ") + what + " '" + std::string(id) +
                                        "'; `clipdex plugins list` shows what is installed",
                                    {{"code", "UNKNOWN_PROVIDER"}, {"provider", std::string(id)}});
        if (const std::string refused = activatePlugin(*plugin); !refused.empty())
            return Outcome::failure(CDX_E_UNAVAILABLE, "plugin " + plugin->manifest.id + " cannot be used: " + refused);
        Invocation child = childOf(parent);
        CallState state(plugin->manifest.id, child);
        std::optional<std::lock_guard<std::mutex>> serial;
        if (plugin->manifest.serial) serial.emplace(plugin->serial_mutex);
        const cdx_status status =
            call(plugin->*api, plugin->instance, cdx_str{request_text.data(), request_text.size()}, state.abi());
        return state.finish(status);
    } catch (const std::exception& error) {
        spdlog::error("host failure calling {} {}: {}", what, id, error.what());
        return Outcome::failure(CDX_E_INTERNAL, error.what());
    }
}

cdx_str view(std::string_view text) noexcept {
    return cdx_str{text.data(), text.size()};
}

}  // namespace

Outcome callSearchBackend(PluginRegistry& registry, const Invocation& parent, std::string_view backend_id,
                          const json& query) noexcept {
    Outcome outcome = callProvider(registry, PluginRegistry::ProviderKind::SearchBackend, "search backend", backend_id,
                                   parent, &LoadedPlugin::search_api, query,
                                   [&](const cdx_search_v1* api, void* instance, cdx_str text, const cdx_call* call) {
                                       return api->query(instance, view(backend_id), text, call);
                                   });
    if (!outcome.ok()) return outcome;
    try {
        json hits = json::array();
        for (json& record : outcome.records) hits.push_back(std::move(record));
        outcome.records.clear();
        outcome.result = json{{"summary", outcome.result.is_null() ? json::object() : std::move(outcome.result)},
                              {"hits", std::move(hits)}};
    } catch (const std::exception& error) {
        return Outcome::failure(CDX_E_INTERNAL, error.what());
    }
    return outcome;
}

Outcome callEmbeddingProvider(PluginRegistry& registry, const Invocation& parent, std::string_view provider_id,
                              const json& request) noexcept {
    Outcome outcome = callProvider(registry, PluginRegistry::ProviderKind::EmbeddingProvider, "embedding provider",
                                   provider_id, parent, &LoadedPlugin::embedder_api, request,
                                   [&](const cdx_embedder_v1* api, void* instance, cdx_str text, const cdx_call* call) {
                                       return api->embed(instance, view(provider_id), text, call);
                                   });
    if (!outcome.ok()) return outcome;
    const json& answer = outcome.result;
    if (!answer.is_object() || !answer.contains("vectors") || !answer["vectors"].is_array() ||
        !answer.contains("model") || !answer["model"].is_string())
        return Outcome::failure(CDX_E_INTERNAL, "embedding provider '" + std::string(provider_id) +
                                                    "' answered without \"model\" and \"vectors\"");
    outcome.result["provider"] = std::string(provider_id);
    return outcome;
}

Outcome callAuthProvider(PluginRegistry& registry, const Invocation& parent, std::string_view provider_id,
                         const json& request) noexcept {
    return callProvider(registry, PluginRegistry::ProviderKind::AuthProvider, "auth provider", provider_id, parent,
                        &LoadedPlugin::auth_api, request,
                        [&](const cdx_auth_v1* api, void* instance, cdx_str text, const cdx_call* call) {
                            return api->authenticate(instance, view(provider_id), text, call);
                        });
}

}  // namespace clipdex
