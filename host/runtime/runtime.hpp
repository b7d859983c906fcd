// Wires the host together for one process: config, plugin registry, lazily opened catalog.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/identity.hpp"
#include "loader/plugin_registry.hpp"
#include "runtime/config.hpp"
#include "services/service_hub.hpp"

namespace clipdex {
namespace jobs {
class JobManager;
}

struct RuntimeOptions {
    std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir, searched first
    std::optional<std::string> catalog;              // --catalog
    std::optional<std::filesystem::path> config_file;
    bool load_bundled_plugins = true;  // the build tree / install prefix directory
    bool load_env_plugins = true;      // CLIPDEX_PLUGIN_PATH
};

class Runtime final : public ServiceHub {
public:
    explicit Runtime(RuntimeOptions options);
    ~Runtime() override;

    PluginRegistry& registry() noexcept { return *registry_; }
    /// Who is calling (auth mode and provider from the config); see auth/identity.hpp.
    auth::Identity& identity() noexcept { return *identity_; }
    const Config& config() const noexcept { return config_; }
    /// The catalog location in force: --catalog, $CLIPDEX_CATALOG, config "catalog", or the XDG default.
    std::string catalogLocation() const;
    /// Background jobs over this catalog (created on first use; `serve` starts its workers).
    jobs::JobManager& jobs() { return *jobsShared(); }
    std::shared_ptr<jobs::JobManager> jobsShared();
    /// The plugin directories searched, in order.
    const std::vector<std::filesystem::path>& pluginDirs() const noexcept { return plugin_dirs_; }

    std::string hostVersion() const override;
    json pluginConfig(std::string_view plugin_id) const override;
    catalog::Catalog& catalog() override;
    json describeRegistry(std::string_view what) const override;
    std::filesystem::path pluginStateDir(std::string_view plugin_id) const override;
    Outcome searchBackend(const Invocation& parent, std::string_view backend_id, const json& query) override;
    Outcome embed(const Invocation& parent, std::string_view provider_id, const json& request) override;
    /// The embedding provider used for `kind` ("text" or "image") when a caller names none.
    std::string defaultEmbeddingProvider(std::string_view kind) const;

private:
    RuntimeOptions options_;
    Config config_;
    std::vector<std::filesystem::path> plugin_dirs_;
    std::mutex catalog_mutex_;
    std::unique_ptr<catalog::Catalog> catalog_;
    std::unique_ptr<PluginRegistry> registry_;
    std::unique_ptr<auth::Identity> identity_;
    std::mutex jobs_mutex_;
    std::shared_ptr<jobs::JobManager> jobs_;
};

}  // namespace clipdex
