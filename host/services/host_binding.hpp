// The cdx_host a plugin receives at init, and the service tables behind its get_service.
#pragma once

#include <clipdex/abi.h>

#include <memory>
#include <string>

#include "services/service_hub.hpp"

namespace clipdex {

struct HostBinding {
    cdx_host abi{};
    std::string plugin_id;
    std::string host_version;
    std::string state_dir;
    ServiceHub* hub = nullptr;

    static const HostBinding* from(const cdx_host* host) noexcept {
        return host != nullptr ? static_cast<const HostBinding*>(host->host_data) : nullptr;
    }
};

/// A cdx_host for one plugin; it must outlive every call into that plugin.
std::unique_ptr<HostBinding> makeHostBinding(ServiceHub& hub, const std::string& plugin_id);

/// The host's service tables by id, or NULL. Exposed for tests of the service layer.
const void* lookupService(const char* service_id) noexcept;

}  // namespace clipdex
