// What host services need from the rest of the host. The Runtime implements it; tests may too.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "catalog/catalog.hpp"
#include "core/command.hpp"
#include "core/json.hpp"

namespace clipdex {

class ServiceHub {
public:
    virtual ~ServiceHub() = default;
    virtual std::string hostVersion() const = 0;
    /// The plugin's section of the config file, or an empty object.
    virtual json pluginConfig(std::string_view plugin_id) const = 0;
    /// The catalog, opened (and migrated) on first use. Throws catalog::CatalogError.
    virtual catalog::Catalog& catalog() = 0;
    /// See clipdex.registry/1. Throws std::invalid_argument for an unknown `what`.
    virtual json describeRegistry(std::string_view what) const = 0;
    /// A writable directory private to the plugin (not created here).
    virtual std::filesystem::path pluginStateDir(std::string_view plugin_id) const = 0;
    /// clipdex.dispatch/1: a search backend's answer {"summary", "hits"}. Never throws.
    virtual Outcome searchBackend(const Invocation& parent, std::string_view backend_id, const json& query) = 0;
    /// clipdex.dispatch/1: an embedding; an empty provider_id picks the configured one. Never throws.
    virtual Outcome embed(const Invocation& parent, std::string_view provider_id, const json& request) = 0;
};

}  // namespace clipdex
