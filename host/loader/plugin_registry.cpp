#include "loader/plugin_registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "loader/plugin_library.hpp"

namespace clipdex {
namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    return text;
}

/// "/api/clips/{id}" and "/api/clips/{clip}" are the same route.
std::string routeShape(const std::string& method, const std::string& path) {
    std::string shape = method + " ";
    bool in_brace = false;
    for (char c : path) {
        if (c == '{') in_brace = true;
        if (!in_brace) shape += c;
        if (c == '}') {
            in_brace = false;
            shape += "{}";
        }
    }
    return shape;
}

/// The declared path and its aliases.
std::vector<std::string> routePaths(const CommandDecl& decl) {
    std::vector<std::string> paths = {decl.http_path};
    paths.insert(paths.end(), decl.http_aliases.begin(), decl.http_aliases.end());
    return paths;
}

bool isPrefix(const std::vector<std::string>& shorter, const std::vector<std::string>& longer) {
    return shorter.size() <= longer.size() && std::equal(shorter.begin(), shorter.end(), longer.begin());
}

std::string clashBetween(const CommandDecl& a, const CommandDecl& b) {
    auto name = [](const CommandDecl& decl) {
        return "'" + decl.id + "' of " + (decl.plugin_id.empty() ? std::string("the host") : decl.plugin_id);
    };
    if (!a.cli_path.empty() && !b.cli_path.empty() &&
        (isPrefix(a.cli_path, b.cli_path) || isPrefix(b.cli_path, a.cli_path)))
        return "command " + name(a) + " (clipdex " + joined(a.cli_path) + ") clashes with command " + name(b) +
               " (clipdex " + joined(b.cli_path) + ")";
    if (!a.http_method.empty() && !b.http_method.empty())
        for (const std::string& path_a : routePaths(a))
            for (const std::string& path_b : routePaths(b))
                if (routeShape(a.http_method, path_a) == routeShape(b.http_method, path_b))
                    return "command " + name(a) + " (" + a.http_method + " " + path_a + ") clashes with command " +
                           name(b) + " (" + b.http_method + " " + path_b + ")";
    return {};
}

json readSidecar(const std::filesystem::path& library) {
    std::filesystem::path sidecar = library;
    sidecar.replace_extension(".json");
    std::ifstream file(sidecar);
    if (!file) return json();
    std::stringstream text;
    text << file.rdbuf();
    return json::parse(text.str(), nullptr, false);
}

template <class Table>
const Table* interfaceOf(const LoadedPlugin& plugin, const char* id) {
    const auto* table = static_cast<const Table*>(plugin.entry->get_interface(plugin.instance, id));
    return (table != nullptr && table->struct_size >= sizeof(Table)) ? table : nullptr;
}

}  // namespace

PluginRegistry::PluginRegistry(ServiceHub& hub) : hub_(hub) {}

PluginRegistry::~PluginRegistry() {
    shutdown();
}

void PluginRegistry::loadDirectories(const std::vector<std::filesystem::path>& dirs) {
    for (const auto& dir : dirs) {
        std::error_code error;
        if (!std::filesystem::is_directory(dir, error)) {
            spdlog::debug("plugin directory {} does not exist; skipped", dir.string());
            continue;
        }
        std::vector<std::filesystem::path> libraries;
        for (const auto& item : std::filesystem::directory_iterator(dir, error))
            if (item.path().extension() == ".so") libraries.push_back(item.path());
        std::sort(libraries.begin(), libraries.end());
        for (const auto& library : libraries) loadFile(library);
    }
}

void PluginRegistry::refuse(const std::filesystem::path& path, const std::string& id, const std::string& reason) {
    spdlog::warn("plugin {} refused: {}", path.string(), reason);
    refused_.push_back(RefusedPlugin{path, id, reason});
}

static void bindInterfaces(LoadedPlugin& plugin);

bool PluginRegistry::loadFile(const std::filesystem::path& given) {
    std::error_code error;
    const auto path = std::filesystem::weakly_canonical(given, error);
    for (const auto& plugin : plugins_)
        if (plugin->path == path) return true;

    // With a manifest installed beside the library, commands and steps are routed from it and the library
    // is mapped, checked against it and initialised on first use (docs/adr/0008): a command that needs no
    // media plugin never pays for loading FFmpeg.
    Manifest manifest;
    const json sidecar = readSidecar(path);
    bool lazy = false;
    if (sidecar.is_object()) {
        try {
            manifest = parseManifest(dumpJson(sidecar));
            lazy = true;
        } catch (const std::exception& failure) {
            spdlog::debug("sidecar manifest of {} is unusable ({}); loading the library now", path.string(),
                          failure.what());
        }
    }
    if (!lazy) {
        try {
            const cdx_plugin_entry& entry = openPluginLibrary(path);
            checkAbi(entry, CDX_ABI_MAJOR, CDX_ABI_MINOR);
            manifest = parseManifest(entry.manifest_json);
        } catch (const LoadError& failure) {
            refuse(path, "", failure.what());
            return false;
        } catch (const std::exception& failure) {
            refuse(path, "", std::string("invalid manifest: ") + failure.what());
            return false;
        }
        if (!sidecar.is_null()) {
            refuse(path, manifest.id,
                   "the manifest installed beside it differs from the one embedded in the "
                   "library; reinstall the plugin so both come from one build");
            return false;
        }
    }
    if (const LoadedPlugin* existing = findPlugin(manifest.id)) {
        refuse(path, manifest.id, "plugin id " + manifest.id + " is already loaded from " + existing->path.string());
        return false;
    }
    if (const std::string clash = findConflict(manifest); !clash.empty()) {
        refuse(path, manifest.id, clash);
        return false;
    }

    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->path = path;
    plugin->binding = makeHostBinding(hub_, manifest.id);
    plugin->manifest = std::move(manifest);
    if (!lazy) {
        if (const std::string reason = activatePlugin(*plugin); !reason.empty()) {
            refused_.push_back(RefusedPlugin{path, plugin->manifest.id, reason});
            return false;
        }
    }
    for (const CommandDecl& decl : plugin->manifest.commands)
        commands_.push_back(std::make_unique<PluginCommand>(decl, *plugin));
    spdlog::debug("plugin {} {} registered from {}", plugin->manifest.id, plugin->manifest.version, path.string());
    plugins_.push_back(std::move(plugin));
    return true;
}

void PluginRegistry::activateAll() {
    for (const auto& plugin : plugins_) activatePlugin(*plugin);
}

std::string activatePlugin(LoadedPlugin& plugin) {
    using Activation = LoadedPlugin::Activation;
    if (const Activation state = plugin.activation.load(std::memory_order_acquire); state != Activation::Pending)
        return state == Activation::Active ? std::string() : plugin.failure;
    std::lock_guard lock(plugin.activation_mutex);
    if (const Activation state = plugin.activation.load(std::memory_order_acquire); state != Activation::Pending)
        return state == Activation::Active ? std::string() : plugin.failure;
    auto fail = [&plugin](const std::string& reason) {
        spdlog::warn("plugin {} refused: {}", plugin.path.string(), reason);
        plugin.failure = reason;
        plugin.activation.store(Activation::Refused, std::memory_order_release);
        return reason;
    };
    const cdx_plugin_entry* entry = nullptr;
    try {
        entry = &openPluginLibrary(plugin.path);
        checkAbi(*entry, CDX_ABI_MAJOR, CDX_ABI_MINOR);
        const Manifest embedded = parseManifest(entry->manifest_json);
        if (embedded.raw != plugin.manifest.raw)
            return fail(
                "the manifest installed beside it differs from the one embedded in the library; "
                "reinstall the plugin so both come from one build");
        if (embedded.abi_major != entry->abi_major)
            return fail("its manifest declares ABI major " + std::to_string(embedded.abi_major) +
                        " but the library was built for " + std::to_string(entry->abi_major));
    } catch (const LoadError& failure) {
        return fail(failure.what());
    } catch (const std::exception& failure) {
        return fail(std::string("invalid manifest: ") + failure.what());
    }
    plugin.entry = entry;
    plugin.build_info = entry->build_info ? entry->build_info : "";
    std::string init_error;
    cdx_sink error_sink{sizeof(cdx_sink), &init_error, [](const cdx_sink* self, cdx_str bytes) noexcept {
                            try {
                                static_cast<std::string*>(self->ctx)->append(bytes.ptr ? bytes.ptr : "", bytes.len);
                                return CDX_OK;
                            } catch (...) {
                                return CDX_E_INTERNAL;
                            }
                        }};
    if (entry->init(&plugin.binding->abi, &plugin.instance, &error_sink) != CDX_OK)
        return fail("init failed: " + (init_error.empty() ? std::string("no message") : init_error));
    try {
        bindInterfaces(plugin);
    } catch (const LoadError& failure) {
        entry->shutdown(plugin.instance);
        return fail(failure.what());
    }
    plugin.activation.store(Activation::Active, std::memory_order_release);
    spdlog::debug("plugin {} {} loaded from {}", plugin.manifest.id, plugin.manifest.version, plugin.path.string());
    return {};
}

static void bindInterfaces(LoadedPlugin& plugin) {
    const Manifest& manifest = plugin.manifest;
    auto require = [&](bool declared, const void* table, const char* id) {
        if (declared && table == nullptr)
            throw LoadError(std::string("its manifest declares capabilities it does not implement: no ") + id +
                            " interface");
    };
    plugin.command_api = interfaceOf<cdx_command_v1>(plugin, CDX_IFACE_COMMAND);
    plugin.step_api = interfaceOf<cdx_step_v1>(plugin, CDX_IFACE_STEP);
    plugin.search_api = interfaceOf<cdx_search_v1>(plugin, CDX_IFACE_SEARCH);
    plugin.auth_api = interfaceOf<cdx_auth_v1>(plugin, CDX_IFACE_AUTH);
    plugin.embedder_api = interfaceOf<cdx_embedder_v1>(plugin, CDX_IFACE_EMBEDDER);
    require(!manifest.embedding_providers.empty(), plugin.embedder_api, CDX_IFACE_EMBEDDER);
    require(!manifest.commands.empty(), plugin.command_api, CDX_IFACE_COMMAND);
    require(!manifest.steps.empty(), plugin.step_api, CDX_IFACE_STEP);
    require(!manifest.search_backends.empty(), plugin.search_api, CDX_IFACE_SEARCH);
    require(!manifest.auth_providers.empty(), plugin.auth_api, CDX_IFACE_AUTH);
}

std::string PluginRegistry::findConflict(const Manifest& manifest) const {
    for (const CommandDecl& decl : manifest.commands) {
        for (const auto& existing : commands_)
            if (std::string clash = clashBetween(decl, existing->decl()); !clash.empty()) return clash;
        for (const CommandDecl& reserved : reserved_routes_)
            if (std::string clash = clashBetween(decl, reserved); !clash.empty()) return clash;
    }
    for (const auto& plugin : plugins_) {
        for (const StepDecl& step : manifest.steps)
            for (const StepDecl& other : plugin->manifest.steps)
                if (step.id == other.id) return "step " + step.id + " is already provided by " + plugin->manifest.id;
        for (const ProviderDecl& backend : manifest.search_backends)
            for (const ProviderDecl& other : plugin->manifest.search_backends)
                if (backend.id == other.id)
                    return "search backend " + backend.id + " is already provided by " + plugin->manifest.id;
        for (const ProviderDecl& provider : manifest.auth_providers)
            for (const ProviderDecl& other : plugin->manifest.auth_providers)
                if (provider.id == other.id)
                    return "auth provider " + provider.id + " is already provided by " + plugin->manifest.id;
        for (const ProviderDecl& provider : manifest.embedding_providers)
            for (const ProviderDecl& other : plugin->manifest.embedding_providers)
                if (provider.id == other.id)
                    return "embedding provider " + provider.id + " is already provided by " + plugin->manifest.id;
    }
    return {};
}

void PluginRegistry::addBuiltin(std::unique_ptr<Command> command) {
    for (const auto& existing : commands_)
        if (std::string clash = clashBetween(command->decl(), existing->decl()); !clash.empty())
            throw std::invalid_argument(clash);
    commands_.push_back(std::move(command));
}

void PluginRegistry::reserveHttpRoute(std::string method, std::string path) {
    CommandDecl reserved;
    reserved.plugin_id = "clipdex.host";
    reserved.id = path;
    reserved.http_method = std::move(method);
    reserved.http_path = std::move(path);
    reserved_routes_.push_back(std::move(reserved));
}

std::vector<Command*> PluginRegistry::commands() const {
    std::vector<Command*> result;
    for (const auto& command : commands_) result.push_back(command.get());
    return result;
}

LoadedPlugin* PluginRegistry::findProvider(ProviderKind kind, std::string_view id) const noexcept {
    for (const auto& plugin : plugins_) {
        const Manifest& manifest = plugin->manifest;
        const auto& decls = kind == ProviderKind::SearchBackend       ? manifest.search_backends
                            : kind == ProviderKind::EmbeddingProvider ? manifest.embedding_providers
                                                                      : manifest.auth_providers;
        for (const ProviderDecl& decl : decls)
            if (decl.id == id) return plugin.get();
    }
    return nullptr;
}

const LoadedPlugin* PluginRegistry::findPlugin(std::string_view id) const noexcept {
    for (const auto& plugin : plugins_)
        if (plugin->manifest.id == id) return plugin.get();
    return nullptr;
}

void PluginRegistry::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    for (auto plugin = plugins_.rbegin(); plugin != plugins_.rend(); ++plugin)
        if ((*plugin)->activation.load() == LoadedPlugin::Activation::Active)
            (*plugin)->entry->shutdown((*plugin)->instance);
}

}  // namespace clipdex
