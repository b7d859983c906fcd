#include "runtime/runtime.hpp"

#include <cstdlib>

#include "jobs/job_manager.hpp"
#include "loader/provider_calls.hpp"
#include "runtime/builtins.hpp"
#include "util/paths.hpp"

namespace clipdex {

Runtime::Runtime(RuntimeOptions options) : options_(std::move(options)), config_(Config::load(options_.config_file)) {
    plugin_dirs_ = options_.plugin_dirs;
    if (options_.load_env_plugins)
        for (auto& dir : paths::splitPathList(std::getenv("CLIPDEX_PLUGIN_PATH"))) plugin_dirs_.push_back(dir);
    if (options_.load_bundled_plugins)
        for (auto& dir : paths::bundledPluginDirs()) plugin_dirs_.push_back(dir);
    registry_ = std::make_unique<PluginRegistry>(*this);
    identity_ = std::make_unique<auth::Identity>(*registry_, auth::settingsFrom(config_));
    // Builtins first: a plugin that claims a host command's path or route is then refused, not fatal.
    registerBuiltins(*this);
    registry_->loadDirectories(plugin_dirs_);
}

Runtime::~Runtime() {
    // Job threads run plugin steps: they stop first. Plugins shut down before the catalog they may still
    // reference goes away.
    if (jobs_) jobs_->stop();
    registry_->shutdown();
}

std::shared_ptr<jobs::JobManager> Runtime::jobsShared() {
    const std::lock_guard lock(jobs_mutex_);
    if (!jobs_) jobs_ = std::make_shared<jobs::JobManager>(*this);
    return jobs_;
}

std::string Runtime::catalogLocation() const {
    if (options_.catalog) return *options_.catalog;
    if (const char* env = std::getenv("CLIPDEX_CATALOG"); env != nullptr && env[0] != '\0') return env;
    if (const json configured = config_.value("/catalog"); configured.is_string()) return configured.get<std::string>();
    return paths::defaultCatalogPath().string();
}

std::string Runtime::hostVersion() const {
    return CLIPDEX_VERSION;
}

json Runtime::pluginConfig(std::string_view plugin_id) const {
    return config_.pluginSection(plugin_id);
}

catalog::Catalog& Runtime::catalog() {
    std::lock_guard lock(catalog_mutex_);
    if (!catalog_) catalog_ = catalog::openCatalog(catalogLocation());
    return *catalog_;
}

json Runtime::describeRegistry(std::string_view what) const {
    return registry_->describe(what);
}

std::filesystem::path Runtime::pluginStateDir(std::string_view plugin_id) const {
    return paths::stateDir() / "plugins" / std::string(plugin_id);
}

Outcome Runtime::searchBackend(const Invocation& parent, std::string_view backend_id, const json& query) {
    return callSearchBackend(*registry_, parent, backend_id, query);
}

std::string Runtime::defaultEmbeddingProvider(std::string_view kind) const {
    const bool image = kind == "image";
    if (const char* env = std::getenv(image ? "CLIPDEX_IMAGE_EMBEDDINGS" : "CLIPDEX_TEXT_EMBEDDINGS"); env && *env)
        return env;
    const json configured = config_.value(image ? "/embeddings/image_provider" : "/embeddings/text_provider");
    if (configured.is_string() && !configured.get<std::string>().empty()) return configured.get<std::string>();
    return image ? "local-visual" : "local-text";
}

Outcome Runtime::embed(const Invocation& parent, std::string_view provider_id, const json& request) {
    if (!provider_id.empty()) return callEmbeddingProvider(*registry_, parent, provider_id, request);
    std::string kind = "text";
    if (request.is_object() && request.contains("kind") && request["kind"].is_string())
        kind = request["kind"].get<std::string>();
    return callEmbeddingProvider(*registry_, parent, defaultEmbeddingProvider(kind), request);
}

}  // namespace clipdex
