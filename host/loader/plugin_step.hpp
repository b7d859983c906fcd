// One step instance of a loaded plugin, driven through clipdex.step/1. The executor and tests use it.
#pragma once

#include <memory>
#include <string>

#include "core/command.hpp"
#include "loader/plugin_registry.hpp"

namespace clipdex {

class PluginStep {
public:
    /// Creates the instance with a validated config (defaults filled). On failure returns null and sets
    /// `error` to the outcome (status + message).
    static std::unique_ptr<PluginStep> create(LoadedPlugin& plugin, const StepDecl& decl, const json& config,
                                              Invocation& invocation, Outcome& error);
    ~PluginStep();
    PluginStep(const PluginStep&) = delete;
    PluginStep& operator=(const PluginStep&) = delete;

    /// Runs the step on one file's inputs. Never throws; never concurrently on one instance.
    Outcome run(const json& inputs, Invocation& invocation) noexcept;
    const StepDecl& decl() const noexcept { return decl_; }

private:
    PluginStep(LoadedPlugin& plugin, StepDecl decl, void* instance)
        : plugin_(plugin), decl_(std::move(decl)), instance_(instance) {}

    LoadedPlugin& plugin_;
    StepDecl decl_;
    void* instance_;
};

/// Finds a loaded step by id, or null.
std::pair<LoadedPlugin*, const StepDecl*> findStep(const PluginRegistry& registry, std::string_view step_id);

}  // namespace clipdex
