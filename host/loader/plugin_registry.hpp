// Discovers, validates and loads plugins, and indexes what they provide. Loaded plugins are never
// unloaded; a refused plugin is recorded with one line naming the file and the reason.
#pragma once

#include <clipdex/clipdex.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "core/manifest.hpp"
#include "services/host_binding.hpp"

namespace clipdex {

struct LoadedPlugin {
    std::filesystem::path path;
    Manifest manifest;
    std::string build_info;
    const cdx_plugin_entry* entry = nullptr;
    void* instance = nullptr;
    std::unique_ptr<HostBinding> binding;
    const cdx_command_v1* command_api = nullptr;
    const cdx_step_v1* step_api = nullptr;
    const cdx_search_v1* search_api = nullptr;
    const cdx_auth_v1* auth_api = nullptr;
    const cdx_embedder_v1* embedder_api = nullptr;
    std::mutex serial_mutex;  // held around every call when the manifest says "concurrency": "serial"
    // Libraries with a sidecar manifest are activated (mapped, checked, initialised) on first use.
    // `failure` is written once, before `activation` publishes Refused, so a reader that sees Refused may
    // read it without the mutex; every call checks `activation` without locking.
    enum class Activation { Pending, Active, Refused };
    std::mutex activation_mutex;
    std::atomic<Activation> activation{Activation::Pending};
    std::string failure;  // why activation failed; the plugin then stays refused
};

/// Maps, checks and initialises the plugin if that has not happened yet. Returns "" when it is usable,
/// else the reason it was refused (logged once). Thread-safe.
std::string activatePlugin(LoadedPlugin& plugin);

struct RefusedPlugin {
    std::filesystem::path path;
    std::string plugin_id;  // empty when the manifest could not be read
    std::string reason;
};

class PluginRegistry {
public:
    explicit PluginRegistry(ServiceHub& hub);
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    /// Loads every *.so in each directory (sorted by name); missing directories are skipped.
    void loadDirectories(const std::vector<std::filesystem::path>& dirs);
    /// Loads one library. Returns false (and records why) when it is refused.
    bool loadFile(const std::filesystem::path& path);
    /// Activates every registered plugin, so introspection shows each one's real status.
    void activateAll();
    /// Registers a host command (plugins list, serve, ...). Throws std::invalid_argument on a route clash.
    void addBuiltin(std::unique_ptr<Command> command);
    /// Keeps an HTTP route the server answers itself (e.g. /api/health) away from plugins.
    void reserveHttpRoute(std::string method, std::string path);

    std::vector<Command*> commands() const;
    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const noexcept { return plugins_; }
    const std::vector<RefusedPlugin>& refused() const noexcept { return refused_; }
    const LoadedPlugin* findPlugin(std::string_view id) const noexcept;
    enum class ProviderKind { SearchBackend, EmbeddingProvider, AuthProvider };
    /// The plugin declaring the provider `id` of `kind` (not activated here), or null.
    LoadedPlugin* findProvider(ProviderKind kind, std::string_view id) const noexcept;
    /// JSON for clipdex.registry/1 and `plugins list`: "plugins", "refused", "steps", "commands",
    /// "search_backends" or "auth_providers". Throws std::invalid_argument otherwise.
    json describe(std::string_view what) const;
    /// Calls every plugin's shutdown, newest first. Idempotent.
    void shutdown();

private:
    void refuse(const std::filesystem::path& path, const std::string& id, const std::string& reason);
    std::string findConflict(const Manifest& manifest) const;

    ServiceHub& hub_;
    std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
    std::vector<RefusedPlugin> refused_;
    std::vector<std::unique_ptr<Command>> commands_;
    std::vector<CommandDecl> reserved_routes_;
    bool shut_down_ = false;
};

/// Plugin command routed through clipdex.command/1.
class PluginCommand final : public Command {
public:
    PluginCommand(CommandDecl decl, LoadedPlugin& plugin) : Command(std::move(decl)), plugin_(plugin) {}
    Outcome run(Invocation& invocation) noexcept override;

private:
    LoadedPlugin& plugin_;
};

}  // namespace clipdex
