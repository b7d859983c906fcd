#include "loader/plugin_step.hpp"

#include <spdlog/spdlog.h>

#include <optional>

#include "services/call_state.hpp"

namespace clipdex {

std::unique_ptr<PluginStep> PluginStep::create(LoadedPlugin& plugin, const StepDecl& decl, const json& config,
                                               Invocation& invocation, Outcome& error) {
    try {
        if (const std::string refused = activatePlugin(plugin); !refused.empty()) {
            error = Outcome::failure(CDX_E_UNAVAILABLE, "plugin " + plugin.manifest.id + " cannot be used: " + refused);
            return nullptr;
        }
        CallState call(plugin.manifest.id, invocation);
        const std::string config_text = dumpJson(config);
        void* instance = nullptr;
        std::optional<std::lock_guard<std::mutex>> serial;
        if (plugin.manifest.serial) serial.emplace(plugin.serial_mutex);
        const cdx_status status =
            plugin.step_api->create(plugin.instance, cdx_str{decl.id.data(), decl.id.size()},
                                    cdx_str{config_text.data(), config_text.size()}, call.abi(), &instance);
        Outcome outcome = call.finish(status);
        if (!outcome.ok() || instance == nullptr) {
            if (outcome.ok()) outcome = Outcome::failure(CDX_E_INTERNAL, "step " + decl.id + " returned no instance");
            error = std::move(outcome);
            return nullptr;
        }
        return std::unique_ptr<PluginStep>(new PluginStep(plugin, decl, instance));
    } catch (const std::exception& failure) {
        error = Outcome::failure(CDX_E_INTERNAL, failure.what());
        return nullptr;
    }
}

PluginStep::~PluginStep() {
    plugin_.step_api->destroy(instance_);
}

Outcome PluginStep::run(const json& inputs, Invocation& invocation) noexcept {
    try {
        CallState call(plugin_.manifest.id, invocation);
        const std::string text = dumpJson(inputs);
        std::optional<std::lock_guard<std::mutex>> serial;
        if (plugin_.manifest.serial) serial.emplace(plugin_.serial_mutex);
        return call.finish(plugin_.step_api->run(instance_, cdx_str{text.data(), text.size()}, call.abi()));
    } catch (const std::exception& failure) {
        spdlog::error("host failure around step {}: {}", decl_.id, failure.what());
        return Outcome::failure(CDX_E_INTERNAL, failure.what());
    }
}

std::pair<LoadedPlugin*, const StepDecl*> findStep(const PluginRegistry& registry, std::string_view step_id) {
    for (const auto& plugin : registry.plugins())
        for (const StepDecl& step : plugin->manifest.steps)
            if (step.id == step_id) return {plugin.get(), &step};
    return {nullptr, nullptr};
}

}  // namespace clipdex
