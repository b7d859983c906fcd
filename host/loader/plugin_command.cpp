#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "loader/plugin_registry.hpp"
#include "services/call_state.hpp"

namespace clipdex {

Outcome PluginCommand::run(Invocation& invocation) noexcept {
    try {
        const CommandDecl& command = decl();
        if (const std::string refused = activatePlugin(plugin_); !refused.empty())
            return Outcome::failure(CDX_E_UNAVAILABLE, "plugin " + plugin_.manifest.id + " cannot be used: " + refused);
        if (command.timeout_ms > 0)
            invocation.cancel->setDeadline(std::chrono::steady_clock::now() +
                                           std::chrono::milliseconds(command.timeout_ms));
        CallState call(plugin_.manifest.id, invocation);
        const std::string args = dumpJson(invocation.args);
        std::optional<std::lock_guard<std::mutex>> serial;
        if (plugin_.manifest.serial) serial.emplace(plugin_.serial_mutex);
        const cdx_status status =
            plugin_.command_api->invoke(plugin_.instance, cdx_str{command.id.data(), command.id.size()},
                                        cdx_str{args.data(), args.size()}, call.abi());
        return call.finish(status);
    } catch (const std::exception& error) {
        spdlog::error("host failure around plugin {} command {}: {}", plugin_.manifest.id, decl().id, error.what());
        return Outcome::failure(CDX_E_INTERNAL, error.what());
    }
}

}  // namespace clipdex
