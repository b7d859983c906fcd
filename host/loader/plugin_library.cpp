#include "loader/plugin_library.hpp"

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace clipdex {
namespace {

// Every mapped library stays here until exit: unloading code that may still have threads, atexit
// handlers or static destructors registered is a crash waiting to happen (docs/adr/0003).
std::vector<std::unique_ptr<boost::dll::shared_library>>& vault() {
    static std::vector<std::unique_ptr<boost::dll::shared_library>> libraries;
    return libraries;
}
std::mutex vault_mutex;

}  // namespace

const cdx_plugin_entry& openPluginLibrary(const std::filesystem::path& path) {
    namespace mode = boost::dll::load_mode;
    const auto flags = static_cast<mode::type>(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    auto library = std::make_unique<boost::dll::shared_library>();
    boost::dll::fs::error_code error;
    library->load(path, flags, error);
    if (error) {
        // Boost reports a generic code; dlopen's own text names the missing symbol or library.
        void* probe = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        const char* detail = probe == nullptr ? dlerror() : nullptr;
        throw LoadError("cannot be loaded: " + std::string(detail ? detail : error.message()));
    }
    if (!library->has(CDX_PLUGIN_ENTRY_SYMBOL)) {
        std::lock_guard lock(vault_mutex);
        vault().push_back(std::move(library));
        throw LoadError("does not export " + std::string(CDX_PLUGIN_ENTRY_SYMBOL) +
                        "; build it with clipdex_add_plugin() from the clipdex SDK");
    }
    auto entry_fn = library->get<const cdx_plugin_entry*()>(CDX_PLUGIN_ENTRY_SYMBOL);
    std::lock_guard lock(vault_mutex);
    vault().push_back(std::move(library));
    const cdx_plugin_entry* entry = entry_fn();
    if (entry == nullptr) throw LoadError(std::string(CDX_PLUGIN_ENTRY_SYMBOL) + "() returned NULL");
    return *entry;
}

void checkAbi(const cdx_plugin_entry& entry, unsigned host_major, unsigned host_minor) {
    constexpr std::size_t kMinimumEntrySize = offsetof(cdx_plugin_entry, get_interface) + sizeof(void*);
    if (entry.struct_size < kMinimumEntrySize)
        throw LoadError("its entry struct is " + std::to_string(entry.struct_size) + " bytes, smaller than ABI " +
                        std::to_string(host_major) + ".0 requires (" + std::to_string(kMinimumEntrySize) +
                        "); rebuild it against the current SDK");
    if (entry.abi_major != host_major)
        throw LoadError("was built for ABI " + std::to_string(entry.abi_major) + ".x but this host provides ABI " +
                        std::to_string(host_major) + "." + std::to_string(host_minor) +
                        "; rebuild it against clipdex SDK " + std::to_string(host_major) + ".x");
    if (entry.min_host_minor > host_minor)
        throw LoadError("needs ABI " + std::to_string(entry.abi_major) + "." + std::to_string(entry.min_host_minor) +
                        " but this host provides " + std::to_string(host_major) + "." + std::to_string(host_minor) +
                        "; upgrade clipdex or rebuild the plugin with a lower CDX_TARGET_ABI_MINOR");
    if (entry.manifest_json == nullptr) throw LoadError("has no embedded manifest");
    if (entry.init == nullptr || entry.get_interface == nullptr || entry.shutdown == nullptr)
        throw LoadError("its entry lacks init, shutdown or get_interface");
}

}  // namespace clipdex
