#include "services/host_binding.hpp"

#include <clipdex/clipdex.h>

#include <string_view>

namespace clipdex {

const void* CDX_CALL getServiceTrampoline(const cdx_host* host, const char* service_id) noexcept {
    (void)host;
    return lookupService(service_id);
}

std::unique_ptr<HostBinding> makeHostBinding(ServiceHub& hub, const std::string& plugin_id) {
    auto binding = std::make_unique<HostBinding>();
    binding->plugin_id = plugin_id;
    binding->host_version = hub.hostVersion();
    binding->state_dir = hub.pluginStateDir(plugin_id).string();
    binding->hub = &hub;
    cdx_host& abi = binding->abi;
    abi.struct_size = sizeof(cdx_host);
    abi.abi_major = CDX_ABI_MAJOR;
    abi.abi_minor = CDX_ABI_MINOR;
    abi.host_data = binding.get();
    abi.host_version = cdx_str{binding->host_version.data(), binding->host_version.size()};
    abi.plugin_id = cdx_str{binding->plugin_id.data(), binding->plugin_id.size()};
    abi.state_dir = cdx_str{binding->state_dir.data(), binding->state_dir.size()};
    abi.get_service = &getServiceTrampoline;
    return binding;
}

}  // namespace clipdex
