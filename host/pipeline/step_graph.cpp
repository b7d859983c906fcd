#include "pipeline/step_graph.hpp"

#include <algorithm>
#include <functional>

#include "core/command.hpp"
#include "core/schema.hpp"
#include "loader/plugin_registry.hpp"

namespace clipdex::pipeline {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw CommandError(CDX_E_INVALID_ARGUMENT, message);
}

std::string knownList(const std::vector<AvailableStep>& available) {
    std::string list;
    for (const AvailableStep& step : available) list += (list.empty() ? "" : ", ") + step.decl.id;
    return list.empty() ? "(no steps are loaded)" : list;
}

std::size_t indexOf(const std::vector<AvailableStep>& available, const std::string& id, const std::string& source) {
    for (std::size_t index = 0; index < available.size(); ++index)
        if (available[index].decl.id == id) return index;
    invalid("unknown step '" + id + "' in " + source + "; known steps: " + knownList(available));
}

/// Applies the --config document: {"steps": {id: {"enabled", "config"}}} or the original flat {id: bool}.
void applyConfigFile(const std::vector<AvailableStep>& available, const json& document, std::vector<bool>& enabled,
                     std::vector<json>& configs) {
    if (document.is_null()) return;
    if (!document.is_object()) invalid("--config: the file must hold a JSON object");
    const bool nested = document.contains("steps") && document["steps"].is_object();
    const json& steps = nested ? document["steps"] : document;
    for (const auto& [id, value] : steps.items()) {
        const std::size_t index = indexOf(available, id, "--config");
        if (value.is_boolean()) {
            enabled[index] = value.get<bool>();
        } else if (nested && value.is_object()) {
            if (value.contains("enabled")) {
                if (!value["enabled"].is_boolean()) invalid("--config: steps." + id + ".enabled must be true or false");
                enabled[index] = value["enabled"].get<bool>();
            }
            if (value.contains("config")) configs[index] = value["config"];
        } else {
            invalid("--config: the value for step '" + id + "' must be true, false" +
                    (nested ? " or {\"enabled\": ..., \"config\": {...}}" : ""));
        }
    }
}

}  // namespace

std::vector<AvailableStep> availableSteps(const PluginRegistry& registry) {
    std::vector<AvailableStep> steps;
    for (const auto& plugin : registry.plugins())
        for (const StepDecl& decl : plugin->manifest.steps) steps.push_back({plugin.get(), decl});
    return steps;
}

std::vector<PlannedStep> planSteps(const std::vector<AvailableStep>& available, const StepChoice& choice) {
    std::vector<bool> enabled;
    std::vector<json> configs(available.size(), json::object());
    for (const AvailableStep& step : available) enabled.push_back(step.decl.enabled_by_default);
    applyConfigFile(available, choice.config_file, enabled, configs);
    for (const auto& [id, on] : choice.forced)
        for (std::size_t index = 0; index < available.size(); ++index)
            if (available[index].decl.id == id) enabled[index] = on;
    for (const std::string& id : choice.disable) enabled[indexOf(available, id, "--disable")] = false;
    for (const std::string& id : choice.enable) enabled[indexOf(available, id, "--enable")] = true;

    // Depth-first topological sort over enabled steps; edges to disabled or unknown steps are ignored here
    // (a missing depends_on makes the step skip at run time, with the reason).
    std::vector<int> state(available.size(), 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::size_t> stack;
    std::vector<PlannedStep> order;
    std::function<void(std::size_t)> visit = [&](std::size_t index) {
        if (state[index] == 2) return;
        if (state[index] == 1) {
            std::string cycle;
            auto from = std::find(stack.begin(), stack.end(), index);
            for (auto it = from; it != stack.end(); ++it) cycle += available[*it].decl.id + " -> ";
            invalid("steps depend on each other in a cycle: " + cycle + available[index].decl.id);
        }
        state[index] = 1;
        stack.push_back(index);
        const StepDecl& decl = available[index].decl;
        std::vector<std::string> before = decl.depends_on;
        before.insert(before.end(), decl.after.begin(), decl.after.end());
        for (const std::string& id : before)
            for (std::size_t other = 0; other < available.size(); ++other)
                if (available[other].decl.id == id && enabled[other]) visit(other);
        stack.pop_back();
        state[index] = 2;
        json config;
        try {
            config = schema::validateArgs(decl.config, configs[index], schema::Origin::Json);
        } catch (const schema::ValidationError& error) {
            invalid("config of step '" + decl.id + "': " + error.what());
        }
        order.push_back({available[index].plugin, decl, std::move(config)});
    };
    for (std::size_t index = 0; index < available.size(); ++index)
        if (enabled[index]) visit(index);
    return order;
}

json effectiveConfig(const std::vector<AvailableStep>& available, const std::vector<PlannedStep>& planned) {
    json flat = json::object();
    for (const AvailableStep& step : available) {
        flat[step.decl.id] = std::any_of(planned.begin(), planned.end(),
                                         [&](const PlannedStep& p) { return p.decl.id == step.decl.id; });
    }
    return flat;
}

}  // namespace clipdex::pipeline
