// Which steps an ingest runs and in what order: manifest defaults, then --config, then forced switches
// (e.g. --no-database-storage), then --disable, then --enable; configs validated; a topological order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/manifest.hpp"

namespace clipdex {
struct LoadedPlugin;
class PluginRegistry;
}  // namespace clipdex

namespace clipdex::pipeline {

struct AvailableStep {
    LoadedPlugin* plugin = nullptr;  // null in graph-only tests
    StepDecl decl;
};

struct StepChoice {
    json config_file;                    // parsed --config document, or null
    std::map<std::string, bool> forced;  // switches implied by ingest options; unknown ids are ignored
    std::vector<std::string> disable;
    std::vector<std::string> enable;
};

struct PlannedStep {
    LoadedPlugin* plugin = nullptr;
    StepDecl decl;
    json config = json::object();  // validated, defaults filled
};

/// Every step the loaded plugins provide, in load order.
std::vector<AvailableStep> availableSteps(const PluginRegistry& registry);

/// The enabled steps in dependency order (depends_on and after; ties keep the declaration order).
/// Throws CommandError(CDX_E_INVALID_ARGUMENT) naming an unknown step (and the known ones), a bad config
/// document or step config, or a dependency cycle ("a -> b -> a").
std::vector<PlannedStep> planSteps(const std::vector<AvailableStep>& available, const StepChoice& choice);

/// {"<id>": enabled} for every available step, as the original's flat pipeline_config.json.
json effectiveConfig(const std::vector<AvailableStep>& available, const std::vector<PlannedStep>& planned);

}  // namespace clipdex::pipeline
